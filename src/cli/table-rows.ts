// The rows of the table until it is printed. The table is drawn when the run ends (its columns
// are as wide as their widest cell), so every row of a long run was held: 300,000 reports of
// distinct titles (a 131 MB log) peaked at 265 MB with -f table (2026-11-28). The first rows stay
// in memory, their strings shared through the run's pool; past ROWS_IN_MEMORY they go to a
// temporary file, a block at a time, and are read back (twice: widths, then text) when the table
// is drawn.
import type { Report } from '../model/report.js';
import { SpillFile } from '../bulk/spill.js';
import { findingRow, findingRowIn, tableRow, tableRowIn, type FindingRow, type TableRow } from '../formatters/table.js';
import type { Finding } from '../model/finding.js';
import type { StringPool } from '../formatters/string-pool.js';

/** Rows kept in memory (~100-300 bytes each) before the others go to disk. */
export const ROWS_IN_MEMORY = 20_000;
/** Rows written to the file at once. */
const BLOCK_ROWS = 1024;

/**
 * Items kept in order until a table is drawn: the first `inMemory` in memory, the rest in a
 * temporary file, `blockRows` at a time; read back in order, as often as asked. Where no file can
 * be made or written, the items stay in memory.
 */
export class SpillRows<T> implements Iterable<T> {
  private readonly held: T[] = [];
  private spill: SpillFile<T[]> | undefined;
  /** The file could not be made or written: items from then on stay in memory. */
  private failed = false;
  /** Items in the file. */
  private spilled = 0;
  /** Items for the file not yet written (after those in it). */
  private pending: T[] = [];

  constructor(
    private readonly fileName: string,
    private readonly inMemory: number,
    private readonly blockRows = BLOCK_ROWS,
  ) {}

  get length(): number {
    return this.held.length + this.spilled + this.pending.length;
  }

  /** Items held in memory now (the others are in the file). */
  get inMemoryRows(): number {
    return this.held.length + this.pending.length;
  }

  /** True when the next item added stays in memory for good (the caller may then share its strings). */
  get nextStays(): boolean {
    return this.failed || this.length < this.inMemory;
  }

  push(item: T): void {
    if (this.nextStays) {
      this.held.push(item);
      return;
    }
    this.pending.push(item);
    if (this.pending.length >= this.blockRows) this.flush();
  }

  private flush(): void {
    try {
      this.spill ??= new SpillFile<T[]>(this.fileName);
      this.spill.append(this.pending);
      this.spilled += this.pending.length;
      this.pending = [];
    } catch {
      // No temporary directory, or a full disk: what is pending stays in memory, as do later items.
      this.failed = true;
      this.held.push(...this.pending);
      this.pending = [];
    }
  }

  /** The items in order; one pass at a time (the file is read from its start by each). */
  *[Symbol.iterator](): Iterator<T> {
    // Items that came after a failed write were added to `held` after those in the file: they are
    // the last ones, so the file's items sit between the first inMemory items and them.
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

/**
 * Rows made from records (reports, findings) until the table is drawn: the rows that stay in
 * memory share their strings through the run's pool; a row on disk is not pooled (it holds no
 * string, and a pool of every distinct title would grow).
 */
class PooledRows<In, Row> implements Iterable<Row> {
  private readonly rows: SpillRows<Row>;

  constructor(
    fileName: string,
    private readonly pool: StringPool,
    private readonly pooledRow: (pool: StringPool, x: In) => Row,
    private readonly plainRow: (x: In) => Row,
    inMemory: number,
    blockRows: number,
  ) {
    this.rows = new SpillRows<Row>(fileName, inMemory, blockRows);
  }

  get length(): number {
    return this.rows.length;
  }

  /** Rows held in memory now (the others are in the file). */
  get inMemoryRows(): number {
    return this.rows.inMemoryRows;
  }

  push(x: In): void {
    this.rows.push(this.rows.nextStays ? this.pooledRow(this.pool, x) : this.plainRow(x));
  }

  [Symbol.iterator](): Iterator<Row> {
    return this.rows[Symbol.iterator]();
  }

  close(): void {
    this.rows.close();
  }
}

/** The report rows of the table (see the top of this file). */
export class TableRows extends PooledRows<Report, TableRow> {
  constructor(pool: StringPool, inMemory = ROWS_IN_MEMORY, blockRows = BLOCK_ROWS) {
    super('table-rows.bin', pool, tableRowIn, tableRow, inMemory, blockRows);
  }
}

/**
 * The known-bug rows of the table, as the report rows: a log in which a known bug fires on every
 * boot has a finding per report (200,000 copies of examples/demo.log: -f table at 203 MB, ~300
 * bytes a finding kept, 2026-11-28).
 */
export class FindingRows extends PooledRows<Finding, FindingRow> {
  constructor(pool: StringPool, inMemory = ROWS_IN_MEMORY, blockRows = BLOCK_ROWS) {
    super('finding-rows.bin', pool, findingRowIn, findingRow, inMemory, blockRows);
  }
}
