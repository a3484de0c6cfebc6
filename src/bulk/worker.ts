// Analysis worker: takes messages or files, posts their records in chunks (see protocol.ts and
// task-runner.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { builtinDetectors, type Detector } from '../detectors/index.js';
import type { ToWorker, WorkerSetup } from './protocol.js';
import { createTaskRunner, taskOptions } from './task-runner.js';
import { useMemoryBlob } from '../runtime/fast-blob.js';
import { useEagerReclaim } from '../runtime/reclaim.js';

// This thread is ours: a Blob the MIME parser can use without cross-thread contention, and a
// collection after each large message (see src/runtime/reclaim.ts).
useMemoryBlob();
useEagerReclaim();

const setup = workerData as WorkerSetup;

/** The detectors of --rules files. Their parser (YAML, zod: ~1 MB of code) loads only for them. */
async function ruleDetectors(rules: WorkerSetup['rules']): Promise<Detector[]> {
  if (rules.length === 0) return [];
  const { parseRuleFile } = await import('../rules/load-rules.js');
  return rules.flatMap((r) => parseRuleFile(r.text, r.file));
}

const opts = taskOptions(setup, [...builtinDetectors, ...(await ruleDetectors(setup.rules))]);
const runner = createTaskRunner(opts, (msg) => parentPort!.postMessage(msg));
parentPort!.on('message', (msg: ToWorker) => runner.receive(msg));
