// function_graph lines, one case per column layout and body form (trace_functions_graph.c).
import { describe, expect, it } from 'vitest';
import { parseGraphLine } from '../../src/trace/graph-line.js';

describe('parseGraphLine', () => {
  it.each([
    // Entry: blank duration, two spaces of indentation per level after "|  ".
    [' 0)               |  do_nanosleep() {', { kind: 'call', cpu: 0, depth: 0, body: { kind: 'entry', func: 'do_nanosleep' } }],
    [' 0)               |    hrtimer_start_range_ns() {', { kind: 'call', cpu: 0, depth: 1, body: { kind: 'entry', func: 'hrtimer_start_range_ns' } }],
    // Leaf with a duration.
    [' 0)   0.198 us    |          _raw_spin_lock_irqsave();', { kind: 'call', durationUs: 0.198, depth: 4, body: { kind: 'leaf', func: '_raw_spin_lock_irqsave' } }],
    // Exit with the funcgraph-tail comment and an overhead mark.
    [' 3) + 41.902 us   |              }', { kind: 'call', cpu: 3, mark: '+', durationUs: 41.902, body: { kind: 'exit' } }],
    [' 0)   1.583 us    |          } /* load_TLS_descriptor */', { kind: 'call', body: { kind: 'exit', func: 'load_TLS_descriptor' } }],
    // Large durations lose their decimals and the padding shrinks.
    [' 1)   1000131 us |      }', { kind: 'call', durationUs: 1000131, body: { kind: 'exit' } }],
    // funcgraph-retval (6.5+).
    [' 2)   0.300 us    |    kmalloc(); /* = 0xffff888003b2c000 */', { kind: 'call', body: { kind: 'leaf', func: 'kmalloc', retval: '0xffff888003b2c000' } }],
    [' 2)   5.100 us    |  } /* do_sys_open = -2 */', { kind: 'call', body: { kind: 'exit', func: 'do_sys_open', retval: '-2' } }],
    // Absolute time column.
    ['7238523.638008 |   0)               |              finish_task_switch() {', { kind: 'call', cpu: 0, abstime: 7238523.638008, depth: 6 }],
    // funcgraph-proc column.
    [' 1)    bash-2794    |   0.500 us    |  kfree();', { kind: 'call', cpu: 1, task: 'bash-2794', durationUs: 0.5, body: { kind: 'leaf', func: 'kfree' } }],
    // nofuncgraph-duration: no "|" at all.
    [' 1)   getname() {', { kind: 'call', cpu: 1, depth: 1, body: { kind: 'entry', func: 'getname' } }],
    // Module functions carry their module (real 6.1 capture).
    [' 1)    tail-114    |               |                    virtblk_add_req [virtio_blk]() {', { kind: 'call', task: 'tail-114', body: { kind: 'entry', func: 'virtblk_add_req', module: 'virtio_blk' } }],
    [' 1)    tail-114    |   1.894 us    |                          vring_map_one_sg [virtio_ring]();', { kind: 'call', durationUs: 1.894, body: { kind: 'leaf', func: 'vring_map_one_sg', module: 'virtio_ring' } }],
    [' 1)   9.000 us    |  } /* virtblk_add_req [virtio_blk] */', { kind: 'call', body: { kind: 'exit', func: 'virtblk_add_req', module: 'virtio_blk' } }],
    // Tracepoints inside graph output are comments.
    [' 1)               |  /* mm_vmscan_writepage: page=ffffea0004a1b2c0 flags=RECLAIM_WB_ANON */', { kind: 'call', body: { kind: 'comment' } }],
    // Markers: irq arrows and context switches.
    [' 0)   ==========> |', { kind: 'marker', what: 'irq-entry' }],
    ['111735834326663 |   0)   <========== |', { kind: 'marker', what: 'irq-exit' }],
    [' 0)  platfor-3210  =>  vmstat-2854  ', { kind: 'marker', what: 'switch' }],
  ])('%s', (line, want) => {
    expect(parseGraphLine(line)).toMatchObject(want);
  });

  it('reads lines without the CPU column only when told the trace is function_graph', () => {
    const line = '   0.198 us    |          _raw_spin_lock_irqsave();';
    expect(parseGraphLine(line)).toBeUndefined();
    expect(parseGraphLine(line, true)).toMatchObject({ durationUs: 0.198, body: { kind: 'leaf', func: '_raw_spin_lock_irqsave' } });
  });

  it.each([['1) first, read the file'], ['2) then run it'], ['# CPU  DURATION                  FUNCTION CALLS']])('is not a graph line: %s', (line) => {
    expect(parseGraphLine(line)).toBeUndefined();
  });
});
