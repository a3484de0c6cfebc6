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
# kmemleak-test) and the tiny out-of-tree modules ktriage_lockdep.ko and
# ktriage_irq.ko (scripts/capture/ktriage_lockdep.c, ktriage_irq.c).
#
# A second configuration, KTRIAGE_SANITIZER_SET=kcsan, builds the same source
# with KCSAN (the data-race detector) and its KUnit test (kcsan_test.ko)
# instead: KCSAN cannot be enabled together with KASAN (Kconfig: KCSAN depends
# on !KASAN), so it needs a kernel of its own. It is built in a separate work
# directory, so the default build stays as it is.
#
# Usage:
#   scripts/capture/build-sanitizer-kernel.sh            # extract + configure + build
#   scripts/capture/build-sanitizer-kernel.sh --config   # only write .config
#   KTRIAGE_SANITIZER_SET=kcsan scripts/capture/build-sanitizer-kernel.sh   # the KCSAN kernel
#
# Result (KTRIAGE_KERNEL_BUILD points here; <work> is <cache>/sanitizers for the
# default set, <cache>/sanitizers-kcsan for kcsan):
#   <work>/linux-6.12.117/                 the source + build tree
#   <work>/linux-6.12.117/arch/x86/boot/bzImage
#   <work>/modules/lib/modules/<krel>/...  modules_install output
#   <work>/modules/ktriage_lockdep.ko      (default set only)
#   <work>/modules/ktriage_irq.ko          (default set only)
#   <work>/modules/set                     the set's name (capture-lkdtm.sh reads it)
#
# Environment:
#   KTRIAGE_CAPTURE_CACHE  cache dir (default: <repo>/../capture-cache)
#   KTRIAGE_LINUX_SOURCE   linux-source-6.12 .deb (default: <cache>/common/linux-source-6.12_6.12.117-1_all.deb)
#   KTRIAGE_JOBS           make -j (default: nproc)
#   KTRIAGE_SANITIZER_SET  sanitizers (default: KASAN, UBSAN, KFENCE, lockdep,
#                          kmemleak) or kcsan (KCSAN, no KASAN)
#
# Config: `make allnoconfig` (ARCH=x86_64) + the set's fragment (a common part
# and the set's checkers, see config_fragment), then `make olddefconfig`; the
# script checks that every fragment option survived.
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
JOBS=${KTRIAGE_JOBS:-$(nproc)}
SET=${KTRIAGE_SANITIZER_SET:-sanitizers}

log() { printf '[build] %s\n' "$*" >&2; }
die() { printf '[build] ERROR: %s\n' "$*" >&2; exit 1; }

# Per-set settings: WORK (work directory, TREE and MODS in it) and OOT_MODULES
# (out-of-tree trigger modules of scripts/capture/ built against the tree).
set_settings() {
	case "$1" in
	sanitizers) WORK=$CACHE/sanitizers OOT_MODULES=(ktriage_lockdep ktriage_irq) ;;
	kcsan) WORK=$CACHE/sanitizers-kcsan OOT_MODULES=() ;;
	*) die "unknown KTRIAGE_SANITIZER_SET '$1' (sanitizers, kcsan)" ;;
	esac
	TREE=$WORK/linux-6.12.117
	MODS=$WORK/modules
}

# The configuration fragment of set $1 (applied on top of allnoconfig): the
# common part, then the set's checkers and test modules.
config_fragment() {
	config_common
	"config_$1"
}

config_common() {
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
# kasan_test, kfence_test and kcsan_test need tracepoints (TRACING); no function tracer
CONFIG_FTRACE=y
CONFIG_ENABLE_DEFAULT_TRACERS=y
# CONFIG_FUNCTION_TRACER is not set
EOF
}

config_sanitizers() {
	cat <<'EOF'
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

# KCSAN excludes KASAN; lockdep, KFENCE, UBSAN and kmemleak are left out as
# well, so that every report of this kernel is a KCSAN one. kcsan_test keeps 2
# CPUs free for other tasks on a PREEMPT_NONE kernel (it then wants 4 online
# CPUs and runs nothing under -smp 2); on a preemptible kernel 2 CPUs are
# enough, hence PREEMPT. kcsan_test selects TORTURE_TEST (no prompt), which
# then comes as the module torture.ko that kcsan_test.ko depends on.
config_kcsan() {
	cat <<'EOF'
# --- the checker
CONFIG_PREEMPT=y
CONFIG_KCSAN=y
CONFIG_KUNIT=y
CONFIG_KCSAN_KUNIT_TEST=m
# CONFIG_KASAN is not set
# CONFIG_PROVE_LOCKING is not set
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
	local frag=$WORK/$SET.config
	config_fragment "$SET" >"$frag"
	make -C "$TREE" -s ARCH=x86_64 allnoconfig
	"$TREE/scripts/kconfig/merge_config.sh" -m -O "$TREE" "$TREE/.config" "$frag" >/dev/null
	make -C "$TREE" -s ARCH=x86_64 olddefconfig
	# every option of the fragment must have survived olddefconfig
	local line bad=0
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*) grep -qx "$line" "$TREE/.config" || { log "not set as asked: $line"; bad=1; } ;;
		"# CONFIG_"*) grep -qx "$line" "$TREE/.config" || { log "not unset as asked: $line"; bad=1; } ;;
		esac
	done <"$frag"
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
	local t0=$SECONDS m
	make -C "$TREE" -s ARCH=x86_64 -j"$JOBS" bzImage modules
	rm -rf "$MODS" && mkdir -p "$MODS"
	make -C "$TREE" -s ARCH=x86_64 INSTALL_MOD_PATH="$MODS" modules_install
	# the set's out-of-tree triggers (default set: the lockdep/might_sleep one)
	for m in "${OOT_MODULES[@]}"; do
		rm -rf "${WORK:?}/$m" && mkdir -p "$WORK/$m"
		cp "$SCRIPT_DIR/$m.c" "$WORK/$m/"
		echo "obj-m := $m.o" >"$WORK/$m/Kbuild"
		make -C "$TREE" -s ARCH=x86_64 M="$WORK/$m" modules
		cp "$WORK/$m/$m.ko" "$MODS/"
	done
	cp "$TREE/.config" "$MODS/config"
	echo "$SET" >"$MODS/set"
	# what the tree was built from (capture-info.txt quotes it)
	echo "Debian $(dpkg-deb -f "$SRC_DEB" Package) $(dpkg-deb -f "$SRC_DEB" Version) (unmodified), $(gcc --version | head -n1)" >"$MODS/source"
	log "built $(make -C "$TREE" -s kernelrelease) in $((SECONDS - t0)) s"
}

set_settings "$SET"
ensure_host_tools
extract
configure
[ "${1:-}" = --config ] && exit 0
build
