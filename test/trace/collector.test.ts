// Traces next to crash reports: ftrace dumps in kernel logs (attached to their report),
// entries without a dump header, whole-source traces whose prose still reaches the segmenter.
import { describe, expect, it } from 'vitest';
import { analyzeTextRecords } from '../../src/analyze.js';
import type { Report } from '../../src/model/report.js';
import type { TraceRecord } from '../../src/model/trace.js';

function run(text: string, trace: 'log' | 'trace' = 'log') {
  const recs = analyzeTextRecords(text, 'x', { trace: { kind: trace } });
  return {
    reports: recs.filter((r): r is Report => r.kind === 'report'),
    traces: recs.filter((r): r is TraceRecord => r.kind === 'trace'),
  };
}

// A syzkaller-style oops with the usual empty dump between its header and the register dump.
const oopsWithEmptyDump = `[  100.000001] general protection fault, probably for non-canonical address 0xdffffc0000000001: 0000 [#1] PREEMPT SMP KASAN
[  100.000002] Dumping ftrace buffer:
[  100.000003]    (ftrace buffer empty)
[  100.000004] Modules linked in:
[  100.000005] CPU: 1 PID: 14551 Comm: syz-executor0 Not tainted 4.12.0-rc1+ #366
[  100.000006] RIP: 0010:__lock_acquire+0x1a2/0x3a90
[  100.000007] Call Trace:
[  100.000008]  lock_acquire+0x1d5/0x580
[  100.000009]  _raw_spin_lock+0x33/0x50
[  100.000010]  do_syscall_64+0x3d/0xb0
[  100.000011] ---[ end trace 1a2b3c4d5e6f7081 ]---`;

describe('ftrace dumps in a kernel log', () => {
  it('records an empty dump inside an oops and attaches it to that report, which is unchanged', () => {
    const { reports, traces } = run(oopsWithEmptyDump);
    expect(reports).toHaveLength(1);
    expect(traces).toHaveLength(1);
    expect(traces[0]).toMatchObject({ format: 'ftrace-dump', empty: true, eventTotal: 0, startLine: 2, endLine: 3, report: 0, reportTitle: reports[0]!.title });
    // Without the dump the report is the same.
    const plain = run(oopsWithEmptyDump.replace(/^.*(?:Dumping ftrace|ftrace buffer empty).*\n/gm, '')).reports[0]!;
    expect(reports[0]!.title).toBe(plain.title);
    expect(reports[0]!.frames.map((f) => f.function)).toEqual(plain.frames.map((f) => f.function));
  });

  it('reads a dump whose "Dumping ftrace buffer:" line was cut off, up to its closing dashes', () => {
    const { traces } = run(`[10612.486069] rcu_tort-72        2d..3. 10612107654us : dl_server_stop <-dequeue_entities
[10612.489380] ksoftirq-32        2d.s3. 10612107664us : sched_wakeup: comm=rcu_preempt pid=16 prio=97 target_cpu=003
[10612.547376] ---------------------------------
[10616.834128] Boost inversion persisted: No QS from CPU 0`);
    expect(traces).toHaveLength(1);
    expect(traces[0]).toMatchObject({ format: 'ftrace-dump', tracer: 'function', startLine: 1, endLine: 3, eventTotal: 2, lines: { event: 2, marker: 1 } });
  });

  it('ends a run of entries in a mail after 20 other lines, without counting them', () => {
    const prose = Array.from({ length: 25 }, (_, i) => `prose line ${i} about the patch`).join('\n');
    const { traces } = run(`<...>-4719  [005] ....    57.341146: mm_vmscan_direct_reclaim_begin: order=0 may_writepage=1 gfp_flags=GFP_KERNEL
...
<...>-4719  [001] ....   331.580535: mm_vmscan_direct_reclaim_end: nr_reclaimed=113
${prose}`);
    expect(traces).toHaveLength(1);
    expect(traces[0]).toMatchObject({ startLine: 1, endLine: 3, eventTotal: 2, lines: { event: 2, prose: 1 } });
  });

  it('gives no trace record for a log without trace entries', () => {
    expect(run('[    0.000000] Linux version 6.1.0-18-amd64\n[    1.000000] EXT4-fs (vda): mounted filesystem').traces).toEqual([]);
  });
});

describe('a source that is a trace', () => {
  it('is one trace, and a splat pasted after it is still reported', () => {
    const { traces, reports } = run(
      `            bash-1977  [000] ....  17284.993652: sys_close <-system_call_fastpath
            bash-1977  [000] ....  17284.993660: sys_open <-system_call_fastpath

WARNING: CPU: 3 PID: 19721 at fs/xfs/xfs_aops.c:971 xfs_vm_writepage+0x5ce/0x630 [xfs]()
Call Trace:
 [<ffffffffc023068e>] xfs_vm_writepage+0x5ce/0x630 [xfs]
 [<ffffffff8316f759>] shrink_page_list+0x8f9/0xb90
 [<ffffffff83171414>] try_to_free_pages+0x164/0x380
---[ end trace 0b8b5cbc3ab1ba7b ]---`,
      'trace',
    );
    expect(traces).toHaveLength(1);
    expect(traces[0]).toMatchObject({ format: 'trace-pipe', tracer: 'function', eventTotal: 2, startLine: 1, endLine: 9, lines: { event: 2, blank: 1, prose: 6 } });
    expect(traces[0]!.report).toBeUndefined();
    expect(reports.map((r) => r.title)).toEqual(['WARNING in xfs_vm_writepage']);
  });
});
