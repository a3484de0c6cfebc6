// The KB file: a header line, then one entry per line. Reading validates every
// line against the zod schemas; a bad line is an error naming the file and line.
import { readLineBatches } from '../input/read-lines.js';
import { fileSource } from '../input/sources.js';
import { KtriageError, fromFsError } from '../model/errors.js';
import { KB_VERSION, kbEntrySchema, kbHeaderSchema, type KbEntry, type KbHeader } from '../model/kb.js';

export function kbHeader(createdBy: string, now = new Date()): KbHeader {
  return { kind: 'kb', version: KB_VERSION, createdBy, created: now.toISOString() };
}

/** One line of the file. */
export function formatKbLine(rec: KbHeader | KbEntry): string {
  return `${JSON.stringify(rec)}\n`;
}

function invalid(file: string, line: number, what: string): KtriageError {
  return new KtriageError('config.invalid', `not a ktriage KB file: ${what}`, { file, line });
}

function parseLine(text: string, file: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw invalid(file, line, `invalid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

function checkHeader(value: unknown, file: string): KbHeader {
  const v = value as { kind?: unknown; version?: unknown } | null;
  if (v?.kind === 'kb' && v.version !== KB_VERSION) {
    throw new KtriageError('config.invalid', `KB format version ${String(v.version)} is not supported (this ktriage reads version ${KB_VERSION}); rebuild it with "ktriage kb build"`, { file, line: 1 });
  }
  const h = kbHeaderSchema.safeParse(value);
  if (!h.success) throw invalid(file, 1, `the first line is not a KB header (${h.error.issues[0]?.message ?? 'schema mismatch'})`);
  return h.data;
}

/** Streams the entries of a KB file (gzip allowed), checking the header and every entry. */
export async function* readKb(file: string): AsyncGenerator<KbEntry> {
  let stream;
  try {
    stream = await fileSource(file).open();
  } catch (e) {
    throw e instanceof KtriageError ? e : fromFsError(e, file);
  }
  let header: KbHeader | undefined;
  for await (const batch of readLineBatches(stream)) {
    for (const l of batch) {
      if (l.text.trim() === '') continue;
      const value = parseLine(l.text, file, l.lineNo);
      if (!header) {
        header = checkHeader(value, file);
        continue;
      }
      const e = kbEntrySchema.safeParse(value);
      if (!e.success) {
        const issue = e.error.issues[0];
        throw invalid(file, l.lineNo, `entry ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'does not match the schema'}`);
      }
      yield e.data;
    }
  }
  if (!header) throw invalid(file, 1, 'the file is empty');
}

/** Every entry of a KB file. */
export async function loadKb(file: string): Promise<KbEntry[]> {
  const out: KbEntry[] = [];
  for await (const e of readKb(file)) out.push(e);
  return out;
}

/** The keys of the entries already in a KB file (for --append). */
export async function readKbKeys(file: string): Promise<Set<string>> {
  const keys = new Set<string>();
  for await (const e of readKb(file)) keys.add(e.key);
  return keys;
}

// "<sha> tags/v6.9-rc1~12^2~3" (name-rev), "<sha> (tags/v6.10~100)", "<sha> v6.8-rc3~5" (describe --contains).
const releaseLineRe = /\b([0-9a-f]{12,40})\b.*?\bv(\d+\.\d+(?:-rc\d+)?)(?=[~^\s)]|$)/;

/** Every regex applied to input text here (for the ReDoS audit). */
export const kbFileRegexes: readonly RegExp[] = [releaseLineRe];

/** A commit -> release list ("--releases"): lines holding a commit id and a v<release> tag, as `git name-rev --tags` or `git describe --contains` print. */
export function parseReleases(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = releaseLineRe.exec(line);
    if (!m) continue;
    out.set(m[1]!, m[2]!);
    out.set(m[1]!.slice(0, 12), m[2]!);
  }
  return out;
}
