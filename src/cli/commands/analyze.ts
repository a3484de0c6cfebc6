// `ktriage analyze [inputs...]`: wires input -> analyze() -> a formatter.
import { availableParallelism } from 'node:os';
import { analyze, type AnalyzeOptions } from '../../analyze.js';
import { createProgress } from '../progress.js';
import { builtinDetectors, type Detector } from '../../detectors/index.js';
import { fromFsError, KtriageError } from '../../model/errors.js';
import type { Bucket, Summary } from '../../model/records.js';
import { formatJsonArrayElement, formatJsonArrayEnd, formatJsonLine } from '../../formatters/jsonl.js';
import { BucketSet, type BucketList } from '../../buckets/buckets.js';
import { formatTraceSummaries } from '../../formatters/trace-table.js';
import type { InputFormat } from '../../input/input-format.js';
import type { TraceRecord } from '../../model/trace.js';
import type { BootRecord } from '../../model/boot.js';
import { KernelErrorGroups } from '../../formatters/kernel-error-groups.js';
import { StringPool } from '../../formatters/string-pool.js';
import { formatBoot, formatBucketsChunks, formatFindingsChunks, formatProblem, formatReportLine, formatSummaryLine, formatSuppressed, formatTableChunks } from '../../formatters/table.js';
import { FindingRows, TableRows } from '../table-rows.js';
import { isDocumentFormat, type DocumentFormat } from '../../formatters/formats.js';
import type { PolicyGate } from '../../policy/gate.js';
import { examplePath } from '../example.js';
import { write, type CliIo } from '../io.js';
import { withOutput } from '../output.js';
import { createPolicyGate, type PolicyCliOptions } from '../policy.js';

export type OutputFormat = 'table' | 'json' | 'jsonl';

export interface AnalyzeCliOptions extends PolicyCliOptions {
  format?: OutputFormat | DocumentFormat;
  /** Write the output to this file instead of stdout. */
  output?: string;
  example?: boolean;
  quiet?: boolean;
  maxLineBytes?: number;
  rules?: string[];
  group?: boolean;
  /** Fix-patch knowledge base file: each report gets a "kb" finding with candidate fixes. */
  kb?: string;
  /** --input-format: what the inputs are (default auto). */
  inputFormat?: InputFormat;
  jobs?: number;
  progress?: boolean;
  /** Keep reading the file as it grows (tail -f); reports print as they complete. */
  follow?: boolean;
  /** Follow mode: complete an open report after this many ms without input (default 3000). */
  idleFlush?: number;
}

/** Rule files as read, and the detectors they define plus the built-in ones (ids must not clash). */
export async function loadRules(ruleFiles: readonly string[] = []): Promise<{ detectors: Detector[]; texts: Array<{ file: string; text: string }> }> {
  const detectors: Detector[] = [...builtinDetectors];
  const texts: Array<{ file: string; text: string }> = [];
  if (ruleFiles.length === 0) return { detectors, texts };
  // The YAML parser loads only when there are rule files.
  const { parseRuleFile } = await import('../../rules/load-rules.js');
  const { readFile } = await import('node:fs/promises');
  for (const file of ruleFiles) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw fromFsError(e, file);
    }
    texts.push({ file, text });
    for (const d of parseRuleFile(text, file)) {
      const clash = detectors.find((x) => x.meta.id === d.meta.id);
      if (clash) throw new KtriageError('config.invalid', `rule id "${d.meta.id}" is already defined (${clash.origin})`, { file });
      detectors.push(d);
    }
  }
  return { detectors, texts };
}

/** The built-in detectors plus those of the user's rule files. */
export async function loadDetectors(ruleFiles: readonly string[] = []): Promise<Detector[]> {
  return (await loadRules(ruleFiles)).detectors;
}

/**
 * Analysis threads: one per core, or --jobs if that is fewer. Each worker thread is a V8 instance
 * of its own (30-50 MB): more threads than cores only cost memory, and with --jobs 64 on many
 * files that would be gigabytes.
 */
function jobCount(opts: AnalyzeCliOptions): number {
  // Following one input is a single stream, read here as it grows.
  if (opts.follow) return 1;
  const cores = Math.max(1, availableParallelism());
  return Math.min(opts.jobs ?? cores, cores);
}

/**
 * Without --jobs, workers start only for inputs of at least this many bytes. Each worker thread
 * is a V8 instance of its own that compiles ktriage again (on mail, V8's compiler threads took as
 * much CPU as a worker), so small inputs ran slower and with twice the memory. Measured on
 * 2026-11-27 on 2 vCPUs, --jobs 1 against --jobs 2 (mean of 3 alternating runs, peak RSS):
 * 527 syzkaller reports (3.6 MB) 2.1 s, 76 MB against 3.0 s, 147 MB; mbox 10 MB 1.6 against 2.1 s,
 * 30 MB 3.3 against 3.9 s, 60 MB 5.8 against 7.3 s, 120 MB 11.1 against 10.5 s; and in one bench
 * run, the 1 GB mbox 68 against 54 s. The crossover is near 120 MB there; with more cores it is
 * probably lower (not measured). Those --jobs 2 runs had two workers; since the main thread is one
 * of the threads (one worker for --jobs 2), 60 MB of mail took 3.68 s against 3.67 s with --jobs 1
 * (3 alternating runs, 159-165 against 124-126 MB), so the threshold is not remeasured yet.
 */
export const PARALLEL_MIN_BYTES = 128 * 1024 * 1024;

/** Exit codes: 0 no report fails the --fail-on policy, 1 at least one does, 2 usage error or an input could not be read. */
export async function runAnalyze(inputs: string[], opts: AnalyzeCliOptions, io: CliIo): Promise<number> {
  if (opts.group && opts.format && isDocumentFormat(opts.format)) {
    throw new KtriageError('usage.invalid', `--group works with the table, json and jsonl formats, not ${opts.format}`);
  }
  const gate = await createPolicyGate(opts);
  return withOutput(io, opts.output, (out) => analyzeTo(inputs, opts, out, gate));
}

async function analyzeTo(inputs: string[], opts: AnalyzeCliOptions, io: CliIo, gate: PolicyGate): Promise<number> {
  let list = inputs;
  if (opts.example || (list.length === 0 && io.stdin.isTTY)) {
    if (!opts.example && !opts.quiet) {
      await write(io.stderr, 'ktriage: no input given, analysing the bundled example (pipe dmesg in, or name files: ktriage --help)\n');
    }
    list = [examplePath()];
  }
  const format = opts.format ?? (io.stdout.isTTY ? 'table' : 'jsonl');
  const doc = isDocumentFormat(format) ? new (await import('../ci-document.js')).DocumentOutput(format, gate) : undefined;
  const { detectors, texts } = await loadRules(opts.rules);
  // The rows' strings, one copy each: a long log repeats the same few titles.
  const strings = new StringPool();
  // Past its first rows, a long run's table waits on disk (see TableRows).
  const rows = new TableRows(strings);
  // Known-bug rows of the table; past their first ones they wait on disk too.
  const findings = new FindingRows(strings);
  const traces: TraceRecord[] = [];
  const boots: BootRecord[] = [];
  const kernelErrors = new KernelErrorGroups();
  // -f json: records written so far (the document is written as they come).
  let jsonCount = 0;
  let summary: Summary | undefined;
  // The bar only on a terminal, never in CI logs; --no-progress turns it off.
  const progress = await createProgress(io, opts.progress !== false && !opts.quiet && !io.env.CI && (io.stderrIsTTY ?? io.stderr.isTTY) === true);
  progress.onInputs(list);
  const analyzeOpts: AnalyzeOptions = {
    detectors,
    onSource: (name) => doc?.sources.push(name),
    onBytes: (n) => progress.onBytes(n),
    onMessages: (n) => progress.onMessages(n),
  };
  // process.stdin is made on first use (a pipe's socket, ~4 ms of start-up): only when it is read.
  if (list.length === 0 || list.includes('-')) analyzeOpts.stdin = io.stdin;
  if (opts.maxLineBytes !== undefined) analyzeOpts.maxLineBytes = opts.maxLineBytes;
  if (opts.inputFormat) analyzeOpts.inputFormat = opts.inputFormat;
  // Reports come out as they complete (JSONL always; the table as one line per report with
  // --follow), an idle pause completes an open report on stdin, Ctrl-C ends the run.
  if (io.signal) analyzeOpts.signal = io.signal;
  if (opts.follow) {
    if (list.length > 1) throw new KtriageError('usage.invalid', '--follow takes one file (or "-" for stdin)');
    analyzeOpts.follow = true;
  }
  if (opts.idleFlush !== undefined) analyzeOpts.idleFlushMs = opts.idleFlush;
  const streaming = opts.follow === true;
  const buckets = opts.group ? new BucketSet() : undefined;
  // The KB loads before any input is read, so a bad KB file fails fast.
  const kb = opts.kb ? await (await import('./kb.js')).loadKbIndex(opts.kb) : undefined;
  // Workers pay off on many sources or mail; one worker thread would only add copying.
  const jobs = jobCount(opts);
  if (opts.jobs !== undefined && jobs < opts.jobs && !opts.follow && !opts.quiet) {
    await write(io.stderr, `ktriage: warning: --jobs ${opts.jobs} is more than the ${jobs} core${jobs === 1 ? '' : 's'} here: using ${jobs} thread${jobs === 1 ? '' : 's'}\n`);
  }
  const analyzed =
    jobs > 1
      ? (await import('../../bulk/parallel.js')).analyzeParallel(list, { ...analyzeOpts, jobs, ruleTexts: texts, ...(opts.jobs === undefined ? { minBytes: PARALLEL_MIN_BYTES } : {}) })
      : analyze(list, analyzeOpts);
  const records = kb ? (await import('../../kb/annotate.js')).withKbFindings(analyzed, kb, { detectors }) : analyzed;
  try {
    for await (const rec of records) {
      gate.apply(rec);
      if (rec.kind === 'error' || rec.kind === 'notice') {
        if (!opts.quiet || rec.kind === 'error') progress.log(formatProblem(rec));
      }
      if (rec.kind === 'summary') summary = rec;
      if (doc) {
        doc.add(rec);
        continue;
      }
      // Suppressed reports (and their findings) get no table row and no bucket; the summary counts them.
      if (gate.hides(rec) && (buckets || format === 'table')) continue;
      if (buckets) {
        // --group: buckets replace the per-report records; errors and the summary still stream.
        if (rec.kind === 'report') buckets.addReport(rec);
        else if (rec.kind === 'finding') buckets.addFinding(rec);
        else if (rec.kind === 'error' && format === 'jsonl') await write(io.stdout, formatJsonLine(rec));
        continue;
      }
      if (format === 'jsonl') await write(io.stdout, formatJsonLine(rec));
      else if (format === 'json') await write(io.stdout, formatJsonArrayElement(rec, jsonCount++));
      else if (rec.kind === 'report' && streaming) await write(io.stdout, formatReportLine(rec));
      else if (rec.kind === 'report') rows.push(rec);
      else if (rec.kind === 'finding') findings.push(rec);
      else if (rec.kind === 'trace' && !rec.empty) traces.push(rec);
      else if (rec.kind === 'boot') boots.push(rec);
      else if (rec.kind === 'kernel-error') kernelErrors.add(rec);
    }
  } finally {
    progress.stop();
  }
  if (!summary) throw new Error('analyze() ended without a summary');
  if (isDocumentFormat(format)) await doc?.write(io);
  else if (buckets) {
    try {
      await writeBuckets(buckets.sorted(), summary, format, io);
    } finally {
      buckets.close();
    }
    if (format === 'table') await write(io.stdout, formatSuppressed(summary));
  } else if (format === 'json') await write(io.stdout, formatJsonArrayEnd(jsonCount));
  else if (format === 'table' && streaming) {
    // The reports were printed one line each as they completed; the table would repeat them.
    try {
      if (findings.length > 0) for (const piece of formatFindingsChunks(findings)) await write(io.stdout, piece);
    } finally {
      findings.close();
    }
    await write(io.stdout, formatSummaryLine(summary));
  } else if (format === 'table') {
    // Written a chunk of rows at a time: the text of a large table is never held whole.
    try {
      for (const piece of formatTableChunks(rows, summary, io.stdout.columns ?? 120)) await write(io.stdout, piece);
      if (findings.length > 0) for (const piece of formatFindingsChunks(findings)) await write(io.stdout, piece);
    } finally {
      rows.close();
      findings.close();
    }
    if (traces.length > 0) await write(io.stdout, `\nTraces (ktriage trace for details):\n${formatTraceSummaries(traces)}`);
    await write(io.stdout, formatBoot(boots, kernelErrors, summary.kernelErrors));
  }
  return gate.exitCode(summary);
}

/** Buckets in the chosen format, then the summary (JSON/JSONL) or a total line (table). */
export async function writeBuckets(list: BucketList, summary: Summary | undefined, format: OutputFormat, io: CliIo): Promise<void> {
  // Written as they are read: a long list may wait on disk (see BucketSet).
  if (format === 'table') {
    for (const piece of formatBucketsChunks(list)) await write(io.stdout, piece);
    return;
  }
  let n = 0;
  const put = (rec: Bucket | Summary): string => (format === 'json' ? formatJsonArrayElement(rec, n++) : formatJsonLine(rec));
  for (const b of list) await write(io.stdout, put(b));
  if (summary) await write(io.stdout, put(summary));
  if (format === 'json') await write(io.stdout, formatJsonArrayEnd(n));
}
