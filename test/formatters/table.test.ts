// The known-bugs table of the terminal output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeTextRecords, emptySummary } from '../../src/analyze.js';
import { builtinDetectors } from '../../src/detectors/index.js';
import { StringPool } from '../../src/formatters/string-pool.js';
import { BucketSet } from '../../src/buckets/buckets.js';
import { findingRow, findingRowIn, formatBuckets, formatFindings, formatTable, tableRow, tableRowIn } from '../../src/formatters/table.js';
import type { Finding } from '../../src/model/finding.js';
import type { Summary } from '../../src/model/records.js';
import type { Report } from '../../src/model/report.js';

const demo = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'demo.log'), 'utf8');

describe('formatFindings', () => {
  it('gives every finding a row and prints each distinct message once', () => {
    // The seed splat three times: three reports, each matching the same known bug.
    const findings = analyzeTextRecords(demo + demo + demo, 'three.log', { detectors: builtinDetectors }).filter((r): r is Finding => r.kind === 'finding');
    expect(findings).toHaveLength(3);
    expect(new Set(findings.map((f) => f.message)).size).toBe(1);
    const text = formatFindings(findings);
    const rows = text.split('\n').filter((l) => l.startsWith('│ three.log:'));
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.includes('8bdd63809160') && r.includes('v3.16') && r.includes('affected (3.15.0+)'))).toBe(true);
    const messages = text.split('\n').filter((l) => l.startsWith('  '));
    expect(messages).toEqual([`  ${findings[0]!.message}`]);
    expect(messages[0]).toContain('Fixed by 8bdd63809160');
  });
});

describe('tableRowIn and findingRowIn (a string pool)', () => {
  it('give the rows they give without one, and the same text', () => {
    const recs = analyzeTextRecords(demo + demo, 'two.log', { detectors: builtinDetectors });
    const reports = recs.filter((r): r is Report => r.kind === 'report');
    const findings = recs.filter((r): r is Finding => r.kind === 'finding');
    expect(reports).toHaveLength(2);
    const pool = new StringPool();
    expect(reports.map((r) => tableRowIn(pool, r))).toEqual(reports.map(tableRow));
    expect(findings.map((f) => findingRowIn(pool, f))).toEqual(findings.map(findingRow));
    const summary: Summary = emptySummary(1);
    expect(formatTable(reports.map((r) => tableRowIn(pool, r)), summary)).toBe(formatTable(reports.map((r) => tableRow(r)), summary));
    // The hand-checked row of the seed's warning (examples/demo.log line 5).
    expect(formatTable([tableRowIn(pool, reports[0]!)], summary)).toContain('│ two.log │ 5    │ warning │ WARNING in xfs_vm_writepage │ 3.15.0+ │       │');
  });
});

describe('a long source in the tables', () => {
  // A member of a downloaded CI archive: the start is what every row shares.
  const source = '/home/user/Downloads/logs_38211456789.zip:build (ubuntu-latest)/3_Run tests.txt';
  const recs = analyzeTextRecords(demo, source, { detectors: builtinDetectors });

  it('keeps its end, the file, in the reports table', () => {
    const reports = recs.filter((r): r is Report => r.kind === 'report');
    // 30 columns: "…" and the last 29 characters.
    expect(formatTable(reports.map(tableRow), emptySummary(1))).toContain('│ …buntu-latest)/3_Run tests.txt │ 5    │ warning │');
  });

  it('keeps its end and the line in the known-bugs table', () => {
    const findings = recs.filter((r): r is Finding => r.kind === 'finding');
    expect(findings).toHaveLength(1);
    // 34 columns: "…" and the last 33 characters of "<source>:5".
    expect(formatFindings(findings)).toContain('│ …(ubuntu-latest)/3_Run tests.txt:5 │');
  });

  it('keeps its end in the example of a bucket (--group)', () => {
    const set = new BucketSet();
    for (const r of recs) if (r.kind === 'report') set.addReport(r);
    // 40 columns: "…" and the last 39 characters.
    expect(formatBuckets(set.list())).toContain('│ …p:build (ubuntu-latest)/3_Run tests.txt │');
  });
});
