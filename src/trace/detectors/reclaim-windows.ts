// Per-task reclaim windows (mm_vmscan_*_reclaim_begin .. _end of the same pid), kswapd
// identification, and the migration/compaction failures seen so far. Shared state for
// the reclaim trace detectors. See ../shared/docs/ftrace-formats.md 3.1, steps 1 and 5.
import type { TraceEvent } from '../../model/trace.js';
import { fieldNumber } from './event-fields.js';

// include/trace/events/vmscan.h: direct reclaim by an allocating task, memcg limit reclaim,
// node reclaim (zone_reclaim before v4.8). kswapd has no window: it is always reclaiming.
const beginRe = /^mm_vmscan_(direct|memcg|memcg_softlimit|node|zone)_reclaim_begin$/;
const endRe = /^mm_vmscan_(direct|memcg|memcg_softlimit|node|zone)_reclaim_end$/;
// Emitted by kswapd itself (kswapd(), kswapd_try_to_sleep()); mm_vmscan_wakeup_kswapd is the allocating task's.
const kswapdOwnRe = /^mm_vmscan_kswapd_(?:wake|sleep)$/;

/** The regexes this module applies to event names (for the ReDoS audit). */
export const reclaimWindowRegexes: readonly RegExp[] = [beginRe, endRe, kswapdOwnRe];

export interface Window {
  kind: string;
  beginLine: number;
  comm: string;
}

export interface Failure {
  line: number;
  name: string;
  failed: number;
}

export class ReclaimState {
  private readonly open = new Map<number, Window>();
  private readonly kswapd = new Set<number>();
  /** Migration/compaction failures (nr_failed > 0), the first few and a total. */
  readonly failures: Failure[] = [];
  failureTotal = 0;

  /** Updates the state with one event; returns the window it closed, if any. */
  push(ev: TraceEvent): { opened?: Window; closed?: Window; endedWithoutBegin?: boolean } {
    if (ev.pid === undefined || ev.type !== 'event') return {};
    if (kswapdOwnRe.test(ev.name)) this.kswapd.add(ev.pid);
    let m = beginRe.exec(ev.name);
    if (m) {
      const w = { kind: m[1]!, beginLine: ev.line, comm: ev.comm ?? '' };
      this.open.set(ev.pid, w);
      return { opened: w };
    }
    m = endRe.exec(ev.name);
    if (m) {
      const w = this.open.get(ev.pid);
      this.open.delete(ev.pid);
      return w ? { closed: w } : { endedWithoutBegin: true };
    }
    // mm_compaction_migratepages (3.16+) and mm_migrate_pages: pages that could not be migrated.
    if (ev.name === 'mm_compaction_migratepages' || ev.name === 'mm_migrate_pages') {
      const failed = fieldNumber(ev.fields, 'nr_failed') ?? 0;
      if (failed > 0) {
        this.failureTotal++;
        if (this.failures.length < 3) this.failures.push({ line: ev.line, name: ev.name, failed });
      }
    }
    return {};
  }

  windowOf(pid: number | undefined): Window | undefined {
    return pid === undefined ? undefined : this.open.get(pid);
  }

  /** kswapd writes file pages legitimately; its comm survives even the 8-character cut of dumps. */
  isKswapd(ev: TraceEvent): boolean {
    return (ev.comm ?? '').startsWith('kswapd') || (ev.pid !== undefined && this.kswapd.has(ev.pid));
  }

  /** A note on the migration/compaction failures seen so far (events arrive in order: all are earlier), or undefined. */
  failureNote(): string | undefined {
    const f = this.failures[0];
    if (!f) return undefined;
    return `${this.failureTotal} migration/compaction failure(s) earlier in the trace (first: ${f.name} nr_failed=${f.failed} at line ${f.line}): the precondition of the 3.16-rc bug, a failed migration leaving PageSwapBacked on a page`;
  }
}
