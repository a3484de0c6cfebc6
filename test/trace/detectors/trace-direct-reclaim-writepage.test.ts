// Matching and near-miss traces for the direct-reclaim writepage trace detector. Expected
// lines, confidences and reports were read off the fixtures by hand.
import { join } from 'node:path';
import detector from '../../../src/trace/detectors/trace-direct-reclaim-writepage.js';
import { CORPORA, runTraceDetectorTests } from '../../helpers/trace-detector-tester.js';

const dir = 'traces/trace-direct-reclaim-writepage';

runTraceDetectorTests(detector, {
  valid: [
    // kswapd writing file pages (allowed), the flusher's ext4_writepage during another task's window.
    `${dir}/no-match-kswapd-and-flusher.handwritten.trace`,
    // tmpfs/swap pages are SwapBacked: direct reclaim may write them.
    `${dir}/no-match-shmem-from-direct-reclaim.handwritten.trace`,
    // A real 4.8-era direct-reclaim window with only anon writeback (LKML, Minchan Kim, 2016).
    join(CORPORA, 'ftrace', 'lkml-2016-07-minchan-direct-reclaim.trace.txt'),
    // Normal traces captured under memory pressure on a Debian 6.1 kernel (scripts/capture/capture-trace.sh):
    // direct-reclaim windows writing anon pages, kswapd, compaction failures before the pressure.
    'traces/captured/amd64/vmscan-writeback-events.trace',
    'traces/captured/amd64/vmscan-writeback-pipe-tgid.trace',
    // swap_writepage <-pageout from the hog itself (direct reclaim of anon pages).
    'traces/captured/amd64/function-writepage.trace',
    // Direct reclaim call graphs under try_to_free_pages: no filesystem writepage in them.
    'traces/captured/amd64/function-graph-direct-reclaim.trace',
    // A SysRq-z dump in the console log.
    'traces/captured/amd64/sysrq-z-dump.log',
  ],
  invalid: [
    {
      // The 3.16-rc bug as events: ext4_writepage inside trinity's window, reclaim calls the page ANON.
      fixture: `${dir}/match-ext4-events-3.16.handwritten.trace`,
      findings: [
        {
          confidence: 'high',
          lines: [17, 18, 19],
          message: 'trinity-c61 (pid 19721) called ext4_writepage event at line 18 inside its direct reclaim window (begun at line 17)',
          note: 'RECLAIM_WB_ANON (mm_vmscan_writepage at line 19)',
        },
      ],
    },
    {
      // Function tracer plus events: xfs_vm_writepage <-shrink_page_list inside the window (the flusher's is not).
      fixture: `${dir}/match-xfs-function-and-events.handwritten.trace`,
      findings: [{ confidence: 'high', lines: [13, 15, 26], message: 'called xfs_vm_writepage() at line 15 inside its direct reclaim window (begun at line 13)' }],
    },
    {
      // Function tracer only: no window, but the caller is shrink_page_list and the task is not kswapd.
      fixture: `${dir}/match-function-tracer-only.handwritten.trace`,
      findings: [{ confidence: 'medium', lines: [3], message: 'postgres (pid 3301) entered ext4_writepage() from shrink_page_list at line 3' }],
    },
    {
      // function_graph: the kswapd call (balance_pgdat) is allowed, the try_to_free_pages one is not.
      fixture: `${dir}/match-function-graph.handwritten.trace`,
      findings: [{ confidence: 'high', lines: [21], message: 'xfs_vm_writepage() at line 21 called from shrink_page_list <- do_try_to_free_pages <- try_to_free_pages' }],
    },
    {
      // A 6.x trace where reclaim itself says FILE (the general invariant); kswapd's FILE write is allowed.
      fixture: `${dir}/match-file-flag-6.1.handwritten.trace`,
      findings: [{ confidence: 'high', lines: [13, 15], message: 'stress (pid 412) wrote a page with RECLAIM_WB_FILE at line 15' }],
    },
    {
      // ftrace_dump_on_oops after the xfs WARNING (panic_on_warn): the trace finding names report 0 and its kernel.
      fixture: `${dir}/match-dump-after-warning-3.15.handwritten.log`,
      findings: [
        {
          confidence: 'high',
          lines: [32, 33],
          message: 'called xfs_vm_writepage() at line 33 inside its direct reclaim window (begun at line 32)',
          report: 0,
          verdict: 'affected',
          note: 'mm_compaction_migratepages nr_failed=5 at line 30',
        },
      ],
    },
  ],
});
