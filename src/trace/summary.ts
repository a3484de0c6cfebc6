// Accumulates the summary of one trace from its classified lines and events: counts per
// event name, type, task and CPU, time span, lost events, the slowest function_graph calls.
// Memory is bounded by the number of distinct names, tasks and CPUs.
import type { TraceEvent, TraceFormat, TraceLineClass, TraceRecord } from '../model/trace.js';

const TOP_TASKS = 100;
const TOP_CALLS = 10;

type SlowCall = TraceRecord['slowestCalls'][number];

function bump(m: Map<string, number>, k: string, n = 1): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

function sortedCounts(m: Map<string, number>, limit = Infinity): Record<string, number> {
  const entries = [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return Object.fromEntries(entries.slice(0, limit));
}

/** What the header lines said. */
export interface TraceHeaderInfo {
  tracer?: string;
  entriesInBuffer?: number;
  entriesWritten?: number;
  cpusOnline?: number;
}

export class TraceSummaryBuilder {
  readonly lineCounts: Record<TraceLineClass, number> = { event: 0, stackFrame: 0, header: 0, marker: 0, blank: 0, prose: 0 };
  readonly header: TraceHeaderInfo = {};
  private readonly names = new Map<string, number>();
  private readonly types = new Map<string, number>();
  private readonly tasks = new Map<string, number>();
  private readonly cpus = new Map<string, number>();
  private readonly lastTsByCpu = new Map<number, number>();
  private readonly lost = new Map<string, number>();
  private readonly recent: TraceLineClass[] = [];
  private lostCount = 0;
  private slow: SlowCall[] = [];
  private first: number | undefined;
  private last: number | undefined;
  private unit: 's' | 'us' | undefined;
  eventTotal = 0;
  failedToParse = 0;
  unmatchedGraphExits = 0;
  timeReversals = 0;

  /** Entries of one type so far. */
  typeCount(type: TraceEvent['type']): number {
    return this.types.get(type) ?? 0;
  }

  noteLine(cls: TraceLineClass): void {
    this.lineCounts[cls]++;
    // The classes of the last lines, for unnoteLines.
    if (cls === 'prose' || cls === 'blank') {
      this.recent.push(cls);
      if (this.recent.length > 64) this.recent.shift();
    } else if (this.recent.length > 0) this.recent.length = 0;
  }

  /** Drops the last `n` lines, all prose or blank (a dump that ended before them). */
  unnoteLines(n: number): void {
    this.recent.slice(-n).forEach((c) => this.lineCounts[c]--);
  }

  noteLost(cpu: number, n: number | undefined): void {
    bump(this.lost, String(cpu));
    if (n !== undefined) this.lostCount += n;
  }

  add(ev: TraceEvent): void {
    this.eventTotal++;
    bump(this.names, eventCountName(ev));
    bump(this.types, ev.type);
    if (ev.pid !== undefined) bump(this.tasks, `${ev.comm ?? ''}-${ev.pid}`);
    if (ev.cpu !== undefined) bump(this.cpus, String(ev.cpu));
    if (ev.failedToParse) this.failedToParse++;
    this.noteTime(ev);
    if (ev.durationUs !== undefined && (ev.type === 'funcgraph-exit' || ev.type === 'funcgraph-leaf')) this.noteCall(ev);
  }

  private noteTime(ev: TraceEvent): void {
    const t = ev.timestamp ?? ev.relativeUs;
    if (t === undefined) return;
    this.unit ??= ev.timestamp !== undefined ? 's' : 'us';
    if (this.first === undefined || t < this.first) this.first = t;
    if (this.last === undefined || t > this.last) this.last = t;
    if (ev.cpu !== undefined) {
      const prev = this.lastTsByCpu.get(ev.cpu);
      if (prev !== undefined && t < prev) this.timeReversals++;
      this.lastTsByCpu.set(ev.cpu, t);
    }
  }

  private noteCall(ev: TraceEvent): void {
    const d = ev.durationUs!;
    if (this.slow.length === TOP_CALLS && d <= this.slow[TOP_CALLS - 1]!.durationUs) return;
    const c: SlowCall = { function: ev.name, durationUs: d, line: ev.line };
    if (ev.cpu !== undefined) c.cpu = ev.cpu;
    if (ev.pid !== undefined) c.task = `${ev.comm ?? ''}-${ev.pid}`;
    this.slow.push(c);
    this.slow.sort((a, b) => b.durationUs - a.durationUs || a.line - b.line);
    if (this.slow.length > TOP_CALLS) this.slow.pop();
  }

  build(at: { source: string; index: number; format: TraceFormat; tracer: string; startLine: number; endLine: number }): TraceRecord {
    const overwritten = this.header.entriesWritten !== undefined && this.header.entriesInBuffer !== undefined ? Math.max(0, this.header.entriesWritten - this.header.entriesInBuffer) : 0;
    const rec: TraceRecord = {
      kind: 'trace',
      ...at,
      lines: { ...this.lineCounts },
      eventTotal: this.eventTotal,
      eventCounts: sortedCounts(this.names),
      typeCounts: sortedCounts(this.types),
      taskCounts: sortedCounts(this.tasks, TOP_TASKS),
      taskTotal: this.tasks.size,
      cpuCounts: Object.fromEntries([...this.cpus.entries()].sort((a, b) => Number(a[0]) - Number(b[0]))),
      timeReversals: this.timeReversals,
      lostEvents: this.lostCount + overwritten,
      lostMarkers: sortedCounts(this.lost),
      failedToParse: this.failedToParse,
      unmatchedGraphExits: this.unmatchedGraphExits,
      slowestCalls: this.slow,
    };
    if (this.header.cpusOnline !== undefined) rec.cpusOnline = this.header.cpusOnline;
    if (this.first !== undefined && this.last !== undefined) {
      rec.firstTimestamp = this.first;
      rec.lastTimestamp = this.last;
      rec.timeSpan = Number((this.last - this.first).toFixed(9));
      if (this.unit) rec.timeUnit = this.unit;
    }
    if (this.header.entriesInBuffer !== undefined) rec.entriesInBuffer = this.header.entriesInBuffer;
    if (this.header.entriesWritten !== undefined) rec.entriesWritten = this.header.entriesWritten;
    return rec;
  }
}

/** The name an entry is counted under: the tracepoint name, or its kind for function and graph entries. */
export function eventCountName(ev: TraceEvent): string {
  switch (ev.type) {
    case 'function':
      return 'function';
    case 'funcgraph-entry':
      return 'funcgraph_entry';
    case 'funcgraph-exit':
      return 'funcgraph_exit';
    case 'funcgraph-leaf':
      return 'funcgraph_entry';
    case 'stack':
      return ev.name === 'user_stack' ? 'user_stack_trace' : 'stack_trace';
    default:
      return ev.name;
  }
}
