// Matching reports against a KB: evidence, ranking, version marks, curated precedence.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeText, analyzeTextRecords } from '../../src/analyze.js';
import { withKbFindings } from '../../src/kb/annotate.js';
import { buildKbEntries } from '../../src/kb/build.js';
import { entryFromCommit, GitLogReader } from '../../src/kb/git-log.js';
import { kbFinding } from '../../src/kb/kb-finding.js';
import { KbIndex } from '../../src/kb/kb-index.js';
import { rankCandidates, reportFeatures } from '../../src/kb/match.js';
import type { Finding } from '../../src/model/finding.js';
import type { KbEntry } from '../../src/model/kb.js';
import type { OutputRecord } from '../../src/model/records.js';
import type { Report } from '../../src/model/report.js';

const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'kb');

async function fixtureKb(): Promise<KbIndex> {
  const entries: KbEntry[] = [];
  const inputs = ['patches.mbox', 'inline-reply.eml', 'git-log-fuller.txt', 'git-log-name-only.txt'].map((f) => join(dir, f));
  for await (const r of buildKbEntries(inputs, { allPatches: true })) if (r.kind === 'entry') entries.push(r.entry);
  return new KbIndex(entries);
}

function report(file: string): Report {
  const r = analyzeText(readFileSync(join(dir, file), 'utf8'), file)[0];
  if (!r) throw new Error(`no report in ${file}`);
  return r;
}

describe('KbIndex', () => {
  it('groups every entry of one fix by subject and takes its commit and release from the best source', async () => {
    const kb = await fixtureKb();
    const demo = kb.fixes.find((f) => f.subject === 'ext4: fix use-after-free in ext4_demo_lookup()')!;
    // The patch and the b4 "Applied" reply: the commit comes from the reply, the Message-ID from the patch.
    expect(demo.entries.map((e) => e.kind)).toEqual(['patch', 'applied']);
    expect(demo).toMatchObject({ messageId: '20240305100000.1-1-ada@example.org', commit: 'fedcba9876543210fedcba9876543210fedcba98' });
    // "#syz fix" names a commit that the git log has: one fix, with the log's commit and tag.
    const wb = kb.fixes.find((f) => f.key === 'ext4: stop writeback before freeing demo pages')!;
    expect(wb.entries.map((e) => e.kind)).toEqual(['syz-fix', 'patch']);
    expect(wb).toMatchObject({ commit: '1111222233334444555566667777888899990000', release: '6.9-rc2' });
    expect(kb.functionWeight('ext4_demo_lookup')).toBe(1);
  });
});

describe('rankCandidates', () => {
  it('puts the fix that quotes the same KASAN report and changes its guilty function first', async () => {
    const kb = await fixtureKb();
    const r = report('report-ext4.log');
    expect(reportFeatures(r)).toMatchObject({ hashes: [], guilty: ['ext4_demo_lookup'], frames: ['ext4_lookup', '__lookup_slow', 'walk_component'] });
    const ranked = rankCandidates(kb, r);
    expect(ranked.map((x) => x.candidate.subject)).toEqual(['ext4: fix use-after-free in ext4_demo_lookup()']);
    const c = ranked[0]!.candidate;
    // same title 10, same guilty function 6, touched 6, mentioned 4, three shared frames capped at 2 x 2, file 1.
    expect(c.evidence.map((e) => [e.kind, e.points])).toEqual([
      ['same-title', 10],
      ['same-guilty-function', 6],
      ['guilty-function-touched', 6],
      ['guilty-function-mentioned', 4],
      ['shared-frames', 4],
    ]);
    expect(c.score).toBe(30);
    expect(c).toMatchObject({ messageId: '20240305100000.1-1-ada@example.org', commit: 'fedcba9876543210fedcba9876543210fedcba98' });
  });

  it('matches a trimmed trace in a tip-bot notice to a full oops by the PC function', async () => {
    const kb = await fixtureKb();
    const c = rankCandidates(kb, report('report-apic.log'))[0]!.candidate;
    expect(c.subject).toBe('x86/apic: Fix a NULL pointer dereference in apic_demo_teardown()');
    expect(c.evidence.map((e) => e.kind)).toEqual(['same-guilty-function', 'guilty-function-touched', 'guilty-function-mentioned', 'shared-frames', 'frames-mentioned']);
  });

  it('names the fix of a syzbot report by its hash, from the mail it came in', async () => {
    const kb = await fixtureKb();
    const r: Report = { ...report('report-ext4.log'), mail: { from: 'syzbot <syzbot+f0e1d2c3b4a596870011@syzkaller.appspotmail.com>' } };
    const top = rankCandidates(kb, r)[0]!.candidate;
    expect(top).toMatchObject({ subject: 'ext4: stop writeback before freeing demo pages', commit: '1111222233334444555566667777888899990000', score: 50 });
    expect(top.evidence).toEqual([{ kind: 'syzbot-hash', value: 'f0e1d2c3b4a596870011', points: 50 }]);
  });

  it('finds nothing for a report no fix is about', async () => {
    const kb = await fixtureKb();
    const r = analyzeText('[    1.0] WARNING: CPU: 0 PID: 1 at drivers/gpu/x.c:1 gpu_demo_flip+0x1/0x2\n[    1.0] Call Trace:\n[    1.0]  drm_demo_commit+0x1/0x2\n[    1.0] ---[ end trace 0 ]---\n')[0]!;
    expect(rankCandidates(kb, r)).toEqual([]);
  });
});

describe('kbFinding', () => {
  it('marks a candidate whose release is known against the report kernel', async () => {
    const kb = await fixtureKb();
    const base = report('report-ext4.log');
    const syz = { from: 'syzbot+f0e1d2c3b4a596870011@syzkaller.appspotmail.com' };
    const old = kbFinding(kb, { ...base, mail: syz, kernelVersion: '6.8.0' })!;
    expect(old).toMatchObject({ detector: 'kb', verdict: 'affected', confidence: 'high', title: 'ext4: stop writeback before freeing demo pages' });
    expect(old.candidates![0]).toMatchObject({ release: '6.9-rc2', inReportKernel: false, inReportKernelReason: '111122223333 was first released in v6.9-rc2' });
    const fixed = kbFinding(kb, { ...base, mail: syz, kernelVersion: '6.9.0' })!;
    expect(fixed).toMatchObject({ verdict: 'fixed', verdictReason: '111122223333 is in v6.9-rc2' });
    expect(fixed.fixCommits).toEqual([{ commit: '1111222233334444555566667777888899990000', subject: 'ext4: stop writeback before freeing demo pages', release: '6.9-rc2', backports: [] }]);
    // Without a known release nothing is marked.
    const unknown = kbFinding(kb, { ...base, kernelVersion: '6.8.0' })!;
    expect(unknown.verdict).toBe('unknown');
    expect(unknown.candidates![0]!.inReportKernel).toBeUndefined();
  });

  it('defers to a curated detector: the fix it cites goes first and the finding says so', async () => {
    const kb = await fixtureKb();
    const r = report('report-ext4.log');
    const curated = {
      kind: 'finding',
      source: r.source,
      report: r.index,
      detector: 'kasan-uaf-ext4-demo',
      title: 'ext4 demo lookup use-after-free',
      match: 'splat',
      confidence: 'high',
      verdict: 'affected',
      verdictReason: 'x',
      message: 'x',
      fixCommits: [{ commit: '1111222233334444', subject: 'ext4: stop writeback before freeing demo pages', release: '6.9-rc2', backports: [] }],
      discussions: [],
      evidence: { lines: [], frames: [], notes: [] },
    } satisfies Finding;
    // The curated fix is not among this report's candidates: the ranking stays, the precedence is stated.
    const f = kbFinding(kb, r, [curated])!;
    expect(f.supersededBy).toEqual(['kasan-uaf-ext4-demo']);
    expect(f.confidence).toBe('low');
    expect(f.message).toContain('The curated detector kasan-uaf-ext4-demo also matched this report: its finding takes precedence');
    expect(f.candidates![0]!.curatedBy).toBeUndefined();
    // Citing the candidate's fix (by commit prefix) marks it and ranks it first.
    const cites = { ...curated, fixCommits: [{ ...curated.fixCommits[0]!, commit: 'fedcba987654', subject: 'another subject' }] };
    const g = kbFinding(kb, r, [cites])!;
    expect(g.candidates![0]).toMatchObject({ subject: 'ext4: fix use-after-free in ext4_demo_lookup()', curatedBy: 'kasan-uaf-ext4-demo', score: 130 });
    expect(g.candidates![0]!.evidence[0]).toEqual({ kind: 'curated-detector', value: 'kasan-uaf-ext4-demo', points: 100 });
  });
});

describe('withKbFindings', () => {
  it('adds a kb finding right after each report, and counts it in the summary', async () => {
    const kb = await fixtureKb();
    const text = readFileSync(join(dir, 'report-ext4.log'), 'utf8') + readFileSync(join(dir, 'report-apic.log'), 'utf8');
    const recs = analyzeTextRecords(text, 'two.log');
    async function* stream(): AsyncGenerator<OutputRecord> {
      yield* recs;
      yield { kind: 'summary', schemaVersion: 1, sources: 1, messages: 0, messagesWithReports: 0, lines: 0, reports: 2, corrupted: 0, errors: 0, notices: 0, byClass: {}, byTitle: {}, findings: 0, byDetector: {} } as OutputRecord;
    }
    const out: OutputRecord[] = [];
    for await (const r of withKbFindings(stream(), kb)) out.push(r);
    expect(out.map((r) => (r.kind === 'finding' ? `finding ${r.detector} ${r.report}` : r.kind))).toEqual(['report', 'finding kb 0', 'report', 'finding kb 1', 'summary']);
    const sum = out.at(-1)!;
    expect(sum).toMatchObject({ kind: 'summary', findings: 2, byDetector: { kb: 2 } });
  });
});

describe('curated and learned together', () => {
  it('runs the curated detectors itself: the kb finding follows its report at once and defers to them', async () => {
    // A hand-written commit naming the fix the built-in writeback-from-direct-reclaim detector cites.
    const log = [
      'commit 8bdd638091605dc66d92c57c4b80eb87fffc15f7',
      'Author: Hugh Example <hugh@example.org>',
      'Date:   Sat Jul 26 12:00:00 2014 -0700',
      '',
      '    mm: fix direct reclaim writeback regression',
      '    ',
      '    xfs_vm_writepage() warns when shrink_page_list() calls it from direct reclaim.',
      '',
    ];
    const reader = new GitLogReader();
    log.forEach((l, i) => reader.push(l, i + 1));
    const kb = new KbIndex([entryFromCommit(reader.end()!)!]);
    const file = join(dir, '..', 'detectors', 'writeback-from-direct-reclaim', 'match-xfs-3.16-rc3-syslog.hand.log');
    const recs = analyzeTextRecords(readFileSync(file, 'utf8'), 'xfs.log');
    async function* stream(): AsyncGenerator<OutputRecord> {
      yield* recs;
    }
    const out: OutputRecord[] = [];
    for await (const r of withKbFindings(stream(), kb)) out.push(r);
    expect(out.map((r) => (r.kind === 'finding' ? r.detector : r.kind))).toEqual(['report', 'kb', 'writeback-from-direct-reclaim']);
    const f = out[1]!;
    if (f.kind !== 'finding') throw new Error('not a finding');
    expect(f.supersededBy).toEqual(['writeback-from-direct-reclaim']);
    expect(f.confidence).toBe('low');
    expect(f.candidates![0]).toMatchObject({ subject: 'mm: fix direct reclaim writeback regression', curatedBy: 'writeback-from-direct-reclaim' });
    expect(f.candidates![0]!.evidence.map((e) => e.kind)).toEqual(['curated-detector', 'guilty-function-mentioned', 'frames-mentioned']);
  });
});
