// --format sarif: valid against the SARIF 2.1.0 schema (ajv), results where a
// person expects them: kernel source file:line, else the log lines.
import { describe, expect, it } from 'vitest';
import { buildFormatInput, type ReportOutcome } from '../../src/formatters/document.js';
import { formatSarif } from '../../src/formatters/sarif.js';
import type { Report } from '../../src/model/report.js';
import { hostileRecords, recordsOf, threeReports } from '../helpers/ci-logs.js';
import { sarifSchemaErrors } from '../helpers/sarif-schema.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Location {
  physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number; endLine?: number } };
}
interface Result {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: Location[];
  relatedLocations?: Location[];
  suppressions?: Array<{ kind: string; justification: string }>;
  stacks?: Array<{ frames: Array<{ location: { logicalLocations: Array<{ name: string }> } }> }>;
}
interface Log {
  version: string;
  runs: Array<{ tool: { driver: { name: string; rules: Array<{ id: string }> } }; results: Result[]; invocations: Array<{ executionSuccessful: boolean }> }>;
}

function sarif(...args: Parameters<typeof buildFormatInput>): Log {
  return JSON.parse(formatSarif(buildFormatInput(...args))) as Log;
}

describe('the SARIF schema with ajv', () => {
  const good = sarif(threeReports());

  // The validator must be live: logs that break the format are rejected.
  it.each([
    ['a wrong version', (l: Record<string, unknown>) => (l.version = '2.0.0')],
    ['a result level that does not exist', (l: Log) => (l.runs[0]!.results[0]!.level = 'fatal')],
    ['a line number below 1', (l: Log) => (l.runs[0]!.results[0]!.locations[0]!.physicalLocation.region = { startLine: 0 })],
    ['a URI with a space', (l: Log) => (l.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri = 'a b.c')],
    ['a tool without a name', (l: Log) => delete (l.runs[0]!.tool.driver as Partial<{ name: string }>).name],
  ])('rejects %s', (_what, breakIt) => {
    const bad = structuredClone(good);
    (breakIt as (l: unknown) => void)(bad);
    expect(sarifSchemaErrors(bad)).not.toBe('');
  });

  it('the copy in the repository is the one its README names', () => {
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8')) as { title: string; properties: { version: { enum: string[] } } };
    expect(schema.title).toBe('Static Analysis Results Format (SARIF) Version 2.1.0-rtm.5 JSON Schema');
    expect(schema.properties.version.enum).toEqual(['2.1.0']);
  });
});

describe('formatSarif', () => {
  const log = sarif(threeReports(), { toolVersion: '1.2.3' });
  const results = log.runs[0]!.results;

  it('validates', () => {
    expect(sarifSchemaErrors(log)).toBe('');
  });

  it('has one result per report, rule ids being crash classes', () => {
    expect(results.map((r) => r.ruleId)).toEqual(['warning', 'bug', 'kasan']);
    expect(log.runs[0]!.tool.driver.rules.map((r) => r.id)).toEqual(['warning', 'bug', 'kasan']);
    expect(results.map((r) => r.ruleIndex)).toEqual([0, 1, 2]);
    expect(results.map((r) => r.level)).toEqual(['error', 'error', 'error']);
    expect(results[0]!.message.text.split('\n')[0]).toBe('WARNING in foo_bar');
  });

  it('locates a report at the kernel source line it names, the log lines being a related location', () => {
    expect(results[0]!.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'fs/foo/bar.c' }, region: { startLine: 123 } });
    expect(results[0]!.relatedLocations?.[0]?.physicalLocation).toEqual({ artifactLocation: { uri: 'logs/warning.log' }, region: { startLine: 2, endLine: 11 } });
    expect(results[1]!.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'include/linux/page-flags.h' }, region: { startLine: 808 } });
  });

  it('locates a report without a source position at its lines in the log', () => {
    const loc = results[2]!.locations[0]!.physicalLocation;
    expect(loc.artifactLocation.uri).toBe('logs/kasan.log');
    expect(loc.region?.startLine).toBe(2);
    expect(results[2]!.relatedLocations).toBeUndefined();
  });

  it('gives the call trace as a SARIF stack', () => {
    const frames = results[0]!.stacks?.[0]?.frames.map((f) => f.location.logicalLocations[0]!.name);
    expect(frames).toEqual(['foo_caller', 'process_one_work']);
  });

  it('a known bug gives a result under its detector id', () => {
    const demo = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'demo.log'), 'utf8');
    const r = sarif(recordsOf({ 'demo.log': demo })).runs[0]!.results;
    expect(r.map((x) => x.ruleId)).toEqual(['writeback-from-direct-reclaim']);
    expect(r[0]!.message.text).toContain('known bug: Filesystem writepage from direct reclaim');
    expect(r[0]!.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'fs/xfs/xfs_aops.c' }, region: { startLine: 971 } });
  });

  it('levels follow the policy, and a baseline adds suppressions', () => {
    const outcome = (r: Report): ReportOutcome => (r.crashClass === 'warning' ? 'tolerated' : r.crashClass === 'bug' ? 'suppressed' : 'failing');
    const l = sarif(threeReports(), { outcome, failOn: 'kasan', baseline: 'known.yaml' });
    expect(sarifSchemaErrors(l)).toBe('');
    const res = l.runs[0]!.results;
    expect(res.map((r) => r.level)).toEqual(['warning', 'note', 'error']);
    expect(res.map((r) => r.suppressions?.length)).toEqual([0, 1, 0]);
    expect(res[1]!.suppressions![0]).toEqual({ kind: 'external', justification: 'bucket listed in the baseline known.yaml' });
  });

  it('an unreadable input makes executionSuccessful false', () => {
    const recs = threeReports();
    recs.splice(0, 0, { kind: 'error', source: 'gone.log', code: 'input.not-found', message: 'no such file or directory' });
    const summary = recs[recs.length - 1]!;
    if (summary.kind === 'summary') summary.errors = 1;
    const l = sarif(recs);
    expect(sarifSchemaErrors(l)).toBe('');
    expect(l.runs[0]!.invocations[0]!.executionSuccessful).toBe(false);
  });

  it('hostile paths become valid URI references and the text is kept', () => {
    const l = sarif(hostileRecords());
    expect(sarifSchemaErrors(l)).toBe('');
    const r = l.runs[0]!.results[0]!;
    expect(r.locations[0]!.physicalLocation.artifactLocation.uri).toBe('fs/a%20b/%3Cx%3E%26%22y%22%23z%3F.c');
    expect(decodeURIComponent(r.relatedLocations![0]!.physicalLocation.artifactLocation.uri)).toMatch(/^we\|ird <&> "name" x <script>/);
    expect(r.message.text).toContain('<script>alert(1)</script>');
  });
});
