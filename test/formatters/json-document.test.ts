// -f json is written a record at a time; the text must be the one JSON.stringify gives for the
// whole array (formatJsonDocument), which scripts parse as one document.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeTextRecords } from '../../src/analyze.js';
import { builtinDetectors } from '../../src/detectors/index.js';
import { formatJsonArrayElement, formatJsonArrayEnd, formatJsonDocument, nestedJson } from '../../src/formatters/jsonl.js';

function streamed(values: readonly unknown[]): string {
  return values.map((v, i) => formatJsonArrayElement(v, i)).join('') + formatJsonArrayEnd(values.length);
}

const demo = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'demo.log'), 'utf8');

describe('formatJsonArrayElement', () => {
  it('gives formatJsonDocument text for records of the bundled example (report, finding, boot, summary)', () => {
    const recs = analyzeTextRecords(demo + demo, 'two.log', { detectors: builtinDetectors });
    expect(recs.length).toBeGreaterThanOrEqual(4);
    expect(streamed(recs)).toBe(formatJsonDocument(recs));
    expect(JSON.parse(streamed(recs))).toEqual(JSON.parse(JSON.stringify(recs)));
  });

  it('writes an empty array and a one-element array as JSON.stringify does', () => {
    expect(streamed([])).toBe('[]\n');
    expect(streamed([{ a: 1 }])).toBe('[\n  {\n    "a": 1\n  }\n]\n');
  });

  it('gives formatJsonDocument text for any JSON values (nested, escapes, U+2028, C1 controls)', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 8 }), (values) => {
        expect(streamed(values)).toBe(formatJsonDocument(values));
      }),
      { numRuns: 300 },
    );
    const odd = [{ t: 'a\u2028b\u0085c\n\td\u001b[31m', n: [1, [2, { x: null }]], e: {}, l: [] }, 'x\u2029'];
    expect(streamed(odd)).toBe(formatJsonDocument(odd));
  });
});

describe('nestedJson', () => {
  it('is the pretty-printed value with every line indented two spaces a level', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(6), (value, depth) => {
        const pad = ' '.repeat(2 * depth);
        expect(nestedJson(value, depth)).toBe(pad + JSON.stringify(value, null, 2).replaceAll('\n', `\n${pad}`));
      }),
      { numRuns: 500 },
    );
  });
});
