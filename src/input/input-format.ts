// --input-format: what a source is when its first bytes should not decide. "auto" sniffs
// (mbox, mail message, trace, else kernel log); "ftrace" is a trace of any form; the trace
// forms name one (its lines are then read as that form, e.g. function_graph without the CPU column).
import type { TraceFormat } from '../model/trace.js';
import type { TraceMode } from '../trace/collector.js';
import { looksLikeTrace } from '../trace/sniff-trace.js';
import { sniffInput, type InputKind } from './sniff.js';

export const inputFormats = ['auto', 'log', 'mbox', 'message', 'ftrace', 'trace', 'trace-pipe', 'trace-cmd', 'function-graph', 'latency'] as const;
export type InputFormat = (typeof inputFormats)[number];

export interface ResolvedInput {
  kind: InputKind;
  /** For logs: whether the whole source is a trace, and of which form. */
  trace: TraceMode;
}

export function resolveInput(head: Buffer, format: InputFormat = 'auto'): ResolvedInput {
  switch (format) {
    case 'log':
      return { kind: 'log', trace: { kind: 'log' } };
    case 'mbox':
    case 'message':
      return { kind: format, trace: { kind: 'log' } };
    case 'ftrace':
      return { kind: 'log', trace: { kind: 'trace' } };
    case 'auto': {
      const kind = sniffInput(head);
      return { kind, trace: kind === 'log' && looksLikeTrace(head) ? { kind: 'trace' } : { kind: 'log' } };
    }
    default:
      return { kind: 'log', trace: { kind: 'trace', format: format satisfies TraceFormat } };
  }
}
