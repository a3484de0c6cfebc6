// StringCounter numbers the occurrences of each string (JUnit's "title #2"): exactly for the
// first distinct strings, by a 64-bit hash past them, in typed arrays that grow.
import { describe, expect, it } from 'vitest';
import { StringCounter } from '../../src/runtime/string-counter.js';

describe('StringCounter', () => {
  it('counts each string on its own below the exact limit', () => {
    const c = new StringCounter();
    expect(['a', 'b', 'a', 'c', 'a', 'b'].map((s) => c.add(s))).toEqual([1, 1, 2, 1, 3, 2]);
  });

  it('counts strings past the exact limit through the hashed table, across its growth', () => {
    // Two exact strings, then 5,000 hashed ones: the table starts at 1,024 slots and doubles at
    // half full, so it grows three times while the strings come, and again after.
    const c = new StringCounter(2);
    expect(c.add('first')).toBe(1);
    expect(c.add('second')).toBe(1);
    const names = Array.from({ length: 5000 }, (_, i) => `WARNING in bench_fn_${i.toString(36)}`);
    for (const s of names) expect(c.add(s)).toBe(1);
    // Each again, some a third time: every count is its own.
    for (const s of names) expect(c.add(s)).toBe(2);
    for (let i = 0; i < names.length; i += 7) expect(c.add(names[i]!)).toBe(3);
    // Strings counted exactly before the limit still are.
    expect(c.add('first')).toBe(2);
    expect(c.add('second')).toBe(2);
    expect(c.add('third')).toBe(1);
  });

  it('tells apart strings that differ only in order or by one character', () => {
    const c = new StringCounter(0);
    for (const s of ['ab', 'ba', 'abc', 'abd', '', 'a\u0000', 'a']) expect(c.add(s)).toBe(1);
    expect(c.add('ab')).toBe(2);
    expect(c.add('')).toBe(2);
    expect(c.add('a')).toBe(2);
  });
});
