// Function-like identifiers a commit message names in prose ("fix a race in
// ext4_xattr_ibody_get()", "jbd2_journal_file_inode is called ..."). Splat lines
// are left to the report parser; URLs and addresses are not prose.

const MAX_MENTIONS = 64;

// "foo()" and snake_case words with at least one inner "_" ("xattr_find_entry").
const identifierRe = /\b([A-Za-z_]\w*)\(\)|\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b/g;
// Lines the report parser reads: frames ("foo+0x1/0x2"), register dumps, trace markers.
const splatLineRe = /\+0x[0-9a-f]+|^\s*(?:\[[\s\d.]+\]\s*)?(?:RIP:|Call Trace:|Call trace:|CPU: \d|Hardware name:|Code:|R[A-Z0-9]{2}: |pc : |lr : |<\/?TASK>)/;
// Whole tokens holding "://" or "@"; a token is scanned once (the lookbehind starts it at its first character).
const urlOrAddressRe = /(?<!\S)\S*(?::\/\/|@)\S*/g;
// Trailers name people and commits, not code.
const trailerRe = /^\s*(?:Signed-off-by|Acked-by|Reviewed-by|Tested-by|Cc|Co-developed-by|Suggested-by|Reported-by|Reported-and-tested-by|Link|Closes|Fixes|Message-ID|Change-Id):/i;

/** Lines longer than this are not prose (a pasted log, a collapsed message): skipped. */
const MAX_LINE = 1000;

/** Every regex applied to message lines (for the ReDoS audit). */
export const mentionRegexes: readonly RegExp[] = [identifierRe, splatLineRe, urlOrAddressRe, trailerRe];

/** Identifiers named in these lines, in order of appearance, at most 64. */
export function readMentions(lines: Iterable<string>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const line of lines) {
    if (line.length > MAX_LINE || splatLineRe.test(line) || trailerRe.test(line)) continue;
    const text = line.replace(urlOrAddressRe, ' ');
    for (const m of text.matchAll(identifierRe)) {
      const id = m[1] ?? m[2]!;
      if (id.length < 4 || seen.has(id)) continue;
      seen.add(id);
      out.push(id);
      if (out.length === MAX_MENTIONS) return out;
    }
  }
  return out;
}
