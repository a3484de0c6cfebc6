// Trace records: one parsed ftrace entry (`ktriage trace --events`) and the summary of
// one trace (a trace file, a trace_pipe capture, a trace-cmd report, or an ftrace dump
// inside a kernel log). Part of the JSON/JSONL output contract.
import { z } from 'zod';

/** The text forms a trace comes in (docs: ../shared/docs/ftrace-formats.md, section 1). */
export const traceFormatSchema = z.enum([
  'trace', // /sys/kernel/tracing/trace: "# tracer:" header, then context-prefixed lines
  'trace-pipe', // trace_pipe: the same lines without a header
  'trace-cmd', // `trace-cmd report` (-l, -R included): "version = 6" preamble, padded event names
  'function-graph', // function_graph tracer: "CPU) duration | func() {"
  'latency', // latency format: "comm-pid  1d..2.  12us : body"
  'ftrace-dump', // ftrace_dump_on_oops / SysRq-z output inside a kernel log
]);
export type TraceFormat = z.infer<typeof traceFormatSchema>;

/** What one input line of a trace was classified as; every line gets exactly one class. */
export const traceLineClassSchema = z.enum([
  'event', // one ring-buffer entry (tracepoint, function, function_graph line, print, kprobe, stack trace head)
  'stackFrame', // " => symbol" line of a <stack trace> entry
  'header', // "# ..." header and legend lines, trace-cmd preamble ("version = 6", "cpus=6", "CPU 3 is empty")
  'marker', // lost events, buffer started/overflow, dump start/end, graph context switches and irq arrows
  'blank',
  'prose', // anything else: text around a pasted trace, elisions ("...", "[...]"), other log lines in a dump
]);
export type TraceLineClass = z.infer<typeof traceLineClassSchema>;

/** How an entry's body was read. */
export const traceEventTypeSchema = z.enum([
  'event', // tracepoint "name: payload"
  'function', // function tracer "func <-parent" (trace-cmd "function: func <-- parent")
  'funcgraph-entry', // function_graph "func() {"
  'funcgraph-exit', // function_graph "}" (with the duration of the call)
  'funcgraph-leaf', // function_graph "func();" (entry and exit in one line)
  'print', // trace_printk (bprint/bputs), trace_marker (print, tracing_mark_write), graph "/* text */" comments
  'kprobe', // kprobe event "name: (sym+0x0/0x220) arg1=..."
  'kretprobe', // kretprobe event "name: (caller+0x1e/0x20 <- func) arg1=..."
  'stack', // "<stack trace>" / "<user stack trace>" followed by " => sym" lines
  'other', // a body none of the above fits (tracer-specific text)
]);
export type TraceEventType = z.infer<typeof traceEventTypeSchema>;

export const traceEventSchema = z.object({
  kind: z.literal('trace-event'),
  source: z.string(),
  /** 1-based line of the entry in the source. */
  line: z.number().int().positive(),
  type: traceEventTypeSchema,
  /** Tracepoint name (without the subsystem), the traced function, or the funcgraph/print/kprobe event name. */
  name: z.string(),
  /** Task name as printed ("<...>" when not cached, "<idle>" for pid 0; cut to 8 characters in latency format). */
  comm: z.string().optional(),
  pid: z.number().int().nonnegative().optional(),
  /** TGID column (record-tgid option); absent when printed as "(-----)". */
  tgid: z.number().int().nonnegative().optional(),
  cpu: z.number().int().nonnegative().optional(),
  /** irq-info flags as printed ("d..1.", "dNh3."). */
  flags: z.string().optional(),
  /** Seconds (or clock ticks for non-ns clocks) as printed after the CPU. */
  timestamp: z.number().optional(),
  /** Latency format: microseconds since the start of the buffer. */
  relativeUs: z.number().optional(),
  /** The event payload as printed (after "name: "). */
  payload: z.string().optional(),
  /** Payload fields: key=value pairs, "key value" pairs (ext4, filemap), "bdi 8:0:" prefixes, f2fs "key = value". */
  fields: z.record(z.string(), z.string()).optional(),
  /** trace-cmd could not format the event: "[FAILED TO PARSE] field=..." (fields still read). */
  failedToParse: z.boolean().optional(),
  /** Function tracer and kprobes: the caller (function tracer) or return address (kretprobe). */
  parent: z.string().optional(),
  /** kprobe: probed symbol with offset ("do_sys_open+0x0/0x220"). */
  probe: z.string().optional(),
  /** function_graph: the module of a module function, as printed after it ("virtio_blk"). */
  module: z.string().optional(),
  /** function_graph: nesting depth read from the indentation. */
  depth: z.number().int().nonnegative().optional(),
  /** function_graph: call duration in microseconds (leaf and exit lines). */
  durationUs: z.number().nonnegative().optional(),
  /** function_graph: the overhead mark before the duration ("+", "!", "#", "*", "@", "$"). */
  mark: z.string().optional(),
  /** function_graph: the return value (funcgraph-retval option). */
  retval: z.string().optional(),
  /** Stack trace frames, innermost first (" => sym" lines). */
  frames: z.array(z.string()).optional(),
});
export type TraceEvent = z.infer<typeof traceEventSchema>;

const countsSchema = z.record(z.string(), z.number().int().nonnegative());

/** The summary of one trace. */
export const traceRecordSchema = z.object({
  kind: z.literal('trace'),
  source: z.string(),
  /** 0-based index of the trace within its source (a log can hold several ftrace dumps). */
  index: z.number().int().nonnegative(),
  format: traceFormatSchema,
  /** From "# tracer: NAME", else inferred: function_graph or function when only those lines occur, nop for events. */
  tracer: z.string(),
  /** Lines of the source the trace spans. */
  startLine: z.number().int().positive(),
  endLine: z.number().int().positive(),
  /** Lines per class; they add up to endLine - startLine + 1. */
  lines: z.record(traceLineClassSchema, z.number().int().nonnegative()),
  eventTotal: z.number().int().nonnegative(),
  /** Entries per event name (tracepoint name; "function", "funcgraph_entry", "funcgraph_exit", "stack" ... for the others). */
  eventCounts: countsSchema,
  /** Entries per type of body. */
  typeCounts: countsSchema,
  /** Entries per task "comm-pid", the 100 busiest (taskTotal says how many tasks there were). */
  taskCounts: countsSchema,
  taskTotal: z.number().int().nonnegative(),
  /** Entries per CPU number. */
  cpuCounts: countsSchema,
  /** CPUs online when the trace was read ("#P:N" of the header). */
  cpusOnline: z.number().int().positive().optional(),
  /** First and last timestamp (seconds, or clock ticks) and their difference; latency format: microseconds. */
  firstTimestamp: z.number().optional(),
  lastTimestamp: z.number().optional(),
  timeSpan: z.number().nonnegative().optional(),
  timeUnit: z.enum(['s', 'us']).optional(),
  /** Timestamps that went backwards on the same CPU (the merged stream may go back across CPUs). */
  timeReversals: z.number().int().nonnegative(),
  /** "# entries-in-buffer/entries-written: A/B" of the header. */
  entriesInBuffer: z.number().int().nonnegative().optional(),
  entriesWritten: z.number().int().nonnegative().optional(),
  /** Events lost: the sum of "[LOST N EVENTS]" plus entries written but overwritten (B - A). */
  lostEvents: z.number().int().nonnegative(),
  /** Lost-event markers ("CPU:N [LOST M EVENTS]", "CPU N buffer overflow"), by CPU. */
  lostMarkers: countsSchema,
  /** trace-cmd "[FAILED TO PARSE]" entries. */
  failedToParse: z.number().int().nonnegative(),
  /** function_graph "}" lines with no entry in the trace (the call began before it). */
  unmatchedGraphExits: z.number().int().nonnegative(),
  /** The slowest function_graph calls (leaf and exit lines with a duration), slowest first, at most 10. */
  slowestCalls: z.array(
    z.object({
      function: z.string(),
      durationUs: z.number().nonnegative(),
      cpu: z.number().int().nonnegative().optional(),
      task: z.string().optional(),
      line: z.number().int().positive(),
    }),
  ),
  /** An ftrace dump that printed "(ftrace buffer empty)". */
  empty: z.boolean().optional(),
  /** The crash report an ftrace dump belongs to (index in the same source), and its title. */
  report: z.number().int().nonnegative().optional(),
  reportTitle: z.string().optional(),
});
export type TraceRecord = z.infer<typeof traceRecordSchema>;
