// One decoded mail message -> KB entries: a patch (a [PATCH] email, a tip-bot
// notice, a patch inlined in a reply), "#syz fix:" commands, and b4 "Applied"
// replies that give the commit of a patch.
import type { MailMessage } from '../mail/message.js';
import type { KbEntry } from '../model/kb.js';
import { extractEntry, looksLikeFix, splitPatchBody } from './extract.js';
import { cleanSubject } from './subject.js';
import { appliedCommits, isQuoted, readTags, syzbotRecipients } from './tags.js';

export interface MailEntryOptions {
  /** Keep every patch, not only those that look like fixes. */
  allPatches?: boolean;
}

// An inline patch in a reply names its title: "[PATCH] ext4: fix x" or "Subject: [PATCH v2] ext4: fix x".
const inlineTitleRe = /^(?:Subject:\s*)?\[(?:PATCH|RFC)[^\]]*\]\s+(\S(?:.*\S)?)\s*$/;
// tip-bot notices carry the real author in the body.
const bodyAuthorRe = /^Author:\s+(\S(?:.*\S)?)\s*$/;
// The syzbot placeholder title in its own instructions.
const placeholderRe = /^exact-commit-title$/;
const replyRe = /^\s*(?:re|aw)\s*:/i;
// A folded header's next line starts with blanks; mail clients may write one as U+00A0.
const continuationRe = /^[ \t\u00a0]+\S/;
const foldRe = /\r?\n[ \t]+/g;
const syzbotAnywhereRe = /syzbot\+([0-9a-f]{20})@/g;
// "#syz test: <tree>": a patch sent for syzbot to try, not a fix.
const syzTestRe = /^#syz\s+test\b/;

/** Every regex applied to message text (for the ReDoS audit). */
export const fromMailRegexes: readonly RegExp[] = [inlineTitleRe, bodyAuthorRe, placeholderRe, replyRe, continuationRe, foldRe, syzbotAnywhereRe, syzTestRe];

/** The raw header block of a message (up to the first empty line), for recipients. */
export function rawHeaders(raw: Buffer): string {
  const lf = raw.indexOf('\n\n');
  const crlf = raw.indexOf('\r\n\r\n');
  const end = [lf, crlf].filter((i) => i >= 0).sort((a, b) => a - b)[0] ?? Math.min(raw.length, 65536);
  return raw.subarray(0, end).toString('latin1').replace(foldRe, ' ');
}

function baseFact(kind: KbEntry['kind'], key: string, subject: string, msg: MailMessage): KbEntry {
  const e: KbEntry = { kind, key, origin: 'mail', subject: cleanSubject(subject), hasDiff: false, fixes: [], syzbot: [], syzbotIds: [], reportedBy: [], links: [], splats: [], files: [], functions: [], mentions: [] };
  if (msg.messageId) e.messageId = msg.messageId;
  if (msg.from) e.author = msg.from;
  if (msg.date) e.date = msg.date;
  return e;
}

/** The patch of a message, if it carries one (a diff, or a tip-bot Commit-ID). */
function patchEntry(msg: MailMessage, lines: readonly string[], key: string, opts: MailEntryOptions): KbEntry | undefined {
  const { message, diff } = splitPatchBody(lines);
  let subject = msg.subject ?? '';
  let body = message;
  if (replyRe.test(subject)) {
    // A reply carries a patch of its own only with an unquoted title line.
    const at = message.findIndex((l) => !isQuoted(l) && inlineTitleRe.test(l));
    if (at < 0) return undefined;
    subject = inlineTitleRe.exec(message[at]!)![1]!;
    let next = at + 1;
    // An in-body "Subject:" header folds like a real one: continuation lines start with blanks.
    if (/^Subject:/.test(message[at]!)) for (; next < message.length && continuationRe.test(message[next]!); next++) subject += ` ${message[next]!.trim()}`;
    body = message.slice(next);
  }
  const author = body.slice(0, 8).map((l) => bodyAuthorRe.exec(l)?.[1]).find((a) => a !== undefined) ?? msg.from;
  const e = extractEntry({ origin: 'mail', key, subject, message: body, diff, ...(msg.messageId ? { messageId: msg.messageId } : {}), ...(author ? { author } : {}), ...(msg.date ? { date: msg.date } : {}) });
  if (!e.hasDiff && e.commitSource !== 'commit-id') return undefined;
  if (body.some((l) => syzTestRe.test(l))) return undefined;
  return opts.allPatches || looksLikeFix(e) ? e : undefined;
}

/** Every KB entry a message yields (most messages yield none). */
export function entriesFromMail(msg: MailMessage, headers: string, key: string, opts: MailEntryOptions = {}): KbEntry[] {
  const lines = msg.text.split(/\r?\n/);
  const out: KbEntry[] = [];
  const patch = patchEntry(msg, lines, key, opts);
  if (patch) out.push(patch);
  const unquoted = lines.filter((l) => !isQuoted(l));
  const tags = readTags(unquoted);
  const fixTitles = tags.syzFix.filter((t) => !placeholderRe.test(t));
  if (fixTitles.length > 0) {
    // The bug is the one the reply was sent to; else the one its text names.
    let hashes = syzbotRecipients(headers);
    if (hashes.length === 0) hashes = [...new Set([...msg.text.matchAll(syzbotAnywhereRe)].map((m) => m[1]!))];
    fixTitles.forEach((t, i) => {
      const e = baseFact('syz-fix', `${key}#syz-fix${i > 0 ? `-${i + 1}` : ''}`, t, msg);
      e.syzbot = hashes;
      out.push(e);
    });
  }
  appliedCommits(unquoted).forEach((a, i) => {
    const e = baseFact('applied', `${key}#applied-${i + 1}`, a.subject, msg);
    e.commit = a.commit;
    e.commitSource = 'applied-reply';
    out.push(e);
  });
  return out;
}
