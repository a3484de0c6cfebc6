// KB building: patch mail (mbox, .eml) and git log output -> entries; the KB file format.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildKbEntries, emptyBuildStats, isGitLog, mightCarryFix } from '../../src/kb/build.js';
import { formatKbLine, kbHeader, loadKb, parseReleases } from '../../src/kb/file.js';
import { GitLogReader, entryFromCommit } from '../../src/kb/git-log.js';
import type { KbEntry } from '../../src/model/kb.js';
import { KtriageError } from '../../src/model/errors.js';

const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'kb');

async function build(inputs: string[], opts: Parameters<typeof buildKbEntries>[1] = {}): Promise<{ entries: KbEntry[]; errors: KtriageError[] }> {
  const entries: KbEntry[] = [];
  const errors: KtriageError[] = [];
  for await (const r of buildKbEntries(inputs.map((f) => join(dir, f)), opts)) {
    if (r.kind === 'entry') entries.push(r.entry);
    else errors.push(r.error);
  }
  return { entries, errors };
}

describe('KB entries from mail', () => {
  it('finds the fixes in an mbox: a patch, a tip-bot notice, a #syz fix, a b4 "Applied" reply', async () => {
    const { entries, errors } = await build(['patches.mbox']);
    expect(errors).toEqual([]);
    // The #syz test patch, the discussion and the documentation patch are not fixes.
    expect(entries.map((e) => [e.kind, e.subject])).toEqual([
      ['patch', 'ext4: fix use-after-free in ext4_demo_lookup()'],
      ['patch', 'x86/apic: Fix a NULL pointer dereference in apic_demo_teardown()'],
      ['syz-fix', 'ext4: stop writeback before freeing demo pages'],
      ['applied', 'ext4: fix use-after-free in ext4_demo_lookup()'],
    ]);
    const [patch, tip, syzFix, applied] = entries as [KbEntry, KbEntry, KbEntry, KbEntry];
    expect(patch).toMatchObject({
      key: 'msg:20240305100000.1-1-ada@example.org',
      messageId: '20240305100000.1-1-ada@example.org',
      author: 'Ada Writer <ada@example.org>',
      date: '2024-03-05T10:00:00.000Z',
      hasDiff: true,
      fixes: [{ commit: '0123456789ab', subject: 'ext4: add demo lookup' }],
      syzbot: ['a1b2c3d4e5f60718293a'],
      links: ['20240301090000.5555-1-bob@example.org'],
      files: ['fs/ext4/demo.c'],
      functions: ['ext4_demo_lookup', 'ext4_demo_helper'],
      mentions: ['ext4_demo_lookup', 'ext4_demo_put_entry'],
    });
    expect(patch.commit).toBeUndefined();
    // The quoted KASAN report, parsed like any log (generic frames skipped).
    expect(patch.splats).toEqual([
      { title: 'KASAN: slab-use-after-free Read in ext4_demo_lookup', crashClass: 'kasan', corrupted: false, guiltyFunction: 'ext4_demo_lookup', guiltyFile: 'fs/ext4/demo.c', frames: ['ext4_demo_lookup', 'ext4_lookup', '__lookup_slow', 'walk_component'] },
    ]);
    // tip-bot: folded Subject, Commit-ID, the author from the body, a trace trimmed by hand.
    expect(tip).toMatchObject({ commit: '89abcdef0123456789abcdef0123456789abcdef', commitSource: 'commit-id', author: 'Carl Coder <carl@example.com>', functions: ['apic_demo_teardown'] });
    expect(tip.splats[0]).toMatchObject({ guiltyFunction: 'apic_demo_teardown', frames: ['apic_demo_teardown', 'cpuhp_invoke_callback', '_cpu_up', 'cpu_up'] });
    // The hash comes from the syzbot recipient the reply went to.
    expect(syzFix).toMatchObject({ key: 'msg:87demo.fsf@example.net#syz-fix', syzbot: ['f0e1d2c3b4a596870011'], hasDiff: false });
    expect(applied).toMatchObject({ commit: 'fedcba9876543210fedcba9876543210fedcba98', commitSource: 'applied-reply' });
  });

  it('keeps every patch with allPatches, but never a #syz test submission', async () => {
    const { entries } = await build(['patches.mbox'], { allPatches: true });
    expect(entries.map((e) => e.subject)).toContain('ext4: document the demo mount option');
    expect(entries.filter((e) => e.kind === 'patch')).toHaveLength(3);
  });

  it('reads a patch inlined in a reply, with its folded in-body Subject', async () => {
    const { entries } = await build(['inline-reply.eml']);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      subject: "mm/demo: don't free a range twice in demo_free_range()",
      reportedBy: ['Gus Reporter <gus@example.com>'],
      links: ['gus-report-1@example.com'],
      functions: ['demo_release'],
      splats: [],
    });
  });

  it('unfolds an in-body Subject whose next line starts with a no-break space', async () => {
    // Mail clients write blanks as U+00A0 (a linux-ext4 reply of 2024 folds its inline patch's
    // Subject as " \u00a0ext4_xattr_block_cache_find()"), which is no \S and no [ \t] either.
    const text = readFileSync(join(dir, 'inline-reply.eml'), 'utf8').replace('\n demo_free_range()', '\n \u00a0demo_free_range()');
    expect(text).toContain('\u00a0demo_free_range()');
    const file = join(mkdtempSync(join(tmpdir(), 'ktriage-kb-')), 'nbsp.eml');
    writeFileSync(file, text);
    const entries: KbEntry[] = [];
    for await (const r of buildKbEntries([file], {})) if (r.kind === 'entry') entries.push(r.entry);
    expect(entries.map((e) => e.subject)).toEqual(["mm/demo: don't free a range twice in demo_free_range()"]);
  });

  it('skips messages that cannot hold a fix without decoding them', () => {
    expect(mightCarryFix(Buffer.from('Subject: hi\n\nplain talk\n'))).toBe(false);
    expect(mightCarryFix(Buffer.from('Subject: hi\nContent-Transfer-Encoding: BASE64\n\nZGlmZg==\n'))).toBe(true);
    expect(mightCarryFix(Buffer.from('Subject: [PATCH]\n\n---\ndiff --git a/x b/x\n'))).toBe(true);
    // A reply that only quotes a patch, and a quoted-printable body without one.
    expect(mightCarryFix(Buffer.from('Subject: Re: [PATCH]\n\n> diff --git a/x b/x\n> @@ -1 +1 @@\nLooks good.\n'))).toBe(false);
    expect(mightCarryFix(Buffer.from('Subject: hi\nContent-Transfer-Encoding: quoted-printable\n\nplain =3D talk\n'))).toBe(false);
  });
});

describe('KB entries from git log', () => {
  it('reads --format=fuller -p: commit, author date, release tag, Link: Message-ID, diff', async () => {
    const { entries } = await build(['git-log-fuller.txt'], { releases: parseReleases('aaaabbbbcccc v6.9-rc1~3\n') });
    // The first commit's subject does not read like a fix; the documentation commit is not one.
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      key: 'commit:aaaabbbbccccddddeeeeffff0000111122223333',
      origin: 'git-log',
      subject: 'sched/demo: Fix a race in demo_enqueue()',
      commit: 'aaaabbbbccccddddeeeeffff0000111122223333',
      commitSource: 'git-log',
      release: '6.9-rc1',
      messageId: '20240328090000.1-1-ivy@example.org',
      author: 'Ivy Coder <ivy@example.org>',
      date: '2024-03-29T09:00:00.000Z',
      fixes: [{ commit: '0f0f0f0f0f0f', subject: 'sched/demo: Add demo class' }],
      files: ['kernel/sched/demo.c'],
      functions: ['demo_enqueue'],
    });
    expect(entries[0]!.splats.map((s) => s.title)).toEqual(['WARNING in demo_enqueue']);
  });

  it('takes the release of a commit tagged itself, and keeps every non-merge commit with allPatches', async () => {
    const { entries } = await build(['git-log-fuller.txt'], { allPatches: true });
    expect(entries.map((e) => [e.subject, e.release])).toEqual([
      ['ext4: stop writeback before freeing demo pages', '6.9-rc2'],
      ['sched/demo: Fix a race in demo_enqueue()', undefined],
      ['docs: update the demo admin guide', undefined],
    ]);
  });

  it('reads the medium format with --name-only; merges are never entries', async () => {
    const { entries } = await build(['git-log-name-only.txt'], { allPatches: true });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ subject: 'mm/demo: prevent double free in demo_free_range()', hasDiff: false, files: ['mm/demo.c', 'include/linux/demo.h'], syzbot: ['0a0b0c0d0e0f01020304'], date: '2024-04-01T10:00:00.000Z' });
  });

  it('tells git log from mail', () => {
    expect(isGitLog(Buffer.from('\ncommit 1111222233334444555566667777888899990000 (HEAD -> main)\nAuthor: a\n'))).toBe(true);
    expect(isGitLog(Buffer.from('From mboxrd@z Thu Jan  1 00:00:00 1970\n'))).toBe(false);
  });

  it('cuts nothing when a commit arrives line by line', () => {
    const r = new GitLogReader();
    const lines = ['commit 1111222233334444555566667777888899990000', 'Author: A <a@b>', '', '    x: fix y', ''];
    lines.forEach((l, i) => expect(r.push(l, i + 1)).toBeUndefined());
    const c = r.end()!;
    expect(entryFromCommit(c)).toMatchObject({ subject: 'x: fix y', author: 'A <a@b>' });
  });
});

describe('inputs that are not mail or git log', () => {
  it('become an error naming the file; the other inputs are still read', async () => {
    const { entries, errors } = await build(['report-ext4.log', 'inline-reply.eml']);
    expect(errors.map((e) => e.describe())).toEqual([`${join(dir, 'report-ext4.log')}: neither mail (mbox, maildir, .eml) nor \`git log\` output`]);
    expect(entries).toHaveLength(1);
  });
});

describe('KB file', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'ktriage-kb-'));

  it('round-trips a header and entries', async () => {
    const { entries } = await build(['patches.mbox']);
    const file = join(tmp, 'kb.json');
    writeFileSync(file, [kbHeader('ktriage test'), ...entries].map(formatKbLine).join(''));
    expect(await loadKb(file)).toEqual(entries);
  });

  it.each([
    ['an empty file', '', 1, 'the file is empty'],
    ['another format version', '{"kind":"kb","version":2,"createdBy":"x","created":"y"}\n', 1, 'KB format version 2 is not supported'],
    ['a report instead of a header', '{"kind":"report"}\n', 1, 'the first line is not a KB header'],
    ['an entry that breaks the schema', `${JSON.stringify(kbHeader('x'))}\n{"kind":"patch","key":"k"}\n`, 2, 'entry origin:'],
    ['a line that is not JSON', `${JSON.stringify(kbHeader('x'))}\n{oops\n`, 2, 'invalid JSON'],
  ])('rejects %s, naming the line', async (_what, text, line, msg) => {
    const file = join(tmp, 'bad.json');
    writeFileSync(file, text);
    const err = await loadKb(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KtriageError);
    expect((err as KtriageError).line).toBe(line);
    expect((err as KtriageError).file).toBe(file);
    expect((err as KtriageError).message).toContain(msg);
  });

  it('reads release lists as git name-rev and describe --contains print them', () => {
    const m = parseReleases('aaaabbbbccccddddeeeeffff0000111122223333 tags/v6.9-rc1~12^2~3\n2468ace02468 (tags/v6.10~100)\nno commit here v6.1\n');
    expect(m.get('aaaabbbbccccddddeeeeffff0000111122223333')).toBe('6.9-rc1');
    expect(m.get('aaaabbbbcccc')).toBe('6.9-rc1');
    expect(m.get('2468ace02468')).toBe('6.10');
    expect(m.size).toBe(3);
  });
});

describe('directories', () => {
  it('skip files that are neither mail nor git log, and count them', async () => {
    const stats = emptyBuildStats();
    const keys: string[] = [];
    for await (const r of buildKbEntries([dir], {}, stats)) if (r.kind === 'entry') keys.push(r.entry.key);
    // README.md, releases.txt and the two report logs are skipped; the rest are read:
    // 4 fixes in patches.mbox, 1 in inline-reply.eml, 1 in each git log.
    expect(stats).toMatchObject({ sources: 8, skippedFiles: 4, messages: 8, commits: 5 });
    expect(keys).toHaveLength(7);
  });
});

describe('archives', () => {
  it('read their files as a directory\'s: mail read, a log skipped and counted', async () => {
    // fixtures/archives/kb-mail.tar.gz holds patches.mbox, inline-reply.eml and report-ext4.log (`tar tvzf`).
    const stats = emptyBuildStats();
    const entries: KbEntry[] = [];
    for await (const r of buildKbEntries([join(dir, '..', 'archives', 'kb-mail.tar.gz')], {}, stats)) if (r.kind === 'entry') entries.push(r.entry);
    const direct = await build(['patches.mbox', 'inline-reply.eml']);
    expect(direct.entries).toHaveLength(5);
    expect(entries).toEqual(direct.entries);
    // The archive counts as its three files; the log is no mail.
    expect(stats).toMatchObject({ sources: 3, skippedFiles: 1 });
  });
});
