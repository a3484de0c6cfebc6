#!/usr/bin/env node
// npm run fuzz [-- --duration 600 --seed 42]: runs the fast-check properties of
// test/fuzz.test.ts for a given time instead of a fixed number of cases, then prints
// how many cases ran. Exits non-zero when a property fails (fast-check prints the seed
// and the shrunk counterexample) or when the run hangs past its time.
// The duration (seconds) comes from --duration, else KTRIAGE_FUZZ_SECONDS, else 600.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { duration: { type: 'string' }, seed: { type: 'string' } } });
const seconds = Number(values.duration ?? process.env.KTRIAGE_FUZZ_SECONDS ?? 600);
if (!Number.isFinite(seconds) || seconds <= 0) {
  console.error(`fuzz: --duration must be a positive number of seconds, not ${values.duration}`);
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'ktriage-fuzz-'));
const report = join(dir, 'report.jsonl');
const env = { ...process.env, KTRIAGE_FUZZ_SECONDS: String(seconds), KTRIAGE_FUZZ_REPORT: report };
if (values.seed !== undefined) env.KTRIAGE_FUZZ_SEED = values.seed;

console.log(`fuzz: running the properties of test/fuzz.test.ts for ${seconds} s${values.seed ? ` (seed ${values.seed})` : ''}`);
const started = Date.now();
const vitest = spawn(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/fuzz.test.ts'], { cwd: root, env, stdio: 'inherit' });
// A case that never ends cannot be interrupted from inside: stop the run from here.
const watchdog = setTimeout(() => {
  console.error(`fuzz: no result ${seconds + 300} s after the start: a case hangs; stopping`);
  vitest.kill('SIGKILL');
}, (seconds + 300) * 1000);
const code = await new Promise((resolve) => vitest.on('exit', (c, signal) => resolve(signal ? 1 : (c ?? 1))));
clearTimeout(watchdog);

let results = [];
try {
  results = readFileSync(report, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
} catch {
  // No property finished.
}
rmSync(dir, { recursive: true, force: true });
const cases = results.reduce((n, r) => n + r.cases, 0);
const failed = results.filter((r) => r.failed).map((r) => r.property);
for (const r of results) console.log(`fuzz:   ${r.property}: ${r.cases} cases${r.failed ? ' FAILED' : ''}`);
const secs = Math.round((Date.now() - started) / 1000);
console.log(`fuzz: ${cases} cases in ${secs} s, ${failed.length === 0 && code === 0 ? 'no failure' : `FAILED${failed.length ? `: ${failed.join(', ')}` : ''}`}`);
process.exit(code !== 0 ? code : failed.length > 0 ? 1 : 0);
