// The CI formats: pure functions from a run's grouped records to a document.
// table, json and jsonl stream and are written by the CLI directly.
import type { FormatInput } from './document.js';
import type { DocumentFormat } from './formats.js';
import { formatGithub } from './github.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { formatSarif } from './sarif.js';

const formatters: Record<DocumentFormat, (input: FormatInput) => string> = {
  github: formatGithub,
  junit: formatJunit,
  markdown: (input) => formatMarkdown(input),
  sarif: formatSarif,
};

export function formatDocument(format: DocumentFormat, input: FormatInput): string {
  return formatters[format](input);
}

export { buildFormatInput, type FormatInput, type FormatInputOptions, type ReportEntry, type ReportOutcome, type SourceGroup } from './document.js';
export { documentFormats, isDocumentFormat, type DocumentFormat } from './formats.js';
export { formatGithub, formatJunit, formatMarkdown, formatSarif };
