// Shape of the crash-format tables: which line starts a report (header), how
// its title is built, and where the guilty frame comes from.
import type { CrashClass, Severity } from '../../model/report.js';

/** One step of guilty-frame extraction, applied to report lines in order (a shared cursor). */
export type StackStep =
  /** The faulting-PC line (RIP:, IP:, NIP, pc :, PC is at, epc :, Krnl PSW). */
  | { kind: 'pc' }
  /**
   * The first line matching `re`; its capture groups (if any) are candidate frames. With `orAt`,
   * an earlier line matching `orAt` ends the search instead and is left for the next step to read;
   * with `orAfter`, an earlier line matching `orAfter` that a frame line follows ends it too.
   */
  | { kind: 'line'; re: RegExp; orAt?: RegExp; orAfter?: RegExp }
  /** Frames of a call trace, until the next stack-start keyword ("Call Trace:", "Freed by task"). */
  | { kind: 'trace' };

export interface StackSpec {
  steps: StackStep[];
  /** Tried when `steps` yield no frame (e.g. WARNING without a RIP line on old kernels). */
  fallback?: StackStep[];
  /** Extra frame-name patterns to skip for this format (regex sources). */
  skip?: string[];
  /** How the guilty frame is picked from the candidates. */
  extractor?: 'first' | 'stall' | 'hang';
}

export interface TitleFormat {
  /** Matched against the header line. */
  title: RegExp;
  /**
   * Lines that must follow, in order (each one matched on a later line of the
   * report). Their captures replace the title's captures as template args.
   * When they do not match, the next format is tried.
   */
  report?: RegExp[];
  /**
   * Title template: {1}..{n} are captures, {f1}..{fn} guilty frames from the
   * stack spec (one per stack when the spec reads several stacks).
   */
  fmt: string;
  /** Alternative titles, same placeholders. */
  alt?: string[];
  stack?: StackSpec;
  /** The report legitimately has no call trace; skip the stack-presence corruption checks. */
  noStackTrace?: boolean;
  /** A title from this format means the real header was missed or garbled. */
  corrupted?: boolean;
  /** Overrides the class of the family. */
  crashClass?: CrashClass;
}

/** A family of reports sharing a header substring, e.g. every "BUG:" report. */
export interface OopsFamily {
  /** Stable id for tests and docs. */
  id: string;
  /** Substring whose presence in a line starts a report. */
  header: string;
  /** Lines containing the header but matching one of these are not reports. */
  suppress?: RegExp[];
  formats: TitleFormat[];
  crashClass: CrashClass;
  severity: Severity;
  /** False for messages syzbot does not file (OOM kills, hard lockups, kmemleak debugfs output). */
  syzbot?: boolean;
  /** The line that ends a report of this family, for a message with no end marker of the kernel's. */
  endRe?: RegExp;
  /**
   * Unrelated timestamped lines after the call trace that end a report with no end marker (the
   * segmenter's JUNK_LIMIT, 40, by default): more for a report whose own lines do not look like a
   * report's ("anon_thp 0" in an OOM report's memory.stat).
   */
  junkLimit?: number;
  /** Reports of this family need corroboration when the line has no kernel provenance (see segmenter). */
  needsProvenance?: boolean;
}
