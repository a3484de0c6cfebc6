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

interface Entry {
  lineNo: number;
  /** The line's context; undefined while the line is raw (added by rememberRaw). */
  ctx: string | undefined;
  /** Its text; for a raw line, the raw text until resolved. Empty: nothing to remember. */
  text: string;
  /** A report started here in `ctx`: lines before it are not the next report's. */
  barrier: boolean;
}

export class RecentLines {
  private entries: Entry[] = [];
  /** Index of the oldest live entry (entries before it are dropped in batches). */
  private head = 0;

  constructor(private readonly resolve: ResolveLine) {}

  /** A line of context `ctx` that belonged to no report (blank lines are not kept). */
  remember(lineNo: number, ctx: string, text: string): void {
    if (text.trim() === '') return;
    this.add({ lineNo, ctx, text, barrier: false });
  }

  /** A line the analyzer did not normalise; it is resolved if a header looks back over it. */
  rememberRaw(lineNo: number, raw: string): void {
    this.add({ lineNo, ctx: undefined, text: raw, barrier: false });
  }

  /**
   * The preceding lines of a report of context `ctx` whose header is line `lineNo`: the last
   * PRECEDING lines of `ctx` within WINDOW lines, after the previous report of `ctx` started.
   */
  take(ctx: string, lineNo: number): string[] {
    const out: string[] = [];
    const from = lineNo - WINDOW;
    for (let i = this.entries.length - 1; i >= this.head && out.length < PRECEDING; i--) {
      const e = this.entries[i]!;
      // Mail's joined lines may repeat a line number: no order is assumed.
      if (e.lineNo < from) continue;
      if (e.ctx === undefined) this.resolveEntry(e);
      if (e.ctx !== ctx) continue;
      if (e.barrier) break;
      if (e.text !== '') out.push(e.text);
    }
    this.add({ lineNo, ctx, text: '', barrier: true });
    return out.reverse();
  }

  private resolveEntry(e: Entry): void {
    const r = this.resolve(e.text, e.lineNo);
    e.ctx = r === null ? '' : r.ctx;
    e.text = r === null || r.text.trim() === '' ? '' : r.text;
  }

  private add(e: Entry): void {
    const from = e.lineNo - WINDOW;
    while (this.head < this.entries.length && (this.entries[this.head]!.lineNo < from || this.entries.length - this.head >= MAX_ENTRIES)) this.head++;
    // Dropped entries are removed once they are half the array.
    if (this.head > 64 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    this.entries.push(e);
  }
}
