// Grouping reports into buckets, and merging buckets from several runs (so a
// large archive can be split across jobs or machines and combined).
import type { Finding } from '../model/finding.js';
import type { Bucket } from '../model/records.js';
import type { Report } from '../model/report.js';
import { titleFunction } from '../reports/frames.js';
import { skipRegex } from '../reports/skip-frames.js';
import { unslice } from '../input/unslice.js';
import { SpillFile } from '../bulk/spill.js';

const MAX_VERSIONS = 50;
const MAX_EXAMPLES = 5;
const TOP_FRAMES = 3;

/**
 * Title plus the top non-generic frames of the main call trace (function names only; the
 * title's own function is among them when it heads the trace). A report
 * without frames (a quoted header line) uses its guilty function and source file.
 */
export function bucketKey(r: Report): string {
  const skip = skipRegex();
  const top: string[] = [];
  for (const f of r.frames) {
    if (!f.reliable) continue;
    const name = titleFunction(f.function);
    if (skip.test(name)) continue;
    top.push(name);
    if (top.length === TOP_FRAMES) break;
  }
  if (top.length === 0) top.push(r.guiltyFunction ?? '', r.location?.replace(/:\d+$/, '') ?? '');
  return `${r.title}|${top.join(',')}`;
}

function reportDate(r: Report): string | undefined {
  const d = r.mail?.date ?? r.wallTime;
  return d && /^\d{4}-\d\d-\d\d/.test(d) ? d : undefined;
}

function addSorted(list: string[], value: string, max: number): void {
  if (list.includes(value)) return;
  list.push(value);
  list.sort();
  if (list.length > max) list.length = max;
}

/**
 * Distinct buckets held in memory before they go to disk. A bucket takes ~600 bytes of RSS (with
 * V8's heap slack): --group on 100,000 reports of distinct titles peaked at 169 MB all in memory.
 */
export const MEMORY_BUCKETS = 20_000;
/** Files the buckets on disk are spread over by key, so that each is merged in memory on its own. */
const PARTITIONS = 64;
/** Sorted buckets written (and read back while merging) at a time. */
const RUN_CHUNK = 128;

/** The order of list(): largest first, then by title and key (deterministic). */
export function bucketOrder(a: Bucket, b: Bucket): number {
  return b.count - a.count || a.title.localeCompare(b.title) || a.key.localeCompare(b.key) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/** A bucket's file on disk: a hash of its key. */
function partitionOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % PARTITIONS;
}

/** Buckets grouped by partitionOf their key. */
function byPartition(buckets: Iterable<Bucket>): Bucket[][] {
  const parts: Bucket[][] = Array.from({ length: PARTITIONS }, () => []);
  for (const b of buckets) parts[partitionOf(b.key)]!.push(b);
  return parts;
}

/**
 * Buckets in list() order that can be read more than once (a table reads them twice): from
 * memory, or merged from sorted runs on disk.
 */
export interface BucketList extends Iterable<Bucket> {
  readonly length: number;
  /** The buckets' counts added up, where known without reading them again (merged from disk). */
  readonly reports?: number;
}

/**
 * Accumulates buckets. Memory grows with the number of distinct buckets up to MEMORY_BUCKETS;
 * past it they go to disk, spread over files by key, and are merged when the list is read: each
 * file's buckets in memory (a 64th of them), sorted, then the sorted runs merged. Where no
 * temporary file can be written they stay in memory.
 */
export class BucketSet {
  private readonly buckets = new Map<string, Bucket>();
  /** Report (source, index) -> bucket key, for attaching the findings that follow a report. */
  private readonly lastReport = new Map<string, string>();
  /** Buckets on disk, in the order they were written, by partition of their key. */
  private spilled: Array<SpillFile<Bucket[]>> | undefined;
  /** Writing to disk failed: buckets stay in memory from then on. */
  private spillFailed = false;
  private runs: SortedRuns | undefined;

  constructor(private readonly memoryBuckets = MEMORY_BUCKETS) {}

  addReport(r: Report): void {
    let key = bucketKey(r);
    let b = this.buckets.get(key);
    if (!b) {
      this.makeRoom();
      // Copies: the title and the frames' names are substrings of log lines, and a substring can
      // keep the whole input chunk it was cut from alive (64-256 KB). Kept, they took --group on
      // 100,000 reports of distinct titles to 262 MB, ~1.5 KB a bucket (2026-11-28).
      key = unslice(key);
      // Arrays made at their size: one that grows from [] by push takes room for 17 elements, and
      // two of them were ~300 bytes of every bucket.
      const versions = r.kernelVersion ? [unslice(r.kernelVersion)] : [];
      b = { kind: 'bucket', key, title: unslice(r.title), crashClass: r.crashClass, crashType: r.crashType, count: 0, kernelVersions: versions, examples: [r.source], findings: [] };
      this.buckets.set(key, b);
    }
    b.count++;
    const d = reportDate(r);
    if (d) {
      if (!b.firstDate || d < b.firstDate) b.firstDate = d;
      if (!b.lastDate || d > b.lastDate) b.lastDate = d;
    }
    if (r.kernelVersion && !b.kernelVersions.includes(r.kernelVersion)) addSorted(b.kernelVersions, unslice(r.kernelVersion), MAX_VERSIONS);
    addSorted(b.examples, r.source, MAX_EXAMPLES);
    // Findings follow their report in the record stream; only the latest report per source is needed.
    this.lastReport.clear();
    this.lastReport.set(`${r.source}\u0000${r.index}`, key);
  }

  addFinding(f: Finding): void {
    if (f.report === null) return;
    const key = this.lastReport.get(`${f.source}\u0000${f.report}`);
    const b = key === undefined ? undefined : this.buckets.get(key);
    if (!b) return;
    let e = b.findings.find((x) => x.detector === f.detector);
    if (!e) {
      e = { detector: f.detector, title: f.title, verdicts: [] };
      b.findings.push(e);
      b.findings.sort((a, c) => a.detector.localeCompare(c.detector));
    }
    addSorted(e.verdicts, f.verdict, 4);
  }

  /** Merges a bucket from another run. */
  addBucket(o: Bucket): void {
    const b = this.buckets.get(o.key);
    if (!b) {
      this.makeRoom();
      this.buckets.set(o.key, { ...o, kernelVersions: [...o.kernelVersions], examples: [...o.examples], findings: o.findings.map((f) => ({ ...f, verdicts: [...f.verdicts] })) });
      return;
    }
    b.count += o.count;
    if (o.firstDate && (!b.firstDate || o.firstDate < b.firstDate)) b.firstDate = o.firstDate;
    if (o.lastDate && (!b.lastDate || o.lastDate > b.lastDate)) b.lastDate = o.lastDate;
    for (const v of o.kernelVersions) addSorted(b.kernelVersions, v, MAX_VERSIONS);
    for (const e of o.examples) addSorted(b.examples, e, MAX_EXAMPLES);
    for (const f of o.findings) {
      let e = b.findings.find((x) => x.detector === f.detector);
      if (!e) {
        e = { detector: f.detector, title: f.title, verdicts: [] };
        b.findings.push(e);
        b.findings.sort((a, c) => a.detector.localeCompare(c.detector));
      }
      for (const v of f.verdicts) addSorted(e.verdicts, v, 4);
    }
  }

  /** Buckets, largest first, then by title and key (deterministic), as an array. */
  list(): Bucket[] {
    const list = this.sorted();
    // In memory, sorted() already made a new array.
    return Array.isArray(list) ? list : [...list];
  }

  /**
   * Buckets in list() order, without holding them all when some are on disk. The set takes no
   * more buckets after this; close() removes the files.
   */
  sorted(): BucketList {
    if (!this.spilled) return [...this.buckets.values()].sort(bucketOrder);
    this.runs ??= new SortedRuns(this.spilled, this.buckets);
    return this.runs;
  }

  /** Removes the files of buckets on disk. */
  close(): void {
    this.runs?.close();
    for (const f of this.spilled ?? []) f.close();
  }

  /** Before a new bucket: when memory holds MEMORY_BUCKETS, they go to disk (see the class). */
  private makeRoom(): void {
    if (this.buckets.size < this.memoryBuckets || this.spillFailed) return;
    if (this.runs) throw new Error('BucketSet: no buckets can be added once the list was read');
    const parts = byPartition(this.buckets.values());
    try {
      this.spilled ??= spillFiles();
      for (let i = 0; i < PARTITIONS; i++) {
        if (parts[i]!.length === 0) continue;
        this.spilled[i]!.append(parts[i]!);
        // Gone from memory only once on disk: a failed write leaves the rest here.
        for (const b of parts[i]!) this.buckets.delete(b.key);
      }
    } catch {
      this.spillFailed = true;
    }
  }
}

/** A file for each partition; throws (with none left open) when one cannot be made. */
function spillFiles(): Array<SpillFile<Bucket[]>> {
  const files: Array<SpillFile<Bucket[]>> = [];
  try {
    while (files.length < PARTITIONS) files.push(new SpillFile<Bucket[]>('buckets.bin'));
  } catch (e) {
    for (const f of files) f.close();
    throw e;
  }
  return files;
}

/** Chunks of sorted buckets read back in order: a file, or memory when the file failed. */
interface Run {
  rewind(): void;
  next(): Bucket[] | undefined;
  close(): void;
}

class MemoryRun implements Run {
  private at = 0;
  constructor(private readonly chunks: Bucket[][]) {}
  rewind(): void {
    this.at = 0;
  }
  next(): Bucket[] | undefined {
    return this.chunks[this.at++];
  }
  close(): void {}
}

/** A partition's buckets, sorted, in chunks: on disk, or in memory when the disk fails. */
function sortedRun(sorted: readonly Bucket[]): Run {
  const chunks: Bucket[][] = [];
  for (let k = 0; k < sorted.length; k += RUN_CHUNK) chunks.push(sorted.slice(k, k + RUN_CHUNK));
  let file: SpillFile<Bucket[]> | undefined;
  try {
    file = new SpillFile<Bucket[]>('buckets-sorted.bin');
    for (const c of chunks) file.append(c);
    return file;
  } catch {
    file?.close();
    return new MemoryRun(chunks);
  }
}

/** A bucket set's buckets on disk and in memory, merged and sorted (see BucketSet). */
class SortedRuns implements BucketList {
  private readonly runs: Run[] = [];
  readonly length: number;
  readonly reports: number;

  constructor(spilled: ReadonlyArray<SpillFile<Bucket[]>>, inMemory: ReadonlyMap<string, Bucket>) {
    const rest = byPartition(inMemory.values());
    let n = 0;
    let reports = 0;
    for (let i = 0; i < PARTITIONS; i++) {
      // Written first, merged first: a bucket keeps the title and class of its first report.
      const part = new BucketSet(Infinity);
      const file = spilled[i]!;
      file.rewind();
      for (let chunk = file.next(); chunk; chunk = file.next()) for (const b of chunk) part.addBucket(b);
      for (const b of rest[i]!) part.addBucket(b);
      const sorted = part.list();
      if (sorted.length === 0) continue;
      n += sorted.length;
      for (const b of sorted) reports += b.count;
      this.runs.push(sortedRun(sorted));
    }
    this.length = n;
    this.reports = reports;
  }

  *[Symbol.iterator](): Iterator<Bucket> {
    // A k-way merge: the head of each run in a binary heap ordered by bucketOrder.
    const heads = this.runs.map((run) => {
      run.rewind();
      return { run, chunk: run.next() ?? [], at: 0 };
    });
    const heap = heads.filter((h) => h.chunk.length > 0);
    const less = (i: number, j: number): boolean => bucketOrder(heap[i]!.chunk[heap[i]!.at]!, heap[j]!.chunk[heap[j]!.at]!) < 0;
    const down = (i: number): void => {
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(l, m)) m = l;
        if (r < heap.length && less(r, m)) m = r;
        if (m === i) return;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    };
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
    while (heap.length > 0) {
      const top = heap[0]!;
      yield top.chunk[top.at]!;
      if (++top.at === top.chunk.length) {
        top.chunk = top.run.next() ?? [];
        top.at = 0;
        if (top.chunk.length === 0) {
          heap[0] = heap[heap.length - 1]!;
          heap.pop();
        }
      }
      if (heap.length > 0) down(0);
    }
  }

  close(): void {
    for (const run of this.runs) run.close();
  }
}
