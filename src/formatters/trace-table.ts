// Human-readable trace summaries: one block per trace (format, tracer, span, CPUs, lost
// events, busiest events and tasks, slowest function_graph calls).
import type { TraceRecord } from '../model/trace.js';
import { sanitizeForTerminal } from './sanitize.js';

const SHOWN = 8;

function top(counts: Record<string, number>, n = SHOWN): string {
  const e = Object.entries(counts);
  const shown = e.slice(0, n).map(([k, v]) => `${sanitizeForTerminal(k)} ${v}`);
  if (e.length > n) shown.push(`+${e.length - n} more`);
  return shown.join(', ');
}

function span(t: TraceRecord): string {
  if (t.firstTimestamp === undefined || t.lastTimestamp === undefined) return 'no timestamps';
  const unit = t.timeUnit ?? 's';
  return `${t.firstTimestamp} .. ${t.lastTimestamp} ${unit} (${t.timeSpan} ${unit})`;
}

/** One trace as a few indented lines. */
export function formatTraceSummary(t: TraceRecord): string {
  const where = `${sanitizeForTerminal(t.source)}:${t.startLine}-${t.endLine}`;
  const head = `${where}  ${t.format}, tracer ${sanitizeForTerminal(t.tracer)}${t.report !== undefined ? `, belongs to report ${t.report} (${sanitizeForTerminal(t.reportTitle ?? '')})` : ''}`;
  if (t.empty) return `${head}\n  (ftrace buffer empty)\n`;
  const cpus = Object.keys(t.cpuCounts);
  const lines = Object.entries(t.lines)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  const out = [
    head,
    `  ${t.eventTotal} event(s), ${t.taskTotal} task(s), ${cpus.length} CPU(s)${t.cpusOnline ? ` of ${t.cpusOnline} online` : ''}; ${span(t)}`,
    `  lines: ${lines}`,
  ];
  const lost = Object.keys(t.lostMarkers).length;
  if (t.lostEvents > 0 || lost > 0) out.push(`  lost events: ${t.lostEvents}${lost ? ` (lost-event markers on CPU ${Object.keys(t.lostMarkers).join(', ')})` : ''}`);
  if (t.eventTotal > 0) {
    out.push(`  events: ${top(t.eventCounts)}`);
    if (t.taskTotal > 0) out.push(`  tasks: ${top(t.taskCounts)}`);
    if (cpus.length > 0) out.push(`  CPUs: ${top(t.cpuCounts, 16)}`);
  }
  if (t.failedToParse > 0) out.push(`  [FAILED TO PARSE] entries: ${t.failedToParse}`);
  if (t.timeReversals > 0) out.push(`  timestamps going back on the same CPU: ${t.timeReversals}`);
  if (t.slowestCalls.length > 0) {
    const calls = t.slowestCalls.slice(0, 5).map((c) => `${sanitizeForTerminal(c.function)} ${c.durationUs} us (line ${c.line}${c.cpu !== undefined ? `, CPU ${c.cpu}` : ''})`);
    out.push(`  slowest calls: ${calls.join('; ')}`);
  }
  return `${out.join('\n')}\n`;
}

export function formatTraceSummaries(traces: readonly TraceRecord[]): string {
  if (traces.length === 0) return 'No trace found.\n';
  return `${traces.map(formatTraceSummary).join('\n')}`;
}
