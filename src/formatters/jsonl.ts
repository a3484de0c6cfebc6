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
 * JSON.stringify(value, null, 2) as it appears `depth` arrays or objects deep in a larger document:
 * every line indented by 2 x depth spaces. The value is laid out inside `depth` arrays of its own
 * and their brackets cut off, so no second pass indents every line.
 */
export function nestedJson(value: unknown, depth: number): string {
  let wrapped = value;
  for (let i = 0; i < depth; i++) wrapped = [wrapped];
  // Each array adds "[\n" plus its indentation before, and "\n" plus its indentation and "]" after.
  const cut = depth * (depth + 1);
  const text = JSON.stringify(wrapped, null, 2);
  return cut === 0 ? text : text.slice(cut, -cut);
}

/**
 * formatJsonDocument's text for an array, an element at a time: element `index` (with the "["
 * before the first and the "," before the others), then formatJsonArrayEnd. The CLI writes a
 * long run's -f json as its records come, instead of holding them all (1.2 GB for 200 MB of
 * console log).
 */
export function formatJsonArrayElement(value: unknown, index: number): string {
  return `${index === 0 ? '[\n' : ',\n'}${escapeRawControls(nestedJson(value, 1))}`;
}

/** The end of an array written by formatJsonArrayElement, which wrote `count` elements. */
export function formatJsonArrayEnd(count: number): string {
  return count === 0 ? '[]\n' : '\n]\n';
}
