// How the --jobs pool shares tasks between its workers and the main thread (src/bulk/parallel.ts),
// with a stand-in worker whose tasks finish when the test says so.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Pool, type TaskStream } from '../../src/bulk/parallel.js';
import type { Task, TaskResult, ToWorker } from '../../src/bulk/protocol.js';
import type { OutputRecord } from '../../src/model/records.js';
import { withTmpdir } from '../helpers/temp-files.js';

class FakeWorker extends EventEmitter {
  static made: FakeWorker[] = [];
  readonly received: number[] = [];
  constructor() {
    super();
    FakeWorker.made.push(this);
  }
  postMessage(msg: ToWorker): void {
    if (msg.kind !== 'ack') this.received.push(msg.id);
  }
  terminate(): Promise<number> {
    return Promise.resolve(0);
  }
  finish(id: number): void {
    this.emit('message', { kind: 'done', id, records: [], lines: 0, messages: 1, messagesWithReports: 0 } satisfies TaskResult);
  }
}

/** A message task the main thread can analyse for real: three lines of body, no splat. */
function message(id: number): Task {
  const raw = new TextEncoder().encode(`From: a@example.org\nSubject: m${id}\nMessage-ID: <m${id}@example.org>\n\none\ntwo\nthree\n`);
  return { id, kind: 'message', file: 'test.mbox', index: id, lineNo: 1 + id * 8, raw, cut: false };
}

async function resultOf(t: TaskStream): Promise<TaskResult> {
  while (!t.result) await t.changed();
  return t.result;
}

function poolWithFakeWorker(): { pool: Pool; worker: FakeWorker; streams: TaskStream[] } {
  FakeWorker.made = [];
  const pool = new Pool(2, { rules: [] }, FakeWorker as unknown as typeof Worker, {});
  const streams = Array.from({ length: 10 }, (_, i) => pool.submit(message(i), 100));
  return { pool, worker: FakeWorker.made[0]!, streams };
}

describe('Pool', () => {
  it('gives the worker the oldest tasks while it has room, the main thread the newest when it helps', async () => {
    const { pool, worker, streams } = poolWithFakeWorker();
    // Eight tasks fill the worker (WORKER_QUEUE_TASKS); the main thread has taken none.
    expect(worker.received).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(streams[8]!.thread).toBeUndefined();
    // A finished task makes room: the worker takes the oldest waiting task at once.
    worker.finish(0);
    expect(worker.received).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await resultOf(streams[0]!)).toMatchObject({ kind: 'done', id: 0 });
    // Task 1 is due and its worker is busy: the main thread runs the newest waiting task, and
    // when that is done the due task's wait ends, so it can help again.
    let woken = false;
    void streams[1]!.changed().then(() => (woken = true));
    pool.help(streams[1]!);
    expect(streams[9]!.thread).toBeDefined();
    expect(await resultOf(streams[9]!)).toMatchObject({ kind: 'done', id: 9, messages: 1, records: [] });
    await new Promise((resolve) => setImmediate(resolve));
    expect(woken).toBe(true);
    // Nothing waits now: helping starts nothing.
    pool.help(streams[1]!);
    expect(streams.filter((t) => t.thread === undefined)).toEqual([]);
    await pool.close();
  });

  it('starts a worker only when a task waits and the others are full, at most n - 1', async () => {
    FakeWorker.made = [];
    const pool = new Pool(3, { rules: [] }, FakeWorker as unknown as typeof Worker, {});
    const streams = [pool.submit(message(0), 100)];
    expect(FakeWorker.made).toHaveLength(1);
    for (let i = 1; i < 8; i++) streams.push(pool.submit(message(i), 100));
    expect(FakeWorker.made).toHaveLength(1);
    streams.push(pool.submit(message(8), 100));
    expect(FakeWorker.made).toHaveLength(2);
    expect(FakeWorker.made[1]!.received).toEqual([8]);
    // A large task fills a worker on its own (4 MiB): the next one goes to the second worker.
    FakeWorker.made[1]!.finish(8);
    const big = pool.submit(message(9), 8 << 20);
    streams.push(big, pool.submit(message(10), 100));
    expect(FakeWorker.made[1]!.received).toEqual([8, 9]);
    // Both workers are full and --jobs 3 allows two: the task waits for the main thread.
    for (let i = 11; i < 20; i++) streams.push(pool.submit(message(i), 100));
    expect(FakeWorker.made).toHaveLength(2);
    expect(FakeWorker.made[0]!.received).toHaveLength(8);
    expect(streams.filter((t) => t.thread === undefined).map((t) => t.task.id)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    await pool.close();
  });

  it('fails the tasks of a worker that died and runs the rest in the main thread, the due one first', async () => {
    const { pool, worker, streams } = poolWithFakeWorker();
    worker.emit('exit', 1);
    for (let i = 0; i < 8; i++) {
      const res = await resultOf(streams[i]!);
      expect(res.records).toEqual([{ kind: 'error', source: 'test.mbox', line: 1 + i * 8, code: 'input.read-failed', message: 'analysis worker failed: exited with code 1' }]);
    }
    pool.help(streams[8]!);
    // The due task, not the newest: with no worker left nothing else would ever run it.
    expect(streams[8]!.thread).toBeDefined();
    expect(streams[9]!.thread).toBeUndefined();
    expect(await resultOf(streams[8]!)).toMatchObject({ kind: 'done', id: 8, messages: 1 });
    pool.help(streams[9]!);
    expect(await resultOf(streams[9]!)).toMatchObject({ kind: 'done', id: 9, messages: 1 });
    await pool.close();
  });
});

describe('Pool, when no temporary file can be written', () => {
  it('does not stall when the worker died while the main thread runs a later task with many records', async () => {
    // The main thread runs task 2 (not due) and its records cannot go to disk, so they wait in
    // memory; the worker dies, so task 1, now due, can only run in the main thread once task 2
    // is done. Task 2 must not wait for its records to be passed on.
    const demo = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'demo.log'), 'utf8');
    const raw = new TextEncoder().encode(`From: a@example.org\nSubject: many\nMessage-ID: <many@example.org>\n\n${demo.repeat(200)}`);
    await withTmpdir(join(tmpdir(), 'ktriage-missing-dir', 'tmp'), async () => {
      FakeWorker.made = [];
      const pool = new Pool(2, { rules: [] }, FakeWorker as unknown as typeof Worker, {});
      const t0 = pool.submit(message(0), 8 << 20);
      const t1 = pool.submit(message(1), 100);
      const t2 = pool.submit({ id: 2, kind: 'message', file: 'test.mbox', index: 2, lineNo: 17, raw, cut: false }, raw.length);
      expect(FakeWorker.made[0]!.received).toEqual([0]);
      pool.help(t0);
      expect(t2.thread).toBeDefined();
      FakeWorker.made[0]!.emit('exit', 1);
      expect((await resultOf(t0)).records[0]).toMatchObject({ kind: 'error' });
      const done = await Promise.race([resultOf(t2).then(() => 'done'), new Promise((r) => setTimeout(() => r('stalled'), 5000))]);
      expect(done).toBe('done');
      pool.help(t1);
      expect(await resultOf(t1)).toMatchObject({ kind: 'done', id: 1 });
      // Every record of task 2 is still there, in order: 200 reports, each with its finding.
      const records: OutputRecord[] = [];
      for (let c = t2.take(); c; c = t2.take()) records.push(...c);
      records.push(...t2.result!.records);
      expect(records.filter((r) => r.kind === 'report')).toHaveLength(200);
      await pool.close();
    });
  }, 20_000);
});

describe('Pool, under random schedules', () => {
  // Submissions, finishes in any order, worker deaths and the main thread's help, in random
  // sequences. After every step: a waiting task means every live worker is full and no more may
  // start; the main thread holds at most one task; and in the end every task has exactly its own
  // result, an error one only if its worker died holding it.
  type Op = { kind: 'submit'; big: boolean } | { kind: 'finish'; worker: number; pick: number } | { kind: 'kill'; worker: number } | { kind: 'help'; wait: boolean };
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('submit' as const), big: fc.boolean() }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('finish' as const), worker: fc.nat(3), pick: fc.nat(20) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('kill' as const), worker: fc.nat(3) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('help' as const), wait: fc.boolean() }) },
  );

  it('keeps workers busy, runs every task once and loses none', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 4 }), fc.array(op, { minLength: 20, maxLength: 80 }), async (n, ops) => {
        FakeWorker.made = [];
        const pool = new Pool(n, { rules: [] }, FakeWorker as unknown as typeof Worker, {});
        const streams: TaskStream[] = [];
        const sizes = new Map<number, number>();
        const held = new Map<FakeWorker, Set<number>>();
        const dead = new Set<FakeWorker>();
        const diedHolding = new Set<number>();
        const holding = (w: FakeWorker) => {
          const h = held.get(w) ?? new Set(w.received);
          for (const id of w.received) if (!h.has(id) && !streams[id]!.result) h.add(id);
          held.set(w, h);
          return h;
        };
        const check = () => {
          const waiting = streams.filter((t) => t.thread === undefined);
          if (waiting.length > 0) {
            expect(FakeWorker.made).toHaveLength(n - 1);
            for (const w of FakeWorker.made) {
              if (dead.has(w)) continue;
              const h = holding(w);
              const bytes = [...h].reduce((a, id) => a + sizes.get(id)!, 0);
              expect(h.size >= 8 || bytes >= 4 << 20).toBe(true);
            }
          }
          const onMain = streams.filter((t) => t.thread !== undefined && !FakeWorker.made.includes(t.thread as unknown as FakeWorker) && !t.result);
          expect(onMain.length).toBeLessThanOrEqual(1);
        };
        const due = () => streams.find((t) => !t.result);
        for (const o of ops) {
          if (o.kind === 'submit') {
            const id = streams.length;
            const size = o.big ? 5 << 20 : 100;
            sizes.set(id, size);
            streams.push(pool.submit(message(id), size));
          } else if (o.kind === 'finish' || o.kind === 'kill') {
            const w = FakeWorker.made[o.worker % Math.max(1, FakeWorker.made.length)];
            if (!w || dead.has(w)) continue;
            const h = [...holding(w)];
            if (o.kind === 'kill') {
              dead.add(w);
              for (const id of h) diedHolding.add(id);
              held.set(w, new Set());
              w.emit('exit', 1);
            } else if (h.length > 0) {
              const id = h[o.pick % h.length]!;
              holding(w).delete(id);
              w.finish(id);
            }
          } else {
            const t = due();
            if (t) pool.help(t);
            // The main thread's task runs for real: it may finish before the next step, or run on.
            const mine = streams.find((s) => s.thread !== undefined && !FakeWorker.made.includes(s.thread as unknown as FakeWorker) && !s.result);
            if (mine && o.wait) await resultOf(mine);
          }
          check();
        }
        // The end of the run: workers finish what they hold, the main thread helps until all is done.
        for (let t = due(); t; t = due()) {
          for (const w of FakeWorker.made) if (!dead.has(w)) for (const id of [...holding(w)]) {
            holding(w).delete(id);
            w.finish(id);
          }
          pool.help(t);
          const mine = streams.find((s) => s.thread !== undefined && !FakeWorker.made.includes(s.thread as unknown as FakeWorker) && !s.result);
          if (mine) await resultOf(mine);
          check();
        }
        for (const [id, t] of streams.entries()) {
          expect(t.result!.id).toBe(id);
          const failed = t.result!.records.some((r) => r.kind === 'error');
          expect(failed).toBe(diedHolding.has(id));
        }
        await pool.close();
      }),
      { numRuns: 80 },
    );
  });
});
