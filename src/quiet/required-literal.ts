// A literal every match of a regular expression contains, read from its source: the quiet-line
// test (inert-line.ts) can then look for that word in its one scan instead of running the regex
// on every quiet line. Conservative: a source it does not fully understand gives undefined.

/** Characters with a meaning in a pattern outside a character class. */
const META = new Set(['.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '^', '$', '\\']);

function isAlnum(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/** Index just past the group or class that opens at `i` (`(` or `[`), or -1 when unbalanced. */
function skipGroup(src: string, i: number): number {
  let depth = 0;
  let inClass = false;
  for (let k = i; k < src.length; k++) {
    const c = src[k]!;
    if (c === '\\') {
      k++;
      continue;
    }
    if (inClass) {
      if (c === ']') {
        inClass = false;
        if (depth === 0) return k + 1;
      }
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return k + 1;
    }
  }
  return -1;
}

/**
 * The longest run of literal characters at the top level of `source` (a pattern without flags)
 * that every match must contain, or undefined: for a top-level alternation, for runs of fewer
 * than `minLength` characters, and for anything but printable ASCII.
 * `VM_BUG_ON(?:_PAGE)?\(PageTail` gives "VM_BUG_ON" ("(PageTail" is as long, the first wins).
 */
export function requiredLiteral(source: string, minLength = 4): string | undefined {
  let best = '';
  let run = '';
  const endRun = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < source.length; ) {
    const c = source[i]!;
    const code = c.charCodeAt(0);
    if (code < 0x20 || code > 0x7e) return undefined;
    if (!META.has(c)) {
      run += c;
      i++;
      continue;
    }
    if (c === '\\') {
      const e = source[i + 1];
      if (e === undefined) return undefined;
      // An escaped letter or digit is a class, a boundary or a back-reference; escaped punctuation is itself.
      if (isAlnum(e) || e.charCodeAt(0) < 0x20 || e.charCodeAt(0) > 0x7e) {
        endRun();
        i += 2;
        // \k<name> and \p{...} / \u{...} carry more characters: not worth reading.
        if (e === 'k' || e === 'p' || e === 'P' || e === 'u' || e === 'x' || e === 'c') return undefined;
        continue;
      }
      run += e;
      i += 2;
      continue;
    }
    if (c === '?' || c === '*' || c === '{') {
      // The character before is optional (or counted): it leaves the run.
      run = run.slice(0, -1);
      endRun();
      if (c === '{') {
        const close = source.indexOf('}', i);
        if (close < 0) return undefined;
        i = close + 1;
      } else {
        i++;
      }
      // A lazy quantifier's "?".
      if (source[i] === '?') i++;
      continue;
    }
    if (c === '+') {
      // The character before is required once; what follows may repeat it.
      endRun();
      i++;
      if (source[i] === '?') i++;
      continue;
    }
    if (c === '(' || c === '[') {
      endRun();
      const next = skipGroup(source, i);
      if (next < 0) return undefined;
      i = next;
      // A quantified group or class may be absent, which changes nothing here (it is not in a run).
      continue;
    }
    if (c === '|') return undefined;
    // ".", "^", "$", or a stray ")", "]", "}".
    endRun();
    i++;
  }
  endRun();
  return best.length >= minLength ? best : undefined;
}
