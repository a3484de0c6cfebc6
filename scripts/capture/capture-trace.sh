#!/usr/bin/env bash
# capture-trace.sh - capture REAL ftrace output under memory pressure for ktriage's
# trace fixtures.
#
# Boots an unmodified Debian kernel under QEMU (software emulation, TCG, no KVM) with
# a busybox initramfs, an ext4 disk and a swap disk, turns tracing on, runs a memory
# hog next to a big buffered write (direct reclaim, kswapd, swap-out, flusher
# writeback, page-cache churn), and saves what the kernel's tracing files said.
# It reuses the approach and the download cache of capture-lkdtm.sh (same Debian
# kernel and busybox packages, same cache directory); it does not need lkdtm.
#
# Usage:
#   scripts/capture/capture-trace.sh [SCENARIO...]
#
#   SCENARIO (default: all of them)
#     events   nop tracer; vmscan, writeback, filemap, compaction, migrate and
#              ext4 writepage events; /sys/kernel/tracing/trace with its header
#     pipe     the same events read from trace_pipe with options/record-tgid on
#     graph    function_graph tracer, set_graph_function=try_to_free_pages
#              (direct reclaim call graphs), funcgraph-proc on
#     function function tracer filtered to *writepage* and the reclaim entry points
#     sysrq    events, then SysRq-z: the ftrace buffer dumped to the console
#
# Output (in the repository, committed: the project's own data):
#   fixtures/traces/captured/amd64/vmscan-writeback-events.trace   (events)
#   fixtures/traces/captured/amd64/vmscan-writeback-pipe-tgid.trace (pipe)
#   fixtures/traces/captured/amd64/function-graph-direct-reclaim.trace (graph)
#   fixtures/traces/captured/amd64/function-writepage.trace        (function)
#   fixtures/traces/captured/amd64/sysrq-z-dump.log                (sysrq, console lines)
#   fixtures/traces/captured/amd64/capture-info.txt
# Downloads, disk images, initramfs and raw console logs stay in the cache.
#
# Environment:
#   KTRIAGE_CAPTURE_CACHE  cache dir (default: <repo>/../capture-cache, shared with capture-lkdtm.sh)
#   KTRIAGE_CAPTURE_OUT    output dir (default: <repo>/fixtures/traces/captured/amd64)
#   KTRIAGE_KERNEL_ABI     Debian kernel ABI, e.g. 6.1.0-50 (default: the kernel already
#                          extracted in the cache, else what linux-image-amd64 depends on)
#   KTRIAGE_TRACE_BUF_KB   ring buffer per CPU in KiB (default 24; sysrq uses 6)
#
# A real trace of the 3.16-rc bug (filesystem writepage from direct reclaim after a
# failed migration left PageSwapBacked set) cannot be captured here: the bug was fixed
# in v3.16 and modern kernels never write file pages from direct reclaim. These
# captures are the normal behaviour, the near-miss fixtures of the trace detectors.
#
# Requirements: network access to the Debian archive (first run only), qemu-system-x86,
# e2fsprogs and util-linux (mkfs.ext4, mkswap) on the host, cpio, gzip. Not run in CI.

set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
CACHE=${KTRIAGE_CAPTURE_CACHE:-$(dirname "$REPO_ROOT")/capture-cache}
OUT_DIR=${KTRIAGE_CAPTURE_OUT:-$REPO_ROOT/fixtures/traces/captured/amd64}
BUF_KB=${KTRIAGE_TRACE_BUF_KB:-24}
ARCH=amd64 FLAVOUR=amd64
QEMU_BIN=qemu-system-x86_64
WORK=$CACHE/$ARCH/trace-work

log() { printf '[capture-trace] %s\n' "$*" >&2; }
die() { printf '[capture-trace] ERROR: %s\n' "$*" >&2; exit 1; }

case "${1:-}" in -h | --help) sed -n '2,/^$/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;; esac

# ---- host tools and packages (the cache layout of capture-lkdtm.sh) ----
ensure_host_tools() {
	local pkgs=()
	command -v "$QEMU_BIN" >/dev/null || pkgs+=(qemu-system-x86)
	command -v cpio >/dev/null || pkgs+=(cpio)
	command -v mkfs.ext4 >/dev/null || pkgs+=(e2fsprogs)
	command -v mkswap >/dev/null || pkgs+=(util-linux)
	if [ "${#pkgs[@]}" -gt 0 ]; then
		log "installing host packages: ${pkgs[*]}"
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${pkgs[@]}" >&2
	fi
}

fetch_deb() { # DIR PKG
	local dir=$1 pkg=$2 name=${2%%:*} deb
	mkdir -p "$dir"
	deb=$(find "$dir" -maxdepth 1 -name "${name}_*.deb" | sort -V | tail -n1)
	if [ -z "$deb" ]; then
		log "downloading $pkg"
		(cd "$dir" && apt-get download "$pkg") >&2 || die "apt-get download $pkg failed"
		deb=$(find "$dir" -maxdepth 1 -name "${name}_*.deb" | sort -V | tail -n1)
	fi
	printf '%s\n' "$deb"
}

resolve_kernel() {
	local d=$CACHE/$ARCH
	if [ -n "${KTRIAGE_KERNEL_ABI:-}" ]; then
		KREL=$KTRIAGE_KERNEL_ABI-$FLAVOUR
	else
		# The kernel capture-lkdtm.sh already extracted, if there is exactly one.
		mapfile -t found < <(find "$d" -maxdepth 1 -type d -name "kernel-*-$FLAVOUR" 2>/dev/null | sort)
		if [ "${#found[@]}" -ge 1 ]; then
			KREL=$(basename "${found[-1]}"); KREL=${KREL#kernel-}
		else
			local abi
			abi=$(apt-cache depends "linux-image-$FLAVOUR" 2>/dev/null |
				sed -n "s/.*Depends: linux-image-\([0-9.]*-[0-9]*\)-$FLAVOUR\$/\1/p" | head -n1)
			[ -n "$abi" ] || die "cannot resolve the kernel ABI (run apt-get update, or set KTRIAGE_KERNEL_ABI)"
			KREL=$abi-$FLAVOUR
		fi
	fi
	KROOT=$d/kernel-$KREL
	if [ ! -d "$KROOT/boot" ]; then
		KERNEL_DEB=$(fetch_deb "$d" "linux-image-$KREL")
		rm -rf "$KROOT.tmp" && mkdir -p "$KROOT.tmp"
		dpkg-deb -x "$KERNEL_DEB" "$KROOT.tmp" && mv "$KROOT.tmp" "$KROOT"
	fi
	KERNEL_DEB=$(find "$d" -maxdepth 1 -name "linux-image-${KREL}_*.deb" | sort -V | tail -n1)
	KERNEL_IMG=$(ls -1 "$KROOT"/boot/vmlinuz-* | head -n1)
	BBROOT=$d/busybox
	BUSYBOX_DEB=$(fetch_deb "$d" "busybox-static")
	if [ ! -x "$BBROOT/bin/busybox" ]; then
		rm -rf "$BBROOT" && mkdir -p "$BBROOT" && dpkg-deb -x "$BUSYBOX_DEB" "$BBROOT"
	fi
}

# Modules for a virtio disk with ext4, in load order.
MODULES=(
	drivers/virtio/virtio drivers/virtio/virtio_ring
	drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci_legacy_dev
	drivers/virtio/virtio_pci drivers/block/virtio_blk
	lib/crc16 fs/mbcache crypto/crc32c_generic fs/jbd2/jbd2 fs/ext4/ext4
)

# ---- guest ----
write_init() {
	cat >"$1" <<'EOF'
#!/bin/busybox sh
# ktriage trace capture guest: trace one scenario under memory pressure, print it, power off.
/bin/busybox mkdir -p /proc /sys /dev /tmp /mnt
/bin/busybox --install -s /bin
export PATH=/bin
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tracefs tracefs /sys/kernel/tracing
S= B=48
for a in $(cat /proc/cmdline); do
	case "$a" in
	ktriage.scenario=*) S=${a#*=} ;;
	ktriage.buf=*) B=${a#*=} ;;
	esac
done
echo "ktriage-capture: kernel $(uname -r) $(uname -m), scenario $S"
for m in $(cat /modules.order); do insmod "/modules/$m.ko" || echo "ktriage-capture: insmod $m failed"; done
mount -t ext4 /dev/vda /mnt || echo "ktriage-capture: mount failed"
swapon /dev/vdb || echo "ktriage-capture: swapon failed"
T=/sys/kernel/tracing
echo 0 >$T/tracing_on
echo "$B" >$T/buffer_size_kb
ev() { for e in "$@"; do [ -e "$T/events/$e/enable" ] && echo 1 >"$T/events/$e/enable"; done; }
events() {
	ev vmscan writeback/writeback_dirty_folio writeback/folio_wait_writeback writeback/wbc_writepage \
		writeback/writeback_single_inode_start writeback/writeback_single_inode writeback/writeback_start \
		writeback/writeback_written writeback/writeback_queue filemap/mm_filemap_add_to_page_cache \
		filemap/mm_filemap_delete_from_page_cache compaction/mm_compaction_migratepages migrate/mm_migrate_pages \
		ext4/ext4_writepage ext4/ext4_writepages
}
case "$S" in
events | sysrq) echo nop >$T/current_tracer; events ;;
pipe) echo nop >$T/current_tracer; echo 1 >$T/options/record-tgid; events ;;
graph)
	echo try_to_free_pages >$T/set_graph_function
	echo 1 >$T/options/funcgraph-proc
	echo function_graph >$T/current_tracer ;;
function)
	echo '*writepage*' >$T/set_ftrace_filter
	echo try_to_free_pages >>$T/set_ftrace_filter
	echo shrink_page_list >>$T/set_ftrace_filter 2>/dev/null
	echo shrink_folio_list >>$T/set_ftrace_filter 2>/dev/null
	echo function >$T/current_tracer ;;
esac
# trace_pipe consumes the events as they come: the first 3000 lines are kept (head then exits).
[ "$S" = pipe ] && { head -n 3000 $T/trace_pipe >/tmp/pipe & PIPE=$!; }
echo 1 >$T/tracing_on
echo "ktriage-capture: workload start"
# Dirty file pages (flusher, kswapd) and an anonymous hog (direct reclaim, swap-out):
# tail keeps a line without a newline in memory.
# Compaction first (its migration failures are context for the reclaim detector), then the pressure.
echo 1 >/proc/sys/vm/compact_memory
dd if=/dev/zero of=/mnt/big bs=1M count=160 2>/dev/null &
DD=$!
head -c 200000000 /dev/zero | tail >/dev/null
wait $DD
echo 0 >$T/tracing_on
rm -f /mnt/big; sync
echo "ktriage-capture: workload done"
if [ "$S" = pipe ]; then kill $PIPE 2>/dev/null; wait $PIPE; F=/tmp/pipe; else F=$T/trace; fi
if [ "$S" = sysrq ]; then
	echo 1 >/proc/sys/kernel/sysrq
	echo z >/proc/sysrq-trigger
	sleep 2
else
	echo "ktriage-trace-begin"; gzip -c "$F" | base64; echo "ktriage-trace-end"
fi
echo "ktriage-capture: done $S"
poweroff -f
EOF
	chmod 755 "$1"
}

build_initramfs() {
	local stage=$WORK/initramfs m
	INITRD=$WORK/initramfs-$KREL.cpio.gz
	rm -rf "$stage" && mkdir -p "$stage/bin" "$stage/modules"
	cp "$BBROOT/bin/busybox" "$stage/bin/busybox"
	: >"$stage/modules.order"
	for m in "${MODULES[@]}"; do
		mkdir -p "$stage/modules/$(dirname "$m")"
		cp "$KROOT/lib/modules/$KREL/kernel/$m.ko" "$stage/modules/$m.ko" || die "no $m.ko in $KREL"
		echo "$m" >>"$stage/modules.order"
	done
	write_init "$stage/init"
	(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -9) >"$INITRD"
}

make_disks() {
	rm -f "$WORK/data.img" "$WORK/swap.img"
	truncate -s 400M "$WORK/data.img" && mkfs.ext4 -q -F "$WORK/data.img"
	truncate -s 256M "$WORK/swap.img" && mkswap "$WORK/swap.img" >/dev/null 2>&1
}

# The decoded trace of a console log (between the markers).
extract_trace() { # RAW OUT
	LC_ALL=C sed -n '/^ktriage-trace-begin\r\{0,1\}$/,/^ktriage-trace-end\r\{0,1\}$/p' "$1" |
		tr -d '\r' | sed '1d;$d' | base64 -d | gunzip >"$2"
}

capture_one() { # SCENARIO
	local s=$1 raw buf=$BUF_KB out
	raw=$WORK/raw-$s.log
	[ "$s" = sysrq ] && buf=6
	make_disks
	QEMU_CMD=("$QEMU_BIN" -accel tcg -M pc -cpu max,la57=off -smp 2 -m 256 -nographic -no-reboot
		-kernel "$KERNEL_IMG" -initrd "$INITRD"
		-drive "file=$WORK/data.img,if=virtio,format=raw" -drive "file=$WORK/swap.img,if=virtio,format=raw"
		-append "console=ttyS0 loglevel=4 printk.time=1 ktriage.scenario=$s ktriage.buf=$buf")
	log "$s: booting (ring buffer ${buf} KiB per CPU)"
	local t0=$SECONDS
	timeout -k 10 900 "${QEMU_CMD[@]}" </dev/null >"$raw" 2>"$raw.stderr" || log "$s: qemu exited with $?"
	log "$s: $((SECONDS - t0))s, console $(wc -c <"$raw") bytes"
	grep -aq "ktriage-capture: done $s" "$raw" || die "$s: the guest did not finish (see $raw)"
	case "$s" in
	events) out=vmscan-writeback-events.trace ;;
	pipe) out=vmscan-writeback-pipe-tgid.trace ;;
	graph) out=function-graph-direct-reclaim.trace ;;
	function) out=function-writepage.trace ;;
	sysrq) out=sysrq-z-dump.log ;;
	esac
	if [ "$s" = sysrq ]; then
		# The console from the SysRq line to the end of the dump, bytes unchanged.
		LC_ALL=C awk '/sysrq: Dump ftrace buffer/ { on = 1 } on { print } on && /^\[ *[0-9.]+\] -------------------------/ && ++rules == 2 { exit }' "$raw" >"$OUT_DIR/$out"
	else
		extract_trace "$raw" "$OUT_DIR/$out"
	fi
	log "$s: $(wc -l <"$OUT_DIR/$out") lines -> ${OUT_DIR#"$REPO_ROOT"/}/$out"
}

ensure_host_tools
resolve_kernel
mkdir -p "$WORK" "$OUT_DIR"
build_initramfs
log "kernel $KREL, cache $CACHE"
SCENARIOS=("$@")
[ "${#SCENARIOS[@]}" -gt 0 ] || SCENARIOS=(events pipe graph function sysrq)
for s in "${SCENARIOS[@]}"; do capture_one "$s"; done
{
	echo "# Written by scripts/capture/capture-trace.sh; do not edit."
	echo "kernel package: $(dpkg-deb -f "$KERNEL_DEB" Package) $(dpkg-deb -f "$KERNEL_DEB" Version)"
	echo "kernel release: $KREL"
	echo "busybox: $(dpkg-deb -f "$BUSYBOX_DEB" Package) $(dpkg-deb -f "$BUSYBOX_DEB" Version)"
	echo "qemu: $("$QEMU_BIN" --version | head -n1)"
	echo "qemu command: $QEMU_BIN -accel tcg -M pc -cpu max,la57=off -smp 2 -m 256 -nographic -no-reboot -kernel $(basename "$KERNEL_IMG") -initrd initramfs.cpio.gz -drive file=data.img(ext4,400M),if=virtio -drive file=swap.img(256M),if=virtio -append \"console=ttyS0 loglevel=4 printk.time=1 ktriage.scenario=S ktriage.buf=KB\""
	echo "workload: compact_memory, then dd 160 MiB to ext4 next to a 200 MB anonymous hog (busybox tail); tracing stops when both end"
	echo "ring buffer: $BUF_KB KiB per CPU (sysrq: 6 KiB)"
	echo "last run: $(date -u +%Y-%m-%dT%H:%M:%SZ), scenarios: ${SCENARIOS[*]}"
} >"$OUT_DIR/capture-info.txt"
log "done"
