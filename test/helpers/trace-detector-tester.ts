// RuleTester for trace detectors: near-miss fixtures (valid) must give no finding,
// matching fixtures (invalid) exactly the findings listed, checked by hand. Each fixture
// runs through the whole pipeline (sniffing, ftrace dumps in logs, report attachment)
// and, separately, straight through the matcher with frozen events (no mutation).
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeTextRecords } from '../../src/analyze.js';
import { resolveInput } from '../../src/input/input-format.js';
import { findingSchema, type Finding } from '../../src/model/finding.js';
import type { TraceEvent } from '../../src/model/trace.js';
import { traceRecordSchema } from '../../src/model/trace.js';
import type { TraceDetector } from '../../src/trace/detectors/define-trace-detector.js';
import { TraceParser } from '../../src/trace/trace-parser.js';
import { FIXTURES } from './fixtures.js';

/** ../shared/corpora, for near-misses taken from the shared corpus (skipped when it is absent). */
export const CORPORA = process.env.KTRIAGE_CORPORA ?? join(FIXTURES, '..', '..', 'shared', 'corpora');

export interface ExpectedTraceFinding {
  confidence: Finding['confidence'];
  /** Evidence lines, in order. */
  lines: number[];
  /** Text the message must contain. */
  message: string;
  /** The crash report the finding names (ftrace dumps in logs); null for a trace file. */
  report?: number | null;
  verdict?: Finding['verdict'];
  /** Text one of the notes must contain. */
  note?: string;
}

export interface TraceDetectorCases {
  /** Fixture paths relative to fixtures/ (or absolute, e.g. in the shared corpus). */
  valid: string[];
  invalid: Array<{ fixture: string; findings: ExpectedTraceFinding[] }>;
}

function pathOf(f: string): string {
  return isAbsolute(f) ? f : join(FIXTURES, f);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

function traceFindings(detector: TraceDetector, file: string): Finding[] {
  const buf = readFileSync(file);
  const { trace } = resolveInput(buf);
  const recs = analyzeTextRecords(buf.toString('utf8'), file, { traceDetectors: [detector], trace });
  for (const r of recs) {
    if (r.kind === 'trace') expect(() => traceRecordSchema.parse(r)).not.toThrow();
    if (r.kind === 'finding') expect(() => findingSchema.parse(r)).not.toThrow();
  }
  return recs.filter((r): r is Finding => r.kind === 'finding' && r.match === 'trace');
}

/** Feeds the matcher directly with frozen events: a detector that writes to an event throws. */
function matchFrozen(detector: TraceDetector, file: string): number {
  const parser = new TraceParser(file);
  const m = detector.createMatcher();
  // Each line's events go to the matcher before the next line: callers() reads the parser's current state.
  const feed = (events: TraceEvent[]) => events.forEach((ev) => m.push(deepFreeze(ev), parser));
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((l, i) => {
      const events: TraceEvent[] = [];
      parser.push(l.replace(/^\[\s*\d+\.\d+\] /, ''), i + 1, events);
      feed(events);
    });
  const last: TraceEvent[] = [];
  parser.end(last);
  feed(last);
  return m.end().length;
}

export function runTraceDetectorTests(detector: TraceDetector, cases: TraceDetectorCases): void {
  describe(`trace detector ${detector.id}`, () => {
    it('has matching and near-miss fixtures, none twice, all existing (corpus ones may be absent)', () => {
      expect(cases.valid.length).toBeGreaterThan(0);
      expect(cases.invalid.length).toBeGreaterThan(0);
      const all = [...cases.valid, ...cases.invalid.map((c) => c.fixture)];
      expect(new Set(all).size).toBe(all.length);
      for (const f of all) if (!f.startsWith(CORPORA)) expect(existsSync(pathOf(f)), f).toBe(true);
    });

    it('has messages without leftover placeholders in its metadata', () => {
      expect(detector.id.startsWith('trace-')).toBe(true);
      expect(Object.keys(detector.messages).length).toBeGreaterThan(0);
      expect(detector.cannotShow.length).toBeGreaterThan(0);
    });

    for (const f of cases.valid) {
      it.skipIf(!existsSync(pathOf(f)))(`stays silent on ${f}`, () => {
        expect(traceFindings(detector, pathOf(f))).toEqual([]);
        expect(matchFrozen(detector, pathOf(f))).toBe(0);
      });
    }

    for (const c of cases.invalid) {
      it(`matches ${c.fixture}`, () => {
        const got = traceFindings(detector, pathOf(c.fixture));
        expect(got.length).toBe(c.findings.length);
        got.forEach((f, i) => {
          const want = c.findings[i]!;
          expect(f.traceDetector).toBe(detector.id);
          expect(f.detector).toBe(detector.knownBug.meta.id);
          expect(f.fixCommits).toEqual(detector.knownBug.meta.references.fixes);
          expect(f.confidence).toBe(want.confidence);
          expect(f.evidence.lines).toEqual(want.lines);
          expect(f.message).toContain(want.message);
          expect(f.message).not.toMatch(/\{\{|\}\}|undefined/);
          expect(f.report).toBe(want.report ?? null);
          if (want.verdict) expect(f.verdict).toBe(want.verdict);
          if (want.note) expect(f.evidence.notes.join('\n')).toContain(want.note);
        });
        expect(matchFrozen(detector, pathOf(c.fixture))).toBe(c.findings.length);
      });
    }
  });
}
