// Output records besides reports: input errors, notices (cut lines) and the
// run summary. Together with Report they form the JSON/JSONL output contract.
import { z } from 'zod';
import { findingSchema } from './finding.js';
import { reportSchema } from './report.js';
import { bootRecordSchema, kernelErrorRecordSchema } from './boot.js';
import { traceEventSchema, traceRecordSchema } from './trace.js';

/** An input that could not be read. The run goes on with the other inputs; the exit code becomes 2. */
export const errorRecordSchema = z.object({
  kind: z.literal('error'),
  source: z.string(),
  code: z.string(),
  message: z.string(),
  line: z.number().int().optional(),
});
export type ErrorRecord = z.infer<typeof errorRecordSchema>;

/** Something odd about the input that did not stop parsing (a line cut at the length limit, a link not followed). */
export const noticeRecordSchema = z.object({
  kind: z.literal('notice'),
  source: z.string(),
  /** Absent when the notice is about a path, not a line (a symbolic link a directory walk did not follow). */
  line: z.number().int().positive().optional(),
  message: z.string(),
});
export type NoticeRecord = z.infer<typeof noticeRecordSchema>;

export const summarySchema = z.object({
  kind: z.literal('summary'),
  /** Version of this output format; bumped when a field changes meaning. */
  schemaVersion: z.literal(1),
  sources: z.number().int().nonnegative(),
  /** Mail messages read (mbox, maildir and .eml inputs); each message is its own source. */
  messages: z.number().int().nonnegative(),
  /** Messages in which at least one report was found. */
  messagesWithReports: z.number().int().nonnegative(),
  lines: z.number().int().nonnegative(),
  /** Every report found, suppressed ones included. */
  reports: z.number().int().nonnegative(),
  /** Reports suppressed by the --baseline file (counted in `reports` too). Output of older versions lacks it (read as 0). */
  suppressed: z.number().int().nonnegative().default(0),
  corrupted: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  notices: z.number().int().nonnegative(),
  /** Reports per crash class. */
  byClass: z.record(z.string(), z.number().int()),
  /** Reports per title, for the first 10,000 distinct titles of the run (see byTitleOmitted). */
  byTitle: z.record(z.string(), z.number().int()),
  /**
   * Reports whose title came after byTitle had 10,000 titles, so not counted there: the summary
   * stays small on archives of many distinct reports. Absent when none was left out.
   */
  byTitleOmitted: z.number().int().positive().optional(),
  /** Kernel lines reporting a failure that is not a crash report ("probe of X failed with error -22"). Older output lacks it (read as 0). */
  kernelErrors: z.number().int().nonnegative().default(0),
  /** Findings (known bugs matched or mentioned). */
  findings: z.number().int().nonnegative(),
  /** Findings per detector id. */
  byDetector: z.record(z.string(), z.number().int()),
});
export type Summary = z.infer<typeof summarySchema>;

/** Reports grouped by a signature that survives addresses, offsets, PIDs, CPUs, times and line numbers. */
export const bucketSchema = z.object({
  kind: z.literal('bucket'),
  /** Title plus the top non-generic frames: the grouping signature. */
  key: z.string(),
  title: z.string(),
  crashClass: z.string(),
  crashType: z.string(),
  count: z.number().int().positive(),
  /** Earliest and latest date of the reports (mail Date header or log wall-clock time), when known. */
  firstDate: z.string().optional(),
  lastDate: z.string().optional(),
  /** Kernel releases seen (sorted, at most 50). */
  kernelVersions: z.array(z.string()),
  /** A few sources that contain a report of this bucket (sorted, at most 5). */
  examples: z.array(z.string()),
  /** Known bugs matched by reports of this bucket. */
  findings: z.array(z.object({ detector: z.string(), title: z.string(), verdicts: z.array(z.string()) })),
});
export type Bucket = z.infer<typeof bucketSchema>;

export const outputRecordSchema = z.discriminatedUnion('kind', [
  reportSchema,
  findingSchema,
  bucketSchema,
  errorRecordSchema,
  noticeRecordSchema,
  summarySchema,
  // A trace (or ftrace dump) summary, and one trace entry (only with `ktriage trace --events`).
  traceRecordSchema,
  traceEventSchema,
  // Boot logs: a non-splat kernel error (a failed probe, a firmware load), and how far the boot got.
  kernelErrorRecordSchema,
  bootRecordSchema,
]);
export type OutputRecord = z.infer<typeof outputRecordSchema>;
