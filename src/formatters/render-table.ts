// Tables through cli-table3, in chunks when they are large. cli-table3 checks every cell it
// lays out against all earlier ones (for row and column spans), so its cost grows with the
// square of the rows: 8,000 rows took 5.2 s, and the 150,000 reports of a 1 GB log would
// take about half an hour. A large table is rendered CHUNK_ROWS rows at a time with the column
// widths of the whole table, measured as cli-table3 measures them (string-width, the version it
// depends on), and the chunks are joined where one's bottom border meets the next one's top:
// the text is the same as one table's (test/formatters/render-table.test.ts).
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
export function renderTable(head: readonly string[], rows: readonly (readonly string[])[], chunkRows = CHUNK_ROWS): string {
  return [...renderTableChunks(head, rows, chunkRows)].join('');
}

/**
 * renderTable's text in pieces, a chunk of rows at a time, so that a caller can write a large
 * table without holding all of it (150,000 rows are ~45 MB of text as a JavaScript string).
 */
export function* renderTableChunks(head: readonly string[], rows: readonly (readonly string[])[], chunkRows = CHUNK_ROWS): Generator<string> {
  if (rows.length <= chunkRows) {
    yield table(head, rows);
    return;
  }
  const widths = head.map((h) => stringWidth(h));
  for (const r of rows) {
    for (let c = 0; c < widths.length; c++) {
      const w = stringWidth(r[c] ?? '');
      if (w > widths[c]!) widths[c] = w;
    }
  }
  const colWidths = widths.map((w) => w + PADDING);
  for (let at = 0; at < rows.length; at += chunkRows) {
    const lines = table(at === 0 ? head : [], rows.slice(at, at + chunkRows), colWidths).split('\n');
    // The first chunk keeps its top border, the last its bottom one.
    const last = at + chunkRows >= rows.length;
    const from = at === 0 ? 0 : 1;
    const to = last ? lines.length : lines.length - 1;
    yield last ? lines.slice(from, to).join('\n') : `${lines.slice(from, to).join('\n')}\n`;
  }
}
