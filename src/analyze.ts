// Library entry points: bytes or text in, reports (and errors, notices, a
// summary) out. The CLI is a thin layer over analyze().
import type { Readable } from 'node:stream';
import { readLines, splitLines, MAX_LINE_BYTES } from './input/read-lines.js';
import { expandInputs, type Source } from './input/sources.js';
import { KtriageError, fromFsError } from './model/errors.js';
import type { ErrorRecord, NoticeRecord, OutputRecord, Summary } from './model/records.js';
import type { Report } from './model/report.js';
import { LineNormalizer } from './parsers/normalize-line.js';
import { ReportSegmenter, type SegmenterOptions } from './reports/segment.js';

export interface AnalyzeOptions extends SegmenterOptions {
  /** Longest input line in bytes; longer lines are cut and a notice is emitted. */
  maxLineBytes?: number;
  /** stdin, for the "-" input (defaults to process.stdin). */
  stdin?: Readable;
}

/** Analyzes text already in memory. */
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

/** Streams the records of one byte stream: reports as they complete, notices for cut lines. */
export async function* analyzeStream(
  input: Readable,
  source: string,
  opts: AnalyzeOptions = {},
  stats: SourceStats = { lines: 0 },
): AsyncGenerator<Report | NoticeRecord> {
  const norm = new LineNormalizer(source);
  const seg = new ReportSegmenter(source, opts);
  const max = opts.maxLineBytes ?? MAX_LINE_BYTES;
  for await (const raw of readLines(input, max)) {
    stats.lines++;
    if (raw.cut) yield { kind: 'notice', source, line: raw.lineNo, message: `line longer than ${max} bytes was cut` };
    const line = norm.normalize(raw.text, raw.lineNo, raw.cut);
    if (!line) continue;
    for (const r of seg.push(line)) yield r;
  }
  for (const r of seg.end()) yield r;
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
