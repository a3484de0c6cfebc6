// Plain-text pieces of a report shared by the CI formatters: where it is in the
// kernel source and in the log, and a few lines that say what it is.
import type { Finding } from '../model/finding.js';
import type { Report } from '../model/report.js';
import type { ReportEntry } from './document.js';

/** A kernel source position: report.location ("fs/xfs/xfs_aops.c:971"), else the guilty file alone. */
export interface SourcePosition {
  file: string;
  line?: number;
}

const fileLineRe = /^(.+):(\d+)$/;

export function kernelPosition(r: Report): SourcePosition | undefined {
  const m = r.location === undefined ? null : fileLineRe.exec(r.location);
  if (m?.[1] && m[2]) return { file: m[1], line: Number(m[2]) };
  if (r.location) return { file: r.location };
  if (r.guiltyFile) return { file: r.guiltyFile };
  return undefined;
}

/** "fs/xfs/xfs_aops.c:971", "fs/xfs/xfs_aops.c" or undefined. */
export function kernelPositionText(r: Report): string | undefined {
  const p = kernelPosition(r);
  if (!p) return undefined;
  return p.line === undefined ? p.file : `${p.file}:${p.line}`;
}

/** "demo.log:5-28": the report's lines in its source. */
export function logPositionText(r: Report): string {
  return r.endLine > r.startLine ? `${r.source}:${r.startLine}-${r.endLine}` : `${r.source}:${r.startLine}`;
}

/** The report as the kernel printed it (prefixes stripped): preceding lines, then the report. */
export function reportText(r: Report): string {
  return [...r.precedingLines, ...r.rawLines].join('\n');
}

/** Why a report does not fail the run, or undefined when it does. */
export function outcomeNote(entry: ReportEntry, failOn: string, baseline?: string): string | undefined {
  if (entry.outcome === 'suppressed') return `suppressed: its bucket is listed in the baseline${baseline === undefined ? '' : ` ${baseline}`}`;
  if (entry.outcome === 'tolerated') return `tolerated: not matched by --fail-on ${failOn}`;
  return undefined;
}

/** One line per known bug: title, detector, verdict, fix; then its message. */
export function describeFinding(f: Finding): string[] {
  const fix = f.fixCommits[0];
  const fixText = fix ? `; fix ${fix.commit.slice(0, 12)} ("${fix.subject}", v${fix.release})` : '';
  return [`known bug: ${f.title} [${f.detector}], ${f.verdict}${f.kernelVersion ? ` for ${f.kernelVersion}` : ''}${fixText}`, `  ${f.message}`];
}

/** A few lines that say what the report is, where, and what the policy made of it. */
export function describeReport(entry: ReportEntry, failOn: string, baseline?: string): string[] {
  const r = entry.report;
  const pos = kernelPositionText(r);
  const lines = [r.title];
  if (pos) lines.push(`at ${pos}${r.guiltyFunction ? ` (${r.guiltyFunction})` : ''}`);
  lines.push(`log: ${logPositionText(r)}`);
  lines.push(`class ${r.crashClass}, type ${r.crashType}, severity ${r.severity}${r.kernelVersion ? `, kernel ${r.kernelVersion}` : ''}${r.panicked ? ', panicked' : ''}`);
  if (r.corrupted) lines.push(`corrupted: ${r.corruptedReason ?? 'yes'}`);
  const note = outcomeNote(entry, failOn, baseline);
  if (note) lines.push(note);
  for (const f of entry.findings) lines.push(...describeFinding(f));
  return lines;
}
