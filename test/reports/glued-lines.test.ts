// Kernel lines glued behind other console output, and timestamped headers a mail client wrapped.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { analyzeText } from '../../src/analyze.js';
import { FIXTURES, readFixture } from '../helpers/fixtures.js';

const WARNING = [
  '[    1.000001] WARNING: CPU: 0 PID: 1 at fs/a.c:1 foo_bar+0x1/0x2',
  '[    1.000002] Call Trace:',
  '[    1.000003]  foo_bar+0x1/0x2',
  '[    1.000004]  kthread+0x10/0x20',
  '[    1.000005] ---[ end trace 0000000000000000 ]---',
].join('\n');

describe('a kernel line glued behind program output on a serial console', () => {
  const fx = readFixture(join(FIXTURES, 'logs', 'panic', 'glued-console-init-exit.hand.log'));
  const text = fx.log.toString('utf8');
  const lines = text.split('\n');
  const [r] = analyzeText(text, 'boot.log');

  it('starts the report at the timestamp and keeps the panic\'s own lines', () => {
    expect(r?.header).toBe('Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000200');
    expect(r?.time).toBe(271.403835);
    expect(r?.frames.map((f) => f.function)).toContain('do_exit');
    expect(r?.comm).toBe('init');
  });

  it('does not take in the next boot\'s firmware output', () => {
    const memoryLimit = lines.findIndex((l) => l.includes('Memory Limit: none')) + 1;
    expect(r?.endLine).toBe(memoryLimit);
    expect(r?.rawLines.some((l) => l.includes('[DEBUG]'))).toBe(false);
  });
});

describe('a timestamped header wrapped by a mail client', () => {
  // linux-ext4, 2020-05-21 (LKFT report): mkfs's progress line, the kernel's header glued to it, and
  // the mail client's wrap inside the header.
  const mail = [
    'Writing inode tables:    0/7453                           done',
    'Creating journal (262144 blocks): [   35.502102] BUG: kernel NULL',
    'pointer dereference, address: 000000c8',
    '[   35.508372] #PF: supervisor read access in kernel mode',
    '[   35.513506] #PF: error_code(0x0000) - not-present page',
    '[   35.518638] *pde = 00000000',
    '[   35.521514] Oops: 0000 [#1] SMP',
    '[   35.524652] CPU: 0 PID: 145 Comm: kswapd0 Not tainted 5.7.0-rc6-next-20200519+ #1',
    '[   35.539507] EIP: mem_cgroup_get_nr_swap_pages+0x28/0x60',
    '[   35.560000] Call Trace:',
    '[   35.560100]  get_scan_count+0x1ab/0x4f0',
    '[   35.560200]  shrink_lruvec+0x7c/0x450',
    '[   35.560300]  shrink_node+0x2ad/0x9f0',
    '[   35.560400]  kswapd+0x29f/0x6f0',
    '[   35.560500]  kthread+0x102/0x130',
    '[   35.560600] ---[ end trace 1a1b2c3d4e5f6a7b ]---',
  ].join('\n');

  it('joins the rest of the header and makes one report of the oops', () => {
    const reports = analyzeText(mail, 'mail');
    expect(reports).toHaveLength(1);
    expect(reports[0]?.header).toBe('BUG: kernel NULL pointer dereference, address: 000000c8');
    expect(reports[0]?.title).toBe('BUG: unable to handle kernel NULL pointer dereference in mem_cgroup_get_nr_swap_pages');
  });

  it('does not join an untimestamped line that does not complete a title', () => {
    const log = ['[   35.502102] BUG: kernel NULL pointer dereference, address: 000000c8', 'Starting udev', '[   35.508372] #PF: supervisor read access in kernel mode'].join('\n');
    const [r] = analyzeText(log, 'log');
    expect(r?.header).toBe('BUG: kernel NULL pointer dereference, address: 000000c8');
    expect(r?.rawLines).not.toContain('Starting udev');
  });
});

describe('an untimestamped header nothing corroborates', () => {
  // LTP output in a bug report (linux-ext4, 2023): "TINFO: Mounting ..." names the INFO: header.
  const ltp = Array.from({ length: 45 }, (_, i) => `ioctl_fiemap01.c:${70 + i}: TPASS: ioctl(fd, FS_IOC_FIEMAP, fiemap) passed`);

  it('is dropped after 40 lines: a call trace later belongs to something else', () => {
    const text = ['tst_test.c:1229: TINFO: Mounting /dev/loop0 to', ...ltp, 'Call Trace:', ' dump_stack+0x10/0x20'].join('\n');
    expect(analyzeText(text, 'mail')).toEqual([]);
  });

  it('is kept when a line corroborates it within 40 lines', () => {
    const text = ['tst_test.c:1229: TINFO: Mounting /dev/loop0 to', ...ltp.slice(0, 10), 'Call Trace:', ' dump_stack+0x10/0x20'].join('\n');
    expect(analyzeText(text, 'mail')).toHaveLength(1);
  });

  it('a header a title format matches stays open as long as before', () => {
    const text = ['WARNING: CPU: 0 PID: 1 at fs/a.c:1 foo_bar+0x1/0x2', ...ltp, 'Call Trace:', ' foo_bar+0x1/0x2', ' kthread+0x10/0x20'].join('\n');
    const [r] = analyzeText(text, 'mail');
    expect(r?.title).toBe('WARNING in foo_bar');
    expect(r?.endLine).toBe(49);
  });

  it('gives the lines after it back to their context: they precede the next report', () => {
    // depthcharge prints "WARNING: RO_VPD is uninitialized or empty." before loading the kernel.
    const firmware = Array.from({ length: 45 }, (_, i) => `[INFO ]  Loading segment ${i}`);
    const pasted = ['WARNING: CPU: 0 PID: 1 at fs/a.c:1 foo_bar+0x1/0x2', 'Call Trace:', ' foo_bar+0x1/0x2', ' kthread+0x10/0x20'];
    const [r, more] = analyzeText(['WARNING: RO_VPD is uninitialized or empty.', ...firmware, ...pasted].join('\n'), 'boot.log');
    expect(more).toBeUndefined();
    expect(r?.title).toBe('WARNING in foo_bar');
    // The header and the 39 lines after it are dropped together; the next 6 go back to their context.
    // Before, all 45 went into the header's report, which the pasted WARNING then ended.
    expect(r?.precedingLines).toEqual(firmware.slice(39));
  });
});
