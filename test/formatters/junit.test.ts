// --format junit: valid against schema/junit.xsd (xmllint), counts and names as
// a person reading the three test logs expects, hostile text survives intact.
import { describe, expect, it } from 'vitest';
import { buildFormatInput, type ReportOutcome } from '../../src/formatters/document.js';
import { formatJunit } from '../../src/formatters/junit.js';
import type { Report } from '../../src/model/report.js';
import { HOSTILE, hostileRecords, threeReports } from '../helpers/ci-logs.js';
import { junitSchemaErrors, xpath } from '../helpers/xmllint.js';

describe('schema/junit.xsd with xmllint', () => {
  // The validator must be live: documents that break the format are rejected.
  it.each([
    ['a testcase without a name', '<testsuites><testsuite name="s" tests="1" failures="0" errors="0"><testcase classname="c"/></testsuite></testsuites>'],
    ['a count that is not a number', '<testsuites><testsuite name="s" tests="one" failures="0" errors="0"/></testsuites>'],
    ['two outcomes in one testcase', '<testsuites><testsuite name="s" tests="1" failures="1" errors="0"><testcase name="t" classname="c"><failure/><skipped/></testcase></testsuite></testsuites>'],
    ['an unknown element', '<testsuites><testsuite name="s" tests="0" failures="0" errors="0"><report/></testsuite></testsuites>'],
    ['a control character', '<testsuites name="a&#1;"/>'],
    ['unescaped markup', '<testsuites name="a<b"/>'],
  ])('rejects %s', (_what, xml) => {
    expect(junitSchemaErrors(xml)).not.toBe('');
  });
});

describe('formatJunit', () => {
  const xml = formatJunit(buildFormatInput(threeReports(), { sources: ['logs/warning.log', 'logs/bug.log', 'logs/kasan.log', 'logs/clean.log'] }));

  it('validates', () => {
    expect(junitSchemaErrors(xml)).toBe('');
  });

  it('has one testsuite per source and one failing testcase per report', () => {
    expect(xpath(xml, 'count(/testsuites/testsuite)')).toBe('4');
    expect(xpath(xml, 'string(/testsuites/@tests)')).toBe('4');
    expect(xpath(xml, 'string(/testsuites/@failures)')).toBe('3');
    expect(xpath(xml, 'string(/testsuites/testsuite[1]/@name)')).toBe('logs/warning.log');
    expect(xpath(xml, 'string(/testsuites/testsuite[1]/testcase/@name)')).toBe('WARNING in foo_bar');
    expect(xpath(xml, 'string(/testsuites/testsuite[1]/testcase/failure/@message)')).toBe('WARNING in foo_bar at fs/foo/bar.c:123');
    expect(xpath(xml, 'string(/testsuites/testsuite[1]/testcase/failure/@type)')).toBe('WARNING');
    expect(xpath(xml, 'string(/testsuites/testsuite[2]/testcase/@name)')).toBe('kernel BUG in madvise_cold_or_pageout_pte_range');
    expect(xpath(xml, 'string(/testsuites/testsuite[3]/testcase/failure/@message)')).toBe('KASAN: invalid-free in cfg80211_free_coalesce');
  });

  it('puts the description and the raw report in the failure text', () => {
    const text = xpath(xml, 'string(/testsuites/testsuite[1]/testcase/failure)');
    expect(text).toContain('at fs/foo/bar.c:123 (foo_bar)\nlog: logs/warning.log:2-11\n');
    expect(text).toContain('WARNING: CPU: 1 PID: 42 at fs/foo/bar.c:123 foo_bar+0x12/0x40 [foo]\n');
    expect(text).toContain(' foo_caller+0x20/0x50 [foo]\n');
  });

  it('a source without reports is one passing testcase', () => {
    expect(xpath(xml, 'string(/testsuites/testsuite[4]/@name)')).toBe('logs/clean.log');
    expect(xpath(xml, 'string(/testsuites/testsuite[4]/@tests)')).toBe('1');
    expect(xpath(xml, 'count(/testsuites/testsuite[4]/testcase/*)')).toBe('0');
  });

  it('tolerated and suppressed reports are skipped testcases with the reason', () => {
    const outcome = (r: Report): ReportOutcome => (r.crashClass === 'warning' ? 'tolerated' : r.crashClass === 'bug' ? 'suppressed' : 'failing');
    const doc = formatJunit(buildFormatInput(threeReports(), { outcome, failOn: 'kasan', baseline: 'known.yaml' }));
    expect(junitSchemaErrors(doc)).toBe('');
    expect(xpath(doc, 'string(/testsuites/@failures)')).toBe('1');
    expect(xpath(doc, 'string(/testsuites/testsuite[1]/@skipped)')).toBe('1');
    expect(xpath(doc, 'string(//testsuite[1]/testcase/skipped/@message)')).toBe('tolerated: not matched by --fail-on kasan');
    expect(xpath(doc, 'string(//testsuite[2]/testcase/skipped/@message)')).toBe('suppressed: its bucket is listed in the baseline known.yaml');
    expect(xpath(doc, 'string(//testsuite[2]/testcase/system-out)')).toContain('kernel BUG at include/linux/page-flags.h:808!');
  });

  it('repeated titles in a source get numbered names', () => {
    const recs = threeReports();
    const copy = recs.filter((r) => r.kind === 'report' && r.source === 'logs/warning.log').map((r) => ({ ...r, index: 1 }));
    recs.splice(1, 0, ...copy);
    const doc = formatJunit(buildFormatInput(recs));
    expect(xpath(doc, 'string(//testsuite[1]/testcase[2]/@name)')).toBe('WARNING in foo_bar #2');
  });

  it('hostile text validates and reads back as it was, minus the characters XML cannot hold', () => {
    const doc = formatJunit(buildFormatInput(hostileRecords()));
    expect(junitSchemaErrors(doc)).toBe('');
    const legal = HOSTILE.replace(/[\x01\x08\x0b\x1b\uFFFE\uD800]/g, '\uFFFD');
    expect(xpath(doc, 'string(//testsuite[1]/testcase/@name)')).toBe(`WARNING in ${legal}`);
    expect(xpath(doc, 'string(//testsuite[1]/@name)')).toBe(`we|ird <&> "name" ${legal.slice(0, 20)}.log`);
    const text = xpath(doc, 'string(//testsuite[1]/testcase/failure)');
    expect(text).toContain(`\n${legal}\n::error::injected\n`);
    expect(text).toContain('\n</failure>');
  });
});
