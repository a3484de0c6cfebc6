// Kernel lines glued behind other console output, and timestamped headers a mail client wrapped.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { analyzeText } from '../../src/analyze.js';
import { FIXTURES, readFixture } from '../helpers/fixtures.js';

describe('a kernel line glued behind program output on a serial console', () => {
  const fx = readFixture(join(FIXTURES, 'logs', 'panic', 'glued-console-init-exit.hand.log'));
  const text = fx.log.toString('utf8');
  const lines = text.split('\n');
  const [r] = analyzeText(text, 'boot.log');

  it('starts the report at the timestamp and keeps the panic\'s own lines', () => {
    expect(r?.header).toBe('Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100');
    expect(r?.time).toBe(93.51842);
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
  // Shaped like an LKFT report on linux-ext4 (values made up): mkfs's progress line, the kernel's
  // header glued to it, and the mail client's wrap inside the header.
  const mail = [
    'Writing inode tables:    0/7453                           done',
    'Creating journal (32768 blocks): [   41.207310] BUG: kernel NULL',
    'pointer dereference, address: 000000a4',
    '[   41.208372] #PF: supervisor read access in kernel mode',
    '[   41.213506] #PF: error_code(0x0000) - not-present page',
    '[   41.218638] *pde = 00000000',
    '[   41.221514] Oops: 0000 [#1] SMP',
    '[   41.224652] CPU: 0 PID: 145 Comm: kswapd0 Not tainted 6.1.0 #1',
    '[   41.239507] EIP: mem_cgroup_get_nr_swap_pages+0x28/0x60',
    '[   41.260000] Call Trace:',
    '[   41.260100]  get_scan_count+0x1ab/0x4f0',
    '[   41.260200]  shrink_lruvec+0x7c/0x450',
    '[   41.260300]  shrink_node+0x2ad/0x9f0',
    '[   41.260400]  kswapd+0x29f/0x6f0',
    '[   41.260500]  kthread+0x102/0x130',
    '[   41.260600] ---[ end trace 1a1b2c3d4e5f6a7b ]---',
  ].join('\n');

  it('joins the rest of the header and makes one report of the oops', () => {
    const reports = analyzeText(mail, 'mail');
    expect(reports).toHaveLength(1);
    expect(reports[0]?.header).toBe('BUG: kernel NULL pointer dereference, address: 000000a4');
    expect(reports[0]?.title).toBe('BUG: unable to handle kernel NULL pointer dereference in mem_cgroup_get_nr_swap_pages');
  });

  it('joins it in a caller context too', () => {
    const withCaller = mail.split('\n').map((l) => l.replace(/^(\[ *\d+\.\d+\])/, '$1[  T145]').replace('blocks): [   41.207310]', 'blocks): [   41.207310][  T145]')).join('\n');
    const reports = analyzeText(withCaller, 'mail');
    expect(reports).toHaveLength(1);
    expect(reports[0]?.header).toBe('BUG: kernel NULL pointer dereference, address: 000000a4');
  });

  it('does not join a line of another program, nor a timestamped frame', () => {
    const user = ['<4>[    5.000000] BUG: kernel NULL', '<14>pointer dereference, address: 0000000000000008'].join('\n');
    expect(analyzeText(user, 'log')[0]?.header).toBe('BUG: kernel NULL');
    const frame = ['WARNING: CPU: 3 PID: 1 at fs/xfs/xfs_aops.c:971', '[    5.100000]  xfs_vm_writepage+0x5ce/0x630 [xfs]'].join('\n');
    expect(analyzeText(frame, 'log')[0]?.header).toBe('WARNING: CPU: 3 PID: 1 at fs/xfs/xfs_aops.c:971');
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

  it("is kept when KASAN's access line follows: commit messages quote a report without its trace", () => {
    // mm/kasan/report.c prints "Read of size N at addr X by task T" right after the header. Commit
    // messages quote these two lines, then bare function names (this one is made up, in that shape).
    const text = ['The test robot hit this while booting:', '', '\tBUG: KASAN: out-of-bounds in foo_probe', '\tRead of size 8 at addr ffff888012345678 by task swapper/0/1', '\t...', '\t__asan_load8', '\tfoo_probe'].join('\n');
    const [r] = analyzeText(text, 'mail');
    expect(r?.header).toBe('BUG: KASAN: out-of-bounds in foo_probe');
    // No offset on the function, so syzkaller's KASAN format does not match: its corrupted fallback title.
    expect(r?.title).toBe('KASAN: out-of-bounds in foo_probe');
  });

  it('is still dropped when the size line is prose', () => {
    const text = ['BUG: KASAN: out-of-bounds in foo_probe', 'Read of size 8 is what the report said, not more.'].join('\n');
    expect(analyzeText(text, 'mail')).toEqual([]);
  });

  it('a header a title format matches stays open as long as before', () => {
    const text = ['WARNING: CPU: 0 PID: 1 at fs/a.c:1 foo_bar+0x1/0x2', ...ltp, 'Call Trace:', ' foo_bar+0x1/0x2', ' kthread+0x10/0x20'].join('\n');
    const [r] = analyzeText(text, 'mail');
    expect(r?.title).toBe('WARNING in foo_bar');
    expect(r?.endLine).toBe(49);
  });

  it('a slab dump keeps it: slub_debug prints the object before the trace', () => {
    // mm/slub.c, untimestamped (dmesg -t): a 1 KB object takes 64 rows before "CPU: 0 PID: 1".
    const rows = Array.from({ length: 64 }, (_, i) => `Object   ffff8881012340${(i * 16).toString(16).padStart(2, '0')}: 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b  kkkkkkkkkkkkkkkk`);
    const text = [
      'BUG kmalloc-1k (Not tainted): Right Redzone overwritten',
      '0xffff888101234400-0xffff888101234400 @offset=1024. First byte 0x0 instead of 0xcc',
      ...rows,
      'CPU: 0 PID: 1 Comm: swapper/0 Not tainted 6.1.0 #1',
      'Call Trace:',
      ' <TASK>',
      ' dump_stack_lvl+0x44/0x5c',
      ' check_bytes_and_report+0xc5/0x110',
      ' lkdtm_SLAB_BUFFER_OVERFLOW+0x20/0x40',
      ' </TASK>',
    ].join('\n');
    expect(analyzeText(text, 'dmesg-t')).toHaveLength(1);
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

describe('a header after an untimestamped header nothing corroborates', () => {
  it('starts its own report instead of continuing it', () => {
    // dmesg -t of a boot whose firmware printed a "WARNING:" line first.
    const text = ['WARNING: RO_VPD is uninitialized or empty.', 'Starting kernel ...', 'Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)', 'CPU: 0 PID: 1 Comm: swapper/0 Not tainted 6.1.0 #1', 'Call Trace:', ' dump_stack_lvl+0x44/0x5c', ' panic+0x10c/0x2c8', ' mount_block_root+0x1d4/0x1e8'].join('\n');
    expect(analyzeText(text, 'boot.log').map((r) => r.title)).toEqual(['kernel panic: VFS: Unable to mount root fs on unknown-block(NUM,NUM)']);
  });
});
