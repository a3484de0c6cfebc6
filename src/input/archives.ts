// Archives read as the directory of files they hold: a tar archive (gzipped or not) or a zip
// file of logs, such as the logs of a CI run downloaded as one file or a bug report's attachment.
// Read as text a zip gave no report and no word why, and a tar archive gave its files' reports
// under the archive's name, the first line of each file joined to the header before it.
//
// A member is named "<archive>:<path in the archive>", is read like a file a directory walk
// found (a member that is no text is passed by with a notice), and is gunzipped when it starts
// with the gzip magic bytes (a tar of rotated kern.log.N.gz).
import { closeSync, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Entry, ZipFile } from 'yauzl';
import { KtriageError, fromFsError } from '../model/errors.js';
import { startsWith } from './binary-formats.js';
import { memberStream, type Source, type SourceProblem } from './sources.js';
import { isTarHeader, TarFormatError, tarEntries } from './tar.js';

export type ArchiveFormat = 'tar' | 'zip';

/** An archive inside an archive is read to this depth (a tar of tars); deeper ones are passed by. */
export const MAX_ARCHIVE_DEPTH = 4;

const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];
/** The end-of-central-directory record, which an empty zip file starts with. */
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06];

/** "Version made by" host 3: Unix (APPNOTE.TXT 4.4.2). */
const ZIP_MADE_ON_UNIX = 3;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** The archive format `head` (an input's first bytes, after gunzip) starts, if any. */
export function archiveFormatOf(head: Uint8Array): ArchiveFormat | undefined {
  if (isTarHeader(head)) return 'tar';
  if (startsWith(head, ZIP_LOCAL_HEADER) || startsWith(head, ZIP_EMPTY)) return 'zip';
  return undefined;
}

/** The first `n` bytes of a file (fewer when it is shorter). */
function firstBytes(path: string, n: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

const notice = (source: string, message: string): SourceProblem => ({ notice: { source, message } });

/** What reading an archive's index or members failed with, as an error naming the archive. */
function archiveError(e: unknown, format: ArchiveFormat, archive: string): KtriageError {
  if (e instanceof KtriageError) return e;
  if (e instanceof TarFormatError || format === 'zip') {
    return new KtriageError('input.decompress-failed', `${format}: ${e instanceof Error ? e.message : String(e)}`, { file: archive });
  }
  return fromFsError(e, archive);
}

/**
 * The files in archive `src` as sources, in the archive's order, and notices for what is passed
 * by. `stream` is the archive's byte stream (after gunzip) from its first byte; a zip is read from
 * its file instead (its index is at the end) and the stream is left to the caller to close.
 */
export async function* archiveMembers(src: Source, format: ArchiveFormat, stream: Readable, signal?: AbortSignal): AsyncGenerator<Source | SourceProblem> {
  const depth = (src.depth ?? 0) + 1;
  if (depth > MAX_ARCHIVE_DEPTH) {
    yield notice(src.name, `a ${format} archive inside ${MAX_ARCHIVE_DEPTH} archives: not read`);
    return;
  }
  let any = false;
  try {
    const members = format === 'tar' ? tarMembers(src.name, stream, depth, signal) : zipMembers(src, depth);
    for await (const m of members) {
      any = true;
      yield m;
      if (signal?.aborted) return;
    }
  } catch (e) {
    throw archiveError(e, format, src.name);
  }
  // Said, so that an archive of directories alone is not a silent 0.
  if (!any) yield notice(src.name, `a ${format} archive with no file in it`);
}

async function* tarMembers(archive: string, stream: Readable, depth: number, signal: AbortSignal | undefined): AsyncGenerator<Source | SourceProblem> {
  for await (const e of tarEntries(stream, signal)) {
    const name = `${archive}:${e.name}`;
    if (e.kind === 'file') {
      yield { name, walked: true, depth, open: () => memberStream(e.body, name, 'tar', signal) };
    } else if (e.kind === 'link') {
      yield notice(name, 'link in the archive not followed');
    } else if (e.kind === 'other') {
      yield notice(name, 'not a regular file: not read');
    }
  }
}

/** A member's (inflated) bytes; a member whose local header is damaged is an error naming it. */
async function zipEntryStream(zip: ZipFile, entry: Entry, name: string): Promise<Readable> {
  try {
    return await zip.openReadStreamPromise(entry);
  } catch (e) {
    throw new KtriageError('input.decompress-failed', `zip: ${e instanceof Error ? e.message : String(e)}`, { file: name });
  }
}

async function* zipMembers(src: Source, depth: number): AsyncGenerator<Source | SourceProblem> {
  // The central directory at the end of the file lists the members: a zip is read from its file.
  // The bytes after gunzip start a zip; the file's own do not when it is gzipped.
  const fileHead = src.path === undefined ? undefined : firstBytes(src.path, 4);
  const gzipped = fileHead !== undefined && !startsWith(fileHead, ZIP_LOCAL_HEADER) && !startsWith(fileHead, ZIP_EMPTY);
  if (src.path === undefined || gzipped) {
    const where = src.depth ? 'inside another archive' : gzipped ? 'inside gzip' : 'from a pipe';
    const message = `a zip archive ${where}: not read (a zip is read from its end; unpack it, or name the .zip file)`;
    // Named or piped in, it is an error, as a binary file is (see analyzeSource).
    if (src.walked) yield notice(src.name, message);
    else yield { error: new KtriageError('input.unreadable', message, { file: src.name }) };
    return;
  }
  // Loaded only for a zip archive, as Node's own zlib is for a gzip file.
  const yauzl = await import('yauzl');
  const zip = await yauzl.openPromise(src.path, { lazyEntries: true, autoClose: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: false });
  try {
    for await (const entry of zip.eachEntry()) {
      const name = `${src.name}:${entry.fileName}`;
      if (entry.fileName.endsWith('/')) continue;
      // Made on Unix, the high 16 bits of the external attributes are the file's mode (Info-ZIP's
      // -y stores a symbolic link as a member whose data is the link's target).
      if (entry.versionMadeBy >> 8 === ZIP_MADE_ON_UNIX && ((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) yield notice(name, 'link in the archive not followed');
      else if (entry.isEncrypted()) yield notice(name, 'encrypted in the archive: not read');
      else if (!entry.canDecodeFileData()) yield notice(name, `compressed with zip method ${entry.compressionMethod}, which ktriage does not read: not read (run \`unzip -p\` on the archive)`);
      else yield { name, walked: true, depth, open: async () => memberStream(await zipEntryStream(zip, entry, name), name, 'zip') };
    }
  } finally {
    zip.close();
  }
}
