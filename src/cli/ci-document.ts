// The CI formats (junit, github, sarif, markdown) in a CLI run: records are kept
// until the summary, then rendered once; --format github also appends a
// Markdown summary to $GITHUB_STEP_SUMMARY when it is set.
import { buildFormatInput, formatDocument, formatMarkdown, type DocumentFormat } from '../formatters/index.js';
import type { OutputRecord } from '../model/records.js';
import type { PolicyGate } from '../policy/gate.js';
import { write, type CliIo } from './io.js';
import { appendOutputFile } from './output.js';
import { packageVersion } from './version.js';

/** A GitHub job summary holds 1 MiB per step; these caps keep ours well below. */
const stepSummaryLimits = { rows: 200, rawReports: 20, rawLines: 150 };

export class DocumentOutput {
  private readonly records: OutputRecord[] = [];
  /** Source names the inputs expanded to, so that sources without a report are listed too. */
  readonly sources: string[] = [];

  constructor(
    private readonly format: DocumentFormat,
    private readonly gate: PolicyGate,
  ) {}

  add(rec: OutputRecord): void {
    this.records.push(rec);
  }

  async write(io: CliIo): Promise<void> {
    const input = buildFormatInput(this.records, {
      outcome: (r) => this.gate.outcome(r),
      sources: this.sources,
      toolVersion: packageVersion(),
      failOn: this.gate.failOn.text,
      ...(this.gate.baseline ? { baseline: this.gate.baseline.file } : {}),
    });
    await write(io.stdout, formatDocument(this.format, input));
    const summaryFile = io.env.GITHUB_STEP_SUMMARY;
    if (this.format === 'github' && summaryFile) await appendOutputFile(summaryFile, `${formatMarkdown(input, stepSummaryLimits)}\n`);
  }
}
