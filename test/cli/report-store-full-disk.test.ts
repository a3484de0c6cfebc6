// The report store when the disk fills up (its writes fail part way): the reports it wrote stay
// readable, and the report whose write failed and every later one are kept in memory. Its slots
// fall in three runs (memory, file, memory again), and each report must come back from its own.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { reportsIn, threeReports } from '../helpers/ci-logs.js';

const disk = vi.hoisted(() => ({ writesLeft: Infinity }));

vi.mock('../../src/bulk/spill.js', async (importOriginal) => {
  const spill = await importOriginal<typeof import('../../src/bulk/spill.js')>();
  return {
    ...spill,
    writeAll(fd: number, buf: Buffer, at?: number): void {
      if (disk.writesLeft-- <= 0) throw new Error('ENOSPC: no space left on device, write');
      spill.writeAll(fd, buf, at);
    },
  };
});

const { ReportStore } = await import('../../src/cli/report-store.js');
const reports = reportsIn(threeReports());

/** A copy of a report with `n` more raw lines, tagged by its index. */
function grown(r: Report, n: number, tag: number): Report {
  const copy = structuredClone(r);
  copy.index = tag;
  for (let i = 0; i < n; i++) copy.rawLines.push(`[ ${tag}.${i} ] line ${i} of report ${tag}`);
  return copy;
}

afterEach(() => {
  disk.writesLeft = Infinity;
});

/** True when the store gives the same object for `slot` before and after it loads `other`: held in memory. */
function inMemory(store: InstanceType<typeof ReportStore>, slot: number, other: number): boolean {
  const a = store.load(slot);
  store.load(other);
  return store.load(slot) === a;
}

describe('ReportStore on a full disk', () => {
  it('keeps the report whose write failed, and those after it, in memory', () => {
    // 40,000 lines: more than a 1 MiB block, so each is written at once.
    const kept = [grown(reports[0]!, 0, 0), grown(reports[1]!, 40_000, 1), grown(reports[2]!, 40_000, 2), grown(reports[0]!, 40_000, 3), grown(reports[1]!, 10, 4), grown(reports[2]!, 10, 5)];
    disk.writesLeft = 2;
    const store = new ReportStore(1);
    const slots = kept.map((r) => store.keep(r));
    // Slot 0 in memory, 1 and 2 in the file, 3 failed: 3, 4 and 5 in memory (the same object at
    // every load, where a report read from the file is a new one once another was read between).
    expect(inMemory(store, slots[3]!, slots[1]!)).toBe(true);
    expect(inMemory(store, slots[5]!, slots[1]!)).toBe(true);
    expect(inMemory(store, slots[2]!, slots[1]!)).toBe(false);
    for (const i of [2, 1, 0, 5, 4, 3, 1]) expect(store.load(slots[i]!)).toEqual(kept[i]);
    store.close();
  });

  it('reads back the reports still waiting for their write when the write fails', () => {
    // Small reports wait in the write block; the large one makes it flush, and that write fails.
    const kept = [grown(reports[0]!, 0, 0), grown(reports[1]!, 5, 1), grown(reports[2]!, 5, 2), grown(reports[0]!, 40_000, 3), grown(reports[1]!, 0, 4)];
    disk.writesLeft = 0;
    const store = new ReportStore(1);
    const slots = kept.map((r) => store.keep(r));
    expect(inMemory(store, slots[3]!, slots[1]!)).toBe(true);
    for (const i of [4, 2, 1, 0, 3]) expect(store.load(slots[i]!)).toEqual(kept[i]);
    store.close();
  });
});
