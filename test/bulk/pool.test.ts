// How the --jobs pool shares tasks between its workers and the main thread (src/bulk/parallel.ts),
// with a stand-in worker whose tasks finish when the test says so.
import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Pool, type TaskStream } from '../../src/bulk/parallel.js';
import type { Task, TaskResult, ToWorker } from '../../src/bulk/protocol.js';

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
