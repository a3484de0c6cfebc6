// --fail-on, --baseline and `ktriage baseline create` as a user runs them, and the exit codes.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUG_LOG, WARNING_LOG, jsonl, tempDir, threeLogs } from './helpers/ci-logs.js';
import { runCliCaptured } from './helpers/cli.js';

describe('--fail-on', () => {
  it.each([
    // default: any report fails
    [[], 1],
    // the WARNING is not a BUG, KASAN or panic
    [['--fail-on', 'bug,kasan,panic'], 0],
    [['--fail-on', 'warning'], 1],
    [['--fail-on', 'WARNING'], 1],
    [['--fail-on', 'severity:error'], 0],
    [['--fail-on', 'severity:warning'], 1],
    [['--fail-on', 'none'], 0],
  ])('a WARNING with %j exits %i', async (flags, code) => {
    const r = await runCliCaptured(['-f', 'jsonl', ...flags], { stdin: WARNING_LOG });
    expect(r.code).toBe(code);
    // the report is printed whatever the policy
    expect(jsonl(r.stdout).map((x) => x.kind)).toEqual(['report', 'summary']);
  });

  it('a BUG fails --fail-on bug,kasan,panic', async () => {
    const r = await runCliCaptured(['-f', 'jsonl', '--fail-on', 'bug,kasan,panic'], { stdin: BUG_LOG });
    expect(r.code).toBe(1);
  });

  it('a kernel error fails the run only when a kernel-error term names its category', async () => {
    // No report: an ext4 error and a corrected memory error (fs/ext4/super.c, drivers/edac/edac_mc.c formats).
    const log = [
      '[ 5123.200000] EXT4-fs error (device sda1): ext4_find_entry:1455: inode #2: comm ls: reading directory lblock 0',
      '[ 7000.100000] EDAC MC0: 1 CE memory read error on CPU_SrcID#0_Ha#0_Chan#1_DIMM#0 (channel:1 slot:0 page:0x123 offset:0x0 grain:32 syndrome:0x0)',
    ].join('\n');
    const codes: Array<[string[], number]> = [];
    for (const flags of [[], ['--fail-on', 'any'], ['--fail-on', 'kernel-error:io-error'], ['--fail-on', 'kernel-error:filesystem'], ['--fail-on', 'bug,kernel-error:any']]) {
      const r = await runCliCaptured(['-f', 'jsonl', ...flags], { stdin: log });
      codes.push([flags, r.code]);
    }
    expect(codes).toEqual([
      [[], 0],
      [['--fail-on', 'any'], 0],
      [['--fail-on', 'kernel-error:io-error'], 0],
      [['--fail-on', 'kernel-error:filesystem'], 1],
      [['--fail-on', 'bug,kernel-error:any'], 1],
    ]);
  });

  it('an input error still exits 2', async () => {
    const r = await runCliCaptured(['-f', 'jsonl', '--fail-on', 'none', '/nonexistent.log']);
    expect(r.code).toBe(2);
  });

  it('a bad policy is a usage error naming the term', async () => {
    const r = await runCliCaptured(['--example', '--fail-on', 'bug,KASAN']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ktriage: --fail-on: unknown term "KASAN" (did you mean "kasan"? classes are lower case, types upper case)\n');
    expect(r.stdout).toBe('');
  });
});

describe('--baseline and baseline create', () => {
  it('a baseline made from a log suppresses its reports: printed, flagged, counted, exit code 0', async () => {
    const { dir, warning, bug } = threeLogs();
    const baseline = join(dir, 'known.yaml');
    const made = await runCliCaptured(['baseline', 'create', '-o', baseline, warning]);
    expect(made.code).toBe(0);
    expect(made.stderr).toBe(`ktriage: ${baseline}: baseline of 1 bucket(s) from 1 report(s)\n`);
    expect(readFileSync(baseline, 'utf8')).toContain('    title: WARNING in foo_bar\n');

    const same = await runCliCaptured(['-f', 'jsonl', '--baseline', baseline, warning]);
    expect(same.code).toBe(0);
    const recs = jsonl(same.stdout);
    expect(recs[0]).toMatchObject({ kind: 'report', title: 'WARNING in foo_bar', suppressed: true });
    expect(recs.at(-1)).toMatchObject({ kind: 'summary', reports: 1, suppressed: 1 });

    // A new BUG next to the known WARNING fails the run; only the WARNING is suppressed.
    const more = await runCliCaptured(['-f', 'jsonl', '-j', '1', '--baseline', baseline, warning, bug]);
    expect(more.code).toBe(1);
    expect(jsonl(more.stdout).filter((x) => x.kind === 'report').map((x) => [x.kind === 'report' && x.title, x.kind === 'report' && x.suppressed])).toEqual([
      ['WARNING in foo_bar', true],
      ['kernel BUG in madvise_cold_or_pageout_pte_range', undefined],
    ]);
  });

  it('the table says how many reports the baseline suppressed', async () => {
    const { dir, warning, bug } = threeLogs();
    const baseline = join(dir, 'known.json');
    expect((await runCliCaptured(['baseline', 'create', '-o', baseline, warning])).code).toBe(0);
    expect((JSON.parse(readFileSync(baseline, 'utf8')) as { version: number }).version).toBe(1);
    const r = await runCliCaptured(['-f', 'table', '-j', '1', '--baseline', baseline, warning, bug]);
    expect(r.stdout).not.toContain('WARNING in foo_bar');
    expect(r.stdout).toContain('kernel BUG in madvise_cold_or_pageout_pte_range');
    expect(r.stdout).toContain('\n1 report(s) suppressed by the baseline, not shown (--format jsonl lists them with "suppressed": true)\n');
    const none = await runCliCaptured(['-f', 'table', '--baseline', baseline, warning]);
    expect(none.stdout).toContain('No kernel reports outside the baseline found in 1 source(s)');
    expect(none.code).toBe(0);
  });

  it('--jobs 2 suppresses the same reports as --jobs 1', async () => {
    const { dir, bug, kasan } = threeLogs();
    const baseline = join(dir, 'known.yaml');
    await runCliCaptured(['baseline', 'create', '-o', baseline, bug, kasan]);
    const one = await runCliCaptured(['-f', 'jsonl', '-j', '1', '--baseline', baseline, dir]);
    const two = await runCliCaptured(['-f', 'jsonl', '-j', '2', '--baseline', baseline, dir]);
    expect(two.stdout).toBe(one.stdout);
    expect(jsonl(one.stdout).at(-1)).toMatchObject({ kind: 'summary', reports: 3, suppressed: 2 });
  });

  it('baseline create prints YAML without -o, and writes nothing when an input is unreadable', async () => {
    const { dir, warning } = threeLogs();
    const r = await runCliCaptured(['baseline', 'create', warning]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# ktriage baseline: /);
    const out = join(dir, 'b.yaml');
    const bad = await runCliCaptured(['baseline', 'create', '-o', out, warning, join(dir, 'missing.log')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`ktriage: error: ${join(dir, 'missing.log')}: no such file or directory\n`);
    expect(existsSync(out)).toBe(false);
  });

  it('an invalid baseline is an error naming the file and line', async () => {
    const dir = tempDir();
    const file = join(dir, 'b.yaml');
    writeFileSync(file, 'version: 1\nentries:\n  - title: x\n');
    const r = await runCliCaptured(['--example', '--baseline', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`ktriage: ${file}:3: entries[0].key: Invalid input: expected string, received undefined\n`);
    const missing = await runCliCaptured(['--example', '--baseline', join(dir, 'nope.yaml')]);
    expect(missing.stderr).toBe(`ktriage: ${join(dir, 'nope.yaml')}: no such file or directory\n`);
  });
});
