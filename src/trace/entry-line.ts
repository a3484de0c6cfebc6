// One context-prefixed trace line -> its context (comm, pid, tgid, cpu, flags, time) and
// body. Pure. Shapes: trace/trace_pipe/trace-cmd lines, trace-cmd -l lines with the flags
// glued to the CPU, `perf script` lines, and latency-format lines (ftrace dumps).
import { contextLineRe, gluedCpuLineRe, latencyLineRe, perfScriptLineRe } from './patterns.js';

export interface EntryLine {
  shape: 'context' | 'glued' | 'perf' | 'latency';
  comm: string;
  pid: number;
  tgid?: number;
  cpu: number;
  flags?: string;
  /** Seconds (or clock ticks) for the context shapes. */
  timestamp?: number;
  /** Microseconds since the buffer start (latency shape). */
  relativeUs?: number;
  /** Everything after "ts: " (latency: after "us<mark>: "). */
  body: string;
}

// Cheap tests run before the regexes: most lines of a kernel log are not trace lines.
const bracketCpuRe = /\[\d+\]/;
const latencyHintRe = /\dus[ +!#*@$]:/;
const gluedHintRe = /\d[.dDbXnNpLlBzZHhs0-9a-f]{3,6}\s+\d+\.\d+:/;
// Before gluedHintRe, which tries every digit of every log line: the timestamp's colon follows
// a digit and is followed by a blank or the end of the line (3x faster on console logs).
const digitColonRe = /\d:(?:\s|$)/;

// What each shape needs, in one test: a line failing it (most log lines) needs one scan. The glued
// shape's timestamp ("12345.678901:") is asked for, not any digit before a colon: that let 13-17%
// of console and KernelCI lines ("PCI: 00:18.7: enabled", register dumps) on to the costlier tests.
const anyHintRe = /\[\d+\]|\dus[ +!#*@$]:|\d\.\d+:/;

/** The regexes this module applies to input text (for the ReDoS audit). */
export const entryLineRegexes: readonly RegExp[] = [bracketCpuRe, latencyHintRe, gluedHintRe, digitColonRe, anyHintRe];

export function parseEntryLine(text: string): EntryLine | undefined {
  if (!anyHintRe.test(text)) return undefined;
  if (bracketCpuRe.test(text)) {
    let m = contextLineRe.exec(text);
    if (m) {
      const e: EntryLine = { shape: 'context', comm: m[1]!.trim(), pid: Number(m[2]), cpu: Number(m[4]), timestamp: Number(m[6]), body: m[7]! };
      if (m[3] !== undefined && !m[3].startsWith('-')) e.tgid = Number(m[3]);
      if (m[5] !== undefined) e.flags = m[5];
      return e;
    }
    m = perfScriptLineRe.exec(text);
    if (m) return { shape: 'perf', comm: m[1]!.trim(), pid: Number(m[2]), cpu: Number(m[3]), timestamp: Number(m[4]), body: `${m[5]}: ${m[6] ?? ''}` };
  }
  if (latencyHintRe.test(text)) {
    const m = latencyLineRe.exec(text);
    if (m) return { shape: 'latency', comm: m[1]!.trim(), pid: Number(m[2]), cpu: Number(m[3]), flags: m[4]!, relativeUs: Number(m[5]), body: m[7]! };
  }
  const g = digitColonRe.test(text) && gluedHintRe.test(text) ? gluedCpuLineRe.exec(text) : null;
  if (g) return { shape: 'glued', comm: g[1]!.trim(), pid: Number(g[2]), cpu: Number(g[3]), flags: g[4]!, timestamp: Number(g[5]), body: g[6]! };
  return undefined;
}
