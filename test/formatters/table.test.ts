// The known-bugs table of the terminal output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeTextRecords, emptySummary } from '../../src/analyze.js';
import { builtinDetectors } from '../../src/detectors/index.js';
import { StringPool } from '../../src/formatters/string-pool.js';
import { findingRow, findingRowIn, formatFindings, formatTable, tableRow, tableRowIn } from '../../src/formatters/table.js';
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
