// Buckets: the same bug with different addresses, offsets, PIDs, CPUs, times and
// line numbers lands in one bucket; split runs merge to the same buckets.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../src/analyze.js';
import { BucketSet, bucketKey } from '../src/buckets/buckets.js';
import { bucketSchema } from '../src/model/records.js';
import { runCliCaptured } from './helpers/cli.js';

// Hand-written v6.1 x86-64 WARNING; the second copy differs in everything that varies between runs.
const a = [
  '[   10.000001] WARNING: CPU: 1 PID: 42 at fs/foo/bar.c:123 foo_bar+0x12/0x40 [foo]',
  '[   10.000004] CPU: 1 PID: 42 Comm: kworker/1:1 Not tainted 6.1.12 #1',
  '[   10.000005] RIP: 0010:foo_bar+0x12/0x40 [foo]',
  '[   10.000006] Call Trace:',
  '[   10.000008]  foo_caller+0x20/0x50 [foo]',
  '[   10.000009]  process_one_work+0x1c7/0x380',
  '[   10.000011] ---[ end trace 0000000000000000 ]---',
].join('\n');
const b = a
  .replace(/10\.0000/g, '77.1234')
  .replace(/CPU: 1 PID: 42/g, 'CPU: 3 PID: 977')
  .replace('bar.c:123', 'bar.c:131')
  .replace(/0x12\/0x40/g, '0x1a/0x48')
  .replace('0x20/0x50', '0x24/0x50')
  .replace('kworker/1:1', 'kworker/3:0')
  .replace('6.1.12', '6.1.30');
const c = a.replace(' foo_caller+0x20/0x50 [foo]', ' other_caller+0x20/0x50 [foo]');

describe('bucketKey', () => {
  it('survives addresses, offsets, PIDs, CPUs, times and line numbers', () => {
    const [ra] = analyzeText(a);
    const [rb] = analyzeText(b);
    expect(ra!.title).toBe('WARNING in foo_bar');
    // The faulting function is in the title; the key adds the top frames of the call trace.
    expect(bucketKey(ra!)).toBe('WARNING in foo_bar|foo_caller,process_one_work');
    expect(bucketKey(rb!)).toBe(bucketKey(ra!));
  });

  it('separates the same title reached from different callers', () => {
    expect(bucketKey(analyzeText(c)[0]!)).not.toBe(bucketKey(analyzeText(a)[0]!));
  });
});

describe('BucketSet', () => {
  it('counts, keeps kernel versions and merges buckets of split runs', () => {
    const whole = new BucketSet();
    const part1 = new BucketSet();
    const part2 = new BucketSet();
    for (const [i, t] of [a, b, c, a].entries()) {
      const r = analyzeText(t, `log${i}`)[0]!;
      whole.addReport(r);
      (i < 2 ? part1 : part2).addReport(r);
    }
    const merged = new BucketSet();
    for (const bk of [...part1.list(), ...part2.list()]) merged.addBucket(bucketSchema.parse(JSON.parse(JSON.stringify(bk))));
    expect(merged.list()).toEqual(whole.list());
    const top = whole.list()[0]!;
    expect(top).toMatchObject({ count: 3, title: 'WARNING in foo_bar', kernelVersions: ['6.1.12', '6.1.30'], examples: ['log0', 'log1', 'log3'] });
  });
});

describe('ktriage --group and ktriage merge', () => {
  it('merging the JSONL of two halves gives the buckets of the whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-merge-'));
    writeFileSync(join(dir, 'one.log'), `${a}\n${c}\n`);
    writeFileSync(join(dir, 'two.log'), `${b}\n`);
    const whole = await runCliCaptured(['--group', '--format', 'jsonl', join(dir, 'one.log'), join(dir, 'two.log')]);
    const h1 = await runCliCaptured(['--group', '--format', 'jsonl', join(dir, 'one.log')]);
    const h2 = await runCliCaptured(['--group', '--format', 'jsonl', join(dir, 'two.log')]);
    writeFileSync(join(dir, 'h1.jsonl'), h1.stdout);
    writeFileSync(join(dir, 'h2.jsonl'), h2.stdout);
    const merged = await runCliCaptured(['merge', '--format', 'jsonl', join(dir, 'h1.jsonl'), join(dir, 'h2.jsonl')]);
    const buckets = (out: string) => out.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; examples: string[] }).filter((r) => r.kind === 'bucket');
    expect(buckets(merged.stdout)).toEqual(buckets(whole.stdout));
    expect(buckets(whole.stdout).map((x) => (x as unknown as { count: number }).count)).toEqual([2, 1]);
    expect(merged.code).toBe(1);
  });

  it('merge rejects a line that is not a ktriage record, naming file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-merge-'));
    writeFileSync(join(dir, 'bad.jsonl'), '{"kind":"summary","schemaVersion":1}\nnot json\n');
    const r = await runCliCaptured(['merge', join(dir, 'bad.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.jsonl:1: not a ktriage record/);
  });

  it.each([
    ['a missing file', (dir: string) => join(dir, 'missing.jsonl'), 'no such file or directory'],
    ['a directory', (dir: string) => dir, 'is a directory'],
  ])('merge names %s that cannot be read, with no stack trace', (_what, path, reason) => {
    // The read stream's error once went unhandled: Node printed its stack and exited with 1.
    const file = path(mkdtempSync(join(tmpdir(), 'ktriage-merge-')));
    const r = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'bin', 'ktriage.js'), 'merge', file], { encoding: 'utf8' });
    expect(r.stderr).toBe(`ktriage: ${file}: ${reason}\n`);
    expect(r.status).toBe(2);
  });
});
