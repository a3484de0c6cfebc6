// bin/ktriage.js exits as soon as the run is over (Node would otherwise let V8 finish a collection
// or optimising compiles first, ~8 ms of a 1 KB log), and only when everything written has left
// the process: Node documents writes to a pipe as asynchronous on POSIX, and a reader slower than
// ktriage must still get every byte. (On Linux with Node 20 they block when the pipe is full, so
// this test also passes with an unconditional process.exit(); it guards the behaviour, whichever
// way Node writes.)
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshTmpdir } from './helpers/temp-files.js';

const repo = join(import.meta.dirname, '..');
const bin = join(repo, 'bin', 'ktriage.js');
const demo = readFileSync(join(repo, 'examples', 'demo.log'), 'utf8');
const tmp = freshTmpdir('ktriage-exit-');

/** Runs ktriage with stdout a pipe that is read a chunk (up to 64 KiB) at a time, `pauseMs` apart. */
function readSlowly(args: string[], pauseMs: number): Promise<{ code: number | null; out: Buffer }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    const parts: Buffer[] = [];
    child.stdout.on('data', (data: Buffer) => {
      parts.push(data);
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), pauseMs);
    });
    child.on('error', reject);
    // 'close' comes after the child exited and its stdout ended.
    child.on('close', (code) => resolve({ code, out: Buffer.concat(parts) }));
  });
}

describe('exit after the run', () => {
  it('a slow reader on a pipe gets every byte', async () => {
    // 300 copies of the example: ~1 MB of JSONL, far more than a pipe holds (64 KiB).
    const log = join(tmp(), 'many.log');
    writeFileSync(log, demo.repeat(300));
    const expected = spawnSync(process.execPath, [bin, '-f', 'jsonl', '-o', join(tmp(), 'out.jsonl'), log]);
    expect(expected.status).toBe(1);
    const want = readFileSync(join(tmp(), 'out.jsonl'));
    expect(want.length).toBeGreaterThan(500_000);
    // At most ~1.3 MB/s: slower than ktriage writes, so the pipe is full when its run ends.
    const got = await readSlowly(['-f', 'jsonl', log], 50);
    expect(got.code).toBe(1);
    expect(got.out.length).toBe(want.length);
    expect(got.out.equals(want)).toBe(true);
  });

  it('keeps the exit code of the run', () => {
    expect(spawnSync(process.execPath, [bin, '-f', 'jsonl', join(repo, 'examples', 'demo.log')]).status).toBe(1);
    const quiet = join(tmp(), 'quiet.log');
    writeFileSync(quiet, '[    0.000000] Linux version 6.8.0 (builder@host) #1 SMP\n');
    expect(spawnSync(process.execPath, [bin, '-f', 'jsonl', quiet]).status).toBe(0);
    expect(spawnSync(process.execPath, [bin, '-f', 'jsonl', join(tmp(), 'missing.log')]).status).toBe(2);
  });
});
