// Escaping of input text per output syntax; expected values written by hand
// from the XML 1.0 Char production, GitHub's toolkit (escapeData/escapeProperty)
// and CommonMark's backslash escapes.
import { describe, expect, it } from 'vitest';
import { githubData, githubProperty, htmlText, mdCodeBlock, mdText, replaceControls, xmlAttr, xmlLegal, xmlText } from '../../src/formatters/escape.js';

describe('XML', () => {
  it.each([
    // the five special characters; ">" too, so "]]>" cannot appear
    ['a<b>&"\'', 'a&lt;b&gt;&amp;"\''],
    [']]>', ']]&gt;'],
    // TAB and LF stay; CR is legal but a reference (a parser reads a raw CR as LF; found by npm run fuzz)
    ['a\tb\nc\rd', 'a\tb\nc&#xD;d'],
    // C0 controls and ESC are not XML 1.0 characters
    ['\x00\x01\x08\x0b\x0c\x1b[31m', '\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD[31m'],
    // U+FFFE, U+FFFF and a lone surrogate are not either
    ['\uFFFE\uFFFF\uD800x\uDC00', '\uFFFD\uFFFD\uFFFDx\uFFFD'],
    // astral characters and a valid surrogate pair are legal and stay
    ['\u{1F600}\uD83D\uDE00', '\u{1F600}\u{1F600}'],
    // DEL, C1 controls (U+009B is a CSI) and U+2028/U+2029 are legal but written as references
    ['\x7f\x85\u009b2J\u2028\u2029', '&#x7F;&#x85;&#x9B;2J&#x2028;&#x2029;'],
  ])('xmlText(%j) = %j', (input, want) => {
    expect(xmlText(input)).toBe(want);
  });

  it('attributes also escape quotes and keep TAB/LF/CR as character references', () => {
    expect(xmlAttr('"q" \'a\'\t\n\r<&>')).toBe('&quot;q&quot; &apos;a&apos;&#9;&#10;&#xD;&lt;&amp;&gt;');
  });

  it('xmlLegal only replaces', () => {
    expect(xmlLegal('<a>\x02')).toBe('<a>\uFFFD');
  });
});

describe('GitHub workflow commands', () => {
  it.each([
    ['100%', '100%25'],
    ['a\r\nb', 'a%0D%0Ab'],
    // "%0A" typed in a log must not become a newline when GitHub unescapes
    ['%0A', '%250A'],
    // ":" and "," are escaped only in property values
    ['k:v,w', 'k:v,w'],
    // the runner decodes no other escape: ESC, BEL, C1 and U+2028/U+2029 are replaced
    ['a\x1b[31m\x07\u009b2J\u2028\u2029b', 'a\uFFFD[31m\uFFFD\uFFFD2J\uFFFD\uFFFDb'],
  ])('githubData(%j) = %j', (input, want) => {
    expect(githubData(input)).toBe(want);
  });

  it.each([
    ['k:v,w', 'k%3Av%2Cw'],
    ['a%\nb', 'a%25%0Ab'],
    ['f\u009b\x1b.c', 'f\uFFFD\uFFFD.c'],
  ])('githubProperty(%j) = %j', (input, want) => {
    expect(githubProperty(input)).toBe(want);
  });

  it('replaceControls (the job log outside commands) keeps TAB and LF and replaces every other control, CR included', () => {
    expect(replaceControls('a\tb\nc\rd\x1b[2J\u0085\u2028')).toBe('a\tb\nc\uFFFDd\uFFFD[2J\uFFFD\uFFFD');
  });
});

describe('Markdown', () => {
  it.each([
    // pipes cannot split a table cell
    ['a|b', 'a\\|b'],
    // HTML is shown, not interpreted
    ['<b>&', '&lt;b&gt;&amp;'],
    // emphasis, code, links, math, strike-through
    ['_u_ *s* `c` [l](u) $m$ ~d~', '\\_u\\_ \\*s\\* \\`c\\` \\[l\\](u) \\$m\\$ \\~d\\~'],
    // a backslash cannot escape our escapes
    ['\\|', '\\\\\\|'],
    // one line: newlines and tabs become one space; ESC is replaced
    ['a\n\tb\x1b', 'a b\uFFFD'],
    // C1 controls and U+2028/U+2029 are replaced too
    ['a\u009b2J\u2028b\u2029', 'a\uFFFD2J\uFFFDb\uFFFD'],
  ])('mdText(%j) = %j', (input, want) => {
    expect(mdText(input)).toBe(want);
  });

  it('htmlText escapes for raw HTML, where backslashes are literal', () => {
    expect(htmlText('<i>"_a_"</i> & \'')).toBe('&lt;i&gt;&quot;_a_&quot;&lt;/i&gt; &amp; &#39;');
  });

  it.each([
    ['no backticks', '```text\nno backticks\n```\n'],
    // a line of three backticks inside needs a fence of four
    ['a\n```\nb', '````text\na\n```\nb\n````\n'],
    ['``````', '```````text\n``````\n```````\n'],
    // controls in the block are replaced, LF kept
    ['a\x1b[1m\u2028\nb', '```text\na\uFFFD[1m\uFFFD\nb\n```\n'],
  ])('mdCodeBlock(%j) cannot be closed by its content', (input, want) => {
    expect(mdCodeBlock(input)).toBe(want);
  });
});
