// Every file of ../shared/corpora/ftrace must parse: each entry line becomes exactly one
// event (checked against an independent, token-based count of entry lines), every line
// of a trace is classified, and the trace detectors stay silent (none of these samples
// shows either known bug). Usage: node scripts/eval-ftrace.mjs [--verbose]   (after `npm run build`)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../dist/index.js';
import { corpusDir } from './eval-syzkaller.mjs';

// printk prefix of console logs with an ftrace dump ("[10611.835048] ").
const printkRe = /^\[\s*\d+\.\d+\]\s?/;

/**
 * The independent count: a line is an entry line when its whitespace-separated tokens show
 * a "[NNN]" CPU token followed within three tokens by a "secs.usecs:" token (trace, trace_pipe,
 * trace-cmd), a "NNNus" latency time followed by ":" (ftrace dumps), or a function_graph
 * "N)" CPU token whose line goes on with a call, a "}" or a comment (not a context-switch
 * or irq-arrow marker). No regex of the parser is used.
 */
export function isEntryLine(raw) {
  const t = raw.replace(printkRe, '').split(/\s+/).filter(Boolean);
  for (let i = 0; i < t.length; i++) {
    if (/^\[\d+\]$/.test(t[i])) {
      for (let j = i + 1; j <= i + 3 && j < t.length; j++) if (/^\d+\.\d+:$/.test(t[j])) return true;
    }
    if (/^\d+us[+!#*@$]?:?$/.test(t[i]) && i >= 2 && (t[i].endsWith(':') || t[i + 1] === ':' || /^[+!#*@$]?:$/.test(t[i + 1] ?? ''))) return true;
  }
  const cpu = t.findIndex((x) => /^\d+\)$/.test(x));
  if (cpu === 0 || (cpu === 2 && t[1] === '|')) {
    const rest = t.slice(cpu + 1).join(' ');
    if (rest.includes('=>') || rest.includes('==========')) return false;
    return /(?:\)\s*\{|\);|\}|\*\/)\s*(?:\/\*.*\*\/)?$/.test(rest);
  }
  return false;
}

/** The captured fixtures of this repository (scripts/capture/capture-trace.sh), checked the same way. */
export const capturedDir = join(import.meta.dirname, '..', 'fixtures', 'traces', 'captured', 'amd64');

export async function runFtraceEval({ verbose = false, dir = join(corpusDir(), 'ftrace') } = {}) {
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir)
    .filter((f) => f !== 'README.md' && f !== 'capture-info.txt')
    .sort();
  const rows = [];
  let counted = 0;
  let matched = 0;
  let parsed = 0;
  let agreeing = 0;
  let traceLines = 0;
  let classified = 0;
  let silent = 0;
  for (const f of files) {
    const path = join(dir, f);
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    const want = new Set();
    lines.forEach((l, i) => isEntryLine(l) && want.add(i + 1));
    const got = new Set();
    const traces = [];
    let findings = 0;
    for await (const r of analyze([path], { traceEvents: true })) {
      if (r.kind === 'trace-event') got.add(r.line);
      else if (r.kind === 'trace') traces.push(r);
      else if (r.kind === 'finding' && r.match === 'trace') findings++;
    }
    const events = traces.reduce((n, t) => n + t.eventTotal, 0);
    const both = [...want].filter((n) => got.has(n)).length;
    const classes = { event: 0, stackFrame: 0, header: 0, marker: 0, blank: 0, prose: 0 };
    let span = 0;
    for (const t of traces) {
      span += t.endLine - t.startLine + 1;
      for (const [k, v] of Object.entries(t.lines)) classes[k] += v;
    }
    const sum = Object.values(classes).reduce((a, b) => a + b, 0);
    counted += want.size;
    matched += both;
    parsed += events;
    traceLines += span;
    classified += sum;
    if (findings === 0) silent++;
    const agree = both === want.size && got.size === want.size && events === got.size;
    if (agree) agreeing++;
    rows.push({
      file: f,
      lines: lines.length,
      counted: want.size,
      parsed: events,
      agree,
      traces: traces.length,
      format: [...new Set(traces.map((t) => t.format))].join(','),
      'in traces': span,
      classified: sum,
      stack: classes.stackFrame,
      header: classes.header,
      marker: classes.marker,
      blank: classes.blank,
      prose: classes.prose,
      findings,
    });
    if (verbose && !agree) {
      const missing = [...want].filter((n) => !got.has(n));
      const extra = [...got].filter((n) => !want.has(n));
      console.log(`ftrace: ${f}: not parsed ${missing.slice(0, 10).join(',')}; not counted ${extra.slice(0, 10).join(',')}`);
    }
  }
  console.table(rows);
  console.log(`ftrace: ${parsed} events parsed, ${counted} entry lines counted independently, ${matched} on the same lines; ${classified}/${traceLines} lines of traces classified; detectors silent on ${silent}/${files.length} files`);
  return {
    eventLineAgreement: agreeing / files.length,
    eventRecall: counted === 0 ? 1 : matched / counted,
    eventPrecision: parsed === 0 ? 1 : matched / parsed,
    linesClassified: traceLines === 0 ? 1 : classified / traceLines,
    detectorSilence: silent / files.length,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runFtraceEval({ verbose: process.argv.includes('--verbose') });
  if (r === null) console.log('ftrace corpus not found: skipped');
  await runFtraceEval({ verbose: process.argv.includes('--verbose'), dir: capturedDir });
}
