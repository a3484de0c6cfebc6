// Analysis worker: takes messages or files, returns their records.
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeMailStream, analyzeSource, emptySummary, type AnalyzeOptions } from '../analyze.js';
import { builtinDetectors } from '../detectors/index.js';
import { fileSource } from '../input/sources.js';
import type { OutputRecord } from '../model/records.js';
import { parseRuleFile } from '../rules/load-rules.js';
import { Readable } from 'node:stream';
import type { Task, TaskResult, WorkerSetup } from './protocol.js';
import { useMemoryBlob } from '../runtime/fast-blob.js';

// This thread is ours: a Blob the MIME parser can use without cross-thread contention.
useMemoryBlob();

const setup = workerData as WorkerSetup;
const opts: AnalyzeOptions = {
  detectors: [...builtinDetectors, ...setup.rules.flatMap((r) => parseRuleFile(r.text, r.file))],
};
if (setup.maxLineBytes !== undefined) opts.maxLineBytes = setup.maxLineBytes;

async function run(task: Task): Promise<TaskResult> {
  const records: OutputRecord[] = [];
  if (task.kind === 'message') {
    const stats = { lines: 0, messages: 0, messagesWithReports: 0 };
    // A one-message stream through the same code the single-threaded path uses.
    const one = Readable.from([Buffer.from(task.raw.buffer, task.raw.byteOffset, task.raw.byteLength)]);
    for await (const r of analyzeMailStream(one, task.file, true, opts, stats, { index: task.index, lineNo: task.lineNo, cut: task.cut })) records.push(r);
    return { id: task.id, records, ...stats };
  }
  const summary = emptySummary(1);
  for await (const r of analyzeSource(fileSource(task.path), opts, summary)) records.push(r);
  return { id: task.id, records, lines: summary.lines, messages: summary.messages, messagesWithReports: summary.messagesWithReports };
}

parentPort!.on('message', (task: Task) => {
  run(task).then(
    (res) => parentPort!.postMessage(res),
    (err: unknown) => parentPort!.postMessage({ id: task.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
