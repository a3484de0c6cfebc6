// Trace detector: what the stale-writeback-wakeup race (v5.8 .. v5.10-rc6, fixed by
// 073861ed77b6) can show in a trace — a page (pfn) removed from the page cache and added
// back under another identity around a task waiting for writeback on it: either just before
// the wait (the waiter of the reused page, whose early wake-up hits BUG_ON(PageWriteback)),
// or while the waiter sleeps. Stock tracepoints never show PG_writeback or which page a
// wake-up was for, so this is the precondition, never proof. ../shared/docs/ftrace-formats.md 3.2.
import staleWritebackWakeup from '../../detectors/stale-writeback-wakeup.js';
import type { TraceEvent } from '../../model/trace.js';
import { defineTraceDetector, type TraceMatch } from './define-trace-detector.js';
import { fieldHex, fieldNumber } from './event-fields.js';

// A page identity as the writeback events print it: inode number (decimal) and page index.
type Identity = string;
const PAGE_SIZE = 4096;
// A delete and re-add of the same pfn closer than this is a reuse (the race window is microseconds).
const REUSE_WINDOW_S = 0.01;
const MAX_TRACKED = 100_000;
const MAX_MATCHES = 20;

interface Reuse {
  pfn: number;
  from: Identity;
  deleteLine: number;
  addLine: number;
  addTs: number | undefined;
}

interface Waiter {
  identity: Identity;
  line: number;
  ts: number | undefined;
  comm: string;
}

/** filemap events: "dev 8:2 ino 1c000d page=... pfn=1214135 ofs=53248" (ino hex, ofs in bytes). */
function filemapIdentity(ev: TraceEvent): { id: Identity; pfn: number } | undefined {
  const ino = fieldHex(ev.fields, 'ino');
  const ofs = fieldNumber(ev.fields, 'ofs');
  const pfn = fieldNumber(ev.fields, 'pfn');
  if (ino === undefined || ofs === undefined || pfn === undefined) return undefined;
  return { id: `${ino}:${Math.floor(ofs / PAGE_SIZE)}`, pfn };
}

/** wait_on_page_writeback / folio_wait_writeback: "bdi 8:0: ino=1835025 index=0" (decimal). */
function waitIdentity(ev: TraceEvent): Identity | undefined {
  const ino = fieldNumber(ev.fields, 'ino');
  const index = fieldNumber(ev.fields, 'index');
  return ino === undefined || index === undefined ? undefined : `${ino}:${index}`;
}

/** Seconds: the timestamp, or the latency format's microseconds (ftrace dumps). */
function seconds(ev: TraceEvent): number | undefined {
  return ev.timestamp ?? (ev.relativeUs === undefined ? undefined : ev.relativeUs / 1e6);
}

function cap<K, V>(m: Map<K, V>): void {
  if (m.size > MAX_TRACKED) m.delete(m.keys().next().value as K);
}

export default defineTraceDetector({
  id: 'trace-page-reuse-under-wait',
  knownBug: staleWritebackWakeup,
  description:
    'mm_filemap_delete_from_page_cache and mm_filemap_add_to_page_cache of the same pfn under another (inode, index) within 10 ms, ' +
    'and a wait_on_page_writeback/folio_wait_writeback for that page by a task right after the reuse or while the task sleeps; ' +
    'a sched_wakeup of the waiter with no block_rq_complete in between is reported with the wake-up delay.',
  events: [
    'mm_filemap_delete_from_page_cache',
    'mm_filemap_add_to_page_cache',
    'wait_on_page_writeback',
    'folio_wait_writeback',
    'sched_wakeup',
    'block_rq_complete',
  ],
  cannotShow: [
    'PG_writeback being set or cleared: no tracepoint exists for end_page_writeback() or folio_end_writeback(), so the stale wake-up itself is invisible (kprobes on end_page_writeback and wake_up_page_bit recording the page can show it).',
    'Which page a wake-up was for: sched_wakeup names the task, not the page waitqueue.',
    'Reuse as a huge-page tail or by a non-page-cache user (the VM_BUG_ON_PAGE(PageTail) variant) without kmem:mm_page_free/mm_page_alloc, which are rarely enabled.',
    'Whether the kernel has the bug: only 5.8 .. 5.10-rc5 (and stable trees before the backport) turn this benign recycling into BUG_ON(PageWriteback); the trace alone cannot tell the version.',
  ],
  messages: {
    reusedThenWaited:
      'pfn {{pfn}} left the page cache as inode:index {{from}} (line {{deleteLine}}) and came back as {{to}} (line {{addLine}}); {{comm}} (pid {{pid}}) then waited for writeback on it (line {{line}}). On 5.8-5.10 a stale wake-up for the old page wakes this waiter early.',
    reusedWhileWaiting:
      '{{comm}} (pid {{pid}}) waited for writeback on {{to}} (line {{line}}) while its pfn {{pfn}} left the page cache (line {{deleteLine}}) and came back as {{from}} (line {{addLine}}).',
  },
  createMatcher() {
    const deleted = new Map<number, { id: Identity; line: number; ts: number | undefined }>();
    const reusedAs = new Map<Identity, Reuse>();
    const waiting = new Map<number, Waiter>();
    const matches: TraceMatch[] = [];
    const open = new Map<number, TraceMatch>();
    let completions = 0;
    let blockTraced = false;
    const wakeBase = new Map<number, number>();
    const add = (m: TraceMatch, pid: number) => {
      if (matches.length >= MAX_MATCHES) return;
      matches.push(m);
      open.set(pid, m);
      wakeBase.set(pid, completions);
    };
    return {
      push(ev) {
        if (ev.type !== 'event') return;
        if (ev.name.startsWith('block_rq_')) blockTraced = true;
        if (ev.name === 'block_rq_complete') completions++;
        // The waiter runs again: its wait is over (sched_switch is printed in the context of the task leaving the CPU).
        if (ev.pid !== undefined && ev.name !== 'sched_switch' && ev.name !== 'wait_on_page_writeback' && ev.name !== 'folio_wait_writeback') {
          waiting.delete(ev.pid);
          open.delete(ev.pid);
        }
        if (ev.name === 'mm_filemap_delete_from_page_cache') {
          const p = filemapIdentity(ev);
          if (!p) return;
          deleted.set(p.pfn, { id: p.id, line: ev.line, ts: seconds(ev) });
          cap(deleted);
        } else if (ev.name === 'mm_filemap_add_to_page_cache') {
          const p = filemapIdentity(ev);
          if (!p) return;
          const d = deleted.get(p.pfn);
          deleted.delete(p.pfn);
          const t = seconds(ev);
          if (!d || d.id === p.id || (d.ts !== undefined && t !== undefined && t - d.ts > REUSE_WINDOW_S)) return;
          const reuse: Reuse = { pfn: p.pfn, from: d.id, deleteLine: d.line, addLine: ev.line, addTs: t };
          reusedAs.set(p.id, reuse);
          cap(reusedAs);
          // A task already waiting on the old identity of this pfn: reused while it sleeps.
          for (const [pid, w] of waiting) {
            if (w.identity !== d.id || open.has(pid)) continue;
            add({ messageId: 'reusedWhileWaiting', data: { comm: w.comm, pid, to: w.identity, line: w.line, pfn: p.pfn, deleteLine: d.line, from: p.id, addLine: ev.line }, confidence: 'low', lines: [w.line, d.line, ev.line], notes: [] }, pid);
          }
        } else if ((ev.name === 'wait_on_page_writeback' || ev.name === 'folio_wait_writeback') && ev.pid !== undefined) {
          const id = waitIdentity(ev);
          if (!id) return;
          const t = seconds(ev);
          waiting.set(ev.pid, { identity: id, line: ev.line, ts: t, comm: ev.comm ?? '?' });
          const r = reusedAs.get(id);
          const recent = r && (r.addTs === undefined || t === undefined || t - r.addTs <= REUSE_WINDOW_S);
          if (!r || !recent || open.has(ev.pid)) return;
          add({ messageId: 'reusedThenWaited', data: { pfn: r.pfn, from: r.from, deleteLine: r.deleteLine, to: id, addLine: r.addLine, comm: ev.comm ?? '?', pid: ev.pid, line: ev.line }, confidence: 'low', lines: [r.deleteLine, r.addLine, ev.line], notes: [] }, ev.pid);
        } else if (ev.name === 'sched_wakeup') {
          const pid = fieldNumber(ev.fields, 'pid');
          if (pid === undefined) return;
          const w = waiting.get(pid);
          waiting.delete(pid);
          const m = open.get(pid);
          open.delete(pid);
          if (!m || !w) return;
          const t = seconds(ev);
          const delay = w.ts !== undefined && t !== undefined ? Math.round((t - w.ts) * 1e6) : undefined;
          const noIo = blockTraced && completions === wakeBase.get(pid);
          m.lines.push(ev.line);
          const io = !blockTraced ? ' (block events not traced: I/O completions cannot be ruled out)' : noIo ? ', with no block_rq_complete in between' : '';
          m.notes.push(`woken at line ${ev.line}${delay !== undefined ? `, ${delay} µs after the wait` : ''}${io}`);
          if (noIo && delay !== undefined && delay < 1000) {
            m.confidence = 'medium';
            m.notes.push('a wake-up that fast without an I/O completion is what a stale wake-up for the old page looks like');
          }
        }
      },
      end: () => matches,
    };
  },
});
