// Escaping of text from the input for each output syntax. Kernel logs are
// untrusted: a line may hold markup, control characters or workflow commands.

/** Characters XML 1.0 forbids (C0 controls but TAB/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const xmlIllegalRe = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Replaces characters that cannot appear in an XML 1.0 document with U+FFFD. */
export function xmlLegal(text: string): string {
  return text.replace(xmlIllegalRe, '\uFFFD');
}

// Legal in XML 1.0 but not to be written raw: CR (a parser reads a raw CR as LF, and a terminal
// showing the file returns the cursor), DEL and the C1 controls (U+009B is a one-character CSI) and
// U+2028/U+2029, which Unicode-aware line readers take for line ends. A character reference keeps
// the value, as JSON's \uXXXX does.
const xmlRawControlRe = /[\r\u007f-\u009f\u2028\u2029]/g;

/** Element content: & < > escaped (">" too, so "]]>" cannot occur), illegal characters replaced, CR, C1 and U+2028/9 as references. */
export function xmlText(text: string): string {
  return xmlLegal(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(xmlRawControlRe, (c) => `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`);
}

/** Attribute value (for "..." quoting): also quotes, and TAB/LF as references so parsers keep them (CR is one already). */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

/**
 * Control characters other than TAB and LF (ESC, CR, C1 ...) and U+2028/U+2029 (line ends to
 * Unicode-aware readers): never useful in Markdown, a GitHub job log or a terminal.
 */
const controlRe = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]/g;

/** Text with those control characters replaced by U+FFFD (Markdown, the GitHub job log). */
export function replaceControls(text: string): string {
  return text.replace(controlRe, '\uFFFD');
}

/**
 * Workflow command data (after "::"): GitHub's escapeData, % CR LF, and other controls replaced
 * (the runner decodes only %25, %0D, %0A, %3A and %2C, and its log viewer runs ANSI codes).
 */
export function githubData(text: string): string {
  return replaceControls(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** Workflow command property value: GitHub's escapeProperty, % CR LF : and ",". */
export function githubProperty(text: string): string {
  return githubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * Inline Markdown text (a table cell, a list item after its marker): one line,
 * HTML special characters as entities, Markdown emphasis, code, link, math and
 * strike-through characters backslash-escaped, and "|" so a table cell cannot be split.
 */
export function mdText(text: string): string {
  return htmlText(text.replace(/\s*[\n\t]\s*/g, ' ')).replace(/[\\`*_[\]|~$]/g, '\\$&');
}

/** Text inside raw HTML in Markdown (<summary>): entities only, since backslash escapes do not apply there. */
export function htmlText(text: string): string {
  return replaceControls(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A fenced code block that its content cannot close: the fence is longer than any backtick run in it. */
export function mdCodeBlock(text: string, info = 'text'): string {
  const body = replaceControls(text);
  const longest = (body.match(/`+/g) ?? []).reduce((n, run) => Math.max(n, run.length), 0);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${body}\n${fence}\n`;
}
