// Markdown (GitHub-flavoured): a headline, a table of the reports with what the
// policy made of each, known bugs, input errors, then each raw report in a
// collapsed <details> block. Also the GitHub job summary of --format github.
// All text from the input is escaped (table pipes, emphasis, HTML, code fences).
import type { FormatInput, ReportEntry } from './document.js';
import { allReports, countOutcome, reportCount } from './document.js';
import { describeFinding, kernelPositionText, logPositionText, reportText } from './describe.js';
import { htmlText, mdCodeBlock, mdText } from './escape.js';
import type { RowSource } from './render-table.js';

/** Caps for size-limited destinations (a GitHub job summary holds at most 1 MiB). */
export interface MarkdownLimits {
  /** Table rows. */
  rows?: number;
  /** Reports whose raw text is shown. */
  rawReports?: number;
  /** Lines shown of each raw report. */
  rawLines?: number;
}

/** The run's reports in order, made as they are read (each pass reads them from the first). */
type Entries = RowSource<ReportEntry>;

function headline(input: FormatInput): string {
  const s = input.summary;
  const failing = countOutcome(input, 'failing');
  const title = s.reports === 0 ? 'no kernel report' : `${s.reports} kernel report(s), ${failing} failing`;
  const parts = [`${failing} failing`, `${countOutcome(input, 'tolerated')} tolerated by --fail-on ${mdText(input.failOn)}`];
  parts.push(`${countOutcome(input, 'suppressed')} suppressed by the baseline${input.baseline === undefined ? '' : ` ${mdText(input.baseline)}`}`);
  if (s.errors > 0) parts.push(`${s.errors} input error(s)`);
  return `## ktriage: ${title}\n\n${s.reports} report(s) in ${s.sources} source(s), ${s.lines} line(s): ${parts.join(', ')}.\n`;
}

function* table(entries: Entries, limits: MarkdownLimits): Generator<string> {
  if (entries.length === 0) return;
  const shown = Math.min(entries.length, limits.rows ?? entries.length);
  yield '\n| status | title | class | kernel source | log | kernel |\n|---|---|---|---|---|---|\n';
  let i = 0;
  for (const e of entries) {
    if (i++ >= shown) break;
    const r = e.report;
    const cells = [e.outcome, r.title, r.crashClass, kernelPositionText(r) ?? '', `${r.source}:${r.startLine}`, r.kernelVersion ?? ''];
    yield `| ${cells.map(mdText).join(' | ')} |\n`;
  }
  // A table cut to no rows still ends its (empty) last row.
  if (shown === 0) yield '\n';
  if (entries.length > shown) yield `\n${entries.length - shown} more report(s) not shown.\n`;
}

function* knownBugs(input: FormatInput): Generator<string> {
  if (!input.groups.some((g) => g.mentions.length > 0 || g.reports.hasFindings)) return;
  yield '\n### Known bugs\n';
  for (const g of input.groups) {
    for (const e of g.reports) {
      // Not e.report first: the CLI would read every report back for nothing.
      if (e.findings.length === 0) continue;
      const r = e.report;
      for (const f of e.findings) yield `\n- ${mdText(`${r.title} (${logPositionText(r)}): ${describeFinding(f).join(' ')}`)}`;
    }
    for (const f of g.mentions) yield `\n- ${mdText(`mentioned in ${f.source}: ${describeFinding(f).join(' ')}`)}`;
  }
  yield '\n';
}

function problems(input: FormatInput): string {
  const lines = input.groups.flatMap((g) => [
    ...g.errors.map((e) => `- error: ${mdText(`${e.line === undefined ? e.source : `${e.source}:${e.line}`}: ${e.message}`)}`),
    ...g.notices.map((n) => `- notice: ${mdText(`${n.source}${n.line === undefined ? '' : `:${n.line}`}: ${n.message}`)}`),
  ]);
  return lines.length === 0 ? '' : `\n### Input problems\n\n${lines.join('\n')}\n`;
}

function* rawReports(entries: Entries, limits: MarkdownLimits): Generator<string> {
  if (entries.length === 0) return;
  const shown = Math.min(entries.length, limits.rawReports ?? entries.length);
  yield '\n### Reports\n\n';
  let i = -1;
  for (const e of entries) {
    if (++i >= shown) break;
    const r = e.report;
    const lines = reportText(r).split('\n');
    const max = limits.rawLines ?? lines.length;
    const text = lines.length > max ? `${lines.slice(0, max).join('\n')}\n[${lines.length - max} more line(s) cut]` : lines.join('\n');
    const summary = htmlText(`${r.title} (${e.outcome}), ${logPositionText(r)}`);
    // Blocks are separated by an empty line.
    yield `${i === 0 ? '' : '\n'}<details><summary>${summary}</summary>\n\n${mdCodeBlock(text)}\n</details>\n`;
  }
  if (entries.length > shown) yield `\n${entries.length - shown} more raw report(s) not shown.\n`;
}

/** The run as a Markdown document, in pieces (a long run's document is never held whole). */
export function* markdownChunks(input: FormatInput, limits: MarkdownLimits = {}): Generator<string> {
  const entries: Entries = { length: reportCount(input), [Symbol.iterator]: () => allReports(input) };
  yield headline(input);
  yield* table(entries, limits);
  yield* knownBugs(input);
  yield problems(input);
  yield* rawReports(entries, limits);
}

/** The run as a Markdown document. */
export function formatMarkdown(input: FormatInput, limits: MarkdownLimits = {}): string {
  return [...markdownChunks(input, limits)].join('');
}
