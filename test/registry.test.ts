// Integrity of the detector registry and the crash-format tables.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinDetectors } from '../src/detectors/index.js';
import { defineDetector } from '../src/detectors/define-detector.js';
import { ruleSchema } from '../src/model/finding.js';
import { families } from '../src/reports/formats/index.js';

const root = join(import.meta.dirname, '..');
const NOT_DETECTORS = new Set(['index.ts', 'define-detector.ts', 'signature.ts', 'kernel-version.ts']);

describe('detector registry', () => {
  it('registers every detector module, sorted by id, ids equal to file names', () => {
    const files = readdirSync(join(root, 'src', 'detectors')).filter((f) => f.endsWith('.ts') && !NOT_DETECTORS.has(f));
    const ids = builtinDetectors.map((d) => d.meta.id);
    expect([...ids].sort()).toEqual(ids);
    expect(ids).toEqual(files.map((f) => f.replace(/\.ts$/, '')).sort());
  });

  for (const d of builtinDetectors) {
    it(`${d.meta.id}: metadata, test file, fixtures`, () => {
      // defineDetector applies ruleSchema's defaults without zod; zod must agree.
      expect(ruleSchema.parse(d.meta)).toEqual(d.meta);
      expect(existsSync(join(root, 'test', 'detectors', `${d.meta.id}.test.ts`))).toBe(true);
      const fx = readdirSync(join(root, 'fixtures', 'detectors', d.meta.id));
      expect(fx.some((f) => f.startsWith('match-'))).toBe(true);
      expect(fx.some((f) => f.startsWith('no-match-'))).toBe(true);
      expect(d.meta.references.fixes.length).toBeGreaterThan(0);
      for (const f of d.meta.references.fixes) expect(f.commit).toMatch(/^[0-9a-f]{12,40}$/);
    });
  }
});

describe('crash-format tables', () => {
  it('family ids are unique', () => {
    const ids = families.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('no family is shadowed by an earlier one whose header it contains', () => {
    // A header that contains an earlier family's header can never claim a line (e.g. "BUG: foo" after "BUG:"),
    // unless the earlier family suppresses such lines.
    families.forEach((fam, i) => {
      for (const earlier of families.slice(0, i)) {
        if (!fam.header.includes(earlier.header)) continue;
        const suppressed = earlier.suppress?.some((re) => re.test(fam.header)) ?? false;
        expect({ family: fam.id, shadowedBy: earlier.id, suppressed }).toEqual({ family: fam.id, shadowedBy: earlier.id, suppressed: true });
      }
    });
  });

  it('within a family, no format is unreachable behind an earlier catch-all', () => {
    for (const fam of families) {
      fam.formats.forEach((f, i) => {
        for (const earlier of fam.formats.slice(0, i)) {
          // An earlier format without follow-up lines and with the same title regex wins every time.
          if (!earlier.report && earlier.title.source === f.title.source) {
            throw new Error(`${fam.id}: format ${i} (${f.fmt}) is shadowed by "${earlier.fmt}"`);
          }
        }
      });
    }
  });
});

describe('defineDetector defaults', () => {
  it.each([
    [{ id: 'x', title: 'X', signatures: [{ title: '^WARNING' }] }],
    [{ id: 'y', title: 'Y', signatures: [{ classes: ['bug' as const] }], references: { fixes: [{ commit: '0123456789ab', subject: 's', release: '6.1' }] } }],
    [{ id: 'z', title: 'Z', signatures: [{ title: 'a' }], references: { introduced: { commit: '0123456789ab', subject: 's', release: '6.1' }, discussions: ['<a@b>'] } }],
  ])('are those of ruleSchema (%#)', (input) => {
    expect(defineDetector(input).meta).toEqual(ruleSchema.parse(input));
  });
});
