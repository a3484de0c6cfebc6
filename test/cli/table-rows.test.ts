// The table's rows past the first ones wait in a temporary file: a long run's table holds a
// bounded number of rows in memory, and prints the same text as with every row in memory.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { SpillFile } from '../../src/bulk/spill.js';
import { analyzeTextRecords, emptySummary } from '../../src/analyze.js';
import { FindingRows, TableRows } from '../../src/cli/table-rows.js';
import { StringPool } from '../../src/formatters/string-pool.js';
import { findingRow, formatFindingsChunks, formatTable, tableRow } from '../../src/formatters/table.js';
import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';
import { freshTmpdir, openFiles } from '../helpers/temp-files.js';

const demo = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'demo.log'), 'utf8');
const tmp = freshTmpdir('ktriage-table-rows-test-');
const openIn = (d: string): string[] => openFiles('self', (f) => f.startsWith(`${d}/`));

/** `n` reports of distinct titles and lines (the demo's warning, its title renamed). */
function reports(n: number): Report[] {
  const r = analyzeTextRecords(demo, 'many.log').find((x): x is Report => x.kind === 'report')!;
  return Array.from({ length: n }, (_, i) => ({ ...r, title: `WARNING in f${i}`, startLine: r.startLine + i }));
}

describe('TableRows', () => {
  it('keeps the first rows in memory and the others on disk, and gives them all back in order, twice', () => {
    const rs = reports(10);
    const rows = new TableRows(new StringPool(), 3, 2);
    for (const r of rs) rows.push(r);
    expect(rows.length).toBe(10);
    // 3 in memory, 6 in the file (three blocks of 2), 1 waiting for its block.
    expect(rows.inMemoryRows).toBe(4);
    expect(openIn(tmp())).toEqual([expect.stringMatching(/\/ktriage-spill-\w+\/table-rows\.bin \(deleted\)$/)]);
    expect([...rows]).toEqual(rs.map(tableRow));
    expect([...rows]).toEqual(rs.map(tableRow));
    rows.close();
    expect(openIn(tmp())).toEqual([]);
  });

  it('prints the table as from rows all in memory (a large table, drawn in chunks)', () => {
    const rs = reports(700);
    const rows = new TableRows(new StringPool(), 100, 64);
    for (const r of rs) rows.push(r);
    expect(rows.inMemoryRows).toBeLessThan(100 + 64);
    const summary = { ...emptySummary(1), reports: 700 };
    const text = formatTable(rows, summary);
    expect(text).toBe(formatTable(rs.map(tableRow), summary));
    expect(text.split('\n').filter((l) => l.startsWith('│ many.log'))).toHaveLength(700);
    expect(text).toContain('│ WARNING in f699 │');
    rows.close();
  });

  it('keeps every row in memory, in order, when no temporary file can be made', () => {
    process.env.TMPDIR = join(tmp(), 'missing');
    const rs = reports(10);
    const rows = new TableRows(new StringPool(), 3, 2);
    for (const r of rs) rows.push(r);
    expect(rows.inMemoryRows).toBe(10);
    expect([...rows]).toEqual(rs.map(tableRow));
    rows.close();
  });

  it('keeps the rows after a failed write in memory, after those in the file (a full disk)', () => {
    const append = SpillFile.prototype.append;
    let blocks = 0;
    const spy = vi.spyOn(SpillFile.prototype, 'append').mockImplementation(function (this: SpillFile<unknown>, chunk: unknown) {
      if (++blocks > 2) throw new Error('ENOSPC: no space left on device, write');
      append.call(this, chunk);
    });
    try {
      const rs = reports(12);
      const rows = new TableRows(new StringPool(), 3, 2);
      for (const r of rs) rows.push(r);
      // 3 in memory, 4 in the file, then the block that failed and the 3 rows after it in memory.
      expect(rows.inMemoryRows).toBe(8);
      expect([...rows]).toEqual(rs.map(tableRow));
      rows.close();
    } finally {
      spy.mockRestore();
    }
  });
});

describe('FindingRows', () => {
  it('keeps the first known-bug rows in memory and the others on disk, and prints the same table', () => {
    const f = analyzeTextRecords(demo, 'many.log').find((x): x is Finding => x.kind === 'finding')!;
    // Two distinct messages among 700 findings: each is printed once under the table.
    const fs = Array.from({ length: 700 }, (_, i): Finding => ({ ...f, evidence: { ...f.evidence, lines: [10 + i] }, message: i % 2 === 0 ? f.message : `${f.message} (again)` }));
    const rows = new FindingRows(new StringPool(), 50, 64);
    for (const x of fs) rows.push(x);
    expect(rows.length).toBe(700);
    expect(openIn(tmp())).toEqual([expect.stringMatching(/\/ktriage-spill-\w+\/finding-rows\.bin \(deleted\)$/)]);
    expect([...rows]).toEqual(fs.map(findingRow));
    const text = [...formatFindingsChunks(rows)].join('');
    expect(text).toBe([...formatFindingsChunks(fs.map(findingRow))].join(''));
    expect(text.match(/^ {2}\S/gm)).toHaveLength(2);
    rows.close();
    expect(openIn(tmp())).toEqual([]);
  });
});
