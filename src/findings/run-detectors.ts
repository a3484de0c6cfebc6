// Report x Detector -> Finding, with a version verdict; and mention findings
// for sources that describe a known bug without a parsable splat.
import type { Finding } from '../model/finding.js';
import type { LogLine } from '../model/log-line.js';
import type { Report } from '../model/report.js';
import type { Detector } from '../detectors/define-detector.js';
import { verdictFor } from '../detectors/kernel-version.js';
import { matchSignature } from '../detectors/signature.js';

const rank = { high: 3, medium: 2, low: 1 } as const;
type Confidence = keyof typeof rank;

function lower(a: Confidence, b: Confidence): Confidence {
  return rank[a] <= rank[b] ? a : b;
}

function fixText(d: Detector): string {
  const f = d.meta.references.fixes[0];
  return f ? `${f.commit.slice(0, 12)} ("${f.subject}", v${f.release})` : 'no recorded fix';
}

function baseFinding(d: Detector, source: string): Omit<Finding, 'report' | 'match' | 'confidence' | 'verdict' | 'verdictReason' | 'message' | 'evidence'> {
  const f: Omit<Finding, 'report' | 'match' | 'confidence' | 'verdict' | 'verdictReason' | 'message' | 'evidence'> = {
    kind: 'finding',
    source,
    detector: d.meta.id,
    title: d.meta.title,
    fixCommits: d.meta.references.fixes,
    discussions: d.meta.references.discussions,
  };
  const intro = d.meta.references.introduced;
  if (intro) f.introducedBy = { commit: intro.commit, subject: intro.subject, release: intro.release };
  return f;
}

/** Findings of every detector whose signature the report matches (at most one per detector). */
export function runDetectors(report: Report, detectors: readonly Detector[]): Finding[] {
  const out: Finding[] = [];
  for (const d of detectors) {
    for (const sig of d.meta.signatures) {
      const m = matchSignature(sig, report);
      if (!m) continue;
      let confidence: Confidence = sig.confidence ?? 'high';
      if (!m.framesVerified) confidence = 'low';
      const notes = [...(sig.name ? [`signature: ${sig.name}`] : []), ...m.notes];
      if (d.refine) {
        const r = d.refine(report, m);
        if (r === null) continue;
        if (r.confidence) confidence = lower(confidence, r.confidence);
        if (r.notes) notes.push(...r.notes);
      }
      const v = verdictFor(report.kernelVersion, d.meta.references, 'splat');
      const message =
        v.verdict === 'fixed'
          ? `Same pattern as "${d.meta.title}", but the fix is already present (${v.reason}): a new regression or a different cause.`
          : v.verdict === 'not-affected'
            ? `Same pattern as "${d.meta.title}", but this kernel never had that bug (${v.reason}): a different cause.`
            : `${d.meta.title}. Fixed by ${fixText(d)}; ${v.verdict === 'affected' ? 'this kernel lacks the fix' : 'whether this kernel has the fix is unknown'}: ${v.reason}.`;
      const finding: Finding = {
        ...baseFinding(d, report.source),
        report: report.index,
        match: 'splat',
        confidence,
        verdict: v.verdict,
        verdictReason: v.reason,
        message,
        evidence: { lines: m.lines, frames: m.frames, notes },
      };
      if (report.kernelVersion) finding.kernelVersion = report.kernelVersion;
      out.push(finding);
      break;
    }
  }
  return out;
}

interface MentionState {
  detector: Detector;
  mentionIndex: number;
  all: RegExp[];
  any: RegExp[];
  /** Line numbers where each `all` pattern matched (a few per pattern). */
  seenAll: number[][];
  seenAny: number[];
}

/** Lines kept per pattern: enough to find one outside the reports, bounded memory. */
const MAX_HITS = 32;

/** One regex matching a line that any mention pattern of the detectors could match (a prefilter). */
export function mentionPrefilter(detectors: readonly Detector[]): RegExp {
  return anyOf(mentionSources(detectors));
}

/** Every mention pattern of the detectors (regex sources, no flags). */
export function mentionSources(detectors: readonly Detector[]): string[] {
  return detectors.flatMap((d) => d.meta.mentions.flatMap((m) => [...m.all, ...(m.any ?? [])]));
}

/** One regex matching where any of the sources matches (none: never). */
export function anyOf(sources: readonly string[]): RegExp {
  return sources.length > 0 ? new RegExp(sources.map((src) => `(?:${src})`).join('|')) : /$^/;
}

/**
 * Watches every line of one source for prose that describes a known bug (a mail that
 * explains it without a trace). Words inside a report do not count: the report speaks
 * for itself. Memory: a few line numbers per detector mention rule.
 */
export class MentionScanner {
  private readonly states: MentionState[] = [];
  private readonly splatDetectors = new Set<string>();
  /** Matches a line that any mention pattern could match. */
  private readonly anyRe: RegExp;

  constructor(
    readonly source: string,
    detectors: readonly Detector[],
  ) {
    for (const d of detectors) {
      d.meta.mentions.forEach((m, i) => {
        this.states.push({
          detector: d,
          mentionIndex: i,
          all: m.all.map((s) => new RegExp(s)),
          any: (m.any ?? []).map((s) => new RegExp(s)),
          seenAll: m.all.map(() => []),
          seenAny: [],
        });
      });
    }
    this.anyRe = mentionPrefilter(detectors);
  }

  /** A splat finding of this detector makes a mention redundant. */
  noteSplat(detectorId: string): void {
    this.splatDetectors.add(detectorId);
  }

  /**
   * Lines of a report (with the lines printed just before it) are not prose: their hits are
   * dropped. A report is noted once complete, after its lines, so no later hit can fall inside
   * it and nothing needs to be kept per report.
   */
  noteReport(first: number, last: number): void {
    const keep = (hits: number[]) => {
      let w = 0;
      for (const n of hits) if (n < first || n > last) hits[w++] = n;
      hits.length = w;
    };
    for (const st of this.states) {
      st.seenAll.forEach(keep);
      keep(st.seenAny);
    }
  }

  push(line: LogLine): void {
    // One combined test first: most lines mention nothing.
    if (!this.anyRe.test(line.text)) return;
    for (const st of this.states) {
      st.all.forEach((re, i) => {
        const hits = st.seenAll[i]!;
        if (hits.length < MAX_HITS && re.test(line.text)) hits.push(line.lineNo);
      });
      if (st.seenAny.length < MAX_HITS && st.any.some((re) => re.test(line.text))) st.seenAny.push(line.lineNo);
    }
  }

  /** Mention findings, one per detector, for the end of the source. */
  end(): Finding[] {
    const out: Finding[] = [];
    const done = new Set<string>();
    for (const st of this.states) {
      const id = st.detector.meta.id;
      if (done.has(id) || this.splatDetectors.has(id)) continue;
      // Hits inside reports were dropped as the reports were noted: the first hit left is outside any.
      const allLines = st.seenAll.map((h) => h[0]);
      const anyLine = st.seenAny[0];
      if (allLines.some((n) => n === undefined) || (st.any.length > 0 && anyLine === undefined)) continue;
      done.add(id);
      const lines = [...new Set([...(allLines as number[]), ...(anyLine !== undefined ? [anyLine] : [])])].sort((a, b) => a - b);
      const v = verdictFor(undefined, st.detector.meta.references, 'mention');
      out.push({
        ...baseFinding(st.detector, this.source),
        report: null,
        match: 'mention',
        confidence: 'low',
        verdict: v.verdict,
        verdictReason: v.reason,
        message: `The text describes "${st.detector.meta.title}" without a splat to confirm it. Fixed by ${fixText(st.detector)}.`,
        evidence: { lines, frames: [], notes: [`words of mention rule ${st.mentionIndex + 1} found outside any report`] },
      });
    }
    return out;
  }
}
