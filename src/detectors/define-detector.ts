// The detector factory: declarative metadata in the same shape (and signature
// language) as user rule files, and an optional refining function.
import type { Rule, RuleInput } from '../model/finding.js';
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

/**
 * The defaults ruleSchema gives, applied without zod: loading zod costs ~100 ms of
 * start-up and built-in metadata is typed by the compiler already. The registry
 * test checks that ruleSchema.parse(meta) accepts each built-in and gives the same.
 * User rule files are validated by zod (src/rules/load-rules.ts).
 */
function withDefaults(meta: RuleInput): Rule {
  const refs = meta.references ?? { fixes: [], discussions: [] };
  const references: Rule['references'] = {
    fixes: (refs.fixes ?? []).map((f) => ({ ...f, backports: f.backports ?? [] })),
    discussions: refs.discussions ?? [],
  };
  if (refs.introduced) references.introduced = { ...refs.introduced, backports: refs.introduced.backports ?? [] };
  return { ...meta, description: meta.description ?? '', references, mentions: meta.mentions ?? [] };
}

export function defineDetector(def: DetectorDefinition, origin = 'built-in'): Detector {
  const { refine, ...meta } = def;
  const d: Detector = { meta: withDefaults(meta), origin };
  if (refine) d.refine = refine;
  return d;
}
