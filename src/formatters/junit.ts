// JUnit XML (the Ant/Surefire format Jenkins and GitLab read): one testsuite
// per source, one testcase per report. A report that fails the run is a
// <failure>; one the policy tolerates or the baseline suppresses is <skipped>
// with the reason, so the CI's verdict matches ktriage's exit code. A source
// without reports has one passing testcase; an unreadable input is an <error>.
// Checked against schema/junit.xsd in test/formatters/junit.test.ts.
import type { FormatInput, ReportEntry, SourceGroup } from './document.js';
import { describeReport, kernelPositionText, outcomeNote, reportText } from './describe.js';
import { xmlAttr, xmlText } from './escape.js';

interface Case {
  xml: string;
  failure: boolean;
  error: boolean;
  skipped: boolean;
}

/** Test case names: the title, with " #2", " #3" ... when a title repeats in a source (stable across runs). */
function caseNames(reports: readonly ReportEntry[]): string[] {
  const seen = new Map<string, number>();
  return reports.map((e) => {
    const n = (seen.get(e.report.title) ?? 0) + 1;
    seen.set(e.report.title, n);
    return n === 1 ? e.report.title : `${e.report.title} #${n}`;
  });
}

function reportCase(entry: ReportEntry, name: string, input: FormatInput): Case {
  const r = entry.report;
  const open = `    <testcase name="${xmlAttr(name)}" classname="${xmlAttr(r.source)}" time="0">\n`;
  const body = `${describeReport(entry, input.failOn, input.baseline).join('\n')}\n\n${reportText(r)}\n`;
  if (entry.outcome === 'failing') {
    const pos = kernelPositionText(r);
    const message = pos ? `${r.title} at ${pos}` : r.title;
    const failure = `      <failure message="${xmlAttr(message)}" type="${xmlAttr(r.crashType)}">${xmlText(body)}</failure>\n`;
    return { xml: `${open}${failure}    </testcase>\n`, failure: true, error: false, skipped: false };
  }
  const skipped = `      <skipped message="${xmlAttr(outcomeNote(entry, input.failOn, input.baseline) ?? '')}"/>\n`;
  const out = `      <system-out>${xmlText(body)}</system-out>\n`;
  return { xml: `${open}${skipped}${out}    </testcase>\n`, failure: false, error: false, skipped: true };
}

function groupCases(g: SourceGroup, input: FormatInput): Case[] {
  const cases: Case[] = [];
  for (const e of g.errors) {
    const where = e.line === undefined ? e.source : `${e.source}:${e.line}`;
    const xml =
      `    <testcase name="read input" classname="${xmlAttr(g.source)}" time="0">\n` +
      `      <error message="${xmlAttr(`${where}: ${e.message}`)}" type="${xmlAttr(e.code)}"/>\n    </testcase>\n`;
    cases.push({ xml, failure: false, error: true, skipped: false });
  }
  const names = caseNames(g.reports);
  g.reports.forEach((e, i) => cases.push(reportCase(e, names[i] ?? e.report.title, input)));
  if (cases.length === 0) {
    cases.push({ xml: `    <testcase name="no kernel report" classname="${xmlAttr(g.source)}" time="0"/>\n`, failure: false, error: false, skipped: false });
  }
  return cases;
}

function count(cases: readonly Case[], key: 'failure' | 'error' | 'skipped'): number {
  return cases.filter((c) => c[key]).length;
}

function suite(g: SourceGroup, cases: readonly Case[]): string {
  const attrs = `name="${xmlAttr(g.source)}" tests="${cases.length}" failures="${count(cases, 'failure')}" errors="${count(cases, 'error')}" skipped="${count(cases, 'skipped')}" time="0"`;
  const notes = [...g.notices.map((n) => `${n.source}${n.line === undefined ? '' : `:${n.line}`}: ${n.message}`), ...g.mentions.map((m) => `mentioned: ${m.title} [${m.detector}]: ${m.message}`)];
  const err = notes.length > 0 ? `    <system-err>${xmlText(notes.join('\n'))}</system-err>\n` : '';
  return `  <testsuite ${attrs}>\n${cases.map((c) => c.xml).join('')}${err}  </testsuite>\n`;
}

/** The whole run as one JUnit XML document. */
export function formatJunit(input: FormatInput): string {
  const suites = input.groups.map((g) => ({ g, cases: groupCases(g, input) }));
  const all = suites.flatMap((s) => s.cases);
  const head = `<testsuites name="ktriage" tests="${all.length}" failures="${count(all, 'failure')}" errors="${count(all, 'error')}" time="0">\n`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${head}${suites.map((s) => suite(s.g, s.cases)).join('')}</testsuites>\n`;
}
