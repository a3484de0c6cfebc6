// Text from the input must never reach a terminal raw: escape sequences and
// control characters in a log could rewrite the screen.

// LF too: every use is one line (a table cell, a field of a message), and a file name, the one
// piece of input that can hold a newline, would otherwise start a line the input wrote (a forged
// "ktriage: ..." message).
const controlRe = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]/g;

/** Replaces control characters (ESC, CR, LF, C1 controls ...) with a visible "?"; keeps TAB as a space. */
export function sanitizeForTerminal(text: string): string {
  return text.replace(/\t/g, ' ').replace(controlRe, '?');
}
