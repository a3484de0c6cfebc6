// The CI formats: pure functions from a run's grouped records to a document,
// which they give in pieces so that a long run's document is never held whole.
// table, json and jsonl stream and are written by the CLI directly.
import type { FormatInput } from './document.js';
import type { DocumentFormat } from './formats.js';
import { formatGithub, githubChunks } from './github.js';
import { formatJunit, junitChunks } from './junit.js';
import { formatMarkdown, markdownChunks } from './markdown.js';
import { formatSarif, sarifChunks } from './sarif.js';

const chunkers: Record<DocumentFormat, (input: FormatInput) => Iterable<string>> = {
  github: githubChunks,
  junit: junitChunks,
  markdown: (input) => markdownChunks(input),
  sarif: sarifChunks,
};

/** The document's text in pieces, in order. */
export function documentChunks(format: DocumentFormat, input: FormatInput): Iterable<string> {
  return chunkers[format](input);
}

export function formatDocument(format: DocumentFormat, input: FormatInput): string {
  return [...documentChunks(format, input)].join('');
}

export { buildFormatInput, EntryList, FormatInputBuilder, type FormatInput, type ReportKeeper, type FormatInputOptions, type ReportEntry, type ReportOutcome, type SourceGroup } from './document.js';
export { documentFormats, isDocumentFormat, type DocumentFormat } from './formats.js';
export { formatGithub, formatJunit, formatMarkdown, formatSarif };
