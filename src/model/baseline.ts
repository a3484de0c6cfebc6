// Baseline file: the bucket signatures of reports that are known and accepted,
// so that --baseline suppresses them. Written by `ktriage baseline create`,
// read back with this schema (YAML or JSON).
import { z } from 'zod';

export const baselineEntrySchema = z.object({
  /** The bucket signature, bucketKey(report): title, "|", then the top non-generic frames. */
  key: z.string().min(1),
  /** The report title, for the person reading the file (not used for matching). */
  title: z.string(),
  /** Crash class of the reports, for the reader. */
  crashClass: z.string().optional(),
  /** Reports of this bucket in the logs the baseline was made from, for the reader. */
  count: z.number().int().positive().optional(),
  /** Free text: why this bucket is accepted, a bug link ... */
  note: z.string().optional(),
});
export type BaselineEntry = z.infer<typeof baselineEntrySchema>;

export const baselineSchema = z.object({
  /** Version of this file format. */
  version: z.literal(1),
  entries: z.array(baselineEntrySchema),
});
export type Baseline = z.infer<typeof baselineSchema>;
