// Mailing-list samples (../shared/corpora/mail): messages, messages with reports,
// reports and buckets, cross-checked against the corpus index, which marks each
// message that contains a splat marker string (README: "with a marker").
// Usage: node scripts/eval-mail.mjs [--verbose] [--sample N DIR]   (after `npm run build`)
//   --sample N DIR writes N random reports and N random messages without a report
//   to DIR, one text file each, for a hand check.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BucketSet } from '../dist/buckets/buckets.js';
import { analyzeParallel } from '../dist/bulk/parallel.js';
import { splitMbox } from '../dist/mail/mbox.js';
import { Readable } from 'node:stream';
import { corpusDir } from './eval-syzkaller.mjs';

const LISTS = ['linux-ext4', 'kasan-dev'];

function readIndex(file) {
  const rows = readFileSync(file, 'utf8').trim().split('\n').slice(1);
  // `seq` keeps the numbering of the sample before the exclusion (it has gaps); `pos` is the mbox position.
  return rows.map((l, pos) => {
    const [seq, commit, messageId, date, kind, unquoted, quoted, other] = l.split('\t');
    return { pos, seq: Number(seq), commit, messageId, date, kind, unquoted, quoted, other };
  });
}

/** A seeded PRNG (mulberry32), so a sample can be drawn again. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(list, n, rand) {
  const a = [...list];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, n);
}

export async function evalMailList(list, opts = {}) {
  const dir = join(corpusDir(), 'mail');
  const mbox = join(dir, `${list}-sample.mbox.gz`);
  const index = readIndex(join(dir, `${list}-sample.index.tsv`));
  const byId = new Map(index.map((r) => [r.messageId, r]));
  const buckets = new BucketSet();
  const withReports = new Map(); // Message-ID -> reports
  let summary;
  for await (const rec of analyzeParallel([mbox], { jobs: opts.jobs ?? availableParallelism() })) {
    if (rec.kind === 'summary') summary = rec;
    if (rec.kind === 'report') {
      buckets.addReport(rec);
      const id = rec.mail?.messageId ?? rec.source.split('#').slice(1).join('#');
      if (!withReports.has(id)) withReports.set(id, []);
      withReports.get(id).push(rec);
    }
    if (rec.kind === 'finding') buckets.addFinding(rec);
  }
  const marker = index.filter((r) => r.kind === 'splat');
  const markerFound = marker.filter((r) => withReports.has(r.messageId));
  const ordinaryFound = index.filter((r) => r.kind !== 'splat' && withReports.has(r.messageId));
  const unknownIds = [...withReports.keys()].filter((id) => !byId.has(id));
  const res = {
    list,
    messages: summary.messages,
    indexRows: index.length,
    messagesWithReports: summary.messagesWithReports,
    reports: summary.reports,
    corrupted: summary.corrupted,
    buckets: buckets.list().length,
    findings: summary.findings,
    markerMessages: marker.length,
    markerMessagesWithReports: markerFound.length,
    markerRecall: markerFound.length / marker.length,
    ordinaryMessagesWithReports: ordinaryFound.length,
    reportIdsNotInIndex: unknownIds.length,
  };
  if (opts.verbose) {
    const missed = marker.filter((r) => !withReports.has(r.messageId));
    console.log(`  ${list}: marker messages without a report (${missed.length}), first 40:`);
    for (const r of missed.slice(0, 40)) console.log(`    #${r.pos + 1} ${r.messageId} [${r.unquoted}] [${r.quoted}]`);
  }
  if (opts.sampleDir) await writeSample(list, mbox, index, withReports, opts);
  return res;
}

/** N random reports and N random report-free messages, as text files to read by hand. */
async function writeSample(list, mbox, index, withReports, opts) {
  const rand = rng(20261126);
  const out = join(opts.sampleDir, list);
  mkdirSync(out, { recursive: true });
  const allReports = [...withReports.values()].flat();
  const reports = pick(allReports, opts.sampleN, rand);
  const without = pick(index.filter((r) => !withReports.has(r.messageId)), opts.sampleN, rand);
  // The hard part of recall: messages the index marks as holding a splat marker, where ktriage found nothing.
  const markerMissed = pick(index.filter((r) => r.kind === 'splat' && !withReports.has(r.messageId)), opts.sampleN, rand);
  const wantRaw = new Set(without.concat(markerMissed).map((r) => r.pos).concat(reports.map((r) => index.findIndex((x) => x.messageId === (r.mail?.messageId ?? '')))));
  const raw = new Map();
  for await (const m of splitMbox(Readable.from([gunzipSync(readFileSync(mbox))]))) if (wantRaw.has(m.index)) raw.set(m.index, m.raw.toString('utf8'));
  reports.forEach((r, i) => {
    const seq = index.findIndex((x) => x.messageId === r.mail?.messageId);
    const text = [
      `# report ${i + 1}: ${r.title}`,
      `# class ${r.crashClass}, corrupted ${r.corrupted}${r.corruptedReason ? ` (${r.corruptedReason})` : ''}, lines ${r.startLine}-${r.endLine} of the message text`,
      `# source ${r.source} (message #${seq + 1}, ${index[seq]?.kind})`,
      '# ---- raw lines of the report',
      ...r.rawLines,
      '# ---- the whole message',
      raw.get(seq) ?? '(not found)',
    ].join('\n');
    writeFileSync(join(out, `report-${String(i + 1).padStart(2, '0')}.txt`), text);
  });
  markerMissed.forEach((r, i) => {
    const text = [`# message with a splat marker but without a report ${i + 1}: #${r.pos + 1} ${r.messageId} (markers [${r.unquoted}] quoted [${r.quoted}])`, raw.get(r.pos) ?? '(not found)'].join('\n');
    writeFileSync(join(out, `markermiss-${String(i + 1).padStart(2, '0')}.txt`), text);
  });
  without.forEach((r, i) => {
    const text = [`# message without a report ${i + 1}: #${r.pos + 1} ${r.messageId} (${r.kind}; markers [${r.unquoted}] quoted [${r.quoted}] other [${r.other}])`, raw.get(r.pos) ?? '(not found)'].join('\n');
    writeFileSync(join(out, `noreport-${String(i + 1).padStart(2, '0')}.txt`), text);
  });
}

export async function runMailEval(opts = {}) {
  if (!existsSync(join(corpusDir(), 'mail'))) return null;
  const results = [];
  for (const list of LISTS) results.push(await evalMailList(list, opts));
  console.log('mail samples (../shared/corpora/mail):');
  console.table(results.map(({ list, messages, messagesWithReports, reports, corrupted, buckets, findings, markerMessages, markerMessagesWithReports, ordinaryMessagesWithReports }) => ({
    list,
    messages,
    'with reports': messagesWithReports,
    reports,
    corrupted,
    buckets,
    findings,
    'marker msgs': markerMessages,
    'marker msgs w/ report': markerMessagesWithReports,
    'no-marker msgs w/ report': ordinaryMessagesWithReports,
  })));
  for (const r of results) {
    console.log(`  ${r.list}: ${(100 * r.markerRecall).toFixed(1)}% of the messages with a splat marker yield a report; ${r.reportIdsNotInIndex} report Message-IDs not in the index`);
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--sample');
  const opts = { verbose: process.argv.includes('--verbose') };
  if (i >= 0) Object.assign(opts, { sampleN: Number(process.argv[i + 1]), sampleDir: process.argv[i + 2] });
  await runMailEval(opts);
}
