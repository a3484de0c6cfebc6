// Evaluates titles, detection, corruption, crash types and guilty files against
// syzkaller's crash-report test data in ../shared/corpora/syzkaller-reports.
// Usage: node scripts/eval-syzkaller.mjs [--verbose] [--json]   (after `npm run build`)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../dist/index.js';

export function corpusDir() {
  return process.env.KTRIAGE_CORPORA ?? join(import.meta.dirname, '..', '..', 'shared', 'corpora');
}

/** Splits a syzkaller test file into its header map and log (report_test.go rules). */
export function parseTestFile(buf) {
  const text = buf.toString('utf8').replace(/\r/g, '');
  const headers = new Map();
  let body = text;
  if (!text.startsWith('\n')) {
    const end = text.indexOf('\n\n');
    const head = end < 0 ? text : text.slice(0, end);
    body = end < 0 ? '' : text.slice(end + 2);
    for (const line of head.split('\n')) {
      if (line.startsWith('#')) continue;
      const i = line.indexOf(': ');
      if (i < 0) continue;
      const k = line.slice(0, i);
      const v = line.slice(i + 2);
      if (!headers.has(k)) headers.set(k, []);
      headers.get(k).push(v);
    }
  } else {
    body = text.slice(1);
  }
  const rep = body.indexOf('\n\nREPORT:\n');
  if (rep >= 0) body = body.slice(0, rep + 1);
  return { headers, body };
}

/** syzkaller parses the first report it recognises; ktriage also reports kinds syzbot does not file. */
function firstReport(reports) {
  let best;
  for (const r of reports) if (r.syzbotCompatible && (!best || r.startLine < best.startLine)) best = r;
  return best;
}

export function evalReports(dir) {
  const files = readdirSync(dir).sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  const res = { files: 0, titled: 0, exact: 0, detect: 0, corrupt: 0, type: 0, misses: [] };
  for (const f of files) {
    const { headers, body } = parseTestFile(readFileSync(join(dir, f)));
    const want = headers.get('TITLE')?.[0];
    const wantCorrupted = headers.get('CORRUPTED')?.[0] === 'Y';
    const wantType = headers.get('TYPE')?.[0] ?? 'UNKNOWN';
    const got = firstReport(analyzeText(body, f));
    res.files++;
    if (Boolean(got) === Boolean(want)) res.detect++;
    else res.misses.push({ file: f, what: 'detect', want: want ?? '(none)', got: got?.title ?? '(none)' });
    if (!want) continue;
    res.titled++;
    if (got?.title === want) res.exact++;
    else if (got) res.misses.push({ file: f, what: 'title', want, got: got.title });
    if (got && got.corrupted === wantCorrupted) res.corrupt++;
    else if (got) res.misses.push({ file: f, what: 'corrupted', want: String(wantCorrupted), got: `${got.corrupted} ${got.corruptedReason ?? ''}` });
    if (got && got.crashType === wantType) res.type++;
    else if (got) res.misses.push({ file: f, what: 'type', want: wantType, got: got.crashType });
  }
  return res;
}

export function evalGuilty(dir) {
  const files = readdirSync(dir).sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  const res = { files: 0, match: 0, misses: [] };
  for (const f of files) {
    const { headers, body } = parseTestFile(readFileSync(join(dir, f)));
    const want = headers.get('FILE')?.[0];
    if (want === undefined) continue;
    res.files++;
    const got = firstReport(analyzeText(body, f));
    // An empty FILE means no file is to blame.
    if ((got?.guiltyFile ?? '') === want) res.match++;
    else res.misses.push({ file: f, what: 'guilty', want, got: got?.guiltyFile ?? '(none)' });
  }
  return res;
}

const pct = (a, b) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);

export function runSyzkallerEval({ verbose = false } = {}) {
  const base = join(corpusDir(), 'syzkaller-reports');
  if (!existsSync(base)) return null;
  const r = evalReports(join(base, 'report'));
  const g = evalGuilty(join(base, 'guilty'));
  const figures = {
    exactTitle: r.exact / r.titled,
    detection: r.detect / r.files,
    corrupted: r.corrupt / r.titled,
    crashType: r.type / r.titled,
    guiltyFile: g.match / g.files,
  };
  console.log(`syzkaller report/: ${r.files} files, ${r.titled} with a TITLE`);
  console.log(`  exact title      ${pct(r.exact, r.titled)} (${r.exact}/${r.titled})`);
  console.log(`  detection        ${pct(r.detect, r.files)} (${r.detect}/${r.files})`);
  console.log(`  corrupted        ${pct(r.corrupt, r.titled)} (${r.corrupt}/${r.titled})`);
  console.log(`  crash type       ${pct(r.type, r.titled)} (${r.type}/${r.titled})`);
  console.log(`syzkaller guilty/: guilty file ${pct(g.match, g.files)} (${g.match}/${g.files})`);
  if (verbose) for (const m of [...r.misses, ...g.misses]) console.log(`  MISS ${m.what} ${m.file}: want ${JSON.stringify(m.want)} got ${JSON.stringify(m.got)}`);
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const fig = runSyzkallerEval({ verbose: process.argv.includes('--verbose') });
  if (!fig) console.log('syzkaller corpus not found: skipped');
}
