// Empties the bodies of binary MIME parts before postal-mime parses a message.
//
// postal-mime decodes every part, binary attachments too, and holds a message several times over
// while it does: a message cut to 8 MiB with a base64 image or tarball peaked at ~240 MB RSS,
// though ktriage reads only text parts (message.ts textAttachmentRe). A leaf part whose type is
// none of those keeps its headers and loses its body here, so postal-mime lists it with empty
// content. Multipart parts are walked (to a bounded depth); message/* parts and anything not
// understood are kept as they are.
/** Attachment types whose content is text a kernel log can be in. */
export const textAttachmentRe = /^text\/|^application\/(?:x-)?(?:log|patch|diff)$/i;

const MAX_DEPTH = 8;
const headerLineRe = /\r?\n/;
const foldedRe = /^[ \t]/;
const boundaryRe = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i;
const multipartRe = /^\s*multipart\//i;
const keptTypeRe = /^\s*(?:multipart|message)\//i;

/**
 * Top-level headers postal-mime needs to see: those ktriage reports (message.ts) and those that
 * shape the MIME structure. Mailing-list mail carries dozens more (Received, DKIM and ARC
 * signatures, List-*, long To and Cc lists); postal-mime parses them all, the address lists
 * through its address parser.
 */
const usedHeaderRe = /^(?:from|subject|date|message-id|mime-version|content-[\w-]+)[ \t]*:/i;

/** Regexes this module applies to message text (the ReDoS audit runs them on adversarial input). */
export const mimePartsRegexes: readonly RegExp[] = [textAttachmentRe, headerLineRe, foldedRe, boundaryRe, multipartRe, keptTypeRe, usedHeaderRe];

/** A header's value in a header block, continuation lines unfolded; undefined when absent. */
export function headerValue(head: string, name: string): string | undefined {
  const lines = head.split(headerLineRe);
  // "Name:" or "Name :" (RFC 822 allowed blanks before the colon; some mailers still write them).
  const colonAfter = (l: string): number => {
    if (l.length <= name.length || l.slice(0, name.length).toLowerCase() !== name) return -1;
    let i = name.length;
    while (l.charAt(i) === ' ' || l.charAt(i) === '\t') i++;
    return l.charAt(i) === ':' ? i : -1;
  };
  const at = lines.findIndex((l) => colonAfter(l) >= 0);
  if (at < 0) return undefined;
  let v = lines[at]!.slice(colonAfter(lines[at]!) + 1);
  for (let i = at + 1; i < lines.length && foldedRe.test(lines[i]!); i++) v += ` ${lines[i]!.trim()}`;
  return v.trim();
}

/** The message with the top-level headers ktriage does not use removed (the body untouched). */
export function dropUnusedHeaders(raw: Buffer): Buffer {
  const hb = bodyStart(raw, 0, raw.length);
  if (!hb || hb.head === '') return raw;
  // Lines split at LF only: a CR stays at the end of its line, and the blank line that ends the
  // header block is the rest of the message from the end of hb.head.
  const lines = hb.head.split('\n');
  const kept: string[] = [];
  let keep = false;
  for (const l of lines) {
    if (!foldedRe.test(l)) keep = usedHeaderRe.test(l);
    if (keep) kept.push(l);
  }
  if (kept.length === lines.length) return raw;
  return Buffer.concat([Buffer.from(kept.join('\n'), 'latin1'), raw.subarray(hb.head.length)]);
}

const LF_LF = Buffer.from('\n\n');
const LF_CRLF = Buffer.from('\n\r\n');

/** The header block of the part of `buf` at [from, to) and where its body starts, or undefined without a blank line. */
function bodyStart(buf: Buffer, from: number, to: number): { head: string; body: number } | undefined {
  // Headers are short; a part without a blank line in its first 64 KB is left alone.
  const limit = Math.min(to, from + 64 * 1024);
  const a = buf.indexOf(LF_LF, from);
  const b = buf.indexOf(LF_CRLF, from);
  const end = a < 0 ? b : b < 0 ? a : Math.min(a, b);
  // A part that starts with its blank line has no headers.
  const startsBlank = buf[from] === 10 || (buf[from] === 13 && buf[from + 1] === 10);
  if (startsBlank) return { head: '', body: from + (buf[from] === 10 ? 1 : 2) };
  if (end < 0 || end >= limit) return undefined;
  return { head: buf.toString('latin1', from, end), body: end + (end === a ? 2 : 3) };
}

/** The part [from, to) of `buf` (headers and body) with binary leaf bodies emptied, as slices. */
function walk(buf: Buffer, from: number, to: number, depth: number, out: Buffer[]): void {
  const hb = bodyStart(buf, from, to);
  const type = hb ? (headerValue(hb.head, 'content-type') ?? 'text/plain') : undefined;
  if (!hb || type === undefined) {
    out.push(buf.subarray(from, to));
    return;
  }
  if (!keptTypeRe.test(type) && !textAttachmentRe.test(type.split(';')[0]!.trim())) {
    // A binary leaf: its headers stay (postal-mime still lists it), its body goes.
    out.push(buf.subarray(from, hb.body));
    return;
  }
  const b = multipartRe.test(type) && depth < MAX_DEPTH ? boundaryRe.exec(type) : null;
  const boundary = b ? (b[1] ?? b[2]!) : undefined;
  if (boundary === undefined) {
    out.push(buf.subarray(from, to));
    return;
  }
  // A delimiter is "--boundary" at the start of a line, then "--" for the last one, then only
  // blanks (RFC 2046 5.1.1); the line break before it belongs to it.
  const delim = Buffer.from(`\n--${boundary}`, 'latin1');
  const isDelimiter = (at: number): boolean => {
    let i = at + delim.length;
    if (buf[i] === 45 && buf[i + 1] === 45) i += 2;
    for (; i < to && buf[i] !== 10; i++) if (buf[i] !== 32 && buf[i] !== 9 && buf[i] !== 13) return false;
    return true;
  };
  const nextDelimiter = (from: number): number => {
    for (let at = buf.indexOf(delim, from); at >= 0 && at < to; at = buf.indexOf(delim, at + 1)) if (isDelimiter(at)) return at;
    return -1;
  };
  let at = nextDelimiter(hb.body - 1);
  if (at < 0) {
    out.push(buf.subarray(from, to));
    return;
  }
  out.push(buf.subarray(from, at));
  for (;;) {
    const lineEnd = buf.indexOf(10, at + 1);
    const closing = buf[at + delim.length] === 45 && buf[at + delim.length + 1] === 45;
    if (lineEnd < 0 || lineEnd >= to || closing) {
      out.push(buf.subarray(at, to));
      return;
    }
    out.push(buf.subarray(at, lineEnd + 1));
    const next = nextDelimiter(lineEnd);
    const partEnd = next < 0 ? to : next;
    walk(buf, lineEnd + 1, partEnd, depth + 1, out);
    if (partEnd === to) return;
    at = partEnd;
  }
}

/** The message with the bodies of its binary parts emptied (`raw` itself when there are none). */
export function dropBinaryParts(raw: Buffer): Buffer {
  const out: Buffer[] = [];
  walk(raw, 0, raw.length, 0, out);
  let n = 0;
  for (const b of out) n += b.length;
  return n === raw.length ? raw : Buffer.concat(out, n);
}
