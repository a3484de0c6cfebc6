// Decoded mail text -> lines for the log pipeline. Mail mangles pasted splats:
// clients re-wrap long lines, and some archives collapse a whole message into
// one line. This undoes both where the splat's own structure shows how.

/** A line this long that carries splat markers was collapsed from many lines. */
const COLLAPSED_MIN = 400;

const splatMarkerRe = /WARNING:|BUG:|kernel BUG at|Call Trace:|Call trace:|Kernel panic|\+0x[0-9a-f]+\/0x[0-9a-f]+|general protection fault|Oops/;

// Where a line started before the collapse: quote markers ("> > "), printk timestamps,
// frames ("[<addr>] f+0x1/0x2", " f+0x1/0x2"), and the fixed lines of an oops report.
// Each break is a whole run of blanks: "(?<!\s)" starts it at the run's start and "(?!\s)" ends it at
// the run's end, where the lookahead can match. Without them every blank of a long run rescanned the
// rest of the run (quadratic). ">(?!\s\s)" is what "(?:>\s?)+(?:\S|$)" accepts, without reading on.
const breakRes: readonly RegExp[] = [
  /(?<!\s)\s+(?!\s)(?=>(?!\s\s))/g,
  /(?<!\s)\s+(?!\s)(?=\[\s*\d+\.\d{6}\])/g,
  /(?<!\s)\s+(?!\s)(?=\[<[0-9a-f]+>\])/g,
  /(?<=\S)\s+(?!\s)(?=\??\s*[A-Za-z_][\w.]*\+0x[0-9a-f]+\/0x[0-9a-f]+)/g,
  /(?<!\s)\s+(?!\s)(?=(?:Call Trace:|Call trace:|RIP: |Code: |RSP: |RAX: |RDX: |RBP: |R10: |R13: |FS: |CS: |CR2: |CPU: \d+ (?:UID: \d+ )?PID: \d+ Comm:|Hardware name:|Modules linked in:|Workqueue:|---\[ end |------------\[ cut here \]|WARNING: |kernel BUG at |BUG: |Kernel panic - |invalid opcode: |<\/?(?:TASK|IRQ|NMI)>))/g,
];

/** Splits one collapsed line back into lines (frames keep an indent, as the kernel prints them). */
export function splitCollapsed(line: string): string[] {
  let pieces = [line];
  for (const re of breakRes) {
    const next: string[] = [];
    for (const p of pieces) next.push(...p.split(re));
    pieces = next;
  }
  // A frame piece got its leading blank eaten by the split; the kernel indents frames.
  return pieces.filter((p) => p.length > 0).map((p) => (unindentedFrameRe.test(p) ? ` ${p}` : p));
}

// A frame whose indent the split ate: "f+0x1/0x2", "? f+0x1/0x2", "[<ffffffff8316f759>] f+0x1/0x2".
const unindentedFrameRe = /^\??\s*(?:\[<[0-9a-f]+>\]\s*)?[A-Za-z_][\w.]*\+0x/;

const quotePrefixRe = /^(\s*(?:>\s?)*)([^]*)$/;
// " [<ffffffff8316f759>]" at the end of a line, the function wrapped to the next one.
// ("\s*(?:\?\s*)?" rather than "\s*\??\s*": two adjacent "\s*" split a blank run every way, quadratic.)
const danglingAddressRe = /\[<[0-9a-f]+>\]\s*(?:\?\s*)?$/;
const frameStartRe = /^\s*(?:\?\s*)?[A-Za-z_][\w.]*\+0x[0-9a-f]+/;
// A source location of a symbolized frame wrapped onto its own line.
const wrappedSourceRe = /^\s*(?:\.\.\/)?[\w\-./]+\.[chS]:\d+(?::\d+)?(?: \[inline\])?\s*$/;
const frameEndRe = /\+0x[0-9a-f]+\/0x[0-9a-f]+(?: \[[\w.\-]+\])?\s*$/;

function split(line: string): [string, string] {
  const m = quotePrefixRe.exec(line)!;
  return [m[1] ?? '', m[2] ?? ''];
}

/**
 * Prepares decoded mail text: collapsed lines are split, lines a mail client wrapped
 * inside a frame are joined (keeping the quote prefix of the first).
 */
const lineBreakRe = /\r?\n/;
const blankRe = /\s/g;

/** Regexes this module applies to mail text (the ReDoS audit runs them on adversarial input). */
export const prepareTextRegexes: readonly RegExp[] = [
  splatMarkerRe, ...breakRes, unindentedFrameRe, quotePrefixRe, danglingAddressRe, frameStartRe, wrappedSourceRe, frameEndRe, lineBreakRe, blankRe,
];

/**
 * Can `line` be the first half of a frame a mail client wrapped? Both joins need a line that ends,
 * blanks aside, in "]" or "?" (danglingAddressRe) or in "]" or a hex digit (frameEndRe): most lines
 * are let go here without their quote prefix split off and two regexes run. (trimEnd removes what
 * the regexes' \s matches; "| 0x20" folds case, so a few more characters pass, never fewer.)
 */
function mayBeWrapped(line: string): boolean {
  const t = line.trimEnd();
  const c = t.charCodeAt(t.length - 1) | 0x20;
  return c === 0x7d /* "]" | 0x20 */ || c === 0x3f /* ? */ || (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66);
}

export function prepareMailLines(text: string): string[] {
  const raw = text.split(lineBreakRe);
  const lines: string[] = [];
  for (const l of raw) {
    if (l.length >= COLLAPSED_MIN && splatMarkerRe.test(l)) lines.push(...splitCollapsed(l));
    else lines.push(l);
  }
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let cur = lines[i]!;
    while (i + 1 < lines.length && mayBeWrapped(cur)) {
      const [q1, body1] = split(cur);
      const [q2, body2] = split(lines[i + 1]!);
      if (q1.replace(blankRe, '') !== q2.replace(blankRe, '')) break;
      if (danglingAddressRe.test(body1) && frameStartRe.test(body2)) cur = `${q1}${body1.trimEnd()} ${body2.trim()}`;
      else if (frameEndRe.test(body1) && wrappedSourceRe.test(body2)) cur = `${q1}${body1.trimEnd()} ${body2.trim()}`;
      else break;
      i++;
    }
    out.push(cur);
  }
  return out;
}
