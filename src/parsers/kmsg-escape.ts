// /dev/kmsg escapes a record's text (Documentation/ABI/testing/dev-kmsg): every byte below a
// blank, from 127 up, and the backslash itself is printed as "\xNN" (kernel/printk/printk.c,
// msg_add_ext_text; the same since v3.5). A record of several lines, such as lockdep's
// "\nbut task is already holding lock:", reads "\x0abut task ...", and UTF-8 text is escaped
// byte by byte ("\xc3\xa4").

// A run of escapes: decoded together, so a character of several UTF-8 bytes comes out whole.
const escapeRunRe = /(?:\\x[0-9a-fA-F]{2})+/g;

/** Regexes this module applies to input lines (the ReDoS audit runs them on adversarial input). */
export const kmsgEscapeRegexes: readonly RegExp[] = [escapeRunRe];

/** The text of a /dev/kmsg record with its "\xNN" escapes decoded (invalid UTF-8 becomes U+FFFD). */
export function unescapeKmsg(text: string): string {
  if (!text.includes('\\x')) return text;
  return text.replace(escapeRunRe, (run) => {
    const bytes = Buffer.alloc(run.length / 4);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(i * 4 + 2, i * 4 + 4), 16);
    return bytes.toString('utf8');
  });
}
