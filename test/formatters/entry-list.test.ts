// A source's report entries wait for the document as a few numbers each (EntryList): each entry
// read gives the report's index, crash class, outcome and findings, and its report only when
// asked for, from the keeper.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeTextRecords } from '../../src/analyze.js';
import { builtinDetectors } from '../../src/detectors/index.js';
import { EntryList, type KeptRecord, type ReportKeeper } from '../../src/formatters/document.js';
import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';

const demo = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'demo.log'), 'utf8');

/** A keeper that counts how often each slot is read back. */
class CountingKeeper implements ReportKeeper {
  readonly kept: KeptRecord[] = [];
  readonly loads: number[] = [];
  keep(r: KeptRecord): number {
    return this.kept.push(r) - 1;
  }
  load(slot: number): KeptRecord {
    this.loads.push(slot);
    return this.kept[slot]!;
  }
}

function demoRecords(): { report: Report; finding: Finding } {
  const recs = analyzeTextRecords(demo, 'demo.log', { detectors: builtinDetectors });
  return { report: recs.find((r): r is Report => r.kind === 'report')!, finding: recs.find((r): r is Finding => r.kind === 'finding')! };
}

describe('EntryList', () => {
  it('gives back each entry as pushed, reading its report from the keeper only on access', () => {
    const { report, finding } = demoRecords();
    const keeper = new CountingKeeper();
    // Slot 0 is another list's report: the list keeps the keeper's slot, not its own position.
    keeper.keep(report);
    const list = new EntryList(keeper);
    const reports: Report[] = [
      { ...report, index: 0, crashClass: 'warning' },
      { ...report, index: 1, crashClass: 'kasan', title: 'KASAN: use-after-free Read in foo' },
      { ...report, index: 2, crashClass: 'bug', title: 'kernel BUG in bar' },
    ];
    list.push(reports[0]!, 'failing');
    list.push(reports[1]!, 'tolerated');
    list.push(reports[2]!, 'suppressed');
    list.addFinding(1, finding);
    expect(list.length).toBe(3);
    expect([list.count('failing'), list.count('tolerated'), list.count('suppressed')]).toEqual([1, 1, 1]);
    expect(list.hasFindings).toBe(true);
    const entries = [...list];
    expect(entries.map((e) => [e.index, e.crashClass, e.outcome, e.findings.length])).toEqual([
      [0, 'warning', 'failing', 0],
      [1, 'kasan', 'tolerated', 1],
      [2, 'bug', 'suppressed', 0],
    ]);
    expect(entries[1]!.findings[0]).toBe(finding);
    // The finding is kept too (slot 4, after the reports), and read when its entry is made; the
    // reports only when asked for.
    expect(keeper.loads).toEqual([4]);
    expect(entries[1]!.report.title).toBe('KASAN: use-after-free Read in foo');
    expect(entries[2]!.report).toBe(reports[2]);
    expect(keeper.loads).toEqual([4, 2, 3]);
    expect(list.positionOf(2)).toBe(2);
    expect(list.positionOf(7)).toBe(-1);
  });

  it('holds the reports itself without a keeper, and grows past its first size', () => {
    const { report } = demoRecords();
    const list = new EntryList();
    const reports = Array.from({ length: 100 }, (_, i) => ({ ...report, index: i }));
    for (const r of reports) list.push(r, i(r.index));
    expect(list.length).toBe(100);
    expect([...list].map((e) => e.report)).toEqual(reports);
    expect([...list].map((e) => e.outcome)).toEqual(reports.map((r) => i(r.index)));
    expect(list.hasFindings).toBe(false);
    expect(list.count('tolerated')).toBe(33);

    function i(n: number): 'failing' | 'tolerated' | 'suppressed' {
      return n % 3 === 0 ? 'failing' : n % 3 === 1 ? 'tolerated' : 'suppressed';
    }
  });
  it('gives each entry its findings in the order added, from the keeper, in or out of position order', () => {
    const { report, finding } = demoRecords();
    for (const order of ['in order', 'out of order'] as const) {
      const keeper = new CountingKeeper();
      const list = new EntryList(keeper);
      for (let i = 0; i < 40; i++) list.push({ ...report, index: i }, 'failing');
      // Entry 3 gets two findings, 17 one, 39 one; out of order, 17's comes first.
      const adds: Array<[number, string]> = order === 'in order' ? [[3, 'a'], [3, 'b'], [17, 'c'], [39, 'd']] : [[17, 'c'], [3, 'a'], [39, 'd'], [3, 'b']];
      for (const [pos, tag] of adds) list.addFinding(pos, { ...finding, message: tag });
      const got = [...list].map((e) => e.findings.map((f) => f.message).join(''));
      expect(got.filter((x) => x !== '')).toEqual(['ab', 'c', 'd']);
      expect([got[3], got[17], got[39], got[4], got[0]]).toEqual(['ab', 'c', 'd', '', '']);
      // Kept by the keeper: 40 reports, then the findings.
      expect(keeper.kept.slice(40).map((f) => (f.kind === 'finding' ? f.message : ''))).toEqual(adds.map(([, tag]) => tag));
    }
  });

  it('holds findings itself without a keeper', () => {
    const { report, finding } = demoRecords();
    const list = new EntryList();
    list.push(report, 'failing');
    list.push({ ...report, index: 1 }, 'failing');
    list.addFinding(1, finding);
    expect([...list].map((e) => e.findings)).toEqual([[], [finding]]);
  });
});
