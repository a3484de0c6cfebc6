// Lines are slices of the string a whole chunk of input was decoded into (read-lines.ts), and
// V8 keeps a slice's parent alive: a short title kept for the end of a run can hold a 16 KB window
// of the input. Values kept across a run are copied out first.

/** A copy of `s` that shares no memory with the string it was sliced from. */
export function unslice(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}
