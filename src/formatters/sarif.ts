// SARIF 2.1.0 (GitHub code scanning, Azure DevOps, IDE viewers): one result per
// report, or one per known bug it matched. Rule ids are crash classes
// ("warning", "kasan" ...) and detector ids. A result is located at the kernel
// source file:line when the report names it, else at its lines in the log; the
// log lines are a related location. The call traces become SARIF stacks.
// Checked against the OASIS schema in test/formatters/sarif.test.ts.
import { createHash } from 'node:crypto';
import { bucketKey } from '../buckets/buckets.js';
import type { Finding } from '../model/finding.js';
import type { ErrorRecord, NoticeRecord } from '../model/records.js';
import type { Report, Stack } from '../model/report.js';
import type { FormatInput, ReportEntry, ReportOutcome } from './document.js';
import { describeFinding, describeReport, kernelPosition, reportText } from './describe.js';
import { escapeRawControls, nestedJson } from './jsonl.js';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const levelOf: Record<ReportOutcome, string> = { failing: 'error', tolerated: 'warning', suppressed: 'note' };

/** A file path as a URI reference: absolute paths as file: URIs, every segment percent-encoded. */
export function pathUri(path: string): string {
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return path.startsWith('/') ? `file://${encoded}` : encoded;
}

function physical(file: string, region?: { startLine: number; endLine?: number }): JsonObject {
  const loc: JsonObject = { artifactLocation: { uri: pathUri(file) } };
  if (region) loc.region = region.endLine !== undefined && region.endLine > region.startLine ? { startLine: region.startLine, endLine: region.endLine } : { startLine: region.startLine };
  return loc;
}

function logLocation(r: Report): JsonObject {
  return { physicalLocation: physical(r.source, { startLine: r.startLine, endLine: r.endLine }), message: { text: 'the report in the kernel log' } };
}

function stacksOf(stacks: readonly Stack[]): Json[] {
  return stacks
    .filter((s) => s.frames.length > 0)
    .map((s) => ({
      message: { text: s.label },
      frames: s.frames.map((f) => {
        const location: JsonObject = { logicalLocations: [{ name: f.function, kind: 'function' }] };
        if (f.file) location.physicalLocation = physical(f.file, f.line === undefined ? undefined : { startLine: f.line });
        const frame: JsonObject = { location };
        if (f.module) frame.module = f.module;
        return frame;
      }),
    }));
}

/** Rules in order of first use; ruleIndex points into this list. */
class Rules {
  readonly list: JsonObject[] = [];
  private readonly index = new Map<string, number>();

  indexOf(id: string, make: () => JsonObject): number {
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.list.push({ id, ...make() }) - 1;
      this.index.set(id, i);
    }
    return i;
  }
}

function classRule(crashClass: string): JsonObject {
  return { shortDescription: { text: `Kernel splat of class ${crashClass}` }, properties: { tags: ['kernel', crashClass] } };
}

function findingRule(f: Finding): JsonObject {
  const fix = f.fixCommits[0];
  const help = fix ? `Fixed upstream by ${fix.commit} ("${fix.subject}"), first in v${fix.release}.` : 'No fix is recorded for this known bug.';
  return { shortDescription: { text: f.title }, help: { text: help }, properties: { tags: ['kernel', 'known-bug'] } };
}

function result(entry: ReportEntry, input: FormatInput, rules: Rules, finding?: Finding): JsonObject {
  const r = entry.report;
  const ruleId = finding ? finding.detector : r.crashClass;
  const ruleIndex = rules.indexOf(ruleId, () => (finding ? findingRule(finding) : classRule(r.crashClass)));
  const pos = kernelPosition(r);
  const text = finding ? [...describeReport({ ...entry, report: r, findings: [] }, input.failOn, input.baseline), ...describeFinding(finding)] : describeReport(entry, input.failOn, input.baseline);
  const res: JsonObject = {
    ruleId,
    ruleIndex,
    level: levelOf[entry.outcome],
    message: { text: text.join('\n') },
    locations: [pos ? { physicalLocation: physical(pos.file, pos.line === undefined ? undefined : { startLine: pos.line }) } : logLocation(r)],
    partialFingerprints: { 'ktriageBucket/v1': createHash('sha256').update(bucketKey(r)).digest('hex') },
    properties: { title: r.title, crashClass: r.crashClass, crashType: r.crashType, severity: r.severity, corrupted: r.corrupted, kernelVersion: r.kernelVersion ?? null, rawReport: reportText(r) },
  };
  if (pos) res.relatedLocations = [{ id: 1, ...logLocation(r) }];
  const stacks = stacksOf(r.stacks);
  if (stacks.length > 0) res.stacks = stacks;
  if (input.baseline !== undefined) {
    res.suppressions = entry.outcome === 'suppressed' ? [{ kind: 'external', justification: `bucket listed in the baseline ${input.baseline}` }] : [];
  }
  return res;
}

function mentionResult(f: Finding, rules: Rules): JsonObject {
  const ruleIndex = rules.indexOf(f.detector, () => findingRule(f));
  const line = f.evidence.lines[0];
  return {
    ruleId: f.detector,
    ruleIndex,
    level: 'note',
    message: { text: describeFinding(f).join('\n') },
    locations: [{ physicalLocation: physical(f.source, line === undefined ? undefined : { startLine: line }) }],
  };
}

function notification(rec: ErrorRecord | NoticeRecord): JsonObject {
  const line = rec.line;
  return {
    level: rec.kind === 'error' ? 'error' : 'warning',
    message: { text: rec.message },
    locations: [{ physicalLocation: physical(rec.source, line === undefined ? undefined : { startLine: line }) }],
    ...(rec.kind === 'error' ? { descriptor: { id: rec.code } } : {}),
  };
}

/**
 * Stands for the results in the log's text, which is cut there. JSON.stringify writes no raw line
 * break inside a string, so only the layout can make the lines of resultsLine.
 */
const RESULTS_MARK = 'ktriage:results';
const resultsLine = `"results": [\n        ${JSON.stringify(RESULTS_MARK)}\n      ]`;
/** How deep a result is in the pretty-printed log: in the log object, runs, the run object, results. */
const RESULT_DEPTH = 4;

/** Results in document order (their rules are in `rules` already, see usedRules). */
function* results(input: FormatInput, rules: Rules): Generator<JsonObject> {
  for (const g of input.groups) {
    for (const e of g.reports) {
      if (e.findings.length === 0) yield result(e, input, rules);
      for (const f of e.findings) yield result(e, input, rules, f);
    }
    for (const m of g.mentions) yield mentionResult(m, rules);
  }
}

/**
 * The rules in order of first use, as the results would list them, from what is known without
 * reading a report back: its crash class and its findings.
 */
function usedRules(input: FormatInput): Rules {
  const rules = new Rules();
  for (const g of input.groups) {
    for (const e of g.reports) {
      if (e.findings.length === 0) rules.indexOf(e.crashClass, () => classRule(e.crashClass));
      for (const f of e.findings) rules.indexOf(f.detector, () => findingRule(f));
    }
    for (const m of g.mentions) rules.indexOf(m.detector, () => findingRule(m));
  }
  return rules;
}

/**
 * The run as one SARIF 2.1.0 log (pretty-printed JSON), in pieces: the log is laid out with a
 * mark for its results, which are written one at a time where the mark was.
 */
export function* sarifChunks(input: FormatInput): Generator<string> {
  const rules = usedRules(input);
  // Every report is a result (or one per known bug it matched), and so is every mention.
  const none = input.groups.every((g) => g.reports.length === 0 && g.mentions.length === 0);
  const notifications: Json[] = [];
  for (const g of input.groups) for (const p of [...g.errors, ...g.notices]) notifications.push(notification(p));
  const runProps: JsonObject = { failOn: input.failOn, reports: input.summary.reports, suppressed: input.summary.suppressed };
  if (input.baseline !== undefined) runProps.baseline = input.baseline;
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'ktriage', version: input.toolVersion, rules: rules.list } },
        invocations: [{ executionSuccessful: input.summary.errors === 0, toolExecutionNotifications: notifications }],
        results: none ? [] : [RESULTS_MARK],
        properties: runProps,
      },
    ],
  };
  const text = JSON.stringify(log, null, 2);
  if (none) {
    yield `${escapeRawControls(text)}\n`;
    return;
  }
  const at = text.indexOf(resultsLine);
  if (at < 0) throw new Error('sarifChunks: the results mark is not where the layout puts it');
  yield escapeRawControls(text.slice(0, at)) + '"results": [';
  let i = 0;
  for (const res of results(input, rules)) {
    yield `${i++ === 0 ? '' : ','}\n${escapeRawControls(nestedJson(res, RESULT_DEPTH))}`;
  }
  yield `\n      ]${escapeRawControls(text.slice(at + resultsLine.length))}\n`;
}

/** The run as one SARIF 2.1.0 log (pretty-printed JSON). */
export function formatSarif(input: FormatInput): string {
  return [...sarifChunks(input)].join('');
}
