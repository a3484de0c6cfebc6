// Memory must not grow with the input: a log with tens of thousands of reports is analysed
// in a heap far smaller than the input. (A list of every report's kernel version, each a
// slice of a 256 KB chunk string, once kept whole chunks alive: 1.2 GB RSS on a 1 GB log.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'ktriage.js');

function listLogs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.log'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

describe('bounded memory', () => {
  it('analyses a 96 MB log of over 10,000 reports in a 64 MB heap', () => {
    // Every fixture log (real captures and hand-written ones) repeated, timestamps moving on.
    const logs = [...listLogs(join(root, 'fixtures', 'captured')), ...listLogs(join(root, 'fixtures', 'logs'))].map((f) => readFileSync(f, 'latin1'));
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 96 * 1024 * 1024; i++) {
      for (const log of logs) {
        const block = log.replace(/\[\s*(\d+)\.(\d{6})\]/g, (_m, s: string, us: string) => `[${String(Number(s) + i * 1000).padStart(6)}.${us}]`);
        parts.push(block);
        size += block.length;
      }
    }
    const file = join(mkdtempSync(join(tmpdir(), 'ktriage-mem-')), 'big.log');
    writeFileSync(file, parts.join(''), 'latin1');
    const r = spawnSync(process.execPath, ['--max-old-space-size=64', bin, '-j', '1', '-f', 'jsonl', file], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
    expect(r.status, r.stderr.slice(-500)).toBe(1);
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { kind: string; reports: number };
    expect(summary.kind).toBe('summary');
    expect(summary.reports).toBeGreaterThan(10_000);
  }, 240_000);
});
