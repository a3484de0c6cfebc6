// Class refinements that depend on where a report points, not on its header:
// a WARNING in lib/list_debug.c is list corruption, in lib/refcount.c a
// refcount bug. One table row per rule, first match wins.
import type { CrashClass, Report } from '../model/report.js';

const nullDerefRe = /NULL pointer dereference/;
const listCorruptionRe = /list_(?:add|del) corruption/;
const stackCorruptedRe = /^kernel panic: stack is corrupted/;

/** Regexes this module applies to titles and report lines (the ReDoS audit runs them on adversarial input). */
export const reclassifyRegexes: readonly RegExp[] = [nullDerefRe, listCorruptionRe, stackCorruptedRe];

interface Rule {
  what: string;
  test: (r: Report) => boolean;
  crashClass: CrashClass;
}

const rules: readonly Rule[] = [
  {
    // arm, arm64, riscv "Unable to handle kernel NULL pointer dereference at virtual address 0000000000000008".
    what: 'NULL pointer dereference reported through the generic fault header',
    test: (r) => r.crashClass === 'page-fault' && nullDerefRe.test(r.title),
    crashClass: 'null-deref',
  },
  {
    // lib/list_debug.c __list_add_valid_or_report: "list_add corruption. prev->next should be next ...".
    what: 'list debugging (CONFIG_DEBUG_LIST)',
    test: (r) => r.location?.startsWith('lib/list_debug.c') === true || r.precedingLines.some((l) => listCorruptionRe.test(l)),
    crashClass: 'list-corruption',
  },
  {
    // lib/refcount.c refcount_warn_saturate: "refcount_t: underflow; use-after-free.".
    what: 'refcount_t saturation',
    test: (r) => r.location?.startsWith('lib/refcount.c') === true || r.precedingLines.some((l) => l.includes('refcount_t: ')),
    crashClass: 'refcount',
  },
  {
    what: 'stack protector and stack overflow panics',
    test: (r) => stackCorruptedRe.test(r.title),
    crashClass: 'stack-protector',
  },
];

export function reclassify(r: Report): Report {
  for (const rule of rules) {
    if (rule.test(r)) {
      r.crashClass = rule.crashClass;
      break;
    }
  }
  return r;
}
