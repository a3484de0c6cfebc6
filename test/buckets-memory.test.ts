// Buckets outlive the reports they count (--group holds them until the run ends): a bucket must
// not keep the input text its report's strings were cut from. V8 makes a substring of 13 or more
// characters a view into its parent string, and a bucket holding such views of the report's title,
// frames or kernel version held the whole input chunk (--group on 100,000 distinct reports: 262 MB).
import { describe, expect, it } from 'vitest';
import { usedHeapMb } from './helpers/heap.js';
import { analyzeText } from '../src/analyze.js';
import { BucketSet } from '../src/buckets/buckets.js';
import type { Report } from '../src/model/report.js';

const warning = [
  '[   10.000001] WARNING: CPU: 1 PID: 42 at fs/foo/bar.c:123 foo_bar+0x12/0x40 [foo]',
  '[   10.000004] CPU: 1 PID: 42 Comm: kworker/1:1 Not tainted 6.1.12 #1',
  '[   10.000005] RIP: 0010:foo_bar+0x12/0x40 [foo]',
  '[   10.000006] Call Trace:',
  '[   10.000008]  foo_caller+0x20/0x50 [foo]',
  '[   10.000011] ---[ end trace 0000000000000000 ]---',
].join('\n');

describe('BucketSet memory', () => {
  it('keeps copies of the strings it takes from a report, not views into the input', () => {
    const template = analyzeText(warning, 'w.log')[0]!;
    const set = new BucketSet();
    const before = usedHeapMb();
    (() => {
      // ~50 MB of text (one byte a character), and a report per bucket whose title, frame and
      // kernel version are substrings of it.
      const parts = Array.from({ length: 1_000_000 }, (_, i) => `WARNING in fn_${i}|fn_${i}|6.1.${i}-long-version|`);
      const text = parts.join('');
      const starts: number[] = [];
      for (let j = 0, at = 0; j < parts.length; at += parts[j]!.length, j++) starts.push(at);
      for (let i = 0; i < 2000; i++) {
        const r: Report = structuredClone(template);
        const j = i * 500;
        const [title, fn, version] = parts[j]!.split('|') as [string, string, string];
        const at = starts[j]!;
        r.title = text.substring(at, at + title.length);
        const fAt = at + title.length + 1;
        r.frames = [{ ...r.frames[0]!, function: text.substring(fAt, fAt + fn.length), reliable: true }];
        const vAt = fAt + fn.length + 1;
        r.kernelVersion = text.substring(vAt, vAt + version.length);
        expect([r.title, r.frames[0]!.function, r.kernelVersion]).toEqual([title, fn, version]);
        set.addReport(r);
      }
      expect(set.list().length).toBe(2000);
    })();
    // The text is gone once nothing holds a piece of it: the buckets' strings are their own.
    expect(usedHeapMb() - before).toBeLessThan(8);
    expect(set.list()[0]!.kernelVersions[0]).toMatch(/^6\.1\.\d+-long-version$/);
  });
});
