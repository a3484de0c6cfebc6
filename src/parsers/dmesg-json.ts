// `dmesg --json` (util-linux 2.38+, sys-utils/dmesg.c print_record with ul_jsonwrt, pretty
// printed): one JSON object per kernel record, one field per line, the message last:
//
//   {
//      "dmesg": [
//         {
//            "pri": 4,                       <- facility << 3 | level; with -x: "fac": "kern", "pri": "warn"
//            "time":     7.455269,           <- seconds since boot ("%5ld.%06ld")
//            "caller": "T96",                <- CONFIG_PRINTK_CALLER, when the record has one
//            "msg": "WARNING: CPU: 1 PID: 95 at ..."
//         },{
//   ...
//      ]
//   }
//
// A record's fields come on the lines before its "msg" line, so LineNormalizer keeps them until
// the message arrives. This module only classifies one line.
import { syslogLevelNames } from './syslog-levels.js';

/** The line that opens the record array: the normaliser reads the lines after it as records. */
export const dmesgJsonOpenWord = '"dmesg": [';

const openRe = /^[ \t]*"dmesg": \[$/;
// Object braces between records, and the closing bracket and brace of the document.
const structureRe = /^[ \t]*(?:\{|\},\{|\},?|\],?)$/;
const fieldRe = /^[ \t]*"(pri|fac|time|caller|msg)": /;

/** Regexes this module applies to input lines (the ReDoS audit runs them on adversarial input). */
export const dmesgJsonRegexes: readonly RegExp[] = [openRe, structureRe, fieldRe];

/** The fields of the record being read. */
export interface DmesgJsonRecord {
  time?: number;
  level?: number;
  /** False when the facility is not the kernel's (a program's line written to /dev/kmsg). */
  fromKernelLog?: boolean;
  caller?: string;
}

export type DmesgJsonLine =
  | { kind: 'structure' }
  | { kind: 'field' }
  | { kind: 'msg'; text: string };

/** True for the line that opens the record array. */
export function isDmesgJsonOpen(line: string): boolean {
  return openRe.test(line);
}

/**
 * Classifies one line of a `dmesg --json` document, updating `rec` with the fields it carries.
 * Returns undefined when the line is none of the document's (it is read as a plain line then).
 */
export function readDmesgJsonLine(line: string, rec: DmesgJsonRecord): DmesgJsonLine | undefined {
  if (structureRe.test(line)) return { kind: 'structure' };
  const m = fieldRe.exec(line);
  if (!m) return undefined;
  let raw = line.slice(m[0].length);
  const key = m[1];
  if (key !== 'msg' && raw.endsWith(',')) raw = raw.slice(0, -1);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  switch (key) {
    case 'msg':
      if (typeof value !== 'string') return undefined;
      return { kind: 'msg', text: value };
    case 'time':
      if (typeof value === 'number' && Number.isFinite(value)) rec.time = value;
      break;
    case 'caller':
      if (typeof value === 'string') rec.caller = value;
      break;
    case 'fac':
      if (typeof value === 'string') rec.fromKernelLog = value === 'kern';
      break;
    case 'pri':
      if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
        rec.level = value & 7;
        rec.fromKernelLog = value >> 3 === 0;
      } else if (typeof value === 'string' && syslogLevelNames.includes(value)) {
        rec.level = syslogLevelNames.indexOf(value);
      }
      break;
  }
  return { kind: 'field' };
}
