// Traces inside one source, next to the crash-report pipeline. In a kernel log (or mail),
// every ftrace dump ("Dumping ftrace buffer:" .. dashes) becomes a trace that names the
// crash report it belongs to, and so does a run of trace entries without that line (a
// dump whose start was cut, a trace pasted into a mail). In a trace source (a trace file,
// trace_pipe capture, trace-cmd report) the whole source is one trace. Entry lines are
// kept from the crash segmenter; everything else still reaches it, so a splat pasted next
// to a trace is not lost.
import type { Finding } from '../model/finding.js';
import type { Report } from '../model/report.js';
import type { TraceEvent, TraceFormat, TraceRecord } from '../model/trace.js';
import type { TraceDetector, TraceMatch, TraceMatcher } from './detectors/define-trace-detector.js';
import { parseEntryLine } from './entry-line.js';
import { dumpStartRe } from './patterns.js';
import { traceFinding } from './trace-findings.js';
import { TraceParser } from './trace-parser.js';
import { unslice } from '../input/unslice.js';

/** How a source is read: a kernel log with possible ftrace dumps, or a trace (its format named or not). */
export type TraceMode = { kind: 'log' } | { kind: 'trace'; format?: TraceFormat };

// A dump whose closing dashes never come (a cut console log) ends after this many other lines;
// a run of entries without a dump header ends sooner.
const DUMP_PROSE_LIMIT = 50;
const INLINE_PROSE_LIMIT = 20;
// A dump belongs to the report it is printed in, or to one that ended at most this many lines before it.
const REPORT_GAP = 100;

interface Open {
  parser: TraceParser;
  matchers: Array<{ detector: TraceDetector; matcher: TraceMatcher }>;
  /** source: the whole source; dump: "Dumping ftrace buffer:" seen; inline: entries in a log without it. */
  kind: 'source' | 'dump' | 'inline';
  /** Dump: seen the opening dashes (or an entry). */
  entered: boolean;
  empty: boolean;
  proseRun: number;
}

interface Done {
  record: TraceRecord;
  matches: Array<{ detector: TraceDetector; match: TraceMatch }>;
  inLog: boolean;
  /** The crash report this dump belongs to, folded over the reports as they are noted. */
  report?: ReportRef;
}

interface ReportRef {
  index: number;
  startLine: number;
  endLine: number;
  title: string;
  kernelVersion?: string;
}

/**
 * One step of choosing the report a dump belongs to, applied to the reports in the order they
 * were noted: the last report containing the dump's first line, else the one ending closest
 * before it within REPORT_GAP lines.
 */
function foldReport(d: Done, r: ReportRef): void {
  const line = d.record.startLine;
  if (r.startLine <= line && line <= r.endLine) d.report = r;
  else if (r.endLine < line && line - r.endLine <= REPORT_GAP && (!d.report || d.report.endLine < line)) d.report = r;
}


/** dumpStartRe's literal, for the quiet-line test (src/quiet/inert-line.ts). */
export const traceWakeWords: readonly string[] = ['Dumping ftrace'];

export class TraceCollector {
  private current: Open | undefined;
  /** First line of the open trace. */
  private currentStart = 0;
  private readonly done: Done[] = [];
  /**
   * Reports that may still own a dump: those ending less than REPORT_GAP lines before the open
   * trace or the current line. Older ones are folded into the done traces and dropped, so a log
   * with 150,000 reports does not keep 150,000 references.
   */
  private reports: ReportRef[] = [];
  private lineNo = 0;

  constructor(
    readonly source: string,
    readonly mode: TraceMode,
    private readonly detectors: readonly TraceDetector[],
  ) {}

  /**
   * No trace is open in a kernel log: a line that is no dump start (traceWakeWords) and no
   * trace entry (entry-line.ts anyHintRe) changes nothing.
   */
  get quiet(): boolean {
    return this.mode.kind === 'log' && this.current === undefined;
  }

  /**
   * Feeds one line (console prefixes removed). Appends the entries it completes to `events`.
   * Returns true when the line is part of a trace and must not reach the crash segmenter.
   */
  push(text: string, lineNo: number, events: TraceEvent[]): boolean {
    this.lineNo = lineNo;
    if (this.mode.kind === 'trace') {
      this.current ??= this.open('source');
      const r = this.feed(this.current, text, lineNo, events);
      return r.cls !== 'prose' && r.cls !== 'blank';
    }
    // Kernel log: ftrace dumps and runs of entries. The common case is two cheap tests per line.
    if (!this.current) {
      if (text.charCodeAt(0) === 68 && dumpStartRe.test(text)) {
        this.current = this.open('dump');
        this.currentStart = lineNo;
        this.feed(this.current, text, lineNo, events);
        return false;
      }
      if (!parseEntryLine(text)) return false;
      this.current = this.open('inline');
      this.currentStart = lineNo;
      this.current.entered = true;
    }
    if (dumpStartRe.test(text)) {
      this.close(events);
      return this.push(text, lineNo, events);
    }
    return this.pushDump(this.current, text, lineNo, events);
  }

  private pushDump(cur: Open, text: string, lineNo: number, events: TraceEvent[]): boolean {
    const r = this.feed(cur, text, lineNo, events);
    if (r.marker === 'dump-empty' && !cur.entered) {
      cur.empty = true;
      this.close(events);
      return false;
    }
    if (r.marker === 'dump-rule') {
      if (cur.entered) this.close(events);
      else cur.entered = true;
      return false;
    }
    if (r.cls === 'prose' || (r.cls === 'blank' && cur.kind === 'inline')) {
      if (++cur.proseRun > (cur.kind === 'dump' ? DUMP_PROSE_LIMIT : INLINE_PROSE_LIMIT)) {
        // Not a dump line for a long while: the dump was cut; it ended before this run.
        cur.parser.summary.unnoteLines(cur.proseRun);
        cur.parser.endLine = lineNo - cur.proseRun;
        this.close(events);
      }
      return false;
    }
    cur.proseRun = 0;
    if (r.cls === 'event') cur.entered = true;
    return r.cls === 'event' || r.cls === 'stackFrame' || r.marker === 'lost';
  }

  private open(kind: Open['kind']): Open {
    const forced = this.mode.kind === 'trace' ? this.mode.format : undefined;
    return {
      parser: new TraceParser(this.source, forced),
      matchers: this.detectors.map((detector) => ({ detector, matcher: detector.createMatcher() })),
      kind,
      entered: false,
      empty: false,
      proseRun: 0,
    };
  }

  private feed(cur: Open, text: string, lineNo: number, events: TraceEvent[]) {
    const before = events.length;
    const r = cur.parser.push(text, lineNo, events);
    for (let i = before; i < events.length; i++) this.match(cur, events[i]!);
    return r;
  }

  private match(cur: Open, ev: TraceEvent): void {
    for (const m of cur.matchers) m.matcher.push(ev, cur.parser);
  }

  private close(events: TraceEvent[]): void {
    const cur = this.current;
    if (!cur) return;
    this.current = undefined;
    const before = events.length;
    cur.parser.end(events);
    for (let i = before; i < events.length; i++) this.match(cur, events[i]!);
    // Latency-format entries in a log are a dump whose "Dumping ftrace buffer:" line was cut off.
    const dumpLike = cur.kind === 'dump' || (cur.kind === 'inline' && cur.parser.format() === 'latency');
    const record = cur.parser.build(this.done.length, dumpLike ? 'ftrace-dump' : undefined);
    if (cur.empty) record.empty = true;
    const matches = cur.matchers.flatMap(({ detector, matcher }) => matcher.end().map((match) => ({ detector, match })));
    const d: Done = { record, matches, inLog: cur.kind !== 'source' };
    for (const r of this.reports) foldReport(d, r);
    this.done.push(d);
  }

  /** A crash report of the same source, for attaching dumps. */
  noteReport(r: Report): void {
    // Copies: a substring of a log line can keep the whole 256 KB chunk it was cut from alive.
    const ref: ReportRef = { index: r.index, startLine: r.startLine, endLine: r.endLine, title: unslice(r.title) };
    if (r.kernelVersion) ref.kernelVersion = unslice(r.kernelVersion);
    for (const d of this.done) if (d.inLog) foldReport(d, ref);
    this.reports.push(ref);
    const keepFrom = (this.current ? Math.min(this.currentStart, this.lineNo) : this.lineNo) - REPORT_GAP;
    if (this.reports.length > 64) this.reports = this.reports.filter((x) => x.endLine >= keepFrom);
  }

  /** Ends the source: every trace record, each followed by its findings. Entries still pending go to `events`. */
  end(events: TraceEvent[]): Array<TraceRecord | Finding> {
    this.close(events);
    const out: Array<TraceRecord | Finding> = [];
    for (const d of this.done) {
      const rep = d.inLog ? d.report : undefined;
      if (rep) {
        d.record.report = rep.index;
        d.record.reportTitle = rep.title;
      }
      out.push(d.record);
      for (const { detector, match } of d.matches) {
        const at: Parameters<typeof traceFinding>[2] = { source: this.source, trace: d.record.index };
        if (rep) at.report = rep.index;
        if (rep?.kernelVersion) at.kernelVersion = rep.kernelVersion;
        out.push(traceFinding(detector, match, at));
      }
    }
    return out;
  }
}
