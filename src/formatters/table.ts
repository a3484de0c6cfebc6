// Human-readable table: one row per report, then a summary line.
import { mapRows, renderTableChunks, type RowSource } from './render-table.js';
import type { Finding } from '../model/finding.js';
import type { Bucket, ErrorRecord, NoticeRecord, Summary } from '../model/records.js';
import type { Report } from '../model/report.js';
import type { BootRecord } from '../model/boot.js';
import type { KernelErrorGroups } from './kernel-error-groups.js';
import { sanitizeForTerminal } from './sanitize.js';
import { unslice } from '../input/unslice.js';
import type { StringPool } from './string-pool.js';

export interface TableRow {
  source: string;
  line: number;
  crashClass: string;
  title: string;
  kernel: string;
  flags: string;
}

/** Keeps only what the table shows, so a long run does not hold whole reports in memory. */
export function tableRow(r: Report): TableRow {
  return rowOf(r, unslice);
}

/** tableRow, its strings shared through a run's pool (see StringPool). */
export function tableRowIn(pool: StringPool, r: Report): TableRow {
  return rowOf(r, (s) => pool.get(s));
}

function rowOf(r: Report, keep: (s: string) => string): TableRow {
  const flags: string[] = [];
  if (r.corrupted) flags.push('corrupted');
  if (r.panicked) flags.push('panic');
  if (r.quoteDepth) flags.push('quoted');
  // Rows are kept until the run ends: the title and version are copied out of the input they
  // were sliced from (see unslice). 28,308 rows of a 200 MB console log held ~230 MB of it.
  return {
    source: keep(r.source),
    line: r.startLine,
    crashClass: keep(r.crashClass),
    title: keep(r.title),
    kernel: keep(r.kernelVersion ?? ''),
    flags: keep(flags.join(',')),
  };
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

/**
 * A source cut at its start where it is too long: its end tells sources apart (the file of a
 * directory or an archive, the line), its start is the part they share ("…ci-logs.zip:logs/BUG.log").
 */
function clipStart(s: string, n: number): string {
  return s.length <= n ? s : `…${s.slice(s.length - n + 1)}`;
}

/** The line saying how many reports the baseline suppressed (they have no row), or "". */
export function formatSuppressed(summary: Summary): string {
  if (summary.suppressed === 0) return '';
  return `${summary.suppressed} report(s) suppressed by the baseline, not shown (--format jsonl lists them with "suppressed": true)\n`;
}

export function formatTable(rows: RowSource<TableRow>, summary: Summary, width = 120): string {
  return [...formatTableChunks(rows, summary, width)].join('');
}

/** Cells formatTableChunks remembers (see below); past this many it starts again, so they stay few. */
const SHOWN_CELLS = 10_000;

/** formatTable's text in pieces (see renderTableChunks): the CLI writes a large table as it goes. */
export function* formatTableChunks(rows: RowSource<TableRow>, summary: Summary, width = 120): Generator<string> {
  if (rows.length === 0) {
    const what = summary.suppressed > 0 ? 'No kernel reports outside the baseline' : 'No kernel reports';
    yield `${what} found in ${summary.sources} source(s), ${summary.lines} line(s).\n${formatSuppressed(summary)}`;
    return;
  }
  const titleWidth = Math.max(30, Math.min(90, width - 60));
  // Rows that share a string (see StringPool) share its cell too.
  const shown = new Map<string, string>();
  // A negative width cuts the start (clipStart).
  const cell = (s: string, n: number): string => {
    const key = `${n}\u0000${s}`;
    let c = shown.get(key);
    if (c === undefined) {
      c = n < 0 ? clipStart(sanitizeForTerminal(s), -n) : clip(sanitizeForTerminal(s), n);
      if (shown.size >= SHOWN_CELLS) shown.clear();
      shown.set(key, c);
    }
    return c;
  };
  // The cells of each row are made as the rows are read (twice for a large table: see
  // renderTableChunks), not held for the whole table.
  const cells = mapRows(rows, (r) => [cell(r.source, -30), String(r.line), r.crashClass, cell(r.title, titleWidth), cell(r.kernel, 24), r.flags]);
  yield* renderTableChunks(['source', 'line', 'class', 'title', 'kernel', 'flags'], cells);
  yield `\n${formatSummaryLine(summary)}`;
}

/** "3 report(s) in 1 source(s), 120 line(s): warning 2, bug 1; 1 corrupted" (and the suppressed line). */
export function formatSummaryLine(summary: Summary): string {
  const classes = Object.entries(summary.byClass)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `${summary.reports} report(s) in ${summary.sources} source(s), ${summary.lines} line(s)${classes ? `: ${classes}` : ''}${summary.corrupted ? `; ${summary.corrupted} corrupted` : ''}\n${formatSuppressed(summary)}`;
}

/** One report as one line, printed the moment it completes (follow mode): "source:line  class  title  [kernel] flags". */
export function formatReportLine(r: Report): string {
  const row = tableRow(r);
  const parts = [`${sanitizeForTerminal(row.source)}:${row.line}`, row.crashClass, sanitizeForTerminal(row.title)];
  if (row.kernel) parts.push(`[${sanitizeForTerminal(row.kernel)}]`);
  if (row.flags) parts.push(row.flags);
  return `${parts.join('  ')}\n`;
}

/** Rows of kernel errors shown per run at most; the count is always given. */
export const MAX_KERNEL_ERRORS_SHOWN = 20;

/**
 * Boot logs: how far each boot got, then the kernel errors that are not crash reports
 * ("probe of X failed with error -22"): one row per group of errors alike (see KernelErrorGroups),
 * the first MAX_KERNEL_ERRORS_SHOWN groups, with the count of `total`.
 */
export function formatBoot(boots: readonly BootRecord[], errors: KernelErrorGroups, total: number): string {
  const lines: string[] = [];
  for (const b of boots) lines.push(`Boot: ${sanitizeForTerminal(b.source)}: ${b.verdict}`);
  if (total > 0) {
    const groups = errors.list();
    lines.push(`Kernel errors (${total}):`);
    let shown = 0;
    for (const { first: e, count } of groups.slice(0, MAX_KERNEL_ERRORS_SHOWN)) {
      const times = count > 1 ? ` (${count} times, numbers aside)` : '';
      lines.push(`  ${sanitizeForTerminal(e.source)}:${e.line}  ${e.severity}  ${sanitizeForTerminal(e.message)}${times}`);
      shown += count;
    }
    if (total > shown) lines.push(`  ... ${total - shown} more (--format jsonl lists every one)`);
  }
  return lines.length > 0 ? `\n${lines.join('\n')}\n` : '';
}

/** One stderr line for an input error or notice. */
export function formatProblem(rec: ErrorRecord | NoticeRecord): string {
  const where = rec.line === undefined ? rec.source : `${rec.source}:${rec.line}`;
  const kind = rec.kind === 'error' ? 'error' : 'warning';
  return `ktriage: ${kind}: ${sanitizeForTerminal(where)}: ${sanitizeForTerminal(rec.message)}\n`;
}

/** A known-bug row as the table shows it, and the finding's message. */
export interface FindingRow {
  cells: string[];
  message: string;
}

/** Keeps only what the known-bugs table shows (a run may hold thousands of findings until it ends). */
export function findingRow(f: Finding): FindingRow {
  return findingRowOf(f, unslice);
}

/** findingRow, its strings shared through a run's pool (see StringPool). */
export function findingRowIn(pool: StringPool, f: Finding): FindingRow {
  return findingRowOf(f, (s) => pool.get(s));
}

function findingRowOf(f: Finding, keep: (s: string) => string): FindingRow {
  const fix = f.fixCommits[0];
  const cells = [
    clipStart(sanitizeForTerminal(`${f.source}${f.evidence.lines[0] !== undefined ? `:${f.evidence.lines[0]}` : ''}`), 34),
    clip(sanitizeForTerminal(f.title), 60),
    fix ? fix.commit.slice(0, 12) : '',
    fix ? `v${fix.release}` : '',
    `${f.verdict}${f.kernelVersion ? ` (${clip(sanitizeForTerminal(f.kernelVersion), 20)})` : ''}`,
    `${f.match}, ${f.confidence}`,
  ];
  // Copied out of the input the version may have been sliced from (see tableRow).
  return { cells: cells.map(keep), message: keep(sanitizeForTerminal(f.message)) };
}

/** Known bugs: where, which bug, the fix and its first release, the verdict for this kernel. */
export function formatFindings(findings: readonly Finding[]): string {
  return [...formatFindingsChunks(findings.map(findingRow))].join('');
}

/**
 * formatFindings' text in pieces (see renderTableChunks). Each distinct message is printed once,
 * under the table: one bug found in every report of a long log would otherwise repeat it per row.
 */
export function* formatFindingsChunks(rows: RowSource<FindingRow>): Generator<string> {
  yield '\nKnown bugs:\n';
  yield* renderTableChunks(['where', 'known bug', 'fix', 'first fixed', 'verdict', 'match'], mapRows(rows, (r) => r.cells));
  const messages = new Set<string>();
  for (const r of rows) messages.add(r.message);
  yield `\n${[...messages].map((m) => `  ${m}`).join('\n')}\n`;
}

/** One row per bucket: how often, since when, on which kernels, where, and the known bug if any. */
export function formatBuckets(buckets: RowSource<Bucket>): string {
  return [...formatBucketsChunks(buckets)].join('');
}

/**
 * formatBuckets' text in pieces: the list is read twice (widths, then text), and once more for
 * the total unless it carries it (a list merged from disk does: each pass merges the files).
 */
export function* formatBucketsChunks(buckets: RowSource<Bucket> & { readonly reports?: number }): Generator<string> {
  if (buckets.length === 0) {
    yield 'No kernel reports found.\n';
    return;
  }
  const cells = mapRows(buckets, (b) => {
    const kernels = b.kernelVersions.length <= 2 ? b.kernelVersions.join(', ') : `${b.kernelVersions.slice(0, 2).join(', ')} +${b.kernelVersions.length - 2}`;
    return [
      String(b.count),
      clip(sanitizeForTerminal(b.title), 60),
      // Dates come from merged JSONL files too, which may hold anything.
      sanitizeForTerminal((b.firstDate ?? '').slice(0, 10)),
      sanitizeForTerminal((b.lastDate ?? '').slice(0, 10)),
      clip(sanitizeForTerminal(kernels), 30),
      clipStart(sanitizeForTerminal(b.examples[0] ?? ''), 40),
      clip(sanitizeForTerminal(b.findings.map((f) => `${f.detector} (${f.verdicts.join('/')})`).join('; ')), 40),
    ];
  });
  yield* renderTableChunks(['count', 'title', 'first', 'last', 'kernels', 'example', 'known bug'], cells);
  let total = buckets.reports;
  if (total === undefined) {
    total = 0;
    for (const b of buckets) total += b.count;
  }
  yield `\n${buckets.length} bucket(s), ${total} report(s)\n`;
}
