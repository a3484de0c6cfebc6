// `git log` output (--format=fuller, medium, with or without -p/--stat/--name-only)
// -> one commit at a time -> KB entries. The diff is read as it streams by.
import type { KbEntry } from '../model/kb.js';
import { DiffReader } from './diff.js';
import { extractEntry, looksLikeFix } from './extract.js';

/** Lines of a commit message kept; a longer message is cut (memory stays bounded). */
const MAX_MESSAGE_LINES = 5000;

// "commit 5cf1b3a0c08a23d321f4827a8044ff372740c3eb (tag: v6.8-rc3, origin/master)" (log-tree.c).
export const commitLineRe = /^commit ([0-9a-f]{40})(?: \(from [0-9a-f]{40}\))?(?: \((.*)\))?\s*$/;
// "Author:     Name <mail>", "AuthorDate: Thu Nov 26 21:57:14 2026 +0000", "Date:   ..." (medium).
const headerRe = /^(Author|AuthorDate|Date|Commit|CommitDate|Merge):\s+(\S(?:.*\S)?)\s*$/;
// --stat (" fs/ext4/xattr.c | 4 ++--"), --name-only ("fs/ext4/xattr.c"), --name-status ("M\tfs/ext4/xattr.c").
const statRe = /^ (\S+)\s+\|\s+(?:\d+|Bin)/;
const nameRe = /^(?:[ACDMRTUX]\d*\t(?:\S+\t)?)?([\w.+-]+(?:\/[\w.+-]+)+|[\w+-]+\.[A-Za-z]{1,4})$/;

// "Thu Nov 26 21:57:14 2026 +0000" (git's default date format) -> a form Date reads.
const gitDateRe = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d+) (\d\d:\d\d:\d\d) (\d{4}) ([+-]\d{4})$/;
const releaseTagRe = /^tag: v(\d+\.\d+(?:-rc\d+)?)$/;

/** Every regex applied to git log lines (for the ReDoS audit). */
export const gitLogRegexes: readonly RegExp[] = [commitLineRe, headerRe, statRe, nameRe, gitDateRe, releaseTagRe];

export interface GitCommit {
  commit: string;
  /** Ref names printed after the id (--decorate). */
  decorations: string[];
  author?: string;
  date?: string;
  /** True for a merge commit ("Merge:" header): not a patch. */
  merge: boolean;
  message: string[];
  diff: DiffReader;
  /** 1-based line of the "commit" line in the input. */
  lineNo: number;
}

/** Decorations name a release tag of this very commit: "tag: v6.8-rc3" -> "6.8-rc3". */
export function taggedRelease(decorations: readonly string[]): string | undefined {
  for (const d of decorations) {
    const m = releaseTagRe.exec(d.trim());
    if (m) return m[1];
  }
  return undefined;
}

function isoDate(raw: string): string {
  const d = new Date(raw.replace(gitDateRe, '$1 $2 $4 $3 $5'));
  return Number.isNaN(d.getTime()) ? raw : d.toISOString();
}

/** Splits git log lines into commits; state is one commit. */
export class GitLogReader {
  private cur: GitCommit | undefined;
  private inMessage = false;
  private seenDiff = false;

  /** Feeds one line; returns the commit it completes, if any. */
  push(line: string, lineNo: number): GitCommit | undefined {
    const m = commitLineRe.exec(line);
    if (m) {
      const done = this.cur;
      this.cur = { commit: m[1]!, decorations: m[2] ? m[2].split(', ') : [], merge: false, message: [], diff: new DiffReader(), lineNo };
      this.inMessage = false;
      this.seenDiff = false;
      return done;
    }
    const c = this.cur;
    if (!c) return undefined;
    if (!this.inMessage && c.message.length === 0 && !this.seenDiff) {
      const h = headerRe.exec(line);
      if (h) {
        if (h[1] === 'Author') c.author = h[2]!;
        else if (h[1] === 'AuthorDate' || h[1] === 'Date') c.date = isoDate(h[2]!);
        else if (h[1] === 'Merge') c.merge = true;
        return undefined;
      }
      if (line === '') {
        this.inMessage = true;
        return undefined;
      }
    }
    if (this.inMessage && (line.startsWith('    ') || line === '')) {
      if (c.message.length < MAX_MESSAGE_LINES) c.message.push(line.slice(4));
      return undefined;
    }
    this.inMessage = false;
    this.seenDiff = true;
    c.diff.push(line);
    if (!line.startsWith('diff ') && !c.diff.facts.hasDiff) {
      const f = statRe.exec(line)?.[1] ?? nameRe.exec(line)?.[1];
      if (f) c.diff.push(`+++ b/${f}`);
    }
    return undefined;
  }

  /** Ends the input: the last commit. */
  end(): GitCommit | undefined {
    const done = this.cur;
    this.cur = undefined;
    return done;
  }
}

export interface CommitEntryOptions {
  allPatches?: boolean;
  /** First release of commits, by full id or a 12-character prefix ("--releases"). */
  releases?: ReadonlyMap<string, string>;
}

/** The KB entry of a commit, or undefined for a merge or a commit that does not look like a fix. */
export function entryFromCommit(c: GitCommit, opts: CommitEntryOptions = {}): KbEntry | undefined {
  if (c.merge) return undefined;
  while (c.message.length > 0 && c.message[c.message.length - 1] === '') c.message.pop();
  const subject = c.message[0] ?? '';
  const release = taggedRelease(c.decorations) ?? opts.releases?.get(c.commit) ?? opts.releases?.get(c.commit.slice(0, 12));
  const e = extractEntry({
    origin: 'git-log',
    key: `commit:${c.commit}`,
    subject,
    commit: c.commit,
    commitSource: 'git-log',
    message: c.message.slice(1),
    diff: c.diff,
    ...(c.author ? { author: c.author } : {}),
    ...(c.date ? { date: c.date } : {}),
    ...(release ? { release } : {}),
  });
  if (subject === '' || (!opts.allPatches && !looksLikeFix(e))) return undefined;
  return e;
}
