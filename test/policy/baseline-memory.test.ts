// `baseline create` reads archives: its builder must not hold the reports it counts, nor views of
// their strings into the input (V8 keeps a substring of 13+ characters as a view of its parent).
import { describe, expect, it } from 'vitest';
import { usedHeapMb } from '../helpers/heap.js';
import { BaselineBuilder } from '../../src/policy/baseline.js';
import type { Report } from '../../src/model/report.js';
import { reportsIn, threeReports } from '../helpers/ci-logs.js';

describe('BaselineBuilder memory', () => {
  it('holds neither the reports nor views into their text', async () => {
    const [warning] = reportsIn(threeReports());
    const builder = new BaselineBuilder();
    const before = usedHeapMb();
    const refs: Array<WeakRef<Report>> = [];
    // In a job of its own: a WeakRef's target lives at least until the job that made it ends.
    await (async () => {
      // ~40 MB of text; each report's title and frame are substrings of it.
      const parts = Array.from({ length: 1_000_000 }, (_, i) => `WARNING in fn_${i}|caller_${i}|`);
      const text = parts.join('');
      for (let i = 0, at = 0; i < parts.length; at += parts[i]!.length, i++) {
        if (i % 500 !== 0) continue;
        const [title, fn] = parts[i]!.split('|') as [string, string];
        const r: Report = structuredClone(warning!);
        r.title = text.substring(at, at + title.length);
        r.frames = [{ ...r.frames[0]!, function: text.substring(at + title.length + 1, at + title.length + 1 + fn.length), reliable: true }];
        builder.add(r);
        refs.push(new WeakRef(r));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(usedHeapMb() - before).toBeLessThan(8);
    expect(refs.filter((w) => w.deref() !== undefined)).toEqual([]);
    const b = builder.finish();
    expect(builder.reports).toBe(2000);
    expect(b.entries).toHaveLength(2000);
    expect(b.entries[0]).toEqual({ key: 'WARNING in fn_0|caller_0', title: 'WARNING in fn_0', crashClass: 'warning', count: 1 });
  });
});
