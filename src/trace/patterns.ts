// Regexes for ftrace text output, one per line shape. Widths changed between kernels
// (pid 5 -> 7 digits, flags 4 -> 5 chars, TGID), so nothing here parses by column.
// Reference: ../shared/docs/ftrace-formats.md sections 0 and 1; kernel/trace/trace_output.c.

/** irq-info flag characters (trace_print_lat_fmt): irqs-off, need-resched, hard/softirq, preempt and migrate depth. */
const FLAGS = '[.dDbXnNpLlBzZHhs0-9a-f]';

/**
 * The context prefix of trace, trace_pipe and trace-cmd report lines (trace_print_context()):
 * comm (lazy: it may hold "-", "/", ":", spaces and digits; at most 64 characters, which keeps
 * the regex linear: the kernel's are 15, Android's atrace prints longer process names), "-pid", optional "(tgid)", "[cpu]",
 * optional irq flags, timestamp (seconds, or a bare integer for non-ns clocks), ":".
 * trace-cmd --ts-diff adds "(+0.000012)" before the colon.
 */
export const contextLineRe = new RegExp(
  String.raw`^\s*(.{1,64}?)-(\d+)\s+(?:\(\s*(\d+|-+)\)\s+)?\[(\d+)\]\s+(?:(${FLAGS}{3,6})\s+)?(\d+(?:\.\d+)?)(?:\s*\(\+[\d.]+\))?:\s?(.*)$`,
);

/** trace-cmd report -l as in its man page: the latency flags glued to the CPU ("<idle>-0  0d.h1. 106467.859747: ..."). */
export const gluedCpuLineRe = new RegExp(String.raw`^\s*(.{1,64}?)-(\d+)\s+(\d+)(${FLAGS}{3,6})\s+(\d+\.\d+):\s?(.*)$`);

/** `perf script` output, a near variant: no "-" between comm and pid ("kworker/0:1    19 [000]  1.2: sub:event: ..."). */
export const perfScriptLineRe = /^\s*(\S.{0,63}?)\s+(\d+)\s+\[(\d+)\]\s+(\d+\.\d+):\s+(\w+:\w+):\s?(.*)$/;

/**
 * Latency format (latency tracers, options/latency-format, ftrace_dump_on_oops): comm cut to 8
 * characters, "-pid", CPU glued to 4-5 flag characters, microseconds since the buffer start,
 * a delay mark, " : " (trace_print_lat_context()).
 */
export const latencyLineRe = new RegExp(String.raw`^\s*(.{1,16}?)-(\d+)\s+(\d+)(${FLAGS}{4,5})\s+(\d+)us([ +!#*@$]):\s?(.*)$`);

/** " => symbol" line of a stack trace entry (no context prefix). */
export const stackFrameRe = /^\s*=> (\S.*)$/;

/** Bodies that open a stack trace entry. */
export const stackHeadRe = /^<(?:user )?stack trace>\s*$/;

/** A tracepoint body "name: payload"; the name may be a trace_printk caller ("foo.isra.0") or an unresolved ip ("0xffff0000080feeb8s"). */
export const namedBodyRe = /^([A-Za-z_0-9][\w.$]*|\w+:\w+):(?:\s+(.*)|$)/;

/** Function tracer bodies: "func <-parent", trace-cmd "func <-- parent", optional "(repeats: N, last_ts: T)". */
export const functionBodyRe = /^(\S+) <-{1,2}\s?(\S+)(?:\s+\(repeats: \d+, last_ts:\s*[\d.]+\))?\s*$/;

/** A function name alone (option noprint-parent), or with sym-addr "vfs_read <ffffffff8129c1a0>". */
export const bareFunctionRe = /^([A-Za-z_][\w.]*(?:\+0x[0-9a-f]+\/0x[0-9a-f]+)?)(?: <[0-9a-f]+>)?\s*$/;

/** kprobe payload "(sym+0x0/0x220) args" and kretprobe "(caller+0x1e/0x20 <- func) args". */
export const kprobePayloadRe = /^\(([\w.]+\+0x[0-9a-f]+(?:\/0x[0-9a-f]+)?|0x[0-9a-f]+)(?: <- ([\w.]+))?\)(?:\s+(.*))?$/;

// ---- function_graph (trace_functions_graph.c) ----

/** Optional abstime column "7238523.638008 | ", then the CPU column " 0)". */
export const graphCpuRe = /^\s*(?:(\d+(?:\.\d+)?)\s+\|\s+)?(\d+)\)/;

/** The duration column: overhead mark, "N.NNN us", or blank, then "|"; or an irq arrow. */
export const graphDurationRe = /^\s*(?:([+!#*@$])\s*)?(?:(\d+(?:\.\d+)?) us\s*)?\|/;

/** "==========> |" / "<========== |": irq entry and exit (funcgraph-irqs). */
export const graphIrqRe = /^\s*(==========>|<==========)\s*(?:\|\s*)?$/;

/** The funcgraph-proc column "  bash-2794    |". */
export const graphProcRe = /^\s*(\S.*?-\d+)\s+\|/;

/** Context switch between tasks: " 0)  platfor-3210  =>  vmstat-2854". */
export const graphSwitchRe = /^\s*(\S.*?-\d+)\s+=>\s+(\S.*?-\d+)\s*$/;

/**
 * Graph bodies: entry "func() {", leaf "func();", exit "}", each with an optional comment; or a
 * comment alone. Functions of modules carry the module: "virtblk_add_req [virtio_blk]() {".
 */
export const graphEntryRe = /^([^\s(){};]+)(?: \[([\w-]+)\])?\(\) \{\s*(?:\/\*.*\*\/\s*)?$/;
// Comment texts are captured with their blanks (trimmed by the caller): "\s*(.*?)\s*\*\/" would be quadratic.
export const graphLeafRe = /^([^\s(){};]+)(?: \[([\w-]+)\])?\(\);\s*(?:\/\*(.*?)\*\/\s*)?$/;
export const graphExitRe = /^\}\s*(?:\/\*(.*?)\*\/\s*)?$/;
export const graphCommentRe = /^\/\*\s?(.*?)\s?\*\/\s*$/;

/** Context-switch rule lines of function_graph: " ----------" (indented, unlike the dump separator). */
export const graphRuleRe = /^\s+-{10,}\s*$/;

// ---- headers and markers ----

/** "# tracer: nop". */
export const tracerHeaderRe = /^#\s*tracer:\s*(\S+)/;
/** "# entries-in-buffer/entries-written: 140080/250280   #P:4". */
export const entriesHeaderRe = /^#\s*entries-in-buffer\/entries-written:\s*(\d+)\/(\d+)\s+#P:(\d+)/;
/**
 * Other "#" lines written by the kernel or atrace: blank "#", legends (pipes, "_-----=>", column
 * names), "enabled events", the function-tracing WARNING, latency-tracer header lines.
 */
export const otherHeaderRe =
  /^#(?:\s*$|[\s|/\\_-]*(?:[|/\\]|=>|-{3,})|\s+(?:TASK-PID|CPU|TIME|REL TIME|cmd|\w[\w ]*latency trace v|latency:|WARNING|MAY BE MISSING|enabled events|-{5,})|\s+\|\s+task:|\s+=> (?:started|ended) at)/;
/** trace-cmd report preamble lines. */
export const traceCmdHeaderRe = /^(?:version = \d+|cpus=\d+|CPU \d+ is empty|trace-cmd: .*)\s*$/;

/** "CPU:3 [LOST 1234 EVENTS]", "CPU:3 [LOST EVENTS]" (count unknown), "CPU 3 buffer overflow". */
export const lostEventsRe = /^\s*CPU:?\s*(\d+)\s+(?:\[LOST(?: (\d+))? EVENTS\]|buffer overflow)/;
/** "##### CPU 2 buffer started ####" (option annotate). */
export const bufferStartedRe = /^#{3,}\s*CPU \d+ buffer started\s*(?:#+\s*)?$/;
/** ftrace_dump(): "Dumping ftrace buffer:" (also "Dumping ftrace instance NAME buffer:" in newer kernels). */
export const dumpStartRe = /^Dumping ftrace (?:buffer|instance \S+ buffer):\s*$/;
/** ftrace_dump(): the separator printed before and after the entries. */
export const dumpRuleRe = /^-{10,}\s*$/;
/** ftrace_dump(): "   (ftrace buffer empty)". */
export const dumpEmptyRe = /^\s*\(ftrace buffer empty\)\s*$/;

/** Every regex above (for the ReDoS audit). */
export const tracePatternRegexes: readonly RegExp[] = [
  contextLineRe,
  gluedCpuLineRe,
  perfScriptLineRe,
  latencyLineRe,
  stackFrameRe,
  stackHeadRe,
  namedBodyRe,
  functionBodyRe,
  bareFunctionRe,
  kprobePayloadRe,
  graphCpuRe,
  graphDurationRe,
  graphIrqRe,
  graphProcRe,
  graphSwitchRe,
  graphEntryRe,
  graphLeafRe,
  graphExitRe,
  graphCommentRe,
  graphRuleRe,
  tracerHeaderRe,
  entriesHeaderRe,
  otherHeaderRe,
  traceCmdHeaderRe,
  lostEventsRe,
  bufferStartedRe,
  dumpStartRe,
  dumpRuleRe,
  dumpEmptyRe,
];
