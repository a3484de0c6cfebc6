// Logs and record streams for the CI format and policy tests: a WARNING, a
// kernel BUG and a KASAN report, each in its own source.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeTextRecords, countRecord, emptySummary } from '../../src/analyze.js';
import { outputRecordSchema, type OutputRecord } from '../../src/model/records.js';
import type { Report } from '../../src/model/report.js';
import { FIXTURES, readFixture } from './fixtures.js';

import { WARNING_LOG } from './warning-log.js';

export { WARNING_LOG };

/** The raw log of a fixture under fixtures/logs (its header block removed). */
export function fixtureLog(rel: string): string {
  return readFixture(join(FIXTURES, 'logs', rel)).log.toString('utf8');
}

/** "kernel BUG in madvise_cold_or_pageout_pte_range", class bug, at include/linux/page-flags.h:808. */
export const BUG_LOG = fixtureLog('mm/vm-bug-on-page-tail.hand.log');
/** "KASAN: invalid-free in cfg80211_free_coalesce", class kasan, no source location printed. */
export const KASAN_LOG = fixtureLog('sanitizers/kasan-double-free.hand.log');

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ktriage-ci-'));
}

/** warning.log, bug.log and kasan.log in a fresh directory. */
export function threeLogs(): { dir: string; warning: string; bug: string; kasan: string } {
  const dir = tempDir();
  const files = { warning: join(dir, 'warning.log'), bug: join(dir, 'bug.log'), kasan: join(dir, 'kasan.log') };
  writeFileSync(files.warning, WARNING_LOG);
  writeFileSync(files.bug, BUG_LOG);
  writeFileSync(files.kasan, KASAN_LOG);
  return { dir, ...files };
}

/** JSON Lines output parsed and checked against the output schema. */
export function jsonl(out: string): OutputRecord[] {
  return out
    .trim()
    .split('\n')
    .map((l) => outputRecordSchema.parse(JSON.parse(l)));
}

/** The records analyze() would give for these sources (in order), summary last. */
export function recordsOf(sources: Record<string, string>): OutputRecord[] {
  const names = Object.keys(sources);
  const summary = emptySummary(names.length);
  const out: OutputRecord[] = [];
  for (const name of names) {
    const text = sources[name]!;
    summary.lines += text.split('\n').length;
    for (const rec of analyzeTextRecords(text, name)) {
      countRecord(summary, rec);
      out.push(rec);
    }
  }
  out.push(summary);
  return out;
}

/** The three reports of warning.log, bug.log and kasan.log. */
export function threeReports(): OutputRecord[] {
  return recordsOf({ 'logs/warning.log': WARNING_LOG, 'logs/bug.log': BUG_LOG, 'logs/kasan.log': KASAN_LOG });
}

export function reportsIn(records: readonly OutputRecord[]): Report[] {
  return records.filter((r): r is Report => r.kind === 'report');
}

/**
 * Text no output may pass through raw: markup, quotes, table pipes, Markdown
 * emphasis/code/math, GitHub's escape sequences and command syntax, characters
 * XML 1.0 forbids (C0 controls, ESC, U+FFFE, a lone surrogate), DEL and a C1 control.
 */
export const HOSTILE = 'x <script>alert(1)</script> & "dq" \'sq\' a|b `tick` ``` ]]> _u_ *s* [l](u) $m$ ~d~ %25 %0A k:v,w \x01\x08\x0b\x1b[31m\x7f\x85 \uFFFE \uD800 end';

/** threeReports() with the WARNING's title, source, location and raw lines made of HOSTILE text. */
export function hostileRecords(): OutputRecord[] {
  const recs = threeReports();
  const w = reportsIn(recs)[0]!;
  const source = `we|ird <&> "name" ${HOSTILE.slice(0, 20)}.log`;
  for (const rec of recs) if (rec.kind !== 'summary' && rec.kind !== 'bucket' && rec.source === w.source) rec.source = source;
  w.title = `WARNING in ${HOSTILE}`;
  w.location = 'fs/a b/<x>&"y"#z?.c:12';
  w.guiltyFile = 'fs/a b/<x>&"y"#z?.c';
  w.rawLines = [...w.rawLines, HOSTILE, '::error::injected', '::stop-commands::abc', '##[error]injected', '```', '</details>', '</failure>'];
  return recs;
}
