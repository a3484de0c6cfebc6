#!/usr/bin/env bash
# decode-captures.sh - pass real captures through the kernel's own
# scripts/decode_stacktrace.sh, as developers do before they post a trace, so
# that ktriage is tested on that output too:
#
#   fixtures/captured/amd64/<TYPE>.log  ->  fixtures/captured/amd64-decoded/<TYPE>.log
#
# decode_stacktrace.sh replaces each "func+0x1/0x2 [mod]" it can resolve with
# "func (file:line)" (an inline chain's locations in the same parentheses), drops
# "[<address>]", re-spaces timestamps and disassembles "Code:" lines with
# scripts/decodecode. It needs the kernel's debug image: Debian ships it as
# linux-image-<abi>-dbg (855 MB for 6.1.0-50-amd64; only vmlinux is kept, in
# the cache). lkdtm.ko was built without one, so lkdtm's own frames stay as
# printed (the script says "Modules path isn't set" and prints the module name
# without brackets) - as for anyone decoding without their modules' debug info.
#
# Usage:
#   scripts/capture/decode-captures.sh                 # every capture of fixtures/captured/amd64
#   scripts/capture/decode-captures.sh WARNING BUG     # some
#
# Each <TYPE>.log.expected is the hand-written expectation of the original
# capture with a new SOURCE line: decoding changes how frames are printed, not
# which report it is or what its title is.
#
# Environment:
#   KTRIAGE_CAPTURE_CACHE  cache dir (default: <repo>/../capture-cache); uses <cache>/decode
#   KTRIAGE_LINUX_SOURCE   linux-source-6.1 .deb with the scripts (default: the one
#                          capture-lkdtm.sh cached in <cache>/common)
# Needs: apt-get (Debian bookworm sources), dpkg-deb, xz, binutils (addr2line, nm, objdump).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
# shellcheck source=linux-source.sh
. "$SCRIPT_DIR/linux-source.sh"
CACHE=${KTRIAGE_CAPTURE_CACHE:-$(dirname "$REPO_ROOT")/capture-cache}
WORK=$CACHE/decode
IN_DIR=$REPO_ROOT/fixtures/captured/amd64
OUT_DIR=$REPO_ROOT/fixtures/captured/amd64-decoded
# The release every amd64 capture was made with (their VERSION key).
ABI=6.1.0-50-amd64

log() { printf '[decode] %s\n' "$*" >&2; }
die() { printf '[decode] ERROR: %s\n' "$*" >&2; exit 1; }

for t in apt-get dpkg-deb addr2line nm objdump; do
	command -v "$t" >/dev/null || die "$t not found (apt-get install binutils)"
done

mkdir -p "$WORK" "$OUT_DIR"
VMLINUX=$WORK/usr/lib/debug/boot/vmlinux-$ABI
if [ ! -f "$VMLINUX" ]; then
	deb=$(find "$WORK" -maxdepth 1 -name "linux-image-$ABI-dbg_*.deb" | head -n1)
	if [ -z "$deb" ]; then
		log "downloading linux-image-$ABI-dbg (~855 MB)"
		(cd "$WORK" && apt-get download "linux-image-$ABI-dbg")
		deb=$(find "$WORK" -maxdepth 1 -name "linux-image-$ABI-dbg_*.deb" | head -n1)
	fi
	log "extracting vmlinux-$ABI from $(basename "$deb")"
	dpkg-deb --fsys-tarfile "$deb" | (cd "$WORK" && tar -x --wildcards "./usr/lib/debug/boot/vmlinux-$ABI")
fi
DBG_VERSION=$(find "$WORK" -maxdepth 1 -name "linux-image-$ABI-dbg_*.deb" -printf '%f\n' | sed -n 's/^[^_]*_\([^_]*\)_.*/\1/p' | head -n1)

SRC_DEB=${KTRIAGE_LINUX_SOURCE:-$(find "$CACHE/common" -maxdepth 1 -name 'linux-source-6.1_*_all.deb' | sort | tail -n1)}
[ -f "$SRC_DEB" ] || die "no linux-source-6.1 .deb in $CACHE/common (scripts/capture/capture-lkdtm.sh amd64 --prepare fetches it)"
SRC_VERSION=$(dpkg-deb -f "$SRC_DEB" Version)
SCRIPTS=$WORK/linux-source-$SRC_VERSION/scripts
if [ ! -x "$SCRIPTS/decode_stacktrace.sh" ]; then
	log "extracting decode_stacktrace.sh and decodecode from $(basename "$SRC_DEB")"
	extract_linux_source "$SRC_DEB" "$SCRIPTS" 2 scripts/decode_stacktrace.sh scripts/decodecode
fi

if [ $# -eq 0 ]; then
	mapfile -t TYPES < <(find "$IN_DIR" -maxdepth 1 -name '*.log' -printf '%f\n' | sed 's/\.log$//' | LC_ALL=C sort)
else
	TYPES=("$@")
fi

for t in "${TYPES[@]}"; do
	in=$IN_DIR/$t.log
	[ -f "$in" ] || die "no capture $in"
	grep -q "$ABI" "$in" || die "$t.log is not a capture of $ABI"
	# The consoles end lines with CR LF; decode_stacktrace.sh strips the CR itself, decodecode does not.
	tr -d '\r' <"$in" | "$SCRIPTS/decode_stacktrace.sh" "$VMLINUX" 2>/dev/null >"$OUT_DIR/$t.log"
	if [ -f "$in.expected" ]; then
		{
			echo "# The hand-written expectation of fixtures/captured/amd64/$t.log (see there), unchanged but for"
			echo "# this comment and SOURCE: decode_stacktrace.sh changes how frames are printed, not the report."
			grep -v '^SOURCE: ' "$in.expected"
			echo "SOURCE: real: scripts/capture/decode-captures.sh $t (scripts/decode_stacktrace.sh of linux-source-6.1 $SRC_VERSION with vmlinux-$ABI of linux-image-$ABI-dbg $DBG_VERSION) over fixtures/captured/amd64/$t.log"
		} >"$OUT_DIR/$t.log.expected"
	fi
	log "$t: $(grep -c ' (.*:[0-9]' "$OUT_DIR/$t.log" || true) decoded lines"
done
