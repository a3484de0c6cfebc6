// The CLI as a user runs it: inputs, formats, exit codes, errors.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputRecordSchema } from '../src/model/records.js';
import { runCliCaptured } from './helpers/cli.js';
import { createProgress, formatEta } from '../src/cli/progress.js';
import { PassThrough, Writable } from 'node:stream';

import { WARNING_LOG, warningOnKernel } from './helpers/warning-log.js';

function jsonl(out: string) {
  return out
    .trim()
    .split('\n')
    .map((l) => outputRecordSchema.parse(JSON.parse(l)));
}

describe('ktriage analyze', () => {
  it('reads stdin when no input is given and prints JSONL when stdout is not a terminal', async () => {
    const r = await runCliCaptured([], { stdin: WARNING_LOG });
    expect(r.code).toBe(1);
    const recs = jsonl(r.stdout);
    expect(recs.map((x) => x.kind)).toEqual(['report', 'summary']);
    const rep = recs[0]!;
    if (rep.kind !== 'report') throw new Error('not a report');
    expect(rep).toMatchObject({ source: '-', index: 0, title: 'WARNING in foo_bar', crashType: 'WARNING', kernelVersion: '6.1.0-18-amd64', startLine: 2, endLine: 11, corrupted: false });
    expect(rep.frames.map((f) => f.function)).toEqual(['foo_caller', 'process_one_work']);
  });

  it('"-" is stdin', async () => {
    const r = await runCliCaptured(['--format', 'jsonl', '-'], { stdin: WARNING_LOG });
    expect(r.code).toBe(1);
    expect(jsonl(r.stdout)[0]).toMatchObject({ kind: 'report', source: '-' });
  });

  it('exits 0 and says so when there is no report', async () => {
    const r = await runCliCaptured(['--format', 'table'], { stdin: '[    0.000000] Linux version 6.1.0 (gcc) #1 SMP\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No kernel reports found');
  });

  it('table output names source, line, class, title and kernel', async () => {
    const r = await runCliCaptured(['--format', 'table'], { stdin: WARNING_LOG });
    expect(r.stdout).toMatch(/│ - +│ 2 +│ warning +│ WARNING in foo_bar +│ 6\.1\.0-18-amd64/);
  });

  it('json output is one array of the same records', async () => {
    const r = await runCliCaptured(['--format', 'json'], { stdin: WARNING_LOG });
    const arr = JSON.parse(r.stdout) as unknown[];
    expect(arr.map((x) => outputRecordSchema.parse(x).kind)).toEqual(['report', 'summary']);
  });

  it('a missing file is a one-line error naming it, exit code 2, other inputs still analysed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-cli-'));
    writeFileSync(join(dir, 'w.log'), WARNING_LOG);
    const r = await runCliCaptured(['--format', 'jsonl', join(dir, 'missing.log'), join(dir, 'w.log')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`ktriage: error: ${join(dir, 'missing.log')}: no such file or directory\n`);
    expect(jsonl(r.stdout).map((x) => x.kind)).toEqual(['error', 'report', 'summary']);
  });

  it('rejects an unknown format with exit code 2', async () => {
    const r = await runCliCaptured(['--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("argument 'xml' is invalid");
  });

  it('--version prints the version', async () => {
    const r = await runCliCaptured(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('--help has examples and the exit codes', async () => {
    const r = await runCliCaptured(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('dmesg | ktriage');
    expect(r.stdout).toContain('Exit status: 0 no report found, 1 at least one report, 2 usage or input error.');
  });

  it('analyses the bundled example when started on a terminal without input', async () => {
    const r = await runCliCaptured([], { stdinTTY: true, stdoutTTY: true });
    expect(r.stderr).toContain('analysing the bundled example');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('report(s)');
  });

  describe('progress bar', () => {
    const mbox = join(import.meta.dirname, '..', 'fixtures', 'mail', 'variants.mbox');
    const bar = /\d+% \| \d+\/\d+ MB \| \d+ messages/;

    it('is redrawn on a terminal with MB, messages and rate, and logs lines above itself', async () => {
      let out = '';
      const stderr = Object.assign(new Writable({ write: (c: Buffer, _e, cb) => ((out += c.toString()), cb()) }), { isTTY: true, columns: 120 });
      const io = { stdout: new PassThrough(), stderr, stdin: new PassThrough(), env: {} };
      const p = await createProgress(io, true);
      p.onInputs([mbox]);
      p.onBytes(3 * 1024 * 1024);
      p.onMessages(7);
      await new Promise((r) => setTimeout(r, 450)); // redrawn 5 times a second
      p.log('ktriage: notice: x.log:3: line cut');
      p.stop();
      expect(out).toMatch(bar);
      expect(out).toMatch(/3\/0 MB \| 7 messages \| [\d.]+ MB\/s/);
      expect(out).toContain('ktriage: notice: x.log:3: line cut\n');
    });

    it('gives the time left in seconds, minutes or hours', () => {
      expect([0.4, 45, 185, 3599, 7800].map(formatEta)).toEqual(['0s', '45s', '3m05s', '59m59s', '2h10m']);
    });

    it('totals the files the inputs name or hold, walking them on its own', async () => {
      // The run walks a directory only as it reads it; the bar's total is known before.
      const dir = mkdtempSync(join(tmpdir(), 'ktriage-bar-'));
      mkdirSync(join(dir, 'sub'));
      writeFileSync(join(dir, 'a.log'), Buffer.alloc(3 * 1024 * 1024, 0x61));
      writeFileSync(join(dir, 'sub', 'b.log'), Buffer.alloc(2 * 1024 * 1024, 0x61));
      writeFileSync(join(dir, 'c.log'), Buffer.alloc(1024 * 1024, 0x61));
      let out = '';
      const stderr = Object.assign(new Writable({ write: (c: Buffer, _e, cb) => ((out += c.toString()), cb()) }), { isTTY: true, columns: 120 });
      const p = await createProgress({ stdout: new PassThrough(), stderr, stdin: new PassThrough(), env: {} }, true);
      p.onBytes(1024 * 1024);
      await new Promise((r) => setTimeout(r, 250));
      // Before the sizes are in (and for stdin): no percentage or ETA (cli-progress said 100% and "NFs").
      expect(out).toMatch(/ 0% \| 1\/\? MB \| 0 messages \| [\d.]+ MB\/s \| ETA \?/);
      p.onInputs([join(dir, 'sub'), '-', join(dir, 'missing.log'), join(dir, 'a.log')]);
      await new Promise((r) => setTimeout(r, 450));
      p.stop();
      expect(out).toMatch(/ 20% \| 1\/5 MB \| 0 messages \| [\d.]+ MB\/s \| ETA \d+s/);
      expect(out).not.toContain('NF');
    });

    it('does not touch stdout in a CLI run on a terminal', async () => {
      const r = await runCliCaptured(['-f', 'jsonl', '-j', '1', mbox], { stderrTTY: true });
      expect(r.code).toBe(1);
      expect(() => jsonl(r.stdout)).not.toThrow();
    });

    it.each([
      ['stderr is not a terminal', [], {}],
      ['--quiet', ['-q'], { stderrTTY: true }],
      ['--no-progress', ['--no-progress'], { stderrTTY: true }],
      ['CI is set', [], { stderrTTY: true, env: { CI: 'true' } }],
    ])('is not drawn when %s', async (_why, flags, opts) => {
      const r = await runCliCaptured(['-f', 'jsonl', '-j', '1', ...flags, mbox], opts);
      expect(r.code).toBe(1);
      expect(r.stderr).not.toMatch(/MB \|/);
    });
  });

  it('schema prints a JSON Schema of the output records', async () => {
    const r = await runCliCaptured(['schema']);
    const schema = JSON.parse(r.stdout) as { $schema: string; oneOf?: unknown[]; anyOf?: unknown[] };
    expect(schema.$schema).toContain('2020-12');
    expect((schema.oneOf ?? schema.anyOf)?.length).toBe(10); // report, finding, bucket, error, notice, summary, trace, trace-event, kernel-error, boot
  });
});

describe('bin/ktriage.js (spawned)', () => {
  const bin = join(import.meta.dirname, '..', 'bin', 'ktriage.js');

  it('runs from the built dist/ and sets the exit code', () => {
    const r = spawnSync(process.execPath, [bin, '--format', 'jsonl', '-'], { input: WARNING_LOG, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('"title":"WARNING in foo_bar"');
  });

  it('--version alone is answered without loading the CLI, and says what the CLI says', async () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = spawnSync(process.execPath, [bin, flag], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`${pkg.version}\n`);
      expect(r.stdout).toBe((await runCliCaptured([flag])).stdout);
    }
  });

  it.runIf(existsSync('/dev/full'))('--version to a full disk is an error, as any output is', () => {
    const r = spawnSync('sh', ['-c', `${process.execPath} ${bin} --version > /dev/full`], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^ktriage: error: cannot write the output: ENOSPC/);
  });

  it('prints no stack trace for a bad input, only one line naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-bin-'));
    mkdirSync(join(dir, 'd'));
    const r = spawnSync(process.execPath, [bin, join(dir, 'nope')], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\s+at .*\.js:\d+/);
  });

  it('an unreadable file in a directory is reported by name, the other files are analysed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-bin-'));
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'a.log'), WARNING_LOG);
    writeFileSync(join(dir, 'b.log'), WARNING_LOG);
    chmodSync(join(dir, 'a.log'), 0o644);
    chmodSync(join(dir, 'b.log'), 0);
    // root reads anything: run as "nobody" so the permission bits apply.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const r = spawnSync(process.execPath, [bin, '--format', 'jsonl', dir], { encoding: 'utf8', ...asUser });
    expect(r.stderr).toBe(`ktriage: error: ${join(dir, 'b.log')}: permission denied\n`);
    expect(r.status).toBe(2);
    const kinds = r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { kind: string }).kind);
    expect(kinds).toEqual(['report', 'error', 'summary']);
  });

  it('--jobs 2 prints exactly what --jobs 1 prints, mail and logs mixed', () => {
    const fixtures = join(import.meta.dirname, '..', 'fixtures');
    const inputs = [join(fixtures, 'mail'), join(fixtures, 'logs', 'mm'), join(fixtures, 'logs', 'arch')];
    const one = spawnSync(process.execPath, [bin, '-f', 'jsonl', '-j', '1', ...inputs], { encoding: 'utf8' });
    const two = spawnSync(process.execPath, [bin, '-f', 'jsonl', '-j', '2', ...inputs], { encoding: 'utf8' });
    expect(one.status).toBe(1);
    expect(two.status).toBe(1);
    expect(one.stdout.split('\n').length).toBeGreaterThan(30);
    expect(two.stdout).toBe(one.stdout);
  });

  it('--jobs 2 with --rules: messages the main thread analyses find the rule\'s known bug as the worker\'s do', () => {
    // --jobs 2 is a worker and the main thread, which takes tasks too: with 40 messages both get some.
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-jobs-rules-'));
    const mbox = join(dir, 'm.mbox');
    const msg = (i: number) => `From dev${i}@example.org Mon Jan  1 00:00:00 2024\nFrom: dev${i}@example.org\nSubject: oops ${i}\nMessage-ID: <m${i}@example.org>\n\n${warningOnKernel('6.1.12')}\n`;
    writeFileSync(mbox, Array.from({ length: 40 }, (_, i) => msg(i)).join(''));
    const rules = join(import.meta.dirname, '..', 'examples', 'rules.yaml');
    const one = spawnSync(process.execPath, [bin, '-f', 'jsonl', '-j', '1', '--rules', rules, mbox], { encoding: 'utf8' });
    const two = spawnSync(process.execPath, [bin, '-f', 'jsonl', '-j', '2', '--rules', rules, mbox], { encoding: 'utf8' });
    expect(one.status).toBe(1);
    const found = one.stdout.split('\n').filter((l) => l.includes('"detector":"acme-foo-bar-warning"'));
    expect(found).toHaveLength(40);
    expect(two.stdout).toBe(one.stdout);
  });

  it('stops quietly when the reader closes the pipe early', () => {
    const out = execFileSync('sh', ['-c', `yes '[    1.000000] WARNING: CPU: 0 PID: 1 at a.c:1 f+0x1/0x2' | head -n 20000 | ${process.execPath} ${bin} --format jsonl | head -c 100 >/dev/null; echo done`], { encoding: 'utf8' });
    expect(out.trim()).toBe('done');
  });
});
