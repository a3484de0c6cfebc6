// Fix-patch knowledge base against ../shared/corpora/fixmatch (DEV split): builds
// a KB from patches.mbox.gz, analyses every pair's report with it, and scores
// whether the true fix is among the top-1 / top-5 candidates (by commit id prefix
// or normalized subject), per kind of pair. Leakage control (fixmatch README): a
// splat pair's report is cut out of its own fix, so the lines of splats/<id>.txt
// are removed from every version of that fix before it is indexed.
// "blind" scores drop the report's mail headers: no syzbot hash, no Message-ID,
// only what the splat itself shows.
// Usage: node scripts/eval-kb.mjs [--verbose] [--distractors]   (after `npm run build`)
//   --distractors also indexes every fix-like patch of ../shared/corpora/mail (slower).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../dist/analyze.js';
import { buildKbEntries, emptyBuildStats } from '../dist/kb/build.js';
import { KbIndex } from '../dist/kb/kb-index.js';
import { rankCandidates } from '../dist/kb/match.js';
import { subjectKey } from '../dist/kb/subject.js';
import { corpusDir } from './eval-syzkaller.mjs';

const K = 5;

function squash(line) {
  return line.replace(/\s+/g, ' ').trim();
}

/** Message-ID -> the lines of the splats cut out of it (the pair's report). */
function leakedLines(dir, pairs) {
  const byMessage = new Map();
  for (const p of pairs) {
    if (p.kind !== 'splat') continue;
    const lines = readFileSync(join(dir, p.report_file), 'utf8').split('\n').map(squash).filter((l) => l.length > 0);
    for (const id of new Set([...p.fix_message_ids, ...p.patch_message_ids])) {
      if (!byMessage.has(id)) byMessage.set(id, new Set());
      for (const l of lines) byMessage.get(id).add(l);
    }
  }
  return byMessage;
}

async function buildKb(dir, pairs, extraInputs) {
  const leaked = leakedLines(dir, pairs);
  let redactedLines = 0;
  const prepareMessage = (msg) => {
    const drop = msg.messageId ? leaked.get(msg.messageId) : undefined;
    if (!drop) return msg;
    const kept = msg.text.split('\n').filter((l) => !drop.has(squash(l.replace(/^\s*(?:>\s?)+/, ''))));
    redactedLines += msg.text.split('\n').length - kept.length;
    return { ...msg, text: kept.join('\n') };
  };
  const entries = [];
  const errors = [];
  const stats = emptyBuildStats();
  // The mbox holds fixes only (by construction), so every patch in it is kept.
  for await (const rec of buildKbEntries([join(dir, 'patches.mbox.gz')], { allPatches: true, prepareMessage }, stats)) {
    if (rec.kind === 'entry') entries.push(rec.entry);
    else errors.push(rec.error.describe());
  }
  for await (const rec of buildKbEntries(extraInputs, {}, stats)) {
    if (rec.kind === 'entry' && !entries.some((e) => e.key === rec.entry.key)) entries.push(rec.entry);
  }
  return { entries, errors, redactedLines, stats };
}

async function reportsOf(file) {
  const out = [];
  for await (const rec of analyze([file], { detectors: [] })) if (rec.kind === 'report') out.push(rec);
  return out;
}

/** Candidates of every report of a pair, best score per fix, best first. */
function pairCandidates(kb, reports, blind) {
  const best = new Map();
  for (const r of reports) {
    const rep = blind ? { ...r, mail: undefined, precedingLines: [] } : r;
    for (const { fix, candidate } of rankCandidates(kb, rep, K)) {
      const prev = best.get(fix.key);
      if (!prev || prev.score < candidate.score) best.set(fix.key, candidate);
    }
  }
  return [...best.values()].sort((a, b) => b.score - a.score || a.subject.localeCompare(b.subject)).slice(0, K);
}

function truth(p) {
  const subjects = new Set((p.fix_subjects ?? []).map(subjectKey));
  const commits = [...(p.commit_ids ?? []), ...(p.commit_id ? [p.commit_id] : [])].map((c) => c.toLowerCase());
  return (c) => subjects.has(subjectKey(c.subject)) || (c.commit !== undefined && c.commit.length >= 12 && commits.some((x) => x.startsWith(c.commit) || c.commit.startsWith(x.slice(0, Math.max(12, c.commit.length)))));
}

function rank(cands, isHit) {
  const i = cands.findIndex(isHit);
  return i < 0 ? undefined : i + 1;
}

function summarize(name, rows) {
  const n = rows.length;
  const top1 = rows.filter((r) => r.rank === 1).length;
  const top5 = rows.filter((r) => r.rank !== undefined && r.rank <= 5).length;
  const mrr = rows.reduce((s, r) => s + (r.rank ? 1 / r.rank : 0), 0) / (n || 1);
  return { group: name, pairs: n, top1, top5, 'top-1': n ? top1 / n : 0, 'top-5': n ? top5 / n : 0, MRR: mrr };
}

function pct(x) {
  return `${(100 * x).toFixed(1)}%`;
}

export async function runKbEval(opts = {}) {
  const dir = join(corpusDir(), 'fixmatch');
  if (!existsSync(dir)) return null;
  const t0 = Date.now();
  const pairs = readFileSync(join(dir, 'pairs.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const extra = opts.distractors ? ['linux-ext4', 'kasan-dev'].map((l) => join(corpusDir(), 'mail', `${l}-sample.mbox.gz`)).filter(existsSync) : [];
  const { entries, errors, redactedLines } = await buildKb(dir, pairs, extra);
  const kb = new KbIndex(entries);
  // Leakage check: a splat pair's own fix must not quote its report's title any more.
  const rows = [];
  let leaks = 0;
  for (const p of pairs) {
    const reports = await reportsOf(join(dir, p.report_file));
    const isHit = truth(p);
    if (p.kind === 'splat') {
      const own = new Set(p.fix_message_ids);
      const titles = new Set(reports.map((r) => r.title));
      if (entries.some((e) => own.has(e.messageId) && e.splats.some((s) => titles.has(s.title)))) leaks++;
    }
    const seen = pairCandidates(kb, reports, false);
    const blind = pairCandidates(kb, reports, true);
    rows.push({ p, reports: reports.length, rank: rank(seen, isHit), blindRank: rank(blind, isHit), top: seen[0], blindTop: blind[0] });
  }
  const syz = rows.filter((r) => r.p.kind === 'syzbot');
  const groups = [
    ['syzbot: all', syz],
    ['syzbot: fix text quotes the report', syz.filter((r) => r.p.fix_quotes_report === true)],
    ['syzbot: fix has patch text', syz.filter((r) => r.p.fix_has_patch_text)],
    ['splat: all', rows.filter((r) => r.p.kind === 'splat')],
  ];
  const table = [];
  for (const [name, rs] of groups) {
    table.push(summarize(name, rs));
    if (name.startsWith('syzbot')) table.push(summarize(`${name} (blind)`, rs.map((r) => ({ rank: r.blindRank }))));
  }
  console.log(`kb (../shared/corpora/fixmatch): ${entries.length} KB entries, ${kb.size} fixes${extra.length ? ' (with the mail samples as distractors)' : ''}; ${redactedLines} leaked splat lines removed, ${leaks} splat pairs still leak; ${errors.length} input errors; ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.table(table.map((t) => ({ ...t, 'top-1': pct(t['top-1']), 'top-5': pct(t['top-5']), MRR: t.MRR.toFixed(3) })));
  if (opts.verbose) {
    for (const r of rows.filter((x) => x.rank !== 1 || x.blindRank !== 1)) {
      console.log(`  ${r.p.kind} ${r.p.id}: rank ${r.rank ?? '-'} (blind ${r.blindRank ?? '-'}), ${r.reports} reports; truth "${r.p.fix_subjects?.[0]}"; top "${r.top?.subject ?? '-'}" ${r.top?.score ?? ''}${r.blindRank !== 1 && r.rank === 1 ? `; blind top "${r.blindTop?.subject ?? '-'}" ${r.blindTop?.score ?? ''}` : ''}`);
    }
  }
  const fig = (name) => table.find((t) => t.group === name);
  return {
    'syzbot.top1': fig('syzbot: all')['top-1'],
    'syzbot.top5': fig('syzbot: all')['top-5'],
    'syzbot-quoting.top5': fig('syzbot: fix text quotes the report')['top-5'],
    'syzbot.blind.top5': fig('syzbot: all (blind)')['top-5'],
    'syzbot-quoting.blind.top5': fig('syzbot: fix text quotes the report (blind)')['top-5'],
    'splat.top1': fig('splat: all')['top-1'],
    'splat.top5': fig('splat: all')['top-5'],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runKbEval({ verbose: process.argv.includes('--verbose'), distractors: process.argv.includes('--distractors') });
  if (r === null) console.log('eval-kb: ../shared/corpora/fixmatch not found, skipped');
}
