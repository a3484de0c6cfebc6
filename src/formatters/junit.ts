// JUnit XML (the Ant/Surefire format Jenkins and GitLab read): one testsuite
// per source, one testcase per report. A report that fails the run is a
// <failure>; one the policy tolerates or the baseline suppresses is <skipped>
// with the reason, so the CI's verdict matches ktriage's exit code. A source
// without reports has one passing testcase; an unreadable input is an <error>.
// Checked against schema/junit.xsd in test/formatters/junit.test.ts.
import type { FormatInput, ReportEntry, SourceGroup } from './document.js';
import { describeReport, kernelPositionText, outcomeNote, reportText } from './describe.js';
import { xmlAttr, xmlText } from './escape.js';
import { StringCounter } from '../runtime/string-counter.js';

/** What a test case counts as in the totals of its suite and of the document. */
interface Tally {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function reportCase(entry: ReportEntry, name: string, input: FormatInput): string {
  const r = entry.report;
  const open = `    <testcase name="${xmlAttr(name)}" classname="${xmlAttr(r.source)}" time="0">\n`;
  const body = `${describeReport(entry, input.failOn, input.baseline).join('\n')}\n\n${reportText(r)}\n`;
  if (entry.outcome === 'failing') {
    const pos = kernelPositionText(r);
    const message = pos ? `${r.title} at ${pos}` : r.title;
    const failure = `      <failure message="${xmlAttr(message)}" type="${xmlAttr(r.crashType)}">${xmlText(body)}</failure>\n`;
    return `${open}${failure}    </testcase>\n`;
  }
  const skipped = `      <skipped message="${xmlAttr(outcomeNote(entry, input.failOn, input.baseline) ?? '')}"/>\n`;
  const out = `      <system-out>${xmlText(body)}</system-out>\n`;
  return `${open}${skipped}${out}    </testcase>\n`;
}

/**
 * A source's test cases: an <error> case per input error, a case per report (a <failure> when it
 * fails the run, else <skipped>), or one passing case when there is neither.
 */
function* groupCases(g: SourceGroup, input: FormatInput): Generator<string> {
  for (const e of g.errors) {
    const where = e.line === undefined ? e.source : `${e.source}:${e.line}`;
    yield `    <testcase name="read input" classname="${xmlAttr(g.source)}" time="0">\n` + `      <error message="${xmlAttr(`${where}: ${e.message}`)}" type="${xmlAttr(e.code)}"/>\n    </testcase>\n`;
  }
  // Test case names: the title, with " #2", " #3" ... when a title repeats in a source (stable across runs).
  const seen = new StringCounter();
  for (const e of g.reports) {
    const r = e.report;
    const n = seen.add(r.title);
    yield reportCase(e, n === 1 ? r.title : `${r.title} #${n}`, input);
  }
  if (g.errors.length + g.reports.length === 0) yield `    <testcase name="no kernel report" classname="${xmlAttr(g.source)}" time="0"/>\n`;
}

/** The totals of a source's cases, from the outcomes alone (reports are not read for them). */
function tally(g: SourceGroup): Tally {
  const failures = g.reports.count('failing');
  const cases = g.errors.length + g.reports.length;
  return { tests: Math.max(cases, 1), failures, errors: g.errors.length, skipped: g.reports.length - failures };
}

function* suite(g: SourceGroup, t: Tally, input: FormatInput): Generator<string> {
  yield `  <testsuite name="${xmlAttr(g.source)}" tests="${t.tests}" failures="${t.failures}" errors="${t.errors}" skipped="${t.skipped}" time="0">\n`;
  yield* groupCases(g, input);
  const notes = [...g.notices.map((n) => `${n.source}${n.line === undefined ? '' : `:${n.line}`}: ${n.message}`), ...g.mentions.map((m) => `mentioned: ${m.title} [${m.detector}]: ${m.message}`)];
  if (notes.length > 0) yield `    <system-err>${xmlText(notes.join('\n'))}</system-err>\n`;
  yield '  </testsuite>\n';
}

/** The whole run as one JUnit XML document, in pieces: the totals come first, from the outcomes. */
export function* junitChunks(input: FormatInput): Generator<string> {
  const all = input.groups.map(tally);
  const sum = (key: keyof Tally): number => all.reduce((n, t) => n + t[key], 0);
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="ktriage" tests="${sum('tests')}" failures="${sum('failures')}" errors="${sum('errors')}" time="0">\n`;
  for (const [i, g] of input.groups.entries()) yield* suite(g, all[i]!, input);
  yield '</testsuites>\n';
}

/** The whole run as one JUnit XML document. */
export function formatJunit(input: FormatInput): string {
  return [...junitChunks(input)].join('');
}
