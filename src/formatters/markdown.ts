// Markdown (GitHub-flavoured): a headline, a table of the reports with what the
// policy made of each, known bugs, input errors, then each raw report in a
// collapsed <details> block. Also the GitHub job summary of --format github.
// All text from the input is escaped (table pipes, emphasis, HTML, code fences).
import type { FormatInput, ReportEntry, ReportOutcome } from './document.js';
import { allReports } from './document.js';
import { describeFinding, kernelPositionText, logPositionText, reportText } from './describe.js';
import { htmlText, mdCodeBlock, mdText } from './escape.js';

/** Caps for size-limited destinations (a GitHub job summary holds at most 1 MiB). */
export interface MarkdownLimits {
  /** Table rows. */
  rows?: number;
  /** Reports whose raw text is shown. */
  rawReports?: number;
  /** Lines shown of each raw report. */
  rawLines?: number;
}

function count(entries: readonly ReportEntry[], o: ReportOutcome): number {
  return entries.filter((e) => e.outcome === o).length;
}

function headline(input: FormatInput, entries: readonly ReportEntry[]): string {
  const s = input.summary;
  const failing = count(entries, 'failing');
  const title = s.reports === 0 ? 'no kernel report' : `${s.reports} kernel report(s), ${failing} failing`;
  const parts = [`${failing} failing`, `${count(entries, 'tolerated')} tolerated by --fail-on ${mdText(input.failOn)}`];
  parts.push(`${count(entries, 'suppressed')} suppressed by the baseline${input.baseline === undefined ? '' : ` ${mdText(input.baseline)}`}`);
  if (s.errors > 0) parts.push(`${s.errors} input error(s)`);
  return `## ktriage: ${title}\n\n${s.reports} report(s) in ${s.sources} source(s), ${s.lines} line(s): ${parts.join(', ')}.\n`;
}

function table(entries: readonly ReportEntry[], limits: MarkdownLimits): string {
  if (entries.length === 0) return '';
  const shown = entries.slice(0, limits.rows ?? entries.length);
  const rows = shown.map((e) => {
    const r = e.report;
    const cells = [e.outcome, r.title, r.crashClass, kernelPositionText(r) ?? '', `${r.source}:${r.startLine}`, r.kernelVersion ?? ''];
    return `| ${cells.map(mdText).join(' | ')} |`;
  });
  const more = entries.length > shown.length ? `\n${entries.length - shown.length} more report(s) not shown.\n` : '';
  return `\n| status | title | class | kernel source | log | kernel |\n|---|---|---|---|---|---|\n${rows.join('\n')}\n${more}`;
}

function knownBugs(input: FormatInput): string {
  const lines: string[] = [];
  for (const g of input.groups) {
    for (const e of g.reports) for (const f of e.findings) lines.push(`- ${mdText(`${e.report.title} (${logPositionText(e.report)}): ${describeFinding(f).join(' ')}`)}`);
    for (const f of g.mentions) lines.push(`- ${mdText(`mentioned in ${f.source}: ${describeFinding(f).join(' ')}`)}`);
  }
  return lines.length === 0 ? '' : `\n### Known bugs\n\n${lines.join('\n')}\n`;
}

function problems(input: FormatInput): string {
  const lines = input.groups.flatMap((g) => [
    ...g.errors.map((e) => `- error: ${mdText(`${e.line === undefined ? e.source : `${e.source}:${e.line}`}: ${e.message}`)}`),
    ...g.notices.map((n) => `- notice: ${mdText(`${n.source}${n.line === undefined ? '' : `:${n.line}`}: ${n.message}`)}`),
  ]);
  return lines.length === 0 ? '' : `\n### Input problems\n\n${lines.join('\n')}\n`;
}

function rawReports(entries: readonly ReportEntry[], limits: MarkdownLimits): string {
  if (entries.length === 0) return '';
  const shown = entries.slice(0, limits.rawReports ?? entries.length);
  const blocks = shown.map((e) => {
    const lines = reportText(e.report).split('\n');
    const max = limits.rawLines ?? lines.length;
    const text = lines.length > max ? `${lines.slice(0, max).join('\n')}\n[${lines.length - max} more line(s) cut]` : lines.join('\n');
    const summary = htmlText(`${e.report.title} (${e.outcome}), ${logPositionText(e.report)}`);
    return `<details><summary>${summary}</summary>\n\n${mdCodeBlock(text)}\n</details>\n`;
  });
  const more = entries.length > shown.length ? `\n${entries.length - shown.length} more raw report(s) not shown.\n` : '';
  return `\n### Reports\n\n${blocks.join('\n')}${more}`;
}

/** The run as a Markdown document. */
export function formatMarkdown(input: FormatInput, limits: MarkdownLimits = {}): string {
  const entries = allReports(input);
  return headline(input, entries) + table(entries, limits) + knownBugs(input) + problems(input) + rawReports(entries, limits);
}
