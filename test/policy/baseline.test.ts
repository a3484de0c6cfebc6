// Baseline files: made from reports, read back, matched by bucket; bad files
// rejected with the field and its line.
import { describe, expect, it } from 'vitest';
import { bucketKey } from '../../src/buckets/buckets.js';
import { KtriageError } from '../../src/model/errors.js';
import { BaselineMatcher, createBaseline, formatBaseline, parseBaseline } from '../../src/policy/baseline.js';
import { PolicyGate } from '../../src/policy/gate.js';
import { parseFailPolicy } from '../../src/policy/parse-fail-on.js';
import type { Summary } from '../../src/model/records.js';
import { reportsIn, threeReports } from '../helpers/ci-logs.js';

function rejects(text: string): string {
  try {
    parseBaseline(text, 'b.yaml');
  } catch (e) {
    if (e instanceof KtriageError && e.code === 'config.invalid') return e.describe();
    throw e;
  }
  throw new Error('accepted');
}

describe('baseline files', () => {
  const [warning, bug, kasan] = reportsIn(threeReports());

  it('one entry per bucket, sorted by title, with a count', () => {
    const b = createBaseline([warning!, kasan!, { ...warning!, index: 1, startLine: 40, endLine: 50 }]);
    expect(b.entries).toEqual([
      // the top frames after skipping kasan/slab/kfree frames, .isra.0 stripped (fixtures/logs/sanitizers/kasan-double-free.hand.log)
      { key: 'KASAN: invalid-free in cfg80211_free_coalesce|cfg80211_free_coalesce,nl80211_set_coalesce,genl_family_rcv_msg_doit', title: 'KASAN: invalid-free in cfg80211_free_coalesce', crashClass: 'kasan', count: 1 },
      { key: 'WARNING in foo_bar|foo_caller,process_one_work', title: 'WARNING in foo_bar', crashClass: 'warning', count: 2 },
    ]);
  });

  it('YAML and JSON files read back to the same baseline', () => {
    const b = createBaseline([warning!, bug!, kasan!]);
    const yaml = formatBaseline(b, 'yaml');
    expect(yaml).toMatch(/^# ktriage baseline: /);
    expect(yaml).toContain('\n  - key: WARNING in foo_bar|foo_caller,process_one_work\n    title: WARNING in foo_bar\n');
    expect(parseBaseline(yaml, 'b.yaml')).toEqual(b);
    expect(parseBaseline(formatBaseline(b, 'json'), 'b.json')).toEqual(b);
  });

  it('matches reports by bucket key only', () => {
    const m = new BaselineMatcher(parseBaseline(`version: 1\nentries:\n  - key: "${bucketKey(bug!)}"\n    title: anything\n`, 'b.yaml'), 'b.yaml');
    expect([warning, bug, kasan].map((r) => m.has(r!))).toEqual([false, true, false]);
    // the same title with other frames is another bucket
    expect(m.has({ ...bug!, frames: bug!.frames.slice(3) })).toBe(false);
  });

  it.each([
    ['version: 2\nentries: []\n', 'b.yaml:1: version: Invalid input: expected 1'],
    ['version: 1\nentries:\n  - title: x\n', 'b.yaml:3: entries[0].key: Invalid input: expected string, received undefined'],
    ['version: 1\nentries:\n  - key: a\n    title: x\n  - key: a\n    title: y\n', 'b.yaml:5: entries[1].key: duplicate key "a"'],
    ['version: 1\nentries: [\n', 'b.yaml:3: not valid YAML/JSON: Flow sequence in block collection must be sufficiently indented and end with a ]'],
  ])('rejects %j', (text, message) => {
    expect(rejects(text)).toBe(message);
  });
});

describe('PolicyGate', () => {
  it('marks suppressed reports and their findings, counts them, and decides the exit code', () => {
    const recs = threeReports();
    const [, bug] = reportsIn(recs);
    const gate = new PolicyGate(parseFailPolicy('bug,warning'), new BaselineMatcher(createBaseline([bug!]), 'b.yaml'));
    for (const rec of recs) gate.apply(rec);
    const summary = recs.at(-1) as Summary;
    expect(reportsIn(recs).map((r) => [r.crashClass, r.suppressed, gate.outcome(r)])).toEqual([
      ['warning', undefined, 'failing'],
      ['bug', true, 'suppressed'],
      ['kasan', undefined, 'tolerated'],
    ]);
    expect(summary.suppressed).toBe(1);
    expect(gate.failing).toBe(1);
    expect(gate.exitCode(summary)).toBe(1);
  });

  it('exits 0 when every matching report is suppressed, 2 on an input error whatever the reports', () => {
    const recs = threeReports();
    const gate = new PolicyGate(parseFailPolicy('bug'), new BaselineMatcher(createBaseline(reportsIn(recs)), 'b.yaml'));
    for (const rec of recs) gate.apply(rec);
    const summary = recs.at(-1) as Summary;
    expect(summary.suppressed).toBe(3);
    expect(gate.exitCode(summary)).toBe(0);
    expect(gate.exitCode({ ...summary, errors: 1 })).toBe(2);
  });
});
