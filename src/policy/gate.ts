// Applies --baseline and --fail-on to the record stream: marks suppressed
// reports, counts them into the summary, and decides the exit code.
import type { OutputRecord, Summary } from '../model/records.js';
import type { Report } from '../model/report.js';
import type { BaselineMatcher } from './baseline.js';
import { defaultFailPolicy, kernelErrorFails, matchesFailPolicy, type FailPolicy } from './fail-on.js';

/** failing: fails the run (exit code 1); tolerated: not matched by --fail-on; suppressed: listed in the baseline. */
export type ReportOutcome = 'failing' | 'tolerated' | 'suppressed';

export class PolicyGate {
  /** Reports the baseline suppressed so far. */
  suppressed = 0;
  /** Reports that fail the run so far: matched by --fail-on and not suppressed. */
  failing = 0;
  /** Kernel errors that fail the run so far: matched by a kernel-error term of --fail-on. */
  failingErrors = 0;

  /** "<source>\0<index>" of the last report, when the baseline suppressed it (its findings follow it). */
  private lastSuppressed = '';

  constructor(
    readonly failOn: FailPolicy = defaultFailPolicy,
    readonly baseline?: BaselineMatcher,
  ) {}

  /** Call once per record, in stream order: sets report.suppressed and summary.suppressed. */
  apply(rec: OutputRecord): void {
    if (rec.kind === 'report') {
      this.lastSuppressed = '';
      if (this.baseline?.has(rec)) {
        rec.suppressed = true;
        this.suppressed++;
        this.lastSuppressed = `${rec.source}\0${rec.index}`;
      }
      if (this.outcome(rec) === 'failing') this.failing++;
    } else if (rec.kind === 'kernel-error') {
      if (kernelErrorFails(this.failOn, rec)) this.failingErrors++;
    } else if (rec.kind === 'summary') {
      rec.suppressed = this.suppressed;
    }
  }

  /** True for a suppressed report and for the findings about it (after apply() has seen them). */
  hides(rec: OutputRecord): boolean {
    if (rec.kind === 'report') return rec.suppressed === true;
    return rec.kind === 'finding' && rec.report !== null && this.lastSuppressed === `${rec.source}\0${rec.report}`;
  }

  /** What the policy makes of a report (after apply() has seen it). */
  outcome(r: Report): ReportOutcome {
    if (r.suppressed) return 'suppressed';
    return matchesFailPolicy(this.failOn, r) ? 'failing' : 'tolerated';
  }

  /** 2 when an input could not be read, else 1 when a report (or a kernel error --fail-on names) fails the run, else 0. */
  exitCode(summary: Summary): number {
    if (summary.errors > 0) return 2;
    return this.failing > 0 || this.failingErrors > 0 ? 1 : 0;
  }
}
