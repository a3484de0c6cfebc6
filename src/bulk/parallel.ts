// --jobs N: spreads sources over worker threads. An mbox is split into messages
// here and the messages go to the workers; other files go whole. Records come
// out in input order whatever N is; at most a window of tasks is in flight, so
// memory stays bounded.
// Only the type: node:worker_threads (with the perf_hooks it loads, ~3 ms of a small run's
// start-up) is imported when workers start.
import type { Worker } from 'node:worker_threads';
import { analyzeSources, countRecord, countedSource, startRun, type AnalyzeOptions } from '../analyze.js';
import type { Source } from '../input/sources.js';
import { resolveInput } from '../input/input-format.js';
import { splitMbox } from '../mail/mbox.js';
import type { OutputRecord, Summary } from '../model/records.js';
import { CHUNK_CREDIT, type FromWorker, type Task, type TaskResult, type ToWorker, type WorkerSetup } from './protocol.js';
import { SpillFile } from './spill.js';
import { createTaskRunner, taskOptions, type TaskRunner } from './task-runner.js';
import { EventEmitter } from 'node:events';
import { peekStream } from '../input/peek.js';
import { stat } from 'node:fs/promises';

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/**
 * The worker script. Under vitest this module runs from src/*.ts, but a worker
 * thread needs JavaScript, so tests use the build (npm test runs tsc first).
 */
function workerUrl(): URL {
  if (import.meta.url.endsWith('.ts')) return new URL('../../dist/bulk/worker.js', import.meta.url);
  return new URL('./worker.js', import.meta.url);
}

/**
 * The young generation of each worker's V8 heap (three semi-spaces). With Node's default, two
 * workers and the main thread peaked at 299-302 MB on the bench's 1 GB mbox, 286-298 MB on 223 MB
 * of mail and 223-225 MB on two 100 MB logs; with 24 MB at 267-272, 257-260 and 190-192 MB, at the
 * same speed within the noise (3 alternating runs each, 2026-11-27: 1 GB mbox 77.3 vs 78.7 s
 * median). 16 MB saved no more here, and had been 11-15% slower on the 1 GB mbox before.
 */
const WORKER_YOUNG_GENERATION_MB = 24;

/** The result of a task no worker could run: one error record where its records belong, so the run goes on. */
function failedResult(task: Task, message: string): TaskResult {
  const where = task.kind === 'file' ? { source: task.path } : { source: task.file, line: task.lineNo };
  const rec: OutputRecord = { kind: 'error', ...where, code: 'input.read-failed', message };
  return { kind: 'done', id: task.id, records: [rec], lines: 0, messages: task.kind === 'message' ? 1 : 0, messagesWithReports: 0 };
}

/** What the caller keeps about a task besides the task itself. */
interface TaskExtra {
  /** Message bytes the task holds in flight (see MAX_IN_FLIGHT_BYTES). */
  bytes?: number;
  /** Called once the task's records have all been passed on (progress). */
  onDone?: () => void;
}

/** A thread of the pool as the main thread sees it: a worker, or the main thread itself. */
interface AnalysisThread {
  postMessage(msg: ToWorker, transfer?: readonly ArrayBuffer[]): void;
  terminate(): Promise<number>;
  on(event: 'message', listener: (msg: FromWorker) => void): unknown;
  on(event: 'error', listener: (e: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
}

/**
 * The main thread as one of the pool's threads. It runs its tasks between its other work
 * (splitting the mbox, passing records on), which leaves it idle most of the time otherwise:
 * 14.5 s of a 19 s run with two workers on 223 MB of mail. Each worker thread is a V8 instance
 * of its own (~50 MB more peak RSS each on that mail), so --jobs N starts N - 1 of them.
 * Its messages arrive a turn of the event loop later, in order, as a worker's do.
 */
class MainThread extends EventEmitter {
  private readonly runner: TaskRunner;

  constructor(opts: AnalyzeOptions) {
    super();
    this.runner = createTaskRunner(opts, (msg) => setImmediate(() => this.emit('message', msg)));
  }

  postMessage(msg: ToWorker): void {
    this.runner.receive(msg);
  }

  terminate(): Promise<number> {
    return Promise.resolve(0);
  }
}

/** One task's records as the worker posts them, then its result. */
class TaskStream {
  private readonly chunks: OutputRecord[][] = [];
  /** Where the chunks go once the task is behind and its worker would otherwise wait. */
  private spill: SpillFile | undefined;
  /** Creating or writing the spill file failed: chunks stay in memory (the worker waits, as without spilling). */
  private spillFailed = false;
  private discarded = false;
  result: TaskResult | undefined;
  /** Its records are being passed on (the oldest task in flight). */
  due = false;
  private wake: (() => void) | undefined;

  constructor(
    readonly task: Task,
    readonly worker: AnalysisThread | undefined,
    readonly extra: TaskExtra = {},
  ) {}

  push(records: OutputRecord[]): void {
    if (this.discarded) return;
    if (!this.spill && !this.spillFailed && !this.due && this.chunks.length + 1 >= CHUNK_CREDIT) {
      // The worker is about to wait for a task that is not due: keep its records on disk instead.
      try {
        this.spill = new SpillFile(`task-${this.task.id}.bin`);
        for (const c of this.chunks.splice(0)) this.toSpill(c);
      } catch {
        // No temporary directory to write to: the records stay here and the worker waits.
        this.spillFailed = true;
      }
    }
    if (this.spill) this.toSpill(records);
    else this.chunks.push(records);
    this.notify();
  }

  /** The next chunk, in the order the worker posted them. */
  take(): OutputRecord[] | undefined {
    if (this.spill) {
      const c = this.spill.next();
      if (c) return c;
      this.spill.close();
      this.spill = undefined;
    }
    const c = this.chunks.shift();
    if (c) this.ack();
    return c;
  }

  finish(result: TaskResult): void {
    this.result ??= result;
    this.notify();
  }

  /** Resolves when a chunk or the result arrives. */
  changed(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  /** Removes the spill file of a task whose records will not be read (the run was stopped); later chunks are dropped. */
  discard(): void {
    this.discarded = true;
    this.spill?.close();
    this.spill = undefined;
  }

  /** Writes a chunk to the spill file, or keeps it here (unacknowledged) once writing has failed. */
  private toSpill(records: OutputRecord[]): void {
    if (!this.spillFailed) {
      try {
        this.spill!.append(records);
        this.ack();
        return;
      } catch {
        // A full disk: what was written is read back first, the rest waits here in order.
        this.spillFailed = true;
      }
    }
    this.chunks.push(records);
  }

  /** Lets the worker post more of this task (see protocol.ts). */
  private ack(): void {
    this.worker?.postMessage({ kind: 'ack', id: this.task.id } satisfies ToWorker);
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

class Pool {
  private readonly workers: AnalysisThread[] = [];
  /** The tasks given to a worker and not finished. */
  private readonly streams = new Map<number, TaskStream>();
  private next = 0;
  private started = false;
  private readonly n: number;
  private readonly setup: WorkerSetup;

  constructor(
    n: number,
    setup: WorkerSetup,
    private readonly WorkerClass: typeof Worker,
    /** Options for the main thread's own tasks; without them all n threads are workers. */
    private readonly mainOpts?: AnalyzeOptions,
  ) {
    this.n = n;
    this.setup = setup;
  }

  /** A failed task still yields a result (see failedResult), after any records it posted. */
  private fail(id: number, message: string): void {
    const t = this.streams.get(id);
    if (!t) return;
    this.streams.delete(id);
    t.finish(failedResult(t.task, message));
  }

  /** Workers start on the first task, so a run that needs none starts none. */
  private start(): void {
    const { n, setup, mainOpts } = this;
    const threads: AnalysisThread[] = [];
    for (let i = mainOpts ? 1 : 0; i < n; i++) {
      threads.push(new this.WorkerClass(workerUrl(), { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } }));
    }
    if (mainOpts) threads.push(new MainThread(mainOpts));
    for (const w of threads) {
      w.on('message', (msg: FromWorker) => {
        if (msg.kind === 'error') return this.fail(msg.id, msg.error);
        const t = this.streams.get(msg.id);
        if (!t) return;
        if (msg.kind === 'chunk') return t.push(msg.records);
        this.streams.delete(msg.id);
        t.finish(msg);
      });
      // A worker that dies fails the tasks it held and leaves the pool; the others carry on.
      const died = (why: string) => {
        const i = this.workers.indexOf(w);
        if (i >= 0) this.workers.splice(i, 1);
        for (const [id, t] of this.streams) if (t.worker === w) this.fail(id, `analysis worker failed: ${why}`);
      };
      w.on('error', (e) => died(e.message));
      w.on('exit', (code) => died(`exited with code ${code}`));
      this.workers.push(w);
    }
  }

  /**
   * The worker with the fewest unfinished tasks (the next in turn among equals). Dealt in turn,
   * one worker's queue could hold a large message while the other ran out of work: once the window
   * of tasks is full, nothing new is dealt until the oldest task is done.
   */
  private pick(): AnalysisThread | undefined {
    // Counted from the tasks in flight (at most the window of tasks).
    const unfinished = new Map<AnalysisThread, number>();
    for (const t of this.streams.values()) if (t.worker) unfinished.set(t.worker, (unfinished.get(t.worker) ?? 0) + 1);
    const n = this.workers.length;
    let best: AnalysisThread | undefined;
    let bestCount = Infinity;
    for (let k = 0; k < n; k++) {
      const w = this.workers[(this.next + k) % n]!;
      const c = unfinished.get(w) ?? 0;
      if (c < bestCount) {
        best = w;
        bestCount = c;
      }
    }
    this.next++;
    return best;
  }

  run(task: Task, extra: TaskExtra = {}): TaskStream {
    if (!this.started) {
      this.started = true;
      this.start();
    }
    const w = this.pick();
    const t = new TaskStream(task, w, extra);
    if (!w) {
      t.finish(failedResult(task, 'no analysis worker left'));
      return t;
    }
    this.streams.set(task.id, t);
    if (task.kind === 'message') w.postMessage(task, [task.raw.buffer as ArrayBuffer]);
    else w.postMessage(task);
    return t;
  }

  async close(): Promise<void> {
    const all = [...this.workers];
    this.workers.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }
}

/** Raw message bytes the main thread lets be in flight at once (besides the window of tasks). */
const MAX_IN_FLIGHT_BYTES = 32 * 1024 * 1024;

export interface ParallelOptions extends AnalyzeOptions {
  jobs: number;
  /**
   * When the inputs add up to fewer bytes than this (see inputBytes), they are analysed in this
   * thread and no worker starts. Unset: workers whatever the size (the user asked for --jobs).
   */
  minBytes?: number;
  /** Rule files (already read), for the workers' detectors. */
  ruleTexts?: Array<{ file: string; text: string }>;
}

// gzip shrinks kernel logs and mail about 3.5-4x (the shared mail samples: 31 MB -> 111 MB).
const GZIP_RATIO = 4;

/**
 * The bytes the sources will give, as far as a stat tells: a file's size (times GZIP_RATIO for a
 * name ending in .gz: this is an estimate, and reading the magic bytes of every file would cost
 * more than it is worth); stdin and pipes count nothing (they are analysed in the main thread
 * anyway). Stops adding (and statting) once the total reaches `enough`.
 */
export async function inputBytes(sources: readonly Source[], enough = Infinity): Promise<number> {
  let total = 0;
  for (const src of sources) {
    if (total >= enough) break;
    if (src.stream) continue;
    const size = await fileSize(src.name);
    total += src.name.toLowerCase().endsWith('.gz') ? size * GZIP_RATIO : size;
  }
  return total;
}

/** Like analyze(), with the work spread over `jobs` worker threads. */
export async function* analyzeParallel(inputs: readonly string[], opts: ParallelOptions): AsyncGenerator<OutputRecord> {
  const { sources, summary, problems } = await startRun(inputs, opts);
  yield* problems;
  if (opts.minBytes !== undefined && (await inputBytes(sources, opts.minBytes)) < opts.minBytes) {
    // As analyze() does: every worker would first spend its own start-up and compilation.
    yield* analyzeSources(sources, opts, summary);
    return;
  }
  const setup: WorkerSetup = { rules: opts.ruleTexts ?? [] };
  if (opts.maxLineBytes !== undefined) setup.maxLineBytes = opts.maxLineBytes;
  if (opts.inputFormat !== undefined) setup.inputFormat = opts.inputFormat;
  // The main thread's tasks get what a worker's get (worker.ts builds them from the same setup).
  const pool = new Pool(opts.jobs, setup, (await import('node:worker_threads')).Worker, taskOptions(setup, opts.detectors));
  const window = opts.jobs * 16;
  // Message bytes in flight are bounded too: six 31 MB messages fit in the window, and with
  // every one copied, sent and decoded at once --jobs 2 peaked at 800 MB.
  let inFlightBytes = 0;
  const pending: TaskStream[] = [];
  let id = 0;
  function* emitRecords(records: readonly OutputRecord[]): Generator<OutputRecord> {
    for (const r of records) {
      countRecord(summary, r);
      yield r;
    }
  }
  /** The task's records in order as they arrive (each chunk acknowledged as it is passed on), then its counts. */
  async function* emit(t: TaskStream): AsyncGenerator<OutputRecord> {
    t.due = true;
    for (;;) {
      const chunk = t.take();
      if (chunk) {
        yield* emitRecords(chunk);
        continue;
      }
      const res = t.result;
      if (!res) {
        await t.changed();
        continue;
      }
      summary.lines += res.lines;
      summary.messages += res.messages;
      summary.messagesWithReports += res.messagesWithReports;
      if (res.messages > 0) opts.onMessages?.(res.messages);
      yield* emitRecords(res.records);
      t.extra.onDone?.();
      return;
    }
  }
  async function* drain(keep: number): AsyncGenerator<OutputRecord> {
    while (pending.length > keep || (pending.length > 0 && inFlightBytes > MAX_IN_FLIGHT_BYTES)) {
      // Left in `pending` while it is passed on, so a run stopped meanwhile still discards it.
      const t = pending[0]!;
      yield* emit(t);
      pending.shift();
      inFlightBytes -= t.extra.bytes ?? 0;
    }
  }
  try {
    for (const src of sources) {
      if (src.stream) {
        // stdin or a pipe cannot be shared with a worker (it can be read once): analysed here, after what is queued.
        yield* drain(0);
        yield* countedSource(src, opts, summary);
        continue;
      }
      yield* queueSource(src);
    }
    yield* drain(0);
  } finally {
    for (const t of pending) t.discard();
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
    const mbox = resolveInput(head, opts.inputFormat).kind === 'mbox';
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
      pending.push(pool.run({ id: id++, kind: 'file', path: src.name }, { onDone: () => opts.onBytes?.(Math.max(0, size - counted)) }));
      yield* drain(window);
      return;
    }
    for await (const m of splitMbox(stream)) {
      // The bytes are transferred to the worker, not copied: splitMbox gives each message its own
      // copy, whose memory is its alone unless it is small enough to sit in Node's buffer pool.
      const own = m.raw.byteOffset === 0 && m.raw.byteLength === m.raw.buffer.byteLength;
      const raw = own ? new Uint8Array(m.raw.buffer) : new Uint8Array(m.raw);
      // The size is kept: sending the bytes to the worker detaches them here.
      const bytes = raw.byteLength;
      inFlightBytes += bytes;
      pending.push(pool.run({ id: id++, kind: 'message', file: src.name, index: m.index, lineNo: m.lineNo, raw, cut: m.cut }, { bytes }));
      yield* drain(window);
    }
  }
}

export type { Summary };
