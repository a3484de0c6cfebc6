// --format markdown (and the GitHub job summary): rendered with a GFM renderer
// (marked), so the checks are on what a reader sees, not on our own escaping.
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { buildFormatInput, type ReportOutcome } from '../../src/formatters/document.js';
import { reportText } from '../../src/formatters/describe.js';
import { formatMarkdown } from '../../src/formatters/markdown.js';
import type { Report } from '../../src/model/report.js';
import { HOSTILE, hostileRecords, reportsIn, threeReports } from '../helpers/ci-logs.js';

const decode = (html: string): string =>
  html.replace(/&(lt|gt|quot|#39|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e]!);

function render(md: string): { html: string; rows: string[][]; codeBlocks: string[] } {
  const html = marked.parse(md, { async: false, gfm: true });
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  const rows = [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((c) => decode(c[1]!)));
  // marked ends a code block with a newline of its own.
  const codeBlocks = [...html.matchAll(/<pre><code class="language-text">([\s\S]*?)<\/code><\/pre>/g)].map((m) => decode(m[1]!).replace(/\n$/, ''));
  return { html, rows, codeBlocks };
}

describe('formatMarkdown', () => {
  it('a table row per report with status, title, class, source position, log line and kernel', () => {
    const { rows } = render(formatMarkdown(buildFormatInput(threeReports())));
    expect(rows).toEqual([
      ['failing', 'WARNING in foo_bar', 'warning', 'fs/foo/bar.c:123', 'logs/warning.log:2', '6.1.0-18-amd64'],
      ['failing', 'kernel BUG in madvise_cold_or_pageout_pte_range', 'bug', 'include/linux/page-flags.h:808', 'logs/bug.log:11', '6.1.0'],
      ['failing', 'KASAN: invalid-free in cfg80211_free_coalesce', 'kasan', '', 'logs/kasan.log:2', '6.1.0'],
    ]);
  });

  it('the headline counts what the policy made of the reports', () => {
    const outcome = (r: Report): ReportOutcome => (r.crashClass === 'warning' ? 'tolerated' : r.crashClass === 'bug' ? 'suppressed' : 'failing');
    const md = formatMarkdown(buildFormatInput(threeReports(), { outcome, failOn: 'kasan', baseline: 'known.yaml' }));
    expect(md.split('\n').slice(0, 3)).toEqual([
      '## ktriage: 3 kernel report(s), 1 failing',
      '',
      '3 report(s) in 3 source(s), 176 line(s): 1 failing, 1 tolerated by --fail-on kasan, 1 suppressed by the baseline known.yaml.',
    ]);
  });

  it('each raw report is shown verbatim in a collapsed block', () => {
    const recs = threeReports();
    const { html, codeBlocks } = render(formatMarkdown(buildFormatInput(recs)));
    expect(codeBlocks).toEqual(reportsIn(recs).map(reportText));
    expect(html.match(/<details>/g)).toHaveLength(3);
  });

  it('hostile text cannot add markup, split a cell or close a block', () => {
    const recs = hostileRecords();
    const { html, rows, codeBlocks } = render(formatMarkdown(buildFormatInput(recs)));
    const shown = HOSTILE.replace(/[\x01\x08\x0b\x1b\x7f\x85]/g, '\uFFFD');
    expect(rows.map((r) => r.length)).toEqual([6, 6, 6]);
    expect(rows[0]![1]).toBe(`WARNING in ${shown}`);
    expect(rows[0]![3]).toBe('fs/a b/<x>&"y"#z?.c:12');
    expect(html).not.toMatch(/<script|<b>|<em>|<strong>|<code>tick|<a |<del>/);
    expect(html.match(/<details>/g)).toHaveLength(3);
    expect(html.match(/<\/details>/g)).toHaveLength(3);
    expect(codeBlocks[0]).toContain(`\n${shown}\n::error::injected\n::stop-commands::abc\n##[error]injected\n\`\`\`\n</details>\n</failure>`);
  });

  it('limits cut rows, raw reports and lines, and say so', () => {
    const md = formatMarkdown(buildFormatInput(threeReports()), { rows: 2, rawReports: 1, rawLines: 3 });
    const { rows, codeBlocks } = render(md);
    expect(rows).toHaveLength(2);
    expect(md).toContain('\n1 more report(s) not shown.\n');
    expect(codeBlocks).toEqual(['------------[ cut here ]------------\nWARNING: CPU: 1 PID: 42 at fs/foo/bar.c:123 foo_bar+0x12/0x40 [foo]\nModules linked in: foo\n[8 more line(s) cut]']);
    expect(md).toContain('\n2 more raw report(s) not shown.\n');
  });
});
