// The analysis of tasks (protocol.ts), apart from the thread it runs in: a worker thread
// (worker.ts), or the main thread as one of the --jobs threads (parallel.ts). Records are posted
// in chunks; a task with CHUNK_CREDIT chunks unacknowledged waits.
import { analyzeRawMessages, analyzeSource, emptySummary, type AnalyzeOptions, type MessageInput } from '../analyze.js';
import { fileSource } from '../input/sources.js';
import type { OutputRecord } from '../model/records.js';
import type { Detector } from '../detectors/index.js';
import { CHUNK_CREDIT, CHUNK_RECORDS, type FromWorker, type Task, type ToWorker, type WorkerSetup } from './protocol.js';

/**
 * What a task is analysed with, in a worker or in the main thread: the detectors, the line limit
 * and the input format of the run, not its callbacks (progress counts bytes where it did).
 */
export function taskOptions(setup: WorkerSetup, detectors?: readonly Detector[]): AnalyzeOptions {
  const opts: AnalyzeOptions = detectors ? { detectors } : {};
  if (setup.maxLineBytes !== undefined) opts.maxLineBytes = setup.maxLineBytes;
  if (setup.inputFormat !== undefined) opts.inputFormat = setup.inputFormat;
  return opts;
}

export interface TaskRunner {
  /** A task to run after those before it, or the acknowledgement of a chunk. */
  receive(msg: ToWorker): void;
}

/**
 * The task's message, its bytes no longer held by the task (analyzeRawMessages drops them once
 * decoded, and this frame lives as long as the task runs).
 */
async function* taskMessage(task: Extract<Task, { kind: 'message' }>): AsyncGenerator<MessageInput> {
  // Held as the object's property only: a local would keep the bytes while this frame waits.
  const m: MessageInput = { raw: Buffer.from(task.raw.buffer, task.raw.byteOffset, task.raw.byteLength), index: task.index, lineNo: task.lineNo, cut: task.cut };
  task.raw = new Uint8Array(0);
  yield m;
}

export function createTaskRunner(opts: AnalyzeOptions, post: (msg: FromWorker) => void): TaskRunner {
  /** Per task: chunks posted and not yet acknowledged, and the wait for an acknowledgement. */
  const credit = new Map<number, { unacked: number; wake?: () => void }>();

  /** Posts a chunk of the task's records; waits while too many are unacknowledged. */
  async function postChunk(id: number, records: OutputRecord[]): Promise<void> {
    const c = credit.get(id)!;
    while (c.unacked >= CHUNK_CREDIT) await new Promise<void>((resolve) => (c.wake = resolve));
    c.unacked++;
    post({ kind: 'chunk', id, records });
  }

  async function run(task: Task): Promise<void> {
    credit.set(task.id, { unacked: 0 });
    let records: OutputRecord[] = [];
    const stats = { lines: 0, messages: 0, messagesWithReports: 0 };
    async function* source(): AsyncGenerator<OutputRecord> {
      if (task.kind === 'message') {
        yield* analyzeRawMessages(taskMessage(task), task.file, opts, stats);
      } else {
        const summary = emptySummary(1);
        yield* analyzeSource(fileSource(task.path), opts, summary);
        stats.lines = summary.lines;
        stats.messages = summary.messages;
        stats.messagesWithReports = summary.messagesWithReports;
      }
    }
    try {
      for await (const r of source()) {
        records.push(r);
        if (records.length >= CHUNK_RECORDS) {
          await postChunk(task.id, records);
          records = [];
        }
      }
      post({ kind: 'done', id: task.id, records, ...stats });
    } finally {
      credit.delete(task.id);
    }
  }

  /** Tasks run one after the other (see receive). */
  let queue: Promise<void> = Promise.resolve();

  return {
    receive(msg: ToWorker): void {
      if (msg.kind === 'ack') {
        const c = credit.get(msg.id);
        if (!c) return;
        c.unacked--;
        const wake = c.wake;
        c.wake = undefined;
        wake?.();
        return;
      }
      // One task at a time: the window of tasks in flight (parallel.ts) would otherwise have up to
      // 16 messages per thread decoding at once, each holding its MIME parser's state.
      const task = msg;
      queue = queue.then(() => run(task)).catch((err: unknown) => post({ kind: 'error', id: task.id, error: err instanceof Error ? err.message : String(err) }));
    },
  };
}
