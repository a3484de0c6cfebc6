// mbox (mboxo/mboxrd) byte stream -> raw messages, one at a time. A message
// starts at a line beginning with "From " after a blank line (or at the start);
// mboxrd escapes ">From " lines, which are unescaped here. Memory: one message.
import type { Readable } from 'node:stream';

export interface RawMessage {
  /** The message bytes without the "From " separator line, ">From " unescaped. */
  raw: Buffer;
  /** 0-based index in the mbox. */
  index: number;
  /** 1-based line of the "From " separator in the file. */
  lineNo: number;
  /** Bytes of the mbox consumed up to the end of this message (for progress). */
  endOffset: number;
  /** True when the message was longer than the limit and was cut. */
  cut: boolean;
}

/**
 * Messages larger than this are cut (a huge attachment must not exhaust memory). A message is held
 * whole while it is decoded: a pasted console log of 32 MB in one message peaked at 230 MB RSS or
 * more, of 16 MB at 171-181 MB (issue 8's bound is 200 MB). 16 MB of text is ~200,000 console lines.
 */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

const FROM = Buffer.from('From ');

/** mboxrd: a line [from, to) of `buf` matching ^>+From loses one ">" (mboxo escaped only ">From "; same operation). */
function escapedFrom(buf: Buffer, from: number, to: number): boolean {
  if (buf[from] !== 0x3e) return false;
  let j = from + 1;
  while (j < to && buf[j] === 0x3e) j++;
  return to >= j + 5 && buf.subarray(j, j + 5).equals(FROM);
}

/** An empty line ("\n" or "\r\n") at `from`, `len` bytes long; a final line without a newline is never one. */
function blankLine(buf: Buffer, from: number, len: number): boolean {
  return (len === 1 && buf[from] === 10) || (len === 2 && buf[from] === 13 && buf[from + 1] === 10);
}

/**
 * The bytes of one message as it is read: runs of consecutive lines of one chunk are kept as
 * one slice, not a Buffer per line (a 31 MB base64 attachment is 400,000 lines; one object
 * each cost ~45 MB of heap on top of the bytes).
 */
class MessageBytes {
  private parts: Buffer[] = [];
  /** The run of lines being extended: its chunk and where it starts and ends. */
  private buf: Buffer | undefined;
  private start = 0;
  private end = 0;
  private size = 0;
  private lines = 0;
  /** Length of the last line added (the separator blank line is removed at the end). */
  private lastLen = 0;
  private lastBlank = false;

  constructor(private readonly maxBytes: number) {}

  /**
   * Adds the line [from, to) of `buf`, a mboxrd ">From" line without its first ">". Returns false
   * (and keeps nothing) when the line would take the message past its size limit.
   */
  addLine(buf: Buffer, from: number, to: number): boolean {
    const len = to - from;
    if (this.size + len > this.maxBytes) return false;
    const at = escapedFrom(buf, from, to) ? from + 1 : from;
    this.add(buf, at, to);
    this.lines++;
    this.lastLen = to - at;
    this.lastBlank = blankLine(buf, from, len);
    return true;
  }

  /** Adds bytes [from, to) of `buf` to the run being extended, or starts a new run. */
  private add(buf: Buffer, from: number, to: number): void {
    if (this.buf === buf && this.end === from) {
      this.end = to;
    } else {
      this.close();
      this.buf = buf;
      this.start = from;
      this.end = to;
    }
    this.size += to - from;
  }

  /** Ends the current run (its chunk is about to change). */
  close(): void {
    if (this.buf && this.end > this.start) this.parts.push(this.buf.subarray(this.start, this.end));
    this.buf = undefined;
  }

  /** The message, without the blank line that separates it from the next one (RFC 4155). */
  take(): Buffer {
    this.close();
    if (this.lastBlank && this.lines > 1) {
      let drop = this.lastLen;
      while (drop > 0) {
        const last = this.parts[this.parts.length - 1]!;
        if (last.length > drop) {
          this.parts[this.parts.length - 1] = last.subarray(0, last.length - drop);
          drop = 0;
        } else {
          this.parts.pop();
          drop -= last.length;
        }
      }
    }
    // A copy: a message kept by the caller keeps only its own bytes, not the chunks it was read in.
    const raw = Buffer.concat(this.parts);
    this.parts = [];
    this.size = 0;
    this.lines = 0;
    this.lastLen = 0;
    this.lastBlank = false;
    return raw;
  }
}

export async function* splitMbox(input: Readable, maxBytes = MAX_MESSAGE_BYTES): AsyncGenerator<RawMessage> {
  let carry: Buffer = Buffer.alloc(0);
  const msgBytes = new MessageBytes(maxBytes);
  let cut = false;
  let index = 0;
  let lineNo = 0;
  let startLine = 0;
  let offset = 0;
  let prevBlank = true;
  let started = false;
  const flush = (end: number): RawMessage | undefined => {
    if (!started) return undefined;
    const msg: RawMessage = { raw: msgBytes.take(), index: index++, lineNo: startLine, endOffset: end, cut };
    cut = false;
    return msg;
  };
  // Once a line did not fit, the message is cut there: a shorter line further on that would still
  // fit must not be added after the gap (a cut message is a prefix of the message).
  const addLine = (buf: Buffer, from: number, to: number): void => {
    if (!cut && !msgBytes.addLine(buf, from, to)) cut = true;
  };
  for await (const chunk of input as AsyncIterable<Buffer>) {
    let buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let pos = 0;
    for (;;) {
      const nl = buf.indexOf(10, pos);
      if (nl < 0) break;
      const len = nl + 1 - pos;
      lineNo++;
      const isSep = prevBlank && len >= 5 && buf.subarray(pos, pos + 5).equals(FROM);
      if (isSep) {
        const m = flush(offset + pos);
        if (m) yield m;
        started = true;
        startLine = lineNo;
      } else if (started) {
        addLine(buf, pos, nl + 1);
      }
      prevBlank = blankLine(buf, pos, len);
      pos = nl + 1;
    }
    offset += pos;
    msgBytes.close();
    carry = Buffer.from(buf.subarray(pos));
    buf = Buffer.alloc(0);
  }
  if (carry.length && started) addLine(carry, 0, carry.length);
  const last = flush(offset + carry.length);
  if (last) yield last;
}
