// Boot logs: how far the boot got, and kernel errors that are not crash reports.
// The console lines are hand-written in the formats of drivers/base/dd.c ("probe of %s failed
// with error %d"), drivers/base/firmware_loader ("Direct firmware load for %s failed with
// error %d"), init/do_mounts.c and U-Boot ("Starting kernel ..."), as KernelCI logs show them.
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import type { OutputRecord } from '../src/model/records.js';
import { Readable } from 'node:stream';

async function run(text: string): Promise<OutputRecord[]> {
  const out: OutputRecord[] = [];
  for await (const r of analyze(['-'], { stdin: Readable.from([Buffer.from(text)]), idleFlushMs: 0 })) out.push(r);
  return out;
}

const UBOOT = ['U-Boot 2023.04 (Apr 02 2023 - 12:00:00 +0000)', 'Starting kernel ...', ''];

describe('boot records and kernel errors', () => {
  it('a boot to a prompt with driver errors', async () => {
    const recs = await run(
      [
        ...UBOOT,
        '[    0.000000] Linux version 6.1.0-18-arm64 (debian-kernel@lists.debian.org) #1 SMP Debian 6.1.76-1',
        '[    3.238594] r8152 1-1.2:1.0: Direct firmware load for rtl_nic/rtl8153b-2.fw failed with error -2',
        '[    3.575030] generic-adc-thermal: probe of thermal-sensor2 failed with error -22',
        '[    4.100000] Run /init as init process',
        '/ # ',
        '/ # cat /proc/foo: error -2',
      ].join('\n'),
    );
    const errors = recs.filter((r) => r.kind === 'kernel-error');
    expect(errors).toEqual([
      { kind: 'kernel-error', source: '-', line: 5, severity: 'error', category: 'error-return-code', message: 'Direct firmware load for rtl_nic/rtl8153b-2.fw failed with error -2', errno: 2, device: 'r8152 1-1.2:1.0', time: 3.238594 },
      { kind: 'kernel-error', source: '-', line: 6, severity: 'error', category: 'error-return-code', message: 'probe of thermal-sensor2 failed with error -22', errno: 22, device: 'generic-adc-thermal', time: 3.57503 },
    ]);
    expect(recs.find((r) => r.kind === 'boot')).toEqual({
      kind: 'boot', source: '-', bootloaderDone: true, kernelStarted: true, prompt: true, promptLine: 8, kernelErrors: 2, reports: 0,
      verdict: 'booted to a prompt, 2 kernel errors, 0 reports',
    });
    expect(recs.at(-1)).toMatchObject({ kind: 'summary', kernelErrors: 2, reports: 0 });
  });

  it('no root fs: a critical kernel error, then the panic is a crash report', async () => {
    const recs = await run(
      [
        ...UBOOT,
        '[    1.000000] Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) #1 SMP Debian 6.1.76-1',
        '[    2.000000] VFS: Cannot open root device "vda1" or unknown-block(0,0): error -6',
        '[    2.000001] Please append a correct "root=" boot option; here are the available partitions:',
        '[    2.000002] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)',
        '[    2.000003] CPU: 0 PID: 1 Comm: swapper/0 Not tainted 6.1.0-18-amd64 #1  Debian 6.1.76-1',
        '[    2.000004] Call Trace:',
        '[    2.000005]  <TASK>',
        '[    2.000006]  dump_stack_lvl+0x44/0x5c',
        '[    2.000007]  panic+0x118/0x2ed',
        '[    2.000008]  mount_block_root+0x1d3/0x1ef',
        '[    2.000009]  prepare_namespace+0x136/0x165',
        '[    2.000010]  kernel_init_freeable+0x25c/0x286',
        '[    2.000011]  </TASK>',
        '[    2.000012] ---[ end Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0) ]---',
      ].join('\n'),
    );
    expect(recs.filter((r) => r.kind === 'kernel-error')).toMatchObject([{ line: 5, severity: 'critical', category: 'mount-root' }]);
    expect(recs.filter((r) => r.kind === 'report').map((r) => (r as { title: string }).title)).toEqual(['kernel panic: VFS: Unable to mount root fs on unknown-block(NUM,NUM)']);
    expect(recs.find((r) => r.kind === 'boot')).toMatchObject({ prompt: false, verdict: 'kernel started, no prompt, 1 kernel error, 1 report' });
  });

  it('a dmesg of a running system has kernel errors but no boot record', async () => {
    const recs = await run(
      ['[    0.000000] Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) #1 SMP', '[    5.000000] i915 0000:00:02.0: Direct firmware load for i915/bxt_dmc_ver1_07.bin failed with error -2'].join('\n'),
    );
    expect(recs.filter((r) => r.kind === 'kernel-error')).toHaveLength(1);
    expect(recs.some((r) => r.kind === 'boot')).toBe(false);
  });

  it('lines without a printk timestamp are not kernel errors (shell output, mail)', async () => {
    const recs = await run(['Starting kernel ...', 'modprobe: ERROR: could not insert foo: error -2', 'probe of foo failed with error -22'].join('\n'));
    expect(recs.filter((r) => r.kind === 'kernel-error')).toHaveLength(0);
  });

  // A server's dmesg: storage, filesystem and hardware errors are no splats, and ktriage said "No kernel
  // reports found" on it. Lines in the formats of fs/ext4/super.c, fs/xfs/xfs_message.c, fs/btrfs/messages.c,
  // block/blk-core.c blk_print_req_error, fs/buffer.c, arch/x86/kernel/cpu/mce/core.c, drivers/edac/edac_mc.c,
  // drivers/firmware/efi/cper.c, drivers/pci/pcie/aer.c, arch/x86/kernel/nmi.c, drivers/ata/libata-eh.c
  // and drivers/nvme/host/pci.c.
  it('storage, filesystem and hardware errors of a running system', async () => {
    const recs = await run(
      [
        '[ 5123.123456] I/O error, dev sda, sector 123456 op 0x0:(READ) flags 0x80700 phys_seg 1 prio class 2',
        '[ 5123.123500] Buffer I/O error on dev sda1, logical block 0, async page read',
        '[ 5123.200000] EXT4-fs error (device sda1): ext4_find_entry:1455: inode #2: comm ls: reading directory lblock 0',
        '[ 5123.300000] EXT4-fs (sda1): Remounting filesystem read-only',
        '[ 6000.000000] XFS (dm-0): Metadata corruption detected at xfs_buf_ioend+0x1a0/0x3f0 [xfs], xfs_inode block 0x1234 xfs_inode_buf_verify',
        '[ 6000.000002] XFS (dm-0): Corruption of in-memory data (0x8) detected at xfs_trans_cancel+0x10f/0x140 [xfs] (fs/xfs/xfs_trans.c:1097).  Shutting down filesystem.',
        '[ 6000.000003] XFS (dm-0): Please unmount the filesystem and rectify the problem(s)',
        '[ 7100.000000] BTRFS critical (device sdb1): corrupt leaf: root=5 block=30408704 slot=4 ino=257, invalid inode generation',
        '[ 7000.000000] mce: [Hardware Error]: Machine check events logged',
        '[ 7000.100000] EDAC MC0: 1 CE memory read error on CPU_SrcID#0_Ha#0_Chan#1_DIMM#0 (channel:1 slot:0 page:0x123 offset:0x0 grain:32 syndrome:0x0)',
        '[ 7500.000000] {1}[Hardware Error]: Hardware error from APEI Generic Hardware Error Source: 0',
        '[ 7500.000001] {1}[Hardware Error]: event severity: fatal',
        '[ 7600.000000] pcieport 0000:00:1c.5: PCIe Bus Error: severity=Uncorrectable (Non-Fatal), type=Transaction Layer, (Requester ID)',
        '[ 7600.000001] pcieport 0000:00:1c.5:   device [8086:a33d] error status/mask=00100000/00010000',
        '[ 7700.000000] Uhhuh. NMI received for unknown reason 3d on CPU 0.',
        '[ 7700.000001] Dazed and confused, but trying to continue',
        '[ 7800.000000] ata1.00: exception Emask 0x0 SAct 0x400000 SErr 0x0 action 0x0',
        '[ 7800.000001] ata1.00: failed command: READ FPDMA QUEUED',
        '[ 7900.000000] nvme nvme0: I/O tag 12 (100c) opcode 0x2 (Read) QID 3 timeout, aborting req_op:READ(0) size:131072',
        '[ 7900.000001] nvme nvme1: I/O 257 QID 6 timeout, reset controller',
        '[ 7900.000002] nvme nvme1: controller is down; will reset: CSTS=0xffffffff, PCI_STATUS=0xffff',
      ].join('\n'),
    );
    const errors = recs.filter((r) => r.kind === 'kernel-error').map((r) => {
      const e = r as { line: number; severity: string; category: string; device?: string };
      return [e.line, e.category, e.severity, e.device ?? null];
    });
    expect(errors).toEqual([
      [1, 'io-error', 'error', 'sda'],
      [2, 'io-error', 'error', 'sda1'],
      [3, 'filesystem', 'error', 'sda1'],
      [4, 'filesystem', 'critical', 'sda1'],
      [5, 'filesystem', 'error', 'dm-0'],
      [6, 'filesystem', 'critical', 'dm-0'],
      [8, 'filesystem', 'critical', 'sdb1'],
      [9, 'hardware-error', 'warning', null],
      [10, 'hardware-error', 'warning', 'MC0'],
      [12, 'hardware-error', 'critical', null],
      [13, 'hardware-error', 'error', 'pcieport 0000:00:1c.5'],
      [15, 'hardware-error', 'error', null],
      [17, 'io-error', 'error', 'ata1.00'],
      [19, 'io-error', 'error', 'nvme0'],
      [20, 'io-error', 'error', 'nvme1'],
      [21, 'io-error', 'error', 'nvme1'],
    ]);
    expect(recs.filter((r) => r.kind === 'report')).toHaveLength(0);
  });

  it('the storage and hardware errors of a syslog file or journal, which have no printk timestamp', async () => {
    const recs = await run(
      [
        'Nov 28 03:12:45 db1 kernel: EXT4-fs error (device nvme0n1p2): ext4_lookup:1785: inode #1311: comm find: deleted inode referenced: 1322',
        'Nov 28 03:12:46 db1 kernel: mce: [Hardware Error]: CPU 3: Machine Check Exception: 5 Bank 4: be00000000800400',
        // The "error -N" rule keeps to timestamped lines (KernelCI's logspec reads those only).
        'Nov 28 03:12:47 db1 kernel: usb 1-1: device descriptor read/64, error -71',
        // Not the kernel's: another program's line with the same words.
        'Nov 28 03:12:48 db1 smartd[812]: Device: /dev/sda [SAT], 8 Currently unreadable (pending) sectors; I/O error, dev sda, sector 1',
      ].join('\n'),
    );
    expect(recs.filter((r) => r.kind === 'kernel-error')).toMatchObject([
      { line: 1, category: 'filesystem', severity: 'error', device: 'nvme0n1p2' },
      { line: 2, category: 'hardware-error', severity: 'critical' },
    ]);
    expect(recs.filter((r) => r.kind === 'kernel-error').every((r) => !('time' in r))).toBe(true);
  });

  it('lines that only quote the messages are not kernel errors', async () => {
    const recs = await run(
      [
        '$ grep "EXT4-fs error (device sda1)" /var/log/kern.log',
        'The disk shows "I/O error, dev sda, sector 1234" after the upgrade.',
        '[    9.000000] EDAC amd64: F17h detected (node 0).',
        '[    9.000001] XFS (sda1): Mounting V5 Filesystem 0e5e3c5a-4b1f-4c0e-9b5f-6f4d1b2c3d4e',
      ].join('\n'),
    );
    expect(recs.filter((r) => r.kind === 'kernel-error')).toEqual([]);
  });
});
