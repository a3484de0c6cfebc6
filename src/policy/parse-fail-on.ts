// The --fail-on grammar (documented in README.md, "CI use"):
//
//   policy := term ("," term)*            a report fails the run when any term matches it
//   term   := "any"                       every report (the default)
//           | "none"                      no report (only input errors fail), alone only
//           | ["class:"] CLASS            report.crashClass, lower case: warning, bug, kasan, panic ...
//           | ["type:"] TYPE              report.crashType, syzkaller's upper case: WARNING, BUG, KASAN-READ ...
//           | "severity:" LEVEL           report.severity LEVEL or higher; info < warning < error < critical
//           | "kernel-error:" CATEGORY    a kernel error of that category (filesystem, io-error,
//                                         hardware-error ...), or "kernel-error:any" for every one
//
// Bare names are matched case-sensitively, so "bug" is the class and "BUG" the type.
import { KtriageError } from '../model/errors.js';
import { kernelErrorRecordSchema } from '../model/boot.js';
import { crashClassSchema, crashTypeSchema } from '../model/report.js';
import { severityOrder, type FailPolicy, type FailTerm } from './fail-on.js';

const classes: ReadonlySet<string> = new Set(crashClassSchema.options);
const types: ReadonlySet<string> = new Set(crashTypeSchema.options);
const errorCategories = kernelErrorRecordSchema.shape.category.options;

function usage(message: string): KtriageError {
  return new KtriageError('usage.invalid', `--fail-on: ${message}`);
}

/** Hint for a near miss: a class or type written in the wrong case (of the kind the prefix asks for). */
function hint(word: string, prefix = ''): string {
  const lower = word.toLowerCase();
  const asClass = prefix === 'type' ? undefined : crashClassSchema.options.find((c) => c === lower);
  const caseFix = asClass ?? (prefix === 'class' ? undefined : crashTypeSchema.options.find((t) => t.toLowerCase() === lower));
  if (caseFix) return ` (did you mean "${caseFix}"? classes are lower case, types upper case)`;
  return '; expected any, none, a crash class (warning, bug, kasan ...), a crash type (WARNING, BUG, KASAN-READ ...), severity:LEVEL (info, warning, error, critical) or kernel-error:CATEGORY (filesystem, io-error, hardware-error ..., any)';
}

function parseTerm(term: string): FailTerm {
  if (term === 'any') return { kind: 'any' };
  const colon = term.indexOf(':');
  const prefix = colon < 0 ? '' : term.slice(0, colon);
  const value = colon < 0 ? term : term.slice(colon + 1);
  if (prefix === 'kernel-error') {
    if (value === 'any') return { kind: 'kernel-error' };
    const category = errorCategories.find((c) => c === value);
    if (!category) throw usage(`unknown kernel error category "${value}"; expected any or one of ${errorCategories.join(', ')}`);
    return { kind: 'kernel-error', category };
  }
  if (prefix === 'severity') {
    const level = severityOrder.find((s) => s === value);
    if (!level) throw usage(`unknown severity "${value}"; expected one of ${severityOrder.join(', ')}`);
    return { kind: 'severity', atLeast: level };
  }
  if ((prefix === '' || prefix === 'class') && classes.has(value)) return { kind: 'class', crashClass: crashClassSchema.parse(value) };
  if ((prefix === '' || prefix === 'type') && types.has(value)) return { kind: 'type', crashType: crashTypeSchema.parse(value) };
  if (prefix === 'class') throw usage(`unknown crash class "${value}"${hint(value, prefix)}`);
  if (prefix === 'type') throw usage(`unknown crash type "${value}"${hint(value, prefix)}`);
  throw usage(`unknown term "${term}"${hint(term)}`);
}

/** Parses a --fail-on value; a usage error (exit code 2) names the bad term. */
export function parseFailPolicy(text: string): FailPolicy {
  const parts = text.split(',').map((t) => t.trim());
  if (parts.some((t) => t === '')) throw usage(`empty term in "${text}"`);
  if (parts.includes('none')) {
    if (parts.length > 1) throw usage('"none" cannot be combined with other terms');
    return { text, terms: [] };
  }
  return { text, terms: parts.map(parseTerm) };
}
