// Library entry points: bytes or text in, reports (and errors, notices, a
// summary) out. The CLI is a thin layer over analyze().
import type { Readable } from 'node:stream';
import { readLineBatches, splitLines, MAX_LINE_BYTES } from './input/read-lines.js';
import { expandInputs, type Source } from './input/sources.js';
import { KtriageError, fromFsError } from './model/errors.js';
import type { ErrorRecord, NoticeRecord, OutputRecord, Summary } from './model/records.js';
import type { Report } from './model/report.js';
import { LineNormalizer } from './parsers/normalize-line.js';
import { ReportSegmenter, type SegmenterOptions } from './reports/segment.js';
import { builtinDetectors, type Detector } from './detectors/index.js';
import { MentionScanner, runDetectors } from './findings/run-detectors.js';
import type { Finding } from './model/finding.js';

export interface AnalyzeOptions extends SegmenterOptions {
  /** Longest input line in bytes; longer lines are cut and a notice is emitted. */
  maxLineBytes?: number;
  /** stdin, for the "-" input (defaults to process.stdin). */
  stdin?: Readable;
  /** Known-bug detectors to run (default: the built-in ones). */
  detectors?: readonly Detector[];
}

/** Analyzes text already in memory: reports and findings, in output order. */
export function analyzeTextRecords(text: string, source = '-', opts: Pick<AnalyzeOptions, 'detectors'> & SegmenterOptions = {}): Array<Report | Finding> {
  const norm = new LineNormalizer(source);
  const seg = new ReportSegmenter(source, opts);
  const detectors = opts.detectors ?? builtinDetectors;
  const mentions = new MentionScanner(source, detectors);
  const out: Array<Report | Finding> = [];
  const add = (reports: Report[]) => {
    for (const r of reports) {
      out.push(r);
      mentions.noteReport(r.startLine - r.precedingLines.length, r.endLine);
      for (const f of runDetectors(r, detectors)) {
        mentions.noteSplat(f.detector);
        out.push(f);
      }
    }
  };
  for (const raw of splitLines(text)) {
    const line = norm.normalize(raw.text, raw.lineNo);
    if (!line) continue;
    mentions.push(line);
    add(seg.push(line));
  }
  add(seg.end());
  out.push(...mentions.end());
  return out;
}

/** Analyzes text already in memory (reports only). */
export function analyzeText(text: string, source = '-', opts: SegmenterOptions = {}): Report[] {
  const norm = new LineNormalizer(source);
  const seg = new ReportSegmenter(source, opts);
  const out: Report[] = [];
  for (const raw of splitLines(text)) {
    const line = norm.normalize(raw.text, raw.lineNo);
    if (line) out.push(...seg.push(line));
  }
  out.push(...seg.end());
  return out;
}

/** Per-source counters reported in the summary. */
export interface SourceStats {
  lines: number;
}

/** Streams the records of one byte stream: reports as they complete, their findings, notices for cut lines. */
export async function* analyzeStream(
  input: Readable,
  source: string,
  opts: AnalyzeOptions = {},
  stats: SourceStats = { lines: 0 },
): AsyncGenerator<Report | Finding | NoticeRecord> {
  const norm = new LineNormalizer(source);
  const seg = new ReportSegmenter(source, opts);
  const detectors = opts.detectors ?? builtinDetectors;
  const mentions = new MentionScanner(source, detectors);
  const max = opts.maxLineBytes ?? MAX_LINE_BYTES;
  function* withFindings(reports: Report[]): Generator<Report | Finding> {
    for (const r of reports) {
      yield r;
      mentions.noteReport(r.startLine - r.precedingLines.length, r.endLine);
      for (const f of runDetectors(r, detectors)) {
        mentions.noteSplat(f.detector);
        yield f;
      }
    }
  }
  for await (const batch of readLineBatches(input, max)) {
    const out: Array<Report | Finding | NoticeRecord> = [];
    for (const raw of batch) {
      if (raw.cut) out.push({ kind: 'notice', source, line: raw.lineNo, message: `line longer than ${max} bytes was cut` });
      const line = norm.normalize(raw.text, raw.lineNo, raw.cut);
      if (!line) continue;
      mentions.push(line);
      const done = seg.push(line);
      if (done.length > 0) out.push(...withFindings(done));
    }
    stats.lines += batch.length;
    yield* out;
  }
  yield* withFindings(seg.end());
  yield* mentions.end();
}

function errorRecord(err: KtriageError, source: string): ErrorRecord {
  const rec: ErrorRecord = { kind: 'error', source: err.file ?? source, code: err.code, message: err.message };
  if (err.line !== undefined) rec.line = err.line;
  return rec;
}

/**
 * Analyzes files, directories (recursively), gzip files and "-" (stdin).
 * Yields every report, notice and input error, then one summary record.
 * A source that fails mid-way keeps the reports found before the failure.
 */
export async function* analyze(inputs: readonly string[], opts: AnalyzeOptions = {}): AsyncGenerator<OutputRecord> {
  const stdin = opts.stdin ?? process.stdin;
  const { sources, problems } = await expandInputs(inputs, stdin);
  const summary: Summary = {
    kind: 'summary',
    schemaVersion: 1,
    sources: sources.length,
    lines: 0,
    reports: 0,
    corrupted: 0,
    errors: 0,
    notices: 0,
    byClass: {},
    byTitle: {},
    findings: 0,
    byDetector: {},
  };
  for (const p of problems) {
    summary.errors++;
    yield errorRecord(p.error, p.error.file ?? '');
  }
  for (const src of sources) {
    for await (const rec of analyzeSource(src, opts, summary)) yield rec;
  }
  yield summary;
}

async function* analyzeSource(src: Source, opts: AnalyzeOptions, summary: Summary): AsyncGenerator<OutputRecord> {
  const stats: SourceStats = { lines: 0 };
  try {
    const stream = await src.open();
    for await (const rec of analyzeStream(stream, src.name, opts, stats)) {
      if (rec.kind === 'report') {
        summary.reports++;
        if (rec.corrupted) summary.corrupted++;
        summary.byClass[rec.crashClass] = (summary.byClass[rec.crashClass] ?? 0) + 1;
        summary.byTitle[rec.title] = (summary.byTitle[rec.title] ?? 0) + 1;
      } else if (rec.kind === 'finding') {
        summary.findings++;
        summary.byDetector[rec.detector] = (summary.byDetector[rec.detector] ?? 0) + 1;
      } else {
        summary.notices++;
      }
      yield rec;
    }
  } catch (e) {
    summary.errors++;
    const err = e instanceof KtriageError ? e : fromFsError(e, src.name);
    const rec = errorRecord(err, src.name);
    if (rec.line === undefined && stats.lines > 0) rec.line = stats.lines;
    yield rec;
  } finally {
    summary.lines += stats.lines;
  }
}
