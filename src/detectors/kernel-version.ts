// Kernel release strings (uname -r, as printed in "CPU: ... Comm: ... <release> #N")
// and where they sit on the mainline timeline relative to a bug's commits.
import type { Backport, CommitRef, FixRef, References, Verdict } from '../model/finding.js';

export type Build =
  /** A tagged mainline release or -rc: "5.10.0", "5.10.0-rc6". */
  | 'release'
  /** A stable release "5.9.12" (mainline 5.9 plus backports). */
  | 'stable'
  /** A build from a git tree past the tag: "3.15.0+", "-rc5+", "-00220-gffb4d94b4314", syzbot's "-syzkaller-". */
  | 'development'
  /** linux-next ("-next-20201124") or Andrew Morton's trees ("-mm1", mmotm). */
  | 'next'
  /** A distribution or vendor kernel ("6.1.0-18-amd64", "4.18.0-305.el8.x86_64"): backports unknowable. */
  | 'distribution';

export interface KernelVersion {
  raw: string;
  major: number;
  minor: number;
  patch: number;
  /** -rcN, when the release is a release candidate. */
  rc?: number;
  build: Build;
}

// Suffixes of mainline, linux-next, -mm and git-describe builds (scripts/setlocalversion).
const devSuffixRe = /^(?:-rc(\d+))?((?:-syzkaller)?(?:-next-\d{8})?(?:-mm\d*|-mmotm)?(?:-\d+-g[0-9a-f]{7,40})?(?:-dirty)?\+?)$/;

// "6.1.0-18-amd64" -> 6, 1, 0, "-18-amd64".
const releaseRe = /^(\d+)\.(\d+)(?:\.(\d+))?(.*)$/;
const nextOrMmRe = /-next-|-mm/;

export function parseKernelVersion(raw: string): KernelVersion | undefined {
  const m = releaseRe.exec(raw.trim());
  if (!m) return undefined;
  const v: KernelVersion = { raw, major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), build: 'release' };
  const rest = m[4] ?? '';
  const d = devSuffixRe.exec(rest);
  if (!d) {
    v.build = 'distribution';
    return v;
  }
  if (d[1] !== undefined) v.rc = Number(d[1]);
  const tail = d[2] ?? '';
  if (nextOrMmRe.test(tail)) v.build = 'next';
  else if (tail !== '') v.build = 'development';
  else if (v.patch > 0 && v.rc === undefined) v.build = 'stable';
  return v;
}

/**
 * Position on the mainline timeline, in "half -rc" steps: X.Y-rcN is 2N, a build past
 * -rcN is 2N+1, X.Y final is 1000, a build past X.Y (the X.Y+1 merge window) is 2001
 * in X.Y and becomes X.(Y+1) step 1 ("before rc1").
 */
function position(major: number, minor: number, step: number): number {
  return major * 1_000_000 + minor * 10_000 + step;
}

const FINAL = 1000;

/** Where a build sits; builds in a merge window count as the next release's step 1. */
function buildPosition(v: KernelVersion): number {
  const past = v.build === 'development' || v.build === 'next';
  if (v.rc !== undefined) return position(v.major, v.minor, 2 * v.rc + (past ? 1 : 0));
  if (past) return position(v.major, v.minor + 1, 1);
  return position(v.major, v.minor, FINAL);
}

interface CommitPos {
  /** First position known to contain the commit. */
  sure: number;
  /** Last position known not to contain it. */
  before: number;
}

/**
 * A commit first in "5.10-rc6" is in from -rc6 on; builds before that tag, "-rc5+" development
 * builds included, count as without it (they are inside the window the release history gives).
 * Without -rc only the final release is sure, unless `absentUntil` names the last tag known to
 * lack it. Commits first in -rc1 were merged in the merge window: builds there may have them.
 */
// Releases in a bug's references: "5.10-rc6", and the -rc suffix alone.
const refReleaseRe = /^(\d+)\.(\d+)(?:-rc(\d+))?$/;
const refRcRe = /^(\d+)\.(\d+)-rc(\d+)$/;
const rcSuffixRe = /-rc\d+$/;

function commitPosition(ref: CommitRef): CommitPos {
  const m = refReleaseRe.exec(ref.release);
  if (!m) throw new Error(`not a mainline release: ${ref.release}`);
  const [major, minor] = [Number(m[1]), Number(m[2])];
  let before = position(major, minor, 0);
  let sure = position(major, minor, FINAL);
  if (m[3] !== undefined) {
    const rc = Number(m[3]);
    sure = position(major, minor, 2 * rc);
    if (rc > 1) before = position(major, minor, 2 * rc - 1);
  }
  const a = ref.absentUntil ? refRcRe.exec(ref.absentUntil) : null;
  if (a) before = Math.max(before, position(Number(a[1]), Number(a[2]), 2 * Number(a[3])));
  return { sure, before };
}

function seriesBackport(backports: readonly Backport[], v: KernelVersion): Backport | undefined {
  return backports.find((b) => {
    const p = b.release.split('.').map(Number);
    return p[0] === v.major && p[1] === v.minor;
  });
}

export interface VersionVerdict {
  verdict: Verdict;
  reason: string;
}

function tag(r: string): string {
  return `v${r}`;
}

/** Is the fix in this kernel? true / false / undefined (cannot tell). */
function hasCommit(v: KernelVersion, ref: CommitRef, backports: readonly Backport[]): { has: boolean | undefined; why: string } {
  const pos = buildPosition(v);
  const cp = commitPosition(ref);
  if (v.build === 'stable') {
    const series = position(v.major, v.minor, FINAL);
    if (series >= cp.sure) return { has: true, why: `${v.major}.${v.minor} already contains ${ref.commit.slice(0, 12)} (${tag(ref.release)})` };
    const bp = seriesBackport(backports, v);
    if (bp) {
      const z = Number(bp.release.split('.')[2]);
      return v.patch >= z
        ? { has: true, why: `the ${v.major}.${v.minor}.y backport is in ${bp.release}${bp.commit ? ` (${bp.commit.slice(0, 12)})` : ''}` }
        : { has: false, why: `the ${v.major}.${v.minor}.y backport came in ${bp.release}` };
    }
    return { has: false, why: `no ${v.major}.${v.minor}.y backport of ${ref.commit.slice(0, 12)} is known` };
  }
  if (pos >= cp.sure) return { has: true, why: `${ref.commit.slice(0, 12)} is in ${tag(ref.release)}` };
  if (pos <= cp.before) return { has: false, why: `${ref.commit.slice(0, 12)} was first released in ${tag(ref.release)}` };
  return { has: undefined, why: `${ref.commit.slice(0, 12)} landed in the ${ref.release.replace(rcSuffixRe, '')} cycle; which build first had it is not recorded` };
}

/**
 * The verdict for a kernel version against a bug's references: affected when the
 * introducing commit is in and no fix is, fixed when a fix (or its stable backport)
 * is in, not-affected when the bug predates the kernel, unknown otherwise.
 */
export function verdictFor(versionRaw: string | undefined, refs: References, evidence: 'splat' | 'mention' = 'splat'): VersionVerdict {
  if (refs.fixes.length === 0) return { verdict: 'unknown', reason: 'no fix is recorded for this bug' };
  if (!versionRaw) return { verdict: 'unknown', reason: 'no kernel version in the log' };
  const v = parseKernelVersion(versionRaw);
  if (!v) return { verdict: 'unknown', reason: `cannot read the kernel version "${versionRaw}"` };
  if (v.build === 'distribution') {
    return { verdict: 'unknown', reason: `${versionRaw} is a distribution or vendor kernel: its backports cannot be known from the version` };
  }
  const fix = refs.fixes[0] as FixRef | undefined;
  if (!fix) return { verdict: 'unknown', reason: 'no fix is recorded for this bug' };
  const fixed = hasCommit(v, fix, fix.backports);
  if (fixed.has === true) return { verdict: 'fixed', reason: fixed.why };
  if (refs.introduced) {
    const intro = hasCommit(v, refs.introduced, refs.introduced.backports);
    if (intro.has === false) return { verdict: 'not-affected', reason: `predates the bug: ${intro.why}` };
    // A splat showing the bug is itself evidence that the introducing commit is in.
    if (intro.has === undefined && evidence === 'mention') return { verdict: 'unknown', reason: intro.why };
  }
  if (fixed.has === undefined) return { verdict: 'unknown', reason: fixed.why };
  const mergeWindow = v.rc === undefined && (v.build === 'development' || v.build === 'next');
  const note = mergeWindow ? ` (a merge-window build: ${versionRaw} is past v${v.major}.${v.minor})` : '';
  return { verdict: 'affected', reason: `${fixed.why}${note}` };
}

/** Regexes of this module (releases from the input and from bug references), for the ReDoS audit. */
export const kernelVersionRegexes: readonly RegExp[] = [devSuffixRe, releaseRe, nextOrMmRe, refReleaseRe, refRcRe, rcSuffixRe];
