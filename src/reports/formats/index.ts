// The ordered table of report families. A line starts a report when it
// contains a family's header (and no suppression matches); the first family in
// this order that claims the line wins, so broader headers come later
// ("Oops" last: "Oops: general protection fault" belongs to the GPF family).
import { bugFamily } from './bug.js';
import { faultFamilies, x86DieBanner } from './faults.js';
import { miscFamilies } from './misc.js';
import type { OopsFamily } from './types.js';
import { infoFamily, warningFamily } from './warning.js';

export type { OopsFamily, StackSpec, StackStep, TitleFormat } from './types.js';

export const families: readonly OopsFamily[] = [bugFamily, warningFamily, infoFamily, ...faultFamilies, ...miscFamilies];

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The header substrings, for the quiet-line test (src/quiet/inert-line.ts). */
export const headerWords: readonly string[] = families.map((f) => f.header);

/** One regex over every header substring: the hot path tests it once per line. */
export const anyHeaderRe = new RegExp(families.map((f) => escape(f.header)).join('|'));

/** The family that claims a line, or undefined. */
export function familyOf(text: string): OopsFamily | undefined {
  if (!anyHeaderRe.test(text)) return undefined;
  for (const fam of families) {
    if (!text.includes(fam.header)) continue;
    if (fam.suppress?.some((re) => re.test(text))) continue;
    return fam;
  }
  return undefined;
}

/**
 * Lines that never start a new report while one is open in their context:
 * they are part of the open report (syzkaller's reportStartIgnores plus the
 * tails ktriage knows). Matched on the line, whichever family claims it.
 */
export const continuationRes: readonly RegExp[] = [
  /invalid opcode: 0000/, // x86 ud2 trap printed after "kernel BUG at"
  /Kernel panic - not syncing/, // panic_on_warn / panic_on_oops / Fatal exception
  /unregister_netdevice: waiting for/, // repeats every 10 s
  /PANIC: double fault/, // can happen while handling a page fault
  /Internal error:/, // arm/arm64 die() after "Unable to handle kernel ..." or "kernel BUG at"
  /^Kernel BUG \[#\d+\]/, // riscv die() banner after "kernel BUG at" (do_trap_break: die(regs, "Kernel BUG"))
  // die() banner after the fault header. x86 since v6.9 puts "Oops: " before every banner, its page
  // faults' own one too: "Oops: Oops: 0002 [#1] PREEMPT SMP NOPTI" after "BUG: kernel NULL pointer dereference".
  /^Oops(?:: Oops)?(?:: [0-9a-f]{4}\b| ?\[#\d+\]|: Kernel access|: Exception in kernel mode| - )/,
  // The x86 die() banner of the traps the 'x86-die' family reads (faults.ts) after the header that
  // names the fault: "PANIC: double fault, error_code: 0x0" then "double fault: 0000 [#1]", "BUG: stack
  // guard page was hit at ..." then "kernel stack overflow (double-fault): 0000 [#1]". The banners of
  // the families of their own (general protection fault, divide error ...) start a report as before.
  new RegExp(String.raw`^(?!(?:Oops: )?(?:general protection fault|divide error|divide_error|stack segment|int3:))${x86DieBanner}`),
];

// kmemleak details after syzkaller's "BUG: memory leak"; in the debugfs file every object is its own report.
const kmemleakObjectRe = /unreferenced object 0x/;
const memoryLeakHeaderRe = /BUG: memory leak/;
// A Rust panic ends in BUG(): the panic handler (rust_begin_unwind) calls rust_helper_BUG, which
// prints "kernel BUG at rust/helpers/bug.c:7!" and the oops; that is the same event (v6.x).
const rustHelperBugRe = /kernel BUG at rust\/helpers\/bug\.c/;
const rustPanicHeaderRe = /rust_kernel: panicked/;

/** Is `text` part of the report whose header is `openHeader` rather than a new report? */
export function continuesOpenReport(text: string, openHeader = ''): boolean {
  // Mail quotes often indent the whole splat ("> >     Oops: 0000 [#1]"); the anchors ignore that.
  const t = text.trimStart();
  for (const re of continuationRes) if (re.test(t)) return true;
  if (kmemleakObjectRe.test(text) && memoryLeakHeaderRe.test(openHeader)) return true;
  return rustHelperBugRe.test(text) && rustPanicHeaderRe.test(openHeader);
}

/**
 * Regexes of the family tables applied to report lines: suppressions, titles, follow-up lines,
 * stack steps, and the header and continuation checks (the ReDoS audit runs them on adversarial input).
 */
export function formatRegexes(): RegExp[] {
  const out: RegExp[] = [anyHeaderRe, ...continuationRes, kmemleakObjectRe, memoryLeakHeaderRe, rustHelperBugRe, rustPanicHeaderRe];
  for (const fam of families) {
    out.push(...(fam.suppress ?? []));
    for (const f of fam.formats) {
      out.push(f.title, ...(f.report ?? []));
      for (const step of [...(f.stack?.steps ?? []), ...(f.stack?.fallback ?? [])]) if (step.kind === 'line') out.push(step.re);
    }
    if (fam.endRe) out.push(fam.endRe);
  }
  return out;
}
