// --jobs N: spreads sources over worker threads. An mbox is split into messages
// here and the messages go to the workers; other files go whole. Records come
// out in input order whatever N is; at most a window of tasks is in flight, so
// memory stays bounded.
// Only the type: node:worker_threads (with the perf_hooks it loads, ~3 ms of a small run's
// start-up) is imported when workers start.
import type { Worker } from 'node:worker_threads';
import { analyzeSources, countRecord, countedSource, emptySummary, runInputs, type AnalyzeOptions, type RunInput } from '../analyze.js';
import { inputFiles, type Source } from '../input/sources.js';
import { archiveFormatOf } from '../input/archives.js';
import { binaryFormatOf } from '../input/binary-formats.js';
import { resolveInput } from '../input/input-format.js';
import { splitMbox } from '../mail/mbox.js';
import type { OutputRecord, Summary } from '../model/records.js';
import { CHUNK_CREDIT, type FromWorker, type Task, type TaskResult, type ToWorker, type WorkerSetup } from './protocol.js';
import { SpillFile } from './spill.js';
import { createTaskRunner, taskOptions, type TaskRunner } from './task-runner.js';
import { EventEmitter } from 'node:events';
import { peekStream } from '../input/peek.js';
import { statPath } from '../input/fs-calls.js';

async function fileSize(path: string): Promise<number> {
  try {
    return (await statPath(path)).size;
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
  /** Called once the task's records have all been passed on (progress). */
  onDone?: () => void;
}

/** A thread of the pool as the main thread sees it: a worker, or the main thread itself. */
interface AnalysisThread {
  postMessage(msg: ToWorker, transfer?: readonly ArrayBuffer[]): void;
  on(event: 'message', listener: (msg: FromWorker) => void): unknown;
}

/** A worker thread: it can also fail, exit and be stopped. */
interface WorkerThread extends AnalysisThread {
  on(event: 'message', listener: (msg: FromWorker) => void): unknown;
  on(event: 'error', listener: (e: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  terminate(): Promise<number>;
}

/**
 * The main thread as one of the pool's threads. It runs its tasks between its other work
 * (splitting the mbox, passing records on), which leaves it idle most of the time otherwise:
 * 14.5 s of a 19 s run with two workers on 223 MB of mail. Each worker thread is a V8 instance
 * of its own (~50 MB more peak RSS each on that mail), so --jobs N starts at most N - 1 of them.
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
}

/** One task's records as its thread posts them, then its result. */
export class TaskStream {
  private readonly chunks: OutputRecord[][] = [];
  /** Where the chunks go once the task is behind and its worker would otherwise wait. */
  private spill: SpillFile | undefined;
  /** Creating or writing the spill file failed: chunks stay in memory (the thread waits, as without spilling; but see release). */
  private spillFailed = false;
  private discarded = false;
  result: TaskResult | undefined;
  /** Its records are being passed on (the oldest task in flight). */
  due = false;
  /** The thread running the task; unset while it waits in the pool's queue. */
  thread: AnalysisThread | undefined;
  /** Its thread must never wait for its records to be passed on (see release). */
  private neverWait = false;
  /** Chunks received and not acknowledged: the thread waits once it has CHUNK_CREDIT of them. */
  private owed = 0;
  private wake: (() => void) | undefined;

  constructor(
    readonly task: Task,
    /** Bytes the task will read (a message's size, a file's), for how much a worker has queued. */
    readonly size: number,
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
        // No temporary directory to write to: the records stay here and the thread waits
        // (but see release).
        this.spillFailed = true;
      }
    }
    this.owed++;
    if (this.spill) this.toSpill(records);
    else this.chunks.push(records);
    this.settle();
    this.notify();
  }

  /**
   * For a task of the main thread once no worker is left: the task that is due may then be
   * waiting for the main thread (Pool.help), so the main thread must never wait for this task's
   * records to be passed on, or neither would move. Records that cannot go to disk stay here, in
   * memory, instead.
   */
  release(): void {
    this.neverWait = true;
    this.settle();
  }

  private settle(): void {
    if (this.neverWait && !this.due && this.spillFailed) while (this.owed > 0) this.ack();
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
    if (c && this.owed > 0) this.ack();
    return c;
  }

  finish(result: TaskResult): void {
    this.result ??= result;
    this.notify();
  }

  /** Resolves when a chunk or the result arrives, or the pool wakes it (see Pool.help). */
  changed(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  /** Removes the spill file of a task whose records will not be read (the run was stopped); later chunks are dropped. */
  discard(): void {
    this.discarded = true;
    this.spill?.close();
    this.spill = undefined;
  }

  /** Wakes whoever waits in changed(). */
  notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
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

  /** Lets the thread post more of this task (see protocol.ts). */
  private ack(): void {
    this.owed--;
    this.thread?.postMessage({ kind: 'ack', id: this.task.id } satisfies ToWorker);
  }
}

/**
 * What a worker may hold: while it has fewer tasks and fewer bytes than this, it takes the next
 * waiting task, so it has work at hand whenever it finishes one (the main thread deals only
 * between its own steps, and a message of its own can take a while). A large file fills a
 * worker on its own.
 */
const WORKER_QUEUE_TASKS = 8;
const WORKER_QUEUE_BYTES = 4 * 1024 * 1024;

/**
 * The analysis threads and the tasks waiting for one. Workers take the oldest waiting tasks as
 * long as they have room; the main thread runs a task (the newest waiting one) only when the
 * records it must pass on next are not ready and it has nothing else to do. Until 2026-11-27 the
 * tasks were dealt in turn, the main thread's share as large as a worker's: on top of splitting
 * the mbox and passing every record on, that made it the slowest thread, and the worker was idle
 * 25-40% of the time (CPU profile of --jobs 2 on 60 MB of mail; ~12% since). On this machine's two
 * vCPUs that did not make the run faster (see README, Performance): the second thread's copies,
 * compilation and collections take what the idle time gave back.
 * Exported for its tests (test/bulk/pool.test.ts).
 */
export class Pool {
  private readonly workers: WorkerThread[] = [];
  private main: MainThread | undefined;
  /** The tasks given to a thread and not finished. */
  private readonly streams = new Map<number, TaskStream>();
  /** Tasks no thread has taken yet, in input order. */
  private readonly queued: TaskStream[] = [];
  /** Per thread: its unfinished tasks and their bytes. */
  private readonly load = new Map<AnalysisThread, { tasks: number; bytes: number }>();
  /** The task whose records are passed on now, woken when the pool changes (see help). */
  private due: TaskStream | undefined;
  /** Worker threads started so far (dead ones included: a worker that died is not replaced). */
  private spawned = 0;

  constructor(
    private readonly n: number,
    private readonly setup: WorkerSetup,
    private readonly WorkerClass: typeof Worker,
    /** Options for the main thread's own tasks. */
    private readonly mainOpts: AnalyzeOptions,
  ) {}

  /**
   * Starts a worker, when a task waits and the others are full. So a run starts no more workers
   * than it has work for: with all n - 1 started at once, --jobs 64 on two small logs took 4.0-4.4 s
   * and 686-693 MB instead of 0.36 s and 69 MB.
   */
  private spawn(): WorkerThread {
    this.spawned++;
    const w = new this.WorkerClass(workerUrl(), { workerData: this.setup, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    this.workers.push(w);
    this.listen(w);
    // A worker that dies fails the tasks it held and leaves the pool; the others carry on.
    const died = (why: string) => {
      const i = this.workers.indexOf(w);
      if (i >= 0) this.workers.splice(i, 1);
      for (const [id, t] of this.streams) if (t.thread === w) this.fail(id, `analysis worker failed: ${why}`);
      // The main thread may be running a later task whose records wait for the due one. From now
      // on it takes only due tasks (see help), so this is the only task that needs it.
      if (this.noWorkerLeft()) for (const t of this.streams.values()) if (t.thread === this.main) t.release();
    };
    w.on('error', (e) => died(e.message));
    w.on('exit', (code) => died(`exited with code ${code}`));
    return w;
  }

  /** Every worker that may start has started and died: the main thread runs what is left. */
  private noWorkerLeft(): boolean {
    return this.workers.length === 0 && this.spawned >= this.n - 1;
  }

  /** The main thread as one of the pool's threads, made when it first helps. */
  private startMain(): MainThread {
    const main = new MainThread(this.mainOpts);
    this.listen(main);
    return main;
  }

  private listen(w: AnalysisThread): void {
    this.load.set(w, { tasks: 0, bytes: 0 });
    w.on('message', (msg: FromWorker) => {
      if (msg.kind === 'error') return this.fail(msg.id, msg.error);
      const t = this.streams.get(msg.id);
      if (!t) return;
      if (msg.kind === 'chunk') return t.push(msg.records);
      this.finished(t);
      t.finish(msg);
    });
  }

  /** A failed task still yields a result (see failedResult), after any records it posted. */
  private fail(id: number, message: string): void {
    const t = this.streams.get(id);
    if (!t) return;
    this.finished(t);
    t.finish(failedResult(t.task, message));
  }

  /** The task's thread has room again: workers take more, and the due task's wait ends (see help). */
  private finished(t: TaskStream): void {
    this.streams.delete(t.task.id);
    const l = this.load.get(t.thread!)!;
    l.tasks--;
    l.bytes -= t.size;
    this.deal();
    if (this.due !== t) this.due?.notify();
  }

  private dispatch(t: TaskStream, thread: AnalysisThread): void {
    t.thread = thread;
    const l = this.load.get(thread)!;
    l.tasks++;
    l.bytes += t.size;
    this.streams.set(t.task.id, t);
    const { task } = t;
    if (task.kind === 'message') thread.postMessage(task, [task.raw.buffer as ArrayBuffer]);
    else thread.postMessage(task);
  }

  /** Workers with room take the oldest waiting tasks; if some are left, another worker starts (up to n - 1). */
  private deal(): void {
    for (const w of this.workers) this.fill(w);
    while (this.queued.length > 0 && this.spawned < this.n - 1) this.fill(this.spawn());
  }

  private fill(w: AnalysisThread): void {
    const l = this.load.get(w)!;
    while (this.queued.length > 0 && l.tasks < WORKER_QUEUE_TASKS && l.bytes < WORKER_QUEUE_BYTES) this.dispatch(this.queued.shift()!, w);
  }

  /** Queues a task; a worker with room takes it at once. */
  submit(task: Task, size: number, extra: TaskExtra = {}): TaskStream {
    const t = new TaskStream(task, size, extra);
    this.queued.push(t);
    this.deal();
    return t;
  }

  /**
   * Called while the due task has nothing to pass on: unless it has a task already, the main
   * thread runs the due task if no worker has it (no worker is left), or else the newest waiting
   * task (every worker is full, or none would be waiting). Each task that finishes wakes the due
   * task's wait, so the main thread is not idle while tasks wait.
   */
  help(due: TaskStream): void {
    this.due = due;
    const main = (this.main ??= this.startMain());
    if (this.load.get(main)!.tasks > 0) return;
    const t = this.queued[0] === due ? this.queued.shift() : this.queued.pop();
    if (t) this.dispatch(t, main);
  }

  async close(): Promise<void> {
    const all = [...this.workers];
    this.workers.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }
}

/** Inputs looked at before the first task, to tell a run of one log (see analyzeParallel). */
const LOOKAHEAD_ITEMS = 1024;

/** Records known before any thread runs (an input that could not be read), passed on in their place like a task's. */
function doneStream(id: number, records: OutputRecord[]): TaskStream {
  const t = new TaskStream({ id, kind: 'file', path: '' }, 0);
  t.finish({ kind: 'done', id, records, lines: 0, messages: 0, messagesWithReports: 0 });
  return t;
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
 * The bytes the inputs' files will give, as far as a stat tells: a file's size (times GZIP_RATIO
 * for a name ending in .gz: this is an estimate, and reading the magic bytes of every file would
 * cost more than it is worth); stdin and pipes count nothing (they are analysed in the main thread
 * anyway). Stops walking (and statting) once the total reaches `enough`: a walk of its own, so the
 * run's sources are not held meanwhile.
 */
export async function inputBytes(inputs: readonly string[], enough = Infinity, signal?: AbortSignal): Promise<number> {
  let total = 0;
  for await (const path of inputFiles(inputs)) {
    // Ctrl-C: the run that follows reads nothing more either.
    if (signal?.aborted) break;
    const size = await fileSize(path);
    total += path.toLowerCase().endsWith('.gz') ? size * GZIP_RATIO : size;
    if (total >= enough) break;
  }
  return total;
}

/** Like analyze(), with the work spread over `jobs` worker threads. */
export async function* analyzeParallel(inputs: readonly string[], opts: ParallelOptions): AsyncGenerator<OutputRecord> {
  const summary = emptySummary(0);
  const items = runInputs(inputs, opts, summary);
  if (opts.minBytes !== undefined && (await inputBytes(inputs, opts.minBytes, opts.signal)) < opts.minBytes) {
    // As analyze() does: every worker would first spend its own start-up and compilation.
    yield* analyzeSources(items, opts, summary);
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
        pool.help(t);
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
      inFlightBytes -= t.task.kind === 'message' ? t.size : 0;
    }
  }
  // Items ahead until a second source shows: a run of a single log is analysed here (see queueSource).
  const it = items[Symbol.asyncIterator]();
  const ahead: RunInput[] = [];
  let ended = false;
  for (let sources = 0; sources < 2 && ahead.length < LOOKAHEAD_ITEMS; ) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    ahead.push(r.value);
    if ('open' in r.value) sources++;
  }
  const onlyOne = ended && ahead.filter((item) => 'open' in item).length === 1;
  async function* all(): AsyncGenerator<RunInput> {
    yield* ahead.splice(0);
    if (ended) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  try {
    for await (const item of all()) {
      if (!('open' in item)) {
        // A path that could not be read: its record goes out in its place, after the tasks before it.
        pending.push(doneStream(id++, [item]));
        yield* drain(window);
      } else if (item.stream) {
        // stdin or a pipe cannot be shared with a worker (it can be read once): analysed here, after what is queued.
        yield* drain(0);
        yield* countedSource(item, opts, summary);
      } else {
        yield* queueSource(item);
      }
    }
    yield* drain(0);
  } finally {
    for (const t of pending) t.discard();
    await pool.close();
    await it.return?.(undefined);
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
      pending.push(pool.submit({ id: id++, kind: 'file', path: src.name }, 0));
      yield* drain(window);
      return;
    }
    const mbox = resolveInput(head, opts.inputFormat).kind === 'mbox';
    // A file that is no text is said so here, where the source knows whether a walk found it. An
    // archive's files are read here one after the other, from the archive's one stream.
    const here = binaryFormatOf(head) !== undefined || archiveFormatOf(head) !== undefined;
    if (here && pending.length > 0) {
      // After what is queued, so its records come in input order; from a new read of the file:
      // the stream opened for the peek would sit unread while the queue drains, and a read error
      // meanwhile would find no reader (it was an unhandled 'error' event when a gzip file was cut
      // short, before gzip errors were delivered after the bytes). The bytes read twice count once.
      stream.destroy();
      yield* drain(0);
      let counted = readHere;
      const again: Source = {
        ...src,
        open: () =>
          src.open((n) => {
            const seen = Math.min(counted, n);
            counted -= seen;
            if (n > seen) opts.onBytes?.(n - seen);
          }),
      };
      yield* countedSource(again, opts, summary);
      return;
    }
    if (here || (!mbox && onlyOne)) {
      // One log or message: a worker would add only start-up and copying, and the
      // records would no longer stream. Analysed here.
      yield* countedSource(src, opts, summary, { head, stream });
      return;
    }
    if (!mbox) {
      stream.destroy();
      const size = await fileSize(src.name);
      const counted = readHere;
      pending.push(pool.submit({ id: id++, kind: 'file', path: src.name }, size, { onDone: () => opts.onBytes?.(Math.max(0, size - counted)) }));
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
      pending.push(pool.submit({ id: id++, kind: 'message', file: src.name, index: m.index, lineNo: m.lineNo, raw, cut: m.cut }, bytes));
      yield* drain(window);
    }
  }
}

export type { Summary };
