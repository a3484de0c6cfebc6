// The spill file of --jobs: chunks come back in the order they were written, and the file has
// no name on disk from the start (a run killed by a CI timeout leaves nothing in the temporary
// directory), or stays in memory's stead when no temporary directory can be made.
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpillFile } from '../../src/bulk/spill.js';
import { threeReports } from '../helpers/ci-logs.js';

let dir: string;
let saved: string | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ktriage-spill-test-'));
  saved = process.env.TMPDIR;
  process.env.TMPDIR = dir;
});
afterEach(() => {
  if (saved === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = saved;
  rmSync(dir, { recursive: true, force: true });
});

/** What this process has open under `dir` (Linux appends " (deleted)" to a removed name). */
const openIn = (d: string): string[] =>
  readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return target.startsWith(`${d}/`) ? [target] : [];
    } catch {
      return [];
    }
  });

describe('SpillFile', () => {
  it('gives the chunks back in order from a file that has no name', () => {
    const recs = threeReports();
    const spill = new SpillFile('task-1.bin');
    expect(readdirSync(dir)).toEqual([]);
    expect(openIn(dir)).toEqual([expect.stringMatching(/\/ktriage-spill-\w+\/task-1\.bin \(deleted\)$/)]);
    spill.append(recs.slice(0, 2));
    spill.append(recs.slice(2));
    expect(spill.next()).toEqual(recs.slice(0, 2));
    expect(spill.next()).toEqual(recs.slice(2));
    expect(spill.next()).toBeUndefined();
    spill.close();
    expect(openIn(dir)).toEqual([]);
  });

  it('throws when there is no temporary directory (the caller keeps the records)', () => {
    process.env.TMPDIR = join(dir, 'missing');
    expect(() => new SpillFile('task-2.bin')).toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
