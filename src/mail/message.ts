// A raw RFC 5322 message -> the fields ktriage reports and the decoded text.
// MIME (multipart, quoted-printable, base64, charsets, format=flowed) is
// decoded by postal-mime; text attachments (attached dmesg logs) are kept.
import { htmlToText } from './html-text.js';
import { dropBinaryParts, dropUnusedHeaders, headerValue, textAttachmentRe } from './mime-parts.js';

export interface MailMessage {
  messageId?: string;
  subject?: string;
  /** Date header as ISO-8601. */
  date?: string;
  from?: string;
  /** The text/plain body, then every text attachment, separated by a blank line. */
  text: string;
  /** The message was longer than MAX_MIME_BYTES and only its start was decoded. */
  cut?: boolean;
  /** Why the MIME structure could not be decoded; the message was then read as plain text. */
  undecoded?: string;
}


// "<id@host>" -> "id@host".
const angleBracketsRe = /^<|>$/g;

function decodeAttachment(content: ArrayBuffer | string | Uint8Array): string {
  if (typeof content === 'string') return content;
  return Buffer.from(content instanceof Uint8Array ? content : new Uint8Array(content)).toString('utf8');
}

// A large message that is one plain-text part (a pasted console log) is decoded here: postal-mime
// holds a message several times over while it decodes it (a 32 MB text message peaked at 544 MB
// RSS), and a single 7bit/8bit text part needs no MIME decoding. Its headers still go to postal-mime.
const DIRECT_MIN_BYTES = 1024 * 1024;
const directCharsets = new Set(['us-ascii', 'ascii', 'utf-8', 'utf8', 'iso-8859-1', 'latin1']);
const headerEndRe = /\r?\n\r?\n/;
const textPlainRe = /^\s*text\/plain\s*(?:;|$)/i;
const flowedRe = /format\s*=\s*"?flowed/i;
const plainEncodingRe = /^\s*(?:7bit|8bit|binary)\s*$/i;
const charsetRe = /charset\s*=\s*"?([\w.:-]+)/i;
const crlfRe = /\r\n/g;

/** Regexes this module applies to message fields (the ReDoS audit runs them on adversarial input). */
export const messageRegexes: readonly RegExp[] = [angleBracketsRe, headerEndRe, textPlainRe, flowedRe, plainEncodingRe, charsetRe, crlfRe];

/** The message's header block and where its body starts; undefined when no blank line ends it in the first 256 KB (a header block is short). */
function headerBlock(raw: Buffer): { head: string; bodyAt: number } | undefined {
  const start = raw.subarray(0, 256 * 1024).toString('latin1');
  const end = headerEndRe.exec(start);
  return end ? { head: start.slice(0, end.index), bodyAt: end.index + end[0].length } : undefined;
}

/** A Date header as ISO-8601, or as written when it is no date. */
function isoDate(value: string): string {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

/** The decoded fields of a large single-part plain-text message, or undefined when it needs MIME decoding. */
async function parseLargePlain(raw: Buffer): Promise<MailMessage | undefined> {
  const block = headerBlock(raw);
  if (!block) return undefined;
  const { head, bodyAt } = block;
  const type = headerValue(head, 'content-type');
  const encoding = headerValue(head, 'content-transfer-encoding');
  if (type !== undefined && (!textPlainRe.test(type) || flowedRe.test(type))) return undefined;
  if (encoding !== undefined && !plainEncodingRe.test(encoding)) return undefined;
  const charset = (charsetRe.exec(type ?? '')?.[1] ?? 'us-ascii').toLowerCase();
  if (!directCharsets.has(charset)) return undefined;
  const msg = await parseMessage(raw.subarray(0, bodyAt));
  // The charset label as the WHATWG decoder reads it, like postal-mime: us-ascii and latin1 are windows-1252.
  const decoder = new TextDecoder(charset);
  // As postal-mime gives it: line ends as "\n".
  msg.text = decoder.decode(raw.subarray(bodyAt)).replace(crlfRe, '\n');
  return msg;
}

/**
 * Messages that need MIME decoding are cut to this size (at a line end), once their binary parts
 * are emptied (mime-parts.ts): postal-mime holds a message several times over while it decodes
 * it, and a 31 MB message with a base64 attachment peaked at 273 MB RSS (700 MB with two such
 * messages in two --jobs workers). What is cut is text beyond 8 MiB (a huge text attachment).
 */
export const MAX_MIME_BYTES = 8 * 1024 * 1024;

/**
 * A message postal-mime gave up on, read as plain text: its header fields as written (encoded
 * words not decoded), and everything after the header block as the text, MIME boundaries and part
 * headers included. postal-mime throws on some malformed MIME (a part whose header block runs past
 * 2 MiB: a fuzzed part of one long quoted line), and a splat in such a message must still be found.
 */
function undecodedMessage(raw: Buffer, reason: string): MailMessage {
  const { head, bodyAt } = headerBlock(raw) ?? { head: '', bodyAt: 0 };
  const msg: MailMessage = { text: raw.subarray(bodyAt).toString('utf8').replace(crlfRe, '\n'), undecoded: reason };
  const messageId = headerValue(head, 'message-id')?.trim();
  if (messageId) msg.messageId = messageId.replace(angleBracketsRe, '');
  const subject = headerValue(head, 'subject')?.trim();
  if (subject) msg.subject = subject;
  const date = headerValue(head, 'date')?.trim();
  if (date) msg.date = isoDate(date);
  const from = headerValue(head, 'from')?.trim();
  if (from) msg.from = from;
  return msg;
}

export async function parseMessage(raw: Buffer): Promise<MailMessage> {
  if (raw.length >= DIRECT_MIN_BYTES) {
    const plain = await parseLargePlain(raw);
    if (plain) return plain;
  }
  // Binary attachments are never read: postal-mime need not decode them (mime-parts.ts). The size
  // limit applies to what is left, so a text attachment after a large binary one is still read.
  raw = dropBinaryParts(raw);
  if (raw.length > MAX_MIME_BYTES) {
    const nl = raw.lastIndexOf(10, MAX_MIME_BYTES - 1);
    const msg = await parseMessage(raw.subarray(0, nl > 0 ? nl + 1 : MAX_MIME_BYTES));
    msg.cut = true;
    return msg;
  }
  // Loaded on the first message, so analysing a plain log does not pay for it.
  const { default: PostalMime } = await import('postal-mime');
  let email;
  try {
    email = await PostalMime.parse(dropUnusedHeaders(raw), { attachmentEncoding: 'arraybuffer' });
  } catch (e) {
    return undecodedMessage(raw, e instanceof Error ? e.message : String(e));
  }
  const parts: string[] = [];
  if (email.text) parts.push(email.text);
  else if (email.html) parts.push(htmlToText(email.html));
  for (const a of email.attachments) {
    if (textAttachmentRe.test(a.mimeType) && a.content !== undefined) parts.push(decodeAttachment(a.content as ArrayBuffer));
  }
  const msg: MailMessage = { text: parts.join('\n\n') };
  if (email.messageId) msg.messageId = email.messageId.replace(angleBracketsRe, '');
  if (email.subject) msg.subject = email.subject;
  if (email.date) msg.date = isoDate(email.date);
  if (email.from?.address) msg.from = email.from.name ? `${email.from.name} <${email.from.address}>` : email.from.address;
  return msg;
}
