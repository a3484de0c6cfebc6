// `ktriage trace [inputs...]`: trace summaries and trace-detector findings of trace files,
// trace_pipe captures, trace-cmd reports and ftrace dumps in kernel logs; --events streams
// every parsed entry as JSON Lines.
import { analyze, type AnalyzeOptions } from '../../analyze.js';
import type { InputFormat } from '../../input/input-format.js';
import type { Finding } from '../../model/finding.js';
import type { OutputRecord } from '../../model/records.js';
import type { TraceRecord } from '../../model/trace.js';
import { formatJsonDocument, formatJsonLine } from '../../formatters/jsonl.js';
import { formatFindings, formatProblem } from '../../formatters/table.js';
import { formatTraceSummaries } from '../../formatters/trace-table.js';
import { builtinTraceDetectors } from '../../trace/detectors/index.js';
import { write, type CliIo } from '../io.js';

export interface TraceCliOptions {
  format?: 'table' | 'json' | 'jsonl';
  inputFormat?: InputFormat;
  events?: boolean;
  quiet?: boolean;
}

/** The records `ktriage trace` prints: traces, findings from traces (and dumps), errors; JSON formats add the summary. */
function wanted(rec: OutputRecord, events: boolean): boolean {
  if (rec.kind === 'trace-event') return events;
  if (events) return false;
  return rec.kind === 'trace' || rec.kind === 'summary' || (rec.kind === 'finding' && rec.match === 'trace');
}

/** Exit codes: 0 no trace-detector finding, 1 at least one, 2 usage error or an input that could not be read. */
export async function runTrace(inputs: string[], opts: TraceCliOptions, io: CliIo): Promise<number> {
  const format = opts.events ? 'jsonl' : (opts.format ?? (io.stdout.isTTY ? 'table' : 'jsonl'));
  const analyzeOpts: AnalyzeOptions = { stdin: io.stdin, traceEvents: opts.events === true };
  if (opts.inputFormat) analyzeOpts.inputFormat = opts.inputFormat;
  const traces: TraceRecord[] = [];
  const findings: Finding[] = [];
  const all: OutputRecord[] = [];
  let errors = 0;
  for await (const rec of analyze(inputs, analyzeOpts)) {
    if (rec.kind === 'error' || rec.kind === 'notice') {
      if (rec.kind === 'error') errors++;
      if (!opts.quiet || rec.kind === 'error') await write(io.stderr, formatProblem(rec));
    }
    if (rec.kind === 'finding' && rec.match === 'trace') findings.push(rec);
    if (!wanted(rec, opts.events === true)) continue;
    if (format === 'jsonl') await write(io.stdout, formatJsonLine(rec));
    else if (format === 'json') all.push(rec);
    else if (rec.kind === 'trace') traces.push(rec);
  }
  // formatJsonDocument: JSON.stringify alone leaves DEL, the C1 controls and U+2028/2029 raw (a
  // file name may hold them), which JSONL and every other JSON output escape.
  if (format === 'json') await write(io.stdout, formatJsonDocument(all));
  if (format === 'table') {
    await write(io.stdout, formatTraceSummaries(traces));
    if (findings.length > 0) await write(io.stdout, formatFindings(findings));
  }
  if (errors > 0) return 2;
  return findings.length > 0 ? 1 : 0;
}

/** `ktriage trace --detectors`: each trace detector, the known bug it names, the events it reads, what a trace cannot show. */
export async function listTraceDetectors(io: CliIo): Promise<void> {
  for (const d of builtinTraceDetectors) {
    const fix = d.knownBug.meta.references.fixes[0];
    const lines = [
      `${d.id}  ->  ${d.knownBug.meta.id}${fix ? ` (fix ${fix.commit.slice(0, 12)}, v${fix.release})` : ''}`,
      `  ${d.description}`,
      `  events: ${d.events.join(', ')}`,
      '  a trace cannot show:',
      ...d.cannotShow.map((c) => `    - ${c}`),
    ];
    await write(io.stdout, `${lines.join('\n')}\n\n`);
  }
}
