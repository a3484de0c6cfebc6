// Inputs (mbox, maildir, .eml, `git log` output; files, directories, .gz, stdin)
// -> KB entries, streamed: one message or commit in memory at a time.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { archiveFormatOf, archiveMembers } from '../input/archives.js';
import { peekStream } from '../input/peek.js';
import { readLineBatches } from '../input/read-lines.js';
import { sniffInput } from '../input/sniff.js';
import { inputSources, isSourceProblem, type Source } from '../input/sources.js';
import { splitMbox, type RawMessage } from '../mail/mbox.js';
import { parseMessage, type MailMessage } from '../mail/message.js';
import { KtriageError, fromFsError } from '../model/errors.js';
import type { KbEntry } from '../model/kb.js';
import { entriesFromMail, rawHeaders } from './from-mail.js';
import { commitLineRe, entryFromCommit, GitLogReader, type GitCommit } from './git-log.js';

export interface KbBuildOptions {
  stdin?: Readable;
  /** Keep every patch, not only those that look like fixes. */
  allPatches?: boolean;
  /** First release of commits (full id or 12-character prefix -> "6.8-rc3"). */
  releases?: ReadonlyMap<string, string>;
  /** Rewrites a decoded message before it is read (the evaluation removes leaked splats with it). */
  prepareMessage?: (msg: MailMessage) => MailMessage;
  /** Input bytes read, for throughput figures. */
  onBytes?: (n: number) => void;
}

export interface KbBuildStats {
  sources: number;
  messages: number;
  /** Messages skipped without MIME decoding: no diff, commit id or command in the raw bytes. */
  prefiltered: number;
  commits: number;
  entries: number;
  /** Files found in directories that are neither mail nor git log (README, logs ...), skipped. */
  skippedFiles: number;
}

export type KbBuildRecord = { kind: 'entry'; entry: KbEntry } | { kind: 'error'; error: KtriageError };

// Lines a message carrying a fix has at the start of a line, unquoted, even before decoding:
// quoted-printable leaves them alone (it only encodes "=", 8-bit bytes and long line ends);
// base64 bodies must be decoded to tell. Replies that only quote a patch ("> diff --git") are skipped.
const encodedRe = /content-transfer-encoding:\s*base64/i;
const needles = ['\ndiff --git ', '\n@@ -', '\nCommit-ID:', '\n#syz fix', 'commit: '].map((s) => Buffer.from(s));

/** Every regex applied to input text here (for the ReDoS audit). */
export const buildRegexes: readonly RegExp[] = [encodedRe];

/** False when the raw message cannot hold a patch, a Commit-ID, a "#syz fix" or an "Applied" commit. */
export function mightCarryFix(raw: Buffer): boolean {
  return needles.some((n) => raw.includes(n)) || encodedRe.test(raw.subarray(0, 65536).toString('latin1'));
}

function messageKey(msg: MailMessage, raw: Buffer): string {
  return msg.messageId ? `msg:${msg.messageId}` : `msg:sha1-${createHash('sha1').update(raw).digest('hex').slice(0, 20)}`;
}

async function* singleMessage(stream: Readable): AsyncGenerator<RawMessage> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  yield { raw: Buffer.concat(chunks), index: 0, lineNo: 1, endOffset: 0, cut: false };
}

async function* mailEntries(stream: Readable, name: string, single: boolean, opts: KbBuildOptions, stats: KbBuildStats): AsyncGenerator<KbEntry | KtriageError> {
  for await (const m of single ? singleMessage(stream) : splitMbox(stream)) {
    stats.messages++;
    if (!mightCarryFix(m.raw)) {
      stats.prefiltered++;
      continue;
    }
    try {
      let msg = await parseMessage(m.raw);
      if (opts.prepareMessage) msg = opts.prepareMessage(msg);
      yield* entriesFromMail(msg, rawHeaders(m.raw), messageKey(msg, m.raw), opts);
    } catch (e) {
      // One broken message must not lose the rest of the mailbox.
      yield new KtriageError('input.read-failed', `message ${m.index + 1}: ${e instanceof Error ? e.message : String(e)}`, { file: name, line: m.lineNo });
    }
  }
}

async function* gitLogEntries(stream: Readable, opts: KbBuildOptions, stats: KbBuildStats): AsyncGenerator<KbEntry> {
  const reader = new GitLogReader();
  const take = (c: GitCommit | undefined): KbEntry | undefined => {
    if (!c) return undefined;
    stats.commits++;
    return entryFromCommit(c, opts);
  };
  for await (const batch of readLineBatches(stream)) {
    for (const l of batch) {
      const e = take(reader.push(l.text, l.lineNo));
      if (e) yield e;
    }
  }
  const e = take(reader.end());
  if (e) yield e;
}

/** `git log` output starts with a "commit <sha>" line. */
export function isGitLog(head: Buffer): boolean {
  const first = head.subarray(0, 512).toString('latin1').split('\n').find((l) => l.trim() !== '');
  return first !== undefined && commitLineRe.test(first.replace(/\r$/, ''));
}

async function* sourceEntries(src: Source, explicit: boolean, opts: KbBuildOptions, stats: KbBuildStats): AsyncGenerator<KbEntry | KtriageError> {
  const { head, stream } = await peekStream(await src.open(opts.onBytes));
  // A tar or zip of mail (a maildir packed up): its files are read as a directory's are.
  const archive = archiveFormatOf(head);
  if (archive !== undefined) {
    // The archive counts as the files it holds.
    stats.sources--;
    try {
      for await (const m of archiveMembers(src, archive, stream)) {
        if (!isSourceProblem(m)) {
          stats.sources++;
          try {
            yield* sourceEntries(m, false, opts, stats);
          } catch (e) {
            // One file that cannot be read (a damaged member): its error, then the next file.
            yield e instanceof KtriageError ? e : fromFsError(e, m.name);
          }
        } else if ('error' in m) yield m.error;
      }
    } finally {
      stream.destroy();
    }
    return;
  }
  if (isGitLog(head)) {
    yield* gitLogEntries(stream, opts, stats);
    return;
  }
  const kind = sniffInput(head);
  if (kind === 'log') {
    stream.destroy();
    // A file met while walking a directory may be anything; one the user named must be readable.
    if (!explicit) {
      stats.skippedFiles++;
      return;
    }
    throw new KtriageError('input.unreadable', 'neither mail (mbox, maildir, .eml) nor `git log` output', { file: src.name });
  }
  yield* mailEntries(stream, src.name, kind === 'message', opts, stats);
}

export function emptyBuildStats(): KbBuildStats {
  return { sources: 0, messages: 0, prefiltered: 0, commits: 0, entries: 0, skippedFiles: 0 };
}

/** Streams the KB entries of the inputs; an unreadable input becomes an error record and the others go on. */
export async function* buildKbEntries(inputs: readonly string[], opts: KbBuildOptions = {}, stats: KbBuildStats = emptyBuildStats()): AsyncGenerator<KbBuildRecord> {
  const named = new Set(inputs.length === 0 ? ['-'] : inputs);
  // A directory is walked as it is read (inputSources).
  for await (const src of inputSources(inputs, () => opts.stdin ?? process.stdin)) {
    if (isSourceProblem(src)) {
      // Unfollowed links inside directories are not worth a KB build error.
      if ('error' in src) yield { kind: 'error', error: src.error };
      continue;
    }
    stats.sources++;
    try {
      for await (const r of sourceEntries(src, named.has(src.name), opts, stats)) {
        if (r instanceof KtriageError) {
          yield { kind: 'error', error: r };
          continue;
        }
        stats.entries++;
        yield { kind: 'entry', entry: r };
      }
    } catch (e) {
      yield { kind: 'error', error: e instanceof KtriageError ? e : fromFsError(e, src.name) };
    }
  }
}
