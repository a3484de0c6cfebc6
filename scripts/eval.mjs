// Runs every evaluation against ../shared/corpora (skipped when the corpora are
// absent) and, with --check, fails when a figure drops below its floor in
// scripts/eval-floors.json. Floors are the figures already reached: accuracy
// may only go up. Usage: npm run eval [-- --check] [-- --verbose]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runKbEval } from './eval-kb.mjs';
import { runBootStateEval, runKernelciEval } from './eval-kernelci.mjs';
import { runMailEval } from './eval-mail.mjs';
import { runSeedsEval } from './eval-seeds.mjs';
import { capturedDir, runFtraceEval } from './eval-ftrace.mjs';
import { corpusDir, runSyzkallerEval } from './eval-syzkaller.mjs';

const verbose = process.argv.includes('--verbose');
const check = process.argv.includes('--check');

if (!existsSync(corpusDir())) {
  console.log(`eval: ${corpusDir()} not found, skipping the corpus evaluations`);
  process.exit(0);
}

const figures = {};
const syz = runSyzkallerEval({ verbose });
if (syz) for (const [k, v] of Object.entries(syz)) figures[`syzkaller.${k}`] = v;
const kci = runKernelciEval({ verbose });
for (const [k, v] of Object.entries(kci)) figures[`${k}.found`] = v;
Object.assign(figures, await runBootStateEval({ verbose }));
const seeds = runSeedsEval();
if (seeds !== null) figures['seeds.findings'] = seeds;
const ftrace = await runFtraceEval({ verbose });
if (ftrace) for (const [k, v] of Object.entries(ftrace)) figures[`ftrace.${k}`] = v;
const captured = await runFtraceEval({ verbose, dir: capturedDir });
if (captured) for (const [k, v] of Object.entries(captured)) figures[`ftraceCaptured.${k}`] = v;
const mail = await runMailEval({ verbose });
for (const r of mail ?? []) figures[`mail.${r.list}.markerRecall`] = r.markerRecall;
const kb = await runKbEval({ verbose });
for (const [k, v] of Object.entries(kb ?? {})) figures[`kb.${k}`] = v;

if (check) {
  const floors = JSON.parse(readFileSync(join(import.meta.dirname, 'eval-floors.json'), 'utf8'));
  let failed = false;
  for (const [k, floor] of Object.entries(floors)) {
    if (k.startsWith('_')) continue;
    const got = figures[k];
    if (got === undefined) continue;
    const ok = got + 1e-9 >= floor;
    if (!ok) failed = true;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${k} ${(100 * got).toFixed(1)}% (floor ${(100 * floor).toFixed(1)}%)`);
  }
  if (failed) process.exit(1);
}
