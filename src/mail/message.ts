// A raw RFC 5322 message -> the fields ktriage reports and the decoded text.
// MIME (multipart, quoted-printable, base64, charsets, format=flowed) is
// decoded by postal-mime; text attachments (attached dmesg logs) are kept.
import { htmlToText } from './html-text.js';

export interface MailMessage {
  messageId?: string;
  subject?: string;
  /** Date header as ISO-8601. */
  date?: string;
  from?: string;
  /** The text/plain body, then every text attachment, separated by a blank line. */
  text: string;
}

/** Attachment types whose content is text a kernel log can be in. */
const textAttachmentRe = /^text\/|^application\/(?:x-)?(?:log|patch|diff)$/i;

// "<id@host>" -> "id@host".
const angleBracketsRe = /^<|>$/g;

/** Regexes this module applies to message fields (the ReDoS audit runs them on adversarial input). */
export const messageRegexes: readonly RegExp[] = [textAttachmentRe, angleBracketsRe];

function decodeAttachment(content: ArrayBuffer | string | Uint8Array): string {
  if (typeof content === 'string') return content;
  return Buffer.from(content instanceof Uint8Array ? content : new Uint8Array(content)).toString('utf8');
}

export async function parseMessage(raw: Buffer): Promise<MailMessage> {
  // Loaded on the first message, so analysing a plain log does not pay for it.
  const { default: PostalMime } = await import('postal-mime');
  const email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
  const parts: string[] = [];
  if (email.text) parts.push(email.text);
  else if (email.html) parts.push(htmlToText(email.html));
  for (const a of email.attachments) {
    if (textAttachmentRe.test(a.mimeType) && a.content !== undefined) parts.push(decodeAttachment(a.content as ArrayBuffer));
  }
  const msg: MailMessage = { text: parts.join('\n\n') };
  if (email.messageId) msg.messageId = email.messageId.replace(angleBracketsRe, '');
  if (email.subject) msg.subject = email.subject;
  if (email.date) {
    const d = new Date(email.date);
    msg.date = Number.isNaN(d.getTime()) ? email.date : d.toISOString();
  }
  if (email.from?.address) msg.from = email.from.name ? `${email.from.name} <${email.from.address}>` : email.from.address;
  return msg;
}
