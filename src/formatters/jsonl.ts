// JSON Lines: one record per line, written as soon as it is known.
import type { OutputRecord } from '../model/records.js';

/** JSON.stringify escapes every control character, so a record is always one line. */
export function formatJsonLine(rec: OutputRecord): string {
  return `${JSON.stringify(rec)}\n`;
}
