// Finding: a detector's verdict on a report (or on a source that only
// describes a bug), with its evidence. Also the shapes detectors and user
// rule files are written in: references and the signature language.
import { z } from 'zod';
import { crashClassSchema } from './report.js';

/** A kernel release as printed by `git describe --contains`-style tags: "3.16", "5.10-rc6", "5.9.12". */
const releaseSchema = z.string().regex(/^\d+\.\d+(?:\.\d+)?(?:-rc\d+)?$/, 'a release such as "5.10", "5.10-rc6" or "5.9.12"');
const commitSchema = z.string().regex(/^[0-9a-f]{12,40}$/, 'a commit id of 12 to 40 lower-case hex digits');

/** A commit as cited in references: id, subject, and the first release that contains it. */
export const commitRefSchema = z.object({
  commit: commitSchema,
  subject: z.string().min(1),
  /** First mainline release (or -rc) containing the commit. Without "-rcN" the -rc is not known. */
  release: releaseSchema,
  /** The last -rc tag known not to contain it (e.g. the -rc the patch was posted against). */
  absentUntil: z.string().regex(/^\d+\.\d+-rc\d+$/).optional(),
});
export type CommitRef = z.infer<typeof commitRefSchema>;

/** A stable-series backport of a commit: "5.9.12" and the stable commit id when it differs. */
export const backportSchema = z.object({
  release: z.string().regex(/^\d+\.\d+\.\d+$/, 'a stable release such as "5.9.12"'),
  commit: commitSchema.optional(),
  note: z.string().optional(),
});
export type Backport = z.infer<typeof backportSchema>;

export const fixRefSchema = commitRefSchema.extend({
  backports: z.array(backportSchema).default([]),
});
export type FixRef = z.infer<typeof fixRefSchema>;

export const referencesSchema = z.object({
  /** The commits that fix the bug; the first one is the fix, later ones harden it. Empty for a known bug without a fix yet. */
  fixes: z.array(fixRefSchema).default([]),
  /** The commit that introduced the bug, with stable backports of it (a stable series that got the bug late). */
  introduced: commitRefSchema.extend({ backports: z.array(backportSchema).default([]) }).optional(),
  /** Message-IDs or URLs of the discussions. */
  discussions: z.array(z.string()).default([]),
});
export type References = z.infer<typeof referencesSchema>;

/** A regular expression given as a string in rule files; checked to compile. */
const regexSource = z.string().refine((s) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

/** What a report must look like for a detector to match (all given fields must hold). */
export const signatureSchema = z.object({
  /** Crash classes the report may have. */
  classes: z.array(crashClassSchema).optional(),
  /** Regex on the report title. */
  title: regexSource.optional(),
  /** Regex on the source location printed in the header ("fs/xfs/xfs_aops.c:971"). */
  location: regexSource.optional(),
  /** Regex on the guilty function (the header's function when the trace is missing). */
  guiltyFunction: regexSource.optional(),
  /** Regex on the dump_page() reason printed before the report ("VM_BUG_ON_PAGE(PageTail(page))"). */
  pageDumpReason: regexSource.optional(),
  /** Regexes that must match frames of the main call trace, in this order (top to bottom). */
  frames: z.array(regexSource).optional(),
  /** Regexes no frame may match. */
  forbiddenFrames: z.array(regexSource).optional(),
  /** Regex the task name (comm) must not match. */
  forbiddenComm: regexSource.optional(),
  /** How sure a full match of this signature is (default high). */
  confidence: z.enum(['high', 'medium', 'low']).optional(),
});
export type Signature = z.infer<typeof signatureSchema>;

/** Words that identify a known bug in prose that has no parsable splat (a mail describing it). */
export const mentionSchema = z.object({
  /** Every one of these must occur in the source. */
  all: z.array(regexSource).min(1),
  /** At least one of these must occur too, when given. */
  any: z.array(regexSource).optional(),
});
export type Mention = z.infer<typeof mentionSchema>;

/** A known bug as a user writes it in a rule file (YAML or JSON); built-in detectors use the same shape. */
export const ruleSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case words joined by "-"'),
  title: z.string().min(1),
  description: z.string().default(''),
  references: referencesSchema.default({ fixes: [], discussions: [] }),
  /** One or more signatures; a report matching any of them is a match. */
  signatures: z.array(signatureSchema.extend({ name: z.string().optional() })).min(1),
  mentions: z.array(mentionSchema).default([]),
});
export type Rule = z.infer<typeof ruleSchema>;
export type RuleInput = z.input<typeof ruleSchema>;

export const ruleFileSchema = z.object({
  version: z.literal(1),
  rules: z.array(ruleSchema).min(1),
});

export const verdictSchema = z.enum(['affected', 'fixed', 'not-affected', 'unknown']);
export type Verdict = z.infer<typeof verdictSchema>;

/** Why a knowledge-base fix is a candidate for a report (detector "kb"). */
export const kbEvidenceSchema = z.object({
  kind: z.enum([
    /** The fix names the report's syzbot bug (Reported-by, Closes, Link, "#syz fix"). */
    'syzbot-hash',
    /** The fix's Closes:/Link: names the mail the report came from. */
    'report-link',
    /** A splat quoted in the fix has the report's title. */
    'same-title',
    /** A splat quoted in the fix has the report's guilty function. */
    'same-guilty-function',
    /** Functions of the report's call trace appear in a splat quoted in the fix. */
    'shared-frames',
    /** The fix's diff changes the report's guilty function. */
    'guilty-function-touched',
    /** The fix's diff changes functions of the report's call trace. */
    'frames-touched',
    /** The fix's subject or commit message names the guilty function. */
    'guilty-function-mentioned',
    /** The fix's subject or commit message names functions of the call trace. */
    'frames-mentioned',
    /** The fix's diff changes the report's guilty file. */
    'file-touched',
    /** A curated detector that matched the report cites this fix. */
    'curated-detector',
  ]),
  /** What matched (a hash, a title, function names). */
  value: z.string(),
  /** Its share of the score. */
  points: z.number(),
});
export type KbEvidence = z.infer<typeof kbEvidenceSchema>;

/** A fix patch from the knowledge base that may fix the report. */
export const kbCandidateSchema = z.object({
  /** The fix's subject, tags removed. */
  subject: z.string(),
  /** Message-ID of the patch email (without <>), when the KB has one. */
  messageId: z.string().optional(),
  /** Commit id of the fix, when known. */
  commit: z.string().optional(),
  /** Sum of the evidence points; higher is more likely. */
  score: z.number(),
  evidence: z.array(kbEvidenceSchema),
  /** First mainline release with the fix, when the KB knows it. */
  release: z.string().optional(),
  /** True when the fix is known to be in the report's kernel, false when known to be missing; absent when unknown. */
  inReportKernel: z.boolean().optional(),
  inReportKernelReason: z.string().optional(),
  /** The curated detector that cites this fix, when one matched the report. */
  curatedBy: z.string().optional(),
});
export type KbCandidate = z.infer<typeof kbCandidateSchema>;

export const findingSchema = z.object({
  kind: z.literal('finding'),
  source: z.string(),
  /** Index of the report the finding is about; null for a mention in prose or a trace not attached to a report. */
  report: z.number().int().nonnegative().nullable(),
  /** Detector id. */
  detector: z.string(),
  /** The known bug's title. */
  title: z.string(),
  /** "splat": a report matched the signature; "mention": the text only describes the bug; "trace": a trace detector saw it in trace events. */
  match: z.enum(['splat', 'mention', 'trace']),
  /** match "trace": the trace detector that fired and the index of the trace record in the source. */
  traceDetector: z.string().optional(),
  trace: z.number().int().nonnegative().optional(),
  confidence: z.enum(['high', 'medium', 'low']),
  /** Against the kernel version found in the log. */
  verdict: verdictSchema,
  verdictReason: z.string(),
  /** Kernel release the verdict was computed for. */
  kernelVersion: z.string().optional(),
  /** One sentence for people: what this is and what to do. */
  message: z.string(),
  fixCommits: z.array(fixRefSchema),
  introducedBy: commitRefSchema.optional(),
  discussions: z.array(z.string()),
  evidence: z.object({
    /** Line numbers in the source that matched. */
    lines: z.array(z.number().int()),
    /** Frames that matched the signature, in order. */
    frames: z.array(z.string()),
    notes: z.array(z.string()),
  }),
  /** Detector "kb": the best candidate fixes from the knowledge base (--kb), best first. */
  candidates: z.array(kbCandidateSchema).optional(),
  /**
   * Detector "kb": curated detectors that matched the same report. Their findings take
   * precedence; the candidates are listed for reference only.
   */
  supersededBy: z.array(z.string()).optional(),
});
export type Finding = z.infer<typeof findingSchema>;
