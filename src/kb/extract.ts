// One patch (a mail's body or a git log commit, already decoded) -> a KB entry:
// subject, ids, tags, quoted splats, and what the diff touches.
import type { KbEntry } from '../model/kb.js';
import { DiffReader } from './diff.js';
import { readMentions } from './mentions.js';
import { quotedSplats } from './splats.js';
import { cleanSubject } from './subject.js';
import { readTags, type MessageTags } from './tags.js';

export interface PatchText {
  origin: KbEntry['origin'];
  key: string;
  subject: string;
  messageId?: string;
  author?: string;
  date?: string;
  commit?: string;
  commitSource?: KbEntry['commitSource'];
  release?: string;
  /** The commit message (for mail: the body before the diff). */
  message: readonly string[];
  /** The diff lines (an already read diff may be given as facts instead). */
  diff: readonly string[] | DiffReader;
}

// Where a patch's diff starts in a mail body: git's "---" separator, or the diff itself.
const diffStartRe = /^(?:---\s*$|diff --git |Index: \S|--- a\/|@@ -\d)/;

/** Splits a mail body into the commit message and the rest (diffstat and diff). */
export function splitPatchBody(lines: readonly string[]): { message: string[]; diff: string[] } {
  const i = lines.findIndex((l) => diffStartRe.test(l));
  if (i < 0) return { message: [...lines], diff: [] };
  return { message: lines.slice(0, i), diff: lines.slice(i) };
}

// Subjects of fixes: the words kernel developers use for them (checked when a patch has no tag that says so).
const fixWordRe = /\b(?:fix(?:es|ed|ing)?|avoid|prevent|correct|handle|check|revert|silence|initiali[sz]e|missing|leak|race|overflow|underflow|out-of-bounds|oob|uaf|use-after-free|null|deadlock|warn(?:ing)?|bug|crash|panic|oops|hang|lockup|stall|invalid|uninit(?:ialized)?|don't|do not|must not|never)\b/i;

/** A fix: it says what it fixes (Fixes:, Reported-by, a quoted splat) or its subject reads like one. */
export function looksLikeFix(e: KbEntry): boolean {
  return e.fixes.length > 0 || e.syzbot.length > 0 || e.syzbotIds.length > 0 || e.reportedBy.length > 0 || e.splats.length > 0 || fixWordRe.test(e.subject);
}

function commitOf(p: PatchText, tags: MessageTags): Pick<KbEntry, 'commit' | 'commitSource'> {
  if (p.commit) return p.commitSource ? { commit: p.commit, commitSource: p.commitSource } : { commit: p.commit };
  if (tags.commitId) return { commit: tags.commitId, commitSource: 'commit-id' };
  if (tags.upstreamCommit) return { commit: tags.upstreamCommit, commitSource: 'upstream-line' };
  return {};
}

/** The KB entry of one patch. */
export function extractEntry(p: PatchText): KbEntry {
  const tags = readTags(p.message);
  let diff = p.diff;
  if (!(diff instanceof DiffReader)) {
    const r = new DiffReader();
    for (const l of diff) r.push(l);
    diff = r;
  }
  const subject = cleanSubject(p.subject);
  const e: KbEntry = {
    kind: 'patch',
    key: p.key,
    origin: p.origin,
    subject,
    ...commitOf(p, tags),
    hasDiff: diff.facts.hasDiff,
    fixes: tags.fixes,
    syzbot: tags.syzbot,
    syzbotIds: tags.syzbotIds,
    reportedBy: tags.reportedBy,
    links: tags.links,
    splats: quotedSplats(p.message.join('\n'), p.key),
    files: diff.facts.files,
    functions: diff.facts.functions,
    mentions: readMentions([subject, ...p.message]),
  };
  if (p.messageId) e.messageId = p.messageId;
  else if (tags.patchLink) e.messageId = tags.patchLink;
  if (p.release) e.release = p.release;
  if (p.author) e.author = p.author;
  if (p.date) e.date = p.date;
  return e;
}
