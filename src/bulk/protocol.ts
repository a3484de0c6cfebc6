// Messages between the main thread and the analysis workers.
//
// A task's records travel in chunks as the worker produces them, so neither thread holds a
// whole large input's records (a 1 GB log has ~150,000 reports). Each chunk is acknowledged
// when the main thread has passed it on; a worker with CHUNK_CREDIT chunks of one task
// unacknowledged waits. The oldest task's chunks are always passed on at once, so it never
// waits for long, and memory stays bounded by (tasks in flight) x CHUNK_CREDIT x CHUNK_RECORDS.
import type { InputFormat } from '../input/input-format.js';
import type { OutputRecord } from '../model/records.js';

/** Records per chunk a worker posts. */
export const CHUNK_RECORDS = 64;
/** Chunks of one task a worker may have posted and not yet had acknowledged. */
export const CHUNK_CREDIT = 2;

export interface WorkerSetup {
  /** Rule files the user gave (--rules), already read by the main thread. */
  rules: Array<{ file: string; text: string }>;
  maxLineBytes?: number;
  /** --input-format, when the user named one. */
  inputFormat?: InputFormat;
}

export type Task =
  /** One mail message split out of an mbox by the main thread. */
  | { id: number; kind: 'message'; file: string; index: number; lineNo: number; raw: Uint8Array; cut: boolean }
  /** A whole file (a log, an .eml): the worker reads it. */
  | { id: number; kind: 'file'; path: string };

/** Main thread -> worker: a task, or the acknowledgement of one chunk of a task's records. */
export type ToWorker = Task | { kind: 'ack'; id: number };

/** Worker -> main thread: some records of a task. */
export interface TaskChunk {
  kind: 'chunk';
  id: number;
  records: OutputRecord[];
}

/** Worker -> main thread: the task is done (its last records and its counts). */
export interface TaskResult {
  kind: 'done';
  id: number;
  records: OutputRecord[];
  lines: number;
  messages: number;
  messagesWithReports: number;
}

/** Worker -> main thread: the task failed. */
export interface TaskError {
  kind: 'error';
  id: number;
  error: string;
}

export type FromWorker = TaskChunk | TaskResult | TaskError;
