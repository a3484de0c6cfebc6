// The summary counts reports per title for the first MAX_SUMMARY_TITLES distinct titles only, so
// that it does not grow with an archive of many distinct reports; the rest are counted apart.
import { describe, expect, it } from 'vitest';
import { analyzeTextRecords, countRecord, emptySummary, MAX_SUMMARY_TITLES } from '../src/analyze.js';
import type { Report } from '../src/model/report.js';
import { summarySchema } from '../src/model/records.js';

const log = [
  '[  100.000001] ------------[ cut here ]------------',
  '[  100.000002] WARNING: CPU: 0 PID: 1 at fs/foo.c:12 foo_write+0x10/0x20',
  '[  100.000003] Modules linked in:',
  '[  100.000004] CPU: 0 PID: 1 Comm: swapper Not tainted 6.1.0 #1',
  '[  100.000005] RIP: 0010:foo_write+0x10/0x20',
  '[  100.000006] Call Trace:',
  '[  100.000007]  <TASK>',
  '[  100.000008]  vfs_write+0x1/0x2',
  '[  100.000009]  </TASK>',
  '[  100.000010] ---[ end trace 0000000000000000 ]---',
].join('\n');

function oneReport(): Report {
  const reports = analyzeTextRecords(log, 'one.log').filter((r): r is Report => r.kind === 'report');
  expect(reports.map((r) => r.title)).toEqual(['WARNING in foo_write']);
  return reports[0]!;
}

describe('summary byTitle', () => {
  it('counts every title while there are few', () => {
    const r = oneReport();
    const summary = emptySummary(1);
    countRecord(summary, r);
    countRecord(summary, r);
    countRecord(summary, { ...r, title: 'WARNING in bar_read' });
    expect(summary.byTitle).toEqual({ 'WARNING in foo_write': 2, 'WARNING in bar_read': 1 });
    expect(summary.byTitleOmitted).toBeUndefined();
    expect('byTitleOmitted' in summary).toBe(false);
  });

  it('holds the first MAX_SUMMARY_TITLES titles and counts the reports of later ones apart', () => {
    const r = oneReport();
    const summary = emptySummary(1);
    for (let i = 0; i < MAX_SUMMARY_TITLES + 5; i++) countRecord(summary, { ...r, title: `WARNING in f${i}` });
    // A title already held is still counted after the limit; a new one twice is counted twice apart.
    countRecord(summary, { ...r, title: 'WARNING in f0' });
    countRecord(summary, { ...r, title: `WARNING in f${MAX_SUMMARY_TITLES}` });
    expect(Object.keys(summary.byTitle)).toHaveLength(MAX_SUMMARY_TITLES);
    expect(summary.byTitle['WARNING in f0']).toBe(2);
    expect(summary.byTitle[`WARNING in f${MAX_SUMMARY_TITLES - 1}`]).toBe(1);
    expect(summary.byTitle[`WARNING in f${MAX_SUMMARY_TITLES}`]).toBeUndefined();
    expect(summary.byTitleOmitted).toBe(6);
    expect(summary.reports).toBe(MAX_SUMMARY_TITLES + 7);
    const counted = Object.values(summary.byTitle).reduce((a, b) => a + b, 0);
    expect(counted + summary.byTitleOmitted!).toBe(summary.reports);
    expect(summarySchema.parse(summary).byTitleOmitted).toBe(6);
  });
});
