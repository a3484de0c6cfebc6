// One function_graph line -> its columns and body (print_graph_entry/return/comment in
// kernel/trace/trace_functions_graph.c). Pure; nesting is tracked by the caller.
// Grammar: [abstime " | "] CPU ")" [" " comm-pid " |"] [" " flags " |"] [mark] [duration " us"] " |" indent body
import {
  graphCommentRe,
  graphCpuRe,
  graphDurationRe,
  graphEntryRe,
  graphExitRe,
  graphIrqRe,
  graphLeafRe,
  graphProcRe,
  graphSwitchRe,
} from './patterns.js';

export type GraphBody =
  | { kind: 'entry'; func: string; module?: string }
  | { kind: 'leaf'; func: string; module?: string; retval?: string }
  | { kind: 'exit'; func?: string; module?: string; retval?: string }
  | { kind: 'comment'; text: string };

export type GraphLine =
  | {
      kind: 'call';
      cpu?: number;
      abstime?: number;
      /** funcgraph-proc column "comm-pid". */
      task?: string;
      flags?: string;
      mark?: string;
      durationUs?: number;
      depth: number;
      body: GraphBody;
    }
  /** Context switch "comm-pid => comm-pid", irq arrows: not entries. */
  | { kind: 'marker'; cpu?: number; what: 'switch' | 'irq-entry' | 'irq-exit' };

// The latency flags column of display-graph output ("d..1 |").
const flagsColRe = /^\s*([.dDbXnNpLlBzZHhs0-9a-f]{4,5})\s+\|/;
// A funcgraph-proc column ends with "-pid"; a duration column ends with "us".
const procEndRe = /-\d+$/;
const durationEndRe = /\bus$/;
// "} /* func = -22 */" (funcgraph-retval) and "func(); /* = 0x0 */".
const retvalRe = /^(\S+) = (.*)$/;
const leafRetvalRe = /^= /;
// "} /* virtblk_add_req [virtio_blk] */".
const tailModuleRe = /^(\S+) \[([\w-]+)\]$/;

/** The regexes this module applies to input text (for the ReDoS audit). */
export const graphLineRegexes: readonly RegExp[] = [flagsColRe, procEndRe, durationEndRe, retvalRe, leafRetvalRe, tailModuleRe];

/** "func" and "[module]" as captured; the module only when printed. */
function named<T extends object>(body: T, func: string, module: string | undefined): T & { func: string; module?: string } {
  return module === undefined ? { ...body, func } : { ...body, func, module };
}

function parseBody(body: string): GraphBody | undefined {
  let m = graphEntryRe.exec(body);
  if (m) return named({ kind: 'entry' as const }, m[1]!, m[2]);
  m = graphLeafRe.exec(body);
  if (m) {
    const retval = m[3]?.trim().replace(leafRetvalRe, '');
    return named(retval ? { kind: 'leaf' as const, retval } : { kind: 'leaf' as const }, m[1]!, m[2]);
  }
  m = graphExitRe.exec(body);
  if (m) {
    // "} /* func */" (funcgraph-tail) or "} /* func = -22 */" (funcgraph-retval).
    const c = m[1]?.trim();
    if (!c) return { kind: 'exit' };
    const eq = retvalRe.exec(c);
    if (eq) return { kind: 'exit', func: eq[1]!, retval: eq[2]! };
    const mod = tailModuleRe.exec(c);
    return mod ? { kind: 'exit', func: mod[1]!, module: mod[2]! } : { kind: 'exit', func: c };
  }
  m = graphCommentRe.exec(body);
  if (m) return { kind: 'comment', text: m[1]! };
  return undefined;
}

/** Reads the part after the CPU column (or the whole line when the CPU column is off). */
function parseColumns(rest: string, requireBar: boolean): Omit<Extract<GraphLine, { kind: 'call' }>, 'kind' | 'cpu' | 'abstime'> | GraphLine | undefined {
  const sw = graphSwitchRe.exec(rest);
  if (sw) return { kind: 'marker', what: 'switch' };
  const irq = graphIrqRe.exec(rest);
  if (irq) return { kind: 'marker', what: irq[1] === '==========>' ? 'irq-entry' : 'irq-exit' };
  const out: { task?: string; flags?: string; mark?: string; durationUs?: number } = {};
  const dur0 = graphDurationRe.exec(rest);
  if (!dur0 || (dur0[1] === undefined && dur0[2] === undefined)) {
    // Not a duration column: maybe the proc and flags columns come first.
    const proc = graphProcRe.exec(rest);
    if (proc && procEndRe.test(proc[1]!) && !durationEndRe.test(proc[1]!)) {
      out.task = proc[1]!;
      rest = rest.slice(proc[0].length);
    }
    const fl = flagsColRe.exec(rest);
    if (fl) {
      out.flags = fl[1]!;
      rest = rest.slice(fl[0].length);
    }
  }
  const dur = graphDurationRe.exec(rest);
  let body: string;
  if (dur) {
    if (dur[1] !== undefined) out.mark = dur[1];
    if (dur[2] !== undefined) out.durationUs = Number(dur[2]);
    body = rest.slice(dur[0].length);
  } else {
    // nofuncgraph-duration: "CPU) " then the indentation.
    if (requireBar) return undefined;
    body = rest.startsWith(' ') ? rest.slice(1) : rest;
  }
  const indent = body.length - body.trimStart().length;
  const parsed = parseBody(body.trim());
  if (!parsed) return undefined;
  // The duration column ends with "|  "; each level adds two spaces.
  const depth = Math.max(0, Math.floor((dur ? indent - 2 : indent) / 2));
  return { ...out, depth, body: parsed };
}

/**
 * Parses a function_graph line, or returns undefined. `noCpuColumn`: accept lines without the
 * "CPU)" column (nofuncgraph-cpu), which are only recognisable when the trace is known to be a
 * function_graph trace.
 */
export function parseGraphLine(line: string, noCpuColumn = false): GraphLine | undefined {
  const cpuM = graphCpuRe.exec(line);
  let res;
  let cpu: number | undefined;
  let abstime: number | undefined;
  if (cpuM) {
    cpu = Number(cpuM[2]);
    if (cpuM[1] !== undefined) abstime = Number(cpuM[1]);
    res = parseColumns(line.slice(cpuM[0].length), false);
  } else if (noCpuColumn) {
    res = parseColumns(line, true);
  }
  if (!res) return undefined;
  if ('kind' in res) return cpu === undefined ? res : { ...res, cpu };
  const call: GraphLine = { kind: 'call', ...res };
  if (cpu !== undefined) call.cpu = cpu;
  if (abstime !== undefined) call.abstime = abstime;
  return call;
}

/** trace-cmd renders function_graph as events: "funcgraph_entry:   0.074 us   |   rcu_all_qs();". */
export function parseGraphPayload(payload: string): { mark?: string; durationUs?: number; depth: number; body: GraphBody } | undefined {
  const res = parseColumns(payload, true);
  if (!res || 'kind' in res) return undefined;
  return res;
}
