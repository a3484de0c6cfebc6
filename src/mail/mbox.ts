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

/** Messages larger than this are cut (a huge attachment must not exhaust memory). */
export const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

const FROM = Buffer.from('From ');

/** mboxrd: lines matching ^>+From lose one ">" (mboxo escaped only ">From "; same operation). */
function unescape(lines: Buffer[]): Buffer {
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l[0] !== 0x3e) continue;
    let j = 0;
    while (j < l.length && l[j] === 0x3e) j++;
    if (l.subarray(j, j + 5).equals(FROM)) lines[i] = l.subarray(1);
  }
  return Buffer.concat(lines);
}

export async function* splitMbox(input: Readable, maxBytes = MAX_MESSAGE_BYTES): AsyncGenerator<RawMessage> {
  let carry: Buffer = Buffer.alloc(0);
  let lines: Buffer[] = [];
  let size = 0;
  let cut = false;
  let index = 0;
  let lineNo = 0;
  let startLine = 0;
  let offset = 0;
  let prevBlank = true;
  let started = false;
  const flush = (end: number): RawMessage | undefined => {
    if (!started) return undefined;
    // The blank line before the next "From " line (or at the end of the file) separates messages;
    // it is not part of the message (RFC 4155), and would count as a line of its text.
    const last = lines[lines.length - 1];
    if (last && (last.length === 1 || (last.length === 2 && last[0] === 13)) && lines.length > 1) lines.pop();
    const msg: RawMessage = { raw: unescape(lines), index: index++, lineNo: startLine, endOffset: end, cut };
    lines = [];
    size = 0;
    cut = false;
    return msg;
  };
  for await (const chunk of input as AsyncIterable<Buffer>) {
    let buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let pos = 0;
    for (;;) {
      const nl = buf.indexOf(10, pos);
      if (nl < 0) break;
      const line = buf.subarray(pos, nl + 1);
      lineNo++;
      const isSep = prevBlank && line.length >= 5 && line.subarray(0, 5).equals(FROM);
      if (isSep) {
        const m = flush(offset + pos);
        if (m) yield m;
        started = true;
        startLine = lineNo;
      } else if (started) {
        if (size + line.length <= maxBytes) {
          lines.push(line);
          size += line.length;
        } else {
          cut = true;
        }
      }
      prevBlank = line.length === 1 || (line.length === 2 && line[0] === 13);
      pos = nl + 1;
    }
    offset += pos;
    carry = Buffer.from(buf.subarray(pos));
    buf = Buffer.alloc(0);
  }
  if (carry.length && started && size + carry.length <= maxBytes) lines.push(carry);
  const last = flush(offset + carry.length);
  if (last) yield last;
}
