// The fix-patch knowledge base file: a header line, then one entry per line
// (JSON Lines, so it can be written as it is read and appended to). Each entry
// is what one patch email, commit or fix command says about a fix.
import { z } from 'zod';
import { crashClassSchema } from './report.js';

/** Version of the KB format; bumped when a field changes meaning. */
export const KB_VERSION = 1;

export const kbHeaderSchema = z.object({
  kind: z.literal('kb'),
  /** Format version; a reader refuses other versions. */
  version: z.literal(KB_VERSION),
  /** The ktriage version that started the file. */
  createdBy: z.string(),
  /** When the file was started (ISO-8601). */
  created: z.string(),
});
export type KbHeader = z.infer<typeof kbHeaderSchema>;

/** A splat quoted in the commit message, as the report parser reads it. */
export const kbSplatSchema = z.object({
  title: z.string(),
  crashClass: crashClassSchema,
  /** The parser found the splat truncated or mangled (its title may say "corrupted"). */
  corrupted: z.boolean(),
  guiltyFunction: z.string().optional(),
  guiltyFile: z.string().optional(),
  /** Non-generic functions of the main call trace, top first (at most 12). */
  frames: z.array(z.string()),
});
export type KbSplat = z.infer<typeof kbSplatSchema>;

/** A `Fixes:` tag: the commit that introduced the bug. */
export const kbFixesTagSchema = z.object({
  commit: z.string().regex(/^[0-9a-f]{8,40}$/),
  subject: z.string().optional(),
});

export const kbEntrySchema = z.object({
  /**
   * "patch": a patch email, tip-bot notice or commit; "syz-fix": a "#syz fix: <title>" command
   * naming the fix of a syzbot bug; "applied": a maintainer's "Applied ... commit: <sha>" reply.
   */
  kind: z.enum(['patch', 'syz-fix', 'applied']),
  /** Identity for de-duplication: "msg:<Message-ID>", "commit:<sha>", with "#<n>" for a second fact of one message. */
  key: z.string(),
  /** Where the entry came from: a mail message or `git log` output. */
  origin: z.enum(['mail', 'git-log']),
  /** The fix's subject with Re:/Fwd: and "[PATCH v2 1/3]"-style tags removed. */
  subject: z.string(),
  /** Message-ID of the email (without <>), or the one a commit's Link: names. */
  messageId: z.string().optional(),
  /** Commit id of the fix, when known. */
  commit: z.string().regex(/^[0-9a-f]{12,40}$/).optional(),
  /** How the commit id is known. */
  commitSource: z.enum(['commit-id', 'upstream-line', 'git-log', 'applied-reply']).optional(),
  /** First mainline release containing the commit ("6.8", "6.8-rc3"), when the input says. */
  release: z.string().regex(/^\d+\.\d+(?:-rc\d+)?$/).optional(),
  author: z.string().optional(),
  /** Author date, ISO-8601 when it could be read. */
  date: z.string().optional(),
  /** True when the entry carries a diff. */
  hasDiff: z.boolean(),
  fixes: z.array(kbFixesTagSchema),
  /** syzbot bug hashes (20 hex digits) from Reported-by, Closes, Link and recipients ("extid"). */
  syzbot: z.array(z.string()),
  /** syzbot dashboard bug ids (40 hex digits) from "bug?id=" links. */
  syzbotIds: z.array(z.string()),
  /** Reported-by values other than syzbot. */
  reportedBy: z.array(z.string()),
  /** Message-IDs named by Closes:/Link: tags (lore links), e.g. the report the patch fixes. */
  links: z.array(z.string()),
  /** Splats quoted in the commit message. */
  splats: z.array(kbSplatSchema),
  /** Files the diff touches. */
  files: z.array(z.string()),
  /** Functions the diff touches (hunk headers, definitions in the hunks). */
  functions: z.array(z.string()),
  /** Function-like identifiers named in the subject and commit message. */
  mentions: z.array(z.string()),
});
export type KbEntry = z.infer<typeof kbEntrySchema>;
