// Tables through cli-table3, in chunks when they are large. cli-table3 checks every cell it
// lays out against all earlier ones (for row and column spans), so its cost grows with the
// square of the rows: 8,000 rows took 5.2 s, and the 150,000 reports of a 1 GB log would
// take about half an hour. A large table is laid out by cli-table3 for its head and first
// CHUNK_ROWS rows, with the column widths of the whole table measured as cli-table3 measures
// them (string-width, the version it depends on); the rows after those are drawn here the way
// cli-table3 draws a row of a compact table without colours, spans or wrapping (its layout of
// 256 rows at a time still took ~0.2 ms a row: 1.4 s of a 4.9 s run on 50 MB of console log).
// The text is the same as one table's (test/formatters/render-table.test.ts).
import Table from 'cli-table3';
import stringWidth from 'string-width';

const CHUNK_ROWS = 256;
/** cli-table3's default cell padding: one blank each side. */
const PADDING = 2;

function table(head: readonly string[], rows: readonly (readonly string[])[], colWidths?: number[]): string {
  const opts: ConstructorParameters<typeof Table>[0] = { head: [...head], style: { head: [], border: [], compact: true }, wordWrap: false };
  if (colWidths) opts.colWidths = colWidths;
  const t = new Table(opts);
  for (const r of rows) t.push([...r]);
  return t.toString();
}

/** A compact bordered table of `rows` under `head`; cells must hold no newline or escape sequence. */
export function renderTable(head: readonly string[], rows: RowSource<readonly string[]>, chunkRows = CHUNK_ROWS): string {
  return [...renderTableChunks(head, rows, chunkRows)].join('');
}

/** Display width of a cell as cli-table3 measures it (string-width): printable ASCII is its length. */
function cellWidth(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return stringWidth(s);
  }
  return s.length;
}

/**
 * A body row as cli-table3 draws it in a compact table without colours, spans or wrapping:
 * each cell between its padding blanks, filled with blanks to its column's width.
 */
function drawRow(cells: readonly string[], colWidths: readonly number[]): string {
  let line = '';
  for (let c = 0; c < colWidths.length; c++) {
    const cell = cells[c] ?? '';
    line += `\u2502 ${cell}${' '.repeat(colWidths[c]! - PADDING - cellWidth(cell))} `;
  }
  return `${line}\u2502`;
}

/**
 * Rows that can be read more than once, in order: an array, or rows that wait on disk (see
 * src/cli/table-rows.ts). Each pass reads them from the first.
 */
export interface RowSource<T> extends Iterable<T> {
  readonly length: number;
}

/** `rows` with `f` applied to each row as it is read (on every pass, so nothing is held). */
export function mapRows<T, U>(rows: RowSource<T>, f: (row: T) => U): RowSource<U> {
  return {
    length: rows.length,
    *[Symbol.iterator]() {
      for (const r of rows) yield f(r);
    },
  };
}

/** The first `n` items of an iterator (fewer when it ends). */
function take<T>(it: Iterator<T>, n: number): T[] {
  const out: T[] = [];
  while (out.length < n) {
    const r = it.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}

/**
 * renderTable's text in pieces, a chunk of rows at a time, so that a caller can write a large
 * table without holding all of it (150,000 rows are ~45 MB of text as a JavaScript string). A
 * large table's rows are read twice: for the column widths, then for the text.
 */
export function* renderTableChunks(head: readonly string[], rows: RowSource<readonly string[]>, chunkRows = CHUNK_ROWS): Generator<string> {
  if (rows.length <= chunkRows) {
    yield table(head, [...rows]);
    return;
  }
  const widths = head.map((h) => stringWidth(h));
  for (const r of rows) {
    for (let c = 0; c < widths.length; c++) {
      const w = cellWidth(r[c] ?? '');
      if (w > widths[c]!) widths[c] = w;
    }
  }
  const colWidths = widths.map((w) => w + PADDING);
  const it = rows[Symbol.iterator]();
  // cli-table3 draws the top border, the head and the first rows; its bottom border ends the table.
  const first = table(head, take(it, chunkRows), colWidths).split('\n');
  const bottom = first.pop()!;
  yield `${first.join('\n')}\n`;
  for (let chunk = take(it, chunkRows); chunk.length > 0; ) {
    const lines = chunk.map((r) => drawRow(r, colWidths));
    chunk = take(it, chunkRows);
    yield chunk.length === 0 ? `${lines.join('\n')}\n${bottom}` : `${lines.join('\n')}\n`;
  }
}
