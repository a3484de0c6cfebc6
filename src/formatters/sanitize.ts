// Text from the input must never reach a terminal raw: escape sequences and
// control characters in a log could rewrite the screen.

const controlRe = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]/g;

/** Replaces control characters (ESC, CR, C1 controls ...) with a visible "?"; keeps TAB as a space. */
export function sanitizeForTerminal(text: string): string {
  return text.replace(/\t/g, ' ').replace(controlRe, '?');
}
