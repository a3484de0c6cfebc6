// Checks that the kernel errors KernelCI's logspec expects in its boot logs
// (WARNINGs, BUGs, oopses, UBSAN reports, panics) are found as ktriage reports.
// Usage: node scripts/eval-kernelci.mjs [--verbose]   (after `npm run build`)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, analyzeText } from '../dist/index.js';
import { corpusDir } from './eval-syzkaller.mjs';

// logspec error types that are kernel splats (error_return_code and the baseline test's dmesg lines are not).
const SPLAT_TYPES = new Set(['linux.kernel.warning', 'linux.kernel.bug', 'linux.kernel.panic', 'linux.kernel.ubsan', 'linux.kernel.null_pointer_dereference']);

/** Does report r account for logspec error e? */
function matches(e, r) {
  const summary = e.error_summary ?? '';
  switch (e.error_type) {
    case 'linux.kernel.warning': {
      const loc = (e.location ?? '').split(' ')[0];
      return r.crashClass !== 'panic' && /^WARNING/.test(r.header) && r.location === loc;
    }
    case 'linux.kernel.panic':
      return r.rawLines.some((l) => l.includes(`Kernel panic - not syncing: ${summary}`));
    case 'linux.kernel.ubsan': {
      const loc = (e.location ?? '').replace(/^\.\//, '').replace(/:\d+$/, '');
      return r.crashClass === 'ubsan' && (r.location === loc || r.header.includes(e.location ?? '\0'));
    }
    default:
      return r.header.includes(summary);
  }
}

export function evalKernelci(dir) {
  const res = { expected: 0, found: 0, rows: [] };
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.log')).sort()) {
    const exp = JSON.parse(readFileSync(join(dir, f.replace(/\.log$/, '.expected.json')), 'utf8'));
    const reports = analyzeText(readFileSync(join(dir, f)).toString('utf8'), f);
    // logspec lists the panic that ends an oops as its own error; in ktriage it is part of the
    // oops report (report.panicked), so a report can account for one splat and one panic.
    const used = new Set();
    const panicUsed = new Set();
    for (const e of exp.errors ?? []) {
      if (!SPLAT_TYPES.has(e.error_type)) continue;
      res.expected++;
      const taken = e.error_type === 'linux.kernel.panic' ? panicUsed : used;
      const r = reports.find((x) => !taken.has(x) && matches(e, x));
      if (r) {
        taken.add(r);
        res.found++;
      }
      res.rows.push({ log: f, type: e.error_type, summary: e.error_summary, found: r ? `${r.title} (line ${r.startLine})` : null });
    }
    res.rows.push({ log: f, extra: reports.filter((r) => !used.has(r) && !panicUsed.has(r)).map((r) => `${r.title} (line ${r.startLine})`) });
  }
  return res;
}

export function runKernelciEval({ verbose = false } = {}) {
  const out = {};
  for (const name of ['kernelci-boot', 'kernelci-baseline']) {
    const dir = join(corpusDir(), name);
    if (!existsSync(dir)) continue;
    const r = evalKernelci(dir);
    out[name] = r.expected === 0 ? 1 : r.found / r.expected;
    console.log(`${name}: expected kernel splats found ${r.found}/${r.expected}`);
    for (const row of r.rows) {
      if (row.extra) {
        if (verbose && row.extra.length) console.log(`  ${row.log}: also reported: ${row.extra.join('; ')}`);
      } else if (verbose || !row.found) {
        console.log(`  ${row.found ? 'found' : 'MISSED'} ${row.log} ${row.type}: ${row.summary}${row.found ? ` -> ${row.found}` : ''}`);
      }
    }
  }
  return out;
}

/**
 * The non-splat part of logspec's expectations: the boot state (bootloader done, kernel
 * started, prompt) and every `linux.kernel.error_return_code` error, matched by its summary
 * against ktriage's kernel-error records before the prompt (logspec stops there).
 */
export async function evalBootState(dir) {
  const res = { logs: 0, stateAgrees: 0, expectedErrors: 0, foundErrors: 0, extraErrors: 0, rows: [] };
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.log')).sort()) {
    const exp = JSON.parse(readFileSync(join(dir, f.replace(/\.log$/, '.expected.json')), 'utf8'));
    const errors = [];
    let boot;
    for await (const rec of analyze([join(dir, f)])) {
      if (rec.kind === 'kernel-error') errors.push(rec);
      if (rec.kind === 'boot') boot = rec;
    }
    res.logs++;
    // No boot record means no hand-over was seen: logspec's bootloader.done false.
    const got = { 'bootloader.done': boot?.bootloaderDone ?? false };
    if (got['bootloader.done']) {
      got['linux.boot.kernel_started'] = boot.kernelStarted;
      got['linux.boot.prompt'] = boot.prompt;
    }
    const want = Object.fromEntries(Object.entries(exp).filter(([k]) => k !== 'errors'));
    const agrees = JSON.stringify(Object.entries(got).sort()) === JSON.stringify(Object.entries(want).sort());
    if (agrees) res.stateAgrees++;
    const before = errors.filter((e) => boot?.promptLine === undefined || e.line < boot.promptLine);
    const left = [...before];
    let found = 0;
    const expected = (exp.errors ?? []).filter((e) => e.error_type === 'linux.kernel.error_return_code');
    for (const e of expected) {
      const i = left.findIndex((x) => x.message === e.error_summary);
      if (i >= 0) {
        left.splice(i, 1);
        found++;
      }
    }
    res.expectedErrors += expected.length;
    res.foundErrors += found;
    res.extraErrors += left.filter((x) => x.category === 'error-return-code').length;
    res.rows.push({ log: f, state: agrees ? 'agrees' : `got ${JSON.stringify(got)} want ${JSON.stringify(want)}`, errors: `${found}/${expected.length}`, extra: left.length, verdict: boot?.verdict ?? '(no boot record)' });
  }
  return res;
}

export async function runBootStateEval({ verbose = false } = {}) {
  const dir = join(corpusDir(), 'kernelci-boot');
  if (!existsSync(dir)) return {};
  const r = await evalBootState(dir);
  console.log(`kernelci-boot: boot state agrees on ${r.stateAgrees}/${r.logs} logs; error_return_code errors found ${r.foundErrors}/${r.expectedErrors} (${r.extraErrors} more reported)`);
  if (verbose) console.table(r.rows);
  return { 'kernelci-boot.bootState': r.stateAgrees / r.logs, 'kernelci-boot.kernelErrors': r.expectedErrors ? r.foundErrors / r.expectedErrors : 1 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = runKernelciEval({ verbose: process.argv.includes('--verbose') });
  if (Object.keys(r).length === 0) console.log('kernelci corpora not found: skipped');
  await runBootStateEval({ verbose: process.argv.includes('--verbose') });
}
