// TraceParser: every line classified, every entry an event, summaries as counted by hand.
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/model/trace.js';
import { TraceParser } from '../../src/trace/trace-parser.js';

function parse(text: string, forced?: ConstructorParameters<typeof TraceParser>[1]) {
  const p = new TraceParser('t', forced);
  const events: TraceEvent[] = [];
  const classes = text.split('\n').map((l, i) => p.push(l, i + 1, events).cls);
  p.end(events);
  return { p, events, classes, rec: p.build(0) };
}

const header316 = `# tracer: function
#
# entries-in-buffer/entries-written: 3/250   #P:4
#
#                              _-----=> irqs-off
#                             / _----=> need-resched
#                            | / _---=> hardirq/softirq
#                            || / _--=> preempt-depth
#                            ||| /     delay
#           TASK-PID   CPU#  ||||    TIMESTAMP  FUNCTION
#              | |       |   ||||       |         |`;

describe('TraceParser', () => {
  it('reads the trace header: tracer, entries, CPUs, and the overwritten entries as lost', () => {
    const { rec, classes } = parse(`${header316}
          svscan-1678  [001] .... 6413283.729520: do_nanosleep <-hrtimer_nanosleep
          vmstat-2854  [000] .... 6413283.729600: do_nanosleep <-hrtimer_nanosleep
          svscan-1678  [001] .... 6413288.729679: do_nanosleep <-hrtimer_nanosleep`);
    expect(classes.filter((c) => c === 'header')).toHaveLength(11);
    expect(rec).toMatchObject({
      format: 'trace',
      tracer: 'function',
      entriesInBuffer: 3,
      entriesWritten: 250,
      cpusOnline: 4,
      lostEvents: 247,
      eventTotal: 3,
      eventCounts: { function: 3 },
      taskCounts: { 'svscan-1678': 2, 'vmstat-2854': 1 },
      cpuCounts: { '0': 1, '1': 2 },
      firstTimestamp: 6413283.72952,
      lastTimestamp: 6413288.729679,
      timeSpan: 5.000159,
      timeUnit: 's',
    });
  });

  it('attaches " => " lines to their <stack trace> entry and counts them as stack frames', () => {
    const { events, rec } = parse(`       supervise-1691  [000] d... 7269511.079179: block_rq_issue: 202,1 W 0 () 17040232 + 8 [supervise]
       supervise-1691  [000] d... 7269511.079188: <stack trace>
 => blk_peek_request
 => do_blkif_request
       cksum-7428  [000] d... 7269511.331778: block_rq_issue: 202,1 R 0 () 9006848 + 208 [cksum]`);
    expect(events.map((e) => e.type)).toEqual(['event', 'stack', 'event']);
    expect(events[1]!.frames).toEqual(['blk_peek_request', 'do_blkif_request']);
    expect(rec.lines).toEqual({ event: 3, stackFrame: 2, header: 0, marker: 0, blank: 0, prose: 0 });
    expect(rec.eventCounts).toEqual({ block_rq_issue: 2, stack_trace: 1 });
    expect(rec.format).toBe('trace-pipe');
  });

  it('counts lost events and buffer overflows per CPU', () => {
    const { rec, classes } = parse(`CPU:1 [LOST 16689746 EVENTS]
CPU:0 [LOST EVENTS]
CPU 3 buffer overflow
##### CPU 2 buffer started ####
          <idle>-0     [002] d..3 514769.086339: sched_switch: prev_comm=swapper/2 prev_pid=0`);
    expect(classes).toEqual(['marker', 'marker', 'marker', 'marker', 'event']);
    expect(rec.lostEvents).toBe(16689746);
    expect(rec.lostMarkers).toEqual({ '0': 1, '1': 1, '3': 1 });
  });

  it('tells trace-cmd reports by their preamble and padded names, and keeps [FAILED TO PARSE] entries', () => {
    const { rec, classes } = parse(`version = 6
CPU 3 is empty
cpus=6
     kworker/5:2-1497  [005]   454.414603: thermal_power_cpu_get_power: [FAILED TO PARSE] cpumask=ARRAY[0f, 00] freq=0x82208
     kworker/5:2-1497  [005]   454.414610: thermal_power_allocator_pid: thermal_zone_id=0 err=-4553`);
    expect(classes).toEqual(['header', 'header', 'header', 'event', 'event']);
    expect(rec).toMatchObject({ format: 'trace-cmd', tracer: 'nop', failedToParse: 1 });
  });

  it('follows function_graph nesting across a context switch and names exits, slowest calls first', () => {
    const { events, rec, classes } = parse(`# tracer: function_graph
#
# CPU  DURATION                  FUNCTION CALLS
# |     |   |                     |   |   |   |
 0)               |  do_nanosleep() {
 0)               |    schedule() {
 0)   0.050 us    |      rcu_note_context_switch();
 ------------------------------------------
 0)  platfor-3210  =>  vmstat-2854
 ------------------------------------------

 0) ! 133.912 us  |    }
 0) $ 3594274 us  |  }
 0)   1.000 us    |  } /* vfs_read */`);
    expect(classes.slice(4)).toEqual(['event', 'event', 'event', 'marker', 'marker', 'marker', 'blank', 'event', 'event', 'event']);
    expect(events.map((e) => `${e.type}:${e.name}:${e.depth}`)).toEqual([
      'funcgraph-entry:do_nanosleep:0',
      'funcgraph-entry:schedule:1',
      'funcgraph-leaf:rcu_note_context_switch:2',
      'funcgraph-exit:schedule:1',
      'funcgraph-exit:do_nanosleep:0',
      'funcgraph-exit:vfs_read:0',
    ]);
    expect(rec).toMatchObject({ format: 'function-graph', tracer: 'function_graph', unmatchedGraphExits: 1 });
    expect(rec.slowestCalls.map((c) => [c.function, c.durationUs, c.line])).toEqual([
      ['do_nanosleep', 3594274, 13],
      ['schedule', 133.912, 12],
      ['vfs_read', 1, 14],
      ['rcu_note_context_switch', 0.05, 7],
    ]);
  });

  it('reads graph comments as events and graph lines without the CPU column when the format is named', () => {
    const { events } = parse(`   0.198 us    |  kfree();
               |  /* mm_vmscan_writepage: page=ffffea0004a1b2c0 pfn=1214135 flags=RECLAIM_WB_ANON */`, 'function-graph');
    expect(events.map((e) => [e.type, e.name])).toEqual([
      ['funcgraph-leaf', 'kfree'],
      ['event', 'mm_vmscan_writepage'],
    ]);
    expect(events[1]!.fields).toMatchObject({ pfn: '1214135', flags: 'RECLAIM_WB_ANON' });
  });

  it('classifies prose, shell prompts and elisions as prose, never as entries', () => {
    const { classes, rec } = parse(`Demonstrations of tpoint, the Linux ftrace version.

# ./tpoint -H block:block_rq_issue
Tracing block:block_rq_issue. Ctrl-C to end.
[...]
...
^C`);
    expect(classes).toEqual(['prose', 'blank', 'prose', 'prose', 'prose', 'prose', 'prose']);
    expect(rec.eventTotal).toBe(0);
    expect(rec.tracer).toBe('unknown');
  });

  it('counts timestamps that go back on the same CPU, not across CPUs', () => {
    const { rec } = parse(`  <idle>-0     [006]  7115.449811: cpu_idle:             state=4294967295 cpu_id=6
  <idle>-0     [006]  7115.449809: cpu_idle:             state=1 cpu_id=6
  <idle>-0     [000]  7115.449000: cpu_idle:             state=1 cpu_id=0`);
    expect(rec.timeReversals).toBe(1);
  });
});
