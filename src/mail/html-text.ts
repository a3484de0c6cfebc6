// An HTML mail body -> plain text, for messages without a text/plain part: line
// breaks kept, tags dropped, the entities a pasted splat uses ("&gt;" quoting) decoded.

// "<br>", "<br/>", "<br />".
const brRe = /<br\s*\/?>/gi;
const gtRe = /&gt;/g;
const ltRe = /&lt;/g;
const ampRe = /&amp;/g;

/** Regexes this module applies to mail text (the ReDoS audit runs them on adversarial input). */
export const htmlTextRegexes: readonly RegExp[] = [brRe, gtRe, ltRe, ampRe];

/**
 * Removes tags as /<[^>]+>/g would: from a "<" to the next ">" with at least one character
 * between. A loop, because that regex rescans to the end of the text from every "<" that
 * has no ">" after it (quadratic on "<<<<...").
 */
export function stripTags(html: string): string {
  let out = '';
  let from = 0;
  let search = 0;
  for (;;) {
    const lt = html.indexOf('<', search);
    if (lt < 0) break;
    const gt = html.indexOf('>', lt + 1);
    if (gt < 0) break;
    if (gt === lt + 1) {
      // "<>" is no tag: it stays, and the search goes on after its "<".
      search = lt + 1;
      continue;
    }
    out += html.slice(from, lt);
    from = search = gt + 1;
  }
  return out + html.slice(from);
}

/** The text of an HTML body. */
export function htmlToText(html: string): string {
  return stripTags(html.replace(brRe, '\n')).replace(gtRe, '>').replace(ltRe, '<').replace(ampRe, '&');
}
