#!/usr/bin/env bash
# capture-lkdtm.sh - capture REAL kernel crash output for ktriage's test fixtures.
#
# Boots an unmodified Debian kernel under QEMU (software emulation, TCG) with a
# tiny busybox initramfs, loads the kernel's own crash-test module (lkdtm),
# provokes ONE crash type per boot through
#   echo TYPE > /sys/kernel/debug/provoke-crash/DIRECT
# and records the raw serial console bytes exactly as QEMU prints them.
#
# Usage:
#   scripts/capture/capture-lkdtm.sh ARCH [TYPE[+VARIANT]...]
#   scripts/capture/capture-lkdtm.sh ARCH --list     # print the lkdtm types the guest offers
#   scripts/capture/capture-lkdtm.sh ARCH --prepare  # only download, build lkdtm.ko, initramfs
#   KTRIAGE_SUITE=trixie scripts/capture/capture-lkdtm.sh amd64   # amd64 on Debian 13, linux 6.12
#   KTRIAGE_KERNEL_BUILD=<cache>/sanitizers scripts/capture/capture-lkdtm.sh amd64 [TYPE...]
#            a SELF-BUILT kernel with KASAN/UBSAN/KFENCE/lockdep/kmemleak instead
#            of a Debian one (build it with build-sanitizer-kernel.sh); output
#            in fixtures/captured/amd64-sanitizers/. TYPE may then also be one
#            of the non-lkdtm triggers (lower case, see sanitizer_types).
#   KTRIAGE_KERNEL_BUILD=<cache>/sanitizers-kcsan scripts/capture/capture-lkdtm.sh amd64 [TYPE...]
#            the same with the KCSAN kernel (KTRIAGE_SANITIZER_SET=kcsan
#            build-sanitizer-kernel.sh); output in fixtures/captured/amd64-kcsan/.
#
#   ARCH     amd64 | arm64 | armhf | ppc64el | s390x   (Debian 12 bookworm, linux 6.1)
#            riscv64                                   (Debian 13 trixie, linux 6.12:
#                                                      bookworm has no riscv64 port)
#            KTRIAGE_SUITE=trixie moves a bookworm ARCH to trixie (linux 6.12);
#            tried with amd64, arm64, armhf, ppc64el and s390x.
#   TYPE     an lkdtm crash type (WARNING, BUG, EXCEPTION, ...). Default: the
#            curated list for ARCH (see default_types below).
#   VARIANT  optional, changes the boot for that capture (see variant_settings):
#              +kmsg          also dump /dev/kmsg records and `dmesg -r` output
#              +slub_debug    boot with slub_debug=FZPU
#              +panic_on_warn boot with panic_on_warn=1
#              +hash_mmu      ppc64el only: boot with disable_radix (hash MMU)
#
# Output (in the repository):
#   fixtures/captured/ARCH/TYPE[+VARIANT].log    trimmed serial console bytes
#   fixtures/captured/ARCH/TYPE+kmsg.kmsg        raw /dev/kmsg records (kmsg variant)
#   fixtures/captured/ARCH/TYPE+kmsg.dmesg-r     `dmesg -r` output (kmsg variant)
#   fixtures/captured/ARCH/summary.tsv           outcome + first crash header line per capture
#   fixtures/captured/ARCH/capture-info.txt      packages, versions, qemu command line
# With KTRIAGE_SUITE set to another suite than ARCH's default, the directory
# is ARCH-KSERIES instead (fixtures/captured/amd64-6.12/...), so the default
# captures of ARCH are not overwritten.
# Everything else (downloaded .debs, extracted kernels, the built module, the
# untrimmed logs) lives in the cache directory OUTSIDE the repository.
#
# Environment:
#   KTRIAGE_CAPTURE_CACHE  cache dir (default: <repo>/../capture-cache)
#   KTRIAGE_CAPTURE_OUT    output root (default: <repo>/fixtures/captured)
#   KTRIAGE_SUITE          Debian suite for ARCH: bookworm (default; riscv64: trixie)
#                          or trixie (linux 6.12; output in ARCH-6.12, cache in
#                          <cache>/ARCH-trixie)
#   KTRIAGE_KERNEL_ABI     Debian kernel ABI to use, e.g. 6.1.0-50 (default: what
#                          the linux-image-FLAVOUR meta package currently depends on)
#   KTRIAGE_HEAD_LINES     kernel lines kept from the start of the boot (default 40)
#   KTRIAGE_BEFORE_LINES   lines kept before the trigger marker (default 30)
#   KTRIAGE_NO_TRIM=1      keep the whole console log (no trimming)
#   KTRIAGE_KERNEL_BUILD   directory written by build-sanitizer-kernel.sh (its
#                          linux-*/arch/x86/boot/bzImage, modules/): boot that
#                          self-built kernel, amd64 only; output in amd64-SET,
#                          cache in <cache>/amd64-SET, where SET is the build's
#                          configuration (modules/set: sanitizers, the default
#                          when the file is missing, or kcsan)
#
# Why the lkdtm module is BUILT here: Debian's kernels are compiled with
# "# CONFIG_LKDTM is not set", so no lkdtm.ko ships in linux-image-*. The script
# therefore builds lkdtm.ko out of tree from the SAME Debian source release
# (linux-source-6.1 drivers/misc/lkdtm; linux-source-6.12 for trixie) against
# the matching linux-headers-ABI-FLAVOUR package (cross-compiling for foreign
# architectures with Debian's gcc-12-<triplet> cross compilers). The kernel that
# crashes is the unmodified Debian binary; the module is out of tree and not
# signed, so every splat carries the taint flags "O" and "E" - as real reports
# with out-of-tree modules do.
#
# riscv64 (and amd64/arm64 with KTRIAGE_SUITE=trixie) comes from Debian 13
# (trixie) while the host is Debian 12: its packages are fetched with a PRIVATE apt
# configuration in the cache directory (APT_OPTS, see suite_settings: the
# host's apt sources and dpkg are not touched, nothing from trixie is
# installed), and the trixie host tools that need a newer glibc than
# bookworm's (modpost; objtool for amd64) are rebuilt from linux-source-6.12
# with the host gcc (see fix_host_tools, fix_objtool).
#
# Requirements: root (apt-get download of foreign architectures needs
# `dpkg --add-architecture`, which this script does), network access to the
# Debian archive, and the host packages listed in ensure_host_tools (installed
# automatically with apt-get when missing). This script is NOT run in CI; it is
# a tool to regenerate fixtures. It runs one QEMU at a time.

set -euo pipefail

# --------------------------------------------------------------------------
# Paths and knobs
# --------------------------------------------------------------------------
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
# shellcheck source=linux-source.sh
. "$SCRIPT_DIR/linux-source.sh"
CACHE=${KTRIAGE_CAPTURE_CACHE:-$(dirname "$REPO_ROOT")/capture-cache}
OUT_ROOT=${KTRIAGE_CAPTURE_OUT:-$REPO_ROOT/fixtures/captured}
HEAD_LINES=${KTRIAGE_HEAD_LINES:-40}
BEFORE_LINES=${KTRIAGE_BEFORE_LINES:-30}
HOST_ARCH=$(dpkg --print-architecture)
# SRC_PKG (Debian source package holding drivers/misc/lkdtm) and KBUILD_PKG
# (host tools fixdep, modpost used by the headers) depend on the Debian suite
# of the architecture: see suite_settings.

log() { printf '[capture] %s\n' "$*" >&2; }
die() { printf '[capture] ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
	sed -n '2,/^$/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
	exit "${1:-0}"
}

# --------------------------------------------------------------------------
# Per-architecture settings
# --------------------------------------------------------------------------
# Sets: FLAVOUR (Debian kernel flavour), GNU_TYPE (cross triplet), QEMU_PKG,
# QEMU_BIN, QEMU_MACHINE (array), CONSOLE (kernel console=), KERNEL_GLOB
# (file inside the linux-image package to pass to -kernel), SUITE (Debian
# release the kernel, headers, lkdtm source and busybox come from),
# ARCH_CACHE (cache subdirectory) and OUT_NAME (output subdirectory).
arch_settings() {
	# BOOT_BUDGET: seconds allowed for boot + power-off on top of the wait
	# (TCG speed differs a lot between targets).
	BOOT_BUDGET=${KTRIAGE_BOOT_BUDGET:-}
	# The host's own release (bookworm, through the host's apt sources)
	# unless the architecture says otherwise.
	SUITE=bookworm
	case "$1" in
	amd64)
		: "${BOOT_BUDGET:=60}"
		FLAVOUR=amd64 GNU_TYPE=x86_64-linux-gnu
		QEMU_PKG=qemu-system-x86 QEMU_BIN=qemu-system-x86_64
		# -cpu max: TCG's richest x86 model (SMEP/SMAP/NX, so the EXEC_*/
		# ACCESS_USERSPACE tests hit real protections); la57 off keeps the
		# usual 4-level paging address layout.
		# shellcheck disable=SC2054 # commas belong to the -cpu value
		QEMU_MACHINE=(-M pc -cpu max,la57=off)
		CONSOLE=ttyS0 KERNEL_GLOB='boot/vmlinuz-*' ;;
	arm64)
		: "${BOOT_BUDGET:=120}"
		FLAVOUR=arm64 GNU_TYPE=aarch64-linux-gnu
		QEMU_PKG=qemu-system-arm QEMU_BIN=qemu-system-aarch64
		# pauth-impdef: cheap-to-emulate pointer authentication (the
		# architected QARMA algorithm is very slow under TCG).
		# shellcheck disable=SC2054 # commas belong to the -cpu value
		QEMU_MACHINE=(-M virt -cpu max,pauth-impdef=on)
		CONSOLE=ttyAMA0 KERNEL_GLOB='boot/vmlinuz-*' ;;
	armhf)
		: "${BOOT_BUDGET:=90}"
		FLAVOUR=armmp GNU_TYPE=arm-linux-gnueabihf
		QEMU_PKG=qemu-system-arm QEMU_BIN=qemu-system-arm
		QEMU_MACHINE=(-M virt -cpu cortex-a15)
		CONSOLE=ttyAMA0 KERNEL_GLOB='boot/vmlinuz-*' ;;
	ppc64el)
		: "${BOOT_BUDGET:=90}"
		FLAVOUR=powerpc64le GNU_TYPE=powerpc64le-linux-gnu
		QEMU_PKG=qemu-system-ppc QEMU_BIN=qemu-system-ppc64
		QEMU_MACHINE=(-M pseries -cpu power9)
		CONSOLE=hvc0 KERNEL_GLOB='boot/vmlinux-*' ;;
	s390x)
		: "${BOOT_BUDGET:=90}"
		FLAVOUR=s390x GNU_TYPE=s390x-linux-gnu
		QEMU_PKG=qemu-system-misc QEMU_BIN=qemu-system-s390x
		QEMU_MACHINE=(-M s390-ccw-virtio -cpu max)
		CONSOLE=ttysclp0 KERNEL_GLOB='boot/vmlinuz-*' ;;
	riscv64)
		: "${BOOT_BUDGET:=120}"
		# Debian 12 has no riscv64 port; Debian 13 (trixie) has an
		# official one, so kernel 6.12 instead of 6.1 here.
		SUITE=trixie
		FLAVOUR=riscv64 GNU_TYPE=riscv64-linux-gnu
		QEMU_PKG=qemu-system-misc QEMU_BIN=qemu-system-riscv64
		# -bios default: the OpenSBI firmware bundled with QEMU
		# (qemu-system-data) runs in M-mode and starts the kernel in
		# S-mode; Debian's riscv64 kernel is an Image (with an EFI stub
		# header), which QEMU loads directly. Default CPU (rv64, RVGC).
		QEMU_MACHINE=(-M virt -bios default)
		# The riscv64 package ships the Image as /boot/vmlinux-*.
		CONSOLE=ttyS0 KERNEL_GLOB='boot/vmlinux-*' ;;
	*) die "unknown arch '$1' (amd64 arm64 armhf ppc64el s390x riscv64)" ;;
	esac
	# KTRIAGE_SUITE picks another Debian release for this arch (e.g. amd64
	# on trixie's 6.12: what most x86-64 users run today). Only moving up to
	# trixie is supported (riscv64 has no bookworm port).
	DEFAULT_SUITE=$SUITE
	case "${KTRIAGE_SUITE:-$SUITE}" in
	"$SUITE") ;;
	trixie) SUITE=trixie ;;
	*) die "KTRIAGE_SUITE=$KTRIAGE_SUITE is not supported for $1 (supported: $(printf '%s\n' "$SUITE" trixie | sort -u | paste -sd ' '))" ;;
	esac
	suite_settings
	if [ -n "${KTRIAGE_KERNEL_BUILD:-}" ]; then
		[ "$1" = amd64 ] || die "KTRIAGE_KERNEL_BUILD: only amd64 is supported"
		[ -z "${KTRIAGE_SUITE:-}" ] || die "KTRIAGE_KERNEL_BUILD and KTRIAGE_SUITE exclude each other"
		# KASAN + lockdep + kmemleak (or KCSAN) under TCG: boots take ~4x longer.
		BOOT_BUDGET=${KTRIAGE_BOOT_BUDGET:-150}
		# Which configuration of build-sanitizer-kernel.sh (builds from
		# before it had several lack the file: the default set).
		SELF_SET=$(cat "$KTRIAGE_KERNEL_BUILD/modules/set" 2>/dev/null || echo sanitizers)
		case "$SELF_SET" in sanitizers | kcsan) ;; *) die "unknown set '$SELF_SET' in $KTRIAGE_KERNEL_BUILD/modules/set" ;; esac
		SELF_BUILT=1 ARCH_CACHE=$CACHE/$1-$SELF_SET OUT_NAME=$1-$SELF_SET
		return 0
	fi
	SELF_BUILT=
	# Another suite than the arch's default gets its own cache directory
	# (busybox, .debs and raw logs of the same arch would mix) and its own
	# output directory ARCH-KSERIES, so the default captures stay as they are.
	if [ "$SUITE" = "$DEFAULT_SUITE" ]; then
		ARCH_CACHE=$CACHE/$1 OUT_NAME=$1
	else
		ARCH_CACHE=$CACHE/$1-$SUITE OUT_NAME=$1-$KSERIES
	fi
}

# Per-suite settings. Sets: KSERIES (kernel series), SRC_PKG, GCC_CMD (the
# compiler lkdtm.ko is built with), MAKE_EXTRA (array: extra make variables
# for the module build), APT_OPTS (array: apt options selecting the suite).
# KBUILD_PKG is set by resolve_abi (its name contains the ABI on trixie).
suite_settings() {
	if [ "$DEB_ARCH" = "$HOST_ARCH" ]; then GCC_CMD=gcc-12; else GCC_CMD=$GNU_TYPE-gcc-12; fi
	MAKE_EXTRA=() APT_OPTS=()
	case "$SUITE" in
	bookworm)
		KSERIES=6.1 ;;
	trixie)
		KSERIES=6.12
		# The trixie headers' Makefile asks for $(CROSS_COMPILE)gcc-14,
		# which bookworm does not have (trixie's gcc-14, native or cross,
		# needs trixie's glibc). bookworm's gcc-12 (cross or, for amd64,
		# the host's) builds a working module (the headers set
		# DEBIAN_KERNEL_NO_CC_VERSION_CHECK; no flag of the 6.12 riscv64
		# config needs gcc > 12, amd64 and arm64 need one override below).
		MAKE_EXTRA+=(CC="$GCC_CMD")
		# The trixie headers ship a BTF-only vmlinux, so with
		# CONFIG_DEBUG_INFO_BTF_MODULES=y kbuild runs pahole and
		# resolve_btfids on the module; the first is not installed, the
		# second needs glibc 2.38. BTF only matters to BPF: build without it.
		MAKE_EXTRA+=(CONFIG_DEBUG_INFO_BTF_MODULES=)
		# amd64 (CONFIG_FUNCTION_ALIGNMENT=16), arm64 (=8, for
		# DYNAMIC_FTRACE_WITH_CALL_OPS), ppc64el (=4) and s390x (=8): the
		# gcc-14 config has CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT=y, whose
		# -fmin-function-alignment gcc-12 does not know; unset, the top
		# Makefile uses its own fallback for older compilers, -falign-functions=N.
		# (armhf: =0, so the Makefile adds neither flag; nothing to unset.)
		case "$DEB_ARCH" in amd64 | arm64 | ppc64el | s390x) MAKE_EXTRA+=(CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT=) ;; esac
		# arm64 (DYNAMIC_FTRACE_WITH_CALL_OPS) needs every patch site
		# 8-byte aligned, which -falign-functions does not give cold
		# functions (.text.unlikely): insmod WARNs "Misaligned patch-site"
		# and BUGs in patching.c. Build lkdtm without the ftrace
		# patch sites (-fpatchable-function-entry): its functions are not
		# traceable and their +offsets lose the two entry NOPs.
		# ppc64el (-fpatchable-function-entry=2 too): gcc-12 puts the NOPs
		# before the global entry point (TOC setup), gcc >= 13 after the
		# local one, where ftrace patches (the kernel's
		# gcc-check-fpatchable-function-entry.sh rejects gcc-12): lkdtm's
		# init then runs patched-over code and oopses in find_crashtype.
		case "$DEB_ARCH" in arm64 | ppc64el) MAKE_EXTRA+=(CC_FLAGS_FTRACE=) ;; esac
		# Private apt configuration: the trixie archive for the host
		# architecture (linux-kbuild is a host package) and ARCH, with
		# its own lists and an empty dpkg status, so that nothing of the
		# host's apt state is read or changed.
		local a=$CACHE/apt-$SUITE
		APT_DIR=$a
		APT_OPTS=(-o "Dir::Etc::SourceList=$a/sources.list" -o Dir::Etc::SourceParts=-
			-o "Dir::Etc::Preferences=$a/preferences" -o "Dir::Etc::PreferencesParts=$a/preferences.d"
			-o "Dir::State::Lists=$a/lists" -o "Dir::State::Status=$a/status"
			-o "Dir::Cache=$a/cache" -o "APT::Architecture=$HOST_ARCH"
			-o "APT::Architectures::=$HOST_ARCH" -o "APT::Architectures::=$DEB_ARCH") ;;
	esac
	SRC_PKG=linux-source-$KSERIES
}

# The curated default list per architecture: the types that produce a splat
# on a Debian 6.1 kernel, plus ARRAY_BOUNDS as a "no crash" sample (Debian
# has no UBSAN, lkdtm just prints FAIL). See fixtures/captured/README.md for
# what else was tried and why it is not in the list. riscv64 (6.12) and
# amd64/arm64 on trixie (6.12) run the same lists.
default_types() {
	local full=(
		WARNING WARNING_MESSAGE WARNING+panic_on_warn BUG EXCEPTION PANIC
		CORRUPT_LIST_ADD CORRUPT_LIST_DEL
		REFCOUNT_INC_OVERFLOW REFCOUNT_DEC_ZERO REFCOUNT_INC_ZERO
		SOFTLOCKUP HARDLOCKUP SPINLOCKUP HUNG_TASK
		EXHAUST_STACK STACK_GUARD_PAGE_LEADING STACK_GUARD_PAGE_TRAILING
		CORRUPT_STACK CORRUPT_STACK_STRONG
		ACCESS_NULL ACCESS_USERSPACE EXEC_DATA EXEC_NULL EXEC_USERSPACE
		WRITE_RO WRITE_KERN
		SLAB_FREE_DOUBLE SLAB_FREE_DOUBLE+slub_debug SLAB_FREE_CROSS SLAB_FREE_PAGE
		SLAB_LINEAR_OVERFLOW+slub_debug VMALLOC_LINEAR_OVERFLOW
		USERCOPY_SLAB_SIZE_TO USERCOPY_SLAB_WHITELIST_FROM
		USERCOPY_STACK_FRAME_FROM USERCOPY_KERNEL
		FORTIFY_STR_OBJECT FORTIFY_MEM_MEMBER
		ARRAY_BOUNDS
	)
	case "$1" in
	amd64) printf '%s\n' "${full[@]}" WARNING+kmsg ;;
	arm64) printf '%s\n' "${full[@]}" CORRUPT_PAC ;;
	# (ppc64el PPC_SLB_MULTIHIT+hash_mmu runs, but TCG does not raise the
	# machine check, so lkdtm just reports "Recovered": not in the list.)
	*) printf '%s\n' "${full[@]}" ;;
	esac
}

# The self-built sanitizer kernel (KTRIAGE_KERNEL_BUILD): lkdtm types that
# a checker reports on that kernel, then the non-lkdtm triggers (lower case;
# /init runs them instead of writing to provoke-crash/DIRECT):
#   kasan_test        KASAN's KUnit suite, one insmod per case of KASAN_CASES
#                     (kunit's filter_glob is set before each load), so the
#                     log has a chosen handful of the 72 cases
#   kfence_test       the same for KFENCE's KUnit suite (KFENCE_CASES)
#   test_ubsan        insmod test_ubsan.ko (all of its UBSAN reports)
#   lockdep_circular  insmod ktriage_lockdep.ko mode=circular (mutex A->B, B->A)
#   lockdep_recursive ... mode=recursive (two mutexes of one lock class)
#   lockdep_unlock    ... mode=unlock (mutex_unlock of a mutex not held)
#   lockdep_softirq   ... mode=softirq (spinlock with softirqs on, then in a timer)
#   sleep_in_atomic   insmod ktriage_lockdep.ko mode=sleep (GFP_KERNEL under a spinlock)
#   kmemleak          insmod kmemleak-test.ko, wait, scan, cat /sys/kernel/debug/kmemleak
#   irq_nobody_cared  insmod ktriage_irq.ko mode=nobody_cared (a software interrupt no
#                     handler claims, raised 100000 times: "irq N: nobody cared")
#   irq_bogus         insmod ktriage_irq.ko mode=bogus ("irq event N: bogus return value")
# The KCSAN kernel (set kcsan) has no checker lkdtm could trigger; its list is
#   kcsan_test        KCSAN's KUnit suite, one insmod per case of KCSAN_CASES
#                     (torture.ko, which it needs, is loaded first)
sanitizer_types() {
	case "$SELF_SET" in
	kcsan) printf '%s\n' kcsan_test ;;
	*) printf '%s\n' READ_AFTER_FREE WRITE_AFTER_FREE READ_BUDDY_AFTER_FREE WRITE_BUDDY_AFTER_FREE \
		SLAB_FREE_DOUBLE SLAB_FREE_CROSS SLAB_FREE_PAGE SLAB_LINEAR_OVERFLOW \
		VMALLOC_LINEAR_OVERFLOW KFENCE_READ_AFTER_FREE ARRAY_BOUNDS SPINLOCKUP HUNG_TASK \
		kasan_test test_ubsan lockdep_circular lockdep_recursive lockdep_unlock lockdep_softirq \
		sleep_in_atomic kmemleak kfence_test irq_nobody_cared irq_bogus ;;
	esac
}
KASAN_CASES=kmalloc_oob_right,kmalloc_oob_left,kmalloc_uaf,kmalloc_large_uaf,kmalloc_double_kzfree,kmem_cache_invalid_free,page_alloc_oob_right,krealloc_uaf,kasan_global_oob_right,kasan_stack_oob,kasan_alloca_oob_left,vmalloc_oob,kasan_memchr,rcu_uaf,workqueue_uaf
KFENCE_CASES=test_out_of_bounds_read,test_use_after_free_read,test_double_free,test_invalid_addr_free,test_corruption,test_invalid_access
# a plain read/write race, a read-modify-write race, a race of unknown origin,
# a write/write race, and two assertions (ASSERT_EXCLUSIVE_WRITER, _BITS)
KCSAN_CASES=test_basic,test_concurrent_races,test_unknown_origin,test_write_write_struct,test_assert_exclusive_writer,test_assert_exclusive_bits_change

# Per-type guest behaviour. Sets WAIT (seconds the guest waits after the
# trigger before powering off) and QEMU_TIMEOUT (hard limit for the boot).
type_settings() {
	WAIT=3 TYPE_CMDLINE=
	case "$1" in
	HUNG_TASK) WAIT=14 ;;  # /init sets hung_task_timeout_secs=5
	kasan_test) WAIT=5 TYPE_CMDLINE="ktriage.suite=kasan ktriage.cases=$KASAN_CASES" ;;
	kfence_test) WAIT=5 TYPE_CMDLINE="ktriage.suite=kfence ktriage.cases=$KFENCE_CASES" ;;
	kcsan_test) WAIT=5 TYPE_CMDLINE="ktriage.suite=kcsan ktriage.cases=$KCSAN_CASES" ;;
	kmemleak) WAIT=1 ;;  # /init waits for the objects to age and scans first
	SOFTLOCKUP | SPINLOCKUP | HARDLOCKUP)
		# /init sets watchdog_thresh=5: soft lockup after ~10s; the RCU
		# stall detector (CONFIG_RCU_CPU_STALL_TIMEOUT=21) fires at ~21s.
		WAIT=26 ;;
	esac
	QEMU_TIMEOUT=$((WAIT + BOOT_BUDGET))
	# HARDLOCKUP leaves a CPU spinning with interrupts off: power-off then
	# hangs, so the timeout always ends the run. Do not wait longer than needed.
	[ "$1" = HARDLOCKUP ] && QEMU_TIMEOUT=$((WAIT + BOOT_BUDGET / 2))
	return 0
}

# Extra kernel command line for a variant.
variant_settings() {
	VARIANT_CMDLINE=
	case "$1" in
	'') ;;
	kmsg) VARIANT_CMDLINE='ktriage.kmsg=1' ;;
	slub_debug) VARIANT_CMDLINE='slub_debug=FZPU' ;;
	panic_on_warn) VARIANT_CMDLINE='panic_on_warn=1' ;;
	hash_mmu) VARIANT_CMDLINE='disable_radix' ;;  # ppc64el: hash MMU (for PPC_SLB_MULTIHIT)
	*) die "unknown variant '+$1'" ;;
	esac
}

# --------------------------------------------------------------------------
# Host preparation
# --------------------------------------------------------------------------
ensure_host_tools() {
	local pkgs=() gcc_pkg=gcc-12
	[ "$DEB_ARCH" != "$HOST_ARCH" ] && gcc_pkg=gcc-12-$GNU_TYPE
	command -v "$QEMU_BIN" >/dev/null || pkgs+=("$QEMU_PKG")
	command -v cpio >/dev/null || pkgs+=(cpio)
	command -v make >/dev/null || pkgs+=(make)
	command -v timeout >/dev/null || pkgs+=(coreutils)
	command -v modinfo >/dev/null || pkgs+=(kmod)
	command -v "${GCC_CMD}" >/dev/null || pkgs+=("$gcc_pkg")
	# libelf etc. are not needed: objtool/modpost come prebuilt in linux-kbuild
	# (except trixie's modpost, rebuilt by fix_host_tools with plain gcc, and
	# trixie's x86 objtool, rebuilt there too: that one links libelf).
	if [ "$SUITE" != bookworm ] && [ "$DEB_ARCH" = amd64 ] && [ ! -f /usr/include/gelf.h ]; then
		pkgs+=(libelf-dev)
	fi
	if [ "${#pkgs[@]}" -gt 0 ]; then
		log "installing host packages: ${pkgs[*]}"
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${pkgs[@]}" >&2
	fi
	if [ "$SUITE" != bookworm ]; then
		ensure_private_apt
		return 0
	fi
	local foreign
	foreign=$(dpkg --print-foreign-architectures)
	if [ "$DEB_ARCH" != "$HOST_ARCH" ] && ! grep -qx "$DEB_ARCH" <<<"$foreign"; then
		log "enabling dpkg architecture $DEB_ARCH (apt-get update follows)"
		dpkg --add-architecture "$DEB_ARCH"
		# A partial failure (e.g. a mirror sync in progress for one index)
		# is not fatal: only the main archive's indexes are needed.
		apt-get update >&2 || log "warning: apt-get update reported errors"
	fi
}

# The private apt configuration of a non-host suite (APT_OPTS): sources for
# the suite and its security updates, signed by the keys in bookworm's
# debian-archive-keyring (which has the trixie keys). Lists are refreshed
# when missing or older than a day. As for the host's apt-get update, a
# partial failure is not fatal (trixie-security's riscv64 index is sometimes
# caught mid-sync): the main archive's indexes are what is needed.
ensure_private_apt() {
	local a=$APT_DIR k=/usr/share/keyrings/debian-archive-keyring.gpg
	mkdir -p "$a/lists/partial" "$a/cache/archives/partial" "$a/preferences.d"
	[ -f "$a/status" ] || : >"$a/status"
	cat >"$a/sources.list" <<-EOF
		deb [arch=$HOST_ARCH,$DEB_ARCH signed-by=$k] http://deb.debian.org/debian $SUITE main
		deb [arch=$HOST_ARCH,$DEB_ARCH signed-by=$k] http://deb.debian.org/debian-security $SUITE-security main
	EOF
	if [ -z "$(find "$a/lists" -maxdepth 1 -name "*_dists_${SUITE}_main_binary-${DEB_ARCH}_Packages*" -mtime -1)" ]; then
		log "apt-get update of the private $SUITE configuration ($a)"
		apt-get "${APT_OPTS[@]}" update >&2 || log "warning: apt-get update ($SUITE) reported errors"
	fi
}

# apt-get download PKG into DIR unless a matching .deb is already there.
# Prints the path of the .deb.
fetch_deb() { # DIR PKG[:ARCH]
	local dir=$1 pkg=$2 name=${2%%:*} a deb
	a=${pkg#*:}; [ "$a" = "$pkg" ] && a=
	mkdir -p "$dir"
	deb=$(find "$dir" -maxdepth 1 -name "${name}_*${a:+_$a}.deb" -o -maxdepth 1 -name "${name}_*_all.deb" | sort -V | tail -n1)
	if [ -z "$deb" ]; then
		log "downloading $pkg"
		(cd "$dir" && apt-get "${APT_OPTS[@]}" download "$pkg") >&2 || die "apt-get download $pkg failed"
		deb=$(find "$dir" -maxdepth 1 -name "${name}_*.deb" | sort -V | tail -n1)
	fi
	printf '%s\n' "$deb"
}

deb_version() { dpkg-deb -f "$1" Version; }

resolve_abi() {
	if [ -n "${KTRIAGE_KERNEL_ABI:-}" ]; then
		ABI=$KTRIAGE_KERNEL_ABI
	else
		# linux-image-amd64 -> Depends: linux-image-6.1.0-50-amd64
		# (trixie: linux-image-riscv64 -> linux-image-6.12.117+deb13-riscv64)
		ABI=$(apt-cache "${APT_OPTS[@]}" depends "linux-image-$FLAVOUR:$DEB_ARCH" 2>/dev/null |
			sed -n "s/.*Depends: linux-image-\([0-9.]*[-+][0-9a-z]*\)-$FLAVOUR\(:$DEB_ARCH\)\{0,1\}\$/\1/p" | head -n1)
		[ -n "$ABI" ] || die "cannot resolve the kernel ABI for linux-image-$FLAVOUR:$DEB_ARCH (run apt-get update, or set KTRIAGE_KERNEL_ABI)"
	fi
	KREL=$ABI-$FLAVOUR
	# bookworm: one linux-kbuild-6.1 for all 6.1 ABIs; trixie: one per ABI.
	case "$SUITE" in
	bookworm) KBUILD_PKG=linux-kbuild-$KSERIES ;;
	*) KBUILD_PKG=linux-kbuild-$ABI ;;
	esac
}

# Download + extract the kernel image, busybox, headers, kbuild and lkdtm source.
prepare_packages() {
	local d=$ARCH_CACHE common=$CACHE/common
	KERNEL_DEB=$(fetch_deb "$d" "linux-image-$KREL:$DEB_ARCH")
	BUSYBOX_DEB=$(fetch_deb "$d" "busybox-static:$DEB_ARCH")
	HEADERS_DEB=$(fetch_deb "$d" "linux-headers-$KREL:$DEB_ARCH")
	HEADERS_COMMON_DEB=$(fetch_deb "$common" "linux-headers-$ABI-common")
	KBUILD_DEB=$(fetch_deb "$common/$HOST_ARCH" "$KBUILD_PKG:$HOST_ARCH")
	SOURCE_DEB=$(fetch_deb "$common" "$SRC_PKG")

	# Kernel + modules tree, busybox
	KROOT=$d/kernel-$KREL
	if [ ! -d "$KROOT/boot" ]; then
		log "extracting $(basename "$KERNEL_DEB")"
		rm -rf "$KROOT.tmp" && mkdir -p "$KROOT.tmp"
		dpkg-deb -x "$KERNEL_DEB" "$KROOT.tmp" && mv "$KROOT.tmp" "$KROOT"
	fi
	# shellcheck disable=SC2086,SC2012 # KERNEL_GLOB is a glob on purpose
	KERNEL_IMG=$(ls -1 "$KROOT"/$KERNEL_GLOB 2>/dev/null | head -n1)
	[ -n "$KERNEL_IMG" ] || die "no $KERNEL_GLOB in $KERNEL_DEB"
	grep -q '^CONFIG_LKDTM=' "$KROOT/boot/config-$KREL" &&
		log "note: this kernel has CONFIG_LKDTM set; the out-of-tree build is still used"

	# (trixie's busybox-static has /usr/bin/busybox: merged /usr)
	BBROOT=$d/busybox
	if [ ! -x "$BBROOT/bin/busybox" ] && [ ! -x "$BBROOT/usr/bin/busybox" ]; then
		rm -rf "$BBROOT" && mkdir -p "$BBROOT"
		dpkg-deb -x "$BUSYBOX_DEB" "$BBROOT"
	fi
	BUSYBOX_BIN=$BBROOT/bin/busybox
	[ -x "$BUSYBOX_BIN" ] || BUSYBOX_BIN=$BBROOT/usr/bin/busybox

	# Headers sysroot, shared by all arches: <flavour> headers + -common +
	# host kbuild. The Debian headers Makefile includes the -common tree by
	# absolute path (/usr/src/...), so it is rewritten to point into the sysroot.
	SYSROOT=$CACHE/sysroot
	KDIR=$SYSROOT/usr/src/linux-headers-$KREL
	if [ ! -f "$KDIR/.ktriage-ok" ]; then
		log "extracting headers into $SYSROOT"
		mkdir -p "$SYSROOT"
		dpkg-deb -x "$HEADERS_COMMON_DEB" "$SYSROOT"
		dpkg-deb -x "$KBUILD_DEB" "$SYSROOT"
		dpkg-deb -x "$HEADERS_DEB" "$SYSROOT"
		sed -i "s|^include /usr/src/|include $SYSROOT/usr/src/|" "$KDIR/Makefile"
		touch "$KDIR/.ktriage-ok"
	fi

	# lkdtm source from the kernel source tarball (only that directory).
	LKDTM_SRC=$common/lkdtm-src-$(deb_version "$SOURCE_DEB")
	if [ ! -f "$LKDTM_SRC/Makefile" ]; then
		log "extracting drivers/misc/lkdtm from $(basename "$SOURCE_DEB") (takes ~30s)"
		extract_linux_source "$SOURCE_DEB" "$LKDTM_SRC" 4 'drivers/misc/lkdtm/*'
	fi
	fix_host_tools
}

# True when host tool BIN (run with ARG, e.g. its help option) cannot start on
# this host's glibc. The output is captured first: with pipefail, the tool's
# own non-zero exit status would decide a `| grep -q` pipeline.
needs_newer_glibc() { # BIN ARG
	local out
	out=$(LC_ALL=C "$1" "$2" 2>&1 || true)
	grep -q 'GLIBC_[0-9.]*. not found' <<<"$out"
}

# Host tools of linux-kbuild that do not run on this host. trixie's
# linux-kbuild-6.12.* is built against glibc 2.41: fixdep and the modpost
# wrapper run on bookworm's glibc 2.36, but the real modpost
# (scripts/mod/modpost.real-{lsb,msb}-{32,64}, picked by the wrapper from the
# module's ELF class and byte order) needs GLIBC_2.38. It is rebuilt from
# scripts/mod of the same linux-source with the host gcc, using kbuild itself
# (external-module mode against the headers: elfconfig.h and
# devicetable-offsets.h come from the target compiler, as in a kernel build).
# The original is kept as *.debian.
fix_host_tools() {
	local kb real kind src b c
	kb=$(dirname "$(readlink -f "$KDIR/scripts")")
	fix_objtool "$kb"
	# Which real modpost this architecture's modules use.
	c=$("$GCC_CMD" -dM -E - </dev/null)
	case "$c" in *'__BYTE_ORDER__ __ORDER_BIG_ENDIAN__'*) kind=msb ;; *) kind=lsb ;; esac
	case "$c" in *'__SIZEOF_POINTER__ 8'*) kind=$kind-64 ;; *) kind=$kind-32 ;; esac
	real=$kb/scripts/mod/modpost.real-$kind
	[ -x "$real" ] || return 0 # bookworm's linux-kbuild-6.1: one plain modpost
	if ! needs_newer_glibc "$real" -h; then
		[ -f "$real.debian" ] && MODPOST_REBUILT="$(basename "$real") rebuilt from $SRC_PKG scripts/mod with $(gcc --version | head -n1)"
		return 0
	fi
	log "$(basename "$real") from $(basename "$KBUILD_DEB") needs a newer glibc: rebuilding it from $SRC_PKG"
	src=$CACHE/common/modpost-src-$(deb_version "$SOURCE_DEB")
	if [ ! -f "$src/scripts/mod/modpost.c" ]; then
		extract_linux_source "$SOURCE_DEB" "$src" 1 'scripts/mod/*' 'scripts/include/*'
	fi
	# Same layout as the source tree: modpost.c includes
	# ../../include/linux/{license,mod_devicetable,module_symbol}.h, taken
	# from the -common headers of the same release.
	b=$ARCH_CACHE/modpost-build-$KREL
	rm -rf "$b" && mkdir -p "$b/scripts" "$b/include/linux"
	cp -r "$src/scripts/mod" "$src/scripts/include" "$b/scripts/"
	cp "$SYSROOT/usr/src/linux-headers-$ABI-common/include/linux/"{license,mod_devicetable,module_symbol}.h "$b/include/linux/"
	mv "$b/scripts/mod/Makefile" "$b/scripts/mod/Kbuild"
	echo 'HOST_EXTRACFLAGS += -I$(src)/../include' >>"$b/scripts/mod/Kbuild"
	make -C "$KDIR" M="$b/scripts/mod" "${MAKE_EXTRA[@]}" \
		DEB_BUILD_ARCH="$HOST_ARCH" DEB_HOST_ARCH="$DEB_ARCH" DEB_HOST_GNU_TYPE="$GNU_TYPE" \
		>"$b/build.log" 2>&1 || { tail -n 30 "$b/build.log" >&2; die "modpost build failed (see $b/build.log)"; }
	[ -f "$real.debian" ] || mv "$real" "$real.debian"
	cp "$b/scripts/mod/modpost" "$real"
	MODPOST_REBUILT="$(basename "$real") rebuilt from $SRC_PKG scripts/mod with $(gcc --version | head -n1)"
}

# Same problem for objtool, which amd64 modules need (ORC unwind data,
# return/retpoline sites, IBT): trixie's tools/objtool/objtool.real-x86 needs
# GLIBC_2.38 too. Rebuilt from tools/ of the same linux-source with the host
# gcc and libelf (tools/objtool builds standalone); the original is kept as
# *.debian. KBUILD_PKG is per ABI, so this changes only that ABI's kbuild.
fix_objtool() { # KBUILD_DIR
	local real src
	case "$DEB_ARCH" in amd64) real=$1/tools/objtool/objtool.real-x86 ;; *) return 0 ;; esac
	[ -x "$real" ] || return 0 # bookworm's linux-kbuild-6.1: one plain objtool
	if ! needs_newer_glibc "$real" --help; then
		[ -f "$real.debian" ] && OBJTOOL_REBUILT="$(basename "$real") rebuilt from $SRC_PKG tools/objtool with $(gcc --version | head -n1)"
		return 0
	fi
	log "$(basename "$real") from $(basename "$KBUILD_DEB") needs a newer glibc: rebuilding it from $SRC_PKG"
	src=$CACHE/common/objtool-src-$(deb_version "$SOURCE_DEB")
	if [ ! -f "$src/tools/objtool/Makefile" ]; then
		extract_linux_source "$SOURCE_DEB" "$src" 1 'tools/objtool/*' 'tools/lib/*' 'tools/include/*' \
			'tools/arch/x86/*' 'tools/build/*' 'tools/scripts/*'
	fi
	make -C "$src/tools/objtool" -j"$(nproc)" >"$src/build.log" 2>&1 ||
		{ tail -n 30 "$src/build.log" >&2; die "objtool build failed (see $src/build.log)"; }
	[ -f "$real.debian" ] || mv "$real" "$real.debian"
	cp "$src/tools/objtool/objtool" "$real"
	OBJTOOL_REBUILT="$(basename "$real") rebuilt from $SRC_PKG tools/objtool with $(gcc --version | head -n1)"
}

# Build lkdtm.ko out of tree (cross-compiling when needed).
build_lkdtm() {
	local b=$ARCH_CACHE/lkdtm-build-$KREL
	LKDTM_KO=$b/lkdtm.ko
	[ -f "$LKDTM_KO" ] && return 0
	log "building lkdtm.ko for $KREL"
	rm -rf "$b" && cp -r "$LKDTM_SRC" "$b"
	# Debian-kernel-specific source tweak: lkdtm_UNSET_SMEP calls
	# native_write_cr4(), which the kernel only exports when CONFIG_LKDTM is
	# enabled in-tree. Compile that one test out (it then reports XFAIL).
	sed -i '/^static void lkdtm_UNSET_SMEP/,/^#if/ s|^#if IS_ENABLED(CONFIG_X86_64) && !IS_ENABLED(CONFIG_UML)$|#if 0 /* ktriage: native_write_cr4 is not exported by this kernel */|' \
		"$b/bugs.c"
	# -fmacro-prefix-map: make __FILE__ (used in WARNING/BUG "at FILE:LINE")
	# read drivers/misc/lkdtm/bugs.c as in an in-tree build, instead of the
	# absolute path of the cache directory.
	local mk=(make -C "$KDIR" M="$b" CONFIG_LKDTM=m "${MAKE_EXTRA[@]}"
		KCFLAGS="-fmacro-prefix-map=$b/=drivers/misc/lkdtm/"
		DEB_BUILD_ARCH="$HOST_ARCH" DEB_HOST_ARCH="$DEB_ARCH" DEB_HOST_GNU_TYPE="$GNU_TYPE"
		-j"$(nproc)" modules)
	"${mk[@]}" >"$b/build.log" 2>&1 || { tail -n 30 "$b/build.log" >&2; die "lkdtm build failed (see $b/build.log)"; }
	modinfo "$LKDTM_KO" | sed 's/^/[capture]   /' >&2
}

# The self-built kernel of build-sanitizer-kernel.sh (KTRIAGE_KERNEL_BUILD):
# kernel image, lkdtm.ko and the other test modules come from its build
# directory, busybox from the host's Debian release as for the Debian kernels.
prepare_self_built() {
	local b=$KTRIAGE_KERNEL_BUILD m
	SELF_TREE=$(find "$b" -maxdepth 1 -type d -name 'linux-*' | sort | head -n1)
	[ -n "$SELF_TREE" ] && [ -f "$SELF_TREE/arch/x86/boot/bzImage" ] ||
		die "no $b/linux-*/arch/x86/boot/bzImage: run scripts/capture/build-sanitizer-kernel.sh first"
	KERNEL_IMG=$SELF_TREE/arch/x86/boot/bzImage
	KREL=$(cat "$SELF_TREE/include/config/kernel.release")
	local moddir=$b/modules/lib/modules/$KREL/kernel
	LKDTM_KO=$moddir/drivers/misc/lkdtm/lkdtm.ko
	case "$SELF_SET" in
	kcsan) EXTRA_KOS=("$moddir/kernel/kcsan/kcsan_test.ko" "$moddir/kernel/torture.ko") ;;
	*) EXTRA_KOS=("$moddir/mm/kasan/kasan_test.ko" "$moddir/mm/kfence/kfence_test.ko"
		"$moddir/lib/test_ubsan.ko" "$moddir/samples/kmemleak/kmemleak-test.ko"
		"$b/modules/ktriage_lockdep.ko" "$b/modules/ktriage_irq.ko") ;;
	esac
	for m in "$LKDTM_KO" "${EXTRA_KOS[@]}"; do [ -f "$m" ] || die "missing $m (rebuild with build-sanitizer-kernel.sh)"; done
	BUSYBOX_DEB=$(fetch_deb "$ARCH_CACHE" "busybox-static:$DEB_ARCH")
	BBROOT=$ARCH_CACHE/busybox
	if [ ! -x "$BBROOT/bin/busybox" ]; then
		rm -rf "$BBROOT" && mkdir -p "$BBROOT"
		dpkg-deb -x "$BUSYBOX_DEB" "$BBROOT"
	fi
	BUSYBOX_BIN=$BBROOT/bin/busybox
}

# --------------------------------------------------------------------------
# Guest initramfs
# --------------------------------------------------------------------------
# /init is generic; what to provoke is read from the kernel command line:
#   ktriage.type=TYPE   lkdtm type (LIST = print the available types)
#   ktriage.wait=N      seconds to wait after the trigger
#   ktriage.kmsg=1      afterwards dump /dev/kmsg and `dmesg -r` base64-encoded
#   ktriage.suite=S ktriage.cases=A,B  (kasan_test, kfence_test, kcsan_test) the KUnit cases to run
# The lower-case types of sanitizer_types load a module instead of using lkdtm.
write_init() {
	cat >"$1" <<'EOF'
#!/bin/busybox sh
# ktriage capture guest: provoke one lkdtm crash, then power off.
/bin/busybox mkdir -p /proc /sys /dev /tmp
/bin/busybox --install -s /bin
export PATH=/bin
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug
T= W=3 K=0 S= C=
for a in $(cat /proc/cmdline); do
	case "$a" in
	ktriage.type=*) T=${a#*=} ;;
	ktriage.wait=*) W=${a#*=} ;;
	ktriage.kmsg=*) K=${a#*=} ;;
	ktriage.suite=*) S=${a#*=} ;;
	ktriage.cases=*) C=${a#*=} ;;
	esac
done
echo "ktriage-capture: kernel $(uname -r) $(uname -m)"
insmod /lkdtm.ko || echo "ktriage-capture: insmod lkdtm.ko failed"
D=/sys/kernel/debug/provoke-crash/DIRECT
if [ "$T" = LIST ]; then
	echo "ktriage-capture: available types:"
	cat $D
	echo "ktriage-capture: done LIST"
	poweroff -f
fi
case "$T" in
HUNG_TASK) echo 5 >/proc/sys/kernel/hung_task_timeout_secs ;;
SOFTLOCKUP | SPINLOCKUP | HARDLOCKUP) echo 5 >/proc/sys/kernel/watchdog_thresh ;;
esac
echo "ktriage-capture: triggering $T"
case "$T" in
kasan_test | kfence_test | kcsan_test)
	# kcsan_test.ko needs torture.ko (busybox insmod resolves no dependencies)
	[ "$T" != kcsan_test ] || insmod /torture.ko
	# One load per case: kunit's filter_glob (writable at run time) picks it.
	for c in $(echo "$C" | tr , ' '); do
		# (no newline: the parameter keeps it and the glob would not match)
		printf %s "$S.$c" >/sys/module/kunit/parameters/filter_glob
		insmod /$T.ko
		rmmod $T
	done ;;
test_ubsan) insmod /test_ubsan.ko ;;
lockdep_*) insmod /ktriage_lockdep.ko mode=${T#lockdep_} ;;
sleep_in_atomic) insmod /ktriage_lockdep.ko mode=sleep ;;
irq_*) insmod /ktriage_irq.ko mode=${T#irq_} ;;
kmemleak)
	# kmemleak reports an object that is still unreferenced in a scan and
	# was allocated at least 5 s before the PREVIOUS scan started: wait,
	# scan twice. The report goes to the console the way syzkaller gets it:
	# by reading the debugfs file.
	insmod /kmemleak-test.ko
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak ;;
esac
case "$T" in *[a-z]*) ;; *)
# In a child process (an oops kills the child, not PID 1), pinned to CPU 1:
# a CPU stuck in a lockup test must not be CPU 0, which power-off migrates to.
taskset 2 sh -c "echo $T > $D" &
if [ "$T" = SPINLOCKUP ]; then
	# The first SPINLOCKUP returns to user space holding the lock; the second
	# one spins on it forever (-> soft lockup, RCU stall).
	sleep 2
	taskset 2 sh -c "echo $T > $D" &
fi
;; esac
sleep "$W"
echo "ktriage-capture: done $T"
if [ "$K" = 1 ]; then
	# /dev/kmsg blocks at the end of the buffer: read with a timeout.
	timeout 3 cat /dev/kmsg >/tmp/kmsg 2>/dev/null
	dmesg -r >/tmp/dmesg-r
	echo "ktriage-kmsg-begin"; base64 /tmp/kmsg; echo "ktriage-kmsg-end"
	echo "ktriage-dmesg-r-begin"; base64 /tmp/dmesg-r; echo "ktriage-dmesg-r-end"
fi
poweroff -f
EOF
	chmod 755 "$1"
}

build_initramfs() {
	local stage=$ARCH_CACHE/initramfs
	INITRD=$ARCH_CACHE/initramfs-$KREL.cpio.gz
	rm -rf "$stage" && mkdir -p "$stage/bin"
	cp "$BUSYBOX_BIN" "$stage/bin/busybox"
	cp "$LKDTM_KO" "$stage/lkdtm.ko"
	# self-built kernel: the other test modules, in / under their own names
	[ -z "$SELF_BUILT" ] || cp "${EXTRA_KOS[@]}" "$stage/"
	write_init "$stage/init"
	(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -9) >"$INITRD"
}

# --------------------------------------------------------------------------
# Trimming: keep the boot banner + first HEAD_LINES kernel lines, then
# BEFORE_LINES lines before the trigger marker through the end. Works on
# lines split at \n only, so every kept byte (\r included) is unchanged.
# The base64 payload of the +kmsg variant (between the ktriage-*-begin/end
# marker lines) is dropped from the .log too: it is decoded into its own files.
# --------------------------------------------------------------------------
trim_console() { # IN OUT
	if [ "${KTRIAGE_NO_TRIM:-0}" = 1 ]; then cp "$1" "$2"; return; fi
	LC_ALL=C awk -v head="$HEAD_LINES" -v before="$BEFORE_LINES" '
		{ line[NR] = $0 }
		/^\[ *[0-9]+\.[0-9]+\]/ && !headend { if (++k == head) headend = NR }
		/ktriage-capture: triggering/ && !trig { trig = NR }
		/^ktriage-(kmsg|dmesg-r)-begin/ { inb64 = 1; next }
		/^ktriage-(kmsg|dmesg-r)-end/ { inb64 = 0; next }
		inb64 { drop[NR] = 1 }
		END {
			if (!headend) headend = NR
			start = trig ? trig - before : NR + 1
			if (start <= headend) start = headend + 1
			for (i = 1; i <= headend; i++) print line[i]
			for (i = start; i <= NR; i++) if (!drop[i]) print line[i]
		}' "$1" >"$2"
	# awk always ends the last line with \n; restore the original ending.
	if [ -s "$1" ] && [ "$(tail -c1 "$1" | od -An -c | tr -d ' ')" != '\n' ]; then
		truncate -s -1 "$2"
	fi
}

# /dev/kmsg records: same idea, record-wise (continuation lines start with a
# space), anchored on lkdtm's "Performing direct entry" record. Triggers that
# are not lkdtm's (the self-built kernel's test modules) have no such record:
# there the anchor is the first record at or after TRIGGER_US, the time of the
# console's first kernel line after /init's trigger marker (console and kmsg
# print the same clock). Works for `dmesg -r` ("<4>[   12.383605] ...") too.
trim_kmsg() { # IN OUT [TRIGGER_US]
	if [ "${KTRIAGE_NO_TRIM:-0}" = 1 ]; then cp "$1" "$2"; return; fi
	LC_ALL=C awk -v head="$HEAD_LINES" -v before="$BEFORE_LINES" -v at="${3:-}" '
		function usec(s,  m) {
			if (match(s, /^[0-9]+,[0-9]+,[0-9]+,/)) { split(s, m, ","); return m[3] + 0 }
			if (match(s, /^<[0-9]+>\[ *[0-9]+\.[0-9]+\]/)) { s = substr(s, index(s, "[") + 1); split(s, m, "]"); return m[1] * 1000000 }
			return -1
		}
		{ line[NR] = $0 }
		!/^ / { rec[++n] = NR; if (at != "" && !late && usec($0) >= at + 0) late = n }
		/Performing direct entry/ && !trig { trig = n }
		END {
			if (!trig) trig = late
			headend = (n > head) ? rec[head + 1] - 1 : NR
			start = trig ? rec[(trig - before > 1) ? trig - before : 1] : NR + 1
			if (start <= headend) start = headend + 1
			for (i = 1; i <= headend; i++) print line[i]
			for (i = start; i <= NR; i++) print line[i]
		}' "$1" >"$2"
}

# The time (microseconds) of the first kernel line after /init's trigger
# marker on the console; empty when there is none.
trigger_usec() { # CONSOLE_LOG
	LC_ALL=C awk '
		/ktriage-capture: triggering/ { seen = 1; next }
		seen && /^\[ *[0-9]+\.[0-9]+\]/ { s = substr($0, index($0, "[") + 1); split(s, m, "]"); printf "%d\n", m[1] * 1000000 + 0.5; exit }
	' "$1"
}

# Extract a base64 block printed between two markers on the console.
extract_b64() { # CONSOLE_LOG BEGIN END OUT
	LC_ALL=C sed -n "/^$2\r\{0,1\}\$/,/^$3\r\{0,1\}\$/p" "$1" | tr -d '\r' |
		sed '1d;$d' | base64 -d >"$4"
}

# --------------------------------------------------------------------------
# One capture
# --------------------------------------------------------------------------
capture_one() { # SPEC  (TYPE or TYPE+VARIANT)
	local spec=$1 type=${1%%+*} variant='' raw out cmdline rc t0 t1
	[ "$type" != "$spec" ] && variant=${spec#*+}
	type_settings "$type"
	variant_settings "$variant"
	raw=$ARCH_CACHE/raw/$spec.log
	out=$OUT_DIR/$spec.log
	mkdir -p "$(dirname "$raw")" "$OUT_DIR"

	# No panic=: the default (0) makes a panicking kernel print
	# "---[ end Kernel panic - not syncing: ... ]---" and halt; the watcher
	# below stops QEMU then.
	cmdline="console=$CONSOLE loglevel=8 printk.time=1 ktriage.type=$type ktriage.wait=$WAIT${TYPE_CMDLINE:+ $TYPE_CMDLINE}${VARIANT_CMDLINE:+ $VARIANT_CMDLINE}"
	QEMU_CMD=("$QEMU_BIN" -accel tcg "${QEMU_MACHINE[@]}" -smp 2 -m 1024
		-nographic -no-reboot
		-kernel "$KERNEL_IMG" -initrd "$INITRD" -append "$cmdline")
	log "[$OUT_NAME] $spec: booting (wait ${WAIT}s, timeout ${QEMU_TIMEOUT}s)"
	t0=$(date +%s)
	local qpid
	: >"$raw"
	timeout -k 10 "$QEMU_TIMEOUT" "${QEMU_CMD[@]}" </dev/null >"$raw" 2>"$raw.stderr" &
	qpid=$!
	# A panicked guest halts forever: stop QEMU 2s after the end-of-panic line.
	while kill -0 "$qpid" 2>/dev/null; do
		if grep -aq -e '---\[ end Kernel panic' "$raw"; then
			sleep 2; kill "$qpid" 2>/dev/null || true; break
		fi
		sleep 1
	done
	set +e
	wait "$qpid"
	rc=$?
	set -e
	t1=$(date +%s)
	printf '%s\t%s\t%ss\trc=%s\n' "$spec" "$cmdline" "$((t1 - t0))" "$rc" >>"$ARCH_CACHE/runs.tsv"

	if [ "$type" = LIST ]; then
		tr -d '\r' <"$raw" | sed -n '/available types:/,/done LIST/p'
		return 0
	fi
	trim_console "$raw" "$out"
	if [ "$variant" = kmsg ]; then
		local at
		at=$(trigger_usec "$raw")
		if extract_b64 "$raw" ktriage-kmsg-begin ktriage-kmsg-end "$raw.kmsg"; then
			trim_kmsg "$raw.kmsg" "$OUT_DIR/$spec.kmsg" "$at"
		else
			log "$spec: could not decode the /dev/kmsg dump"
		fi
		if extract_b64 "$raw" ktriage-dmesg-r-begin ktriage-dmesg-r-end "$raw.dmesg-r"; then
			trim_kmsg "$raw.dmesg-r" "$OUT_DIR/$spec.dmesg-r" "$at"
		else
			log "$spec: could not decode the dmesg -r dump"
		fi
	fi

	# Summarise how the guest ended:
	#   survived  /init printed its "done" marker after the wait (oops/warn)
	#   panic     the kernel panicked (QEMU stopped after the end-of-panic line)
	#   hang      nothing of the above before the QEMU timeout
	# (+timeout: QEMU had to be killed by the timeout, e.g. power-off hung)
	local how=hang header
	grep -aq 'ktriage-capture: done' "$raw" && how=survived
	grep -aq -e 'Kernel panic - not syncing' "$raw" && how=panic
	[ "$rc" = 124 ] && [ "$how" != hang ] && how="$how+timeout"
	header=$(crash_header "$raw")
	log "[$OUT_NAME] $spec: $((t1 - t0))s, $how, $(wc -c <"$out") bytes -> ${out#"$REPO_ROOT"/}"
	log "          ${header:-<no crash header found>}"
	printf '%s\t%s\t%s\t%s\n' "$spec" "$how" "$((t1 - t0))s" "${header:-}" >>"$SUMMARY"
	update_summary "$spec" "$how" "${header:-}"
}

# The first line after the trigger marker that looks like a crash report
# header (only used for summary.tsv and the log; not a parser).
CRASH_RE='(WARNING:|BUG[: ]|\[#[0-9]+\]|kernel BUG|Oops|general protection fault|Kernel panic|watchdog:|INFO: task|rcu: INFO|Unable to handle|Unhandled fault|usercopy:|detected buffer overflow|list_(add|del) corruption|refcount_t:|stack-protector|Internal error|double fault|=====|UBSAN:|unreferenced object|nobody cared|bogus return value)'
crash_header() { # RAW_LOG
	sed -n '/ktriage-capture: triggering/,$p' "$1" | grep -a -m1 -E "$CRASH_RE" |
		tr -d '\r' | sed 's/^\[ *[0-9.]*\] //' || true
}

# fixtures/captured/ARCH/summary.tsv: one row per capture (type, outcome,
# first crash header line), merged with the rows of earlier runs.
update_summary() { # SPEC OUTCOME HEADER
	local f=$OUT_DIR/summary.tsv rows
	rows=$({ [ -f "$f" ] && awk -F'\t' -v k="$1" '$1 != k && !/^#/' "$f"
		printf '%s\t%s\t%s\n' "$1" "$2" "$3"; } | LC_ALL=C sort)
	{ printf '#capture\toutcome\tfirst crash header line (console, timestamp removed)\n'
		printf '%s\n' "$rows"; } >"$f"
}

write_capture_info() {
	local f=$OUT_DIR/capture-info.txt
	if [ -n "$SELF_BUILT" ]; then write_capture_info_self_built "$f"; return; fi
	{
		echo "# Written by scripts/capture/capture-lkdtm.sh; do not edit."
		echo "arch: $DEB_ARCH"
		echo "kernel package: $(dpkg-deb -f "$KERNEL_DEB" Package) $(deb_version "$KERNEL_DEB")"
		echo "kernel release: $KREL"
		echo "lkdtm source: $(dpkg-deb -f "$SOURCE_DEB" Package) $(deb_version "$SOURCE_DEB") (drivers/misc/lkdtm, built out of tree)"
		echo "headers: $(dpkg-deb -f "$HEADERS_DEB" Package) $(deb_version "$HEADERS_DEB"), $(dpkg-deb -f "$KBUILD_DEB" Package):$HOST_ARCH $(deb_version "$KBUILD_DEB")"
		[ "$SUITE" = bookworm ] || echo "debian suite: $SUITE (private apt configuration; host: $(. /etc/os-release && echo "$PRETTY_NAME"))"
		[ -z "${MODPOST_REBUILT:-}" ] || echo "modpost: $MODPOST_REBUILT"
		[ -z "${OBJTOOL_REBUILT:-}" ] || echo "objtool: $OBJTOOL_REBUILT"
		[ "${#MAKE_EXTRA[@]}" -eq 0 ] || echo "module build overrides: ${MAKE_EXTRA[*]}"
		echo "compiler: $("$GCC_CMD" --version | head -n1)"
		echo "busybox: $(dpkg-deb -f "$BUSYBOX_DEB" Package) $(deb_version "$BUSYBOX_DEB")"
		echo "qemu: $("$QEMU_BIN" --version | head -n1)"
		echo "qemu command: timeout -k 10 SECONDS $QEMU_BIN -accel tcg ${QEMU_MACHINE[*]} -smp 2 -m 1024 -nographic -no-reboot -kernel $(basename "$KERNEL_IMG") -initrd initramfs.cpio.gz -append \"console=$CONSOLE loglevel=8 printk.time=1 ktriage.type=TYPE ktriage.wait=N [variant options]\""
		echo "trimming: first $HEAD_LINES kernel lines + $BEFORE_LINES lines before the trigger marker to the end"
		echo "last run: $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -m) host"
	} >"$f"
}

write_capture_info_self_built() { # FILE
	local cfg=$KTRIAGE_KERNEL_BUILD/modules/config
	{
		echo "# Written by scripts/capture/capture-lkdtm.sh (KTRIAGE_KERNEL_BUILD); do not edit."
		echo "arch: $DEB_ARCH"
		echo "kernel: SELF-BUILT by scripts/capture/build-sanitizer-kernel.sh (not a Debian image)"
		echo "kernel source: $(sed -n 's/^# Linux\/x86_64 \(.*\) Kernel Configuration$/linux \1/p' "$cfg") from $(cat "$KTRIAGE_KERNEL_BUILD/modules/source" 2>/dev/null || echo '?'); configuration: build-sanitizer-kernel.sh"
		echo "kernel release: $KREL"
		echo "compiler: $(sed -n 's/^CONFIG_CC_VERSION_TEXT="\(.*\)"$/\1/p' "$cfg")"
		echo "configuration set: $SELF_SET (KTRIAGE_SANITIZER_SET of build-sanitizer-kernel.sh)"
		case "$SELF_SET" in
		kcsan)
			echo "modules: lkdtm.ko kcsan_test.ko torture.ko (in-tree, =m)"
			echo "kcsan_test cases: $KCSAN_CASES" ;;
		*)
			echo "modules: lkdtm.ko kasan_test.ko kfence_test.ko test_ubsan.ko kmemleak-test.ko (in-tree, =m), ktriage_lockdep.ko and ktriage_irq.ko (scripts/capture/, out of tree)"
			echo "kasan_test cases: $KASAN_CASES"
			echo "kfence_test cases: $KFENCE_CASES" ;;
		esac
		echo "busybox: $(dpkg-deb -f "$BUSYBOX_DEB" Package) $(deb_version "$BUSYBOX_DEB")"
		echo "qemu: $("$QEMU_BIN" --version | head -n1)"
		echo "qemu command: timeout -k 10 SECONDS $QEMU_BIN -accel tcg ${QEMU_MACHINE[*]} -smp 2 -m 1024 -nographic -no-reboot -kernel bzImage -initrd initramfs.cpio.gz -append \"console=$CONSOLE loglevel=8 printk.time=1 ktriage.type=TYPE ktriage.wait=N [ktriage.suite=S ktriage.cases=...]\""
		echo "trimming: first $HEAD_LINES kernel lines + $BEFORE_LINES lines before the trigger marker to the end"
		echo "last run: $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -m) host"
		echo "config (the options that are set, from the build's .config):"
		grep -E '^CONFIG_' "$cfg" | sed 's/^/  /'
	} >"$1"
}

# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------
[ $# -ge 1 ] || usage 1
case "$1" in -h | --help) usage 0 ;; esac
DEB_ARCH=$1; shift
arch_settings "$DEB_ARCH"
if [ "${1:-}" = --list ]; then set -- LIST; fi
if [ $# -eq 0 ] || [ "$1" = --prepare ]; then
	if [ -n "$SELF_BUILT" ]; then mapfile -t TYPES < <(sanitizer_types); else mapfile -t TYPES < <(default_types "$DEB_ARCH"); fi
else TYPES=("$@"); fi

ensure_host_tools
if [ -n "$SELF_BUILT" ]; then
	prepare_self_built
	log "arch $DEB_ARCH: self-built kernel $KREL ($KERNEL_IMG), cache $ARCH_CACHE"
else
	resolve_abi
	log "arch $DEB_ARCH: kernel $KREL, cache $CACHE"
	prepare_packages
	build_lkdtm
fi
build_initramfs
if [ "${1:-}" = --prepare ]; then log "prepared: $KERNEL_IMG $INITRD"; exit 0; fi

OUT_DIR=$OUT_ROOT/$OUT_NAME
SUMMARY=$ARCH_CACHE/summary-$(date +%Y%m%d-%H%M%S).tsv
START=$(date +%s)
for spec in "${TYPES[@]}"; do
	capture_one "$spec"
done
[ "${TYPES[0]}" = LIST ] || write_capture_info
log "done: ${#TYPES[@]} capture(s) in $(($(date +%s) - START))s; summary in $SUMMARY"
