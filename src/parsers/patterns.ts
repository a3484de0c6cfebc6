// Regex macros shared by the crash-format tables, so the tables read like the
// kernel messages they describe instead of repeating character classes.

const MACROS: Record<string, string> = {
  // A hex address, "0xffff888012345678".
  '{{ADDR}}': '0x[0-9a-f]+',
  // A printed PC: "[<ffffffff8316f759>]" (x86, s390, riscv) or "[c00000000f8e3b80]" (powerpc).
  '{{PC}}': String.raw`\[<?(?:0x)?[0-9a-f]+>?\]`,
  // A function symbol followed by its "+0x.." offset or a ".isra"/".cold" suffix, or by the location
  // scripts/decode_stacktrace.sh put in place of the offset ("foo (fs/foo.c:12)"); captures the name.
  '{{FUNC}}': String.raw`([a-zA-Z0-9_]+)(?:\.|\+| \([^\s():]+:[0-9])`,
  // A source location "fs/xfs/xfs_aops.c:971"; captures it. It starts where its run of path characters
  // starts (every table puts a blank or the line start before it); matched alone, every position of a
  // long run would otherwise rescan the run.
  '{{SRC}}': String.raw`(?<![a-zA-Z0-9\-_/.])([a-zA-Z0-9\-_/.]+\.[a-z]+:[0-9]+)`,
};

/** Expands {{MACROS}} and compiles. Patterns are matched against one line at a time. */
export function pattern(src: string, flags = ''): RegExp {
  let out = src;
  for (const [k, v] of Object.entries(MACROS)) out = out.split(k).join(v);
  return new RegExp(out, flags);
}
