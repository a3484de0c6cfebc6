// The spill file of --jobs: chunks come back in the order they were written, and the file has
// no name on disk from the start (a run killed by a CI timeout leaves nothing in the temporary
// directory), or stays in memory's stead when no temporary directory can be made.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpillFile } from '../../src/bulk/spill.js';
import { threeReports } from '../helpers/ci-logs.js';
import { freshTmpdir, openFiles } from '../helpers/temp-files.js';

const tmp = freshTmpdir('ktriage-spill-test-');
const openIn = (d: string): string[] => openFiles('self', (f) => f.startsWith(`${d}/`));

describe('SpillFile', () => {
  it('gives the chunks back in order from a file that has no name', () => {
    const recs = threeReports();
    const spill = new SpillFile('task-1.bin');
    expect(readdirSync(tmp())).toEqual([]);
    expect(openIn(tmp())).toEqual([expect.stringMatching(/\/ktriage-spill-\w+\/task-1\.bin \(deleted\)$/)]);
    spill.append(recs.slice(0, 2));
    spill.append(recs.slice(2));
    expect(spill.next()).toEqual(recs.slice(0, 2));
    expect(spill.next()).toEqual(recs.slice(2));
    expect(spill.next()).toBeUndefined();
    spill.close();
    expect(openIn(tmp())).toEqual([]);
  });

  it('throws when there is no temporary directory (the caller keeps the records)', () => {
    process.env.TMPDIR = join(tmp(), 'missing');
    expect(() => new SpillFile('task-2.bin')).toThrow(/ENOENT/);
    expect(readdirSync(tmp())).toEqual([]);
  });
});
