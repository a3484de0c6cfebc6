// Past MEMORY_BUCKETS distinct buckets a BucketSet keeps them on disk, spread over files by key,
// and merges them when the list is read. The list must be the one it gives with everything in
// memory: same buckets, counts, dates, versions, examples and findings, same order, and the same
// table text; it can be read twice; when the disk fails the buckets stay in memory; the files go
// at close().
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BucketSet } from '../src/buckets/buckets.js';
import { SpillFile } from '../src/bulk/spill.js';
import { formatBuckets } from '../src/formatters/table.js';
import type { Bucket } from '../src/model/records.js';
import { freshTmpdir, openFiles } from './helpers/temp-files.js';

const tmp = freshTmpdir('ktriage-bucket-spill-test-');

/** Buckets as `ktriage merge` reads them from JSONL: keys repeat, so the same bucket comes in parts. */
const bucketArb: fc.Arbitrary<Bucket> = fc
  .record({
    k: fc.nat(40),
    // The same key may come with another class: the first one seen stays.
    crashClass: fc.constantFrom('warning', 'bug'),
    count: fc.integer({ min: 1, max: 4 }),
    date: fc.option(fc.integer({ min: 1, max: 28 }), { nil: undefined }),
    versions: fc.array(fc.constantFrom('5.10.1', '6.1.0', '6.6.7', '4.19.0'), { maxLength: 3 }),
    examples: fc.array(fc.constantFrom('a.log', 'b.mbox#<1@x>', 'c.log', 'd.log', 'e.log', 'f.log', 'g.log'), { maxLength: 3 }),
    findings: fc.array(fc.record({ detector: fc.constantFrom('wb-reclaim', 'stale-wake'), verdict: fc.constantFrom('affected', 'fixed', 'unknown') }), { maxLength: 2 }),
  })
  .map(({ k, crashClass, count, date, versions, examples, findings }) => {
    const title = `WARNING in fn_${k % 13}`;
    const b: Bucket = { kind: 'bucket', key: `${title}|caller_${k}`, title, crashClass, crashType: 'WARNING', count, kernelVersions: [...new Set(versions)].sort(), examples: [...new Set(examples)].sort(), findings: [] };
    if (date !== undefined) {
      b.firstDate = `2026-01-${String(date).padStart(2, '0')}`;
      b.lastDate = `2026-02-${String(date).padStart(2, '0')}`;
    }
    for (const f of findings) if (!b.findings.some((x) => x.detector === f.detector)) b.findings.push({ detector: f.detector, title: `bug ${f.detector}`, verdicts: [f.verdict] });
    b.findings.sort((x, y) => x.detector.localeCompare(y.detector));
    return b;
  });

function fill(set: BucketSet, buckets: readonly Bucket[]): BucketSet {
  for (const b of buckets) set.addBucket(structuredClone(b));
  return set;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('BucketSet on disk', () => {
  it('lists what it lists in memory, in the same order, read twice', () => {
    fc.assert(
      fc.property(fc.array(bucketArb, { maxLength: 120 }), fc.integer({ min: 1, max: 8 }), (buckets, limit) => {
        const whole = fill(new BucketSet(), buckets).list();
        const set = fill(new BucketSet(limit), buckets);
        try {
          const list = set.sorted();
          expect(list.length).toBe(whole.length);
          expect([...list]).toEqual(whole);
          expect([...list]).toEqual(whole);
        } finally {
          set.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('draws the same table from disk as from memory, past a chunk of rows', () => {
    const buckets = Array.from({ length: 700 }, (_, i): Bucket => ({ kind: 'bucket', key: `BUG in f${i}|g${i}`, title: `BUG in f${i}`, crashClass: 'bug', crashType: 'BUG', count: 1 + (i % 7), kernelVersions: ['6.1.0'], examples: ['x.log'], findings: [] }));
    const set = fill(new BucketSet(50), [...buckets, ...buckets.slice(0, 300)]);
    const text = formatBuckets(set.sorted());
    set.close();
    expect(text).toBe(formatBuckets(fill(new BucketSet(), [...buckets, ...buckets.slice(0, 300)]).list()));
    expect(text).toMatch(/\n700 bucket\(s\), 3\d{3} report\(s\)\n$/);
  });

  it('carries its report total, so the table merges the files twice (widths, text), not three times', () => {
    const buckets = Array.from({ length: 300 }, (_, i): Bucket => ({ kind: 'bucket', key: `BUG in f${i}|g${i}`, title: `BUG in f${i}`, crashClass: 'bug', crashType: 'BUG', count: 1 + (i % 5), kernelVersions: [], examples: ['x.log'], findings: [] }));
    const set = fill(new BucketSet(40), buckets);
    try {
      const list = set.sorted();
      // 60 buckets of each count 1..5: 60 * 15.
      expect(list.reports).toBe(900);
      let passes = 0;
      const counted = {
        length: list.length,
        reports: list.reports,
        *[Symbol.iterator]() {
          passes++;
          yield* list;
        },
      };
      expect(formatBuckets(counted)).toMatch(/\n300 bucket\(s\), 900 report\(s\)\n$/);
      expect(passes).toBe(2);
    } finally {
      set.close();
    }
  });

  it('keeps the buckets in memory when a write fails, and still lists them all once', () => {
    const append = SpillFile.prototype.append;
    let writes = 0;
    vi.spyOn(SpillFile.prototype, 'append').mockImplementation(function (this: SpillFile<unknown>, chunk: unknown) {
      if (++writes > 5) throw new Error('ENOSPC: no space left on device, write');
      append.call(this, chunk);
    });
    const buckets = fc.sample(bucketArb, { numRuns: 400, seed: 7 });
    const set = fill(new BucketSet(10), buckets);
    const list = [...set.sorted()];
    set.close();
    expect(list).toEqual(fill(new BucketSet(), buckets).list());
  });

  it('leaves no file open after close()', () => {
    const set = fill(new BucketSet(2), fc.sample(bucketArb, { numRuns: 50, seed: 3 }));
    const mine = (): string[] => openFiles('self', (f) => f.startsWith(`${tmp()}/`));
    expect(mine().length).toBeGreaterThan(0);
    expect([...set.sorted()].length).toBeGreaterThan(2);
    set.close();
    expect(mine()).toEqual([]);
  });
});
