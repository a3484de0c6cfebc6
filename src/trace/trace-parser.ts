// Streaming parser for one trace: every line is classified (event, stack frame, header,
// marker, blank, prose) and every entry becomes a TraceEvent. State: the open <stack trace>
// entry, function_graph call stacks (per CPU, or per task with funcgraph-proc), the summary.
import type { TraceEvent, TraceFormat, TraceLineClass, TraceRecord } from '../model/trace.js';
import { parseEntryBody, type EntryBody } from './entry-body.js';
import { parseEntryLine, type EntryLine } from './entry-line.js';
import { parseGraphLine, type GraphBody } from './graph-line.js';
import {
  bufferStartedRe,
  dumpEmptyRe,
  dumpRuleRe,
  dumpStartRe,
  entriesHeaderRe,
  graphRuleRe,
  lostEventsRe,
  namedBodyRe,
  otherHeaderRe,
  stackFrameRe,
  traceCmdHeaderRe,
  tracerHeaderRe,
} from './patterns.js';
import { parsePayloadFields } from './payload.js';
import { TraceSummaryBuilder } from './summary.js';

const paddedNameRe = /^[\w.:$]+:\s{2,}\S/;
// funcgraph-proc "comm-pid".
const taskRe = /^(.*)-(\d+)$/;

/** The regexes this module applies to input text (for the ReDoS audit). */
export const traceParserRegexes: readonly RegExp[] = [paddedNameRe, taskRe];

/** What one pushed line was, for the caller (a dump reader needs its markers). */
export interface LineResult {
  cls: TraceLineClass;
  marker?: 'dump-start' | 'dump-rule' | 'dump-empty' | 'lost' | 'other';
}

/** Line shapes seen, for telling the format of a trace that was not named. */
interface ShapeCounts {
  context: number;
  glued: number;
  perf: number;
  latency: number;
  graph: number;
  traceCmd: number;
  header: number;
}

export class TraceParser {
  readonly summary = new TraceSummaryBuilder();
  private readonly shapes: ShapeCounts = { context: 0, glued: 0, perf: 0, latency: 0, graph: 0, traceCmd: 0, header: 0 };
  private readonly graphStacks = new Map<string, string[]>();
  private pendingStack: TraceEvent | undefined;
  private graphMode: boolean;
  startLine: number | undefined;
  endLine: number | undefined;

  constructor(
    readonly source: string,
    /** The format the user named (--input-format), or undefined to tell it from the lines. */
    private readonly forced?: TraceFormat,
  ) {
    this.graphMode = forced === 'function-graph';
  }

  /** Classifies one line (text without console prefixes); appends the entries it completes to `out`. */
  push(text: string, lineNo: number, out: TraceEvent[]): LineResult {
    this.startLine ??= lineNo;
    this.endLine = lineNo;
    if (this.pendingStack && !stackFrameRe.test(text)) this.flushStack(out);
    const res = this.classify(text, lineNo, out);
    this.summary.noteLine(res.cls);
    return res;
  }

  /** Ends the trace: a <stack trace> entry still collecting frames is emitted. */
  end(out: TraceEvent[]): void {
    if (this.pendingStack) this.flushStack(out);
  }

  /** The function_graph callers of a graph entry (outermost first), including the entry itself. */
  callers(ev: TraceEvent): readonly string[] {
    return this.graphStacks.get(this.stackKey(ev)) ?? [];
  }

  private flushStack(out: TraceEvent[]): void {
    const ev = this.pendingStack!;
    this.pendingStack = undefined;
    this.summary.add(ev);
    out.push(ev);
  }

  private emit(ev: TraceEvent, out: TraceEvent[]): void {
    if (ev.type === 'stack') {
      this.pendingStack = ev;
      return;
    }
    this.summary.add(ev);
    out.push(ev);
  }

  private classify(text: string, lineNo: number, out: TraceEvent[]): LineResult {
    const trimmed = text.trim();
    if (trimmed === '') return { cls: 'blank' };
    if (this.pendingStack) {
      const f = stackFrameRe.exec(text);
      if (f) {
        this.pendingStack.frames!.push(f[1]!.trimEnd());
        return { cls: 'stackFrame' };
      }
    }
    const entry = parseEntryLine(text);
    if (entry) {
      this.shapes[entry.shape]++;
      // trace-cmd pads event names to a column ("sched_switch:          prev_comm=..."); the kernel never does.
      if (paddedNameRe.test(entry.body)) this.shapes.traceCmd++;
      this.emit(this.entryEvent(entry, lineNo), out);
      return { cls: 'event' };
    }
    const marker = this.markerOf(text);
    if (marker) return marker;
    if (text.startsWith('#') || traceCmdHeaderRe.test(trimmed)) {
      const h = this.header(text, trimmed);
      if (h) return h;
    }
    const graph = parseGraphLine(text, this.graphMode);
    if (graph) {
      this.shapes.graph++;
      if (graph.kind === 'marker') return { cls: 'marker', marker: 'other' };
      this.emit(this.graphEvent(graph, lineNo), out);
      return { cls: 'event' };
    }
    return { cls: 'prose' };
  }

  private markerOf(text: string): LineResult | undefined {
    const lost = lostEventsRe.exec(text);
    if (lost) {
      this.summary.noteLost(Number(lost[1]), lost[2] === undefined ? undefined : Number(lost[2]));
      return { cls: 'marker', marker: 'lost' };
    }
    if (dumpStartRe.test(text)) return { cls: 'marker', marker: 'dump-start' };
    if (dumpRuleRe.test(text)) return { cls: 'marker', marker: 'dump-rule' };
    if (dumpEmptyRe.test(text)) return { cls: 'marker', marker: 'dump-empty' };
    if (bufferStartedRe.test(text) || graphRuleRe.test(text)) return { cls: 'marker', marker: 'other' };
    return undefined;
  }

  private header(text: string, trimmed: string): LineResult | undefined {
    const h = this.summary.header;
    let m = tracerHeaderRe.exec(text);
    if (m) {
      h.tracer = m[1]!;
      if (h.tracer === 'function_graph') this.graphMode = true;
    } else if ((m = entriesHeaderRe.exec(text))) {
      h.entriesInBuffer = Number(m[1]);
      h.entriesWritten = Number(m[2]);
      h.cpusOnline = Number(m[3]);
    } else if (traceCmdHeaderRe.test(trimmed)) {
      this.shapes.traceCmd++;
      return { cls: 'header' };
    } else if (!otherHeaderRe.test(text)) {
      return undefined;
    }
    this.shapes.header++;
    return { cls: 'header' };
  }

  private entryEvent(e: EntryLine, lineNo: number): TraceEvent {
    const b = parseEntryBody(e.body);
    const ev: TraceEvent = { kind: 'trace-event', source: this.source, line: lineNo, type: b.type, name: b.name, comm: e.comm, pid: e.pid, cpu: e.cpu };
    if (e.tgid !== undefined) ev.tgid = e.tgid;
    if (e.flags !== undefined) ev.flags = e.flags;
    if (e.timestamp !== undefined) ev.timestamp = e.timestamp;
    if (e.relativeUs !== undefined) ev.relativeUs = e.relativeUs;
    this.copyBody(ev, b);
    return ev;
  }

  private copyBody(ev: TraceEvent, b: EntryBody): void {
    if (b.payload !== undefined) ev.payload = b.payload;
    if (b.fields) ev.fields = b.fields;
    if (b.failedToParse) ev.failedToParse = true;
    if (b.parent !== undefined) ev.parent = b.parent;
    if (b.probe !== undefined) ev.probe = b.probe;
    if (b.type === 'stack') ev.frames = [];
    if (b.graph) {
      if (b.graph.mark !== undefined) ev.mark = b.graph.mark;
      if (b.graph.durationUs !== undefined) ev.durationUs = b.graph.durationUs;
      this.applyGraphBody(ev, b.graph.body, b.graph.depth);
    }
  }

  private graphEvent(g: Extract<ReturnType<typeof parseGraphLine>, { kind: 'call' }>, lineNo: number): TraceEvent {
    const ev: TraceEvent = { kind: 'trace-event', source: this.source, line: lineNo, type: 'funcgraph-entry', name: '' };
    if (g.cpu !== undefined) ev.cpu = g.cpu;
    if (g.abstime !== undefined) ev.timestamp = g.abstime;
    if (g.task !== undefined) {
      const m = taskRe.exec(g.task);
      if (m) {
        ev.comm = m[1]!;
        ev.pid = Number(m[2]);
      }
    }
    if (g.flags !== undefined) ev.flags = g.flags;
    if (g.mark !== undefined) ev.mark = g.mark;
    if (g.durationUs !== undefined) ev.durationUs = g.durationUs;
    this.applyGraphBody(ev, g.body, g.depth);
    return ev;
  }

  private stackKey(ev: TraceEvent): string {
    return ev.pid !== undefined ? `p${ev.pid}` : `c${ev.cpu ?? -1}`;
  }

  /** Sets type, name and depth from a graph body and keeps the call stack of its CPU (or task). */
  private applyGraphBody(ev: TraceEvent, body: GraphBody, depth: number): void {
    ev.depth = depth;
    const stack = this.graphStacks.get(this.stackKey(ev)) ?? [];
    this.graphStacks.set(this.stackKey(ev), stack);
    // The indentation is the depth: it resynchronises the stack after context switches and lost events.
    if (stack.length > depth + 1) stack.length = depth + 1;
    switch (body.kind) {
      case 'entry':
        // Callers whose entries are not in the buffer stay unknown ("?").
        while (stack.length < depth) stack.push('?');
        stack.length = depth;
        stack.push(body.func);
        ev.type = 'funcgraph-entry';
        ev.name = body.func;
        if (body.module !== undefined) ev.module = body.module;
        return;
      case 'leaf':
        stack.length = Math.min(stack.length, depth);
        ev.type = 'funcgraph-leaf';
        ev.name = body.func;
        if (body.module !== undefined) ev.module = body.module;
        if (body.retval !== undefined) ev.retval = body.retval;
        return;
      case 'exit': {
        const open = stack.length > depth && stack[depth] !== '?' ? stack[depth] : undefined;
        stack.length = Math.min(stack.length, depth);
        ev.type = 'funcgraph-exit';
        ev.name = open ?? body.func ?? '?';
        if (body.module !== undefined) ev.module = body.module;
        if (open === undefined) this.summary.unmatchedGraphExits++;
        if (body.retval !== undefined) ev.retval = body.retval;
        return;
      }
      case 'comment': {
        // Tracepoints, trace_printk and markers inside graph output: "/* mm_vmscan_writepage: page=... */".
        const n = namedBodyRe.exec(body.text);
        if (n && n[1] !== undefined) {
          ev.type = 'event';
          ev.name = n[1];
          ev.payload = n[2] ?? '';
          const fields = parsePayloadFields(ev.payload);
          if (fields) ev.fields = fields;
        } else {
          ev.type = 'print';
          ev.name = 'comment';
          ev.payload = body.text;
        }
      }
    }
  }

  /** The format: the one the user named, else the one most lines had. */
  format(): TraceFormat {
    if (this.forced) return this.forced;
    const s = this.shapes;
    const entries = s.context + s.glued + s.perf;
    if (s.graph > entries && s.graph >= s.latency) return 'function-graph';
    if (s.latency > entries) return 'latency';
    if (s.traceCmd > 0 || s.glued > 0) return 'trace-cmd';
    if (s.header > 0) return 'trace';
    return 'trace-pipe';
  }

  /** The tracer: from "# tracer:", else guessed from the entries. */
  tracer(): string {
    const t = this.summary.header.tracer;
    if (t) return t;
    if (this.shapes.graph > 0 || this.summary.typeCount('funcgraph-entry') > 0) return 'function_graph';
    if (this.summary.typeCount('function') > 0) return 'function';
    // Only tracepoint entries: the nop tracer with events enabled.
    return this.summary.eventTotal > 0 ? 'nop' : 'unknown';
  }

  build(index: number, formatOverride?: TraceFormat): TraceRecord {
    const start = this.startLine ?? 1;
    return this.summary.build({
      source: this.source,
      index,
      format: formatOverride ?? this.format(),
      tracer: this.tracer(),
      startLine: start,
      endLine: this.endLine ?? start,
    });
  }
}
