// TraceMatch -> Finding: a trace detector's match named as the known bug of its crash
// detector (same id, title, fix commits), with a verdict for the kernel version when the
// trace came with one (an ftrace dump attached to a crash report).
import { verdictFor } from '../detectors/kernel-version.js';
import type { Finding } from '../model/finding.js';
import { formatMessage, type TraceDetector, type TraceMatch } from './detectors/define-trace-detector.js';

export interface TraceFindingContext {
  source: string;
  /** Index of the trace record in the source. */
  trace: number;
  /** The crash report an ftrace dump belongs to, and its kernel version. */
  report?: number;
  kernelVersion?: string;
}

export function traceFinding(d: TraceDetector, m: TraceMatch, at: TraceFindingContext): Finding {
  const bug = d.knownBug.meta;
  const v = verdictFor(at.kernelVersion, bug.references, 'splat');
  const fix = bug.references.fixes[0];
  const fixText = fix ? `${fix.commit.slice(0, 12)} ("${fix.subject}", v${fix.release})` : 'no recorded fix';
  const what = formatMessage(d.messages[m.messageId] ?? `{{messageId:${m.messageId}}}`, m.data);
  const verdict =
    v.verdict === 'fixed'
      ? `The kernel has the fix for "${bug.title}" (${v.reason}): a new regression or a different cause.`
      : v.verdict === 'not-affected'
        ? `The kernel predates "${bug.title}" (${v.reason}): a different cause.`
        : `Known bug "${bug.title}", fixed by ${fixText}; ${v.verdict === 'affected' ? 'this kernel lacks the fix' : 'whether this kernel has the fix is unknown'}: ${v.reason}.`;
  const f: Finding = {
    kind: 'finding',
    source: at.source,
    report: at.report ?? null,
    detector: bug.id,
    title: bug.title,
    match: 'trace',
    traceDetector: d.id,
    trace: at.trace,
    confidence: m.confidence,
    verdict: v.verdict,
    verdictReason: v.reason,
    message: `${what} ${verdict}`,
    fixCommits: bug.references.fixes,
    discussions: bug.references.discussions,
    evidence: { lines: [...m.lines], frames: [], notes: [...m.notes] },
  };
  const intro = bug.references.introduced;
  if (intro) f.introducedBy = { commit: intro.commit, subject: intro.subject, release: intro.release };
  if (at.kernelVersion) f.kernelVersion = at.kernelVersion;
  return f;
}
