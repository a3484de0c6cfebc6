// Hostile and broken input: never a crash, bounded memory, the right exit code.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'ktriage.js');

function run(args: string[], input?: Buffer) {
  return spawnSync(process.execPath, [bin, '--format', 'jsonl', ...args], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function summary(stdout: string): Record<string, unknown> {
  const last = stdout.trim().split('\n').pop()!;
  return JSON.parse(last) as Record<string, unknown>;
}

describe('bad input', () => {
  it('an empty file: no report, exit 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-bad-'));
    writeFileSync(join(dir, 'empty.log'), '');
    const r = run([join(dir, 'empty.log')]);
    expect(r.status).toBe(0);
    expect(summary(r.stdout)).toMatchObject({ kind: 'summary', lines: 0, reports: 0, errors: 0 });
  });

  it('random bytes: no crash, every line counted', () => {
    const bytes = randomBytes(1 << 20);
    const newlines = bytes.filter((b) => b === 10).length;
    const r = run(['-'], bytes);
    expect([0, 1]).toContain(r.status);
    expect(r.stderr).toBe('');
    expect(summary(r.stdout).lines).toBe(bytes[bytes.length - 1] === 10 ? newlines : newlines + 1);
  });

  it('a truncated gzip file is an input error naming the file; nothing crashes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-bad-'));
    writeFileSync(join(dir, 'broken.gz'), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00]));
    const r = run([join(dir, 'broken.gz')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^ktriage: error: .*broken\.gz: gzip: /);
  });

  it('100 MB without a newline: the line is cut with a notice, peak memory stays under 200 MB', () => {
    // Streams 100 MB of "A" through analyze() in a fresh process and reports its peak RSS.
    const script = `
      import { Readable } from 'node:stream';
      import { analyze } from ${JSON.stringify(join(root, 'dist', 'index.js'))};
      const chunk = Buffer.alloc(1 << 20, 0x41);
      let n = 0;
      const stdin = new Readable({ read() { this.push(n++ < 100 ? chunk : null); } });
      const kinds = [];
      for await (const rec of analyze(['-'], { stdin })) kinds.push(rec.kind === 'notice' ? rec.message : rec.kind);
      console.log(JSON.stringify({ kinds, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { kinds: string[]; maxRssMB: number };
    expect(out.kinds).toEqual(['line longer than 1048576 bytes was cut', 'summary']);
    expect(out.maxRssMB).toBeLessThan(200);
  });
});
