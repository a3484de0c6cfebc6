// The lines a report's header may take as its "preceding lines": the last few lines of the
// same printk context that belonged to no report, printed shortly before the header.
//
// One ring of the last WINDOW input lines' worth of entries, in input order, instead of a list
// per context: memory is bounded by the window whatever the number of contexts, and a line can
// be added before anyone knows its context. The analyzer skips the normalisation of quiet lines
// (src/analyze/quiet-lines.ts) and adds them raw; their context is worked out only when a header
// looks back over them, which most never see.

/** A line's context and text, worked out from its raw text when a header needs it (null: no message). */
export type ResolveLine = (raw: string, lineNo: number) => { ctx: string; text: string } | null;

/** Lines of one context a header takes (the kernel's "cut here" line, the banner, a driver's message). */
export const PRECEDING = 8;
/**
 * How far back, in input lines, a header looks. It bounds the work a header can cause and makes
 * the result independent of lines older than that, so the analyzer may skip them (exactly).
 */
export const WINDOW = 128;

/** Entries kept at most, whatever the line numbers say (a window holds a line and a barrier per line). */
const MAX_ENTRIES = 4 * WINDOW;

/** A line added raw (rememberRaw) whose context is not worked out yet. */
const RAW = undefined;
/** A line that carries no message, once resolved. */
const NONE = '';

/**
 * A circular buffer of entries in input order, in parallel arrays: no allocation per line. It
 * starts small and grows to MAX_ENTRIES (a segmenter is made per mail message).
 */
export class RecentLines {
  private capacity = 16;
  private lineNos = new Float64Array(this.capacity);
  /** The line's context; RAW while it is raw. A barrier has its report's context. */
  private ctxs: Array<string | undefined> = new Array<string | undefined>(this.capacity).fill(NONE);
  /** Its text (the raw text until resolved); empty: nothing to remember. */
  private texts: string[] = new Array<string>(this.capacity).fill('');
  /** A report started here in its context: lines before it are not the next report's. */
  private barriers = new Uint8Array(this.capacity);
  private first = 0;
  private count = 0;

  constructor(private readonly resolve: ResolveLine) {}

  /** A line of context `ctx` that belonged to no report (blank lines are not kept). */
  remember(lineNo: number, ctx: string, text: string): void {
    if (text.trim() === '') return;
    this.add(lineNo, ctx, text, 0);
  }

  /** A line the analyzer did not normalise; it is resolved if a header looks back over it. */
  rememberRaw(lineNo: number, raw: string): void {
    this.add(lineNo, RAW, raw, 0);
  }

  /**
   * The preceding lines of a report of context `ctx` whose header is line `lineNo`: the last
   * PRECEDING lines of `ctx` within WINDOW lines, after the previous report of `ctx` started.
   */
  take(ctx: string, lineNo: number): string[] {
    const out: string[] = [];
    const from = lineNo - WINDOW;
    for (let k = this.count - 1; k >= 0 && out.length < PRECEDING; k--) {
      const i = (this.first + k) % this.capacity;
      // Mail's joined lines may repeat a line number: no order is assumed.
      if (this.lineNos[i]! < from) continue;
      if (this.ctxs[i] === RAW) this.resolveEntry(i);
      if (this.ctxs[i] !== ctx) continue;
      if (this.barriers[i] === 1) break;
      const text = this.texts[i]!;
      if (text !== '') out.push(text);
    }
    this.add(lineNo, ctx, '', 1);
    return out.reverse();
  }

  private resolveEntry(i: number): void {
    const r = this.resolve(this.texts[i]!, this.lineNos[i]!);
    this.ctxs[i] = r === null ? NONE : r.ctx;
    this.texts[i] = r === null || r.text.trim() === '' ? '' : r.text;
  }

  private add(lineNo: number, ctx: string | undefined, text: string, barrier: number): void {
    const from = lineNo - WINDOW;
    while (this.count > 0 && (this.count >= MAX_ENTRIES || this.lineNos[this.first]! < from)) {
      this.texts[this.first] = '';
      this.first = (this.first + 1) % this.capacity;
      this.count--;
    }
    if (this.count === this.capacity) this.grow();
    const i = (this.first + this.count) % this.capacity;
    this.lineNos[i] = lineNo;
    this.ctxs[i] = ctx;
    this.texts[i] = text;
    this.barriers[i] = barrier;
    this.count++;
  }

  /** Doubles the arrays (up to MAX_ENTRIES), oldest entry first. */
  private grow(): void {
    const cap = Math.min(MAX_ENTRIES, this.capacity * 2);
    const lineNos = new Float64Array(cap);
    const ctxs = new Array<string | undefined>(cap).fill(NONE);
    const texts = new Array<string>(cap).fill('');
    const barriers = new Uint8Array(cap);
    for (let k = 0; k < this.count; k++) {
      const i = (this.first + k) % this.capacity;
      lineNos[k] = this.lineNos[i]!;
      ctxs[k] = this.ctxs[i];
      texts[k] = this.texts[i]!;
      barriers[k] = this.barriers[i]!;
    }
    this.lineNos = lineNos;
    this.ctxs = ctxs;
    this.texts = texts;
    this.barriers = barriers;
    this.capacity = cap;
    this.first = 0;
  }
}
