// Prefix formats that wrap kernel messages: one table entry per format, tried in
// order at the current position of a line. Each entry consumes its prefix and
// records what it carried (times, level, caller id, origin).
import type { PrefixKind } from '../model/log-line.js';
import { dmesgJsonOpenWord } from './dmesg-json.js';
import { journalExportCursorWord, journalPrettyFieldWord, journalVerboseHeaderWord, jsonValueText } from './journal-entry.js';
import { syslogLevelNames } from './syslog-levels.js';

/** Mutable per-line result filled by the prefix rules. */
export interface PrefixState {
  time?: number;
  wallTime?: string;
  level?: number;
  caller?: string;
  quoteDepth?: number;
  /** Where the email quote markers end (the quote rule sets it). */
  quoteEnd?: number;
  kernel: boolean;
  fromKernelLog?: boolean;
  prefixes: PrefixKind[];
  /** Set by the journal-json rule: the message replaces the rest of the line. */
  replacement?: string;
}

export interface PrefixRule {
  kind: PrefixKind;
  /** Rules of the same group are exclusive: once one matched, the others are skipped. */
  group: 'quote' | 'ci' | 'transport' | 'noise' | 'priority' | 'facility' | 'time' | 'caller';
  /** Quick check on the character at `pos`; avoids running regexes on most lines. */
  first: (code: number) => boolean;
  /** Returns the position after the prefix, or -1 when the rule does not apply. */
  apply: (line: string, pos: number, st: PrefixState) => number;
}

const MONTHS: Record<string, string> = {
  Jan: '01', Feb: '02', Mar: '03', Apr: '04', May: '05', Jun: '06',
  Jul: '07', Aug: '08', Sep: '09', Oct: '10', Nov: '11', Dec: '12',
};

const isDigit = (c: number) => c >= 48 && c <= 57;
const isUpper = (c: number) => c >= 65 && c <= 90;
const isLower = (c: number) => c >= 97 && c <= 122;

function sticky(re: RegExp): RegExp {
  return new RegExp(re.source, re.flags.includes('y') ? re.flags : re.flags + 'y');
}

function execAt(re: RegExp, line: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(line);
}

// Email quoting: "> ", ">>", "> > ", ">  " (mail clients add one space after each marker).
// Not KASAN's shadow-memory row marker ">ffff888012345678: fa fb".
// Email quoting: "> ", ">>", "> > ", and "| " (some clients and bug trackers quote with a bar;
// the bar must be followed by a blank, kernel output never starts a line with "| ").
const quoteRe = sticky(/[ \t]*((?:>[ \t]?|\|[ \t])+)(?![0-9a-f]{8,16}: )/);

// CI / dmesg --time-format iso / rsyslog high-precision timestamps:
// "2024-01-02T03:04:05.1234567Z ", "2014-07-26T12:58:23,123456+02:00 ", "2014-07-26T12:58:23+0200 ".
const isoRe = sticky(/(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)([.,]\d+)?(Z|[+-]\d\d:?\d\d)? /);

// The "host ident[pid]: " part of a syslog or journalctl line; journalctl --no-hostname leaves
// out the host, which is read only for the kernel's lines ("kernel: "): "<time> WORD: " alone
// is also a CI log's time and a kernel header ("WARNING: CPU: 0 ...").
const syslogTailRe = sticky(/([^\s:]+) ([^\s:[\]]+)(?:\[(\d+)\])?: |(kernel): /);

// RFC 3164 syslog / journalctl short and short-precise: "Jul 26 12:58:23 " or "Jul 26 12:58:23.123456 ".
const bsdDateRe = sticky(/([A-Z][a-z]{2}) ([ \d]\d) (\d\d:\d\d:\d\d)(\.\d+)? /);

// journalctl short-full: "Sat 2014-07-26 12:58:23 CEST ".
const fullDateRe = sticky(/[A-Z][a-z]{2} (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(\.\d+)? [A-Za-z+\-0-9]+ /);

// journalctl short-unix: "1406379503.123456 host kernel: ".
const unixTimeRe = sticky(/(\d{9,11}\.\d{6}) (?=\S+ \S+: )/);

// /dev/kmsg record (Documentation/ABI/testing/dev-kmsg): "prio,seq,usec,flags[,...];text".
// "(?![-c+])" keeps the flags maximal: without it a long flag run with no ";" was split every way (quadratic).
const kmsgRe = sticky(/(\d{1,4}),(\d+),(\d+),([-c+]*)(?![-c+])[^;]*;/);

// printk level / syslog priority prefix: "<4>", "<14>", followed directly by the timestamp or the text
// (so "<1>  2159  Yes  WARNING: ..." in a syzbot report table is not a kernel line).
const priorityRe = sticky(/<(\d{1,3})>(?=\[|\S)/);

// dmesg -x: "kern  :warn  : ".
const facilityRe = sticky(
  /(kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|res[0-4]|local[0-7]) *:(emerg|alert|crit|err|warn|notice|info|debug) *: ?/,
);

// printk timestamp "[ 1234.567890]" (kernel/printk/printk.c print_time: "[%5lu.%06lu]"),
// also dmesg -d "[ 1234.567890 <    0.000123>]" and journalctl -o short-delta, which writes
// "[ 1234.567890 <    0.000123 >]" and, for an entry with no entry before it, blanks instead
// of the delta ("[    0.000000                ]"; systemd 252).
const printkTimeRe = sticky(/\[ *(\d+\.\d+)(?: < *\d+\.\d+ ?>| +)?\] ?/);

// dmesg -T / --ctime: "[Mon Jul 26 12:58:23 2014] ".
const ctimeRe = sticky(/\[[A-Z][a-z]{2} ([A-Z][a-z]{2}) ([ \d]\d) (\d\d:\d\d:\d\d) (\d{4})\] ?/);

// dmesg -e / --reltime: "[Jul26 12:58] " and "[  +0.000123] ".
const reltimeRe = sticky(/\[(?:[A-Z][a-z]{2}\d\d? \d\d:\d\d|(?: *\+\d+\.\d+))\] ?/);

// CONFIG_PRINTK_CALLER: "[  T123]" / "[C3]" right after the timestamp (printk.c info_print_ext_header/print_caller).
// Android kernels may print the CPU too through a vendor hook (android_vh_printk_caller): "[T123@C4]";
// the task id alone keeps a task's lines together when it moves to another CPU.
const callerRe = sticky(/ ?\[ *([TC]\d+)(?:@C\d+)?\] ?/);

// Samsung's CONFIG_PRINTK_PROCESS (Exynos Android kernels), after the time or alone: "%c[%1d:%15s:%5d]",
// 'I' in interrupt context, then the CPU, the task's comm padded to 15 and its pid: " [4:  system_server: 3344]".
const processRe = sticky(/ ?([ I]?)\[(\d{1,4}):(.{15}):( *\d+)\] ?/);

// Serial console noise before the kernel text: dropped-message notes and a getty prompt.
const droppedRe = sticky(/\*\* \d+ printk messages dropped \*\* ?/);
const loginRe = sticky(/.*? login: (?=<\d{1,3}>|\[ *\d+\.\d+\])/);
// A printk timestamp as print_time() prints it ("[%5lu.%06lu] "), after console output that had
// no newline yet: the kernel line starts there ("/init: 384: .: [  271.403835] Kernel panic - ...").
// With CONFIG_PRINTK_CALLER the caller id follows with no blank: "[  271.403835][    T1] ".
const gluedTimeRe = sticky(/\[ *\d+\.\d{6}\](?: |\[ *[TC]\d+(?:@C\d+)?\] )/);

/** A "<N>" printk prefix read: its level, and a facility other than the kernel's marks a program's line. */
function setPriority(prio: number, st: PrefixState): void {
  st.level = prio & 7;
  if (prio >> 3 !== 0) st.fromKernelLog = false;
  st.kernel = true;
  st.prefixes.push('priority');
}

/** Regexes the prefix rules apply at a position of a line (all sticky), for the ReDoS audit. */
export const prefixRegexes: readonly RegExp[] = [
  quoteRe, isoRe, syslogTailRe, bsdDateRe, fullDateRe, unixTimeRe, kmsgRe, priorityRe, facilityRe, printkTimeRe, ctimeRe, reltimeRe,
  callerRe, processRe, droppedRe, loginRe, gluedTimeRe,
];

/** Drops the newlines journald keeps at the end of a message (a loop: /\n+$/ is quadratic on many newlines). */
export function trimTrailingNewlines(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 10) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** Parses the "host ident[pid]: " tail of a syslog/journal line; sets the origin flags. */
function syslogTail(line: string, pos: number, st: PrefixState, kind: PrefixKind): number {
  const m = execAt(syslogTailRe, line, pos);
  if (!m) return -1;
  const ident = m[2] ?? m[4] ?? '';
  st.fromKernelLog = ident === 'kernel';
  if (st.fromKernelLog) st.kernel = true;
  st.prefixes.push(kind);
  return pos + m[0].length;
}

function bsdWallTime(mon: string, day: string, time: string, frac: string | undefined): string {
  return `${MONTHS[mon] ?? '??'}-${day.trim().padStart(2, '0')}T${time}${frac ?? ''}`;
}

/**
 * What a journal entry's fields say about its message: its origin, level and times (journalctl
 * prints every value as a string). `_SOURCE_MONOTONIC_TIMESTAMP` is the kernel's record time
 * (journald's kmsg reader); `__MONOTONIC_TIMESTAMP`, when it is absent, the time journald got it.
 */
export function journalEntryState(field: (key: string) => unknown, st: PrefixState): void {
  st.fromKernelLog = field('_TRANSPORT') === 'kernel' || field('SYSLOG_IDENTIFIER') === 'kernel';
  if (st.fromKernelLog) st.kernel = true;
  const prio = Number(field('PRIORITY'));
  if (Number.isInteger(prio) && prio >= 0 && prio <= 7) st.level = prio;
  const mono = Number(field('_SOURCE_MONOTONIC_TIMESTAMP') ?? field('__MONOTONIC_TIMESTAMP'));
  if (Number.isFinite(mono) && mono > 0) st.time = mono / 1e6;
  const real = Number(field('__REALTIME_TIMESTAMP'));
  if (Number.isFinite(real) && real > 0) st.wallTime = new Date(real / 1000).toISOString();
}

/**
 * Literals of the rules that rewrite a line rather than cut a prefix off it (the journal JSON
 * record decodes its MESSAGE; the line that opens a `dmesg --json` document, a json-pretty field,
 * a verbose entry's header and an export entry's cursor make the normaliser read the lines after
 * them), for the quiet-line
 * test (src/quiet/inert-line.ts).
 */
export const rewritingPrefixWords: readonly string[] = ['"MESSAGE"', dmesgJsonOpenWord, journalPrettyFieldWord, journalVerboseHeaderWord, journalExportCursorWord];

/**
 * Characters every prefix that gives a line its printk time holds (printk-time "[", kmsg ";";
 * the journal JSON record is a rewriting word), for the quiet-line test while the boot tracker
 * and the segmenter still wait for the first timestamp.
 */
export const timeSettingWords: readonly string[] = ['[', ';'];

export const prefixRules: readonly PrefixRule[] = [
  {
    kind: 'quote',
    group: 'quote',
    first: (c) => c === 62 /* > */ || c === 124 /* | */ || c === 32 || c === 9,
    apply(line, pos, st) {
      const m = execAt(quoteRe, line, pos);
      if (!m) return -1;
      const markers = m[1] ?? '';
      let depth = 0;
      for (let i = 0; i < markers.length; i++) {
        const c = markers.charCodeAt(i);
        if (c === 62 || c === 124) depth++;
      }
      st.quoteDepth = depth;
      st.quoteEnd = pos + m[0].length;
      st.prefixes.push('quote');
      return st.quoteEnd;
    },
  },
  {
    // journalctl -o json: one JSON object per line; -o json-seq puts an RS (0x1e) before it, which
    // cleanControl removes, and -o json-sse "data: " (server-sent events).
    kind: 'journal-json',
    group: 'transport',
    first: (c) => c === 123 /* { */ || c === 100 /* d */,
    apply(line, pos, st) {
      const from = line.startsWith('data: {', pos) ? pos + 6 : pos;
      if (line.charCodeAt(from) !== 123 || !line.includes('"MESSAGE"', from)) return -1;
      let rec: unknown;
      try {
        rec = JSON.parse(line.slice(from));
      } catch {
        return -1;
      }
      if (typeof rec !== 'object' || rec === null) return -1;
      const r = rec as Record<string, unknown>;
      const text = jsonValueText(r['MESSAGE']);
      if (text === undefined) return -1;
      st.replacement = trimTrailingNewlines(text);
      journalEntryState((key) => r[key], st);
      st.prefixes.push('journal-json');
      return line.length;
    },
  },
  {
    // ISO-8601 timestamps: a syslog/journal line when "host ident: " follows, dmesg --time-format iso
    // when the fraction uses a comma (util-linux), otherwise a CI log prefix.
    kind: 'ci-time',
    group: 'ci',
    first: isDigit,
    apply(line, pos, st) {
      const m = execAt(isoRe, line, pos);
      if (!m) return -1;
      const end = pos + m[0].length;
      const wall = `${m[1]}T${m[2]}${(m[3] ?? '').replace(',', '.')}${m[4] ?? ''}`;
      st.wallTime = wall;
      const tail = syslogTail(line, end, st, 'syslog');
      if (tail >= 0) return tail;
      if (m[3]?.startsWith(',')) {
        st.kernel = true;
        st.prefixes.push('dmesg-iso');
      } else {
        st.prefixes.push('ci-time');
      }
      return end;
    },
  },
  {
    kind: 'syslog',
    group: 'transport',
    first: isUpper,
    apply(line, pos, st) {
      let m = execAt(bsdDateRe, line, pos);
      if (m && MONTHS[m[1] ?? ''] !== undefined) {
        const end = syslogTail(line, pos + m[0].length, st, m[4] ? 'journal' : 'syslog');
        if (end < 0) return -1;
        st.wallTime = bsdWallTime(m[1] ?? '', m[2] ?? '', m[3] ?? '', m[4]);
        return end;
      }
      m = execAt(fullDateRe, line, pos);
      if (m) {
        const end = syslogTail(line, pos + m[0].length, st, 'journal');
        if (end < 0) return -1;
        st.wallTime = `${m[1]}T${m[2]}${m[3] ?? ''}`;
        return end;
      }
      return -1;
    },
  },
  {
    kind: 'journal',
    group: 'transport',
    first: isDigit,
    apply(line, pos, st) {
      const m = execAt(unixTimeRe, line, pos);
      if (!m) return -1;
      const end = syslogTail(line, pos + m[0].length, st, 'journal');
      if (end < 0) return -1;
      st.wallTime = new Date(Number(m[1]) * 1000).toISOString();
      return end;
    },
  },
  {
    kind: 'kmsg',
    group: 'transport',
    first: isDigit,
    apply(line, pos, st) {
      const m = execAt(kmsgRe, line, pos);
      if (!m) return -1;
      const prio = Number(m[1]);
      st.level = prio & 7;
      st.fromKernelLog = prio >> 3 === 0;
      st.kernel = true;
      st.time = Number(m[3]) / 1e6;
      st.prefixes.push('kmsg');
      return pos + m[0].length;
    },
  },
  {
    kind: 'console-noise',
    group: 'noise',
    first: (c) => c === 42 /* * */ || isLower(c) || isUpper(c) || isDigit(c),
    apply(line, pos, st) {
      let p = pos;
      const d = line.charCodeAt(p) === 42 /* * */ ? execAt(droppedRe, line, p) : null;
      if (d) p += d[0].length;
      if (line.includes(' login: ', p)) {
        const l = execAt(loginRe, line, p);
        if (l) p += l[0].length;
      }
      if (p === pos) return -1;
      st.prefixes.push('console-noise');
      return p;
    },
  },
  {
    kind: 'priority',
    group: 'priority',
    first: (c) => c === 60 /* < */,
    apply(line, pos, st) {
      const m = execAt(priorityRe, line, pos);
      if (!m) return -1;
      const prio = Number(m[1]);
      if (prio > 191) return -1;
      setPriority(prio, st);
      return pos + m[0].length;
    },
  },
  {
    kind: 'dmesg-x',
    group: 'facility',
    first: isLower,
    apply(line, pos, st) {
      const m = execAt(facilityRe, line, pos);
      if (!m) return -1;
      st.level = syslogLevelNames.indexOf(m[2] ?? '');
      st.fromKernelLog = m[1] === 'kern';
      st.kernel = true;
      st.prefixes.push('dmesg-x');
      return pos + m[0].length;
    },
  },
  {
    // Output of a program glued before a kernel line on a serial console. After the other
    // prefixes ("kern  :warn  : " is dmesg -x, not noise); the noise holds no bracket, so a
    // bracketed prefix is never taken for it; another program's syslog or journal line keeps its text.
    kind: 'console-noise',
    group: 'noise',
    first: (c) => c !== 91 /* [ */ && c !== 60 /* < */,
    apply(line, pos, st) {
      // Not inside another program's line, nor inside a message that has its time already (a kmsg
      // record or a journal line quoting a kernel line in its text).
      if (st.fromKernelLog === false || st.time !== undefined) return -1;
      // The noise holds no bracket, so the first "]" ends the timestamp: six digits after a dot
      // before it, a blank or a caller id after it (most lines fail here, without a regex).
      const e = line.indexOf(']', pos);
      if (e < 0 || line.charCodeAt(e - 7) !== 46 /* . */) return -1;
      const after = line.charCodeAt(e + 1);
      if (after !== 32 && after !== 91 /* [ */) return -1;
      const b = line.indexOf('[', pos);
      if (b <= pos || b > e || !execAt(gluedTimeRe, line, b)) return -1;
      // Prose quoting a log line in Markdown (`<4>[    7.455269] WARNING: ...`) is not console output.
      if (line.lastIndexOf('`', b) >= pos) return -1;
      // A "<N>" level glued to the timestamp (console with ignore_loglevel) is kept, and a facility
      // other than the kernel's (<14>: user.info) means the line is a program's, not the kernel's.
      const lt = line.charCodeAt(b - 1) === 62 /* > */ ? line.lastIndexOf('<', b) : -1;
      const lvl = lt >= pos ? execAt(priorityRe, line, lt) : null;
      const prio = lvl && lt + lvl[0].length === b ? Number(lvl[1]) : undefined;
      if (prio !== undefined && (prio > 191 || prio >> 3 !== 0)) return -1;
      st.prefixes.push('console-noise');
      if (prio !== undefined) setPriority(prio, st);
      return b;
    },
  },
  {
    kind: 'printk-time',
    group: 'time',
    first: (c) => c === 91 /* [ */,
    apply(line, pos, st) {
      let m = execAt(printkTimeRe, line, pos);
      if (m) {
        st.time = Number(m[1]);
        st.kernel = true;
        st.prefixes.push(m[0].includes('<') ? 'dmesg-delta' : 'printk-time');
        const end = pos + m[0].length;
        // journalctl -o short-monotonic: "[ 1234.567890] host kernel: text" ("kernel: text" with
        // --no-hostname).
        if (line.includes('kernel: ', end)) {
          const t = syslogTail(line, end, st, 'journal');
          if (t >= 0) return t;
        }
        return end;
      }
      m = execAt(ctimeRe, line, pos);
      if (m) {
        st.wallTime = `${m[4]}-${MONTHS[m[1] ?? ''] ?? '??'}-${(m[2] ?? '').trim().padStart(2, '0')}T${m[3]}`;
        st.kernel = true;
        st.prefixes.push('dmesg-T');
        return pos + m[0].length;
      }
      m = execAt(reltimeRe, line, pos);
      if (m) {
        st.kernel = true;
        st.prefixes.push('dmesg-delta');
        return pos + m[0].length;
      }
      return -1;
    },
  },
  {
    kind: 'caller',
    group: 'caller',
    first: (c) => c === 91 /* [ */ || c === 32 || c === 73 /* I */,
    apply(line, pos, st) {
      const timed = st.prefixes.includes('printk-time') || st.prefixes.includes('kmsg');
      const p = execAt(processRe, line, pos);
      if (p) {
        // The pid is the task's (task_pid_nr(current)); in interrupt context the CPU tells lines apart.
        st.caller = p[1] === 'I' ? `C${p[2]}` : `T${(p[4] ?? '').trim()}`;
        if (!timed) st.kernel = true;
        st.prefixes.push('caller');
        return pos + p[0].length;
      }
      // Without a time before it, only at the start and with a blank after it: `dmesg -t` on a
      // CONFIG_PRINTK_CALLER kernel prints "[  T123] text" (util-linux print_record: "[%*s] ").
      if (!timed && line.charCodeAt(pos) !== 91 /* [ */) return -1;
      const m = execAt(callerRe, line, pos);
      if (!m) return -1;
      if (!timed) {
        if (line.charCodeAt(pos + m[0].length - 1) !== 32) return -1;
        st.kernel = true;
      }
      st.caller = m[1];
      st.prefixes.push('caller');
      return pos + m[0].length;
    },
  },
];
