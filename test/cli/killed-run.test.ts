// A CI job's timeout kills ktriage (SIGTERM, then SIGKILL) and no exit handler runs: the
// temporary files of a run must not outlive it. The report store's file is removed from the
// directory as soon as it is open (the descriptor keeps it), so a killed run leaves nothing.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'ktriage.js');

/** What process `pid` has open whose path holds `part`. */
function openFiles(pid: number, part: string): string[] {
  try {
    return readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        return target.includes(part) ? [target] : [];
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

let work: string;
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('a killed run', () => {
  it('leaves no file in the temporary directory once its CI document has spilled reports', async () => {
    work = mkdtempSync(join(tmpdir(), 'ktriage-killed-'));
    const tmp = join(work, 'tmp');
    mkdirSync(tmp);
    // 6,000 reports: past the store's 4 MiB budget.
    writeFileSync(join(work, 'big.log'), readFileSync(join(root, 'examples', 'demo.log'), 'utf8').repeat(6000));
    const child = spawn(process.execPath, [bin, '-j', '1', '-f', 'junit', '-o', join(work, 'out.xml'), join(work, 'big.log')], { env: { ...process.env, TMPDIR: tmp }, stdio: 'ignore' });
    const exited = once(child, 'exit');
    let seen: string[] = [];
    for (let i = 0; i < 3000 && seen.length === 0 && child.exitCode === null; i++) {
      seen = openFiles(child.pid!, '/ktriage-reports-');
      if (seen.length === 0) await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    await exited;
    // The run had reports on disk when it was killed ...
    expect(seen).toEqual([expect.stringMatching(/\/ktriage-reports-\w+\/reports\.bin \(deleted\)$/)]);
    // ... and nothing of them is left.
    expect(readdirSync(tmp)).toEqual([]);
  }, 60_000);
});
