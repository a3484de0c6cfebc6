// Memory must not grow with the input: a log with tens of thousands of reports is analysed
// in a heap far smaller than the input. (A list of every report's kernel version, each a
// slice of a 256 KB chunk string, once kept whole chunks alive: 1.2 GB RSS on a 1 GB log.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'ktriage.js');

function listLogs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.log'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** A 96 MB log: every fixture log (real captures and hand-written ones) repeated, timestamps moving on. */
function bigLog(): string {
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
  return file;
}

describe('bounded memory', () => {
  let file: string;
  beforeAll(() => {
    file = bigLog();
  });

  it('analyses a 96 MB log of over 10,000 reports in a 64 MB heap', () => {
    const r = spawnSync(process.execPath, ['--max-old-space-size=64', bin, '-j', '1', '-f', 'jsonl', file], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
    expect(r.status, r.stderr.slice(-500)).toBe(1);
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { kind: string; reports: number };
    expect(summary.kind).toBe('summary');
    expect(summary.reports).toBeGreaterThan(10_000);
  }, 240_000);

  it('prints the table of the same log in a 64 MB heap (a row keeps no slice of the input)', () => {
    // The table keeps a row per report until the end; rows that held their title as a slice of
    // the input kept a 16 KB decode window each (a 200 MB log: 354 MB RSS, against 159 now).
    const r = spawnSync(process.execPath, ['--max-old-space-size=64', bin, '-j', '1', '-f', 'table', file], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
    expect(r.status, r.stderr.slice(-500)).toBe(1);
    // The summary line follows the table (a boot section may come after it).
    const total = /^(\d+) report\(s\) in 1 source\(s\)/m.exec(r.stdout);
    expect(total).not.toBeNull();
    expect(Number(total![1])).toBeGreaterThan(10_000);
  }, 240_000);

  // A CI document is written when the run ends, and it once held every report and its own whole
  // text: -f markdown took 483 MB on 100 MB of console log. Reports past a budget now wait on
  // disk and the document is written in pieces.
  it.each([
    ['junit', (out: string) => Number(/^<testsuites name="ktriage" tests="(\d+)"/m.exec(out)?.[1]), (out: string) => out.split('</testcase>').length - 1],
    ['sarif', (out: string) => (JSON.parse(out) as { runs: Array<{ properties: { reports: number } }> }).runs[0]!.properties.reports, (out: string) => (JSON.parse(out) as { runs: Array<{ results: unknown[] }> }).runs[0]!.results.length],
    ['markdown', (out: string) => Number(/^## ktriage: (\d+) kernel report/m.exec(out)?.[1]), (out: string) => out.split(/^<details><summary>/m).length - 1],
    ['github', (out: string) => Number(/^ktriage: (\d+) report\(s\)/m.exec(out)?.[1]), (out: string) => out.split(/^::group::/m).length - 1],
  ] as const)('writes -f %s of the same log in a 64 MB heap, every report in it', (format, stated, shown) => {
    const r = spawnSync(process.execPath, ['--max-old-space-size=64', bin, '-j', '1', '-f', format, file], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
    expect(r.status, r.stderr.slice(-500)).toBe(1);
    expect(stated(r.stdout)).toBeGreaterThan(10_000);
    expect(shown(r.stdout)).toBe(stated(r.stdout));
  }, 240_000);
});

describe('bounded memory on records of very many lines', () => {
  // A /dev/kmsg record or journal message of several lines is read as its lines (splitRecord).
  // A 1 MB line can hold half a million of them; were they made all at once, that line alone
  // would take ~100 MB of objects.
  it('reads lines of half a million newlines each in a 32 MB heap', () => {
    const lines = [
      JSON.stringify({ MESSAGE: `WARNING: x${'\n'.repeat(500_000)}foo+0x1/0x2`, _TRANSPORT: 'kernel', PRIORITY: '4' }),
      `4,1,1,-;WARNING: y${'\\x0a'.repeat(250_000)}`,
    ];
    const file = join(mkdtempSync(join(tmpdir(), 'ktriage-mem-')), 'records.log');
    writeFileSync(file, `${[...lines, ...lines].join('\n')}\n`);
    const r = spawnSync(process.execPath, ['--max-old-space-size=32', bin, '-j', '1', '-f', 'jsonl', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    expect(r.status, r.stderr.slice(-500)).toBe(1);
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { kind: string; reports: number; lines: number };
    expect(summary).toMatchObject({ kind: 'summary', reports: 4, lines: 4 });
  }, 60_000);
});
