// Our RuleTester: every fixture of a detector, matching and near-miss, checked
// against the FINDING/VERDICT keys of its header (written by hand).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeTextRecords } from '../../src/analyze.js';
import type { Detector } from '../../src/detectors/define-detector.js';
import { findingSchema, type Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';
import { FIXTURES, readFixture } from './fixtures.js';

export function runDetectorTests(detector: Detector): void {
  const dir = join(FIXTURES, 'detectors', detector.meta.id);
  const files = readdirSync(dir).filter((f) => f.endsWith('.log')).sort();

  describe(`detector ${detector.meta.id}`, () => {
    it('has matching and near-miss fixtures', () => {
      expect(files.some((f) => f.startsWith('match-'))).toBe(true);
      expect(files.some((f) => f.startsWith('no-match-'))).toBe(true);
    });

    for (const file of files) {
      it(file, () => {
        const fx = readFixture(join(dir, file));
        const recs = analyzeTextRecords(fx.log.toString('utf8'), file, { detectors: [detector] });
        const reports = recs.filter((r): r is Report => r.kind === 'report');
        const findings = recs.filter((r): r is Finding => r.kind === 'finding');
        const frozen = JSON.stringify(reports);
        expect(reports.map((r) => r.title)).toEqual(fx.headers.get('TITLE') ?? []);
        const wantIds = fx.headers.get('FINDING') ?? [];
        expect(findings.map((f) => f.detector)).toEqual(wantIds);
        expect(findings.map((f) => f.verdict)).toEqual(fx.headers.get('VERDICT') ?? []);
        for (const f of findings) {
          expect(() => findingSchema.parse(f)).not.toThrow();
          expect(f.message).not.toMatch(/\{\{|\}\}|undefined/);
          if (f.verdict === 'fixed') expect(f.message).toContain('a new regression or a different cause');
          if (f.match === 'splat') expect(reports[f.report!]).toBeDefined();
        }
        // Detectors must not change the reports they look at.
        expect(JSON.stringify(reports)).toBe(frozen);
      });
    }
  });
}
