// Which raw lines can change nothing while the analysis is quiet (no report open, no trace
// dump open, the kernel's start seen). Such a line only becomes a possible preceding line of
// a later report, and the analyzer can skip its normalisation and every per-line test
// (src/analyze.ts). The test runs on the raw line, before any prefix is removed, so it must
// be a superset of what each stage looks for in the normalised text:
// - every literal a stage's first test needs (the crash headers, the boot banner and the
//   bootloader hand-over, shell prompts, "error -N", "Dumping ftrace", ...), which each stage
//   exports next to its regexes;
// - the three shapes of a trace entry (entry-line.ts anyHintRe), which are no literals;
// - what normalisation removes or rewrites, after which a word could appear that the raw line
//   does not hold: control characters and ANSI escapes, backslash escapes, a journal JSON
//   record (its "MESSAGE" key is a word); and any non-ASCII character, which keeps the scan to
//   7-bit characters.
//
// One pass over the characters with a rolling hash of the last four, looked up in a table of
// the words' first four characters: ~5 ns a character, ~0.25 us a KernelCI line, against ~1.2 us
// the stages spend on it (measured 2026-11-27; a regex of the same words took ~6.5 ns a character).

import { kmsgDictRe } from '../parsers/normalize-line.js';

const TABLE_BITS = 16;
/** Four 7-bit ASCII characters, oldest in the high bits. */
const MASK28 = 0x0fffffff;

function hash4(h: number): number {
  return Math.imul(h, 0x9e3779b1) >>> (32 - TABLE_BITS);
}


// Character classes (bits of `cls`): what a character may start or end.
const WAKES = 1;
/** The last character of a word of two or three characters. */
const SHORT_END = 2;
const DIGIT = 4;
/** "[", "]", "." or ":": part of a trace entry hint. */
const HINT = 8;
const CR = 16;

export class InertLineTest {
  /** Bucket number + 1 of each hash of four characters, 0 for none. */
  private readonly table = new Uint8Array(1 << TABLE_BITS);
  private readonly buckets: string[][] = [];
  /** Words of two or three characters, by their last character. */
  private readonly short = new Map<number, string[]>();
  /** Class bits of each ASCII character. */
  private readonly cls = new Uint8Array(128);

  /** `words`: printable ASCII. `alsoTest`: regexes on the raw line (mention prefilters). */
  constructor(
    words: readonly string[],
    private readonly alsoTest: readonly RegExp[] = [],
  ) {
    const cls = this.cls;
    // Control characters wake, but TAB (the normaliser keeps it) and a CR at the end (cut off).
    for (let c = 0; c < 32; c++) cls[c] = WAKES;
    cls[127] = WAKES;
    cls[9] = 0;
    cls[13] = CR;
    // Escapes a normaliser decodes; they may hide anything.
    cls[92 /* \ */] = WAKES;
    for (let c = 48; c <= 57; c++) cls[c] = DIGIT;
    for (const c of [91, 93, 46, 58]) cls[c]! |= HINT;
    for (const w of new Set(words)) {
      for (let i = 0; i < w.length; i++) {
        const c = w.charCodeAt(i);
        if (c < 0x20 || c > 0x7e) throw new Error(`wake word ${JSON.stringify(w)}: printable ASCII only`);
      }
      if (w.length === 1) {
        cls[w.charCodeAt(0)]! |= WAKES;
      } else if (w.length < 4) {
        const last = w.charCodeAt(w.length - 1);
        const list = this.short.get(last) ?? [];
        list.push(w);
        this.short.set(last, list);
        cls[last]! |= SHORT_END;
      } else {
        let h = 0;
        for (let i = 0; i < 4; i++) h = ((h << 7) | w.charCodeAt(i)) & MASK28;
        const slot = hash4(h);
        let b = this.table[slot]!;
        if (b === 0) {
          if (this.buckets.length >= 255) throw new Error('too many wake words');
          this.buckets.push([]);
          b = this.buckets.length;
          this.table[slot] = b;
        }
        this.buckets[b - 1]!.push(w);
      }
    }
  }

  /** True when the line may matter to some stage even while the analysis is quiet. */
  wakes(text: string): boolean {
    const n = text.length;
    if (n === 0) return false;
    // A /dev/kmsg dictionary line is dropped after a kmsg record: that depends on the line before.
    if (text.charCodeAt(0) === 32 && kmsgDictRe.test(text)) return true;
    const table = this.table;
    const cls = this.cls;
    let h = 0;
    // Trace entry hints (entry-line.ts anyHintRe):
    // "[" digits "]": -1 outside, else the number of digits since "[".
    let bracket = -1;
    // digit "." digits ":": 0 nothing, 1 after a digit, 2 after digit ".", 3 after digit "." digits.
    let frac = 0;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      // Non-ASCII: kept to one byte per character (see above).
      if (c > 127) return true;
      h = ((h << 7) | c) & MASK28;
      const b = table[hash4(h)]!;
      if (b !== 0 && i >= 3) {
        for (const w of this.buckets[b - 1]!) if (text.startsWith(w, i - 3)) return true;
      }
      const f = cls[c]!;
      if (f === 0) {
        bracket = -1;
        frac = 0;
        continue;
      }
      if ((f & WAKES) !== 0) return true;
      if ((f & DIGIT) !== 0) {
        if (bracket >= 0) bracket++;
        frac = frac >= 2 ? 3 : 1;
        continue;
      }
      if ((f & CR) !== 0) {
        if (i !== n - 1) return true;
        continue;
      }
      if ((f & SHORT_END) !== 0) {
        for (const w of this.short.get(c)!) if (text.startsWith(w, i - w.length + 1)) return true;
      }
      if ((f & HINT) !== 0) {
        if (c === 91 /* [ */) {
          bracket = 0;
          frac = 0;
          continue;
        }
        if (c === 46 /* . */) {
          bracket = -1;
          frac = frac === 1 || frac === 3 ? 2 : 0;
          continue;
        }
        if (c === 93 /* ] */ && bracket > 0) return true;
        if (c === 58 /* : */) {
          if (frac === 3) return true;
          // digit "us" mark ":" (latency format).
          if (i >= 4 && text.charCodeAt(i - 2) === 115 && text.charCodeAt(i - 3) === 117) {
            const d = text.charCodeAt(i - 4);
            if (d >= 48 && d <= 57 && ' +!#*@$'.includes(text.charAt(i - 1))) return true;
          }
        }
      }
      bracket = -1;
      frac = 0;
    }
    for (const re of this.alsoTest) if (re.test(text)) return true;
    return false;
  }
}
