// bin/ktriage.js compiles dist/bundle/cli.cjs with the V8 code cache that `npm run build` records
// (scripts/bundle.mjs). The cache only saves time: a cache from another build, a damaged one, one
// V8 rejects or none must give the same output, and a bundle older than tsc's output is not used.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..');
const demo = join(repo, 'examples', 'demo.log');

function run(root: string, nodeArgs: string[] = []): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [...nodeArgs, join(root, 'bin', 'ktriage.js'), '-f', 'jsonl', demo], {
    encoding: 'utf8',
    env: { ...process.env, KTRIAGE_DEBUG_STARTUP: '1' },
  });
}

/** A copy of the built package (bin, dist, package.json) whose cache a test may damage. */
function copyOfPackage(): string {
  const root = mkdtempSync(join(tmpdir(), 'ktriage-cache-'));
  for (const part of ['bin', 'dist', 'package.json']) cpSync(join(repo, part), join(root, part), { recursive: true, preserveTimestamps: true });
  // The ES modules of dist/ (the fallback) import the dependencies.
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  return root;
}

/** A copy of the package whose code cache `edit` changed in place. */
function withEditedCache(edit: (data: Buffer) => void): string {
  const root = copyOfPackage();
  const cache = join(root, 'dist', 'bundle', 'cli.cjs.cache');
  const data = readFileSync(cache);
  edit(data);
  writeFileSync(cache, data);
  return root;
}

/** A copy of the package whose bundle is an hour older than the rest of dist/. */
function withOldBundle(): string {
  const root = copyOfPackage();
  const past = new Date(Date.now() - 3600_000);
  utimesSync(join(root, 'dist', 'bundle', 'cli.cjs'), past, past);
  return root;
}

describe('bin/ktriage.js and the code cache', () => {
  const reference = run(repo);

  it('uses the cache the build recorded, and the example gives its known report and finding', () => {
    expect(reference.stderr).toBe('ktriage: code cache accepted\n');
    // examples/demo.log is Dave Jones' 3.15 WARNING in xfs_vm_writepage (seed thread 1).
    expect(reference.status).toBe(1);
    expect(reference.stdout).toContain('"title":"WARNING in xfs_vm_writepage"');
    expect(reference.stdout).toContain('"detector":"writeback-from-direct-reclaim"');
  });

  it('the bundle is ASCII and names its build on the first line', () => {
    const bundle = readFileSync(join(repo, 'dist', 'bundle', 'cli.cjs'));
    expect(bundle.every((b) => b < 0x80)).toBe(true);
    const id = /^\/\/ ktriage-build ([0-9a-f]{32})\n/.exec(bundle.toString('latin1'))?.[1];
    expect(id).toBeDefined();
    expect(readFileSync(join(repo, 'dist', 'bundle', 'cli.cjs.cache')).subarray(0, 32).toString('latin1')).toBe(id);
  });

  it('a copy of the package elsewhere (an npm install) still uses the cache', () => {
    const r = run(copyOfPackage());
    expect(r.stderr).toBe('ktriage: code cache accepted\n');
    expect(r.stdout).toBe(reference.stdout);
  });

  it('ignores a cache recorded for another build', () => {
    // Another build id, the same V8 data.
    const r = run(withEditedCache((data) => (data[0] = data[0] === 0x30 ? 0x31 : 0x30)));
    expect(r.stderr).toBe('ktriage: code cache none\n');
    expect(r.status).toBe(reference.status);
    expect(r.stdout).toBe(reference.stdout);
  });

  it('a cache damaged in place is rejected by its checksum (without it Node crashed)', () => {
    // The build id and V8's header (version, flags, length, checksum) stay: only the code changes.
    const r = run(withEditedCache((data) => data.fill(0x5a, 32 + 256, 32 + 512)));
    expect(r.stderr).toBe('ktriage: code cache rejected\n');
    expect(r.status).toBe(reference.status);
    expect(r.stdout).toBe(reference.stdout);
  });

  it('under other V8 flags V8 rejects the cache, and the output is the same', () => {
    const r = run(repo, ['--max-old-space-size=3000']);
    expect(r.stderr).toBe('ktriage: code cache rejected\n');
    expect(r.stdout).toBe(reference.stdout);
  });

  it('in a checkout, a bundle older than tsc output is not used: the ES modules of dist/ run instead', () => {
    const root = withOldBundle();
    mkdirSync(join(root, 'src')); // a source checkout
    const r = run(root);
    expect(r.stderr).toBe('ktriage: no bundle newer than dist/cli: loading the ES modules\n');
    expect(r.status).toBe(reference.status);
    expect(r.stdout).toBe(reference.stdout);
  });

  it('an installed package (no src/) uses the bundle whatever the file times (npm sets them at extraction)', () => {
    const r = run(withOldBundle());
    expect(r.stderr).toBe('ktriage: code cache accepted\n');
    expect(r.stdout).toBe(reference.stdout);
  });
});
