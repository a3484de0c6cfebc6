// Directories are walked as the run reads them (src/input/sources.ts inputSources): a tree of
// 200,000 logs took 284 MB when every source was made before the first was read.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { analyzeParallel } from '../../src/bulk/parallel.js';
import { inputSources, isSourceProblem } from '../../src/input/sources.js';
import type { OutputRecord } from '../../src/model/records.js';

const demo = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'demo.log'));
const dirs: string[] = [];

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ktriage-walk-'));
  dirs.push(d);
  return d;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function collect(gen: AsyncIterable<OutputRecord>): Promise<OutputRecord[]> {
  const out: OutputRecord[] = [];
  for await (const r of gen) out.push(r);
  return out;
}

/** kind and source of each record, and a report's title: what the order of a run is read from. */
function outline(records: readonly OutputRecord[]): string[] {
  return records.map((r) => [r.kind, 'source' in r ? r.source : '', r.kind === 'report' ? r.title : ''].join(' ').trim());
}

describe('inputSources', () => {
  it('lists a directory only when the walk reaches it', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a', '1.log'), 'x\n');
    writeFileSync(join(dir, 'b', '1.log'), 'x\n');
    const walk = inputSources([dir], Readable.from([]));
    const first = await walk.next();
    expect(first.done === false && !isSourceProblem(first.value) && first.value.name).toBe(join(dir, 'a', '1.log'));
    // Made after the first source was given: a walk that listed the tree first would miss it.
    writeFileSync(join(dir, 'b', '0.log'), 'x\n');
    const rest: string[] = [];
    for await (const item of walk) if (!isSourceProblem(item)) rest.push(item.name);
    expect(rest).toEqual([join(dir, 'b', '0.log'), join(dir, 'b', '1.log')]);
  });
});

describe('a run over a walked directory', () => {
  it.each([1, 2])('gives what the walk could not follow in its place, and a missing named input first (--jobs %i)', async (jobs) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.log'), demo);
    symlinkSync(join(dir, 'a.log'), join(dir, 'b.log'));
    mkdirSync(join(dir, 'c'));
    writeFileSync(join(dir, 'c', 'z.log'), demo);
    const inputs = [dir, join(dir, 'missing.log')];
    const records = await collect(jobs === 1 ? analyze(inputs) : analyzeParallel(inputs, { jobs }));
    expect(outline(records)).toEqual([
      `error ${join(dir, 'missing.log')}`,
      `report ${join(dir, 'a.log')} WARNING in xfs_vm_writepage`,
      `finding ${join(dir, 'a.log')}`,
      `notice ${join(dir, 'b.log')}`,
      `report ${join(dir, 'c', 'z.log')} WARNING in xfs_vm_writepage`,
      `finding ${join(dir, 'c', 'z.log')}`,
      'summary',
    ]);
    expect(records.at(-1)).toMatchObject({ kind: 'summary', sources: 2, reports: 2, errors: 1, notices: 1 });
  });

  it.each([1, 2])('reads a file made in a directory the run has not reached yet (--jobs %i)', async (jobs) => {
    // With --jobs, at most a window of 16 tasks per thread is in flight: 40 files keep the walk
    // out of b/ while the first records come out.
    const dir = tempDir();
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    for (let i = 0; i < 40; i++) writeFileSync(join(dir, 'a', `${String(i).padStart(2, '0')}.log`), demo);
    writeFileSync(join(dir, 'b', '1.log'), demo);
    const run = jobs === 1 ? analyze([dir]) : analyzeParallel([dir], { jobs });
    const first = await run.next();
    expect(first.value).toMatchObject({ kind: 'report', source: join(dir, 'a', '00.log') });
    writeFileSync(join(dir, 'b', '0.log'), demo);
    const rest = await collect(run);
    const sources = rest.filter((r) => r.kind === 'report').map((r) => (r as { source: string }).source);
    expect(sources.slice(-3)).toEqual([join(dir, 'a', '39.log'), join(dir, 'b', '0.log'), join(dir, 'b', '1.log')]);
    expect(rest.at(-1)).toMatchObject({ kind: 'summary', sources: 42, reports: 42 });
  });
});

describe('a run over a directory of small files', () => {
  function smallFiles(n: number, text: Buffer | string): string {
    const dir = tempDir();
    for (let i = 0; i < n; i++) writeFileSync(join(dir, `${String(i).padStart(5, '0')}.log`), text);
    return dir;
  }

  it('lets timers run (the progress bar, an idle flush) while it reads them', async () => {
    // Each file is read at once and analysed in promise callbacks: before the event loop was given
    // a turn between sources, 20,000 example logs ran 12 s without one tick of a timer.
    const dir = smallFiles(1500, '[    1.000000] hello\n');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = Date.now();
    const records = await collect(analyze([dir]));
    const took = Date.now() - started;
    clearInterval(timer);
    expect(records.at(-1)).toMatchObject({ kind: 'summary', sources: 1500, lines: 1500 });
    // A turn at least every 50 ms or so (and one tick a turn at most).
    expect(ticks).toBeGreaterThanOrEqual(Math.min(3, Math.floor(took / 60)));
    expect(ticks).toBeGreaterThan(0);
  });

  it.each([1, 2])('stops at Ctrl-C without opening the files it has not reached (--jobs %i)', async (jobs) => {
    const dir = smallFiles(300, demo);
    const ctl = new AbortController();
    const run = jobs === 1 ? analyze([dir], { signal: ctl.signal }) : analyzeParallel([dir], { jobs, signal: ctl.signal });
    const records: OutputRecord[] = [];
    for await (const r of run) {
      records.push(r);
      ctl.abort();
    }
    const summary = records.at(-1);
    expect(summary?.kind).toBe('summary');
    // --jobs: the tasks already handed out finish (a window of 16 per thread).
    expect((summary as { sources: number }).sources).toBeLessThan(jobs === 1 ? 3 : 60);
    expect((summary as { reports: number }).reports).toBe(records.filter((r) => r.kind === 'report').length);
  });
});
