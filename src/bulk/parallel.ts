// --jobs N: spreads sources over worker threads. An mbox is split into messages
// here and the messages go to the workers; other files go whole. Records come
// out in input order whatever N is; at most a window of tasks is in flight, so
// memory stays bounded.
import { Worker } from 'node:worker_threads';
import { countRecord, countedSource, startRun, type AnalyzeOptions } from '../analyze.js';
import type { Source } from '../input/sources.js';
import { sniffInput } from '../input/sniff.js';
import { splitMbox } from '../mail/mbox.js';
import type { OutputRecord, Summary } from '../model/records.js';
import type { Task, TaskResult, WorkerSetup } from './protocol.js';
import { peekStream } from '../input/peek.js';
import { stat } from 'node:fs/promises';

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

type Pending = Promise<TaskResult>;

/**
 * The worker script. Under vitest this module runs from src/*.ts, but a worker
 * thread needs JavaScript, so tests use the build (npm test runs tsc first).
 */
function workerUrl(): URL {
  if (import.meta.url.endsWith('.ts')) return new URL('../../dist/bulk/worker.js', import.meta.url);
  return new URL('./worker.js', import.meta.url);
}

/** The result of a task no worker could run: one error record where its records belong, so the run goes on. */
function failedResult(task: Task, message: string): TaskResult {
  const where = task.kind === 'file' ? { source: task.path } : { source: task.file, line: task.lineNo };
  const rec: OutputRecord = { kind: 'error', ...where, code: 'input.read-failed', message };
  return { id: task.id, records: [rec], lines: 0, messages: task.kind === 'message' ? 1 : 0, messagesWithReports: 0 };
}

class Pool {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, { task: Task; worker: Worker; resolve: (r: TaskResult) => void }>();
  private next = 0;
  private started = false;
  private readonly n: number;
  private readonly setup: WorkerSetup;

  constructor(n: number, setup: WorkerSetup) {
    this.n = n;
    this.setup = setup;
  }

  /** A failed task still yields a result (see failedResult). */
  private fail(id: number, message: string): void {
    const p = this.waiting.get(id);
    if (!p) return;
    this.waiting.delete(id);
    p.resolve(failedResult(p.task, message));
  }

  /** Workers start on the first task, so a run that needs none starts none. */
  private start(): void {
    const { n, setup } = this;
    for (let i = 0; i < n; i++) {
      const w = new Worker(workerUrl(), { workerData: setup });
      w.on('message', (msg: TaskResult | { id: number; error: string }) => {
        if ('error' in msg) return this.fail(msg.id, msg.error);
        const p = this.waiting.get(msg.id);
        if (!p) return;
        this.waiting.delete(msg.id);
        p.resolve(msg);
      });
      // A worker that dies fails the tasks it held and leaves the pool; the others carry on.
      const died = (why: string) => {
        const i = this.workers.indexOf(w);
        if (i >= 0) this.workers.splice(i, 1);
        for (const [id, p] of this.waiting) if (p.worker === w) this.fail(id, `analysis worker failed: ${why}`);
      };
      w.on('error', (e) => died(e.message));
      w.on('exit', (code) => died(`exited with code ${code}`));
      this.workers.push(w);
    }
  }

  run(task: Task): Pending {
    if (!this.started) {
      this.started = true;
      this.start();
    }
    const w = this.workers[this.next++ % Math.max(1, this.workers.length)];
    return new Promise<TaskResult>((resolve) => {
      if (!w) {
        resolve(failedResult(task, 'no analysis worker left'));
        return;
      }
      this.waiting.set(task.id, { task, worker: w, resolve });
      if (task.kind === 'message') w.postMessage(task, [task.raw.buffer as ArrayBuffer]);
      else w.postMessage(task);
    });
  }

  async close(): Promise<void> {
    const all = [...this.workers];
    this.workers.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }
}

export interface ParallelOptions extends AnalyzeOptions {
  jobs: number;
  /** Rule files (already read), for the workers' detectors. */
  ruleTexts?: Array<{ file: string; text: string }>;
}

/** Like analyze(), with the work spread over `jobs` worker threads. */
export async function* analyzeParallel(inputs: readonly string[], opts: ParallelOptions): AsyncGenerator<OutputRecord> {
  const { sources, summary, problems } = await startRun(inputs, opts);
  yield* problems;
  const setup: WorkerSetup = { rules: opts.ruleTexts ?? [] };
  if (opts.maxLineBytes !== undefined) setup.maxLineBytes = opts.maxLineBytes;
  const pool = new Pool(opts.jobs, setup);
  const window = opts.jobs * 16;
  const pending: Pending[] = [];
  let id = 0;
  function* emit(res: TaskResult): Generator<OutputRecord> {
    summary.lines += res.lines;
    summary.messages += res.messages;
    summary.messagesWithReports += res.messagesWithReports;
    if (res.messages > 0) opts.onMessages?.(res.messages);
    for (const r of res.records) {
      countRecord(summary, r);
      yield r;
    }
  }
  async function* drain(keep: number): AsyncGenerator<OutputRecord> {
    while (pending.length > keep) yield* emit(await pending.shift()!);
  }
  try {
    for (const src of sources) {
      if (src.name === '-') {
        // stdin cannot be shared with a worker: analysed here, after what is queued.
        yield* drain(0);
        yield* countedSource(src, opts, summary);
        continue;
      }
      yield* queueSource(src);
    }
    yield* drain(0);
  } finally {
    await pool.close();
  }
  yield summary;

  async function* queueSource(src: Source): AsyncGenerator<OutputRecord> {
    let head: Buffer;
    let stream;
    // Raw bytes the main thread read while sniffing; the worker's share is the rest of the file.
    let readHere = 0;
    const onBytes = (n: number) => {
      readHere += n;
      opts.onBytes?.(n);
    };
    try {
      ({ head, stream } = await peekStream(await src.open(onBytes)));
    } catch (e) {
      // The worker reports the error in the same words as the single-threaded path.
      pending.push(pool.run({ id: id++, kind: 'file', path: src.name }));
      yield* drain(window);
      return;
    }
    const mbox = sniffInput(head) === 'mbox';
    if (!mbox && sources.length === 1) {
      // One log or message: a worker would add only start-up and copying, and the
      // records would no longer stream. Analysed here.
      yield* countedSource(src, opts, summary, { head, stream });
      return;
    }
    if (!mbox) {
      stream.destroy();
      const size = await fileSize(src.name);
      const counted = readHere;
      pending.push(pool.run({ id: id++, kind: 'file', path: src.name }).then((r) => (opts.onBytes?.(Math.max(0, size - counted)), r)));
      yield* drain(window);
      return;
    }
    for await (const m of splitMbox(stream)) {
      const raw = new Uint8Array(m.raw.length);
      raw.set(m.raw);
      pending.push(pool.run({ id: id++, kind: 'message', file: src.name, index: m.index, lineNo: m.lineNo, raw, cut: m.cut }));
      yield* drain(window);
    }
  }
}

export type { Summary };
