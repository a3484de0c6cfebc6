// The detector factory: declarative metadata validated by zod, the same
// signature language user rule files use, and an optional refining function.
import { ruleSchema, type Rule, type RuleInput } from '../model/finding.js';
import type { Report } from '../model/report.js';
import type { SignatureMatch } from './signature.js';

export interface Refinement {
  /** Lower (or raise) the confidence of a match. */
  confidence?: 'high' | 'medium' | 'low';
  notes?: string[];
}

export interface Detector {
  meta: Rule;
  /** Runs after a signature matched; returning null rejects the match. */
  refine?: (report: Report, match: SignatureMatch) => Refinement | null;
  /** Where the detector comes from: built in, or the rule file that defined it. */
  origin: string;
}

export interface DetectorDefinition extends RuleInput {
  refine?: Detector['refine'];
}

/** Validates the metadata now, so a malformed detector fails at load time (and in the registry test). */
export function defineDetector(def: DetectorDefinition, origin = 'built-in'): Detector {
  const { refine, ...meta } = def;
  const d: Detector = { meta: ruleSchema.parse(meta), origin };
  if (refine) d.refine = refine;
  return d;
}
