// Event payload -> fields. Most TP_printk formats are "key=value" lists, but many are not:
// "bdi 8:0: ino=23" (writeback), "dev 8:2 ino 1c000d page=..." (filemap), "dev 8,13 ino 5 pos 0"
// (ext4), "dev = (7,0), ino = 121" (f2fs). Values are kept as printed (strings); callers convert.
// See ../shared/docs/ftrace-formats.md 0.5 and 2.x.

/** Splits on blanks outside [...], {...}, (...) and "...": "cpumask=ARRAY[0f, 00]" stays one token. */
export function tokenize(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (start < 0) {
      if (c === ' ' || c === '\t') continue;
      start = i;
    }
    if (quoted) {
      if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === '[' || c === '{' || c === '(') depth++;
    else if ((c === ']' || c === '}' || c === ')') && depth > 0) depth--;
    else if ((c === ' ' || c === '\t') && depth === 0) {
      out.push(s.slice(start, i));
      start = -1;
    }
  }
  if (start >= 0) out.push(s.slice(start));
  return out;
}

// A field name as TP_printk formats print it ("nr_reclaimed", "prev_comm", "cgroup_ino").
const keyRe = /^[A-Za-z_][\w.]*$/;
// "dev = (7,0), ino = 121, ..." (f2fs).
const spacedEqualsRe = /^[A-Za-z_]\w* = /;
// "bdi 8:0:" / "bdi (unknown):" prefix of writeback events.
const bdiRe = /^bdi (\S+?):(?:\s|$)/;
const commaRe = /,\s+/;
const trailingCommaRe = /,$/;
// The word of a "word value" pair (ext4 "dev 8,2 ino 12", filemap "dev 8:2 ino 1c000d").
const pairWordRe = /^[a-z_]+$/;

/** The regexes this module applies to input text (for the ReDoS audit). */
export const payloadRegexes: readonly RegExp[] = [keyRe, spacedEqualsRe, bdiRe, commaRe, trailingCommaRe, pairWordRe];

function parseSpacedEquals(payload: string, fields: Record<string, string>): void {
  for (const part of payload.split(commaRe)) {
    const i = part.indexOf(' = ');
    if (i > 0) fields[part.slice(0, i).trim()] = part.slice(i + 3).trim().replace(trailingCommaRe, '');
  }
}

/**
 * The fields of a payload, or undefined when it has none that can be named. key=value
 * tokens anywhere; "word value" pairs before the first key=value token (a pair needs a
 * lower-case word followed by a value with no "="); a leading "bdi NAME:".
 */
export function parsePayloadFields(payload: string): Record<string, string> | undefined {
  const fields: Record<string, string> = {};
  let rest = payload;
  if (spacedEqualsRe.test(rest)) {
    parseSpacedEquals(rest, fields);
    return Object.keys(fields).length > 0 ? fields : undefined;
  }
  const bdi = bdiRe.exec(rest);
  if (bdi) {
    fields.bdi = bdi[1]!;
    rest = rest.slice(bdi[0].length);
  }
  const tokens = tokenize(rest);
  let pairs = true;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const eq = t.indexOf('=');
    if (eq > 0 && keyRe.test(t.slice(0, eq))) {
      pairs = false;
      fields[t.slice(0, eq)] = t.slice(eq + 1);
      continue;
    }
    const next = tokens[i + 1];
    if (pairs && pairWordRe.test(t) && next !== undefined && !next.includes('=')) {
      fields[t] = next;
      i++;
      continue;
    }
    pairs = false;
  }
  return Object.keys(fields).length > 0 ? fields : undefined;
}
