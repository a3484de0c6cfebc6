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
});
