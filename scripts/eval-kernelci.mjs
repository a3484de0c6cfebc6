// Checks that the kernel errors KernelCI's logspec expects in its boot logs
// (WARNINGs, BUGs, oopses, UBSAN reports, panics) are found as ktriage reports.
// Usage: node scripts/eval-kernelci.mjs [--verbose]   (after `npm run build`)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../dist/index.js';
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

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = runKernelciEval({ verbose: process.argv.includes('--verbose') });
  if (Object.keys(r).length === 0) console.log('kernelci corpora not found: skipped');
}
