// The input of the CI formatters (junit, github, sarif, markdown): the records
// of a run grouped by source, each report with its findings and what the
// --fail-on/--baseline policy made of it. Built once; the formatters only render.
import type { Finding } from '../model/finding.js';
import type { ErrorRecord, NoticeRecord, OutputRecord, Summary } from '../model/records.js';
import type { Report } from '../model/report.js';
import type { ReportOutcome } from '../policy/gate.js';

export type { ReportOutcome };

export interface ReportEntry {
  report: Report;
  /** Known bugs the report matched. */
  findings: Finding[];
  outcome: ReportOutcome;
}

/** Everything one source produced. */
export interface SourceGroup {
  /** Source name: a file, "-" for stdin, "<file>#<Message-ID>" for a mail message. */
  source: string;
  reports: ReportEntry[];
  /** Known bugs described in prose without a splat. */
  mentions: Finding[];
  errors: ErrorRecord[];
  notices: NoticeRecord[];
}

export interface FormatInput {
  /** Sources in input order; a source without any record is an empty group. */
  groups: SourceGroup[];
  summary: Summary;
  /** ktriage's version, for formats that name the tool (SARIF). */
  toolVersion: string;
  /** The --fail-on policy as given ("any" by default). */
  failOn: string;
  /** The --baseline file, when one was given. */
  baseline?: string;
}

export interface FormatInputOptions {
  /** The policy's verdict on a report (default: suppressed when marked so, else failing). */
  outcome?: (r: Report) => ReportOutcome;
  /** Source names as the inputs expanded to (files, "-"); sources without records get an empty group. */
  sources?: readonly string[];
  toolVersion?: string;
  failOn?: string;
  baseline?: string;
}

function defaultOutcome(r: Report): ReportOutcome {
  return r.suppressed ? 'suppressed' : 'failing';
}

function newGroup(source: string): SourceGroup {
  return { source, reports: [], mentions: [], errors: [], notices: [] };
}

/** The input name a record source belongs to: itself, or the file of a mail message ("<file>#..."). */
function ownerOf(source: string, inputs: readonly string[]): number {
  return inputs.findIndex((name) => source === name || source.startsWith(`${name}#`));
}

/** Groups the records of a run (in stream order, the summary last) by source. */
export function buildFormatInput(records: Iterable<OutputRecord>, opts: FormatInputOptions = {}): FormatInput {
  const outcome = opts.outcome ?? defaultOutcome;
  const groups = new Map<string, SourceGroup>();
  let summary: Summary | undefined;
  const group = (source: string): SourceGroup => {
    let g = groups.get(source);
    if (!g) groups.set(source, (g = newGroup(source)));
    return g;
  };
  for (const rec of records) {
    if (rec.kind === 'summary') summary = rec;
    else if (rec.kind === 'report') group(rec.source).reports.push({ report: rec, findings: [], outcome: outcome(rec) });
    else if (rec.kind === 'finding') {
      const g = group(rec.source);
      const entry = rec.report === null ? undefined : g.reports.find((e) => e.report.index === rec.report);
      if (entry) entry.findings.push(rec);
      else g.mentions.push(rec);
    } else if (rec.kind === 'error') group(rec.source).errors.push(rec);
    else if (rec.kind === 'notice') group(rec.source).notices.push(rec);
  }
  if (!summary) throw new Error('buildFormatInput: the records end without a summary');
  const inputs = opts.sources ?? [];
  const all = [...groups.values()];
  // Groups of no input (errors for inputs that could not be expanded) first, then input order.
  const ordered = all.filter((g) => ownerOf(g.source, inputs) < 0);
  inputs.forEach((name, i) => {
    const owned = all.filter((g) => ownerOf(g.source, inputs) === i);
    ordered.push(...(owned.length > 0 ? owned : [newGroup(name)]));
  });
  const input: FormatInput = { groups: ordered, summary, toolVersion: opts.toolVersion ?? '0.0.0', failOn: opts.failOn ?? 'any' };
  if (opts.baseline !== undefined) input.baseline = opts.baseline;
  return input;
}

/** Reports in all groups, in order. */
export function allReports(input: FormatInput): ReportEntry[] {
  return input.groups.flatMap((g) => g.reports);
}
