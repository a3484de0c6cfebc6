// Matching and near-miss traces for the page-reuse-under-wait trace detector (the trace-visible
// part of the stale writeback wake-up race). Expectations read off the fixtures by hand.
import { join } from 'node:path';
import detector from '../../../src/trace/detectors/trace-page-reuse-under-wait.js';
import { CORPORA, runTraceDetectorTests } from '../../helpers/trace-detector-tester.js';

const dir = 'traces/trace-page-reuse-under-wait';

runTraceDetectorTests(detector, {
  valid: [
    // A pfn reused, but the waiter waits on another page.
    `${dir}/no-match-reuse-without-waiter.handwritten.trace`,
    // The reuse is a second before the wait: ordinary recycling.
    `${dir}/no-match-reuse-long-before-wait.handwritten.trace`,
    join(CORPORA, 'ftrace', 'lkml-2016-07-minchan-direct-reclaim.trace.txt'),
    // Normal writeback and page-cache churn captured on a Debian 6.1 kernel.
    'traces/captured/amd64/vmscan-writeback-events.trace',
    'traces/captured/amd64/vmscan-writeback-pipe-tgid.trace',
  ],
  invalid: [
    {
      // The sequence of ../shared/docs/ftrace-formats.md 3.2 with block events: woken 8 µs after the wait, no completion.
      fixture: `${dir}/match-reused-then-waited-5.9.handwritten.trace`,
      findings: [
        {
          confidence: 'medium',
          lines: [14, 15, 19, 21],
          message: 'pfn 1214135 left the page cache as inode:index 1835021:13 (line 14) and came back as 1835025:0 (line 15); fsync (pid 4431) then waited',
          note: '8 µs after the wait, with no block_rq_complete in between',
        },
      ],
    },
    {
      // The waiter's page leaves the page cache and comes back as another file's page while it sleeps.
      fixture: `${dir}/match-reused-while-waiting.handwritten.trace`,
      findings: [{ confidence: 'low', lines: [3, 5, 6, 7], message: 'fsync (pid 5110) waited for writeback on 1835040:2 (line 3) while its pfn 2200001 left the page cache (line 5)' }],
    },
    {
      // ftrace_dump_on_oops inside the BUG_ON(PageWriteback) oops: the finding names report 0 (5.9.0: affected).
      fixture: `${dir}/match-dump-in-bug-5.9.handwritten.log`,
      findings: [
        {
          confidence: 'low',
          lines: [8, 9, 11, 13],
          message: 'fsync (pid 4431) then waited for writeback on it (line 11)',
          report: 0,
          verdict: 'affected',
          note: '8 µs after the wait (block events not traced',
        },
      ],
    },
  ],
});
