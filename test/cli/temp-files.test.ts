// The report store's temporary file in a CLI run. A CI job's timeout kills ktriage (SIGTERM,
// then SIGKILL) and no exit handler runs: the file is removed from the directory as soon as it is
// open (the descriptor keeps it), so a killed run leaves nothing. And a disk that fills up under it
// changes nothing in the document: what could not be written stays in memory.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openFiles } from '../helpers/temp-files.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'ktriage.js');

let work: string;
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('the report store of a CLI run', () => {
  it('leaves no file in the temporary directory when the run is killed', async () => {
    work = mkdtempSync(join(tmpdir(), 'ktriage-killed-'));
    const tmp = join(work, 'tmp');
    mkdirSync(tmp);
    // 6,000 reports: past the store's 4 MiB budget.
    writeFileSync(join(work, 'big.log'), readFileSync(join(root, 'examples', 'demo.log'), 'utf8').repeat(6000));
    const child = spawn(process.execPath, [bin, '-j', '1', '-f', 'junit', '-o', join(work, 'out.xml'), join(work, 'big.log')], { env: { ...process.env, TMPDIR: tmp }, stdio: 'ignore' });
    const exited = once(child, 'exit');
    let seen: string[] = [];
    for (let i = 0; i < 3000 && seen.length === 0 && child.exitCode === null; i++) {
      // Once it has lost its name: killed in the instant between open and unlink, a name would stay.
      seen = openFiles(child.pid!, (f) => f.includes('/ktriage-reports-') && f.endsWith(' (deleted)'));
      if (seen.length === 0) await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    await exited;
    // The run had reports on disk when it was killed ...
    expect(seen).toEqual([expect.stringMatching(/\/ktriage-reports-\w+\/reports\.bin \(deleted\)$/)]);
    // ... and nothing of them is left.
    expect(readdirSync(tmp)).toEqual([]);
  }, 60_000);

  it('writes the same document when the disk fills up under the report store', () => {
    // A file size limit of 1 MiB (ulimit -f counts 512-byte blocks; Node ignores SIGXFSZ, so a
    // write past it fails with EFBIG): the store's first block fits, a later one does not, and
    // the reports from then on stay in memory. stdout is a pipe, which the limit does not cover.
    work = mkdtempSync(join(tmpdir(), 'ktriage-full-'));
    const log = join(work, 'big.log');
    writeFileSync(log, readFileSync(join(root, 'examples', 'demo.log'), 'utf8').repeat(6000));
    const run = (limit: string) =>
      spawnSync('sh', ['-c', `ulimit -f ${limit}; exec "$0" "$@"`, process.execPath, bin, '-j', '1', '-f', 'junit', log], { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, TMPDIR: work } });
    const full = run('2048');
    const free = run('unlimited');
    expect(free.status).toBe(1);
    expect(full.stderr).toBe('');
    expect(full.status).toBe(1);
    expect(full.stdout.split('</testcase>').length - 1).toBe(6000);
    expect(full.stdout).toBe(free.stdout);
  }, 120_000);
});
