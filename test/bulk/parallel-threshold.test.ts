// Default --jobs: workers start only for inputs large enough to pay for their own start-up
// (analyzeParallel's minBytes, set by the CLI when the user gave no --jobs).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { analyzeParallel, inputBytes } from '../../src/bulk/parallel.js';
import type { OutputRecord } from '../../src/model/records.js';
import { runCliCaptured } from '../helpers/cli.js';
import { PARALLEL_MIN_BYTES } from '../../src/cli/commands/analyze.js';

// The real Worker, counted: the test asserts whether any thread was started.
const started = vi.hoisted(() => ({ workers: 0 }));
vi.mock('node:worker_threads', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:worker_threads')>();
  class CountedWorker extends real.Worker {
    constructor(...args: ConstructorParameters<typeof real.Worker>) {
      super(...args);
      started.workers++;
    }
  }
  return { ...real, Worker: CountedWorker };
});

// Two cores whatever the machine, so the CLI's default is --jobs 2 (on a one-core runner it
// would be 1 and the tests below would pass without ever reaching analyzeParallel).
vi.mock('node:os', async (importOriginal) => ({ ...(await importOriginal<typeof import('node:os')>()), availableParallelism: () => 2 }));

// analyzeParallel itself, with its calls recorded (the CLI's options are asserted below).
vi.mock('../../src/bulk/parallel.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/bulk/parallel.js')>();
  return { ...real, analyzeParallel: vi.fn(real.analyzeParallel) };
});

const root = join(import.meta.dirname, '..', '..', 'fixtures');
const demo = readFileSync(join(root, '..', 'examples', 'demo.log'));

async function collect(gen: AsyncGenerator<OutputRecord>): Promise<OutputRecord[]> {
  const out: OutputRecord[] = [];
  for await (const r of gen) out.push(r);
  return out;
}

describe('inputBytes', () => {
  it('adds file sizes, counts a .gz file at four times its size and stdin as nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-bytes-'));
    writeFileSync(join(dir, 'a.log'), demo);
    const gz = gzipSync(demo);
    writeFileSync(join(dir, 'b.log.gz'), gz);
    expect(await inputBytes([dir, '-'])).toBe(demo.length + 4 * gz.length);
    // With a bound, it stops at the first file that reaches it.
    expect(await inputBytes([dir, '-'], 1)).toBe(demo.length);
    // Ctrl-C while it adds up (the default --jobs decides before the run reads anything): it stops.
    const ctl = new AbortController();
    ctl.abort();
    expect(await inputBytes([dir, '-'], Infinity, ctl.signal)).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('analyzeParallel with minBytes', () => {
  const inputs = [join(root, 'mail', 'variants.mbox'), join(root, 'logs', 'arch')];

  it('analyses inputs smaller than minBytes in this thread, with the same records', async () => {
    const single = await collect(analyze(inputs));
    started.workers = 0;
    const out = await collect(analyzeParallel(inputs, { jobs: 2, minBytes: 64 * 1024 * 1024 }));
    expect(started.workers).toBe(0);
    expect(out).toEqual(single);
    expect(single.filter((r) => r.kind === 'report').length).toBeGreaterThan(20);
  });

  it('starts the workers when the inputs reach minBytes, or when no minimum is set', async () => {
    const single = await collect(analyze(inputs));
    started.workers = 0;
    expect(await collect(analyzeParallel(inputs, { jobs: 2, minBytes: 1024 }))).toEqual(single);
    // Two threads: one worker, and this thread.
    expect(started.workers).toBe(1);
    started.workers = 0;
    expect(await collect(analyzeParallel(inputs, { jobs: 2 }))).toEqual(single);
    expect(started.workers).toBe(1);
    started.workers = 0;
    expect(await collect(analyzeParallel(inputs, { jobs: 3 }))).toEqual(single);
    expect(started.workers).toBe(2);
  });
});

describe('the CLI', () => {
  const inputs = [join(root, 'mail', 'variants.mbox'), join(root, 'logs', 'arch')];

  it('starts no worker for small inputs unless --jobs asks for them, and prints the same records', async () => {
    const calls = vi.mocked(analyzeParallel).mock.calls;
    calls.length = 0;
    started.workers = 0;
    const byDefault = await runCliCaptured(['-f', 'jsonl', ...inputs]);
    expect(started.workers).toBe(0);
    // The default (two cores here) goes through analyzeParallel with the 128 MiB minimum ...
    expect(calls).toHaveLength(1);
    expect(calls[0]![1]).toMatchObject({ jobs: 2, minBytes: 128 * 1024 * 1024 });
    expect(PARALLEL_MIN_BYTES).toBe(128 * 1024 * 1024);
    const asked = await runCliCaptured(['-f', 'jsonl', '--jobs', '2', ...inputs]);
    // --jobs 2: a worker, and the main thread.
    expect(started.workers).toBe(1);
    // ... and an explicit --jobs has none.
    expect(calls).toHaveLength(2);
    expect(calls[1]![1]).toMatchObject({ jobs: 2 });
    expect(calls[1]![1].minBytes).toBeUndefined();
    expect(byDefault.code).toBe(1);
    expect(byDefault.stdout).toBe(asked.stdout);
    expect(byDefault.stdout.split('\n').filter((l) => l.startsWith('{"kind":"report"')).length).toBeGreaterThan(20);
  });

  it('runs at most one thread per core, and says so when --jobs asks for more', async () => {
    const calls = vi.mocked(analyzeParallel).mock.calls;
    calls.length = 0;
    started.workers = 0;
    const r = await runCliCaptured(['-f', 'jsonl', '--jobs', '64', ...inputs]);
    expect(calls[0]![1]).toMatchObject({ jobs: 2 });
    expect(started.workers).toBe(1);
    expect(r.stderr).toBe('ktriage: warning: --jobs 64 is more than the 2 cores here: using 2 threads\n');
    // -q: the same run, without the warning.
    expect((await runCliCaptured(['-q', '-f', 'jsonl', '--jobs', '64', ...inputs])).stderr).toBe('');
  });
});
