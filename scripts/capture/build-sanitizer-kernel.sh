#!/usr/bin/env bash
# build-sanitizer-kernel.sh - build the small x86_64 "sanitizers" kernel used by
#   KTRIAGE_KERNEL_BUILD=... scripts/capture/capture-lkdtm.sh amd64 ...
# (see fixtures/captured/README.md, section amd64-sanitizers).
#
# Debian's kernels have no KASAN, UBSAN, KFENCE, lockdep, kmemleak or
# might_sleep checks, so their reports cannot be captured from a Debian image.
# This script builds a kernel from Debian's linux-source-6.12 (unmodified
# source; only the configuration is ours) with those checkers enabled, plus the
# test modules that provoke them (lkdtm, kasan_test, test_ubsan, kfence_test,
# kmemleak-test) and the tiny out-of-tree module ktriage_lockdep.ko
# (scripts/capture/ktriage_lockdep.c).
#
# Usage:
#   scripts/capture/build-sanitizer-kernel.sh            # extract + configure + build
#   scripts/capture/build-sanitizer-kernel.sh --config   # only write .config
#
# Result (KTRIAGE_KERNEL_BUILD points here):
#   <cache>/sanitizers/linux-6.12.117/                 the source + build tree
#   <cache>/sanitizers/linux-6.12.117/arch/x86/boot/bzImage
#   <cache>/sanitizers/modules/lib/modules/<krel>/...  modules_install output
#   <cache>/sanitizers/modules/ktriage_lockdep.ko
#
# Environment:
#   KTRIAGE_CAPTURE_CACHE  cache dir (default: <repo>/../capture-cache)
#   KTRIAGE_LINUX_SOURCE   linux-source-6.12 .deb (default: <cache>/common/linux-source-6.12_6.12.117-1_all.deb)
#   KTRIAGE_JOBS           make -j (default: nproc)
#
# Config: `make allnoconfig` (ARCH=x86_64) + the fragment below, then
# `make olddefconfig`; the script checks that every fragment option survived.
# allnoconfig rather than defconfig keeps the build small (no drivers, no
# networking); what a busybox initramfs on a serial console needs is in the
# fragment. Debug info is off (symbols come from KALLSYMS).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
# shellcheck source=linux-source.sh
. "$SCRIPT_DIR/linux-source.sh"
CACHE=${KTRIAGE_CAPTURE_CACHE:-$(dirname "$REPO_ROOT")/capture-cache}
SRC_DEB=${KTRIAGE_LINUX_SOURCE:-$CACHE/common/linux-source-6.12_6.12.117-1_all.deb}
WORK=$CACHE/sanitizers
TREE=$WORK/linux-6.12.117
MODS=$WORK/modules
JOBS=${KTRIAGE_JOBS:-$(nproc)}

log() { printf '[build] %s\n' "$*" >&2; }
die() { printf '[build] ERROR: %s\n' "$*" >&2; exit 1; }

# The configuration fragment (applied on top of allnoconfig).
config_fragment() {
	cat <<'EOF'
# --- what a serial-console busybox initramfs boot under QEMU (-M pc) needs
CONFIG_64BIT=y
CONFIG_SMP=y
CONFIG_NR_CPUS=8
CONFIG_PCI=y
CONFIG_ACPI=y
CONFIG_TTY=y
CONFIG_SERIAL_8250=y
CONFIG_SERIAL_8250_CONSOLE=y
CONFIG_BLK_DEV_INITRD=y
CONFIG_RD_GZIP=y
CONFIG_BINFMT_ELF=y
CONFIG_BINFMT_SCRIPT=y
CONFIG_PROC_FS=y
CONFIG_SYSFS=y
CONFIG_DEVTMPFS=y
CONFIG_DEVTMPFS_MOUNT=y
CONFIG_TMPFS=y
CONFIG_PRINTK_TIME=y
CONFIG_MODULES=y
CONFIG_MODULE_UNLOAD=y
CONFIG_KALLSYMS=y
CONFIG_KALLSYMS_ALL=y
CONFIG_DEBUG_KERNEL=y
CONFIG_DEBUG_FS=y
CONFIG_DEBUG_INFO_NONE=y
CONFIG_UNWINDER_ORC=y
# kasan_test and kfence_test need tracepoints (TRACING); no function tracer
CONFIG_FTRACE=y
CONFIG_ENABLE_DEFAULT_TRACERS=y
# CONFIG_FUNCTION_TRACER is not set
# --- the checkers
CONFIG_KASAN=y
CONFIG_KASAN_GENERIC=y
CONFIG_KASAN_INLINE=y
CONFIG_KASAN_VMALLOC=y
CONFIG_KUNIT=y
CONFIG_KASAN_KUNIT_TEST=m
CONFIG_UBSAN=y
CONFIG_UBSAN_BOUNDS=y
CONFIG_UBSAN_SHIFT=y
CONFIG_TEST_UBSAN=m
CONFIG_KFENCE=y
CONFIG_KFENCE_KUNIT_TEST=m
CONFIG_PROVE_LOCKING=y
CONFIG_DEBUG_ATOMIC_SLEEP=y
CONFIG_DETECT_HUNG_TASK=y
CONFIG_SOFTLOCKUP_DETECTOR=y
CONFIG_DEBUG_KMEMLEAK=y
CONFIG_SAMPLES=y
CONFIG_SAMPLE_KMEMLEAK=m
CONFIG_RUNTIME_TESTING_MENU=y
CONFIG_LKDTM=m
EOF
}

extract() {
	[ -f "$TREE/Makefile" ] && return
	[ -f "$SRC_DEB" ] || die "no $SRC_DEB (apt-get download linux-source-6.12 from trixie)"
	mkdir -p "$WORK"
	log "extracting $(basename "$SRC_DEB") into $TREE"
	extract_linux_source "$SRC_DEB" "$TREE" 1
}

configure() {
	config_fragment >"$WORK/sanitizers.config"
	make -C "$TREE" -s ARCH=x86_64 allnoconfig
	"$TREE/scripts/kconfig/merge_config.sh" -m -O "$TREE" "$TREE/.config" "$WORK/sanitizers.config" >/dev/null
	make -C "$TREE" -s ARCH=x86_64 olddefconfig
	# every option of the fragment must have survived olddefconfig
	local line bad=0
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*) grep -qx "$line" "$TREE/.config" || { log "not set as asked: $line"; bad=1; } ;;
		"# CONFIG_"*) grep -qx "$line" "$TREE/.config" || { log "not unset as asked: $line"; bad=1; } ;;
		esac
	done <"$WORK/sanitizers.config"
	[ $bad = 0 ] || die "config fragment not applied (see above)"
}

ensure_host_tools() {
	local pkgs=() t
	for t in bc bison flex cpio; do command -v $t >/dev/null || pkgs+=($t); done
	dpkg -s libelf-dev >/dev/null 2>&1 || pkgs+=(libelf-dev)
	dpkg -s libssl-dev >/dev/null 2>&1 || pkgs+=(libssl-dev)
	[ ${#pkgs[@]} = 0 ] || { log "installing ${pkgs[*]}"; apt-get install -y "${pkgs[@]}"; }
}

build() {
	local t0=$SECONDS
	make -C "$TREE" -s ARCH=x86_64 -j"$JOBS" bzImage modules
	rm -rf "$MODS" && mkdir -p "$MODS"
	make -C "$TREE" -s ARCH=x86_64 INSTALL_MOD_PATH="$MODS" modules_install
	# the out-of-tree lockdep/might_sleep trigger
	rm -rf "$WORK/ktriage_lockdep" && mkdir -p "$WORK/ktriage_lockdep"
	cp "$SCRIPT_DIR/ktriage_lockdep.c" "$WORK/ktriage_lockdep/"
	echo 'obj-m := ktriage_lockdep.o' >"$WORK/ktriage_lockdep/Kbuild"
	make -C "$TREE" -s ARCH=x86_64 M="$WORK/ktriage_lockdep" modules
	cp "$WORK/ktriage_lockdep/ktriage_lockdep.ko" "$MODS/"
	cp "$TREE/.config" "$MODS/config"
	# what the tree was built from (capture-info.txt quotes it)
	echo "Debian $(dpkg-deb -f "$SRC_DEB" Package) $(dpkg-deb -f "$SRC_DEB" Version) (unmodified), $(gcc --version | head -n1)" >"$MODS/source"
	log "built $(make -C "$TREE" -s kernelrelease) in $((SECONDS - t0)) s"
}

ensure_host_tools
extract
configure
[ "${1:-}" = --config ] && exit 0
build
