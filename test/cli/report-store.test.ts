// The CLI's report store (reports of a CI document, on disk past a memory budget): every report
// comes back equal to what was kept, in any order, including reports larger than a write block;
// the file has no name in the temporary directory; a store that cannot make its file keeps reports
// in memory; and a report on disk is not also held in memory.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { ReportStore } from '../../src/cli/report-store.js';
import type { Report } from '../../src/model/report.js';
import { reportsIn, threeReports } from '../helpers/ci-logs.js';
import { usedHeapMb } from '../helpers/heap.js';
import { freshTmpdir, openFiles } from '../helpers/temp-files.js';

const reports = reportsIn(threeReports());

/** A copy of a report with `n` more raw lines (a report of any size, here up to a few MB). */
function grown(r: Report, n: number, tag: number): Report {
  const copy = structuredClone(r);
  copy.index = tag;
  for (let i = 0; i < n; i++) copy.rawLines.push(`[ ${tag}.${i} ] line ${i} of report ${tag} ${'x'.repeat(i % 97)}`);
  return copy;
}

const tmp = freshTmpdir('ktriage-store-test-');
const openFilesIn = (d: string): string[] => openFiles('self', (f) => f.startsWith(`${d}/`));

describe('ReportStore', () => {
  it('gives every report back equal, in any order, from memory and from disk', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(2), fc.nat(6_000)), { minLength: 1, maxLength: 12 }), fc.nat(3), fc.infiniteStream(fc.nat()), (specs, budgetReports, picks) => {
        const kept = specs.map(([which, n], i) => grown(reports[which]!, n, i));
        // A budget that holds the first few reports in memory, then the file.
        const store = new ReportStore(budgetReports * 40_000);
        try {
          const slots = kept.map((r) => store.keep(structuredClone(r)));
          const order = [...slots.keys()];
          const it = picks[Symbol.iterator]();
          for (let i = order.length - 1; i > 0; i--) {
            const j = it.next().value! % (i + 1);
            [order[i], order[j]] = [order[j]!, order[i]!];
          }
          for (const i of [...order, ...order]) expect(store.load(slots[i]!)).toEqual(kept[i]);
        } finally {
          store.close();
        }
      }),
      { numRuns: 25 },
    );
  });

  it('makes its file only past the budget, with no name left in the temporary directory', () => {
    const store = new ReportStore(1);
    const first = store.keep(reports[0]!);
    expect(openFilesIn(tmp())).toEqual([]);
    const second = store.keep(grown(reports[1]!, 50_000, 7)); // larger than a 1 MiB write block
    const third = store.keep(reports[2]!);
    // The file is open, and already removed from the directory: a killed run leaves nothing.
    expect(openFilesIn(tmp())).toEqual([expect.stringMatching(/\/ktriage-reports-\w+\/reports\.bin \(deleted\)$/)]);
    expect(readdirSync(tmp())).toEqual([]);
    expect(store.load(first)).toEqual(reports[0]);
    expect((store.load(second) as Report).rawLines).toHaveLength(reports[1]!.rawLines.length + 50_000);
    expect(store.load(third)).toEqual(reports[2]);
    store.close();
    expect(openFilesIn(tmp())).toEqual([]);
  });

  it('reads every block into the same buffer', () => {
    // A fresh 1 MiB buffer per block was garbage outside V8's heap: -f junit on 340 MB of mail
    // peaked at 199 MiB while it wrote the document, 159 MiB with one buffer (2026-11-28).
    const store = new ReportStore(0);
    const kept = Array.from({ length: 40 }, (_, i) => grown(reports[i % 3]!, 2000, i)); // ~5 MB: several blocks
    const slots = kept.map((r) => store.keep(structuredClone(r)));
    const alloc = vi.spyOn(Buffer, 'allocUnsafe');
    try {
      for (const i of [...slots.keys(), 0, 39, 20]) expect(store.load(slots[i]!)).toEqual(kept[i]);
      expect(alloc.mock.calls.length).toBeLessThanOrEqual(1);
    } finally {
      alloc.mockRestore();
      store.close();
    }
  });

  it('holds no string a kept report was cut from', () => {
    // A report's lines are often slices of a larger string, which V8 keeps whole while a slice
    // lives: a mail message's body, an input chunk. -f junit on 340 MB of mail held ~15 MB of
    // mail bodies through the reports kept in memory (2026-11-28).
    const store = new ReportStore(Infinity);
    const before = usedHeapMb();
    const lineOf = (i: number) => `[ ${i}.000000] line ${i} of a long mail body`;
    const slots = ((): number[] => {
      const body = Array.from({ length: 400_000 }, (_, i) => `${lineOf(i)}\n`).join(''); // ~16 MB
      return Array.from({ length: 50 }, (_, i) => {
        const r = structuredClone(reports[i % 3]!);
        // Lines 8000 i and 8000 i + 1, each a slice of the body.
        const at = body.indexOf(`${lineOf(8000 * i)}\n`);
        const end = body.indexOf('\n', at);
        r.rawLines = [body.slice(at, end), body.slice(end + 1, body.indexOf('\n', end + 1))];
        return store.keep(r);
      });
    })();
    // The body is gone once nothing holds a piece of it.
    expect(usedHeapMb() - before).toBeLessThan(4);
    expect((store.load(slots[1]!) as Report).rawLines).toEqual([lineOf(8000), lineOf(8001)]);
    store.close();
  });

  it('keeps reports in memory when it cannot make its file', () => {
    process.env.TMPDIR = join(tmp(), 'missing', 'dir');
    const store = new ReportStore(0);
    const slots = reports.map((r) => store.keep(r));
    expect(slots.map((slot) => store.load(slot))).toEqual(reports);
    store.close();
  });

  it('does not hold a report it wrote to disk', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const store = new ReportStore(0);
    // A WeakRef's target lives at least until the current job ends: keep it in a job of its own.
    const { ref, slot } = ((): { ref: WeakRef<Report>; slot: number } => {
      const r = grown(reports[0]!, 1000, 1);
      return { ref: new WeakRef(r), slot: store.keep(r) };
    })();
    await new Promise((resolve) => setTimeout(resolve, 0));
    // Twice: v8.serialize's serializer holds what it wrote until a collection frees the serializer.
    gc();
    gc();
    expect(ref.deref()).toBeUndefined();
    expect((store.load(slot) as Report).rawLines).toHaveLength(reports[0]!.rawLines.length + 1000);
    store.close();
  });
});
