// parseStacks on real traces: which lines continue a stack and which end it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/analyze.js';
import { parseStacks } from '../../src/reports/stacks.js';

describe('x86 frames of an address with no symbol', () => {
  // printk_stack_address prints "%pBb": where no symbol covers the address (module memory being
  // set up, freed init code) only the address is printed, "? 0xffffffffa0029000". It is a frame
  // line of the trace, not a line that ends the trace and labels the next one.
  it('do not split a call trace', () => {
    const stacks = parseStacks([
      'Call Trace:',
      ' <TASK>',
      ' ? bit_wait_timeout+0x1b0/0x1b0',
      ' ? 0xffffffffa0029000',
      ' ktriage_take_b_then_a+0x1c/0x40 [ktriage_lockdep]',
      ' 0xffffffffa0029000',
      ' ktriage_init+0xcc/0x1000 [ktriage_lockdep]',
      ' </TASK>',
    ]);
    expect(stacks.map((s) => [s.label, s.frames.map((f) => f.function)])).toEqual([['Call Trace:', ['bit_wait_timeout', 'ktriage_take_b_then_a', 'ktriage_init']]]);
  });

  it('keep a real lockdep trace whole when its lines have no timestamps (dmesg -t, mail)', () => {
    // The console capture with its printk timestamps cut off, as `dmesg -t` prints it. Between
    // <TASK> and </TASK> the trace has 42 lines (records 315-356 of the .kmsg dump of the same
    // boot), one of them " ? 0xffffffffa0029000": 41 frames. With timestamps, "? " frames are
    // left out of the analysis (build-report.ts), the address line with them.
    const log = readFileSync(new URL('../../fixtures/captured/amd64-sanitizers/lockdep_circular+kmsg.log', import.meta.url), 'latin1');
    const untimed = log.replace(/^\[ *\d+\.\d+\] /gm, '');
    const [r] = analyzeText(untimed, 'dmesg-t');
    expect(r!.stacks.map((s) => [s.label, s.frames.length])).toEqual([
      ['-> #1 (ktriage_lock_b){+.+.}-{3:3}:', 11],
      ['-> #0 (ktriage_lock_a){+.+.}-{3:3}:', 13],
      ['Call Trace:', 41],
    ]);
    expect(r!.stacks[2]!.frames.at(-1)?.function).toBe('entry_SYSCALL_64_after_hwframe');
  });
});
