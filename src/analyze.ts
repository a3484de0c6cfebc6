// Library entry points: bytes or text in, reports, findings, notices, errors
// and a summary out. The CLI is a thin layer over analyze().
import type { Readable } from 'node:stream';
import { countLines, readLineBatches, splitLines, MAX_LINE_BYTES, type RawLine } from './input/read-lines.js';
import { peekStream } from './input/peek.js';
import { binaryFormatOf, binaryInputMessage } from './input/binary-formats.js';
import { archiveFormatOf, archiveMembers, type ArchiveFormat } from './input/archives.js';
import { resolveInput, type InputFormat } from './input/input-format.js';
import { inputSources, isSourceProblem, type ReadControl, type Source, type SourceProblem } from './input/sources.js';
import { splitMbox } from './mail/mbox.js';
import { parseMessage, type MailMessage } from './mail/message.js';
import { prepareMailLines } from './mail/prepare-text.js';
import { KtriageError, fromFsError } from './model/errors.js';
import type { Finding } from './model/finding.js';
import type { ErrorRecord, NoticeRecord, OutputRecord, Summary } from './model/records.js';
import type { Report } from './model/report.js';
import type { TraceEvent, TraceRecord } from './model/trace.js';
import { LineNormalizer, splitRecord } from './parsers/normalize-line.js';
import type { LogLine } from './model/log-line.js';
import { BootTracker } from './boot/boot-tracker.js';
import type { BootRecord, KernelErrorRecord } from './model/boot.js';
import { ReportSegmenter, type SegmenterOptions } from './reports/segment.js';
import { builtinDetectors, type Detector } from './detectors/index.js';
import { MentionScanner, runDetectors } from './findings/run-detectors.js';
import { TraceCollector, type TraceMode } from './trace/collector.js';
import { messageDone, reclaimBeforeNext } from './runtime/reclaim.js';
import { builtinTraceDetectors, type TraceDetector } from './trace/detectors/index.js';
import { quietLineTests, type QuietLineTests } from './quiet/quiet-lines.js';
import type { InertLineTest } from './quiet/inert-line.js';

export interface AnalyzeOptions extends SegmenterOptions {
  /** Longest input line in bytes; longer lines are cut and a notice is emitted. */
  maxLineBytes?: number;
  /** stdin, for the "-" input (defaults to process.stdin). */
  stdin?: Readable;
  /** Known-bug detectors to run (default: the built-in ones). */
  detectors?: readonly Detector[];
  /** Called with the number of input bytes read from files (before decompression), for progress. */
  onBytes?: (n: number) => void;
  /** Called with each source the inputs expand to, when the run reaches it and before it is read (the CI documents list every source). */
  onSource?: (name: string) => void;
  /** Called as mail messages are done, for progress. */
  onMessages?: (n: number) => void;
  /** What the inputs are (--input-format); default "auto": sniffed from their first bytes. */
  inputFormat?: InputFormat;
  /** Trace detectors to run on traces and ftrace dumps (default: the built-in ones). */
  traceDetectors?: readonly TraceDetector[];
  /** Also yield every parsed trace entry as a "trace-event" record (`ktriage trace --events`). */
  traceEvents?: boolean;
  /** Ends the inputs early (Ctrl-C): what was read is analysed and the summary still comes. */
  signal?: AbortSignal;
  /** Keep reading named files as they grow, like `tail -f`, until `signal` fires. */
  follow?: boolean;
  /**
   * Follow mode: when no line has arrived for this long while a report is open, the
   * report is completed and emitted (its end marker may never come). 0 disables it.
   * Default: 3000 ms for stdin and followed files, off otherwise.
   */
  idleFlushMs?: number;
  /** See SourceOptions.skipQuietLines (default true; the output is the same either way). */
  skipQuietLines?: boolean;
}

/** The source-reading part of the options. */
export function readControl(opts: AnalyzeOptions): ReadControl {
  const c: ReadControl = {};
  if (opts.signal) c.signal = opts.signal;
  if (opts.follow) c.follow = true;
  return c;
}

/** The default idle flush of a source (see AnalyzeOptions.idleFlushMs). */
function idleFlushFor(source: string, opts: AnalyzeOptions): number {
  if (opts.idleFlushMs !== undefined) return opts.idleFlushMs;
  return source === '-' || opts.follow ? 3000 : 0;
}

/** Options of one source's pipeline. */
export interface SourceOptions extends SegmenterOptions {
  detectors?: readonly Detector[];
  traceDetectors?: readonly TraceDetector[];
  /** Kernel log with possible ftrace dumps (default), or a trace. */
  trace?: TraceMode;
  traceEvents?: boolean;
  /**
   * Skip the work on lines that cannot matter while nothing is open (default true; the output
   * is the same either way, see src/quiet/inert-line.ts). Logs and mail, not traces.
   */
  skipQuietLines?: boolean;
}

type SourceRecord = Report | Finding | NoticeRecord | TraceRecord | TraceEvent | KernelErrorRecord | BootRecord;

/**
 * The per-source pipeline: LogLines -> reports -> findings, plus mention findings at the
 * end. Pure and synchronous; the callers feed it lines as they read them.
 */
export class SourceAnalyzer {
  private readonly norm: LineNormalizer;
  private readonly seg: ReportSegmenter;
  private readonly detectors: readonly Detector[];
  private readonly mentions: MentionScanner;
  private readonly traces: TraceCollector;
  private readonly traceEvents: boolean;
  /** Boot progress and non-splat kernel errors (logs only: mail quotes them out of context). */
  private readonly boot: BootTracker | undefined;
  /** Trace entries of the current line (reused: most lines have none). */
  private readonly entries: TraceEvent[] = [];
  /** The quiet-line tests, when lines may be skipped (see SourceOptions.skipQuietLines). */
  private readonly quietTests: QuietLineTests | undefined;
  reports = 0;
  /** Lines skipped as quiet so far (see push). */
  skippedLines = 0;

  constructor(
    readonly source: string,
    opts: SourceOptions = {},
    private readonly mail?: MailMessage,
  ) {
    this.norm = new LineNormalizer(source);
    this.seg = new ReportSegmenter(source, opts, (raw, lineNo) => this.norm.normalizeSkipped(raw, lineNo));
    this.detectors = opts.detectors ?? builtinDetectors;
    this.mentions = new MentionScanner(source, this.detectors);
    this.traces = new TraceCollector(source, opts.trace ?? { kind: 'log' }, opts.traceDetectors ?? builtinTraceDetectors);
    this.traceEvents = opts.traceEvents ?? false;
    this.boot = mail ? undefined : new BootTracker(source);
    const skip = (opts.skipQuietLines ?? true) && this.traces.mode.kind === 'log';
    this.quietTests = skip ? quietLineTests(this.detectors) : undefined;
  }

  /** The quiet-line test to use, when lines may be skipped and no trace dump needs them. */
  private quietTest(): InertLineTest | undefined {
    const tests = this.quietTests;
    if (tests === undefined || !this.traces.quiet || this.norm.readsEveryLine) return undefined;
    const boot = this.boot;
    // Mail has no boot tracker: nothing waits for a shell prompt or the kernel's start there.
    if (boot === undefined) return tests(false, this.seg.wantsTimestamp);
    return tests(boot.wantsPrompt, boot.wantsStart || this.seg.wantsTimestamp);
  }

  /** Feeds lines; appends the records they complete to `out`. */
  push(lines: readonly RawLine[], out: SourceRecord[], maxLineBytes = MAX_LINE_BYTES): void {
    for (const raw of lines) {
      if (raw.cut) out.push({ kind: 'notice', source: this.source, line: raw.lineNo, message: `line longer than ${maxLineBytes} bytes was cut` });
      // Nothing is open and the line holds nothing any stage looks for while quiet: its only
      // effect would be to become a possible preceding line of a later report.
      if (this.seg.quiet && this.quietTest()?.wakes(raw.text) === false) {
        this.norm.skip(raw.text);
        this.seg.quietLine(raw.lineNo, raw.text);
        this.skippedLines++;
        continue;
      }
      const line = this.norm.normalize(raw.text, raw.lineNo, raw.cut);
      const multiLine = this.norm.multiLine;
      const kernelError = this.boot?.push(raw.text, raw.lineNo, line);
      if (kernelError) out.push(kernelError);
      // Trace entries (a trace source, or an ftrace dump in a log) do not reach the crash segmenter.
      const inTrace = this.traces.push(line ? line.text : raw.text, raw.lineNo, this.entries);
      if (this.entries.length > 0) this.takeEntries(out);
      if (!line || inTrace) continue;
      if (multiLine) for (const part of splitRecord(line)) this.segment(part, out);
      else this.segment(line, out);
    }
  }

  /** A line to the mention detectors and the crash segmenter. */
  private segment(line: LogLine, out: SourceRecord[]): void {
    this.mentions.push(line);
    const done = this.seg.push(line);
    if (done.length > 0) this.withFindings(done, out);
  }

  /** Completes the open reports now (follow mode, after an idle pause); the source goes on. */
  flush(out: SourceRecord[]): void {
    this.withFindings(this.seg.end(), out);
  }

  get openReports(): number {
    return this.seg.openCount;
  }

  /** Ends the source: open reports complete, mention findings are decided, traces are summarised. */
  end(out: SourceRecord[]): void {
    this.withFindings(this.seg.end(), out);
    out.push(...this.mentions.end());
    const boot = this.boot?.end(this.reports);
    if (boot) out.push(boot);
    const traces = this.traces.end(this.entries);
    this.takeEntries(out);
    out.push(...traces);
  }

  private takeEntries(out: SourceRecord[]): void {
    if (this.traceEvents) out.push(...this.entries);
    this.entries.length = 0;
  }

  private withFindings(reports: Report[], out: SourceRecord[]): void {
    for (const r of reports) {
      if (this.mail) r.mail = mailFields(this.mail);
      this.reports++;
      out.push(r);
      this.traces.noteReport(r);
      this.mentions.noteReport(r.startLine - r.precedingLines.length, r.endLine);
      for (const f of runDetectors(r, this.detectors)) {
        this.mentions.noteSplat(f.detector);
        out.push(f);
      }
    }
  }
}

function mailFields(m: MailMessage): NonNullable<Report['mail']> {
  const f: NonNullable<Report['mail']> = {};
  if (m.messageId !== undefined) f.messageId = m.messageId;
  if (m.subject !== undefined) f.subject = m.subject;
  if (m.date !== undefined) f.date = m.date;
  if (m.from !== undefined) f.from = m.from;
  return f;
}

/** Analyzes text already in memory: reports, findings and trace summaries, in output order. */
export function analyzeTextRecords(text: string, source = '-', opts: Omit<SourceOptions, 'traceEvents'> = {}): Array<Report | Finding | TraceRecord> {
  const a = new SourceAnalyzer(source, opts);
  const out: SourceRecord[] = [];
  a.push(splitLines(text), out);
  a.end(out);
  return out.filter((r): r is Report | Finding | TraceRecord => r.kind === 'report' || r.kind === 'finding' || r.kind === 'trace');
}

/** Analyzes text already in memory (reports only). */
export function analyzeText(text: string, source = '-', opts: SegmenterOptions = {}): Report[] {
  return analyzeTextRecords(text, source, opts).filter((r): r is Report => r.kind === 'report');
}

/** The source name of a mail message: "<file>#<Message-ID>" (or "#<n>" without one). */
export function messageSource(file: string, msg: MailMessage, index: number): string {
  return `${file}#${msg.messageId ?? `message-${index + 1}`}`;
}

/** Analyzes one decoded mail message (its text prepared for mangled splats). */
export function analyzeMessage(msg: MailMessage, source: string, opts: SourceOptions = {}): SourceRecord[] {
  return [...messageRecords(msg, source, opts)];
}

/** Lines of a message fed to the pipeline at a time: a 32 MB message's records are not all held at once. */
const MESSAGE_BATCH = 4096;

/** The records of one decoded message, as they complete. */
export function* messageRecords(msg: MailMessage, source: string, opts: SourceOptions = {}): Generator<SourceRecord> {
  const a = new SourceAnalyzer(source, opts, msg);
  const lines = prepareMailLines(msg.text);
  const out: SourceRecord[] = [];
  for (let at = 0; at < lines.length; at += MESSAGE_BATCH) {
    const batch = lines.slice(at, at + MESSAGE_BATCH).map((text, i) => ({ text, lineNo: at + i + 1, cut: false }));
    a.push(batch, out);
    yield* out;
    out.length = 0;
  }
  a.end(out);
  yield* out;
}

const IDLE = Symbol('idle');

/** Resolves to IDLE after `ms`; the timer does not keep the process alive. */
function sleep(ms: number): Promise<typeof IDLE> {
  return new Promise((resolve) => setTimeout(() => resolve(IDLE), ms).unref());
}

/** Per-source counters reported in the summary. */
export interface SourceStats {
  lines: number;
  messages: number;
  messagesWithReports: number;
}

/** Streams the records of one log byte stream: reports as they complete, their findings, notices for cut lines. */
export async function* analyzeStream(
  input: Readable,
  source: string,
  opts: AnalyzeOptions = {},
  stats: SourceStats = { lines: 0, messages: 0, messagesWithReports: 0 },
  trace: TraceMode = { kind: 'log' },
): AsyncGenerator<SourceRecord> {
  const a = new SourceAnalyzer(source, { ...opts, trace });
  const max = opts.maxLineBytes ?? MAX_LINE_BYTES;
  const idleMs = idleFlushFor(source, opts);
  const batches = readLineBatches(input, max);
  // A read that fails (a gzip file cut short, an archive member whose size is wrong) ends the
  // input where it failed: the reports open there are given as read, then the error.
  let failure: { error: unknown } | undefined;
  for (;;) {
    const next = batches.next();
    let res;
    try {
      res = idleMs > 0 && a.openReports > 0 ? await Promise.race([next, sleep(idleMs)]) : await next;
      if (res === IDLE) {
        // Nothing new for a while and a report is open: it is complete as far as anyone can tell.
        const out: SourceRecord[] = [];
        a.flush(out);
        yield* out;
        res = await next;
      }
    } catch (error) {
      failure = { error };
      break;
    }
    if (res.done) break;
    const out: SourceRecord[] = [];
    a.push(res.value, out, max);
    stats.lines += res.value.length;
    yield* out;
  }
  const out: SourceRecord[] = [];
  a.end(out);
  yield* out;
  if (failure) throw failure.error;
}

/** Streams the records of a mailbox (or of one message): every message is its own source. */
export async function* analyzeMailStream(
  input: Readable,
  file: string,
  single: boolean,
  opts: AnalyzeOptions = {},
  stats: SourceStats = { lines: 0, messages: 0, messagesWithReports: 0 },
): AsyncGenerator<SourceRecord | ErrorRecord> {
  yield* analyzeRawMessages(single ? singleMessage(input) : splitMbox(input), file, opts, stats);
}

/** A message's bytes and where it sits in its mbox (a RawMessage, or one a worker was sent). */
export interface MessageInput {
  raw: Buffer;
  index: number;
  lineNo: number;
  cut: boolean;
}

const NO_BYTES = Buffer.alloc(0);

/**
 * The message's bytes, which `m` no longer holds: once decoded they are garbage, but the object
 * outlives its decoding. splitMbox's suspended frame still refers to the last message it yielded,
 * and the loop below to the one it analyses: with 16 MiB messages, two raw messages stayed alive
 * through each message's analysis.
 */
function takeBytes(m: MessageInput): Buffer {
  const raw = m.raw;
  m.raw = NO_BYTES;
  return raw;
}

/** The records of raw mail messages, each decoded and analysed as its own source. */
export async function* analyzeRawMessages(
  messages: AsyncIterable<MessageInput>,
  file: string,
  opts: AnalyzeOptions = {},
  stats: SourceStats = { lines: 0, messages: 0, messagesWithReports: 0 },
): AsyncGenerator<SourceRecord | ErrorRecord> {
  for await (const m of messages) {
    reclaimBeforeNext();
    const rawBytes = m.raw.length;
    let msg: MailMessage;
    let source: string;
    try {
      msg = await parseMessage(takeBytes(m));
      source = messageSource(file, msg, m.index);
    } catch (e) {
      yield brokenMessage(e, file, m.lineNo, m.index, stats, opts);
      continue;
    }
    stats.messages++;
    opts.onMessages?.(1);
    stats.lines += countLines(msg.text);
    if (m.cut || msg.cut) yield { kind: 'notice', source, line: 1, message: 'message longer than the size limit was cut' } satisfies NoticeRecord;
    if (msg.undecoded !== undefined) yield { kind: 'notice', source, line: 1, message: `MIME structure not decoded (${msg.undecoded}): read as plain text` } satisfies NoticeRecord;
    let withReport = false;
    try {
      for (const r of messageRecords(msg, source, opts)) {
        if (!withReport && r.kind === 'report') {
          withReport = true;
          stats.messagesWithReports++;
        }
        yield r;
      }
    } catch (e) {
      // The records before the failure are kept (they were already passed on).
      yield brokenMessage(e, file, m.lineNo, m.index);
    }
    messageDone(rawBytes);
  }
}

/** The error record of a message that could not be decoded or analysed: one broken message must not lose the rest of the mailbox. */
function brokenMessage(e: unknown, file: string, lineNo: number, index: number, stats?: SourceStats, opts?: AnalyzeOptions): ErrorRecord {
  const err = e instanceof KtriageError ? e : new KtriageError('input.read-failed', `message ${index + 1}: ${e instanceof Error ? e.message : String(e)}`, { file });
  const rec = errorRecord(err, file);
  rec.line = lineNo;
  if (stats) {
    stats.messages++;
    opts?.onMessages?.(1);
  }
  return rec;
}

/** A stream holding one message (an .eml file). */
async function* singleMessage(input: Readable): AsyncGenerator<MessageInput> {
  const chunks: Buffer[] = [];
  for await (const c of input as AsyncIterable<Buffer>) chunks.push(c);
  // Held as the object's property only: a local would keep the bytes while this frame waits.
  const m: MessageInput = { raw: Buffer.concat(chunks), index: 0, lineNo: 1, cut: false };
  chunks.length = 0;
  yield m;
}

function errorRecord(err: KtriageError, source: string): ErrorRecord {
  const rec: ErrorRecord = { kind: 'error', source: err.file ?? source, code: err.code, message: err.message };
  if (err.line !== undefined) rec.line = err.line;
  return rec;
}

export function emptySummary(sources: number): Summary {
  return {
    kind: 'summary',
    schemaVersion: 1,
    sources,
    messages: 0,
    messagesWithReports: 0,
    lines: 0,
    reports: 0,
    suppressed: 0,
    kernelErrors: 0,
    corrupted: 0,
    errors: 0,
    notices: 0,
    byClass: {},
    byTitle: {},
    findings: 0,
    byDetector: {},
  };
}

/**
 * Distinct titles a summary counts one by one (byTitle). Every distinct title held ~100-280 bytes
 * until the run ended: 300,000 reports of distinct titles (a 131 MB log) peaked at 180 MB with
 * -f jsonl, against 124 MB for 100,000 of them (2026-11-28).
 */
export const MAX_SUMMARY_TITLES = 10_000;

/** How many titles each summary's byTitle holds (countRecord is the only writer). */
const titlesCounted = new WeakMap<Summary, number>();

function countTitle(summary: Summary, title: string): void {
  const n = summary.byTitle[title];
  if (n !== undefined) {
    summary.byTitle[title] = n + 1;
    return;
  }
  const distinct = titlesCounted.get(summary) ?? Object.keys(summary.byTitle).length;
  if (distinct < MAX_SUMMARY_TITLES) {
    summary.byTitle[title] = 1;
    titlesCounted.set(summary, distinct + 1);
  } else {
    summary.byTitleOmitted = (summary.byTitleOmitted ?? 0) + 1;
  }
}

/** Adds one record to the summary counters. */
export function countRecord(summary: Summary, rec: OutputRecord): void {
  if (rec.kind === 'report') {
    summary.reports++;
    if (rec.corrupted) summary.corrupted++;
    summary.byClass[rec.crashClass] = (summary.byClass[rec.crashClass] ?? 0) + 1;
    countTitle(summary, rec.title);
  } else if (rec.kind === 'finding') {
    summary.findings++;
    summary.byDetector[rec.detector] = (summary.byDetector[rec.detector] ?? 0) + 1;
  } else if (rec.kind === 'kernel-error') {
    summary.kernelErrors++;
  } else if (rec.kind === 'notice') {
    summary.notices++;
  } else if (rec.kind === 'error') {
    summary.errors++;
  }
}

/**
 * Analyzes files, directories (recursively), gzip files and "-" (stdin); mboxes,
 * maildir files and .eml messages are split into messages, each its own source.
 * Yields every report, finding, notice and input error, then one summary record.
 * A source that fails mid-way keeps the records found before the failure.
 */
export async function* analyze(inputs: readonly string[], opts: AnalyzeOptions = {}): AsyncGenerator<OutputRecord> {
  const summary = emptySummary(0);
  yield* analyzeSources(runInputs(inputs, opts, summary), opts, summary);
}

/** The records of every source in this thread, in order, then the run's summary (analyze(), and analyzeParallel() on small inputs). */
export async function* analyzeSources(items: AsyncIterable<RunInput>, opts: AnalyzeOptions, summary: Summary): AsyncGenerator<OutputRecord> {
  for await (const item of items) {
    if ('open' in item) {
      yield* countedSource(item, opts, summary);
    } else {
      countRecord(summary, item);
      yield item;
    }
  }
  yield summary;
}

/** The record of an input that could not be read (an error) or was passed by (a notice); `source` names an error that names no file. */
function problemRecord(p: SourceProblem, source: string): ErrorRecord | NoticeRecord {
  if ('error' in p) return errorRecord(p.error, p.error.file ?? source);
  return { kind: 'notice', source: p.notice.source, message: p.notice.message };
}

/** A source of a run, or the error or notice record (not yet counted) of an input that could not be read or was not followed. */
export type RunInput = Source | ErrorRecord | NoticeRecord;

/**
 * The inputs of a run (analyze() and analyzeParallel()) as inputSources gives them, one at a
 * time: each source is counted into the summary and announced (onSource) when it is reached,
 * so a directory of any size is never listed whole.
 */
export async function* runInputs(inputs: readonly string[], opts: AnalyzeOptions, summary: Summary): AsyncGenerator<RunInput> {
  for await (const item of inputSources(inputs, () => opts.stdin ?? process.stdin, readControl(opts))) {
    if (!isSourceProblem(item)) {
      summary.sources++;
      opts.onSource?.(item.name);
      yield item;
    } else {
      yield problemRecord(item, '');
    }
  }
}

/** analyzeSource() with every record counted into the run's summary. */
export async function* countedSource(src: Source, opts: AnalyzeOptions, summary: Summary, opened?: { head: Buffer; stream: Readable }): AsyncGenerator<OutputRecord> {
  for await (const rec of analyzeSource(src, opts, summary, opened)) {
    countRecord(summary, rec);
    yield rec;
  }
}

/**
 * The files in an archive, each analysed as a source of its own (an archive in it too). The
 * archive counts as the files it holds.
 */
async function* archiveSource(src: Source, format: ArchiveFormat, stream: Readable, opts: AnalyzeOptions, summary: Summary): AsyncGenerator<OutputRecord> {
  summary.sources--;
  try {
    for await (const m of archiveMembers(src, format, stream, opts.signal)) {
      if (!isSourceProblem(m)) {
        summary.sources++;
        opts.onSource?.(m.name);
        yield* analyzeSource(m, opts, summary);
      } else {
        yield problemRecord(m, src.name);
      }
    }
  } finally {
    stream.destroy();
  }
}

/** One input source, of whatever kind its first bytes show. */
export async function* analyzeSource(
  src: Source,
  opts: AnalyzeOptions,
  summary: Summary,
  /** The source already opened and sniffed by the caller (its first bytes and the whole stream). */
  opened?: { head: Buffer; stream: Readable },
): AsyncGenerator<OutputRecord> {
  const stats: SourceStats = { lines: 0, messages: 0, messagesWithReports: 0 };
  try {
    const { head, stream } = opened ?? (await peekStream(await src.open(opts.onBytes)));
    const binary = binaryFormatOf(head);
    if (binary !== undefined) {
      stream.destroy();
      const message = binaryInputMessage(binary, src.name);
      // Found in a directory walk, the file is passed by as a link is; named, it is an error.
      if (src.walked) yield { kind: 'notice', source: src.name, message } satisfies NoticeRecord;
      else yield errorRecord(new KtriageError('input.unreadable', message, { file: src.name }), src.name);
      return;
    }
    const archive = archiveFormatOf(head);
    if (archive !== undefined) {
      yield* archiveSource(src, archive, stream, opts, summary);
      return;
    }
    const { kind, trace } = resolveInput(head, opts.inputFormat);
    const records = kind === 'log' ? analyzeStream(stream, src.name, opts, stats, trace) : analyzeMailStream(stream, src.name, kind === 'message', opts, stats);
    for await (const rec of records) yield rec;
  } catch (e) {
    const err = e instanceof KtriageError ? e : fromFsError(e, src.name);
    const rec = errorRecord(err, src.name);
    if (rec.line === undefined && stats.lines > 0 && stats.messages === 0) rec.line = stats.lines;
    yield rec;
  } finally {
    summary.lines += stats.lines;
    summary.messages += stats.messages;
    summary.messagesWithReports += stats.messagesWithReports;
  }
}
