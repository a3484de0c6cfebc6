// Corruption checks: a report is flagged when its title picked up stray text
// or a stack it announces ("Call Trace:", "Freed by task") has no frames.
import { callTraceRe } from './formats/common.js';
import type { TitleFormat } from './formats/types.js';
import { parseFrameLine } from './frames.js';
import { isStackStart, riscvStackStartRe, stackStartRes } from './guilty-frame.js';

// A timestamp in the middle of a title means two messages were printed into one line.
const timestampInTitleRe = /\[ *[0-9]+\.[0-9]+\]/;
// arm "(func) from (caller+0x..)" frames.
const armFromRe = / from /;

/** Regexes this module applies to titles and report lines (the ReDoS audit runs them on adversarial input). */
export const corruptionRegexes: readonly RegExp[] = [timestampInTitleRe, armFromRe];

function isFrameLike(line: string): boolean {
  if (line.includes('(stack is not available)')) return true;
  const f = parseFrameLine(line);
  return f !== null && !f.unreliable;
}

/**
 * Returns the reason a report is corrupted, or undefined. `lines` are the
 * report's analysis lines; `format` is the title format (undefined when the
 * raw header line became the title).
 */
export function corruptionReason(title: string, lines: readonly string[], format: TitleFormat | undefined, framesExtracted = false): string | undefined {
  if (timestampInTitleRe.test(title)) return 'title matches corrupted regexp';
  if (!format || format.noStackTrace) return undefined;
  // KFENCE prints its stacks right under the header, with no "Call Trace:" when it has no regs:
  // for a format that reads its stack without that keyword, the extracted frames are the proof.
  const steps = format.stack?.steps ?? [];
  if (framesExtracted && steps.some((s) => s.kind === 'trace') && !steps.some((s) => s.kind === 'line' && s.re === callTraceRe)) return undefined;
  let hasStack = false;
  for (const key of [...stackStartRes, riscvStackStartRe]) {
    const at = lines.findIndex((l) => key.test(l));
    if (at < 0) continue;
    // syzkaller counts the keyword line and needs three more (its split keeps a trailing empty line).
    if (lines.length - at < 3) return 'call trace is missed';
    let corrupted = true;
    for (let i = at + 1; i < lines.length && i <= at + 15; i++) {
      const l = lines[i]!;
      if (isStackStart(l) || riscvStackStartRe.test(l)) break;
      if (isFrameLike(l)) {
        hasStack = true;
        corrupted = false;
        break;
      }
    }
    if (key !== riscvStackStartRe && corrupted) return 'no frames in a stack trace';
  }
  // arm prints "(func) from (caller+0x..)" frames after "stack backtrace:" or straight after the stack
  // dump, with no "Call Trace:" keyword: several reliable frame lines are a stack all the same.
  if (!hasStack && lines.filter((l) => armFromRe.test(l) && isFrameLike(l)).length >= 2) hasStack = true;
  if (!hasStack) return 'no stack trace in report';
  return undefined;
}
