// The input of the CI formatters (junit, github, sarif, markdown): the records
// of a run grouped by source, each report with its findings and what the
// --fail-on/--baseline policy made of it. Built once; the formatters only render.
// A long run's reports need not stay in memory: a ReportKeeper (the CLI's report
// store) may keep them elsewhere and give them back when a formatter reads them.
import type { Finding } from '../model/finding.js';
import type { ErrorRecord, NoticeRecord, OutputRecord, Summary } from '../model/records.js';
import type { Report } from '../model/report.js';
import type { ReportOutcome } from '../policy/gate.js';

export type { ReportOutcome };

export interface ReportEntry {
  /** The report. Kept by a ReportKeeper, it is read back on access: bind it once per use. */
  readonly report: Report;
  /** The report's index in its source (its findings name it). */
  readonly index: number;
  /** The report's crash class, at hand without reading the report back (SARIF's rule list). */
  readonly crashClass: string;
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

/** Keeps reports elsewhere until they are rendered: keep() gives a slot number, load() the report back. */
export interface ReportKeeper {
  keep(report: Report): number;
  load(slot: number): Report;
}

/** A report entry whose report is in a ReportKeeper: read back on each access. */
class KeptEntry implements ReportEntry {
  findings: Finding[] = [];

  constructor(
    private readonly keeper: ReportKeeper,
    private readonly slot: number,
    readonly index: number,
    readonly crashClass: string,
    public outcome: ReportOutcome,
  ) {}

  get report(): Report {
    return this.keeper.load(this.slot);
  }
}

export interface FormatInputOptions {
  /** The policy's verdict on a report (default: suppressed when marked so, else failing). */
  outcome?: (r: Report) => ReportOutcome;
  /** Source names as the inputs expanded to (files, "-"); sources without records get an empty group. */
  sources?: readonly string[];
  toolVersion?: string;
  failOn?: string;
  baseline?: string;
  /** Where reports are kept until the document is rendered (default: in memory, as they are). */
  keep?: ReportKeeper;
}

function defaultOutcome(r: Report): ReportOutcome {
  return r.suppressed ? 'suppressed' : 'failing';
}

function newGroup(source: string): SourceGroup {
  return { source, reports: [], mentions: [], errors: [], notices: [] };
}

/**
 * The input a record source belongs to: the first input named like the source, or like the file
 * of a mail message ("<file>#<Message-ID>"), else -1. `first` maps each name to its first index.
 */
function ownerOf(source: string, first: ReadonlyMap<string, number>): number {
  let owner = first.get(source) ?? -1;
  // A file name may hold "#" itself: every "#" may end the file's part.
  for (let at = source.indexOf('#'); at >= 0; at = source.indexOf('#', at + 1)) {
    const i = first.get(source.slice(0, at));
    if (i !== undefined && (owner < 0 || i < owner)) owner = i;
  }
  return owner;
}

/** Groups the records of a run (in stream order, the summary last) by source, a record at a time. */
export class FormatInputBuilder {
  private readonly groups = new Map<string, SourceGroup>();
  /**
   * Groups whose reports did not come with the indexes 0, 1, 2 ... in order. In the others (all,
   * as analyze() numbers them) the report a finding names is at its index in the list.
   */
  private readonly unordered = new Set<SourceGroup>();
  private summary: Summary | undefined;
  private readonly outcome: (r: Report) => ReportOutcome;

  constructor(private readonly opts: FormatInputOptions = {}) {
    this.outcome = opts.outcome ?? defaultOutcome;
  }

  private group(source: string): SourceGroup {
    let g = this.groups.get(source);
    if (!g) this.groups.set(source, (g = newGroup(source)));
    return g;
  }

  private entry(rec: Report): ReportEntry {
    const outcome = this.outcome(rec);
    const keeper = this.opts.keep;
    if (!keeper) return { report: rec, index: rec.index, crashClass: rec.crashClass, findings: [], outcome };
    return new KeptEntry(keeper, keeper.keep(rec), rec.index, rec.crashClass, outcome);
  }

  add(rec: OutputRecord): void {
    if (rec.kind === 'summary') this.summary = rec;
    else if (rec.kind === 'report') {
      const g = this.group(rec.source);
      if (rec.index !== g.reports.length) this.unordered.add(g);
      g.reports.push(this.entry(rec));
    } else if (rec.kind === 'finding') {
      const g = this.group(rec.source);
      const i = rec.report;
      // The first report with that index, as a search of the list finds it.
      const entry = i === null ? undefined : this.unordered.has(g) ? g.reports.find((e) => e.index === i) : g.reports[i];
      if (entry) entry.findings.push(rec);
      else g.mentions.push(rec);
    } else if (rec.kind === 'error') this.group(rec.source).errors.push(rec);
    else if (rec.kind === 'notice') this.group(rec.source).notices.push(rec);
  }

  /** The grouped input; throws when no summary came. */
  finish(): FormatInput {
    const { opts, summary } = this;
    if (!summary) throw new Error('buildFormatInput: the records end without a summary');
    const inputs = opts.sources ?? [];
    const first = new Map<string, number>();
    inputs.forEach((name, i) => {
      if (!first.has(name)) first.set(name, i);
    });
    // Groups of no input (errors for inputs that could not be expanded) first, then input order.
    const ordered: SourceGroup[] = [];
    const owned = inputs.map((): SourceGroup[] => []);
    for (const g of this.groups.values()) {
      const i = ownerOf(g.source, first);
      if (i < 0) ordered.push(g);
      else owned[i]?.push(g);
    }
    inputs.forEach((name, i) => {
      const mine = owned[i] ?? [];
      // A loop, not push(...mine): an mbox can have more messages than a call takes arguments.
      if (mine.length === 0) ordered.push(newGroup(name));
      for (const g of mine) ordered.push(g);
    });
    const input: FormatInput = { groups: ordered, summary, toolVersion: opts.toolVersion ?? '0.0.0', failOn: opts.failOn ?? 'any' };
    if (opts.baseline !== undefined) input.baseline = opts.baseline;
    return input;
  }
}

/** Groups the records of a run (in stream order, the summary last) by source. */
export function buildFormatInput(records: Iterable<OutputRecord>, opts: FormatInputOptions = {}): FormatInput {
  const builder = new FormatInputBuilder(opts);
  for (const rec of records) builder.add(rec);
  return builder.finish();
}

/** Reports in all groups, in order. */
export function allReports(input: FormatInput): ReportEntry[] {
  return input.groups.flatMap((g) => g.reports);
}
