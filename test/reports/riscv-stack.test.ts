// riscv's die() and __warn() print the registers, end them with "status: ... badaddr: ... cause: ...",
// and (since v5.1x) the stack right after that line with no "Call Trace:" header. The title recipes
// read that stack; but where nothing follows the line, the stack is the next "Call Trace:".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/analyze.js';
import { FIXTURES } from '../helpers/fixtures.js';

describe('riscv stacks', () => {
  it('reads the header-less stack after the register dump (real capture: soft lockup, generic epc)', () => {
    const text = readFileSync(join(FIXTURES, 'captured', 'riscv64', 'SOFTLOCKUP.log'), 'utf8');
    const [r] = analyzeText(text, 'SOFTLOCKUP.log');
    expect([r?.title, r?.corrupted]).toEqual(['BUG: soft lockup in full_proxy_write', false]);
  });

  it('takes the panic\'s "Call Trace:" when no frame follows the register dump (panic_on_warn, v5.10)', () => {
    // Written by hand (not taken from any corpus), in the layout riscv v5.10 printed for a WARNING
    // under panic_on_warn: __warn() printed the registers only (an "epc:" line with no symbol, then
    // "status:"), and panic()'s dump_stack() the trace, every frame of it generic but the last.
    const text = [
      '[   12.300100] ------------[ cut here ]------------',
      '[   12.300200] WARNING: CPU: 0 PID: 321 at mm/example.c:42 example_check+0x20/0x40',
      '[   12.300300] Modules linked in:',
      '[   12.300400] CPU: 0 PID: 321 Comm: modprobe Not tainted 5.10.0 #1',
      '[   12.300500] epc: ffffffe000301234 ra : ffffffe000301234 sp : ffffffe001c4bd00',
      '[   12.300600]  gp : ffffffe001a00000 tp : ffffffe001f00000 t0 : ffffffe001c4ba00',
      '[   12.300700] status: 0000000000000120 badaddr: 0000000000000000 cause: 0000000000000003',
      '[   12.300800] Kernel panic - not syncing: panic_on_warn set ...',
      '[   12.300900] CPU: 0 PID: 321 Comm: modprobe Not tainted 5.10.0 #1',
      '[   12.301000] Call Trace:',
      '[   12.301100] [<ffffffe000202000>] walk_stackframe+0x0/0xaa',
      '[   12.301200] [<ffffffe000a01000>] show_stack+0x30/0x3c',
      '[   12.301300] [<ffffffe000a02000>] dump_stack+0x90/0xb0',
      '[   12.301400] [<ffffffe000a03000>] panic+0x110/0x2e0',
      '[   12.301500] [<ffffffe000204000>] __warn+0x80/0x100',
      '[   12.301600] [<ffffffe000505000>] report_bug+0x80/0x100',
      '[   12.301700] [<ffffffe000206000>] do_trap_break+0x50/0xa0',
      '[   12.301800] [<ffffffe000207000>] ret_from_exception+0x0/0x10',
      '[   12.301900] SMP: stopping secondary CPUs',
    ].join('\n');
    const [r] = analyzeText(text, 'warn.log');
    // syzbot's rules skip every frame above ret_from_exception (syzkaller's corpus has a real report
    // of this shape with that title).
    expect([r?.title, r?.corrupted]).toEqual(['WARNING in ret_from_exception', false]);
  });

  it('reads the stack after a riscv32 register dump (REG_FMT "%08lx")', () => {
    // Written by hand in the layout of v6.6 riscv32 (arch/riscv/mm/fault.c die_kernel_fault,
    // arch/riscv/kernel/process.c __show_regs): the epc is a generic string function, so the title
    // comes from the header-less stack after the "status:" line.
    const text = [
      '[    5.100000] Unable to handle kernel NULL pointer dereference at virtual address 00000000',
      '[    5.100100] Oops [#1]',
      '[    5.100200] Modules linked in:',
      '[    5.100300] CPU: 0 PID: 55 Comm: sh Not tainted 6.6.0 #1',
      '[    5.100400] Hardware name: riscv-virtio,qemu (DT)',
      '[    5.100500] epc : strlen+0x10/0x30',
      '[    5.100600]  ra : foo_write+0x24/0x60',
      '[    5.100700] epc: c0301234 ra : c0305678 sp : c1c4be00',
      '[    5.100800]  gp : c1a00000 tp : c1f00000 t0 : 00000000',
      '[    5.100900] status: 00000120 badaddr: 00000000 cause: 0000000d',
      '[    5.101000] [<c0301234>] strlen+0x10/0x30',
      '[    5.101100] [<c0305678>] foo_write+0x24/0x60',
      '[    5.101200] [<c0200000>] vfs_write+0xa0/0x300',
      '[    5.101300] [<c0200400>] ksys_write+0x60/0xe0',
      '[    5.101400] [<c0200800>] __riscv_sys_write+0x10/0x20',
      '[    5.101500] [<c0200c00>] do_trap_ecall_u+0x1a0/0x1b0',
      '[    5.101600] [<c0201000>] ret_from_exception+0x0/0x64',
      '[    5.101700] ---[ end trace 0000000000000000 ]---',
    ].join('\n');
    const [r] = analyzeText(text, 'rv32.log');
    expect([r?.title, r?.corrupted, r?.arch]).toEqual(['BUG: unable to handle kernel NULL pointer dereference in foo_write', false, 'riscv']);
  });

  it('knows the pre-v5.5 register names ("sepc:", "sstatus: ... sbadaddr: ... scause:")', () => {
    // Written by hand in the layout of v5.4 riscv64 show_regs(); nothing in the report but the
    // register dump says riscv (the addresses would read as x86-64 kernel text).
    const text = [
      '[   20.000100] WARNING: CPU: 1 PID: 77 at drivers/foo/foo.c:10 foo_probe+0x20/0x40',
      '[   20.000200] Modules linked in:',
      '[   20.000300] CPU: 1 PID: 77 Comm: modprobe Not tainted 5.4.0 #1',
      '[   20.000400] sepc: ffffffff80301234 ra : ffffffff80301200 sp : ffffffff81c4bd00',
      '[   20.000500]  gp : ffffffff81a00000 tp : ffffffff81f00000 t0 : ffffffff81c4ba00',
      '[   20.000600] sstatus: 0000000000000100 sbadaddr: 0000000000000000 scause: 0000000000000003',
      '[   20.000700] ---[ end trace 1a2b3c4d5e6f7a8b ]---',
    ].join('\n');
    const [r] = analyzeText(text, 'rv54.log');
    // v5.4's show_regs() printed no stack, so the title is syzbot's corrupted one; the arch is the point.
    expect([r?.title, r?.arch]).toEqual(['WARNING in corrupted', 'riscv']);
  });
});
