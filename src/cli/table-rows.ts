// The rows of the table until it is printed. The table is drawn when the run ends (its columns
// are as wide as their widest cell), so every row of a long run was held: 300,000 reports of
// distinct titles (a 131 MB log) peaked at 265 MB with -f table (2026-11-28). The first rows stay
// in memory, their strings shared through the run's pool; past ROWS_IN_MEMORY they go to a
// temporary file, a block at a time, and are read back (twice: widths, then text) when the table
// is drawn.
import type { Report } from '../model/report.js';
import { SpillFile } from '../bulk/spill.js';
import { tableRow, tableRowIn, type TableRow } from '../formatters/table.js';
import type { StringPool } from '../formatters/string-pool.js';

/** Rows kept in memory (~100-300 bytes each) before the others go to disk. */
export const ROWS_IN_MEMORY = 20_000;
/** Rows written to the file at once. */
const BLOCK_ROWS = 1024;

export class TableRows implements Iterable<TableRow> {
  private readonly held: TableRow[] = [];
  private spill: SpillFile<TableRow[]> | undefined;
  /** The file could not be made or written: rows from then on stay in memory. */
  private failed = false;
  /** Rows in the file. */
  private spilled = 0;
  /** Rows for the file not yet written (after those in it). */
  private pending: TableRow[] = [];

  constructor(
    private readonly pool: StringPool,
    private readonly inMemory = ROWS_IN_MEMORY,
    private readonly blockRows = BLOCK_ROWS,
  ) {}

  get length(): number {
    return this.held.length + this.spilled + this.pending.length;
  }

  /** Rows held in memory now (the others are in the file). */
  get inMemoryRows(): number {
    return this.held.length + this.pending.length;
  }

  push(r: Report): void {
    if (this.failed || this.length < this.inMemory) {
      this.held.push(tableRowIn(this.pool, r));
      return;
    }
    // Not pooled: a row on disk holds no string, and a pool of every distinct title would grow.
    this.pending.push(tableRow(r));
    if (this.pending.length >= this.blockRows) this.flush();
  }

  private flush(): void {
    try {
      this.spill ??= new SpillFile<TableRow[]>('table-rows.bin');
      this.spill.append(this.pending);
      this.spilled += this.pending.length;
      this.pending = [];
    } catch {
      // No temporary directory, or a full disk: what is pending stays in memory, as do later rows.
      this.failed = true;
      this.held.push(...this.pending);
      this.pending = [];
    }
  }

  /** The rows in order; one pass at a time (the file is read from its start by each). */
  *[Symbol.iterator](): Iterator<TableRow> {
    // Rows that came after a failed write were added to `held` after those in the file: they are
    // the last rows, so the file's rows sit between the first inMemory rows and them.
    const first = Math.min(this.held.length, this.inMemory);
    for (let i = 0; i < first; i++) yield this.held[i]!;
    if (this.spill) {
      this.spill.rewind();
      for (let block = this.spill.next(); block; block = this.spill.next()) yield* block;
    }
    for (let i = first; i < this.held.length; i++) yield this.held[i]!;
    yield* this.pending;
  }

  /** Removes the file. */
  close(): void {
    this.spill?.close();
    this.spill = undefined;
  }
}
