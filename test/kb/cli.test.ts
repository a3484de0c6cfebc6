// `ktriage kb build` and `ktriage analyze --kb` as a user runs them.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputRecordSchema } from '../../src/model/records.js';
import { kbEntrySchema, kbHeaderSchema } from '../../src/model/kb.js';
import { runCliCaptured } from '../helpers/cli.js';

const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'kb');
const tmp = mkdtempSync(join(tmpdir(), 'ktriage-kb-cli-'));

function kbLines(file: string): unknown[] {
  return readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
}

describe('ktriage kb build', () => {
  it('writes a header and one entry per line; --append adds only what is new', async () => {
    const kb = join(tmp, 'kb.json');
    const first = await runCliCaptured(['kb', 'build', join(dir, 'patches.mbox'), '-o', kb]);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe(`ktriage kb: 4 entries written to ${kb} (7 messages, 0 commits read)\n`);
    const lines = kbLines(kb);
    expect(kbHeaderSchema.parse(lines[0])).toMatchObject({ kind: 'kb', version: 1 });
    expect(lines.slice(1).map((l) => kbEntrySchema.parse(l).key)).toHaveLength(4);

    const again = await runCliCaptured(['kb', 'build', '--append', join(dir, 'patches.mbox'), join(dir, 'git-log-fuller.txt'), '-o', kb]);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe(`ktriage kb: 1 entries written to ${kb} (7 messages, 3 commits read, 4 already in the KB)\n`);
    const after = kbLines(kb);
    expect(after).toHaveLength(6);
    // The header is the first one; the new entry is at the end.
    expect(after[0]).toEqual(lines[0]);
    expect(kbEntrySchema.parse(after[5]).key).toBe('commit:aaaabbbbccccddddeeeeffff0000111122223333');
  });

  it('writes to stdout without -o, and says why --append needs a file', async () => {
    const r = await runCliCaptured(['kb', 'build', '-q', join(dir, 'inline-reply.eml')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
    const bad = await runCliCaptured(['kb', 'build', '--append', join(dir, 'inline-reply.eml')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('ktriage: --append needs -o/--output <file>\n');
  });

  it('exits 2 naming an output it cannot write', async () => {
    const r = await runCliCaptured(['kb', 'build', join(dir, 'inline-reply.eml'), '-o', join(tmp, 'no', 'such', 'kb.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`ktriage: ${join(tmp, 'no', 'such', 'kb.json')}: cannot write: no such directory\n`);
  });

  it('exits 2 naming an input that is neither mail nor git log, after writing the others', async () => {
    const kb = join(tmp, 'partial.json');
    const r = await runCliCaptured(['kb', 'build', join(dir, 'report-ext4.log'), join(dir, 'inline-reply.eml'), '-o', kb]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`ktriage: ${join(dir, 'report-ext4.log')}: neither mail (mbox, maildir, .eml) nor \`git log\` output\n`);
    expect(kbLines(kb)).toHaveLength(2);
  });
});

describe('ktriage analyze --kb', () => {
  it('adds a kb finding with candidates, valid against the output schema', async () => {
    const kb = join(tmp, 'full.json');
    await runCliCaptured(['kb', 'build', '-q', '--all-patches', join(dir, 'patches.mbox'), join(dir, 'git-log-fuller.txt'), '-o', kb]);
    const r = await runCliCaptured(['--format', 'jsonl', '--kb', kb, join(dir, 'report-ext4.log')]);
    expect(r.code).toBe(1);
    const recs = r.stdout.trim().split('\n').map((l) => outputRecordSchema.parse(JSON.parse(l)));
    expect(recs.map((x) => x.kind)).toEqual(['report', 'finding', 'summary']);
    const f = recs[1]!;
    if (f.kind !== 'finding') throw new Error('not a finding');
    expect(f).toMatchObject({ detector: 'kb', report: 0, title: 'ext4: fix use-after-free in ext4_demo_lookup()', confidence: 'medium', verdict: 'unknown' });
    expect(f.candidates?.map((c) => [c.subject, c.commit, c.score])).toEqual([['ext4: fix use-after-free in ext4_demo_lookup()', 'fedcba9876543210fedcba9876543210fedcba98', 30]]);
    expect(recs[2]).toMatchObject({ findings: 1, byDetector: { kb: 1 } });
  });

  it('fails with exit code 2 and the line when the KB file is broken', async () => {
    const kb = join(tmp, 'broken.json');
    writeFileSync(kb, '{"kind":"kb","version":1,"createdBy":"x","created":"y"}\n{"kind":"patch"}\n');
    const r = await runCliCaptured(['--format', 'jsonl', '--kb', kb, join(dir, 'report-ext4.log')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^ktriage: ${kb}:2: not a ktriage KB file: entry `));
    expect(r.stdout).toBe('');
  });
});
