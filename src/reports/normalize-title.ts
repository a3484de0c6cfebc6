// Title normalization: removes what changes between occurrences of the same bug
// (addresses, PIDs, line numbers, offsets, CPU numbers), the way syzbot does,
// so titles can be compared and searched on the syzbot dashboard.

interface Replacement {
  what: string;
  re: RegExp;
  to: string;
}

/** Applied in order; each one repeatedly until the title stops changing (matches can overlap: "0,1,2"). */
const replacements: readonly Replacement[] = [
  { what: 'syzkaller executor process ids', re: /syz-executor\.?[0-9]+((\/|:)[0-9]+)?/g, to: 'syz-executor' },
  { what: 'syzkaller repro binaries', re: /syzkaller[0-9]+((\/|:)[0-9]+)?/g, to: 'syzkaller' },
  { what: 'addresses', re: /([^a-zA-Z0-9])(?:0x)?[0-9a-f]{6,}/g, to: '$1ADDR' },
  // syzkaller's rule above wants no letter or digit before an address. A garbled line can glue one
  // on ("0x0xffff888109a3c600", found by npm run fuzz): a "0x" and six hex digits are an address
  // wherever they stand. Real titles have no such run, so syzbot's titles do not change.
  { what: 'addresses glued to what is before them', re: /0x[0-9a-f]{6,}/g, to: 'ADDR' },
  { what: 'IPv4 addresses', re: /([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3})/g, to: 'IP' },
  { what: 'source line numbers', re: /(\.\w+)(:[0-9]+)+/g, to: '$1:LINE' },
  // The lookbehind starts the name at the first letter of its run of name characters, where the
  // leftmost match starts anyway; without it every letter of a long run rescanned the run (quadratic).
  // The lookahead lets the lookbehind run at letters only (it would rescan a digit run at every digit).
  {
    what: 'function offsets "+0x1/0x2"',
    re: /(?=[a-zA-Z])(?<=(?<![a-zA-Z0-9_.])[0-9_.]*)([a-zA-Z][a-zA-Z0-9_.]+)\+0x[0-9a-z]+\/0x[0-9a-z]+/g,
    to: '$1',
  },
  // An offset with no function name before it (a line cut or garbled before the name) is dropped too.
  { what: 'offsets without a function "+0x1/0x2"', re: /\+0x[0-9a-z]+\/0x[0-9a-z]+/g, to: '' },
  { what: 'CPU numbers', re: /CPU#[0-9]+/g, to: 'CPU' },
  { what: 'decimal numbers not part of a name', re: /(\W)(\d+)(\W|$)/g, to: '$1NUM$3' },
  { what: 'long digit runs inside names', re: /(\d+){7,}/g, to: 'NUM' },
];

/** Regexes applied to titles (the ReDoS audit runs them on adversarial input). */
export const titleRegexes: readonly RegExp[] = replacements.map((r) => r.re);

/** Titles longer than this are cut: corrupted or interleaved lines can be very long. */
export const MAX_TITLE_LENGTH = 120;

export function normalizeTitle(title: string): string {
  // Dropped first, so that an address split by a stray byte ("0xffff\u00e9888012345678", serial
  // noise) is one address for the replacements, not a hex run left next to an ADDR.
  let s = printableOnly(title);
  for (const r of replacements) {
    for (let i = 0; i < 16; i++) {
      const next = s.replace(r.re, r.to);
      if (next === s) break;
      s = next;
    }
  }
  return sanitizeTitle(s);
}

/** Printable ASCII and tabs (as spaces); every other character is dropped. */
function printableOnly(title: string): string {
  let out = '';
  for (let i = 0; i < title.length; i++) {
    const code = title.charCodeAt(i);
    if (code === 9) out += ' ';
    else if (code >= 0x20 && code < 0x7f) out += title[i];
  }
  return out;
}

/** Keeps printable ASCII only, tabs as spaces, no double spaces, at most MAX_TITLE_LENGTH bytes of input. */
export function sanitizeTitle(title: string): string {
  let out = '';
  let prev = ' ';
  const n = Math.min(title.length, MAX_TITLE_LENGTH);
  for (let i = 0; i < n; i++) {
    let ch = title[i]!;
    const code = title.charCodeAt(i);
    if (ch === '\t') ch = ' ';
    else if (code < 0x20 || code >= 0x7f) continue;
    if (ch === ' ' && prev === ' ') continue;
    out += ch;
    prev = ch;
  }
  return out.trim();
}
