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
});
