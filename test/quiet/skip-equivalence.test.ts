// Skipping quiet lines (src/quiet) must give the records the full analysis gives, record for
// record. Checked on every fixture and example log and, when ../shared/corpora is there, on
// the KernelCI boot logs and syzkaller's crash reports (the fuzz test checks mutated logs).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/fixtures.js';
import { sourceRecordsJson } from '../helpers/fuzz-properties.js';
import { CORPORA } from '../helpers/trace-detector-tester.js';

function files(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return [];
  }
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out = out.concat(files(p));
    else if (!p.endsWith('.gz') && statSync(p).size < 20 * 1024 * 1024) out.push(p);
  }
  return out;
}

function compare(paths: readonly string[]): { skipped: number; lines: number } {
  let skipped = 0;
  let lines = 0;
  for (const p of paths) {
    const text = readFileSync(p, 'utf8');
    const fast = sourceRecordsJson(text, true);
    const full = sourceRecordsJson(text, false);
    expect(full.skipped).toBe(0);
    // One assertion per file, naming it; toEqual on thousands of records prints a useless diff.
    const first = fast.records.findIndex((r, i) => r !== full.records[i]);
    expect({ file: p, count: fast.records.length, first, fast: fast.records[first], full: full.records[first] }).toEqual({
      file: p,
      count: full.records.length,
      first: fast.records.length === full.records.length ? -1 : first,
      fast: fast.records[first],
      full: full.records[first],
    });
    skipped += fast.skipped;
    lines += text.split('\n').length;
  }
  return { skipped, lines };
}

describe('skipping quiet lines', () => {
  it('changes no record of the fixture and example logs', () => {
    const { skipped, lines } = compare([...files(FIXTURES), ...files(join(FIXTURES, '..', 'examples'))]);
    // Not vacuous: 9,512 of 43,233 lines were skipped when this was written.
    expect(skipped).toBeGreaterThan(lines / 10);
  });

  const kci = files(join(CORPORA, 'kernelci-boot'));
  it.runIf(kci.length > 0)('changes no record of the KernelCI boot logs and syzkaller reports (../shared/corpora)', () => {
    const { skipped, lines } = compare([...kci, ...files(join(CORPORA, 'kernelci-baseline')), ...files(join(CORPORA, 'syzkaller-reports'))]);
    expect(skipped).toBeGreaterThan(lines / 10);
  });
});
