// The checks of the fuzz properties: what must hold for any input, whatever the
// analysis found in it. Each throws (an assertion error) when the property fails.
import { Readable } from 'node:stream';
import { expect } from 'vitest';
import { analyze, analyzeText, SourceAnalyzer } from '../../src/analyze.js';
import { ReportStore } from '../../src/cli/report-store.js';
import { buildFormatInput, documentChunks, documentFormats, formatDocument } from '../../src/formatters/index.js';
import { formatJsonDocument, formatJsonLine } from '../../src/formatters/jsonl.js';
import { formatTable, tableRow } from '../../src/formatters/table.js';
import { splitLines } from '../../src/input/read-lines.js';
import type { MailMessage } from '../../src/mail/message.js';
import { prepareMailLines } from '../../src/mail/prepare-text.js';
import type { OutputRecord, Summary } from '../../src/model/records.js';
import type { Report } from '../../src/model/report.js';
import { LineNormalizer, splitRecord } from '../../src/parsers/normalize-line.js';
import { DEFAULT_MAX_LINE_CHARS } from '../../src/reports/segment.js';

/** All records of analyze() on bytes given as stdin, with the time taken. */
export async function analyzeBytes(bytes: Buffer): Promise<{ records: OutputRecord[]; ms: number }> {
  const t0 = performance.now();
  const records: OutputRecord[] = [];
  for await (const r of analyze(['-'], { stdin: Readable.from(bytes.length > 0 ? [bytes] : []) })) records.push(r);
  return { records, ms: performance.now() - t0 };
}

/** Lines of a log as the reader counts them: one per newline, plus an unterminated last line. */
export function logLineCount(bytes: Buffer): number {
  let n = 0;
  for (const b of bytes) if (b === 10) n++;
  return bytes.length > 0 && bytes[bytes.length - 1] !== 10 ? n + 1 : n;
}

/**
 * "Never hangs": the time a case may take. Generous (a shared, loaded machine), but far below
 * what a quadratic step costs on the inputs' giant lines.
 */
export function timeBudgetMs(bytes: number): number {
  return 5000 + (bytes / 1e6) * 10_000;
}

// Addresses and offsets a title must not contain (syzbot titles replace them): "0xffff8880",
// a run of 8 or more hex digits that is not part of a word, "+0x1a/0x30". As for syzbot,
// "0x10" (a flag, a size) is no address, nor is "deadbeef" inside a longer word.
const addressRe = /0x[0-9a-f]{6,}|(?<![A-Za-z0-9])[0-9a-f]{8,}(?![A-Za-z0-9])/;
const offsetRe = /\+0x[0-9a-f]+\/0x[0-9a-f]+/;

export function checkTitle(title: string): void {
  expect(title, 'address in a title').not.toMatch(addressRe);
  expect(title, 'offset in a title').not.toMatch(offsetRe);
}

// Characters that must not reach a terminal: C0 controls but newline, DEL, C1 controls (ESC, CSI ...), line/paragraph separators.
const terminalControlRe = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]/;

/** Every record: one JSON line that parses back to the same record; titles clean; table output free of controls. */
export function checkRecords(records: readonly OutputRecord[]): void {
  const reports: Report[] = [];
  for (const r of records) {
    const line = formatJsonLine(r);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(line).not.toMatch(/[\u2028\u2029]/);
    expect(JSON.parse(line)).toEqual(JSON.parse(JSON.stringify(r)));
    if (r.kind === 'report') {
      reports.push(r);
      checkTitle(r.title);
      for (const t of r.altTitles) checkTitle(t);
    }
  }
  const summary = records.find((r): r is Summary => r.kind === 'summary')!;
  const table = formatTable(reports.map(tableRow), summary);
  expect(table).not.toMatch(terminalControlRe);
  checkDocuments(records);
}

/**
 * The CI documents: the same text with every report read back from disk as from memory, no raw
 * control character but TAB and LF in any of them; SARIF is JSON as formatJsonDocument lays it out.
 */
export function checkDocuments(records: readonly OutputRecord[]): void {
  const opts = { sources: ['-'] };
  for (const format of documentFormats) {
    const store = new ReportStore(0);
    try {
      const text = formatDocument(format, buildFormatInput(records, opts));
      expect([...documentChunks(format, buildFormatInput(records, { ...opts, keep: store }))].join(''), `-f ${format} from disk`).toBe(text);
      expect(text, `-f ${format}`).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]/);
      if (format === 'sarif') expect(text).toBe(formatJsonDocument(JSON.parse(text)));
    } finally {
      store.close();
    }
  }
}

/** The summary comes last, once; no input error for bytes given on stdin. */
export function checkSummary(records: readonly OutputRecord[]): Summary {
  expect(records.filter((r) => r.kind === 'summary')).toHaveLength(1);
  const last = records[records.length - 1]!;
  expect(last.kind).toBe('summary');
  const s = last as Summary;
  expect(records.filter((r) => r.kind === 'error')).toEqual([]);
  expect(s.reports).toBe(records.filter((r) => r.kind === 'report').length);
  return s;
}

/**
 * The lines the analysis sees, in line order: each input line's normalized text with its line
 * number (null: a metadata line the normalizer drops), a record of several lines as several
 * (splitRecord). A journal entry printed one field a line is complete at its last line and gives
 * its message the number of the MESSAGE field's line (LogLine.lineNo): it is put there, after the
 * null of that line.
 */
function normalizedLines(text: string): Array<{ lineNo: number; text: string | null }> {
  const norm = new LineNormalizer('-');
  const out: Array<{ lineNo: number; text: string | null }> = [];
  let sorted = true;
  for (const raw of splitLines(text)) {
    const line = norm.normalize(raw.text, raw.lineNo);
    const lineNo = line?.lineNo ?? raw.lineNo;
    if (lineNo !== raw.lineNo) sorted = false;
    if (line && norm.multiLine) for (const part of splitRecord(line)) out.push({ lineNo, text: part.text });
    else out.push({ lineNo, text: line?.text ?? null });
  }
  // (Array.prototype.sort is stable.)
  return sorted ? out : out.sort((a, b) => a.lineNo - b.lineNo);
}

const cut = (t: string) => t.slice(0, DEFAULT_MAX_LINE_CHARS);

/**
 * A report's raw lines are input lines after prefix normalization (cut at the report line length),
 * in input order, between its start and end line: the first is the header line (or the header
 * joined with the wrapped rest of it from a later line), the last is the end line. A record of
 * several lines counts as its lines, each with the record's line number.
 */
export function checkRawLines(text: string, reports: readonly Report[]): void {
  const lines = normalizedLines(text);
  for (const r of reports) {
    const where = `report ${r.index} "${r.title}" (lines ${r.startLine}-${r.endLine})`;
    expect(r.startLine, where).toBeLessThanOrEqual(r.endLine);
    const first = r.rawLines[0]!;
    const at = lines.findIndex((l) => l.lineNo === r.startLine);
    expect(at, `${where}: header line`).toBeGreaterThanOrEqual(0);
    // The header is one of its line's texts (a record's lines share its number): the one it
    // equals, else the one it starts with (a header joined with the rest of a later line), else
    // the first that is a text.
    let h = at;
    let joinedAt = -1;
    for (let i = at; i < lines.length && lines[i]!.lineNo === r.startLine; i++) {
      const t = lines[i]!.text;
      if (typeof t !== 'string') continue;
      if (cut(t) === first) {
        h = i;
        joinedAt = -1;
        break;
      }
      if (joinedAt < 0 && t.trim() !== '' && first.startsWith(cut(t).trimEnd())) joinedAt = i;
    }
    if (joinedAt >= 0) h = joinedAt;
    const head = lines[h]!.text;
    expect(head, `${where}: header line`).toBeTypeOf('string');
    const joined = first !== cut(head!);
    if (joined) {
      // A header wrapped by a mail client or split by the kernel: "<header> <rest of a later line>",
      // or "<header><offset>" when the client broke the line at the offset of the function name
      // (the offset being the next line).
      const hd = cut(head!);
      const offset = first.startsWith(`${hd.trimEnd()}+0x`) && first.slice(hd.trimEnd().length) === lines[h + 1]?.text?.trim();
      expect(first.startsWith(`${hd.trimEnd()} `) || first.startsWith(`${hd} `) || offset, `${where}: header ${JSON.stringify(first.slice(0, 200))}`).toBe(true);
    }
    let k = h + 1;
    for (const raw of r.rawLines.slice(1)) {
      for (let l = lines[k]; l !== undefined && l.lineNo <= r.endLine && (typeof l.text !== 'string' || cut(l.text) !== raw); l = lines[++k]);
      expect(lines[k] !== undefined && lines[k]!.lineNo <= r.endLine, `${where}: raw line ${JSON.stringify(raw.slice(0, 200))} is not an input line in order`).toBe(true);
      k++;
    }
    const last = r.rawLines[r.rawLines.length - 1]!;
    const onEnd = lines.some((l) => l.lineNo === r.endLine && typeof l.text === 'string' && cut(l.text) === last);
    if (r.rawLines.length > 1) expect(onEnd, `${where}: last raw line is (a line of) the end line`).toBe(true);
    else if (!joined) expect(r.endLine, where).toBe(r.startLine);
  }
}

/** analyzeText on the text of some bytes, with the raw-lines and title checks. */
export function checkText(bytes: Buffer): number {
  const text = bytes.toString('utf8');
  const t0 = performance.now();
  const reports = analyzeText(text);
  const ms = performance.now() - t0;
  checkRawLines(text, reports);
  for (const r of reports) {
    checkTitle(r.title);
    for (const t of r.altTitles) checkTitle(t);
  }
  return ms;
}

/**
 * Every record of a text analysed line by line, with or without skipping quiet lines, as JSON,
 * and how many lines were skipped (src/quiet: skipping must change nothing).
 */
export function sourceRecordsJson(text: string, skipQuietLines: boolean, mail?: MailMessage): { records: string[]; skipped: number } {
  // A message's text is analysed as the mail path does it (analyze.ts messageRecords).
  const a = new SourceAnalyzer('-', { skipQuietLines }, mail);
  const lines = mail ? prepareMailLines(mail.text).map((t, i) => ({ text: t, lineNo: i + 1, cut: false })) : splitLines(text);
  const out: Parameters<SourceAnalyzer['end']>[0] = [];
  a.push(lines, out);
  a.end(out);
  return { records: out.map((r) => JSON.stringify(r)), skipped: a.skippedLines };
}

/**
 * Asserts that skipping quiet lines changes no record of `text` (a message's text, with `mail`);
 * returns the number of lines skipped. One assertion naming the input and the first record that
 * differs: toEqual on thousands of records prints a useless diff.
 */
export function expectQuietSkipExact(where: unknown, text: string, mail?: MailMessage): number {
  const fast = sourceRecordsJson(text, true, mail);
  const full = sourceRecordsJson(text, false, mail);
  expect(full.skipped).toBe(0);
  const first = fast.records.findIndex((r, i) => r !== full.records[i]);
  expect({ where, count: fast.records.length, first, record: fast.records[first] }).toEqual({
    where,
    count: full.records.length,
    first: fast.records.length === full.records.length ? -1 : first,
    record: full.records[first],
  });
  return fast.skipped;
}

