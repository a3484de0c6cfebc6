// The input of the CI formatters (junit, github, sarif, markdown): the records
// of a run grouped by source, each report with its findings and what the
// --fail-on/--baseline policy made of it. Built once; the formatters only render.
// A long run's reports need not stay in memory: a ReportKeeper (the CLI's report
// store) may keep them elsewhere and give them back when a formatter reads them.
import type { Finding } from '../model/finding.js';
import type { ErrorRecord, NoticeRecord, OutputRecord, Summary } from '../model/records.js';
import type { Report } from '../model/report.js';
import type { ReportOutcome } from '../policy/gate.js';
import { SerialColumn, withRoom } from '../runtime/typed-arrays.js';

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
  reports: EntryList;
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

/** What a ReportKeeper keeps: reports, and the findings that name them. */
export type KeptRecord = Report | Finding;

/** Keeps reports and findings elsewhere until they are rendered: keep() gives a slot number, load() the record back. */
export interface ReportKeeper {
  keep(record: KeptRecord): number;
  load(slot: number): KeptRecord;
}

/** The record in a keeper's slot, which must be of `kind`. */
function loadKind<K extends KeptRecord['kind']>(keeper: ReportKeeper, slot: number, kind: K): Extract<KeptRecord, { kind: K }> {
  const rec = keeper.load(slot);
  if (rec.kind !== kind) throw new Error(`report keeper: slot ${slot} holds a ${rec.kind}, not a ${kind}`);
  return rec as Extract<KeptRecord, { kind: K }>;
}

const outcomes: readonly ReportOutcome[] = ['failing', 'tolerated', 'suppressed'];

/** Crash classes by number, for EntryList (a handful: the crash classes of the formats and rule files). */
const classNames: string[] = [];
const classIds = new Map<string, number>();

function classId(name: string): number {
  let id = classIds.get(name);
  if (id === undefined) {
    // An entry keeps its class and outcome in 16 bits, the outcome in the lowest two.
    if (classNames.length >= 1 << 14) throw new Error('EntryList: more than 16,384 crash classes');
    id = classNames.push(name) - 1;
    classIds.set(name, id);
  }
  return id;
}

// Where a list has no numbers yet. A typed array costs ~130 bytes even when empty, and a run over
// mail has a list per message with a record (EntryList): shared, and never written (withRoom
// makes a new array before the first number goes in).
const NO_CODES = new Uint16Array(0);
const NO_NUMBERS = new Uint32Array(0);

/**
 * The report entries of a source, in order. A run's entries stay until the document is written,
 * so each is a few numbers here (outcome and crash class, 2 bytes; its slot in the keeper and its
 * index, 8 bytes more once either stops counting up by one) and an entry object is made when it
 * is read. As objects (~130 bytes with their findings
 * array and the keeper's slot) the entries of 300,000 reports took -f junit and -f sarif to
 * 227-236 MB (2026-11-28).
 */
export class EntryList implements Iterable<ReportEntry> {
  // Made on first use: a run over mail has a list per message with a record, most of them empty
  // or with one report.
  private n = 0;
  // A source's reports mostly have the indexes 0, 1, 2 ... and consecutive slots in the keeper
  // (a single large input: no memory at all for either).
  private readonly slots = new SerialColumn();
  private readonly indexes = new SerialColumn();
  /** Per entry: its crash class (classNames) times 4, plus its outcome (outcomes). */
  private codes = NO_CODES;
  /** Reports held here when there is no keeper. */
  private held: Report[] | undefined;
  // Findings, in the order added: each one's entry position and slot (in the keeper, or in
  // heldFindings). They were objects in a map by position: -f junit on 50,000 reports that each
  // matched a known bug peaked at 441 MB (2026-11-28). A finding follows its report, so the
  // positions mostly come in order and an entry's findings are found by binary search.
  private nFindings = 0;
  private findingPos = NO_NUMBERS;
  private findingSlot = NO_NUMBERS;
  private findingsInOrder = true;
  private heldFindings: Finding[] | undefined;

  constructor(private readonly keeper?: ReportKeeper) {}

  get length(): number {
    return this.n;
  }

  push(report: Report, outcome: ReportOutcome): void {
    const i = this.n++;
    this.codes = withRoom(this.codes, i, (k) => new Uint16Array(k));
    this.slots.push(this.keeper ? this.keeper.keep(report) : (this.held ??= []).push(report) - 1);
    this.indexes.push(report.index);
    this.codes[i] = classId(report.crashClass) * 4 + outcomes.indexOf(outcome);
  }

  /** The position of the first entry whose report has `index`, or -1. */
  positionOf(index: number): number {
    for (let i = 0; i < this.n; i++) if (this.indexes.get(i) === index) return i;
    return -1;
  }

  /** Adds a known bug to the entry at `position`. */
  addFinding(position: number, f: Finding): void {
    const k = this.nFindings++;
    this.findingPos = withRoom(this.findingPos, k, (n) => new Uint32Array(n));
    this.findingSlot = withRoom(this.findingSlot, k, (n) => new Uint32Array(n));
    if (k > 0 && position < this.findingPos[k - 1]!) this.findingsInOrder = false;
    this.findingPos[k] = position;
    this.findingSlot[k] = this.keeper ? this.keeper.keep(f) : (this.heldFindings ??= []).push(f) - 1;
  }

  /** The findings of the entry at `position`, in the order they were added. */
  private findingsAt(position: number): Finding[] {
    const out: Finding[] = [];
    let k = 0;
    if (this.findingsInOrder) {
      // The first finding at `position` or after it.
      for (let hi = this.nFindings; k < hi; ) {
        const mid = (k + hi) >>> 1;
        if (this.findingPos[mid]! < position) k = mid + 1;
        else hi = mid;
      }
    }
    for (; k < this.nFindings; k++) {
      const p = this.findingPos[k]!;
      if (p === position) out.push(this.keeper ? loadKind(this.keeper, this.findingSlot[k]!, 'finding') : this.heldFindings![this.findingSlot[k]!]!);
      else if (this.findingsInOrder && p > position) break;
    }
    return out;
  }

  /** The outcome of the entry at `position`, without making the entry. */
  outcomeAt(position: number): ReportOutcome {
    return outcomes[this.codes[position]! & 3]!;
  }

  /** How many entries have this outcome. */
  count(outcome: ReportOutcome): number {
    const code = outcomes.indexOf(outcome);
    let k = 0;
    for (let i = 0; i < this.n; i++) if ((this.codes[i]! & 3) === code) k++;
    return k;
  }

  /** True when some entry has a known bug. */
  get hasFindings(): boolean {
    return this.nFindings > 0;
  }

  /** The entry at `position` (a new object each time; its report is read back on access). */
  at(position: number): ReportEntry {
    const slot = this.slots.get(position);
    const keeper = this.keeper;
    const held = this.held;
    return {
      get report(): Report {
        return keeper ? loadKind(keeper, slot, 'report') : held![slot]!;
      },
      index: this.indexes.get(position),
      crashClass: classNames[this.codes[position]! >> 2]!,
      findings: this.nFindings === 0 ? [] : this.findingsAt(position),
      outcome: this.outcomeAt(position),
    };
  }

  *[Symbol.iterator](): Iterator<ReportEntry> {
    for (let i = 0; i < this.n; i++) yield this.at(i);
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

// A group's lists until something goes in (see FormatInputBuilder.add): most groups of a run over
// mail (one per message with a record) have reports and nothing else, and an empty array is 16-32
// bytes. Frozen, so that a push meant for a group's own list fails instead of filling every group's.
const NONE: never[] = Object.freeze([]) as never[];

function newGroup(source: string, keeper?: ReportKeeper): SourceGroup {
  return { source, reports: new EntryList(keeper), mentions: NONE, errors: NONE, notices: NONE };
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
    if (!g) this.groups.set(source, (g = newGroup(source, this.opts.keep)));
    return g;
  }

  add(rec: OutputRecord): void {
    if (rec.kind === 'summary') this.summary = rec;
    else if (rec.kind === 'report') {
      const g = this.group(rec.source);
      if (rec.index !== g.reports.length) this.unordered.add(g);
      g.reports.push(rec, this.outcome(rec));
    } else if (rec.kind === 'finding') {
      const g = this.group(rec.source);
      const i = rec.report;
      // The first report with that index, as a search of the list finds it.
      const at = i === null ? -1 : this.unordered.has(g) ? g.reports.positionOf(i) : i < g.reports.length ? i : -1;
      if (at >= 0) g.reports.addFinding(at, rec);
      else (g.mentions === NONE ? (g.mentions = []) : g.mentions).push(rec);
    } else if (rec.kind === 'error') {
      const g = this.group(rec.source);
      (g.errors === NONE ? (g.errors = []) : g.errors).push(rec);
    } else if (rec.kind === 'notice') {
      const g = this.group(rec.source);
      (g.notices === NONE ? (g.notices = []) : g.notices).push(rec);
    }
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

/** Reports in all groups, in order (made as they are read). */
export function* allReports(input: FormatInput): Generator<ReportEntry> {
  for (const g of input.groups) yield* g.reports;
}

/** How many reports of all groups have this outcome. */
export function countOutcome(input: FormatInput, outcome: ReportOutcome): number {
  return input.groups.reduce((n, g) => n + g.reports.count(outcome), 0);
}

/** How many reports all groups have. */
export function reportCount(input: FormatInput): number {
  return input.groups.reduce((n, g) => n + g.reports.length, 0);
}
