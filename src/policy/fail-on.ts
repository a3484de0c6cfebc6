// --fail-on policies: what a parsed policy is and which reports it matches.
// The grammar and its parser are in parse-fail-on.ts (loaded only when the option is given).
import type { KernelErrorRecord } from '../model/boot.js';
import type { CrashClass, CrashType, Report, Severity } from '../model/report.js';

export type FailTerm =
  | { kind: 'any' }
  | { kind: 'class'; crashClass: CrashClass }
  | { kind: 'type'; crashType: CrashType }
  | { kind: 'severity'; atLeast: Severity }
  /** A kernel error (no report) of this category, or of any with undefined: a fleet's health check. */
  | { kind: 'kernel-error'; category?: KernelErrorRecord['category'] };

/** A parsed --fail-on value: no terms means "none". */
export interface FailPolicy {
  /** The text as given (for messages), or "any" for the default. */
  text: string;
  terms: FailTerm[];
}

export const defaultFailPolicy: FailPolicy = { text: 'any', terms: [{ kind: 'any' }] };

/** Severities from lowest to highest (the order of severitySchema; a test keeps them equal). */
export const severityOrder: readonly Severity[] = ['info', 'warning', 'error', 'critical'];

function termMatches(term: FailTerm, r: Report): boolean {
  switch (term.kind) {
    case 'any':
      return true;
    case 'kernel-error':
      return false;
    case 'class':
      return r.crashClass === term.crashClass;
    case 'type':
      return r.crashType === term.crashType;
    case 'severity':
      return severityOrder.indexOf(r.severity) >= severityOrder.indexOf(term.atLeast);
  }
}

/** True when the report matches the policy (whether or not a baseline suppresses it). */
export function matchesFailPolicy(policy: FailPolicy, r: Report): boolean {
  return policy.terms.some((t) => termMatches(t, r));
}

/**
 * True when the policy fails the run on this kernel error: only a kernel-error term does ("any"
 * means every report, as it did before kernel errors were read).
 */
export function kernelErrorFails(policy: FailPolicy, e: KernelErrorRecord): boolean {
  return policy.terms.some((t) => t.kind === 'kernel-error' && (t.category === undefined || t.category === e.category));
}
