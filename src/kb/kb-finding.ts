// Ranked candidates -> the "kb" finding of a report: the best fixes with their
// evidence, whether each is known to be in the report's kernel, and how it
// stands next to the curated detectors that matched the same report.
import { verdictFor } from '../detectors/kernel-version.js';
import type { Finding, KbCandidate } from '../model/finding.js';
import type { Report } from '../model/report.js';
import type { KbFix, KbIndex } from './kb-index.js';
import { rankCandidates } from './match.js';
import { subjectKey } from './subject.js';

export const KB_DETECTOR_ID = 'kb';

/** Marks a candidate whose release is known against the report's kernel version. */
function markKernel(c: KbCandidate, r: Report): ReturnType<typeof verdictFor> | undefined {
  if (!c.commit || !c.release || !r.kernelVersion) return undefined;
  const v = verdictFor(r.kernelVersion, { fixes: [{ commit: c.commit, subject: c.subject, release: c.release, backports: [] }], discussions: [] });
  if (v.verdict === 'fixed') c.inReportKernel = true;
  else if (v.verdict === 'affected') c.inReportKernel = false;
  else return v;
  c.inReportKernelReason = v.reason;
  return v;
}

/** Does a curated finding cite this fix (same commit prefix or same subject)? */
function cites(f: Finding, c: KbCandidate): boolean {
  return f.fixCommits.some((x) => (c.commit !== undefined && (c.commit.startsWith(x.commit) || x.commit.startsWith(c.commit))) || subjectKey(x.subject) === subjectKey(c.subject));
}

function confidence(top: KbCandidate): Finding['confidence'] {
  const kinds = new Set(top.evidence.map((e) => e.kind));
  if (kinds.has('syzbot-hash') || kinds.has('report-link') || kinds.has('curated-detector')) return 'high';
  if (kinds.has('same-title') || kinds.has('same-guilty-function') || kinds.has('guilty-function-touched')) return 'medium';
  return 'low';
}

function describe(c: KbCandidate): string {
  return `"${c.subject}"${c.commit ? ` (${c.commit.slice(0, 12)})` : c.messageId ? ` <${c.messageId}>` : ''}`;
}

/**
 * The kb finding for a report, or undefined when no fix scores enough. `curated` are the
 * findings of curated detectors on the same report: they win. A candidate they cite moves
 * to the top, and the finding names them in `supersededBy`.
 */
export function kbFinding(kb: KbIndex, r: Report, curated: readonly Finding[] = [], top = 5): Finding | undefined {
  const ranked: Array<{ fix: KbFix; candidate: KbCandidate }> = rankCandidates(kb, r, top);
  const cands = ranked.map((x) => x.candidate);
  for (const f of curated) {
    for (const c of cands) {
      if (c.curatedBy || !cites(f, c)) continue;
      c.curatedBy = f.detector;
      c.evidence.unshift({ kind: 'curated-detector', value: f.detector, points: 100 });
      c.score = Math.round((c.score + 100) * 100) / 100;
    }
  }
  cands.sort((a, b) => b.score - a.score);
  const best = cands[0];
  if (!best) return undefined;
  const v = markKernel(best, r);
  for (const c of cands.slice(1)) markKernel(c, r);
  const verdict = best.inReportKernel === true ? 'fixed' : best.inReportKernel === false ? 'affected' : 'unknown';
  const reason = best.inReportKernelReason ?? v?.reason ?? (best.release ? 'no kernel version in the log' : `the KB does not know which release first had ${best.commit ? best.commit.slice(0, 12) : 'this fix'}`);
  const ids = curated.map((f) => f.detector);
  const why = best.evidence.filter((e) => e.kind !== 'curated-detector').map((e) => e.kind.replace(/-/g, ' '));
  const others = cands.length > 1 ? `; ${cands.length - 1} more candidate${cands.length > 2 ? 's' : ''}` : '';
  const precedence = ids.length > 0 ? ` The curated detector ${ids.join(', ')} also matched this report: its finding takes precedence and these candidates are for reference.` : '';
  const f: Finding = {
    kind: 'finding',
    source: r.source,
    report: r.index,
    detector: KB_DETECTOR_ID,
    title: best.subject,
    match: 'splat',
    confidence: ids.length > 0 ? 'low' : confidence(best),
    verdict,
    verdictReason: reason,
    message: `Possibly fixed by ${describe(best)} (score ${best.score}: ${why.join(', ') || 'curated'})${others}.${precedence}`,
    fixCommits: best.commit && best.release ? [{ commit: best.commit, subject: best.subject, release: best.release, backports: [] }] : [],
    discussions: cands.flatMap((c) => (c.messageId ? [c.messageId] : [])),
    evidence: { lines: [r.startLine], frames: [], notes: best.evidence.map((e) => `${e.kind}: ${e.value} (+${e.points})`) },
    candidates: cands,
  };
  if (r.kernelVersion) f.kernelVersion = r.kernelVersion;
  if (ids.length > 0) f.supersededBy = ids;
  return f;
}
