// Every prefix format the normalizer knows, one hand-checked line each.
import { describe, expect, it } from 'vitest';
import { LineNormalizer, cleanControl, normalizeLine } from '../../src/parsers/normalize-line.js';

interface Case {
  name: string;
  raw: string;
  text: string;
  fields?: Record<string, unknown>;
}

const cases: Case[] = [
  {
    name: 'plain dmesg line with printk timestamp',
    raw: '[  971.123456] WARNING: CPU: 3 PID: 19721 at fs/xfs/xfs_aops.c:971 xfs_vm_writepage+0x5ce/0x630 [xfs]',
    text: 'WARNING: CPU: 3 PID: 19721 at fs/xfs/xfs_aops.c:971 xfs_vm_writepage+0x5ce/0x630 [xfs]',
    fields: { time: 971.123456, kernel: true, prefixes: ['printk-time'] },
  },
  {
    name: 'CONFIG_PRINTK_CALLER task id, padded to 6 columns by the kernel',
    raw: '[   49.650190][  T126] wlan1: Created IBSS using preconfigured BSSID 50:50:50:50:50:50',
    text: 'wlan1: Created IBSS using preconfigured BSSID 50:50:50:50:50:50',
    fields: { caller: 'T126', time: 49.65019 },
  },
  {
    name: 'Android caller id with the CPU (vendor hook android_vh_printk_caller: "T%u@C%u")',
    raw: '[   12.345678][T1234@C4] WARNING: CPU: 4 PID: 1234 at drivers/foo/foo.c:10 foo_probe+0x20/0x40',
    text: 'WARNING: CPU: 4 PID: 1234 at drivers/foo/foo.c:10 foo_probe+0x20/0x40',
    fields: { caller: 'T1234', time: 12.345678, prefixes: ['printk-time', 'caller'] },
  },
  {
    name: "Samsung's CONFIG_PRINTK_PROCESS after the time: CPU, comm padded to 15, pid",
    raw: '[    7.441317] [4:           init:    1] NET: Registered protocol family 39',
    text: 'NET: Registered protocol family 39',
    fields: { caller: 'T1', time: 7.441317, prefixes: ['printk-time', 'caller'] },
  },
  {
    name: 'CONFIG_PRINTK_PROCESS in interrupt context ("I"), no time: the CPU tells the lines apart',
    raw: 'I[5:  kworker/u16:1:  184] WARNING: CPU: 5 PID: 184 at kernel/foo.c:1 foo+0x1/0x2',
    text: 'WARNING: CPU: 5 PID: 184 at kernel/foo.c:1 foo+0x1/0x2',
    fields: { caller: 'C5', kernel: true },
  },
  {
    name: 'dmesg -t on a CONFIG_PRINTK_CALLER kernel: the caller id alone starts the line',
    raw: '[    C6] watchdog: BUG: soft lockup - CPU#6 stuck for 48s! [kworker/6:1:59]',
    text: 'watchdog: BUG: soft lockup - CPU#6 stuck for 48s! [kworker/6:1:59]',
    fields: { caller: 'C6', time: undefined, kernel: true, prefixes: ['caller'] },
  },
  {
    name: 'dmesg -t -x with caller ids',
    raw: 'kern  :warn  : [  T123] Call Trace:',
    text: 'Call Trace:',
    fields: { caller: 'T123', level: 4, prefixes: ['dmesg-x', 'caller'] },
  },
  {
    name: 'a bracketed word that is no caller id stays (no blank after it, or not at the start)',
    raw: '[T1]x and [  T2] y',
    text: '[T1]x and [  T2] y',
    fields: { caller: undefined, kernel: false },
  },
  {
    name: 'CONFIG_PRINTK_CALLER with a 5-digit pid fills the brackets',
    raw: '[  144.274089][T11803] WARNING: The mand mount option',
    text: 'WARNING: The mand mount option',
    fields: { caller: 'T11803' },
  },
  {
    name: 'CPU caller id',
    raw: '[  150.665871][    C0] Oops: int3: 0000 [#1] SMP KASAN NOPTI',
    text: 'Oops: int3: 0000 [#1] SMP KASAN NOPTI',
    fields: { caller: 'C0' },
  },
  {
    name: 'dmesg --raw: priority then timestamp',
    raw: '<4>[  123.000001] ------------[ cut here ]------------',
    text: '------------[ cut here ]------------',
    fields: { level: 4, time: 123.000001, prefixes: ['priority', 'printk-time'] },
  },
  {
    name: 'userspace priority (facility 1) written to kmsg is not from the kernel log',
    raw: '<14>[   85.912347] init: computing context for service',
    text: 'init: computing context for service',
    fields: { level: 6, fromKernelLog: false },
  },
  {
    name: 'dmesg -x facility and level',
    raw: 'kern  :warn  : [ 5.123456] WARNING: CPU: 0 PID: 1 at kernel/foo.c:1 foo+0x1/0x2',
    text: 'WARNING: CPU: 0 PID: 1 at kernel/foo.c:1 foo+0x1/0x2',
    fields: { level: 4, fromKernelLog: true, prefixes: ['dmesg-x', 'printk-time'] },
  },
  {
    name: 'dmesg -x without timestamps (dmesg -x -t)',
    raw: 'kern  :alert : BUG: kernel NULL pointer dereference, address: 00000000000002fc',
    text: 'BUG: kernel NULL pointer dereference, address: 00000000000002fc',
    fields: { level: 1 },
  },
  {
    name: 'dmesg -T human time',
    raw: '[Sat Jul 26 12:58:23 2014] WARNING: CPU: 1 PID: 28814 at fs/ext4/inode.c:1881 ext4_writepage+0xa7/0x38b()',
    text: 'WARNING: CPU: 1 PID: 28814 at fs/ext4/inode.c:1881 ext4_writepage+0xa7/0x38b()',
    fields: { wallTime: '2014-07-26T12:58:23', prefixes: ['dmesg-T'] },
  },
  {
    name: 'dmesg --time-format iso (util-linux uses a comma before the fraction)',
    raw: '2014-07-26T12:58:23,123456+02:00 Call Trace:',
    text: 'Call Trace:',
    fields: { wallTime: '2014-07-26T12:58:23.123456+02:00', kernel: true, prefixes: ['dmesg-iso'] },
  },
  {
    name: 'dmesg -d delta format',
    raw: '[ 1234.567890 <    0.000123>] Call Trace:',
    text: 'Call Trace:',
    fields: { time: 1234.56789, prefixes: ['dmesg-delta'] },
  },
  {
    // Lines of `journalctl -k -o short-delta` (systemd 252) on the real lockdep capture
    // (scripts/fixtures/journal-from-kmsg.mjs renders it).
    name: 'journalctl -o short-delta: the delta with a blank before ">"',
    raw: '[   13.006943 <    0.000176 >] qemu kernel: WARNING: possible circular locking dependency detected',
    text: 'WARNING: possible circular locking dependency detected',
    fields: { time: 13.006943, fromKernelLog: true, prefixes: ['dmesg-delta', 'journal'] },
  },
  {
    name: 'journalctl -o short-delta: the first entry, blanks for the delta',
    raw: '[    0.000000                ] qemu kernel: Linux version 6.12.117 (root@vm)',
    text: 'Linux version 6.12.117 (root@vm)',
    fields: { time: 0, fromKernelLog: true, prefixes: ['printk-time', 'journal'] },
  },
  {
    // journalctl -k --no-hostname (systemd 252, the real lockdep capture): no host before "kernel: ".
    name: 'journalctl --no-hostname -o short',
    raw: 'Nov 28 13:15:03 kernel: WARNING: possible circular locking dependency detected',
    text: 'WARNING: possible circular locking dependency detected',
    fields: { wallTime: '11-28T13:15:03', fromKernelLog: true, kernel: true, prefixes: ['syslog'] },
  },
  {
    name: 'journalctl --no-hostname -o short-monotonic',
    raw: '[   13.006943] kernel: WARNING: possible circular locking dependency detected',
    text: 'WARNING: possible circular locking dependency detected',
    fields: { time: 13.006943, fromKernelLog: true, prefixes: ['printk-time', 'journal'] },
  },
  {
    // Without a host only "kernel: " is read as the ident: a CI log's time before a header stays one.
    name: 'a CI time before a kernel header is no syslog line without a host',
    raw: '2024-01-02T03:04:05.1234567Z WARNING: CPU: 0 PID: 1 at mm/foo.c:10 foo+0x1/0x2',
    text: 'WARNING: CPU: 0 PID: 1 at mm/foo.c:10 foo+0x1/0x2',
    fields: { prefixes: ['ci-time'] },
  },
  {
    name: 'dmesg -e relative time',
    raw: '[  +0.000008] WARNING: CPU: 3 PID: 7620 at kernel/rcu/srcutree.c:374 cleanup_srcu_struct+0xed/0x100',
    text: 'WARNING: CPU: 3 PID: 7620 at kernel/rcu/srcutree.c:374 cleanup_srcu_struct+0xed/0x100',
    fields: { prefixes: ['dmesg-delta'] },
  },
  {
    name: '/dev/kmsg record: level 4 (facility 0), sequence, microseconds, flags',
    raw: '4,1234,971123456,-;WARNING: CPU: 3 PID: 19721 at fs/xfs/xfs_aops.c:971 xfs_vm_writepage+0x5ce/0x630 [xfs]',
    text: 'WARNING: CPU: 3 PID: 19721 at fs/xfs/xfs_aops.c:971 xfs_vm_writepage+0x5ce/0x630 [xfs]',
    fields: { level: 4, time: 971.123456, fromKernelLog: true, prefixes: ['kmsg'] },
  },
  {
    name: '/dev/kmsg record with caller field (v5.1+: ",caller=T123")',
    raw: '6,339,5140900,-,caller=T1;NET: Registered protocol family 10',
    text: 'NET: Registered protocol family 10',
    fields: { level: 6, time: 5.1409 },
  },
  {
    name: 'syslog kern.log (RFC 3164) with the printk timestamp kept by rsyslog',
    raw: 'Jul 26 12:58:23 host kernel: [ 1881.123456] WARNING: CPU: 1 PID: 28814 at fs/ext4/inode.c:1881 ext4_writepage+0xa7/0x38b()',
    text: 'WARNING: CPU: 1 PID: 28814 at fs/ext4/inode.c:1881 ext4_writepage+0xa7/0x38b()',
    fields: { wallTime: '07-26T12:58:23', time: 1881.123456, fromKernelLog: true, prefixes: ['syslog', 'printk-time'] },
  },
  {
    name: 'syslog line of another program is marked as not from the kernel',
    raw: 'Jul 26 12:58:24 host sshd[1234]: WARNING: something from userspace',
    text: 'WARNING: something from userspace',
    fields: { fromKernelLog: false, kernel: false },
  },
  {
    name: 'rsyslog high-precision ISO timestamp',
    raw: '2024-07-26T12:58:23.123456+02:00 host kernel: Call Trace:',
    text: 'Call Trace:',
    fields: { wallTime: '2024-07-26T12:58:23.123456+02:00', fromKernelLog: true, prefixes: ['syslog'] },
  },
  {
    name: 'journalctl -k (short): same shape as syslog',
    raw: 'Jul 26 12:58:23 myhost kernel: BUG: kernel NULL pointer dereference, address: 0000000000000000',
    text: 'BUG: kernel NULL pointer dereference, address: 0000000000000000',
    fields: { fromKernelLog: true, kernel: true },
  },
  {
    name: 'journalctl -o short-precise',
    raw: 'Jul 26 12:58:23.123456 myhost kernel: RIP: 0010:foo+0x1/0x2',
    text: 'RIP: 0010:foo+0x1/0x2',
    fields: { wallTime: '07-26T12:58:23.123456', prefixes: ['journal'] },
  },
  {
    name: 'journalctl -o short-iso',
    raw: '2014-07-26T12:58:23+0200 myhost kernel: Call Trace:',
    text: 'Call Trace:',
    fields: { wallTime: '2014-07-26T12:58:23+0200', fromKernelLog: true },
  },
  {
    name: 'journalctl -o short-monotonic',
    raw: '[ 1881.123456] myhost kernel: Call Trace:',
    text: 'Call Trace:',
    fields: { time: 1881.123456, fromKernelLog: true, prefixes: ['printk-time', 'journal'] },
  },
  {
    name: 'journalctl -o short-full',
    raw: 'Sat 2014-07-26 12:58:23 CEST myhost kernel: Call Trace:',
    text: 'Call Trace:',
    fields: { wallTime: '2014-07-26T12:58:23', fromKernelLog: true },
  },
  {
    name: 'journalctl -o short-unix',
    raw: '1406379503.123456 myhost kernel: Call Trace:',
    text: 'Call Trace:',
    fields: { fromKernelLog: true, prefixes: ['journal'] },
  },
  {
    name: 'journalctl -o json kernel record (source monotonic time in microseconds)',
    raw: '{"__REALTIME_TIMESTAMP":"1406379503123456","__MONOTONIC_TIMESTAMP":"1881200000","_SOURCE_MONOTONIC_TIMESTAMP":"1881123456","_TRANSPORT":"kernel","PRIORITY":"4","SYSLOG_FACILITY":"0","SYSLOG_IDENTIFIER":"kernel","MESSAGE":"WARNING: CPU: 1 PID: 28814 at fs/ext4/inode.c:1881 ext4_writepage+0xa7/0x38b()"}',
    text: 'WARNING: CPU: 1 PID: 28814 at fs/ext4/inode.c:1881 ext4_writepage+0xa7/0x38b()',
    fields: { level: 4, time: 1881.123456, fromKernelLog: true, wallTime: '2014-07-26T12:58:23.123Z', prefixes: ['journal-json'] },
  },
  {
    name: 'journalctl -o json with MESSAGE as a byte array (invalid UTF-8 in the record)',
    raw: '{"_TRANSPORT":"kernel","PRIORITY":"6","MESSAGE":[67,97,108,108,32,84,114,97,99,101,58,255]}',
    text: 'Call Trace:\uFFFD',
    fields: { fromKernelLog: true },
  },
  {
    name: 'GitHub Actions log timestamp',
    raw: '2024-01-02T03:04:05.1234567Z [    1.234567] Kernel panic - not syncing: VFS: Unable to mount root fs',
    text: 'Kernel panic - not syncing: VFS: Unable to mount root fs',
    fields: { wallTime: '2024-01-02T03:04:05.1234567Z', time: 1.234567, prefixes: ['ci-time', 'printk-time'] },
  },
  {
    name: 'email quote',
    raw: '> WARNING: CPU: 3 PID: 19721 at fs/xfs/xfs_aops.c:971',
    text: 'WARNING: CPU: 3 PID: 19721 at fs/xfs/xfs_aops.c:971',
    fields: { quoteDepth: 1, kernel: false },
  },
  {
    name: 'email quote keeps the frame indentation after "> "',
    raw: '>  [<ffffffffc023068e>] xfs_vm_writepage+0x5ce/0x630 [xfs]',
    text: ' [<ffffffffc023068e>] xfs_vm_writepage+0x5ce/0x630 [xfs]',
    fields: { quoteDepth: 1 },
  },
  { name: 'nested quote "> > "', raw: '> > Call Trace:', text: 'Call Trace:', fields: { quoteDepth: 2 } },
  { name: 'nested quote ">>"', raw: '>> Call Trace:', text: 'Call Trace:', fields: { quoteDepth: 2 } },
  // As quoted in kasan-dev replies: "| [   12.3] BUG: scheduling while atomic: ...".
  { name: 'bar quote "| "', raw: '| [   38.128302]  el1_irq+0xb8/0x180', text: ' el1_irq+0xb8/0x180', fields: { quoteDepth: 1, time: 38.128302 } },
  { name: 'bar inside a ">" quote', raw: '> | Call trace:', text: 'Call trace:', fields: { quoteDepth: 2 } },
  { name: 'a bar without a blank after it is text', raw: '|--- foo', text: '|--- foo' },
  {
    name: 'quoted dmesg line keeps its timestamp value',
    raw: '> [  123.456789] BUG: KASAN: slab-use-after-free in foo+0x1/0x2',
    text: 'BUG: KASAN: slab-use-after-free in foo+0x1/0x2',
    fields: { quoteDepth: 1, time: 123.456789, prefixes: ['quote', 'printk-time'] },
  },
  {
    name: "KASAN shadow-memory row marker is not an email quote",
    raw: '>ffff88801a4f9b00: fa fb fb fb fb fb fb fb fc fc fc fc fc fc fc fc',
    text: '>ffff88801a4f9b00: fa fb fb fb fb fb fb fb fc fc fc fc fc fc fc fc',
  },
  {
    name: 'serial console: getty prompt in front of the kernel line',
    raw: 'syzkaller login: [  101.234567] BUG: soft lockup - CPU#0 stuck for 22s! [syz:123]',
    text: 'BUG: soft lockup - CPU#0 stuck for 22s! [syz:123]',
    fields: { time: 101.234567, prefixes: ['console-noise', 'printk-time'] },
  },
  {
    // kernelci-boot linux_boot_008.log: init's shell error had no newline when the panic printed.
    name: 'serial console: program output glued before the kernel line',
    raw: '/init: 384: .: [  271.403835] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000200',
    text: 'Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000200',
    fields: { time: 271.403835, kernel: true, prefixes: ['console-noise', 'printk-time'] },
  },
  {
    // printk.c: the caller id follows the timestamp with no blank.
    name: 'glued kernel line with a caller id',
    raw: 'Started System Logg[   40.438055][  T461] random: crng init done',
    text: 'random: crng init done',
    fields: { time: 40.438055, caller: 'T461', prefixes: ['console-noise', 'printk-time', 'caller'] },
  },
  {
    name: 'glued kernel line with a caller id after a blank',
    raw: 'Starting udev: [    5.123456] [    T1] random: crng init done',
    text: 'random: crng init done',
    fields: { time: 5.123456, caller: 'T1', prefixes: ['console-noise', 'printk-time', 'caller'] },
  },
  {
    name: 'glued kernel line with its printk level',
    raw: 'Starting udev: <4>[    5.123456] WARNING: CPU: 0 PID: 1 at a.c:1 f+0x1/0x2',
    text: 'WARNING: CPU: 0 PID: 1 at a.c:1 f+0x1/0x2',
    fields: { time: 5.123456, level: 4, prefixes: ['console-noise', 'priority', 'printk-time'] },
  },
  {
    name: "a program's line with a user facility level is not a glued kernel line",
    raw: 'Starting udev: <14>[    5.123456] udevd: starting',
    text: 'Starting udev: <14>[    5.123456] udevd: starting',
  },
  {
    name: 'a timestamp inside a kmsg record keeps the record\'s time',
    raw: '6,339,5140900,-;foo [    1.000000] bar',
    text: 'foo [    1.000000] bar',
    fields: { time: 5.1409, prefixes: ['kmsg'] },
  },
  {
    name: 'a bracket before the timestamp is not glued noise',
    raw: '[DL] x [  271.403835] Kernel panic - not syncing: x',
    text: '[DL] x [  271.403835] Kernel panic - not syncing: x',
  },
  {
    name: 'a time that is not print_time()\'s format is not a glued kernel line',
    raw: 'took [ 1.5] seconds',
    text: 'took [ 1.5] seconds',
  },
  {
    name: "another program's syslog line keeps its text",
    raw: 'Nov 27 02:41:00 host app[12]: saw [  271.403835] Kernel panic - not syncing: x',
    text: 'saw [  271.403835] Kernel panic - not syncing: x',
    fields: { fromKernelLog: false },
  },
  {
    name: 'dropped-messages note',
    raw: '** 12 printk messages dropped ** [  101.234567] Call Trace:',
    text: 'Call Trace:',
    fields: { prefixes: ['console-noise', 'printk-time'] },
  },
  {
    name: 'CR LF line ending and ANSI colour codes are removed',
    raw: '\x1b[33m[    5.000001] WARNING: CPU: 0 PID: 1 at a.c:1 f+0x1/0x2\x1b[0m\r',
    text: 'WARNING: CPU: 0 PID: 1 at a.c:1 f+0x1/0x2',
    fields: { time: 5.000001 },
  },
  {
    name: 'NUL bytes and other control characters are removed',
    raw: '[    5.000001] Call\x00 Trace:\x07',
    text: 'Call Trace:',
  },
  { name: 'text without any prefix stays as it is', raw: ' xfs_vm_writepage+0x5ce/0x630 [xfs]', text: ' xfs_vm_writepage+0x5ce/0x630 [xfs]', fields: { kernel: false, prefixes: [] } },
];

describe('normalizeLine', () => {
  for (const c of cases) {
    it(c.name, () => {
      const line = normalizeLine(c.raw, 7, 'x.log');
      expect(line).not.toBeNull();
      expect(line!.text).toBe(c.text);
      expect(line!.lineNo).toBe(7);
      expect(line!.source).toBe('x.log');
      if (c.fields) expect(line).toMatchObject(c.fields);
    });
  }

  it('drops /dev/kmsg dictionary continuation lines that follow a record', () => {
    const n = new LineNormalizer('kmsg');
    expect(n.normalize('6,339,5140900,-;usb 1-1: new device', 1)?.text).toBe('usb 1-1: new device');
    expect(n.normalize(' SUBSYSTEM=usb', 2)).toBeNull();
    expect(n.normalize(' DEVICE=c189:1', 3)).toBeNull();
  });

  it('keeps indented frame lines that do not follow a kmsg record', () => {
    const n = new LineNormalizer('dmesg');
    expect(n.normalize(' SUBSYSTEM=usb', 1)?.text).toBe(' SUBSYSTEM=usb');
  });

  it('knows whether a skipped line was a kmsg record when a dictionary line follows it', () => {
    const n = new LineNormalizer('dmesg');
    n.skip('6,339,5140900,-;usb 1-1: new device');
    expect(n.normalize(' SUBSYSTEM=usb', 2)).toBeNull();
    n.skip('[    1.000000] usb 1-1: new device');
    expect(n.normalize(' SUBSYSTEM=usb', 4)?.text).toBe(' SUBSYSTEM=usb');
    // A skipped line normalised later (a header looks back over it) leaves the state alone.
    n.normalize('6,339,5140900,-;usb 1-1: new device', 5);
    expect(n.normalizeSkipped('[    1.000000] plain', 6)?.text).toBe('plain');
    expect(n.normalize(' SUBSYSTEM=usb', 7)).toBeNull();
  });
});

describe('journalctl: the further lines of a message of several lines', () => {
  // logs-show.c print_multiline: each further line is indented by the columns of the prefix, and
  // has no prefix of its own (lines from fixtures/logs/prefixes/lockdep-journalctl-short.derived.log).
  const first = 'Nov 28 13:15:03 qemu kernel: ';
  const pad = ' '.repeat(first.length);

  it('take the prefix of the line they continue', () => {
    const n = new LineNormalizer('journal');
    expect(n.normalize(first, 1)).toMatchObject({ text: '', fromKernelLog: true, prefixes: ['syslog'] });
    expect(n.normalize(`${pad}but task is already holding lock:`, 2)).toMatchObject({ text: 'but task is already holding lock:', lineNo: 2, fromKernelLog: true, kernel: true, wallTime: '11-28T13:15:03', prefixes: ['syslog'] });
    // An empty further line is the indent alone; the message goes on after it.
    expect(n.normalize(pad, 2)).toMatchObject({ text: '', fromKernelLog: true });
    expect(n.normalize(`${pad}after an empty line`, 2)?.text).toBe('after an empty line');
    // A further line indented more keeps the blanks beyond the prefix's columns.
    expect(n.normalize(`${pad}       __mutex_lock+0x17f/0x1d00`, 3)?.text).toBe('       __mutex_lock+0x17f/0x1d00');
    // journalctl --no-hostname: the further lines are indented to the column after "kernel: ".
    n.normalize('Nov 28 13:15:03 kernel: ', 6);
    expect(n.normalize(`${' '.repeat(24)}but task is already holding lock:`, 7)).toMatchObject({ text: 'but task is already holding lock:', fromKernelLog: true });
    // journalctl -o short-monotonic: the printk time is kept too.
    n.normalize('[   13.011384] qemu kernel: ', 4);
    expect(n.normalize(`${' '.repeat(28)}-> #1 (ktriage_lock_b){+.+.}-{3:3}:`, 5)).toMatchObject({ text: '-> #1 (ktriage_lock_b){+.+.}-{3:3}:', time: 13.011384 });
  });

  it('a program\'s message continues as that program\'s', () => {
    const n = new LineNormalizer('journal');
    n.normalize('Nov 28 13:15:03 qemu systemd[1]: Started a', 1);
    expect(n.normalize(`${' '.repeat(33)}WARNING: not the kernel's`, 2)).toMatchObject({ text: "WARNING: not the kernel's", fromKernelLog: false, kernel: false });
  });

  it('only right after a syslog or journal line or its further lines, and only indented that far', () => {
    const n = new LineNormalizer('journal');
    n.normalize(first, 1);
    expect(n.normalize(`${' '.repeat(first.length - 1)}short of the column`, 2)?.text).toBe(`${' '.repeat(first.length - 1)}short of the column`);
    expect(n.normalize(`${pad}after a plain line`, 3)?.text).toBe(`${pad}after a plain line`);
    n.normalize('[    1.000000] a console line', 4);
    expect(n.normalize(`${pad}x`, 5)?.text).toBe(`${pad}x`);
    // A line the analyzer skipped as quiet ends the message unless it is a further line itself.
    n.normalize(first, 6);
    n.skip(`${pad}skipped further line`);
    expect(n.normalize(`${pad}y`, 8)?.text).toBe('y');
    n.skip('Nov 28 13:15:04 qemu systemd[1]: a line of another prefix');
    expect(n.normalize(`${pad}z`, 10)?.text).toBe(`${pad}z`);
    // The prefix of a skipped line is worked out when a line that may continue it comes.
    n.skip(first);
    n.skip(`${pad}skipped further line`);
    expect(n.normalize(`${pad}v`, 16)).toMatchObject({ text: 'v', fromKernelLog: true });
    // A line normalised for a look back leaves the state alone.
    n.normalize(first, 11);
    n.normalizeSkipped('[    1.000000] plain', 12);
    expect(n.normalize(`${pad}w`, 13)?.text).toBe('w');
    // A skipped blank line indented less than the column ends the message, as read.
    n.normalize(first, 14);
    n.skip(' x');
    expect(n.normalize(`${pad}u`, 16)?.text).toBe(`${pad}u`);
  });

  it('quoted in mail: the quote markers, then the indent', () => {
    const lines = [`> ${first}`, `> ${pad}but task is already holding lock:`, `> ${pad}  ktriage_take_b_then_a+0x1c/0x40`];
    const read = new LineNormalizer('mail');
    const all = lines.map((l, i) => read.normalize(l, i + 1));
    expect(all[1]).toMatchObject({ text: 'but task is already holding lock:', fromKernelLog: true, quoteDepth: 1, prefixes: ['quote', 'syslog'] });
    expect(all[2]?.text).toBe('  ktriage_take_b_then_a+0x1c/0x40');
    // The analyzer skips the first two as quiet: the third is read as when none was skipped.
    const skipping = new LineNormalizer('mail');
    skipping.skip(lines[0]!);
    skipping.skip(lines[1]!);
    expect(skipping.normalize(lines[2]!, 3)).toEqual(all[2]);
    // Twice quoted; a line with other quote markers is no further line.
    const twice = new LineNormalizer('mail');
    twice.normalize(`> > ${first}`, 1);
    expect(twice.normalize(`> > ${pad}x`, 2)?.text).toBe('x');
    expect(twice.normalize(`>   ${pad}x`, 3)?.text).toBe(`  ${pad}x`);
  });
});

describe('dmesg --json (util-linux 2.38+: one record over several lines, the message last)', () => {
  // Lines in the layout of util-linux sys-utils/dmesg.c print_record + lib/jsonwrt.c, written by hand.
  const doc = (fields: string[], msg: string) => ['{', '   "dmesg": [', '      {', ...fields.map((f) => `         ${f},`), `         "msg": ${msg}`, '      }', '   ]', '}'];

  function read(lines: string[]) {
    const n = new LineNormalizer('dmesg.json');
    return lines.map((l, i) => n.normalize(l, i + 1));
  }

  it('gives the message its record\'s time, level and facility; braces and fields carry no message', () => {
    const out = read(doc(['"pri": 4', '"time":  1881.123456'], '"WARNING: CPU: 1 PID: 28814 at fs/ext4/inode.c:1881 ext4_writepage+0xa7/0x38b()"'));
    // The first "{" comes before the document is recognised: a plain line.
    expect(out.map((l) => l?.text ?? null)).toEqual(['{', null, null, null, null, 'WARNING: CPU: 1 PID: 28814 at fs/ext4/inode.c:1881 ext4_writepage+0xa7/0x38b()', null, null, null]);
    expect(out[5]).toMatchObject({ lineNo: 6, time: 1881.123456, level: 4, fromKernelLog: true, kernel: true, prefixes: ['dmesg-json'] });
  });

  it('reads -x names, the caller id, and JSON escapes', () => {
    const out = read(doc(['"fac": "kern"', '"pri": "err"', '"time":    12.000100', '"caller": "T96"'], '"BUG: \\"quoted\\" \\\\ x\\u001b[0m\\ttab"'));
    // The escape sequence is removed as on a console (cleanControl); the tab is kept.
    expect(out[7]).toMatchObject({ text: 'BUG: "quoted" \\ x\ttab', time: 12.0001, level: 3, caller: 'T96', fromKernelLog: true, prefixes: ['dmesg-json', 'caller'] });
  });

  it('marks a message from another facility as not the kernel\'s (pri 14 = user.info; -x "user")', () => {
    expect(read(doc(['"pri": 14', '"time":     1.000000'], '"WARNING: from a program"'))[5]).toMatchObject({ level: 6, fromKernelLog: false });
    expect(read(doc(['"fac": "user"', '"pri": "info"', '"time":     1.000000'], '"x"'))[6]).toMatchObject({ level: 6, fromKernelLog: false });
  });

  it('a record\'s fields do not leak into the next record', () => {
    const out = read(['{', '   "dmesg": [', '      {', '         "pri": 4,', '         "time":     1.000000,', '         "caller": "T1",', '         "msg": "a"', '      },{', '         "msg": "b"', '      }']);
    expect(out[8]).toMatchObject({ text: 'b', time: undefined, level: undefined, caller: undefined });
  });

  it('outside a document, the same lines are plain text', () => {
    const n = new LineNormalizer('x.log');
    expect(n.normalize('         "msg": "WARNING: x"', 1)?.text).toBe('         "msg": "WARNING: x"');
    expect(n.readsEveryLine).toBe(false);
    n.normalize('   "dmesg": [', 2);
    expect(n.readsEveryLine).toBe(true);
    // A line that is none of the document's stays plain inside one.
    expect(n.normalize('[    1.000000] Call Trace:', 3)).toMatchObject({ text: 'Call Trace:', time: 1 });
  });
});

describe('cleanControl', () => {
  it('drops a CR LF line end, and every other control character with it', () => {
    expect(cleanControl('[    1.000000] Call Trace:\r')).toBe('[    1.000000] Call Trace:');
    expect(cleanControl('a\rb\r')).toBe('ab');
    expect(cleanControl('\x1b[31mred\x1b[0m\r')).toBe('red');
    expect(cleanControl('\r')).toBe('');
    expect(cleanControl('tab\tkept\r')).toBe('tab\tkept');
  });
});
