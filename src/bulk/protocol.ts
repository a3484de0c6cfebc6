// Messages between the main thread and the analysis workers.
import type { OutputRecord } from '../model/records.js';

export interface WorkerSetup {
  /** Rule files the user gave (--rules), already read by the main thread. */
  rules: Array<{ file: string; text: string }>;
  maxLineBytes?: number;
}

export type Task =
  /** One mail message split out of an mbox by the main thread. */
  | { id: number; kind: 'message'; file: string; index: number; lineNo: number; raw: Uint8Array; cut: boolean }
  /** A whole file (a log, an .eml): the worker reads it. */
  | { id: number; kind: 'file'; path: string };

export interface TaskResult {
  id: number;
  records: OutputRecord[];
  lines: number;
  messages: number;
  messagesWithReports: number;
}
