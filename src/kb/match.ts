// Report x KB -> ranked candidate fixes with their evidence. Each kind of
// evidence has a weight; evidence about a function or file is scaled by how
// specific it is in this KB (a function many fixes touch says little).
import type { KbCandidate, KbEvidence } from '../model/finding.js';
import type { Report } from '../model/report.js';
import type { FunctionRoles, KbFix, KbIndex } from './kb-index.js';
import { splatFunctions } from './splats.js';

/** Points per kind of evidence (before the specificity of the function or file). */
export const weights = {
  'syzbot-hash': 50,
  'report-link': 40,
  'same-title': 10,
  'same-guilty-function': 6,
  'guilty-function-touched': 6,
  'guilty-function-mentioned': 4,
  'shared-frames': 2,
  'frames-touched': 2.5,
  'frames-mentioned': 1.5,
  'file-touched': 1,
  'curated-detector': 100,
} as const satisfies Record<KbEvidence['kind'], number>;

/** Frame evidence of one kind adds up to at most this many times its weight. */
const FRAME_CAP = 2;
/** Candidates below this score are noise (a file touched, a caller deep in the trace mentioned). */
export const MIN_SCORE = 1;
const REPORT_FRAMES = 12;
/** The PC's function, when it is not the guilty one, counts this much of a guilty function. */
const GUILTY_PC = 0.8;

/** What a report offers for matching. */
export interface ReportFeatures {
  hashes: string[];
  messageId?: string;
  titles: string[];
  /** The guilty function, then the PC's function when it differs (weighted GUILTY_PC). */
  guilty: string[];
  /** Non-generic frames, top first, without the guilty functions. */
  frames: string[];
  file?: string;
}

const syzbotFromRe = /syzbot\+([0-9a-f]{20})@/g;

/** Every regex applied to report text (for the ReDoS audit). */
export const matchRegexes: readonly RegExp[] = [syzbotFromRe];

export function reportFeatures(r: Report): ReportFeatures {
  const hashes = new Set<string>();
  for (const text of [r.mail?.from ?? '', ...r.precedingLines]) for (const m of text.matchAll(syzbotFromRe)) hashes.add(m[1]!);
  const fns = splatFunctions(r, REPORT_FRAMES);
  const guilty = [...new Set([fns.guilty, fns.pc].filter((x): x is string => x !== undefined))];
  const f: ReportFeatures = {
    hashes: [...hashes],
    titles: r.corrupted ? [] : [r.title, ...r.altTitles],
    guilty,
    frames: fns.frames.filter((fn) => !guilty.includes(fn)),
  };
  if (r.mail?.messageId) f.messageId = r.mail.messageId;
  if (r.guiltyFile) f.file = r.guiltyFile;
  return f;
}

/** Weight of the i-th frame below the guilty one: callers further down say less. */
function depth(i: number): number {
  return 1 / (1 + 0.35 * i);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

class Scorer {
  readonly byFix = new Map<number, Map<KbEvidence['kind'], { names: string[]; points: number }>>();

  add(fix: number, kind: KbEvidence['kind'], value: string, points: number): void {
    let m = this.byFix.get(fix);
    if (!m) this.byFix.set(fix, (m = new Map()));
    let e = m.get(kind);
    if (!e) m.set(kind, (e = { names: [], points: 0 }));
    if (!e.names.includes(value)) e.names.push(value);
    e.points = Math.min(e.points + points, weights[kind] * (kind.startsWith('frames') || kind === 'shared-frames' ? FRAME_CAP : 1));
  }

  evidence(fix: number): KbEvidence[] {
    return [...(this.byFix.get(fix) ?? new Map()).entries()]
      .map(([kind, e]) => ({ kind, value: e.names.join(', '), points: round(e.points) }))
      .sort((a, b) => b.points - a.points);
  }
}

function scoreGuilty(s: Scorer, kb: KbIndex, fn: string, scale: number): void {
  const w = kb.functionWeight(fn) * scale;
  for (const [i, r] of kb.byFunction.get(fn) ?? new Map<number, FunctionRoles>()) {
    if (r.guilty) s.add(i, 'same-guilty-function', fn, weights['same-guilty-function'] * w);
    else if (r.frame < Infinity) s.add(i, 'shared-frames', fn, weights['shared-frames'] * w);
    if (r.touched) s.add(i, 'guilty-function-touched', fn, weights['guilty-function-touched'] * w);
    if (r.mentioned) s.add(i, 'guilty-function-mentioned', fn, weights['guilty-function-mentioned'] * w);
  }
}

function scoreFrame(s: Scorer, kb: KbIndex, fn: string, pos: number): void {
  const w = kb.functionWeight(fn) * depth(pos);
  for (const [i, r] of kb.byFunction.get(fn) ?? new Map<number, FunctionRoles>()) {
    if (r.guilty || r.frame < Infinity) s.add(i, 'shared-frames', fn, weights['shared-frames'] * w);
    if (r.touched) s.add(i, 'frames-touched', fn, weights['frames-touched'] * w);
    if (r.mentioned) s.add(i, 'frames-mentioned', fn, weights['frames-mentioned'] * w);
  }
}

/** Every fix with some evidence, scored. */
export function scoreFixes(kb: KbIndex, f: ReportFeatures): Scorer {
  const s = new Scorer();
  for (const h of f.hashes) for (const i of kb.byHash.get(h) ?? []) s.add(i, 'syzbot-hash', h, weights['syzbot-hash']);
  if (f.messageId) for (const i of kb.byMessageId.get(f.messageId) ?? []) s.add(i, 'report-link', f.messageId, weights['report-link']);
  for (const t of f.titles) for (const i of kb.byTitle.get(t) ?? []) s.add(i, 'same-title', t, weights['same-title']);
  f.guilty.forEach((fn, i) => scoreGuilty(s, kb, fn, i === 0 ? 1 : GUILTY_PC));
  f.frames.forEach((fn, pos) => scoreFrame(s, kb, fn, pos));
  if (f.file) {
    const w = kb.fileWeight(f.file);
    for (const i of kb.byFile.get(f.file) ?? []) s.add(i, 'file-touched', f.file, weights['file-touched'] * w);
  }
  return s;
}

function candidate(fix: KbFix, evidence: KbEvidence[]): KbCandidate {
  // Key order as printed: what the fix is, then why.
  return {
    subject: fix.subject,
    ...(fix.messageId ? { messageId: fix.messageId } : {}),
    ...(fix.commit ? { commit: fix.commit } : {}),
    ...(fix.release ? { release: fix.release } : {}),
    score: round(evidence.reduce((n, e) => n + e.points, 0)),
    evidence,
  };
}

/** The best `top` candidate fixes for a report (score at least MIN_SCORE), best first; ties by subject. */
export function rankCandidates(kb: KbIndex, r: Report, top = 5): Array<{ fix: KbFix; candidate: KbCandidate }> {
  const s = scoreFixes(kb, reportFeatures(r));
  const all: Array<{ fix: KbFix; candidate: KbCandidate }> = [];
  for (const i of s.byFix.keys()) {
    const fix = kb.fixes[i]!;
    const c = candidate(fix, s.evidence(i));
    if (c.score >= MIN_SCORE) all.push({ fix, candidate: c });
  }
  all.sort((a, b) => b.candidate.score - a.candidate.score || a.fix.subject.localeCompare(b.fix.subject));
  return all.slice(0, top);
}
