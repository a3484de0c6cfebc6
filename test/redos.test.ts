// ReDoS audit: every regular expression the analysis applies to input text runs on
// 100 KB adversarial strings under a time bound, and the whole pipeline runs on
// adversarial lines. The regexes come from the modules' tables and exported lists
// (test/helpers/input-regexes.ts); a run over the fixtures checks that the list is
// complete and supplies real matches to pump.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeMessage, analyzeText } from '../src/analyze.js';
import { parseMessage } from '../src/mail/message.js';
import { DEFAULT_MAX_LINE_CHARS } from '../src/reports/segment.js';
import { FIXTURES, listLogs, readFixture } from './helpers/fixtures.js';
import { auditedRegexes, regexKey, type AuditedRegex } from './helpers/input-regexes.js';

/** Length of every adversarial string (issue #8: at least 100 KB). */
const LENGTH = 100 * 1024;
/**
 * A linear regex takes well under 100 ms on 100 KB even on a busy machine; a quadratic
 * one takes seconds to hours. The bound sits between, with room for a loaded machine.
 */
const LIMIT_MS = 1000;
/**
 * A case over its bound is timed once more and fails only when it is over both times: a
 * burst of load on a shared machine slows one run, a backtracking regex is slow every time.
 */
async function overBoundTwice(time: () => Promise<number>, limit: number): Promise<number | undefined> {
  const first = await time();
  if (first <= limit) return undefined;
  if (first === Infinity) return first;
  const second = await time();
  return second > limit ? Math.min(first, second) : undefined;
}
/** A run still going after this is stopped and counted as a failure. */
const HANG_MS = 10_000;
/**
 * The whole pipeline on one 100 KB adversarial text, as a log and as mail. A collapsed mail line
 * of "> > > ..." is split back into 50,000 lines, about 0.5 s of honest work; quadratic
 * behaviour on 100 KB costs ten seconds and more.
 */
const PIPELINE_LIMIT_MS = 3000;

/** Characters and pairs that make regexes backtrack: blanks, digits, hex, brackets, quote markers, paths, frames. */
const PUMPS = [' ', '\t', '0', '9', 'a', 'f', 'A', '_', '.', '/', '-', ':', ',', '[', ']', '(', ')', '<', '>', '> ', '>>', '0x', 'a.', 'a ', 'a_', '\u2028', '[<', '+0x1/0x2 ', '{', '"'];
/**
 * A header repeated over the whole line. Title regexes of the form "WARNING: .*X" take time
 * proportional to the line length times the number of headers in it; they only see report
 * lines, which the segmenter cuts at DEFAULT_MAX_LINE_CHARS, so for them the run has that length.
 */
const HEADER_PUMPS = ['WARNING: ', 'BUG: ', ' at '];
/** Fails a match that got as far as the pumped run (a byte no pattern expects). */
const TAIL = '\u0001';

interface Recipe {
  prefix: string;
  pump: string;
  tail: string;
  /** Length of the pumped run (default LENGTH). */
  length?: number;
}

interface Observation {
  /** First src/ location that ran the regex. */
  caller: string;
  /** A string the regex matched, where, and how long the match was. */
  example?: { input: string; index: number; length: number };
}

const SRC = join(import.meta.dirname, '..', 'src');
const observed = new Map<string, Observation>();

/** The first stack frame outside this file and outside V8 builtins: where a regex was used. */
function callerOf(stack: string | undefined): string {
  const frames = (stack ?? '').split('\n').slice(1);
  const frame = frames.find((l) => !l.includes('redos.test.ts') && /\(?\/.*:\d+:\d+\)?$/.test(l.trim()));
  return frame?.trim().replace(/^at .*?\(?(\/[^)]*)\)?$/, '$1') ?? '';
}

/** Runs `fn` with RegExp.prototype.exec recording every regex used from src/ and one example match. */
async function observe(fn: () => Promise<void>): Promise<void> {
  const exec = RegExp.prototype.exec;
  let inside = false;
  RegExp.prototype.exec = function (this: RegExp, s: string): RegExpExecArray | null {
    const m = exec.call(this, s);
    // regexKey and callerOf use regexes themselves.
    if (inside) return m;
    inside = true;
    try {
      record(this, s, m);
    } finally {
      inside = false;
    }
    return m;
  };
  try {
    await fn();
  } finally {
    RegExp.prototype.exec = exec;
  }
}

/** Notes the first src/ caller of a regex, and its first match on a short string. */
function record(re: RegExp, s: string, m: RegExpExecArray | null): void {
  const key = regexKey(re);
  let o = observed.get(key);
  if (!o) {
    const caller = callerOf(new Error().stack);
    if (!caller.startsWith(SRC)) return;
    o = { caller };
    observed.set(key, o);
  }
  if (m && !o.example && typeof s === 'string' && s.length <= 4096) o.example = { input: s, index: m.index, length: m[0].length };
}

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((e) => {
      const p = join(dir, e);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
}

/** A message with only an HTML body (html-text.ts), and a quoted, collapsed splat (prepare-text.ts). */
const HTML_MAIL = Buffer.from(
  'From: a@example.org\nTo: b@example.org\nSubject: oops\nMessage-ID: <1@example.org>\nContent-Type: text/html\n\n' +
    '<p>Hi,<br/>&gt; WARNING: CPU: 0 PID: 1 at kernel/a.c:1 f+0x1/0x2<br>&gt; Call Trace:<br>&gt;  g+0x3/0x4</p>\n',
);

/** Runs the pipeline over every fixture (logs, detector fixtures, the example, mail). */
async function exercisePipeline(): Promise<void> {
  for (const dir of ['logs', 'detectors', join(FIXTURES, '..', 'examples')]) {
    for (const path of listLogs(dir)) analyzeText(readFixture(path).log.toString('utf8'), path);
  }
  for (const path of [...walk(join(FIXTURES, 'mail')).filter((p) => !p.endsWith('.md')), 'html']) {
    const raw = path === 'html' ? HTML_MAIL : readFileSync(path);
    // An mbox holds several messages; parsing it whole as one message still runs every regex on its text.
    const msg = await parseMessage(raw);
    analyzeMessage(msg, path);
  }
}

/** Recipes for one regex: every pump alone, then runs pumped at points of a real match. */
function recipesFor(a: AuditedRegex, o: Observation | undefined): Recipe[] {
  const out: Recipe[] = PUMPS.flatMap((pump) => [
    { prefix: '', pump, tail: TAIL },
    { prefix: '', pump, tail: '' },
  ]);
  const length = a.reportLinesOnly ? DEFAULT_MAX_LINE_CHARS : LENGTH;
  for (const pump of HEADER_PUMPS) out.push({ prefix: '', pump, tail: TAIL, length }, { prefix: '', pump, tail: '', length });
  const ex = o?.example;
  if (!ex || ex.length === 0) return out;
  // Pump the character found at up to 24 points of the match, after the part of the match before it.
  const step = Math.max(1, Math.floor(ex.length / 24));
  for (let j = 0; j < ex.length; j += step) {
    const at = ex.index + j;
    const prefix = a.re.sticky ? ex.input.slice(ex.index, at) : ex.input.slice(0, at);
    out.push({ prefix, pump: ex.input[at]!, tail: TAIL });
  }
  return out;
}

interface Timing {
  worstMs: number;
  worst: Recipe;
}

/** Times one regex in the worker; a hang ends the worker (a new one is made) and reports Infinity. */
class RegexTimer {
  private worker = this.spawn();

  private spawn(): Worker {
    return new Worker(new URL('./helpers/regex-timing-worker.mjs', import.meta.url), { workerData: { length: LENGTH } });
  }

  async time(re: RegExp, recipes: Recipe[]): Promise<Timing> {
    const w = this.worker;
    return new Promise<Timing>((resolve) => {
      const timer = setTimeout(() => {
        w.off('message', done);
        void w.terminate();
        this.worker = this.spawn();
        resolve({ worstMs: Infinity, worst: recipes[0]! });
      }, HANG_MS);
      const done = (t: Timing) => {
        clearTimeout(timer);
        resolve(t);
      };
      w.once('message', done);
      w.postMessage({ id: 0, source: re.source, flags: re.flags, recipes });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

function show(r: Recipe): string {
  return `${JSON.stringify(r.prefix.slice(-60))} + ${JSON.stringify(r.pump)} x ${Math.ceil((r.length ?? LENGTH) / r.pump.length)} + ${JSON.stringify(r.tail)}`;
}

describe('ReDoS audit', () => {
  const audited = auditedRegexes();
  const keys = new Set(audited.map((a) => regexKey(a.re)));

  beforeAll(async () => {
    await observe(exercisePipeline);
  }, 120_000);

  it('lists every regex the pipeline runs on the fixtures', () => {
    expect(observed.size).toBeGreaterThan(100);
    const missing = [...observed].filter(([k]) => !keys.has(k)).map(([k, o]) => `${k} (used at ${o.caller.slice(SRC.length + 1)})`);
    // A regex applied to input must be in its module's exported list (see test/helpers/input-regexes.ts).
    expect(missing).toEqual([]);
  });

  it(`runs every listed regex on ${LENGTH / 1024} KB adversarial strings in under ${LIMIT_MS} ms`, async () => {
    const timer = new RegexTimer();
    const slow: string[] = [];
    try {
      for (const a of audited) {
        const recipes = recipesFor(a, observed.get(regexKey(a.re)));
        let t: Timing | undefined;
        const ms = await overBoundTwice(async () => (t = await timer.time(a.re, recipes)).worstMs, LIMIT_MS);
        if (ms !== undefined) slow.push(`${a.from}: ${a.re} took ${ms === Infinity ? `over ${HANG_MS}` : Math.round(ms)} ms on ${show(t!.worst)}`);
      }
    } finally {
      await timer.close();
    }
    expect(slow).toEqual([]);
  }, 300_000);
});

describe('pipeline on adversarial lines', () => {
  let worker: Worker;
  beforeAll(() => {
    worker = new Worker(new URL('./helpers/pipeline-timing-worker.mjs', import.meta.url), {
      workerData: { dist: join(import.meta.dirname, '..', 'dist', 'analyze.js') },
    });
  });
  afterAll(async () => {
    await worker.terminate();
  });

  /** Analyses `text` as a log and as a mail body in the worker; resolves to the milliseconds taken, Infinity on a hang. */
  function timeText(text: string): Promise<number> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        void worker.terminate();
        resolve(Infinity);
      }, HANG_MS);
      worker.once('message', (ms: number) => {
        clearTimeout(timer);
        resolve(ms);
      });
      worker.postMessage(text);
    });
  }

  // Where an adversarial run sits: alone, behind each kind of prefix, in a header, in a report's register and module lines.
  const linePrefixes = [
    '',
    '[    1.000000] ',
    '<4>[    1.000000] [  T123] ',
    'Jul 26 12:58:23 host kernel: ',
    '2024-01-02T03:04:05.1234567Z ',
    '4,123,456789,-;',
    '> > ',
    '[    1.000000] WARNING: CPU: 0 PID: 1 at ',
    'BUG: KASAN: ',
    '[    1.000000] RIP: 0010:',
    '[    1.000000] CPU: 0 PID: 1 Comm: ',
    'Modules linked in: ',
  ];
  const header = '[    1.000000] WARNING: CPU: 0 PID: 1 at kernel/a.c:1 f+0x1/0x2\n[    1.000000] Call Trace:\n';
  const trace = '[    1.000000]  g+0x3/0x4\n[    1.000000] ---[ end trace 0000000000000000 ]---\n';
  const pumps = [' ', '\t', '0', 'a', '[', ']', '0x', '>', '> ', 'a.', '<', '/', '+0x1/0x2 '];

  it(`analyses each adversarial line (inside a report, as a log and as mail) in under ${PIPELINE_LIMIT_MS} ms`, async () => {
    const slow: string[] = [];
    for (const prefix of linePrefixes) {
      for (const pump of pumps) {
        const text = `${header}${prefix}${pump.repeat(Math.ceil(LENGTH / pump.length))}\n${trace}`;
        const ms = await overBoundTwice(() => timeText(text), PIPELINE_LIMIT_MS);
        if (ms !== undefined) slow.push(`${JSON.stringify(prefix)} + ${JSON.stringify(pump)}: ${ms} ms`);
      }
    }
    expect(slow).toEqual([]);
  }, 300_000);

  it(`analyses a report of 1000 blank 2 KB lines in under ${PIPELINE_LIMIT_MS} ms (was 28 s: /m regexes across lines)`, async () => {
    const text = `${header}${`[    1.000000] ${' '.repeat(2048)}\n`.repeat(1000)}${trace}`;
    expect(await overBoundTwice(() => timeText(text), PIPELINE_LIMIT_MS)).toBeUndefined();
  }, 60_000);
});
