// Runs every fixture log through the whole pipeline and checks the expected
// results in its header block, plus invariants that hold for any report.
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../src/analyze.js';
import { reportSchema } from '../src/model/report.js';
import { join } from 'node:path';
import { FIXTURES, listCaptured, listLogs, readFixture } from './helpers/fixtures.js';

// Captured logs are raw bytes; their expected results live in a "<name>.expected" sidecar.
const captured = listCaptured();
const files = [...listLogs('logs'), ...captured, ...listLogs(join(FIXTURES, '..', 'examples'))];

describe('fixture corpus', () => {
  it('has fixtures', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const path of files) {
    const fx = readFixture(path);
    it(fx.name, () => {
      const text = fx.log.toString('utf8');
      const reports = analyzeText(text, fx.name).sort((a, b) => a.startLine - b.startLine);
      const titles = fx.headers.get('TITLE') ?? [];
      expect(reports.map((r) => r.title)).toEqual(titles);
      const first = reports[0];
      if (!first) return;
      const one = (k: Parameters<typeof fx.headers.get>[0]) => fx.headers.get(k)?.[0];
      if (one('TYPE')) expect(first.crashType).toBe(one('TYPE'));
      if (one('CLASS')) expect(first.crashClass).toBe(one('CLASS'));
      if (one('FRAME')) expect(first.guiltyFunction).toBe(one('FRAME'));
      if (one('ARCH')) expect(first.arch).toBe(one('ARCH'));
      if (one('VERSION')) expect(first.kernelVersion).toBe(one('VERSION'));
      if (one('LOCATION')) expect(first.location).toBe(one('LOCATION'));
      if (one('PANICKED')) expect(first.panicked).toBe(one('PANICKED') === 'Y');
      if (one('QUOTED')) expect(first.quoteDepth).toBe(Number(one('QUOTED')));
      expect(first.corrupted).toBe(one('CORRUPTED') === 'Y');
      for (const r of reports) {
        // Invariants: a valid record, lines in order, no addresses in titles,
        // every raw line taken from the input.
        expect(() => reportSchema.parse(r)).not.toThrow();
        expect(r.startLine).toBeLessThanOrEqual(r.endLine);
        expect(r.title).not.toMatch(/0x[0-9a-f]{4,}|[0-9a-f]{8,}/);
        for (const l of r.rawLines) expect(text.includes(l.trim())).toBe(true);
      }
    });
  }
});
