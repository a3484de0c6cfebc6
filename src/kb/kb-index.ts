// The KB in memory: entries grouped into fixes (all versions and notices of one
// patch share its subject), with postings from what a report can show (syzbot
// hash, Message-ID, title, function, file) to the fixes that mention it.
import type { KbEntry } from '../model/kb.js';
import { subjectKey } from './subject.js';

/** One fix: every entry with the same subject key. */
export interface KbFix {
  key: string;
  subject: string;
  entries: KbEntry[];
  messageId?: string;
  commit?: string;
  release?: string;
  /** Earliest and latest date of its entries (ISO-8601), when known. */
  firstDate?: string;
  lastDate?: string;
}

/** How a fix knows a function. */
export interface FunctionRoles {
  /** Guilty function of a splat quoted in the fix. */
  guilty: boolean;
  /** Best (lowest) position among the frames of its quoted splats; Infinity when none. */
  frame: number;
  /** Touched by its diff. */
  touched: boolean;
  /** Named in its subject or commit message. */
  mentioned: boolean;
}

const commitRank: Record<NonNullable<KbEntry['commitSource']>, number> = { 'git-log': 0, 'commit-id': 1, 'upstream-line': 2, 'applied-reply': 3 };

function add<K, V>(map: Map<K, Set<V>>, k: K, v: V): void {
  let s = map.get(k);
  if (!s) map.set(k, (s = new Set()));
  s.add(v);
}

/** The entry that names the fix best: a patch with a diff, then the latest. */
function better(a: KbEntry, b: KbEntry): boolean {
  if (a.hasDiff !== b.hasDiff) return a.hasDiff;
  if ((a.kind === 'patch') !== (b.kind === 'patch')) return a.kind === 'patch';
  return (a.date ?? '') > (b.date ?? '');
}

export class KbIndex {
  readonly fixes: KbFix[] = [];
  readonly byHash = new Map<string, Set<number>>();
  readonly byMessageId = new Map<string, Set<number>>();
  readonly byTitle = new Map<string, Set<number>>();
  readonly byFunction = new Map<string, Map<number, FunctionRoles>>();
  readonly byFile = new Map<string, Set<number>>();

  constructor(entries: Iterable<KbEntry>) {
    const byKey = new Map<string, number>();
    for (const e of entries) {
      const key = subjectKey(e.subject);
      if (key === '') continue;
      let i = byKey.get(key);
      if (i === undefined) {
        i = this.fixes.length;
        byKey.set(key, i);
        this.fixes.push({ key, subject: e.subject, entries: [] });
      }
      this.addEntry(i, e);
    }
    for (const f of this.fixes) this.finish(f);
  }

  get size(): number {
    return this.fixes.length;
  }

  private roles(fn: string, i: number): FunctionRoles {
    let m = this.byFunction.get(fn);
    if (!m) this.byFunction.set(fn, (m = new Map()));
    let r = m.get(i);
    if (!r) m.set(i, (r = { guilty: false, frame: Infinity, touched: false, mentioned: false }));
    return r;
  }

  private addEntry(i: number, e: KbEntry): void {
    this.fixes[i]!.entries.push(e);
    for (const h of e.syzbot) add(this.byHash, h, i);
    for (const h of e.syzbotIds) add(this.byHash, h, i);
    for (const id of e.links) add(this.byMessageId, id, i);
    for (const s of e.splats) {
      if (!s.corrupted) add(this.byTitle, s.title, i);
      if (s.guiltyFunction) this.roles(s.guiltyFunction, i).guilty = true;
      s.frames.forEach((fn, pos) => {
        const r = this.roles(fn, i);
        r.frame = Math.min(r.frame, pos);
      });
    }
    for (const fn of e.functions) this.roles(fn, i).touched = true;
    for (const fn of e.mentions) this.roles(fn, i).mentioned = true;
    for (const f of e.files) add(this.byFile, f, i);
  }

  private finish(f: KbFix): void {
    let best = f.entries[0]!;
    for (const e of f.entries) if (better(e, best)) best = e;
    f.subject = best.subject;
    const withId = [best, ...f.entries].find((e) => e.messageId !== undefined && e.kind === 'patch') ?? f.entries.find((e) => e.messageId !== undefined);
    if (withId?.messageId) f.messageId = withId.messageId;
    const withCommit = f.entries.filter((e) => e.commit).sort((a, b) => commitRank[a.commitSource ?? 'applied-reply'] - commitRank[b.commitSource ?? 'applied-reply'])[0];
    if (withCommit?.commit) f.commit = withCommit.commit;
    const rel = f.entries.find((e) => e.release && (!f.commit || !e.commit || f.commit.startsWith(e.commit.slice(0, 12)) || e.commit.startsWith(f.commit.slice(0, 12))));
    if (rel?.release) f.release = rel.release;
    for (const e of f.entries) {
      if (!e.date || !/^\d{4}-/.test(e.date)) continue;
      if (!f.firstDate || e.date < f.firstDate) f.firstDate = e.date;
      if (!f.lastDate || e.date > f.lastDate) f.lastDate = e.date;
    }
  }

  /** How specific a function is: 1 for one fix, smaller the more fixes know it (inverse document frequency). */
  functionWeight(fn: string): number {
    return this.weight(this.byFunction.get(fn)?.size ?? 0);
  }

  fileWeight(file: string): number {
    return this.weight(this.byFile.get(file)?.size ?? 0);
  }

  private weight(df: number): number {
    const n = this.fixes.length;
    if (df === 0 || n <= 1) return 1;
    return Math.min(1, Math.log((n + 1) / df) / Math.log(n + 1) + 0.15);
  }
}
