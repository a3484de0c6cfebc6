// The known-bugs table of the terminal output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeTextRecords } from '../../src/analyze.js';
import { builtinDetectors } from '../../src/detectors/index.js';
import { formatFindings } from '../../src/formatters/table.js';
import type { Finding } from '../../src/model/finding.js';

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
