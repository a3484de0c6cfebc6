import { describe, expect, it } from 'vitest';
import { PRECEDING, RecentLines, WINDOW } from '../../src/reports/recent-lines.js';

// Raw lines in these tests are "ctx:text"; "-" stands for a line that carries no message.
const resolve = (raw: string) => (raw === '-' ? null : { ctx: raw.slice(0, raw.indexOf(':')), text: raw.slice(raw.indexOf(':') + 1) });

describe('RecentLines', () => {
  it('gives the last lines of the header context, oldest first, up to PRECEDING', () => {
    const r = new RecentLines(resolve);
    for (let i = 1; i <= 12; i++) r.remember(i, i % 2 ? 'a' : 'b', `line ${i}`);
    expect(r.take('a', 13)).toEqual(['line 1', 'line 3', 'line 5', 'line 7', 'line 9', 'line 11']);
    for (let i = 14; i <= 30; i++) r.remember(i, 'b', `line ${i}`);
    const b = r.take('b', 31);
    expect(b).toHaveLength(PRECEDING);
    expect(b[PRECEDING - 1]).toBe('line 30');
  });

  it('keeps input order as it grows', () => {
    const r = new RecentLines(resolve);
    for (let i = 1; i <= 40; i++) r.remember(i, i % 3 ? 'a' : 'b', `line ${i}`);
    expect(r.take('a', 41)).toEqual(['line 29', 'line 31', 'line 32', 'line 34', 'line 35', 'line 37', 'line 38', 'line 40']);
  });

  it('stops at the previous report of the same context and skips blank lines', () => {
    const r = new RecentLines(resolve);
    r.remember(1, 'a', 'before the first report');
    expect(r.take('a', 2)).toEqual(['before the first report']);
    r.remember(3, 'a', '   ');
    r.remember(4, 'a', 'after it');
    expect(r.take('a', 5)).toEqual(['after it']);
  });

  it('looks back WINDOW lines at most', () => {
    const r = new RecentLines(resolve);
    r.remember(1, 'a', 'too old');
    r.remember(2, 'a', 'just in');
    expect(r.take('a', 2 + WINDOW)).toEqual(['just in']);
  });

  it('resolves raw lines only when a header looks back over them, in input order with the others', () => {
    const seen: string[] = [];
    const r = new RecentLines((raw, lineNo) => {
      seen.push(`${lineNo}`);
      return resolve(raw);
    });
    r.rememberRaw(1, 'a:raw one');
    r.remember(2, 'b', 'normalised');
    r.rememberRaw(3, '-');
    r.rememberRaw(4, 'a:raw two');
    expect(seen).toEqual([]);
    expect(r.take('a', 5)).toEqual(['raw one', 'raw two']);
    expect(seen).toEqual(['4', '3', '1']);
    expect(r.take('b', 6)).toEqual(['normalised']);
    // Resolved once.
    expect(seen).toEqual(['4', '3', '1']);
  });

  it('keeps a bounded number of entries whatever the line numbers', () => {
    const r = new RecentLines(resolve);
    for (let i = 0; i < 100_000; i++) r.remember(7, 'a', `x${i}`);
    expect(r.take('a', 8)).toEqual(['x99992', 'x99993', 'x99994', 'x99995', 'x99996', 'x99997', 'x99998', 'x99999']);
    expect((r as unknown as { count: number }).count).toBeLessThanOrEqual(4 * WINDOW);
  });
});
