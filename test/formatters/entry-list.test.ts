// A source's report entries wait for the document as a few numbers each (EntryList): each entry
// read gives the report's index, crash class, outcome and findings, and its report only when
// asked for, from the keeper.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeTextRecords } from '../../src/analyze.js';
import { builtinDetectors } from '../../src/detectors/index.js';
import { EntryList, type ReportKeeper } from '../../src/formatters/document.js';
import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';

const demo = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'demo.log'), 'utf8');

/** A keeper that counts how often each slot is read back. */
class CountingKeeper implements ReportKeeper {
  readonly kept: Report[] = [];
  readonly loads: number[] = [];
  keep(r: Report): number {
    return this.kept.push(r) - 1;
  }
  load(slot: number): Report {
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
    expect(keeper.loads).toEqual([]);
    expect(entries[1]!.report.title).toBe('KASAN: use-after-free Read in foo');
    expect(entries[2]!.report).toBe(reports[2]);
    expect(keeper.loads).toEqual([2, 3]);
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
});
