// Trace detector: a filesystem ->writepage issued from direct reclaim (not kswapd) — the
// 3.16-rc regression fixed by 8bdd638091605dc66d92c57c4b80eb87fffc15f7, or any later bug that
// sends a file page down pageout() outside kswapd. On that bug mm_vmscan_writepage said ANON
// (the page carried PageSwapBacked), so the filesystem's own writepage event or function
// entry inside the task's reclaim window is the evidence, not RECLAIM_WB_FILE alone.
// Reasoning: ../shared/docs/ftrace-formats.md 3.1.
import writebackFromDirectReclaim from '../../detectors/writeback-from-direct-reclaim.js';
import type { TraceEvent } from '../../model/trace.js';
import { defineTraceDetector, type TraceMatch } from './define-trace-detector.js';
import { hasFlag } from './event-fields.js';
import { ReclaimState } from './reclaim-windows.js';

// Filesystem ->writepage tracepoints (ext4, xfs, f2fs, btrfs).
const fsWritepageEvents = new Set(['ext4_writepage', 'xfs_writepage', 'f2fs_writepage', '__extent_writepage']);
// ->writepage functions; swap and shmem pages are anon (SwapBacked) and may be written by direct reclaim.
const writepageFnRe = /^(?:\w+_writepage|xfs_vm_writepage|f2fs_write_data_page)$/;
const notFsWritepageRe = /^(?:swap_writepage|__swap_writepage|shmem_writepage|__writepage|__mpage_writepage|mpage_writepage|wbc_writepage)$/;
// The reclaim path between the allocation and ->writepage (pageout() is usually inlined).
const reclaimFnRe = /^(?:shrink_page_list|shrink_folio_list|pageout)$/;
const directFnRe = /^(?:try_to_free_pages|do_try_to_free_pages|__alloc_pages_direct_reclaim|__perform_reclaim|try_to_free_mem_cgroup_pages|node_reclaim|__node_reclaim|zone_reclaim|reclaim_pages)$/;
const kswapdFnRe = /^(?:kswapd|balance_pgdat|kswapd_shrink_node)$/;
// "mm_vmscan_direct_reclaim_end" -> "direct"; "shrink_page_list+0x8f9/0xb90" -> "shrink_page_list".
const windowNameRe = /^mm_vmscan_|_reclaim_end$/g;
const offsetRe = /\+0x.*$/;

/** The regexes this detector applies to event names and functions (for the ReDoS audit). */
export const directReclaimRegexes: readonly RegExp[] = [writepageFnRe, notFsWritepageRe, reclaimFnRe, directFnRe, kswapdFnRe, windowNameRe, offsetRe];
const MAX_MATCHES = 20;
const MAX_PENDING = 10_000;

function writepageOf(ev: TraceEvent): string | undefined {
  if (ev.type === 'event' && fsWritepageEvents.has(ev.name)) return `${ev.name} event`;
  const fn = ev.type === 'function' || ev.type === 'funcgraph-entry' || ev.type === 'funcgraph-leaf' ? ev.name : undefined;
  if (fn && writepageFnRe.test(fn) && !notFsWritepageRe.test(fn)) return `${fn}()`;
  return undefined;
}

function task(ev: TraceEvent): { comm: string; pid: string } {
  return { comm: ev.comm ?? '?', pid: ev.pid === undefined ? '?' : String(ev.pid) };
}

export default defineTraceDetector({
  id: 'trace-direct-reclaim-writepage',
  knownBug: writebackFromDirectReclaim,
  description:
    'A filesystem writepage (ext4_writepage/xfs_writepage events, or xfs_vm_writepage/ext4_writepage/... function entries) ' +
    "inside the mm_vmscan_direct_reclaim_begin..end window of the same pid, from a task that is not kswapd; function_graph " +
    'calls under try_to_free_pages/shrink_page_list; mm_vmscan_writepage with RECLAIM_WB_FILE from a task that is not kswapd. ' +
    'Migration/compaction failures earlier in the trace are reported as context.',
  events: [
    'mm_vmscan_direct_reclaim_begin',
    'mm_vmscan_direct_reclaim_end',
    'mm_vmscan_memcg_reclaim_begin',
    'mm_vmscan_node_reclaim_begin',
    'mm_vmscan_writepage',
    'mm_vmscan_write_folio',
    'mm_vmscan_kswapd_wake',
    'ext4_writepage',
    'xfs_writepage',
    'mm_compaction_migratepages',
    'mm_migrate_pages',
    'function: *_writepage, xfs_vm_writepage (function or function_graph tracer)',
  ],
  cannotShow: [
    'PageSwapBacked itself: on the 3.16-rc bug mm_vmscan_writepage reports such a file page as RECLAIM_WB_ANON, so without a filesystem writepage event or function entry the trace looks like legitimate swap-out.',
    'Which page a failed migration left PageSwapBacked on: no per-page migration event exists in 3.16, and migration moves the page to a new pfn.',
    'The WARN_ON_ONCE in xfs_vm_writepage/ext4_writepage: it is in the kernel log, not in the trace (ftrace_dump_on_oops puts the trace next to it).',
  ],
  messages: {
    inWindow:
      '{{comm}} (pid {{pid}}) called {{what}} at line {{line}} inside its {{window}} reclaim window (begun at line {{beginLine}}): a file page written from direct reclaim, which only kswapd may do.',
    beginLost:
      '{{comm}} (pid {{pid}}) called {{what}} at line {{line}} and later ended a {{window}} reclaim window whose begin is not in the trace: a file page written from direct reclaim.',
    graphCallers: 'function_graph shows {{what}} at line {{line}} called from {{chain}} outside kswapd: a file page written from direct reclaim.',
    fromReclaim: '{{comm}} (pid {{pid}}) entered {{what}} from {{parent}} at line {{line}} and is not kswapd: a file page written from reclaim outside kswapd.',
    fileFlag: '{{comm}} (pid {{pid}}) wrote a page with RECLAIM_WB_FILE at line {{line}} ({{where}}) and is not kswapd: file writeback from direct reclaim.',
  },
  createMatcher() {
    const st = new ReclaimState();
    const matches: TraceMatch[] = [];
    const matchedWindows = new Set<number>();
    // Writepages outside a window, per pid: a later _end without a begin puts them inside one.
    const pending = new Map<number, TraceEvent>();
    // The last in-window match per pid: the mm_vmscan_writepage that follows it tells how reclaim saw the page.
    const lastInWindow = new Map<number, TraceMatch>();
    const add = (m: TraceMatch) => {
      const note = st.failureNote();
      if (note) m.notes.push(note);
      if (matches.length < MAX_MATCHES) matches.push(m);
    };
    return {
      push(ev, ctx) {
        const { opened, closed, endedWithoutBegin } = st.push(ev);
        if (ev.pid !== undefined && (opened || closed)) lastInWindow.delete(ev.pid);
        // A window that begins after a writepage shows that writepage was outside any window.
        if (ev.pid !== undefined && opened) pending.delete(ev.pid);
        if (ev.pid !== undefined && endedWithoutBegin) {
          const p = pending.get(ev.pid);
          if (p) add({ messageId: 'beginLost', data: { ...task(p), what: writepageOf(p)!, line: p.line, window: ev.name.replace(windowNameRe, '') }, confidence: 'medium', lines: [p.line, ev.line], notes: [] });
        }
        if (closed && ev.pid !== undefined) pending.delete(ev.pid);
        const kswapd = st.isKswapd(ev);
        const w = st.windowOf(ev.pid);
        const vmscanWrite = ev.name === 'mm_vmscan_writepage' || ev.name === 'mm_vmscan_write_folio';
        const prev = ev.pid === undefined ? undefined : lastInWindow.get(ev.pid);
        if (vmscanWrite && prev && hasFlag(ev.fields, 'flags', 'RECLAIM_WB_ANON', 0x1)) {
          // pageout() fires mm_vmscan_writepage after ->writepage returned: this is the same page.
          prev.notes.push(`reclaim reported that page as RECLAIM_WB_ANON (mm_vmscan_writepage at line ${ev.line}): a file page carrying PageSwapBacked, the 3.16-rc signature`);
          prev.lines.push(ev.line);
          lastInWindow.delete(ev.pid!);
        }
        if (vmscanWrite && !kswapd && hasFlag(ev.fields, 'flags', 'RECLAIM_WB_FILE', 0x2)) {
          const where = w ? `inside the reclaim window begun at line ${w.beginLine}` : 'no reclaim window in the trace';
          add({ messageId: 'fileFlag', data: { ...task(ev), line: ev.line, where }, confidence: w ? 'high' : 'medium', lines: w ? [w.beginLine, ev.line] : [ev.line], notes: [] });
          return;
        }
        const what = writepageOf(ev);
        if (!what || kswapd) return;
        if (w && ev.pid !== undefined) {
          if (matchedWindows.has(w.beginLine)) return;
          matchedWindows.add(w.beginLine);
          const m: TraceMatch = { messageId: 'inWindow', data: { ...task(ev), what, line: ev.line, window: w.kind, beginLine: w.beginLine }, confidence: 'high', lines: [w.beginLine, ev.line], notes: [] };
          add(m);
          lastInWindow.set(ev.pid, m);
          return;
        }
        if (ev.type === 'funcgraph-entry' || ev.type === 'funcgraph-leaf') {
          const chain = ctx.callers(ev);
          if (chain.some((f) => kswapdFnRe.test(f)) || !chain.some((f) => reclaimFnRe.test(f)) || !chain.some((f) => directFnRe.test(f))) return;
          const shown = chain.filter((f) => reclaimFnRe.test(f) || directFnRe.test(f)).reverse().join(' <- ');
          add({ messageId: 'graphCallers', data: { what, line: ev.line, chain: shown }, confidence: 'high', lines: [ev.line], notes: [] });
          return;
        }
        if (ev.type === 'function' && ev.parent && reclaimFnRe.test(ev.parent.replace(offsetRe, ''))) {
          add({ messageId: 'fromReclaim', data: { ...task(ev), what, parent: ev.parent, line: ev.line }, confidence: 'medium', lines: [ev.line], notes: [] });
          return;
        }
        if (ev.pid !== undefined && !pending.has(ev.pid) && pending.size < MAX_PENDING) pending.set(ev.pid, ev);
      },
      end: () => matches,
    };
  },
});
