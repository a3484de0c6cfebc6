// Follow mode: `dmesg -w | ktriage` and `ktriage --follow file` print each report as soon as
// it is complete, while the input is still open, and Ctrl-C ends the run with the summary.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WARNING_LINES } from './helpers/warning-log.js';

const bin = join(import.meta.dirname, '..', 'bin', 'ktriage.js');

// The WARNING without its "---[ end trace" line, as when the kernel is still running and
// prints nothing after it: only the idle pause can end it.
const SPLAT = WARNING_LINES;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Collects stdout; `until(pattern)` resolves with everything printed so far once it shows up. */
function collect(child: ChildProcessWithoutNullStreams) {
  let out = '';
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    for (const w of [...waiters]) w();
  });
  return {
    until(pattern: RegExp, timeoutMs = 15000): Promise<string> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} after ${timeoutMs} ms; stdout: ${out}`)), timeoutMs);
        const check = () => {
          if (!pattern.test(out)) return;
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(check), 1);
          resolve(out);
        };
        waiters.push(check);
        check();
      });
    },
  };
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => child.on('close', (code) => resolve(code)));
}

// Children still running when a test fails would follow their input forever.
const children: ChildProcessWithoutNullStreams[] = [];
function start(args: string[]): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [bin, ...args]);
  children.push(child);
  return child;
}
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

describe('follow mode', () => {
  it('prints a report from a pipe that stays open, before the pipe closes', async () => {
    const child = start(['--format', 'jsonl', '--idle-flush', '500', '-']);
    const stdout = collect(child);
    const seen = stdout.until(/"title":"WARNING in foo_bar"/);
    for (const line of SPLAT) {
      child.stdin.write(`${line}\n`);
      await sleep(50);
    }
    const out = await seen;
    // The pipe is still open: the report came from the idle pause, not from the end of input.
    expect(child.stdin.writableEnded).toBe(false);
    expect(out).not.toContain('"kind":"summary"');
    const rest = stdout.until(/"kind":"summary"/);
    child.stdin.end('[   20.000000] usb 1-1: new high-speed USB device number 2\n');
    const all = await rest;
    expect(await exited(child)).toBe(1);
    expect(all.match(/"kind":"report"/g)).toHaveLength(1);
  }, 30000);

  it('--follow reads what is appended to a file; Ctrl-C prints the summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-follow-'));
    const file = join(dir, 'console.log');
    writeFileSync(file, '[    1.000000] Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org)\n');
    const child = start(['--format', 'table', '--follow', '--idle-flush', '500', file]);
    const stdout = collect(child);
    const seen = stdout.until(/WARNING in foo_bar/);
    await sleep(300);
    for (const line of SPLAT) appendFileSync(file, `${line}\n`);
    const out = await seen;
    // One line per report as it completes: "<file>:<line>  <class>  <title>  [<kernel>]".
    expect(out).toContain(`${file}:3  warning  WARNING in foo_bar  [6.1.0-18-amd64]`);
    const summary = stdout.until(/1 report\(s\) in 1 source\(s\)/);
    child.kill('SIGINT');
    await summary;
    expect(await exited(child)).toBe(1);
  }, 30000);

  it('SIGTERM ends the input like Ctrl-C: the summary is printed', async () => {
    const child = start(['--format', 'jsonl', '--idle-flush', '500', '-']);
    const stdout = collect(child);
    const seen = stdout.until(/"title":"WARNING in foo_bar"/);
    for (const line of SPLAT) child.stdin.write(`${line}\n`);
    await seen;
    const summary = stdout.until(/"kind":"summary"/);
    child.kill('SIGTERM');
    const out = await summary;
    expect(out.match(/"kind":"report"/g)).toHaveLength(1);
    expect(await exited(child)).toBe(1);
  }, 30000);

  it('SIGTERM (a cancelled CI job, `kill`, `timeout`) still writes the JUnit document of what was read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-term-'));
    const out = join(dir, 'report.xml');
    const child = start(['--format', 'junit', '--output', out, '-']);
    // Nothing is printed before the end: give the child time to read the splat (the pipe stays open).
    for (const line of SPLAT) child.stdin.write(`${line}\n`);
    await sleep(2000);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(1);
    const xml = readFileSync(out, 'utf8');
    expect(xml).toMatch(/^<\?xml /);
    expect(xml).toContain('<testcase name="WARNING in foo_bar"');
    expect(xml).toContain('</testsuites>');
  }, 30000);

  it('--follow takes one input', async () => {
    const child = start(['--follow', 'a.log', 'b.log']);
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdin.end();
    expect(await exited(child)).toBe(2);
    expect(err).toContain('--follow takes one file');
  });
});
