// Worker for the ReDoS audit (test/redos.test.ts): runs one regex on adversarial
// strings built from recipes and reports the slowest run. It runs in a worker so
// that a catastrophic regex can be stopped (worker.terminate()) instead of hanging.
import { parentPort, workerData } from 'node:worker_threads';

const length = workerData.length;

/** prefix + pump repeated to `length` characters (the recipe's own, else the default) + tail. */
function build({ prefix, pump, tail, length: n = length }) {
  return prefix + pump.repeat(Math.ceil(n / pump.length)) + tail;
}

/** One use of the regex as the code uses it: sticky at the start, every match for /g, else the first match. */
function run(re, s) {
  if (re.sticky) {
    re.lastIndex = 0;
    re.exec(s);
  } else if (re.global) {
    s.replace(re, '');
  } else {
    re.exec(s);
  }
}

parentPort.on('message', ({ id, source, flags, recipes }) => {
  const re = new RegExp(source, flags);
  let worstMs = 0;
  let worst = recipes[0];
  for (const recipe of recipes) {
    const s = build(recipe);
    const t0 = performance.now();
    run(re, s);
    const ms = performance.now() - t0;
    if (ms > worstMs) {
      worstMs = ms;
      worst = recipe;
    }
  }
  parentPort.postMessage({ id, worstMs, worst });
});
