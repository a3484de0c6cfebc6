// GitHub Actions workflow commands: one annotation per report (::error for a
// report that fails the run, ::warning for one --fail-on tolerates, ::notice
// for one the baseline suppresses), located at the kernel source file:line when
// the report names it, else at the log line; then the raw report in a
// collapsed group. Log text never runs as a command: values are escaped as
// GitHub's toolkit does, and raw lines are wrapped in ::stop-commands:: with a
// token derived from the text itself, which the text therefore cannot contain.
import { createHash } from 'node:crypto';
import type { Report } from '../model/report.js';
import type { FormatInput, ReportEntry, ReportOutcome } from './document.js';
import { countOutcome } from './document.js';
import { describeReport, kernelPosition, logPositionText, reportText } from './describe.js';
import { githubData, githubProperty, replaceControls } from './escape.js';

type Level = 'error' | 'warning' | 'notice';

const levelOf: Record<ReportOutcome, Level> = { failing: 'error', tolerated: 'warning', suppressed: 'notice' };

/** "::level k=v,k=v::message" with every value escaped. */
export function workflowCommand(level: Level, props: ReadonlyArray<[string, string | number | undefined]>, message: string): string {
  const p = props.filter((kv): kv is [string, string | number] => kv[1] !== undefined && kv[1] !== '').map(([k, v]) => `${k}=${githubProperty(String(v))}`);
  return `::${level}${p.length > 0 ? ` ${p.join(',')}` : ''}::${githubData(message)}\n`;
}

/** Prints text as it is (but its control characters): between ::stop-commands::TOKEN and ::TOKEN:: the runner runs no command. */
export function verbatim(raw: string): string {
  const text = replaceControls(raw);
  const token = `ktriage-${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
  return `::stop-commands::${token}\n${text}\n::${token}::\n`;
}

function annotation(entry: ReportEntry, r: Report, input: FormatInput): string {
  const pos = kernelPosition(r);
  const where: Array<[string, string | number | undefined]> = pos
    ? [['file', pos.file], ['line', pos.line]]
    : [['file', r.source === '-' ? undefined : r.source], ['line', r.startLine], ['endLine', r.endLine]];
  return workflowCommand(levelOf[entry.outcome], [...where, ['title', r.title]], describeReport(entry, input.failOn, input.baseline).join('\n'));
}

function rawGroup(r: Report): string {
  return `::group::${githubData(`${r.title} (${logPositionText(r)})`)}\n${verbatim(reportText(r))}::endgroup::\n`;
}

/** Annotations and raw reports for the job log, in pieces; the Markdown summary is written separately. */
export function* githubChunks(input: FormatInput): Generator<string> {
  for (const g of input.groups) {
    for (const e of g.errors) yield workflowCommand('error', [['file', e.source], ['line', e.line], ['title', 'ktriage: input error']], `${e.source}: ${e.message}`);
    for (const n of g.notices) yield workflowCommand('warning', [['file', n.source], ['line', n.line], ['title', 'ktriage']], n.message);
    for (const e of g.reports) {
      const r = e.report;
      yield annotation(e, r, input) + rawGroup(r);
    }
    for (const m of g.mentions) {
      yield workflowCommand('notice', [['file', m.source], ['line', m.evidence.lines[0]], ['title', `known bug mentioned: ${m.title}`]], m.message);
    }
  }
  const n = (o: ReportOutcome): number => countOutcome(input, o);
  const s = input.summary;
  yield `ktriage: ${s.reports} report(s) in ${s.sources} source(s): ${n('failing')} failing, ${n('tolerated')} tolerated (--fail-on ${githubData(input.failOn)}), ${n('suppressed')} suppressed by the baseline, ${s.errors} input error(s)\n`;
}

/** Annotations and raw reports for the job log; the Markdown summary is written separately. */
export function formatGithub(input: FormatInput): string {
  return [...githubChunks(input)].join('');
}
