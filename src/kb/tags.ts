// Trailer tags and references in a commit message: Fixes:, Reported-by:,
// Closes:/Link: (syzbot hashes, lore Message-IDs), the commit id lines of tip-bot
// notices and stable backports, and the "#syz" commands of replies.

export interface FixesTag {
  commit: string;
  subject?: string;
}

export interface MessageTags {
  fixes: FixesTag[];
  /** syzbot extids (20 hex digits). */
  syzbot: string[];
  /** syzbot dashboard bug ids (40 hex digits, "bug?id="). */
  syzbotIds: string[];
  /** Reported-by values that are not syzbot. */
  reportedBy: string[];
  /** Message-IDs of lore links in Closes:/Link: tags. */
  links: string[];
  /** The Message-ID of the patch itself, from a Link: tag (patch.msgid.link preferred). */
  patchLink?: string;
  /** "Commit-ID: <sha>" (tip-bot notices). */
  commitId?: string;
  /** "commit <sha> upstream" / "[ Upstream commit <sha> ]" (stable backports). */
  upstreamCommit?: string;
  /** "#syz test" submissions are experiments, not fixes. */
  syzTest: boolean;
  /** Titles named by "#syz fix: <title>" commands. */
  syzFix: string[];
}

// "Reported-by: syzbot+0123456789abcdef0123@syzkaller.appspotmail.com" (syzbot's own tag text).
const syzbotAddressRe = /syzbot\+([0-9a-f]{20})@/g;
// "https://syzkaller.appspot.com/bug?extid=<20 hex>" and "...bug?id=<40 hex>" dashboard links.
const extidRe = /syzkaller\.appspot\.com\/bug\?(?:[\w=&]*&)?extid=([0-9a-f]{20})\b/g;
const bugIdRe = /syzkaller\.appspot\.com\/bug\?(?:[\w=&]*&)?id=([0-9a-f]{40})\b/g;
// Trailer lines: "Fixes: ...", "Reported-by: ...", "Closes: ...", "Link: ...".
const trailerRe = /^\s*([A-Za-z][A-Za-z-]*):[ \t]*(\S(?:.*\S)?)\s*$/;
// "Fixes: 0123456789ab ("subject")" (Documentation/process/submitting-patches.rst).
const fixesRe = /^([0-9a-f]{8,40})\b(?:\s*\(\s*"?(.*?)"?\s*\)\s*$)?/;
// lore / lkml / patch.msgid.link URLs end in the Message-ID.
// The "@" may be URL-encoded ("%40").
const loreRe = /https?:\/\/(?:lore\.kernel\.org|lkml\.kernel\.org|patch\.msgid\.link|msgid\.link)\/(?:[\w.-]+\/)?([^/\s<>"@%]+(?:@|%40)[^/\s<>"]+?)(?:\/[^\s<>"]*)?(?=[\s>"]|$)/g;
// tip-bot notices: "Commit-ID:     7a22e03b0c02988e91003c505b34d752a51de344".
const commitIdRe = /^Commit-ID:\s+([0-9a-f]{40})\s*$/;
// Stable backports: "commit <sha> upstream." and AUTOSEL's "[ Upstream commit <sha> ]".
const upstreamRe = /^\s*(?:\[\s*)?(?:commit\s+([0-9a-f]{40})\s+upstream\.?|upstream\s+commit\s+([0-9a-f]{40}))\s*(?:\]\s*)?$/i;
// syzbot commands, at the start of an unquoted line.
const syzTestRe = /^#syz\s+test\b/;
const syzFixRe = /^#syz\s+fix:\s*(\S(?:.*\S)?)\s*$/;

// b4 ty: "[1/2] ext4: fix x", then "      commit: <sha>" or a cgit link ending in the id.
const appliedTitleRe = /^\[\d+\/\d+\]\s+(\S(?:.*\S)?)\s*$/;
const appliedCommitRe = /^\s+(?:commit:\s+|https?:\/\/[^\s?]*(?:\/c\/|\?(?:\S*&)?id=))([0-9a-f]{12,40})\b/;
/** Trailer values longer than this are prose that merely starts like a tag. */
const MAX_TRAILER = 1000;

/** Every regex applied to message text (for the ReDoS audit). */
export const tagRegexes: readonly RegExp[] = [syzbotAddressRe, extidRe, bugIdRe, trailerRe, fixesRe, loreRe, commitIdRe, upstreamRe, syzTestRe, syzFixRe, appliedTitleRe, appliedCommitRe];

/** True for a line quoted from another mail ("> ..."). */
export function isQuoted(line: string): boolean {
  return /^\s*>/.test(line);
}

function addUnique(list: string[], v: string, max = 32): void {
  if (!list.includes(v) && list.length < max) list.push(v);
}

function loreIds(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(loreRe)) {
    let id = m[1]!;
    try {
      id = decodeURIComponent(id);
    } catch {
      // a stray "%" stays as written
    }
    out.push(id.replace(/^<|>$/g, ''));
  }
  return out;
}

function readTrailer(tags: MessageTags, name: string, value: string, msgidLinks: Set<string>): void {
  const key = name.toLowerCase();
  if (key === 'fixes') {
    const m = fixesRe.exec(value);
    if (m && tags.fixes.length < 16 && !tags.fixes.some((f) => f.commit === m[1])) {
      const f: FixesTag = { commit: m[1]!.toLowerCase() };
      if (m[2]) f.subject = m[2];
      tags.fixes.push(f);
    }
  } else if (key.startsWith('reported-') && !value.includes('syzbot')) {
    addUnique(tags.reportedBy, value);
  } else if (key === 'closes' || key === 'link' || key === 'bug') {
    const ids = loreIds(value);
    for (const id of ids) addUnique(tags.links, id);
    // b4 and maintainers' scripts link the patch itself; patch.msgid.link always does.
    if (key === 'link' && ids[0] && (tags.patchLink === undefined || (value.includes('patch.msgid.link') && !msgidLinks.has(tags.patchLink)))) {
      tags.patchLink = ids[0];
      if (value.includes('patch.msgid.link')) msgidLinks.add(ids[0]);
    }
  }
}

/** Reads the tags of a commit message; quoted lines ("> ...") are someone else's and are skipped. */
export function readTags(lines: readonly string[]): MessageTags {
  const tags: MessageTags = { fixes: [], syzbot: [], syzbotIds: [], reportedBy: [], links: [], syzTest: false, syzFix: [] };
  const msgidLinks = new Set<string>();
  for (const line of lines) {
    // Substring checks first: most lines are prose or code and hold none of these.
    if (isQuoted(line)) continue;
    if (line.includes('syzbot+')) for (const m of line.matchAll(syzbotAddressRe)) addUnique(tags.syzbot, m[1]!);
    if (line.includes('syzkaller.appspot')) {
      for (const m of line.matchAll(extidRe)) addUnique(tags.syzbot, m[1]!);
      for (const m of line.matchAll(bugIdRe)) addUnique(tags.syzbotIds, m[1]!);
    }
    if (line.startsWith('Commit-ID:')) tags.commitId ??= commitIdRe.exec(line)?.[1];
    if (/ommit/.test(line)) {
      const up = upstreamRe.exec(line);
      if (up) tags.upstreamCommit ??= (up[1] ?? up[2])!.toLowerCase();
    }
    if (line.startsWith('#syz')) {
      if (syzTestRe.test(line)) tags.syzTest = true;
      const fix = syzFixRe.exec(line);
      if (fix) addUnique(tags.syzFix, fix[1]!);
    }
    const t = line.length <= MAX_TRAILER && line.includes(':') ? trailerRe.exec(line) : null;
    if (t) readTrailer(tags, t[1]!, t[2]!, msgidLinks);
  }
  return tags;
}

/** syzbot hashes in mail headers (a reply sent to syzbot+HASH@ is about that bug). */
export function syzbotRecipients(headers: string): string[] {
  const out: string[] = [];
  for (const m of headers.matchAll(syzbotAddressRe)) addUnique(out, m[1]!);
  return out;
}

/** Maintainer replies made by b4 ty: "[1/2] ext4: fix x" then "      commit: <sha>". */
export function appliedCommits(lines: readonly string[]): Array<{ subject: string; commit: string }> {
  const out: Array<{ subject: string; commit: string }> = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const head = appliedTitleRe.exec(lines[i]!);
    if (!head) continue;
    const c = appliedCommitRe.exec(lines[i + 1]!);
    if (c) out.push({ subject: head[1]!, commit: c[1]! });
  }
  return out;
}
