// Frame lines of every architecture, as the kernel prints them.
import { describe, expect, it } from 'vitest';
import { parseFrameLine, parsePcLine, titleFunction } from '../../src/reports/frames.js';

const cases: Array<{ name: string; line: string; frames: Array<Record<string, unknown>>; unreliable?: boolean }> = [
  {
    name: 'x86-64 v4.x+ (ORC unwinder): " func+off/size [module]"',
    line: ' xfs_vm_writepage+0x5ce/0x630 [xfs]',
    frames: [{ function: 'xfs_vm_writepage', offset: '0x5ce', size: '0x630', module: 'xfs', reliable: true }],
  },
  {
    name: 'x86-64 module with build id (v5.19+ CONFIG_STACKTRACE_BUILD_ID)',
    line: ' lkdtm_WARNING+0x15/0x20 [lkdtm 5a1e7b0c9d2f3e4a5b6c7d8e9f00112233445566]',
    frames: [{ function: 'lkdtm_WARNING', module: 'lkdtm' }],
  },
  {
    name: 'x86 unreliable frame',
    line: ' ? __warn+0x98/0xda',
    frames: [{ function: '__warn', reliable: false }],
    unreliable: true,
  },
  {
    name: 'x86 pre-4.x: "[<addr>] func+off/size"',
    line: ' [<ffffffff8316f759>] shrink_page_list+0x8f9/0xb90',
    frames: [{ function: 'shrink_page_list', address: '[<ffffffff8316f759>]', offset: '0x8f9', size: '0xb90' }],
  },
  {
    name: 'x86 pre-4.x unreliable: "[<addr>] ? func+off/size"',
    line: ' [<ffffffff811efdee>] ? __lock_acquire+0xabe/0x4eb0',
    frames: [{ function: '__lock_acquire', reliable: false }],
    unreliable: true,
  },
  {
    name: 'compiler suffixes stay in the frame',
    line: ' ref_tracker_dir_exit.cold+0x137/0x1e3 lib/ref_tracker.c:37',
    frames: [{ function: 'ref_tracker_dir_exit.cold', file: 'lib/ref_tracker.c', line: 37 }],
  },
  {
    name: 'symbolized inline frame (syzbot, decode_stacktrace.sh)',
    line: ' __dump_stack lib/dump_stack.c:16 [inline]',
    frames: [{ function: '__dump_stack', file: 'lib/dump_stack.c', line: 16, inlined: true }],
  },
  {
    name: 'arm64: " func+off/size"',
    line: ' __list_del_entry_valid+0xcc/0xd0',
    frames: [{ function: '__list_del_entry_valid', offset: '0xcc', size: '0xd0' }],
  },
  {
    name: 'arm pre-5.16 / BACKTRACE_VERBOSE: "[<pc>] (func) from [<lr>] (caller+off/size)"',
    line: '[<817b2528>] (dump_backtrace) from [<817b261c>] (show_stack+0x18/0x1c)',
    frames: [
      { function: 'dump_backtrace', address: '[<817b2528>]' },
      { function: 'show_stack', offset: '0x18', size: '0x1c', address: '[<817b261c>]' },
    ],
  },
  {
    name: 'arm symbolized: source locations inside the parentheses',
    line: '[<81767704>] (xskq_create) from [<81766c64>] (xsk_init_queue net/xdp/xsk.c:756 [inline])',
    frames: [{ function: 'xskq_create' }, { function: 'xsk_init_queue', file: 'net/xdp/xsk.c', line: 756, inlined: true }],
  },
  {
    name: 'arm v5.16+: " func from caller+off/size"',
    line: ' unwind_backtrace from show_stack+0x10/0x14',
    frames: [{ function: 'unwind_backtrace' }, { function: 'show_stack', offset: '0x10', size: '0x14' }],
  },
  {
    name: 'powerpc: "[sp] [pc] func+off/size (unreliable)"',
    line: '[c0000000012ffa30] [c00000000012345c] show_stack+0x1c/0x30 (unreliable)',
    frames: [{ function: 'show_stack', address: '[c00000000012345c]', reliable: false }],
    unreliable: true,
  },
  {
    name: 'powerpc reliable frame',
    line: '[c0000000012ffaa0] [c000000000b2f1f0] dump_stack_lvl+0x74/0xa8',
    frames: [{ function: 'dump_stack_lvl', reliable: true }],
  },
  {
    name: 's390: " [<addr>] func+off/size"',
    line: ' [<000000000012345a>] __warn+0x7a/0x150',
    frames: [{ function: '__warn', address: '[<000000000012345a>]' }],
  },
  {
    // arch/s390/kernel/dumpstack.c show_trace: "([<%016lx>] %pSR)" when !state.reliable (v5.2+), the r14 frame before.
    name: 's390 unreliable frame in parentheses',
    line: ' ([<0000000000112d32>] show_trace+0x13a/0x150)',
    frames: [{ function: 'show_trace', offset: '0x13a', reliable: false }],
    unreliable: true,
  },
  {
    // scripts/decode_stacktrace.sh output (6.1's, run on Debian's vmlinux-6.1.0-50-amd64 debug image):
    // the offset is replaced by the location, the build directory stays when the script cannot strip it.
    name: 'decode_stacktrace.sh: "func (file:line) " with the build directory left in',
    line: 'full_proxy_write (debian/build/build_amd64_none_amd64/fs/debugfs/file.c:244) ',
    frames: [{ function: 'full_proxy_write', file: 'fs/debugfs/file.c', line: 244, reliable: true }],
  },
  {
    name: 'decode_stacktrace.sh: unreliable frame, an inline chain in one pair of parentheses',
    line: '? do_fault (debian/build/build_amd64_none_amd64/mm/memory.c:4599 debian/build/build_amd64_none_amd64/mm/memory.c:4625) ',
    frames: [{ function: 'do_fault', file: 'mm/memory.c', line: 4599, reliable: false }],
    unreliable: true,
  },
  {
    name: 'decode_stacktrace.sh: module name after the location, arm64 "(C)" marker, "(discriminator N)"',
    line: ' show_stack (arch/arm64/kernel/stacktrace.c:468 (discriminator 1)) (C)',
    frames: [{ function: 'show_stack', file: 'arch/arm64/kernel/stacktrace.c', line: 468 }],
  },
  {
    name: 'decode_stacktrace.sh: a module frame it resolved',
    line: 'lkdtm_WARNING (./drivers/misc/lkdtm/bugs.c:85) lkdtm',
    frames: [{ function: 'lkdtm_WARNING', file: 'drivers/misc/lkdtm/bugs.c', line: 85, module: 'lkdtm' }],
  },
  {
    name: 'riscv: "[<addr>] func+off/size"',
    line: '[<ffffffff80005f2a>] dump_backtrace+0x2e/0x3c',
    frames: [{ function: 'dump_backtrace', address: '[<ffffffff80005f2a>]' }],
  },
];

describe('parseFrameLine', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = parseFrameLine(c.line);
      expect(r).not.toBeNull();
      expect(r!.frames).toHaveLength(c.frames.length);
      c.frames.forEach((f, i) => expect(r!.frames[i]).toMatchObject(f));
      expect(r!.unreliable).toBe(c.unreliable ?? false);
    });
  }

  it.each([
    'Call Trace:',
    'RIP: 0010:xfs_vm_writepage+0x5ce/0x630 [xfs]',
    'CPU: 3 PID: 19721 Comm: trinity-c61 Not tainted 3.15.0+ #3',
    'Code: 48 89 df e8 66 b5 72 00 <0f> 0b',
    ' <TASK>',
    'I did not respond at the time',
    'See the report (fs/foo.c:12) for details',
  ])('is not a frame line: %s', (line) => {
    expect(parseFrameLine(line)).toBeNull();
  });
});

describe('parsePcLine', () => {
  it.each([
    ['RIP: 0010:xfs_vm_writepage+0x5ce/0x630 [xfs]', 'xfs_vm_writepage'],
    ['IP: [<ffffffff81234567>] foo_bar+0x12/0x34', 'foo_bar'],
    ['NIP [c000000000123456] btrfs_foo+0x1c/0x30 [btrfs]', 'btrfs_foo'],
    ['pc : __list_del_entry_valid+0xcc/0xd0', '__list_del_entry_valid'],
    ['PC is at __queue_work+0xa0/0x74c', '__queue_work'],
    ['epc : lkdtm_WARNING+0x12/0x1c [lkdtm]', 'lkdtm_WARNING'],
    ['Krnl PSW : 0704c00180000000 000000000012345a (lkdtm_BUG+0x1a/0x20 [lkdtm])', 'lkdtm_BUG'],
    ['RIP: 0010:__list_del_entry_valid (lib/list_debug.c:59 (discriminator 1)) ', '__list_del_entry_valid'],
  ])('%s', (line, fn) => {
    expect(parsePcLine(line)?.frame?.function).toBe(fn);
  });

  it('a user-space RIP is a PC line without a function', () => {
    expect(parsePcLine('RIP: 0033:0x4466b9')).toEqual({ frame: null });
  });

  it('an s390 PSW address with no symbol is a PC line without a function', () => {
    // Captured s390x EXEC_USERSPACE: show_registers prints %pSR of a user address as "(0x3ff8cbfa000)".
    expect(parsePcLine('Krnl PSW : 0704c00180000000 000003ff8cbfa000 (0x3ff8cbfa000)')).toEqual({ frame: null });
  });
});

describe('titleFunction', () => {
  it.each([
    ['foo.isra.0', 'foo'],
    ['bar.cold', 'bar'],
    ['baz', 'baz'],
  ])('%s -> %s', (a, b) => expect(titleFunction(a)).toBe(b));
});
