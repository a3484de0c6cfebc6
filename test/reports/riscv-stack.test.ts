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
    // Written by hand in the layout of a riscv v5.10 WARNING under panic_on_warn (one of syzkaller's
    // corpus reports has it): __warn() printed the registers only, and panic()'s dump_stack() the trace.
    const text = [
      '[   75.189488] ------------[ cut here ]------------',
      '[   75.192486] WARNING: CPU: 1 PID: 4090 at arch/riscv/mm/physaddr.c:16 __virt_to_phys+0x44/0x5c',
      '[   75.193022] Modules linked in:',
      '[   75.193507] CPU: 1 PID: 4090 Comm: dhcpcd Not tainted 5.10.2 #18',
      '[   75.193884] epc: ffffffe000207654 ra : ffffffe000207654 sp : ffffffe00b777cd0',
      '[   75.194301]  gp : ffffffe003833fd0 tp : ffffffe00d271580 t0 : ffffffe00b777a18',
      '[   75.212122] status: 0000000000000120 badaddr: 0000000000000000 cause: 0000000000000003',
      '[   75.213908] Kernel panic - not syncing: panic_on_warn set ...',
      '[   75.215283] CPU: 1 PID: 4090 Comm: dhcpcd Not tainted 5.10.2 #18',
      '[   75.216759] Call Trace:',
      '[   75.217460] [<ffffffe00020383c>] walk_stackframe+0x0/0xaa',
      '[   75.218679] [<ffffffe002141ec4>] show_stack+0x32/0x3e',
      '[   75.219851] [<ffffffe002150a3a>] dump_stack+0x8e/0xb4',
      '[   75.221087] [<ffffffe0021420e2>] panic+0x10c/0x2e0',
      '[   75.221402] [<ffffffe00020fd1e>] __warn+0x88/0x108',
      '[   75.221704] [<ffffffe000ccca62>] report_bug+0x84/0x102',
      '[   75.222008] [<ffffffe000203766>] do_trap_break+0x56/0xa2',
      '[   75.222332] [<ffffffe000201bae>] ret_from_exception+0x0/0x10',
      '[   75.223024] SMP: stopping secondary CPUs',
    ].join('\n');
    const [r] = analyzeText(text, 'warn.log');
    // syzbot's title for that report: every frame above ret_from_exception is generic.
    expect([r?.title, r?.corrupted]).toEqual(['WARNING in ret_from_exception', false]);
  });
});
