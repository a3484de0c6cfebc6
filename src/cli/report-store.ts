// The reports of a CI document (junit, sarif, markdown, github) until it is written. A document
// is written when the run ends (JUnit's head counts the cases that follow it), so every report
// of a long run was held: 293-537 MB for 50 MB of console log. The first reports stay in memory;
// past a budget they go to a temporary file, each as a V8 serialisation, and are read back when
// the formatter reaches them, mostly in order, a block at a time.
import { deserialize, serialize } from 'node:v8';
import type { KeptRecord, ReportKeeper } from '../formatters/document.js';
import { readAll, TempFile, writeAll } from '../bulk/spill.js';
import { withRoom } from '../runtime/typed-arrays.js';

/** Bytes written or read at once. */
const BLOCK_BYTES = 1 << 20;

/**
 * Reports are kept in memory up to about this many bytes (footprint()), the rest on disk: a run
 * with a hundred reports or so makes no file. A kept report costs more than its footprint: with
 * -f junit on 50 MB of console log (7,399 reports) the run peaked at 134 MB with no report kept,
 * 136 MB with 4 MiB, 150 MB with 8 MiB and 211 MB with 32 MiB (2026-11-27, when kept reports
 * still held the strings their lines were cut from). 4 MiB took -f junit on the 1 GB mbox with
 * --jobs 2 (the default there) to 203 MiB; 340 MB of it peaked at 192-195 MiB, and at 185 with 1 MiB
 * (2026-11-28).
 */
export const MEMORY_BUDGET_BYTES = 1024 * 1024;

/** About what a report takes in memory: its lines (one byte a character at best), and its frames. */
function footprint(r: KeptRecord): number {
  if (r.kind === 'finding') return 2048;
  let n = 512;
  for (const l of r.precedingLines) n += l.length + 32;
  for (const l of r.rawLines) n += l.length + 32;
  for (const s of r.stacks) n += s.frames.length * 160;
  return n;
}

/**
 * A copy of a record that holds nothing else. A report's lines are often slices of a larger string
 * that V8 keeps whole while a slice lives: a mail message's whole body (up to megabytes), an input
 * chunk. The reports kept in memory under the budget held ~15 MB of mail bodies on 340 MB of mail
 * (-f junit: 27 MB live after a full collection against 11 MB for JSONL).
 */
function detached(r: KeptRecord): KeptRecord {
  return deserialize(serialize(r)) as KeptRecord;
}

/**
 * Reports by slot number (ReportKeeper). A slot costs a few bytes here, and the entry that holds
 * it a few dozen: the 150,685 reports of the 1 GB console log had cost ~600 bytes each as
 * closures, -f markdown peaking at 327 MB.
 */
export class ReportStore implements ReportKeeper {
  private inMemory = 0;
  /** Slots given so far. */
  private slots = 0;
  private file: TempFile | undefined;
  /** The file could not be made or written: reports from then on stay in memory. */
  private failed = false;
  /** Bytes in the file. */
  private written = 0;
  /** Serialised reports not yet in the file; they start at `written`. Kept for good when a write fails. */
  private pending = Buffer.allocUnsafe(BLOCK_BYTES);
  private pendingBytes = 0;
  /** The block read last, and where it starts in the file. */
  private block = Buffer.alloc(0);
  private blockAt = 0;
  /** What blocks are read into. */
  private readBuffer = Buffer.alloc(0);
  /** The report read last: formatters ask for the same report several times in a row. */
  private lastAt = -1;
  private last: KeptRecord | undefined;
  // Slots are taken in order, and fall in three runs: the first reports, in memory; the reports
  // written to the file, one after the other; from a failed write on, in memory again. So a slot
  // costs 8 bytes (where its bytes end) or a reference, not a reference and an offset each.
  /** Reports of the first slots, kept in memory. */
  private readonly first: KeptRecord[] = [];
  /** The first slot written to the file (the file's reports are slots diskFrom ... diskFrom + diskCount - 1). */
  private diskFrom = 0;
  private diskCount = 0;
  /** Where the bytes of the file's k-th report end; they start where the (k-1)-th ones end, or at 0. */
  private ends = new Float64Array(0);
  /** From slot `tailFrom` on, after a failed write: reports in memory. */
  private tailFrom = Infinity;
  private readonly tail: KeptRecord[] = [];

  constructor(private readonly memoryBudget = MEMORY_BUDGET_BYTES) {}

  /** Keeps a report; its slot gives it back (load). */
  keep(r: KeptRecord): number {
    const slot = this.slots++;
    if (this.tailFrom <= slot) {
      this.tail.push(detached(r));
      return slot;
    }
    if (this.diskCount === 0 && this.inMemory < this.memoryBudget) {
      this.inMemory += footprint(r);
      this.first.push(detached(r));
      this.diskFrom = slot + 1;
      return slot;
    }
    const bytes = serialize(r);
    const at = this.append(bytes);
    if (at === undefined) {
      // The file failed: this report and those after it stay in memory.
      this.tailFrom = slot;
      this.tail.push(deserialize(bytes) as KeptRecord);
      return slot;
    }
    const k = this.diskCount++;
    this.ends = withRoom(this.ends, k, (n) => new Float64Array(n));
    this.ends[k] = at + bytes.length;
    return slot;
  }

  /** The report kept in `slot` (a copy when it was on disk). */
  load(slot: number): KeptRecord {
    if (slot < this.diskFrom) return this.first[slot]!;
    if (slot >= this.tailFrom) return this.tail[slot - this.tailFrom]!;
    const k = slot - this.diskFrom;
    const at = k === 0 ? 0 : this.ends[k - 1]!;
    return this.read(at, this.ends[k]! - at);
  }

  /** Where the bytes will be read from, or undefined when the file failed (the caller keeps the report). */
  private append(bytes: Buffer): number | undefined {
    if (!this.open()) return undefined;
    if (this.pendingBytes + bytes.length > this.pending.length && !this.flush()) return undefined;
    const at = this.written + this.pendingBytes;
    if (bytes.length > this.pending.length) {
      // Larger than a block: written at once (nothing is pending after the flush above).
      try {
        writeAll((this.file as TempFile).fd, bytes, at);
      } catch {
        this.failed = true;
        return undefined;
      }
      this.written += bytes.length;
      return at;
    }
    bytes.copy(this.pending, this.pendingBytes);
    this.pendingBytes += bytes.length;
    return at;
  }

  private open(): boolean {
    if (this.file) return true;
    if (this.failed) return false;
    try {
      this.file = new TempFile('ktriage-reports-', 'reports.bin');
      return true;
    } catch {
      this.failed = true;
      return false;
    }
  }

  /** Writes the pending bytes; false when the disk took them not (they then stay pending for good). */
  private flush(): boolean {
    if (this.pendingBytes === 0) return true;
    try {
      writeAll((this.file as TempFile).fd, this.pending.subarray(0, this.pendingBytes), this.written);
    } catch {
      this.failed = true;
      return false;
    }
    this.written += this.pendingBytes;
    this.pendingBytes = 0;
    return true;
  }

  private read(at: number, length: number): KeptRecord {
    if (at === this.lastAt && this.last) return this.last;
    let bytes: Buffer;
    if (at >= this.written) bytes = this.pending.subarray(at - this.written, at - this.written + length);
    else {
      if (at < this.blockAt || at + length > this.blockAt + this.block.length) {
        const size = Math.min(Math.max(BLOCK_BYTES, length), this.written - at);
        // One buffer for every block: a fresh 1 MiB buffer per block was garbage outside V8's heap,
        // which V8 collected late (-f junit on 340 MB of mail peaked at 199 MiB while it wrote the
        // document, 159 MiB with one buffer). deserialize copies strings and numbers out of the
        // buffer; a typed array would be a view of it, and reports and findings hold none.
        if (this.readBuffer.length < size) this.readBuffer = Buffer.allocUnsafe(Math.max(BLOCK_BYTES, size));
        this.block = this.readBuffer.subarray(0, size);
        readAll((this.file as TempFile).fd, this.block, at);
        this.blockAt = at;
      }
      bytes = this.block.subarray(at - this.blockAt, at - this.blockAt + length);
    }
    this.last = deserialize(bytes) as KeptRecord;
    this.lastAt = at;
    return this.last;
  }

  /** Removes the file; reports on disk cannot be read after this. */
  close(): void {
    this.file?.close();
    this.file = undefined;
    this.failed = true;
  }
}
