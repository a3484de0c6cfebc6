// The members of a tar archive, read from a stream one after the other (a .tar.gz of CI logs,
// a bug report's attachment). Each file member is a stream of its own bytes; the next member is
// read once the caller asks for it, so memory stays bounded by one chunk however large the archive.
//
// The layout is POSIX ustar (IEEE 1003.1-1988): 512-byte blocks, a header block per member,
// then its data padded to a whole block, and the archive ends with two zero blocks. GNU tar and
// bsdtar add header members that describe the next member: GNU 'L' (a name over 100 bytes) and
// POSIX.1-2001 pax 'x' records ("path", "size"). Old v7 archives carry no "ustar" magic; they are
// not told from text (see archiveFormatOf) and not read here.
import { Readable } from 'node:stream';

const BLOCK = 512;
/** The most bytes a member's stream is given at a time. */
const CHUNK = 256 * 1024;

export type TarEntryKind = 'file' | 'directory' | 'link' | 'other';

export interface TarEntry {
  /** The member's path as the archive stores it, without a leading "./". */
  name: string;
  kind: TarEntryKind;
  size: number;
  /** A file's bytes (read it before asking for the next member); empty for every other kind. */
  body: Readable;
}

/** A tar archive that ends before its end or holds something that is no header. */
export class TarFormatError extends Error {}

/** Pulls bytes from a stream in the amounts the reader asks for. */
class ByteReader {
  private readonly chunks: AsyncIterator<Buffer>;
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** Bytes handed out or skipped so far: the archive offset of the next byte. */
  offset = 0;

  constructor(stream: Readable) {
    this.chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** False at the end of the stream; else there are bytes in the buffer. */
  private async fill(): Promise<boolean> {
    while (this.pos >= this.buf.length) {
      const next = await this.chunks.next();
      if (next.done) return false;
      this.buf = next.value;
      this.pos = 0;
    }
    return true;
  }

  /** Up to `max` bytes (at least one), or undefined at the end of the stream. */
  async some(max: number): Promise<Buffer | undefined> {
    if (!(await this.fill())) return undefined;
    const n = Math.min(max, this.buf.length - this.pos);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    this.offset += n;
    return out;
  }

  /** Exactly `n` bytes; undefined when the stream ends before the first, an error when it ends after. */
  async exact(n: number): Promise<Buffer | undefined> {
    const parts: Buffer[] = [];
    let got = 0;
    while (got < n) {
      const part = await this.some(n - got);
      if (part === undefined) {
        if (got === 0) return undefined;
        throw new TarFormatError(`cut short at byte ${this.offset}`);
      }
      parts.push(part);
      got += part.length;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  async skip(n: number): Promise<void> {
    for (let left = n; left > 0; ) {
      const part = await this.some(Math.min(left, CHUNK));
      if (part === undefined) throw new TarFormatError(`cut short at byte ${this.offset}`);
      left -= part.length;
    }
  }
}

/** A NUL-terminated string field. */
function text(h: Buffer, at: number, len: number): string {
  const end = h.indexOf(0, at);
  return h.toString('utf8', at, end < 0 || end > at + len ? at + len : end);
}

const octalRe = /^[0-7]+$/;
const decimalRe = /^\d+$/;
const leadingDotSlashRe = /^(?:\.\/)+/;
/** Regexes applied to archive headers (the ReDoS audit runs them on adversarial input). */
export const tarRegexes: readonly RegExp[] = [octalRe, decimalRe, leadingDotSlashRe];

/** A numeric field: octal digits (NUL or space terminated), or GNU's base-256 for values over 8 GiB. */
function number(h: Buffer, at: number, len: number): number | undefined {
  if (h[at]! & 0x80) {
    let v = h[at]! & 0x7f;
    for (let i = at + 1; i < at + len; i++) v = v * 256 + h[i]!;
    return v;
  }
  // Octal digits, with leading spaces and trailing NULs or spaces (as tar implementations pad).
  let from = at;
  let to = at + len;
  while (from < to && h[from] === 0x20) from++;
  while (to > from && (h[to - 1] === 0 || h[to - 1] === 0x20)) to--;
  const digits = h.toString('latin1', from, to);
  if (digits === '') return 0;
  return octalRe.test(digits) ? parseInt(digits, 8) : undefined;
}

/** The header's checksum is right: the sum of its bytes with the checksum field taken as spaces. */
function checksumOk(h: Buffer): boolean {
  const stored = number(h, 148, 8);
  if (stored === undefined) return false;
  let sum = 8 * 0x20;
  for (let i = 0; i < BLOCK; i++) if (i < 148 || i >= 156) sum += h[i]!;
  return sum === stored;
}

const isZeroBlock = (h: Buffer): boolean => h.every((b) => b === 0);

/** pax extended header records: "<length> <key>=<value>\n", the length counting the whole record. */
function paxRecords(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  for (let pos = 0; pos < data.length; ) {
    const space = data.indexOf(0x20, pos);
    const len = space < 0 ? NaN : Number(data.toString('latin1', pos, space));
    if (!Number.isInteger(len) || len <= 0 || pos + len > data.length) break;
    const record = data.toString('utf8', space + 1, pos + len - 1);
    const eq = record.indexOf('=');
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    pos += len;
  }
  return out;
}

const kinds: Record<string, TarEntryKind> = { '0': 'file', '\0': 'file', '7': 'file', '1': 'link', '2': 'link', '5': 'directory' };

/** A ustar header block: "ustar" at byte 257 and a right checksum (the check that tells a tar archive from text). */
export function isTarHeader(block: Uint8Array): boolean {
  if (block.length < BLOCK) return false;
  const h = Buffer.from(block.buffer, block.byteOffset, BLOCK);
  return h.toString('latin1', 257, 262) === 'ustar' && checksumOk(h);
}

/**
 * The members of the archive in `stream`, in order. Throws TarFormatError where it is not a tar
 * archive or ends too soon, except after `signal` fired (Ctrl-C ends the stream early: the member
 * being read then ends where the stream did, and no member follows).
 */
export async function* tarEntries(stream: Readable, signal?: AbortSignal): AsyncGenerator<TarEntry> {
  try {
    yield* entries(stream);
  } catch (e) {
    if (!(e instanceof TarFormatError && signal?.aborted)) throw e;
  }
}

async function* entries(stream: Readable): AsyncGenerator<TarEntry> {
  const r = new ByteReader(stream);
  // What GNU 'L' and pax 'x' members said about the member after them.
  let longName: string | undefined;
  let pax = new Map<string, string>();
  for (;;) {
    const at = r.offset;
    const h = await r.exact(BLOCK);
    // The end: two zero blocks, or (from some writers, or a cut archive) the stream's end.
    if (h === undefined || isZeroBlock(h)) return;
    if (!checksumOk(h)) throw new TarFormatError(`no member header at byte ${at}`);
    const type = String.fromCharCode(h[156]!);
    let size = number(h, 124, 12) ?? 0;
    const paxSize = pax.get('size');
    if (paxSize !== undefined && decimalRe.test(paxSize)) size = Number(paxSize);
    const padded = Math.ceil(size / BLOCK) * BLOCK;

    if (type === 'L' || type === 'x' || type === 'g' || type === 'K') {
      // Header members: their data describes the next member (or, for 'g', all that follow).
      if (size > 1024 * 1024) throw new TarFormatError(`a header member of ${size} bytes at byte ${at}`);
      const data = (await r.exact(size)) ?? Buffer.alloc(0);
      await r.skip(padded - size);
      if (type === 'L') longName = text(data, 0, data.length);
      else if (type === 'x') pax = paxRecords(data);
      continue;
    }

    // POSIX ustar puts a path's leading directories in the prefix field; GNU's "ustar  " uses
    // those bytes for times.
    const prefix = h.toString('latin1', 257, 265) === 'ustar\u000000' ? text(h, 345, 155) : '';
    const stored = prefix === '' ? text(h, 0, 100) : `${prefix}/${text(h, 0, 100)}`;
    const name = (pax.get('path') ?? longName ?? stored).replace(leadingDotSlashRe, '');
    longName = undefined;
    pax = new Map();
    const kind = kinds[type] ?? 'other';

    if (kind !== 'file') {
      yield { name, kind, size, body: Readable.from([]) };
      await r.skip(padded);
      continue;
    }

    let left = size;
    let reading: Promise<void> | undefined;
    const body = new Readable({
      highWaterMark: CHUNK,
      read() {
        if (left === 0) {
          this.push(null);
          return;
        }
        reading = r.some(Math.min(left, CHUNK)).then(
          (part) => {
            reading = undefined;
            if (part === undefined) {
              // The member's bytes so far are read as they are; the skip below says it was cut.
              this.push(null);
              return;
            }
            left -= part.length;
            this.push(part);
            if (left === 0) this.push(null);
          },
          (e: unknown) => {
            reading = undefined;
            this.destroy(e instanceof Error ? e : new Error(String(e)));
          },
        );
      },
    });
    yield { name, kind, size, body };
    // The caller is done with the member, whether it read all of it or not.
    if (reading) await reading;
    body.destroy();
    try {
      await r.skip(left + padded - size);
    } catch (e) {
      throw e instanceof TarFormatError ? new TarFormatError(`cut short in member ${name}`) : e;
    }
  }
}
