// journalctl output that spreads one journal entry over several lines, one field a line
// (systemd src/shared/logs-show.c; checked with journalctl 252 on entries stored by
// systemd-journal-remote, scripts/fixtures/journal-from-kmsg.mjs):
//
// -o json-pretty: a JSON object a entry, fields in no fixed order (252 prints them from a hash
// table, so MESSAGE may come before PRIORITY), every value a string; a value that is not
// printable UTF-8 is an array of its bytes, a field with several values an array of them, both
// one element a line:
//
//   {
//   	"__CURSOR" : "s=...;i=2;b=...;m=c639d4;t=66155f6eb4054;x=...",
//   	"MESSAGE" : "ktriage_lockdep: loading out-of-tree module taints kernel.",
//   	"PRIORITY" : "4",
//   	"_SOURCE_MONOTONIC_TIMESTAMP" : "12990932",
//   	...
//   }
//
// -o verbose: a header with the receive time and the cursor, then each field indented by four
// blanks as KEY=value, in the order the entry stores them (by offset in the file: a value first
// stored by this entry comes after one stored before, so MESSAGE usually comes last, but not when
// the same text was logged before). A value of several lines goes on indented to the column after
// "KEY=" (print_multiline); a value that is not printable is "[16B blob data]":
//
//   Sat 2026-11-28 13:15:02.990932 UTC [s=...;i=2;b=...;m=c639d4;t=66155f6eb4054;x=...]
//       _TRANSPORT=kernel
//       PRIORITY=4
//       _SOURCE_MONOTONIC_TIMESTAMP=12990932
//       MESSAGE=
//               but task is already holding lock:
//
// -o export (systemd's journal export format, for systemd-journal-remote and backups): an entry is
// its fields, one "KEY=value" line each, __CURSOR first, and ends at an empty line. A value that is
// not printable UTF-8, a kernel message of several lines among them, is written in binary: the
// field name alone on its line, then its size as 8 bytes (little-endian), the bytes, and a newline.
// Read as lines, the size bytes begin the next line (a size byte 0x0a breaks it there):
//
//   __CURSOR=s=...;i=b;b=...;m=c686a9;t=66155f6eb8d29;x=...
//   __REALTIME_TIMESTAMP=1795871703007913
//   ...
//   _SOURCE_MONOTONIC_TIMESTAMP=13010376
//   MESSAGE
//   "\0\0\0\0\0\0\0
//   but task is already holding lock:
//   (empty line: the entry ends)
//
// This module classifies one line; LineNormalizer keeps the entry's fields.

/** Part of every json-pretty field line, for the quiet-line test (src/quiet/inert-line.ts). */
export const journalPrettyFieldWord = '" : ';
/** Part of every verbose header line (its cursor), for the quiet-line test. */
export const journalVerboseHeaderWord = '[s=';
/** The first line of every export entry, for the quiet-line test. */
export const journalExportCursorWord = '__CURSOR=s=';

// Field names are upper-case letters, digits and underscores, not starting with a digit
// (journal-file.c journal_field_valid).
const prettyFieldRe = /^\t"([A-Z_][A-Z0-9_]*)" : /;
// "Sat 2026-11-28 13:15:02.990932 UTC [s=...;i=...;b=...;m=...;t=...;x=...]".
const verboseHeaderRe =
  /^[A-Z][a-z]{2} (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(\.\d+)? [A-Za-z+\-0-9]+ \[s=[0-9a-f]+;i=[0-9a-f]+;b=[0-9a-f]+;m=[0-9a-f]+;t=[0-9a-f]+;x=[0-9a-f]+\]$/;
const verboseFieldRe = /^ {4}([A-Z_][A-Z0-9_]*)=/;
// "[16B blob data]", "[1.5K blob data]" (format_bytes: a B below 1024, else K, M, G... alone).
const blobRe = /^\[\d+(?:\.\d+)?[BKMGTPE] blob data\]$/;

// An export field: "KEY=value", or "KEY" alone before a binary value.
const exportFieldRe = /^([A-Z_][A-Z0-9_]*)(=|$)/;

/** Regexes this module applies to input lines (the ReDoS audit runs them on adversarial input). */
export const journalEntryRegexes: readonly RegExp[] = [prettyFieldRe, verboseHeaderRe, verboseFieldRe, blobRe, exportFieldRe];

/** The fields of an entry that say where its message comes from and when. */
const entryKeys = [
  'MESSAGE',
  'PRIORITY',
  '_TRANSPORT',
  'SYSLOG_IDENTIFIER',
  '_SOURCE_MONOTONIC_TIMESTAMP',
  '__MONOTONIC_TIMESTAMP',
  '__REALTIME_TIMESTAMP',
] as const;
type EntryKey = (typeof entryKeys)[number];

/** A json-pretty value of several lines, read so far (an array, one element a line). */
interface OpenArray {
  key: string;
  depth: number;
  parts: string[];
  chars: number;
}

/** An export entry's binary value, read so far (see readExportLine). */
interface OpenBinary {
  key: string;
  /** The size bytes read so far (a U+FFFD for a byte the UTF-8 decoding could not give back). */
  sizeBytes: number[];
  /** The value's size, once its 8 bytes are read: see sizeRange. */
  size?: SizeRange;
  /** The value's lines so far. */
  parts: string[];
  /** Bytes of the value read so far, the newlines between its lines included. */
  bytes: number;
  /** The value may have ended at the end of the last line (see readBinaryLine). */
  mayEnd: boolean;
}

/** The entry being read: its fields (decoded), and for json-pretty an array still open. */
export interface JournalEntry {
  kind: 'json-pretty' | 'verbose' | 'export';
  fields: Map<string, string>;
  /** Line number of the MESSAGE field. */
  messageLine?: number;
  /** json-pretty: an array value still open. */
  array?: OpenArray;
  /** verbose: the wall-clock time of the header ("2026-11-28T13:15:02.990932"). */
  wallTime?: string;
  /** verbose: further lines of a field other than MESSAGE are indented this far. */
  valueIndent?: number;
  /** export: a binary value still open. */
  binary?: OpenBinary;
}

/** A value array longer than this many characters is dropped (MESSAGE is at most a few KB). */
const MAX_ARRAY_CHARS = 1 << 22;

const isEntryKey = (k: string): k is EntryKey => (entryKeys as readonly string[]).includes(k);

/**
 * The text of a journal JSON value: a string, an array of its bytes (a value that is not
 * printable UTF-8), or the first of several values (an array of those).
 */
export function jsonValueText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value) || value.length === 0) return undefined;
  if (value.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255)) {
    return Buffer.from(value as number[]).toString('utf8');
  }
  return jsonValueText(value[0]);
}

function setField(entry: JournalEntry, key: string, value: unknown, lineNo: number): void {
  if (!isEntryKey(key)) return;
  const text = jsonValueText(value);
  if (text === undefined) return;
  entry.fields.set(key, text);
  if (key === 'MESSAGE') entry.messageLine = lineNo;
}

/** A json-pretty field line opens an entry (its "{" may have been skipped as quiet). */
export function isJournalPrettyField(line: string): boolean {
  return line.charCodeAt(0) === 9 && prettyFieldRe.test(line);
}

/** The verbose header opens an entry. */
export function readJournalVerboseHeader(line: string): JournalEntry | undefined {
  const m = verboseHeaderRe.exec(line);
  if (!m) return undefined;
  return { kind: 'verbose', fields: new Map(), wallTime: `${m[1]}T${m[2]}${m[3] ?? ''}` };
}

export type JournalEntryLine =
  /** A line of the entry that carries no message (a brace, a field, an array element). */
  | { kind: 'field' }
  /** json-pretty and export: the entry is complete (its closing brace, its empty line); `next`: the
   * line opens the next entry as well (an export entry cut short, see readExportLine). */
  | { kind: 'end'; next?: boolean }
  /** verbose: the MESSAGE field's first line; `indent`: the column of its further lines. */
  | { kind: 'message'; text: string | undefined; indent: number };

/**
 * Classifies one line inside an entry, updating `entry` with what it carries. Undefined when the
 * line is none of the entry's: the entry ends there and the line is read as any other.
 */
export function readJournalEntryLine(line: string, lineNo: number, entry: JournalEntry, raw = line): JournalEntryLine | undefined {
  if (entry.kind === 'export') return readExportLine(raw, lineNo, entry);
  return entry.kind === 'json-pretty' ? readPrettyLine(line, lineNo, entry) : readVerboseLine(line, entry);
}

/** The line opens an export entry (journalctl prints __CURSOR first in each). */
export function isJournalExportCursor(line: string): boolean {
  return line.startsWith(journalExportCursorWord);
}

/**
 * A line of an export entry, read from its raw text (the size bytes of a binary value are control
 * characters, which the cleaned line has lost). An empty line ends the entry.
 */
function readExportLine(raw: string, lineNo: number, entry: JournalEntry): JournalEntryLine | undefined {
  const bin = entry.binary;
  if (bin !== undefined) {
    // A value cut short (a damaged size, a file cut and joined): the next entry's cursor ends it,
    // and a value that grows past MAX_ARRAY_CHARS is given up, its line read as text. Otherwise
    // one bad size would take in the rest of the input.
    if (isJournalExportCursor(raw)) {
      closeBinary(entry, bin);
      return { kind: 'end', next: true };
    }
    if (bin.bytes > MAX_ARRAY_CHARS) {
      entry.binary = undefined;
      return undefined;
    }
    if (!(bin.mayEnd && (raw === '' || exportFieldRe.test(raw)))) {
      readBinaryLine(raw, bin);
      if (bin.mayEnd && bin.size!.exact) closeBinary(entry, bin);
      return { kind: 'field' };
    }
    // The value ended with the line before: this line is the entry's next.
    closeBinary(entry, bin);
  }
  if (raw === '') return { kind: 'end' };
  const m = exportFieldRe.exec(raw);
  if (!m) return undefined;
  const key = m[1]!;
  if (m[2] === '') {
    entry.binary = { key, sizeBytes: [], parts: [], bytes: 0, mayEnd: false };
    if (key === 'MESSAGE') entry.messageLine = lineNo;
    return { kind: 'field' };
  }
  if (isEntryKey(key)) {
    entry.fields.set(key, raw.slice(m[0].length));
    if (key === 'MESSAGE') entry.messageLine = lineNo;
  }
  return { kind: 'field' };
}

/** One line of a binary value: its size bytes first, then its data. */
function readBinaryLine(raw: string, bin: OpenBinary): void {
  let from = 0;
  if (bin.size === undefined) {
    // Each size byte is one character (the size of a kernel message has its high bytes zero, so
    // no two bytes decode to one character); a line ends at a byte 0x0a, itself one of them.
    const take = Math.min(8 - bin.sizeBytes.length, raw.length);
    for (let i = 0; i < take; i++) bin.sizeBytes.push(raw.charCodeAt(i));
    from = take;
    if (bin.sizeBytes.length < 8) {
      bin.sizeBytes.push(10);
      if (bin.sizeBytes.length === 8) bin.size = sizeRange(bin.sizeBytes);
      return;
    }
    bin.size = sizeRange(bin.sizeBytes);
  } else if (bin.parts.length > 0) {
    // The newline before this line is one of the value's bytes (unless it was the last size byte).
    bin.bytes += 1;
  }
  const data = raw.slice(from);
  if (bin.bytes <= MAX_ARRAY_CHARS) bin.parts.push(data);
  bin.bytes += Buffer.byteLength(data, 'utf8');
  // The value may end with this line: it has as many bytes as its size says, or, when a size byte
  // was lost, as many as one of the sizes it may be (the entry's next line then decides).
  const size = bin.size!;
  bin.mayEnd = size.exact ? bin.bytes >= size.low : bin.bytes >= size.low && bin.bytes <= size.high;
}

/** A binary value's size: exact when every size byte came through the decoding. */
interface SizeRange {
  low: number;
  high: number;
  exact: boolean;
}

/**
 * The size of the 8 little-endian bytes. A byte that was not valid UTF-8 came as U+FFFD: it may
 * be any of 0x80-0xff, so the size is a range.
 */
function sizeRange(bytes: readonly number[]): SizeRange {
  let low = 0;
  let high = 0;
  let exact = true;
  for (let i = 7; i >= 0; i--) {
    const b = bytes[i]!;
    if (b > 0xff) exact = false;
    low = low * 256 + (b > 0xff ? 0x80 : b);
    high = high * 256 + (b > 0xff ? 0xff : b);
  }
  return { low, high, exact };
}

function closeBinary(entry: JournalEntry, bin: OpenBinary): void {
  entry.binary = undefined;
  if (isEntryKey(bin.key) && bin.bytes <= MAX_ARRAY_CHARS) entry.fields.set(bin.key, bin.parts.join('\n'));
}

function readPrettyLine(line: string, lineNo: number, entry: JournalEntry): JournalEntryLine | undefined {
  const open = entry.array;
  if (open !== undefined) {
    // Every element line is indented with tabs: any other line ends the entry (and is read), so an
    // array that never closes does not swallow what follows.
    if (line.charCodeAt(0) !== 9) return undefined;
    // One element a line: "[", "]" and "]," alone change the depth (a string element is quoted).
    const t = line.trim();
    if (t === '[') open.depth++;
    else if (t === ']' || t === '],') open.depth--;
    if (open.chars <= MAX_ARRAY_CHARS) {
      open.parts.push(open.depth === 0 && t.endsWith(',') ? t.slice(0, -1) : t);
      open.chars += t.length;
    }
    if (open.depth === 0) {
      entry.array = undefined;
      if (open.chars <= MAX_ARRAY_CHARS) setField(entry, open.key, parseJson(open.parts.join('')), entry.messageLine ?? lineNo);
    }
    return { kind: 'field' };
  }
  if (line === '}') return { kind: 'end' };
  if (line === '{') return { kind: 'field' };
  const m = prettyFieldRe.exec(line);
  if (!m) return undefined;
  const key = m[1]!;
  let raw = line.slice(m[0].length);
  if (raw === '[') {
    entry.array = { key, depth: 1, parts: ['['], chars: 1 };
    // The message's line is its field's, where its value starts.
    if (key === 'MESSAGE') entry.messageLine = lineNo;
    return { kind: 'field' };
  }
  if (raw.endsWith(',')) raw = raw.slice(0, -1);
  setField(entry, key, parseJson(raw), lineNo);
  return { kind: 'field' };
}

function readVerboseLine(line: string, entry: JournalEntry): JournalEntryLine | undefined {
  const indent = entry.valueIndent;
  // (An empty further line is the indent alone.)
  if (indent !== undefined && line.length >= indent && blanksUpTo(line, indent)) return { kind: 'field' };
  entry.valueIndent = undefined;
  const m = verboseFieldRe.exec(line);
  if (!m) return undefined;
  const key = m[1]!;
  const value = line.slice(m[0].length);
  if (key === 'MESSAGE') {
    return { kind: 'message', text: blobRe.test(value) ? undefined : value, indent: m[0].length };
  }
  if (isEntryKey(key)) entry.fields.set(key, value);
  entry.valueIndent = m[0].length;
  return { kind: 'field' };
}

/** The characters of `text` from `from` up to `n` are blanks. */
export function blanksUpTo(text: string, n: number, from = 0): boolean {
  for (let i = from; i < n; i++) if (text.charCodeAt(i) !== 32) return false;
  return true;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
