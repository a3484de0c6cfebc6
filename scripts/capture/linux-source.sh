# Sourced by the capture scripts (capture-lkdtm.sh, build-sanitizer-kernel.sh, decode-captures.sh).
#
# extract_linux_source DEB DEST STRIP [PATTERN...]
#   Extract files of the kernel source tarball in a Debian linux-source-X.Y .deb
#   (a .tar.xz inside the .deb) into DEST, through DEST.tmp so that an
#   interrupted run leaves no half-filled DEST. PATTERNs are relative to the
#   tarball's linux-source-*/ directory (none: the whole tree); STRIP path
#   components are dropped (that directory counts).
extract_linux_source() {
	local deb=$1 dest=$2 strip=$3 p pats=()
	shift 3
	for p in "$@"; do pats+=("linux-source-*/$p"); done
	rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO --wildcards './usr/src/linux-source-*.tar.xz' |
		tar -xJ -C "$dest.tmp" --strip-components="$strip" --wildcards "${pats[@]}"
	mv "$dest.tmp" "$dest"
}
