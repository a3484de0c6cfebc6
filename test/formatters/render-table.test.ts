// Large tables are rendered in chunks (cli-table3's layout is quadratic in the rows); the
// text must be exactly the one table cli-table3 renders for all rows at once.
import { describe, expect, it } from 'vitest';
import { renderTable, renderTableChunks } from '../../src/formatters/render-table.js';

const head = ['source', 'line', 'title'];
// Varied widths, wide characters (CJK and emoji take two columns), empty cells, and a head wider than its column's cells.
const rows = Array.from({ length: 700 }, (_, i) => [
  i % 3 === 0 ? `日本語-${i}.log` : `log${i}`,
  String(i),
  i % 50 === 0 ? '' : `WARNING in f_${'x'.repeat(i % 37)}${i % 11 === 0 ? ' 🐧' : ''}`,
]);

describe('renderTable', () => {
  it.each([1, 7, 100, 256, 699])('renders %i rows at a time as the same text as one table', (chunk) => {
    const whole = renderTable(head, rows, Infinity);
    expect(renderTable(head, rows, chunk)).toBe(whole);
    // One top border, one head separator, one bottom border, a line per row.
    expect(whole.split('\n')).toHaveLength(rows.length + 4);
  });

  it('gives the same text in pieces, a chunk of rows each, for a caller that writes as it goes', () => {
    const pieces = [...renderTableChunks(head, rows, 256)];
    expect(pieces).toHaveLength(3); // 700 rows: 256 + 256 + 188
    expect(pieces.join('')).toBe(renderTable(head, rows, Infinity));
    // Each piece ends at a line end but the last (as renderTable's text does).
    expect(pieces.slice(0, -1).every((p) => p.endsWith('\n'))).toBe(true);
    expect(pieces.at(-1)!.endsWith('\n')).toBe(false);
  });

  it('renders 20,000 rows in linear time (cli-table3 alone took 5 s for 8,000)', () => {
    const many = Array.from({ length: 20000 }, (_, i) => [`log${i % 9}`, String(i), `WARNING in f${i}`]);
    const t0 = performance.now();
    const text = renderTable(head, many);
    // Generous bound for a loaded machine: ~0.1 ms a row measured; quadratic would take over 30 s.
    expect(performance.now() - t0).toBeLessThan(15000);
    expect(text.split('\n')).toHaveLength(20004);
  });
});
