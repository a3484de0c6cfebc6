// Is a log-looking input a trace? Decided from its first bytes, like sniffInput: a trace
// header, or enough lines shaped like trace entries (and fewer shaped like printk output).
import { parseEntryLine } from './entry-line.js';
import { parseGraphLine } from './graph-line.js';
import { lostEventsRe, tracerHeaderRe, traceCmdHeaderRe } from './patterns.js';

// printk timestamps: a kernel log, possibly with an ftrace dump inside (read as a log).
const printkRe = /^(?:<\d>)?\[\s*\d+\.\d+\]/;
const crRe = /\r$/;

/** The regexes this module applies to input text (for the ReDoS audit). */
export const sniffTraceRegexes: readonly RegExp[] = [printkRe, crRe];

export function looksLikeTrace(head: Buffer): boolean {
  const lines = head.subarray(0, 8192).toString('utf8').split('\n');
  // The last line may be cut by the peek.
  if (head.length >= 8192) lines.pop();
  let trace = 0;
  let log = 0;
  let other = 0;
  for (const raw of lines) {
    const l = raw.replace(crRe, '');
    if (l.trim() === '') continue;
    if (tracerHeaderRe.test(l)) return true;
    if (printkRe.test(l)) log++;
    else if (parseEntryLine(l) || parseGraphLine(l) || traceCmdHeaderRe.test(l) || lostEventsRe.test(l)) trace++;
    else other++;
  }
  return trace >= 3 && trace > log && trace * 3 >= other;
}
