// Traces trimmed by hand in commit messages: "RIP: 0010:mbm_cntr_get" and a
// "Call Trace:" followed by bare names ("__mon_event_count", "? __lock_acquire",
// "tpm_read_log_efi()"). The report parser needs offsets to tell a frame from
// prose; inside a report's own lines, a bare name after "Call Trace:" is a frame.
import type { Report } from '../model/report.js';

export interface TrimmedFrame {
  function: string;
  reliable: boolean;
}

// "Call Trace:" (x86), "Call trace:" (arm64), "Backtrace:" and "[<...>] (...)" arm headers.
const traceStartRe = /^\s*(?:Call Trace|Call trace|Backtrace)\s*:\s*$/;
// A bare frame: optional "? ", a symbol, optional "()", optional " [module]".
const bareFrameRe = /^\s*(\?\s+)?([A-Za-z_][\w.]*)(?:\(\))?(?:\s+\[[\w-]+\])?\s*$/;
// Lines a trimmed trace may hold besides frames: <TASK>, <IRQ>, "...".
// \u2026 is the ellipsis character (escaped: the bundle stays ASCII, which Node reads and V8 parses faster).
const markerRe = /^\s*(?:<\/?[A-Z]+>|\.\.\.|\u2026)\s*$/;
// "RIP: 0010:mbm_cntr_get", "pc : foo", "EIP: foo", "NIP [c0000000] foo", "PC is at foo" without offsets.
const barePcRe = /^\s*(?:RIP: [0-9a-f]{4}:|EIP: (?:[0-9a-f]{4}:)?|pc : |PC is at |NIP \S+ |epc : )([A-Za-z_][\w.]*)(?:\(\))?\s*$/;

/** Every regex applied to report lines (for the ReDoS audit). */
export const trimmedTraceRegexes: readonly RegExp[] = [traceStartRe, bareFrameRe, markerRe, barePcRe];

/** The PC function and frames of a trace printed without offsets, from the report's lines. */
export function trimmedTrace(r: Pick<Report, 'rawLines'>): { pc?: string; frames: TrimmedFrame[] } {
  const out: { pc?: string; frames: TrimmedFrame[] } = { frames: [] };
  let inTrace = false;
  for (const line of r.rawLines) {
    const pc = barePcRe.exec(line);
    if (pc && out.pc === undefined) out.pc = pc[1]!;
    if (traceStartRe.test(line)) {
      inTrace = true;
      continue;
    }
    if (!inTrace || markerRe.test(line)) continue;
    const m = bareFrameRe.exec(line);
    if (!m) {
      if (out.frames.length > 0) inTrace = false;
      continue;
    }
    out.frames.push({ function: m[2]!, reliable: m[1] === undefined });
  }
  return out;
}
