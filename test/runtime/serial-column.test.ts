// SerialColumn keeps numbers that count up by one as their first alone, and stores them once one
// breaks the run: every number reads back as pushed, before and after.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SerialColumn } from '../../src/runtime/typed-arrays.js';

function filled(values: readonly number[]): SerialColumn {
  const c = new SerialColumn();
  for (const v of values) c.push(v);
  return c;
}

describe('SerialColumn', () => {
  it('gives back a run counting up from any first number', () => {
    const c = filled([7, 8, 9, 10]);
    expect([0, 1, 2, 3].map((i) => c.get(i))).toEqual([7, 8, 9, 10]);
    expect(c.storedBytes).toBe(0);
    c.push(12);
    expect([0, 1, 2, 3, 4].map((i) => c.get(i))).toEqual([7, 8, 9, 10, 12]);
    expect(c.storedBytes).toBeGreaterThanOrEqual(5 * 4);
  });

  it('gives back every number after the run breaks, also past its first size', () => {
    const values = [...Array.from({ length: 40 }, (_, i) => 100 + i), 5, 5, 141, ...Array.from({ length: 30 }, (_, i) => 2 ** 32 - 1 - i)];
    const c = filled(values);
    expect(values.map((_, i) => c.get(i))).toEqual(values);
  });

  it('gives back any sequence of 32-bit numbers', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.nat(3), fc.integer({ min: 0, max: 2 ** 32 - 1 })), { maxLength: 80 }), fc.nat(1000), (steps, first) => {
        // Mostly runs: each step is 1 (the run goes on) or another number.
        const values: number[] = [];
        for (const s of steps) values.push(s === 1 || values.length === 0 ? (values.at(-1) ?? first) + (values.length === 0 ? 0 : 1) : s);
        const c = filled(values);
        expect(values.map((_, i) => c.get(i))).toEqual(values);
      }),
    );
  });
});
