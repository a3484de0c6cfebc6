// The CI formats (junit, github, sarif, markdown) in a CLI run: records are grouped as they come
// (reports past a memory budget wait on disk, see report-store.ts), and the document is written
// in pieces when the run ends; --format github also appends a Markdown summary to
// $GITHUB_STEP_SUMMARY when it is set.
import { documentChunks, formatMarkdown, FormatInputBuilder, type DocumentFormat } from '../formatters/index.js';
import type { OutputRecord } from '../model/records.js';
import type { PolicyGate } from '../policy/gate.js';
import { writeChunks, type CliIo } from './io.js';
import { appendOutputFile } from './output.js';
import { ReportStore } from './report-store.js';
import { packageVersion } from './version.js';

/** A GitHub job summary holds 1 MiB per step; these caps keep ours well below. */
const stepSummaryLimits = { rows: 200, rawReports: 20, rawLines: 150 };

export class DocumentOutput {
  /** Source names the inputs expanded to, so that sources without a report are listed too. */
  readonly sources: string[] = [];
  private readonly store: ReportStore;
  private readonly builder: FormatInputBuilder;

  constructor(
    private readonly format: DocumentFormat,
    private readonly gate: PolicyGate,
  ) {
    this.store = new ReportStore();
    this.builder = new FormatInputBuilder({
      outcome: (r) => this.gate.outcome(r),
      sources: this.sources,
      toolVersion: packageVersion(),
      failOn: this.gate.failOn.text,
      ...(this.gate.baseline ? { baseline: this.gate.baseline.file } : {}),
      keep: this.store,
    });
  }

  /** A record of the run, after the policy gate has seen it. */
  add(rec: OutputRecord): void {
    this.builder.add(rec);
  }

  async write(io: CliIo): Promise<void> {
    try {
      const input = this.builder.finish();
      await writeChunks(io.stdout, documentChunks(this.format, input));
      const summaryFile = io.env.GITHUB_STEP_SUMMARY;
      if (this.format === 'github' && summaryFile) await appendOutputFile(summaryFile, `${formatMarkdown(input, stepSummaryLimits)}\n`);
    } finally {
      this.store.close();
    }
  }
}
