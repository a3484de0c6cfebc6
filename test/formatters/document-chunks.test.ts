// The CI documents as the CLI writes them: in pieces, with reports read back from a report store.
// The pieces must make the same document as reports held in memory, the streamed layouts must be
// what a whole-document serialiser gives (SARIF) or count what follows them (JUnit), and sources
// must be ordered as before (errors of no input first, then each input's sources in input order).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ReportStore } from '../../src/cli/report-store.js';
import { buildFormatInput, type FormatInputOptions, type ReportOutcome } from '../../src/formatters/document.js';
import { documentChunks, documentFormats, formatDocument, formatMarkdown } from '../../src/formatters/index.js';
import { formatJsonDocument } from '../../src/formatters/jsonl.js';
import type { ErrorRecord, OutputRecord } from '../../src/model/records.js';
import type { Report } from '../../src/model/report.js';
import { hostileRecords, recordsOf, threeReports } from '../helpers/ci-logs.js';
import { FIXTURES, readFixture } from '../helpers/fixtures.js';
import { xpath } from '../helpers/xmllint.js';

/** Reports with findings (the detectors' matching fixtures), a mention, an input error and a clean source. */
function mixedRecords(): OutputRecord[] {
  const dir = join(FIXTURES, 'detectors', 'writeback-from-direct-reclaim');
  const logs: Record<string, string> = {};
  for (const f of readdirSync(dir).filter((n) => n.startsWith('match-')).sort()) logs[`detectors/${f}`] = readFixture(join(dir, f)).log.toString('utf8');
  logs['clean.log'] = '[    0.000000] Linux version 6.1.0 (builder@host) #1 SMP\n';
  const recs = recordsOf(logs);
  const finding = recs.find((r) => r.kind === 'finding');
  if (!finding || finding.kind !== 'finding') throw new Error('the matching fixtures gave no finding');
  const summary = recs.pop()!;
  const error: ErrorRecord = { kind: 'error', source: 'missing.log', code: 'input.not-found', message: 'no such file' };
  recs.push({ ...finding, source: 'clean.log', report: null }, error, summary);
  return recs;
}

const sources = (recs: readonly OutputRecord[]): string[] => [...new Set(recs.flatMap((r) => ('source' in r && typeof r.source === 'string' ? [r.source] : [])))];

/** Each outcome for some of mixedRecords' reports. */
const outcome = (r: Report): ReportOutcome => (r.source.includes('quoted') ? 'tolerated' : r.source.includes('3.15') ? 'suppressed' : 'failing');

const inputs: Array<[string, () => OutputRecord[], FormatInputOptions]> = [
  ['three reports', threeReports, {}],
  ['hostile text', hostileRecords, { failOn: 'kasan', baseline: 'known.yaml' }],
  ['findings, a mention, an error, a clean source', mixedRecords, { outcome, failOn: 'warning' }],
  ['no report', () => recordsOf({ 'clean.log': 'nothing here\n' }), {}],
];

let store: ReportStore | undefined;
afterEach(() => store?.close());

describe.each(inputs)('documents of %s', (_what, records, opts) => {
  const recs = records();
  const all = { ...opts, sources: sources(recs) };

  it.each(documentFormats)('%s: the same text with every report read back from disk', (format) => {
    store = new ReportStore(0);
    const fromDisk = [...documentChunks(format, buildFormatInput(recs, { ...all, keep: store }))].join('');
    expect(fromDisk).toBe(formatDocument(format, buildFormatInput(recs, all)));
  });

  it('sarif: the text formatJsonDocument gives for the whole log', () => {
    const text = formatDocument('sarif', buildFormatInput(recs, all));
    expect(text).toBe(formatJsonDocument(JSON.parse(text)));
  });

  it('junit: the totals in the heads count the cases that follow', () => {
    const xml = formatDocument('junit', buildFormatInput(recs, all));
    expect(xpath(xml, 'string(/testsuites/@tests)')).toBe(xpath(xml, 'count(//testcase)'));
    expect(xpath(xml, 'string(/testsuites/@failures)')).toBe(xpath(xml, 'count(//failure)'));
    expect(xpath(xml, 'string(/testsuites/@errors)')).toBe(xpath(xml, 'count(//error)'));
    const suites = Number(xpath(xml, 'count(/testsuites/testsuite)'));
    for (let i = 1; i <= suites; i++) {
      const s = `/testsuites/testsuite[${i}]`;
      for (const [attr, what] of [['tests', 'testcase'], ['failures', 'testcase/failure'], ['errors', 'testcase/error'], ['skipped', 'testcase/skipped']]) {
        expect(xpath(xml, `string(${s}/@${attr})`), `${s}/@${attr}`).toBe(xpath(xml, `count(${s}/${what})`));
      }
    }
  });
});

describe('markdown limits', () => {
  it('cuts the table to no rows: the header, its empty last line, then the count of rows left out', () => {
    const md = formatMarkdown(buildFormatInput(threeReports()), { rows: 0, rawReports: 0 });
    expect(md).toContain('|---|---|---|---|---|---|\n\n\n3 more report(s) not shown.\n');
    expect(md).toContain('### Reports\n\n\n3 more raw report(s) not shown.\n');
  });
});

describe('source order', () => {
  /** The order as the builder defined it before it streamed: a search of the inputs for each source. */
  function reference(groupSources: readonly string[], inputNames: readonly string[]): string[] {
    const ownerOf = (source: string): number => inputNames.findIndex((name) => source === name || source.startsWith(`${name}#`));
    const out = groupSources.filter((s) => ownerOf(s) < 0);
    inputNames.forEach((name, i) => {
      const owned = groupSources.filter((s) => ownerOf(s) === i);
      out.push(...(owned.length > 0 ? owned : [name]));
    });
    return out;
  }

  it('puts sources of no input first, then each input with its messages, in input order', () => {
    // Names from a small alphabet with "#", so that files, messages and names with "#" collide.
    const name = fc.stringMatching(/^[ab#]{1,4}$/);
    fc.assert(
      fc.property(fc.uniqueArray(name, { maxLength: 8 }), fc.array(name, { maxLength: 5 }), (groupSources, inputNames) => {
        const recs: OutputRecord[] = groupSources.map((source): ErrorRecord => ({ kind: 'error', source, code: 'input.unreadable', message: 'x' }));
        recs.push(threeReports().at(-1)!);
        const got = buildFormatInput(recs, { sources: inputNames }).groups.map((g) => g.source);
        expect(got).toEqual(reference(groupSources, inputNames));
      }),
      { numRuns: 2000 },
    );
  });
});
