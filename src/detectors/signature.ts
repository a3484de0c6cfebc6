// Matches a declarative signature against a report and says why it matched.
import type { Signature } from '../model/finding.js';
import type { Report } from '../model/report.js';
import { titleFunction } from '../reports/frames.js';

export interface SignatureMatch {
  /** Function names of the frames that matched `frames`, in order. */
  frames: string[];
  /** Source line numbers: the header and the matched frames. */
  lines: number[];
  notes: string[];
  /** False when the signature needs frames and the report printed none (a quoted header line). */
  framesVerified: boolean;
}

const cache = new Map<string, RegExp>();
function re(src: string): RegExp {
  let r = cache.get(src);
  if (!r) {
    r = new RegExp(src);
    cache.set(src, r);
  }
  return r;
}

/** Returns how the report matches the signature, or null when any given field fails. */
export function matchSignature(sig: Signature, r: Report): SignatureMatch | null {
  const notes: string[] = [];
  if (sig.classes && !sig.classes.includes(r.crashClass)) return null;
  if (sig.title && ![r.title, ...r.altTitles].some((t) => re(sig.title!).test(t))) return null;
  if (sig.location) {
    if (!r.location || !re(sig.location).test(r.location)) return null;
    notes.push(`location ${r.location}`);
  }
  if (sig.guiltyFunction) {
    if (!r.guiltyFunction || !re(sig.guiltyFunction).test(r.guiltyFunction)) return null;
    notes.push(`guilty function ${r.guiltyFunction}`);
  }
  if (sig.pageDumpReason) {
    if (!r.pageDumpReason || !re(sig.pageDumpReason).test(r.pageDumpReason)) return null;
    notes.push(`page dumped because: ${r.pageDumpReason}`);
  }
  if (sig.forbiddenComm && r.comm && re(sig.forbiddenComm).test(r.comm)) return null;
  // The faulting PC is the top of the stack: x86 call traces start with its caller.
  const top = r.pc && r.pc.function !== r.frames[0]?.function ? [r.pc] : [];
  const frames = [...top, ...r.frames].filter((f) => f.reliable);
  const names = frames.map((f) => titleFunction(f.function));
  if (sig.forbiddenFrames && names.some((n) => sig.forbiddenFrames!.some((p) => re(p).test(n)))) return null;
  const matched: string[] = [];
  const lines = [r.startLine];
  let framesVerified = true;
  if (sig.frames && sig.frames.length > 0) {
    if (names.length === 0) {
      framesVerified = false;
      notes.push('no call trace printed: the frames of the signature could not be checked');
    } else {
      let i = 0;
      for (const p of sig.frames) {
        while (i < names.length && !re(p).test(names[i]!)) i++;
        if (i === names.length) return null;
        matched.push(names[i]!);
        const no = frames[i]!.lineNo;
        if (no !== undefined) lines.push(no);
        i++;
      }
      notes.push(`call trace ${matched.join(' <- ')}`);
    }
  }
  if (r.comm) notes.push(`task ${r.comm}`);
  return { frames: matched, lines, notes, framesVerified };
}
