// --output FILE as a user runs it: the output goes to the file, failures name it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonl, tempDir } from './helpers/ci-logs.js';
import { runCliCaptured } from './helpers/cli.js';

describe('--output', () => {
  it('writes any format to the file and nothing to stdout', async () => {
    const dir = tempDir();
    for (const format of ['jsonl', 'json', 'table']) {
      const out = join(dir, `out.${format}`);
      const r = await runCliCaptured(['--example', '-f', format, '-o', out]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(readFileSync(out, 'utf8')).toContain('WARNING in xfs_vm_writepage');
    }
  });

  it('defaults to JSON Lines in a file', async () => {
    const out = join(tempDir(), 'o');
    await runCliCaptured(['--example', '-o', out], { stdoutTTY: true });
    expect(jsonl(readFileSync(out, 'utf8')).map((x) => x.kind)).toEqual(['report', 'finding', 'summary']);
  });

  it.each([
    ['a missing directory', (d: string) => join(d, 'no', 'x.xml'), 'cannot write: no such directory'],
    ['a directory', (d: string) => d, 'cannot write: is a directory'],
  ])('%s is an error naming the file, exit code 2, before any input is read', async (_what, path, message) => {
    const file = path(tempDir());
    const r = await runCliCaptured(['--example', '-f', 'json', '-o', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`ktriage: ${file}: ${message}\n`);
    expect(r.stdout).toBe('');
  });

  // /dev/full takes the open and fails every write with ENOSPC. A small output fails only when the
  // stream ends, and that failure once reached the user as "internal error: ENOSPC ...".
  it.runIf(existsSync('/dev/full')).each(['jsonl', 'json', 'table', 'junit', 'sarif', 'markdown', 'github'])('-f %s to a full disk is an error naming the file, exit code 2', async (format) => {
    const r = await runCliCaptured(['--example', '-f', format, '-o', '/dev/full']);
    expect(r.stderr).toBe('ktriage: /dev/full: cannot write: no space left on device\n');
    expect(r.code).toBe(2);
  });
});
