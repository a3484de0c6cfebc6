// Raw text line -> LogLine: removes control noise (CR, NUL, ANSI escapes) and
// every recognised wrapper prefix (see prefixes.ts), keeping their values.
import type { LogLine } from '../model/log-line.js';
import { type DmesgJsonRecord, isDmesgJsonOpen, readDmesgJsonLine } from './dmesg-json.js';
import {
  blanksUpTo,
  isJournalExportCursor,
  isJournalPrettyField,
  type JournalEntry,
  readJournalEntryLine,
  readJournalVerboseHeader,
} from './journal-entry.js';
import { unescapeKmsg } from './kmsg-escape.js';
import { journalEntryState, prefixRules, trimTrailingNewlines, type PrefixState } from './prefixes.js';

// ANSI CSI / OSC / two-character escape sequences (ECMA-48), then other C0 controls except TAB.
const ansiRe = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])/g;
const controlRe = /[\x00-\x08\x0b-\x1f\x7f]/g;
const needsCleanRe = /[\x00-\x08\x0b-\x1f\x7f]/;
// /dev/kmsg dictionary continuation line: " SUBSYSTEM=pci".
export const kmsgDictRe = /^ [A-Z_]+=/;

// Each rule's group as a bit, so the groups already used on a line are one number (not a Set per line).
const groupBits = new Map<string, number>();
const ruleBits = prefixRules.map((r) => {
  if (!groupBits.has(r.group)) groupBits.set(r.group, 1 << groupBits.size);
  return groupBits.get(r.group)!;
});
const TRANSPORT_BIT = groupBits.get('transport') ?? 0;
const CI_BIT = groupBits.get('ci') ?? 0;

// Which rules' `first` accept each ASCII character, as bits (rule i = bit i): the loop below looks
// a line's character up once instead of calling every rule's check (a dozen calls per line).
if (prefixRules.length > 31) throw new Error('too many prefix rules for a bit mask');

function firstMask(c: number): number {
  let m = 0;
  for (let i = 0; i < prefixRules.length; i++) if (prefixRules[i]!.first(c)) m |= 1 << i;
  return m;
}
const firstMasks = Array.from({ length: 128 }, (_, c) => firstMask(c));

/** The rules whose first-character check accepts `c`. */
function rulesFor(c: number): number {
  return c < 128 ? firstMasks[c]! : firstMask(c);
}

/** Regexes this module applies to input lines (the ReDoS audit runs them on adversarial input). */
export const normalizeLineRegexes: readonly RegExp[] = [ansiRe, controlRe, needsCleanRe, kmsgDictRe];

/** Removes terminal escape sequences and control characters (keeps TAB). */
export function cleanControl(text: string): string {
  // Serial consoles end lines with CR LF: a lone CR at the end is the common case (9 of 10 lines
  // of the captured console logs), and a slice is cheaper than two global replaces. The line
  // without it is scanned once (scanning the whole line first found that CR, then scanned again).
  const last = text.length - 1;
  if (text.charCodeAt(last) === 13) {
    const t = text.slice(0, last);
    if (!needsCleanRe.test(t)) return t;
  } else if (!needsCleanRe.test(text)) {
    return text;
  }
  return text.replace(ansiRe, '').replace(controlRe, '');
}

/**
 * Stateful per-source normalizer. State is needed for /dev/kmsg dictionary
 * continuation lines (" SUBSYSTEM=pci"), which only follow a kmsg record, and for
 * `dmesg --json` records, whose fields come on the lines before the message.
 */
export class LineNormalizer {
  private lastWasKmsg = false;
  /**
   * The last line normalised is a record of several lines (see splitRecord): a /dev/kmsg record
   * with "\x0a" in it, a journal or `dmesg --json` message with newlines. Console and syslog(2)
   * output prefix each line of such a record; these formats keep the record whole.
   */
  multiLine = false;
  /**
   * After a syslog or journal line: the columns of its prefix, and what the prefix carried.
   * journalctl prints each further line of a message of several lines indented by that many
   * blanks (logs-show.c print_multiline), with no prefix of its own. -1: no such line before.
   */
  private contIndent = -1;
  private contState: PrefixState | undefined;
  /**
   * The email quote markers of that line ("> ", "> > "): quoted in mail, each further line has
   * them before its blanks. Empty when it was not quoted.
   */
  private contQuote = '';
  /**
   * The last line the analyzer skipped, when it could start a message other lines continue: its
   * prefix decides contIndent if the next line read could continue it (worked out then, as for
   * kmsg).
   */
  private contPending: string | undefined;
  /** Inside a `dmesg --json` document: the fields of the record read so far. */
  private dmesgJson: DmesgJsonRecord | undefined;
  /** Inside a journal entry printed one field a line (journal-entry.ts): what it said so far. */
  private journalEntry: JournalEntry | undefined;
  /** The last line, when the analyzer skipped it (see skip). */
  private skipped: string | undefined;

  constructor(readonly source: string) {}

  /**
   * The analyzer skipped this line (src/quiet/inert-line.ts: it is no kmsg dictionary line).
   * What matters to the next lines is whether it was a kmsg record (worked out if the next line
   * is a dictionary line) and whether it continues or starts a syslog or journal message.
   */
  skip(raw: string): void {
    this.skipped = raw;
    if (mayContinue(raw)) {
      // As normalize() would: a further line keeps contIndent, any other line ends the message.
      const text0 = cleanControl(raw);
      const indent = this.indentBefore(text0);
      if (indent >= 0 && this.continues(text0, indent)) {
        this.contIndent = indent;
        return;
      }
    }
    // It starts another message (a quoted syslog line may itself be continued).
    this.contIndent = -1;
    this.contPending = raw;
  }

  /**
   * The indent of the message `text0` may continue, -1 for none: contIndent, or worked out from
   * the skipped line before it (contPending).
   */
  private indentBefore(text0: string): number {
    let indent = this.contIndent;
    if (this.contPending !== undefined) {
      if (indent < 0 && mayContinue(text0)) indent = this.pendingIndent();
      this.contPending = undefined;
    }
    return indent;
  }

  /**
   * `text0` is a further line of the last syslog or journal message: its quote markers, then
   * blanks up to the column of the message's text. An empty further line is the indent alone.
   * (In mail, clients drop the blanks at the end of a line: such a line is the quote markers
   * alone, and taking those for an empty further line added an empty line to the end of 6
   * reports in the mail samples, each after the last quoted line of a syslog paste.)
   */
  private continues(text0: string, indent: number): boolean {
    return text0.length >= indent && text0.startsWith(this.contQuote) && blanksUpTo(text0, indent, this.contQuote.length);
  }

  /** Starts a message other lines may continue, after a syslog or journal line; its indent. */
  private startMessage(text0: string, text: string, st: PrefixState): number {
    this.contState = st;
    this.contQuote = st.quoteEnd === undefined ? '' : text0.slice(0, st.quoteEnd);
    // (The text is the end of the line: a syslog or journal line is no kmsg record or JSON.)
    return text0.length - text.length;
  }

  /**
   * Every line must be normalised, in order: the lines of a `dmesg --json` record or of a journal
   * entry printed one field a line carry its fields, so none may be skipped as quiet.
   */
  get readsEveryLine(): boolean {
    return this.dmesgJson !== undefined || this.journalEntry !== undefined;
  }

  /**
   * normalize() for a line the analyzer skipped, which leaves the state as it is. A skipped line
   * is read alone, by its prefixes: it is no kmsg dictionary line, nor a line that opens a `dmesg
   * --json` document or a journal entry (those wake the quiet-line test), and no line is skipped
   * inside them (readsEveryLine).
   */
  normalizeSkipped(raw: string, lineNo: number): LogLine | null {
    const st = newPrefixState();
    return this.logLine(lineNo, lineText(cleanControl(raw), st), st, false);
  }

  /** contIndent after the skipped line contPending, whose prefixes are read for it now. */
  private pendingIndent(): number {
    const text0 = cleanControl(this.contPending!);
    this.contPending = undefined;
    const st = newPrefixState();
    const text = readPrefixes(text0, st);
    return continued(st) ? this.startMessage(text0, text, st) : -1;
  }

  /** The line before this one was a kmsg record (the skipped line's prefixes are read for it now). */
  private afterKmsg(): boolean {
    if (this.skipped !== undefined) {
      const st = newPrefixState();
      readPrefixes(cleanControl(this.skipped), st);
      this.skipped = undefined;
      this.lastWasKmsg = st.prefixes.includes('kmsg');
    }
    return this.lastWasKmsg;
  }

  /**
   * A line inside a `dmesg --json` document: null for braces and fields (kept for the record's
   * message), the message as a LogLine, undefined for a line that is none of the document's.
   */
  private dmesgJsonLine(text: string, lineNo: number, cut: boolean): LogLine | null | undefined {
    const rec = this.dmesgJson!;
    const r = readDmesgJsonLine(text, rec);
    if (r === undefined) return undefined;
    this.skipped = undefined;
    this.lastWasKmsg = false;
    if (r.kind !== 'msg') return null;
    this.dmesgJson = {};
    const st = newPrefixState();
    st.time = rec.time;
    st.level = rec.level;
    st.caller = rec.caller;
    st.kernel = true;
    st.fromKernelLog = rec.fromKernelLog;
    st.prefixes.push('dmesg-json');
    if (rec.caller !== undefined) st.prefixes.push('caller');
    // The kernel escapes control characters in a record (\x1b) and dmesg decodes them: clean
    // them as on a console. A record of several lines keeps its inner newlines (multiLine).
    const msg = cleanControl(trimTrailingNewlines(r.text));
    this.multiLine = msg.includes('\n');
    return this.logLine(lineNo, msg, st, cut);
  }

  /**
   * A line of a journal entry printed one field a line: null for the entry's other lines, its
   * message as a LogLine when complete, undefined for a line that is none of the entry's.
   */
  private journalEntryLine(text: string, lineNo: number, cut: boolean, raw = text): LogLine | null | undefined {
    const entry = this.journalEntry!;
    const r = readJournalEntryLine(text, lineNo, entry, raw);
    if (r === undefined) {
      this.journalEntry = undefined;
      return undefined;
    }
    this.skipped = undefined;
    this.lastWasKmsg = false;
    if (r.kind === 'field') return null;
    const st = newPrefixState();
    journalEntryState((key) => entry.fields.get(key), st);
    if (r.kind === 'end') {
      // json-pretty and export: the entry is complete; its message goes out with the line number of
      // its field. After json-pretty, the next entry's "{" is read as one of its lines: read as
      // text, it would come between two lines of a report. An export entry opens at its cursor.
      this.journalEntry = entry.kind !== 'export' ? { kind: 'json-pretty', fields: new Map() } : r.next ? { kind: 'export', fields: new Map() } : undefined;
      const message = entry.fields.get('MESSAGE');
      if (message === undefined || entry.messageLine === undefined) return null;
      st.prefixes.push(entry.kind === 'export' ? 'journal-export' : 'journal-json');
      return this.messageLine(entry.messageLine, message, st, cut);
    }
    // verbose: the fields after MESSAGE are not waited for. Its time is the header's; the kernel's
    // record time (_SOURCE_MONOTONIC_TIMESTAMP) often comes after MESSAGE, so none is taken, and
    // every line of the output is read alike (as journalctl -o short, which has none either).
    st.time = undefined;
    st.wallTime = entry.wallTime;
    st.prefixes.push('journal-verbose');
    if (r.text === undefined) return null;
    this.contIndent = r.indent;
    this.contState = st;
    this.contQuote = '';
    return this.messageLine(lineNo, r.text, st, cut);
  }

  /** Opens a journal entry printed one field a line when `text` starts one (journal-entry.ts). */
  private openJournalEntry(text: string, lineNo: number, cut: boolean): LogLine | null | undefined {
    // A json-pretty entry opens at its first field, not at its "{": a line of its own, "{" may
    // have been skipped as quiet (and is a line of C in mail).
    const c = text.charCodeAt(0);
    if (c === 9 && isJournalPrettyField(text)) {
      this.journalEntry = { kind: 'json-pretty', fields: new Map() };
      return this.journalEntryLine(text, lineNo, cut);
    }
    if (c === 95 && isJournalExportCursor(text)) {
      this.journalEntry = { kind: 'export', fields: new Map() };
      return this.journalEntryLine(text, lineNo, cut);
    }
    // "Sat 2026-11-28 13:15:02.990932 UTC [s=": cheap checks before the regex.
    if (c >= 65 && c <= 90 && text.charCodeAt(3) === 32 && text.charCodeAt(8) === 45 && text.charCodeAt(text.length - 1) === 93) {
      const entry = readJournalVerboseHeader(text);
      if (entry !== undefined) {
        this.journalEntry = entry;
        this.skipped = undefined;
        this.lastWasKmsg = false;
        return null;
      }
    }
    return undefined;
  }

  /** The LogLine of a journal message: cleaned, with the printk prefixes it may carry itself. */
  private messageLine(lineNo: number, message: string, st: PrefixState, cut: boolean): LogLine {
    const text = innerPrefixes(cleanControl(trimTrailingNewlines(message)), st);
    this.multiLine = text.includes('\n');
    return this.logLine(lineNo, text, st, cut);
  }

  /** The LogLine of a line's text and what its prefixes carried. */
  private logLine(lineNo: number, text: string, st: PrefixState, cut: boolean): LogLine {
    // Every line has every field, in this order (undefined where absent): the stages read lines of
    // one shape. Added only when present, lines took many shapes (a time, a time and a caller, a
    // quote depth...), and mail, which mixes them, kept V8 deoptimising and recompiling the code
    // that reads them.
    return {
      source: this.source,
      lineNo,
      text,
      time: st.time,
      wallTime: st.wallTime,
      level: st.level !== undefined && st.level >= 0 ? st.level : undefined,
      caller: st.caller,
      quoteDepth: st.quoteDepth,
      kernel: st.kernel,
      fromKernelLog: st.fromKernelLog,
      prefixes: st.prefixes,
      cut: cut ? true : undefined,
    };
  }

  /** Returns the normalized line, or null for metadata lines that carry no message. */
  normalize(raw: string, lineNo: number, cut = false): LogLine | null {
    this.multiLine = false;
    const text0 = cleanControl(raw);
    const indent = this.indentBefore(text0);
    if (indent >= 0) {
      this.contIndent = -1;
      if (this.continues(text0, indent)) {
        this.contIndent = indent;
        return this.logLine(lineNo, text0.slice(indent), this.contState!, cut);
      }
    }
    if (this.dmesgJson !== undefined) {
      const line = this.dmesgJsonLine(text0, lineNo, cut);
      if (line !== undefined) return line;
    } else if (text0.charCodeAt(0) === 32 && isDmesgJsonOpen(text0)) {
      this.dmesgJson = {};
      this.skipped = undefined;
      return null;
    } else {
      if (this.journalEntry !== undefined) {
        const line = this.journalEntryLine(text0, lineNo, cut, raw);
        if (line !== undefined) return line;
      }
      // (Where an entry ended, the line may start the next.)
      const line = this.openJournalEntry(text0, lineNo, cut);
      if (line !== undefined) return line;
    }
    if (text0.startsWith(' ') && kmsgDictRe.test(text0) && this.afterKmsg()) return null;
    this.skipped = undefined;
    const st = newPrefixState();
    const text = lineText(text0, st);
    this.lastWasKmsg = st.prefixes.includes('kmsg');
    // Only a journal JSON message or a decoded kmsg record holds newlines.
    this.multiLine = (st.replacement !== undefined || this.lastWasKmsg) && text.includes('\n');
    if (continued(st)) this.contIndent = this.startMessage(text0, text, st);
    return this.logLine(lineNo, text, st, cut);
  }
}

/**
 * The text of a cleaned line after its prefixes, which `st` records: a journal JSON record's
 * message (st.replacement), with the prefixes it carries itself. Reads the line alone.
 */
function readPrefixes(text0: string, st: PrefixState): string {
  let pos = 0;
  let used = 0;
  let candidates = text0.length > 0 ? rulesFor(text0.charCodeAt(0)) : 0;
  for (let i = 0; i < prefixRules.length && candidates !== 0; i++) {
    if ((candidates & (1 << i)) === 0) continue;
    const bit = ruleBits[i]!;
    if (used & bit) continue;
    const next = prefixRules[i]!.apply(text0, pos, st);
    if (next < 0) continue;
    used |= bit;
    // A transport prefix excludes the other transports and CI wrappers after it.
    if (bit === TRANSPORT_BIT) used |= CI_BIT;
    pos = next;
    candidates = pos < text0.length ? rulesFor(text0.charCodeAt(pos)) : 0;
    if (st.replacement !== undefined) return innerPrefixes(st.replacement, st);
  }
  return pos === 0 ? text0 : text0.slice(pos);
}

/** readPrefixes(), and a kmsg record's escapes decoded: the message of a line read alone. */
function lineText(text0: string, st: PrefixState): string {
  const text = readPrefixes(text0, st);
  // Decoded control characters are cleaned as on a console; newlines split the record.
  if (st.prefixes.includes('kmsg') && text.includes('\\x')) return cleanControl(unescapeKmsg(text));
  return text;
}

/**
 * A line that may continue a message: it starts with a blank, or with email quote markers (the
 * quote rule's first characters but TAB).
 */
function mayContinue(text: string): boolean {
  const c = text.charCodeAt(0);
  return c === 32 || c === 62 /* > */ || c === 124 /* | */;
}

/** journalctl indents the further lines of a syslog or journal line's message (see contIndent). */
function continued(st: PrefixState): boolean {
  return st.prefixes.includes('syslog') || st.prefixes.includes('journal');
}

/** Every field from the start: rules then set fields of one shape of object. */
function newPrefixState(): PrefixState {
  return {
    time: undefined,
    wallTime: undefined,
    level: undefined,
    caller: undefined,
    quoteDepth: undefined,
    quoteEnd: undefined,
    kernel: false,
    fromKernelLog: undefined,
    prefixes: [],
    replacement: undefined,
  };
}

/** A journal message may itself carry a printk time or caller id: those rules run on it. */
function innerPrefixes(message: string, st: PrefixState): string {
  let pos = 0;
  for (const rule of prefixRules) {
    if (rule.group !== 'time' && rule.group !== 'caller') continue;
    if (pos >= message.length || !rule.first(message.charCodeAt(pos))) continue;
    const next = rule.apply(message, pos, st);
    if (next >= 0) pos = next;
  }
  return pos === 0 ? message : message.slice(pos);
}

/**
 * The lines of a record of several lines (LineNormalizer.multiLine), each with the record's
 * time, level and other fields and its input line number, as a console would print them. One at
 * a time: a record of a million newlines must not become a million objects at once.
 */
export function* splitRecord(line: LogLine): Generator<LogLine> {
  const text = line.text;
  let from = 0;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
    yield { ...line, text: text.slice(from, nl) };
    from = nl + 1;
  }
  yield { ...line, text: text.slice(from) };
}

/** Convenience for tests and one-off use: normalizes one line without source state. */
export function normalizeLine(raw: string, lineNo = 1, source = '-'): LogLine | null {
  return new LineNormalizer(source).normalize(raw, lineNo);
}
