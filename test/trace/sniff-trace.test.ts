// Which inputs are traces: auto-detection from the first bytes, and --input-format.
import { describe, expect, it } from 'vitest';
import { resolveInput } from '../../src/input/input-format.js';
import { looksLikeTrace } from '../../src/trace/sniff-trace.js';

const b = (s: string) => Buffer.from(s);

describe('looksLikeTrace', () => {
  it.each([
    // A trace file header decides alone.
    ['# tracer: nop\n#\n', true],
    // trace_pipe lines.
    ['<...>-4719  [005] ....    57.341146: a: x=1\n<...>-4719  [005] ....    57.341147: b: x=1\n<...>-4719  [005] ....    57.341148: c: x=1\n', true],
    // function_graph lines after a little prose.
    ['Tracing "do_nanosleep"...\n 0)               |  do_nanosleep() {\n 0)   0.198 us    |    a();\n 0)   0.908 us    |  }\n', true],
    // trace-cmd preamble and lines.
    ['version = 6\ncpus=6\n  ls-4734  [002] 106439.675591: sched_switch:          prev_comm=a\n', true],
    // A kernel log with an ftrace dump inside is a log.
    ['[10611.834143] Dumping ftrace buffer:\n[10611.834561] ---------------------------------\n[10611.835048] rcu_tort-70        1dNh3. 10607789211us : sched_wakeup: comm=x pid=65\n[10611.835049] rcu_tort-70        1dNh3. 10607789212us : sched_wakeup: comm=x pid=65\n[10611.835050] rcu_tort-70        1dNh3. 10607789213us : sched_wakeup: comm=x pid=65\n', false],
    // Prose.
    ['Hello,\nthis patch fixes the writeback regression.\n', false],
  ])('%#', (text, want) => {
    expect(looksLikeTrace(b(text))).toBe(want);
  });
});

describe('resolveInput', () => {
  it('sniffs mail before traces, and lets --input-format decide', () => {
    expect(resolveInput(b('From a@b Mon Jan  1 00:00:00 2024\nFrom: a@b\nSubject: x\n\nbody\n'))).toEqual({ kind: 'mbox', trace: { kind: 'log' } });
    expect(resolveInput(b('# tracer: nop\n'))).toEqual({ kind: 'log', trace: { kind: 'trace' } });
    expect(resolveInput(b('# tracer: nop\n'), 'log')).toEqual({ kind: 'log', trace: { kind: 'log' } });
    expect(resolveInput(b('anything'), 'ftrace')).toEqual({ kind: 'log', trace: { kind: 'trace' } });
    expect(resolveInput(b('anything'), 'function-graph')).toEqual({ kind: 'log', trace: { kind: 'trace', format: 'function-graph' } });
  });
});
