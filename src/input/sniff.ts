// What kind of input a byte stream is, from its first bytes: an mbox, a
// single RFC 5322 message (.eml, a maildir file), or a log.

export type InputKind = 'mbox' | 'message' | 'log';

// Header fields that open a mail message ("Return-Path:", "Received:", "From:", ...).
const headerFieldRe = /^(?:Return-Path|Received|From|To|Date|Subject|Message-I[Dd]|MIME-Version|Delivered-To|X-[\w-]+|Content-Type|DKIM-Signature|ARC-[\w-]+|Authentication-Results|Reply-To|In-Reply-To|References|Sender|List-[\w-]+|Cc):[ \t]/i;

const lineBreakRe = /\r?\n/;
// mbox separator line: "From <sender> <date>".
const mboxFromRe = /^From \S+ /;
// A folded header continuation, and any "name:" header field.
const foldedRe = /^[ \t]/;
const anyFieldRe = /^[\x21-\x39\x3b-\x7e]+:/;

/** Regexes applied to the first bytes of an input (the ReDoS audit runs them on adversarial input). */
export const sniffRegexes: readonly RegExp[] = [headerFieldRe, lineBreakRe, mboxFromRe, foldedRe, anyFieldRe];

export function sniffInput(head: Buffer): InputKind {
  const text = head.subarray(0, 8192).toString('latin1');
  const lines = text.split(lineBreakRe);
  // mbox: "From <sender> <date>" then a header block.
  if (mboxFromRe.test(lines[0] ?? '') && lines.slice(1, 6).some((l) => headerFieldRe.test(l))) return 'mbox';
  // A message: header fields (with folded continuations) up to the first blank line.
  let fields = 0;
  for (const l of lines) {
    if (l === '') break;
    if (headerFieldRe.test(l)) fields++;
    else if (!foldedRe.test(l) && !anyFieldRe.test(l)) return 'log';
  }
  return fields >= 2 ? 'message' : 'log';
}
