// Integrity of the trace-detector registry: every module registered, sorted, ids equal to
// file names, each names a registered known bug, has a test file and its fixtures.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinDetectors } from '../../src/detectors/index.js';
import { builtinTraceDetectors } from '../../src/trace/detectors/index.js';

const root = join(import.meta.dirname, '..', '..');
const NOT_DETECTORS = new Set(['index.ts', 'define-trace-detector.ts', 'event-fields.ts', 'reclaim-windows.ts']);

describe('trace detector registry', () => {
  it('registers every trace detector module, sorted by id, ids equal to file names', () => {
    const files = readdirSync(join(root, 'src', 'trace', 'detectors')).filter((f) => f.endsWith('.ts') && !NOT_DETECTORS.has(f));
    const ids = builtinTraceDetectors.map((d) => d.id);
    expect([...ids].sort()).toEqual(ids);
    expect(ids).toEqual(files.map((f) => f.replace(/\.ts$/, '')).sort());
  });

  for (const d of builtinTraceDetectors) {
    it(`${d.id}: names a built-in known bug, has a test file and matching and near-miss fixtures`, () => {
      expect(builtinDetectors).toContain(d.knownBug);
      expect(d.knownBug.meta.references.fixes.length).toBeGreaterThan(0);
      expect(existsSync(join(root, 'test', 'trace', 'detectors', `${d.id}.test.ts`))).toBe(true);
      const fx = readdirSync(join(root, 'fixtures', 'traces', d.id));
      expect(fx.some((f) => f.startsWith('match-'))).toBe(true);
      expect(fx.some((f) => f.startsWith('no-match-'))).toBe(true);
      // Hand-written fixtures say so in their names (fixtures/traces/README.md).
      for (const f of fx) expect(f).toMatch(/\.handwritten\.(?:trace|log)$/);
      for (const [id, m] of Object.entries(d.messages)) expect(m, id).toMatch(/\{\{\w+\}\}/);
    });
  }
});
