// JSON Lines: one record per line, written as soon as it is known.
import type { OutputRecord } from '../model/records.js';

// Characters JSON allows unescaped that must not reach a terminal or a line reader raw:
// DEL and the C1 controls (U+009B is a one-character CSI), and U+2028/U+2029, which
// Unicode-aware line readers (Python's str.splitlines(), editors) take for line ends.
const rawControlRe = /[\u007f-\u009f\u2028\u2029]/g;

/** JSON text with those characters written as \uXXXX escapes (the same JSON value). */
export function escapeRawControls(json: string): string {
  return json.replace(rawControlRe, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * One record as one line: JSON.stringify escapes the C0 controls (and lone surrogates),
 * escapeRawControls the rest, so a line is safe to print and to split on any line end.
 */
export function formatJsonLine(rec: OutputRecord): string {
  return `${escapeRawControls(JSON.stringify(rec))}\n`;
}

/** Records (or any output value) as one pretty-printed JSON document, escaped like a JSON line. */
export function formatJsonDocument(value: unknown): string {
  return `${escapeRawControls(JSON.stringify(value, null, 2))}\n`;
}

/**
 * formatJsonDocument's text for an array, an element at a time: element `index` (with the "["
 * before the first and the "," before the others), then formatJsonArrayEnd. The CLI writes a
 * long run's -f json as its records come, instead of holding them all (1.2 GB for 200 MB of
 * console log).
 */
export function formatJsonArrayElement(value: unknown, index: number): string {
  // JSON.stringify indents an element of an array one level deeper than the element alone; its
  // strings hold no raw line end, so every line break is one of the layout's.
  const text = escapeRawControls(JSON.stringify(value, null, 2)).replaceAll('\n', '\n  ');
  return `${index === 0 ? '[\n' : ',\n'}  ${text}`;
}

/** The end of an array written by formatJsonArrayElement, which wrote `count` elements. */
export function formatJsonArrayEnd(count: number): string {
  return count === 0 ? '[]\n' : '\n]\n';
}
