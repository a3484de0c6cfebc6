// Worker for the ReDoS audit (test/redos.test.ts): analyses a text with the built
// pipeline, as a log and as a mail body, and reports the milliseconds taken. It runs
// in a worker so that a hang can be stopped (worker.terminate()) instead of blocking the tests.
import { parentPort, workerData } from 'node:worker_threads';

const { analyzeText, analyzeMessage } = await import(workerData.dist);

parentPort.on('message', (text) => {
  const t0 = performance.now();
  analyzeText(text, 'adversarial.log');
  analyzeMessage({ text }, 'adversarial.eml');
  parentPort.postMessage(performance.now() - t0);
});
