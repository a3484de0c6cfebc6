// Reading typed values out of event fields, with the era differences of the mm events
// (pfn decimal before v5.14 and 0x-hex after; filemap inode numbers in hex without "0x").

const hexRe = /^0x[0-9a-f]+$/i;
const decimalRe = /^-?\d+$/;
const bareHexRe = /^(?:0x)?[0-9a-f]+$/i;
const hexPrefixRe = /^0x/i;
const numericRe = /^(?:0x[0-9a-f]+|\d+)$/i;

/** The regexes this module applies to event fields (for the ReDoS audit). */
export const eventFieldRegexes: readonly RegExp[] = [hexRe, decimalRe, bareHexRe, hexPrefixRe, numericRe];

/** A decimal or 0x-hex field as a number (undefined when absent or not a number). */
export function fieldNumber(fields: Record<string, string> | undefined, key: string): number | undefined {
  const v = fields?.[key];
  if (v === undefined) return undefined;
  const n = hexRe.test(v) ? parseInt(v, 16) : decimalRe.test(v) ? Number(v) : NaN;
  return Number.isNaN(n) ? undefined : n;
}

/** A hex field printed without "0x" (filemap "ino 1c000d"). */
export function fieldHex(fields: Record<string, string> | undefined, key: string): number | undefined {
  const v = fields?.[key];
  if (v === undefined || !bareHexRe.test(v)) return undefined;
  return parseInt(v.replace(hexPrefixRe, ''), 16);
}

/** Symbolic flags ("RECLAIM_WB_FILE|RECLAIM_WB_ASYNC") or a raw number (trace-cmd -R, options/raw): does it hold `name`/`bit`? */
export function hasFlag(fields: Record<string, string> | undefined, key: string, name: string, bit: number): boolean {
  const v = fields?.[key];
  if (v === undefined) return false;
  if (numericRe.test(v)) return (Number(v) & bit) !== 0;
  return v.split('|').includes(name);
}
