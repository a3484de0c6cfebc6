// The body of a trace entry (what follows the context prefix) -> what kind of entry it is
// and its parts: tracepoint name and fields, function and caller, kprobe symbol, print text,
// stack trace head, trace-cmd's function_graph events. Pure.
import type { TraceEventType } from '../model/trace.js';
import { parseGraphPayload, type GraphBody } from './graph-line.js';
import { bareFunctionRe, functionBodyRe, kprobePayloadRe, namedBodyRe, stackHeadRe } from './patterns.js';
import { parsePayloadFields } from './payload.js';

export interface EntryBody {
  type: TraceEventType;
  name: string;
  payload?: string;
  fields?: Record<string, string>;
  failedToParse?: boolean;
  parent?: string;
  probe?: string;
  /** trace-cmd funcgraph_entry/funcgraph_exit payloads. */
  graph?: { mark?: string; durationUs?: number; depth: number; body: GraphBody };
}

// trace-cmd names of printk-like events; the kernel prints trace_marker writes as "tracing_mark_write".
const printNames = new Set(['bprint', 'bputs', 'print', 'tracing_mark_write']);
const failedRe = /^\[FAILED TO PARSE\]\s*/;
// The caller before a bprint/bputs text ("0xffff0000080feeb8s: ").
const callerPrefixRe = /^\S+: /;

/** The regexes this module applies to input text (for the ReDoS audit). */
export const entryBodyRegexes: readonly RegExp[] = [failedRe, callerPrefixRe];

function withFields(b: EntryBody, payload: string): EntryBody {
  const fields = parsePayloadFields(payload);
  if (fields) b.fields = fields;
  return b;
}

function graphEvent(name: string, payload: string): EntryBody | undefined {
  const g = parseGraphPayload(payload);
  if (!g) return undefined;
  const type: TraceEventType = g.body.kind === 'entry' ? 'funcgraph-entry' : g.body.kind === 'leaf' ? 'funcgraph-leaf' : g.body.kind === 'exit' ? 'funcgraph-exit' : 'print';
  return { type, name, payload, graph: g };
}

/** Reads a tracepoint-style body "name: payload". */
function namedBody(name: string, payload: string): EntryBody {
  if (name === 'function') {
    const f = functionBodyRe.exec(payload);
    if (f) return { type: 'function', name: f[1]!, parent: f[2]! };
  }
  if (name === 'funcgraph_entry' || name === 'funcgraph_exit') {
    const g = graphEvent(name, payload);
    if (g) return g;
  }
  if (printNames.has(name)) {
    // bprint/bputs payloads start with the caller ("0xffff0000080feeb8s: ", "foo_fn: "); key=value text may follow.
    const text = payload.replace(callerPrefixRe, '');
    return withFields({ type: 'print', name, payload }, text);
  }
  const failed = failedRe.exec(payload);
  if (failed) return { ...withFields({ type: 'event', name, payload }, payload.slice(failed[0].length)), failedToParse: true };
  const k = kprobePayloadRe.exec(payload);
  if (k) {
    const b: EntryBody = { type: k[2] ? 'kretprobe' : 'kprobe', name, payload, probe: k[2] ?? k[1]! };
    if (k[2]) b.parent = k[1]!;
    return k[3] ? withFields(b, k[3]) : b;
  }
  return withFields({ type: 'event', name, payload }, payload);
}

export function parseEntryBody(body: string): EntryBody {
  const text = body.trimEnd();
  if (stackHeadRe.test(text)) return { type: 'stack', name: text.includes('user') ? 'user_stack' : 'stack' };
  const f = functionBodyRe.exec(text);
  if (f) return { type: 'function', name: f[1]!, parent: f[2]! };
  const n = namedBodyRe.exec(text);
  if (n) return namedBody(n[1]!, n[2] ?? '');
  const bare = bareFunctionRe.exec(text);
  if (bare) return { type: 'function', name: bare[1]! };
  return { type: 'other', name: 'other', payload: text };
}
