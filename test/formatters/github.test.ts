// --format github: read back the way the Actions runner reads a job log (a
// trimmed line starting with "::" is a command; ::stop-commands::TOKEN pauses
// them until ::TOKEN::; values are %-unescaped), so what GitHub shows is checked.
import { describe, expect, it } from 'vitest';
import { buildFormatInput, type ReportOutcome } from '../../src/formatters/document.js';
import { formatGithub, workflowCommand } from '../../src/formatters/github.js';
import type { Report } from '../../src/model/report.js';
import { HOSTILE, hostileRecords, threeReports } from '../helpers/ci-logs.js';

interface Command {
  name: string;
  props: Record<string, string>;
  data: string;
}

const unescape = (s: string): string => s.replace(/%(25|0D|0A|3A|2C)/g, (_m, c: string) => ({ '25': '%', '0D': '\r', '0A': '\n', '3A': ':', '2C': ',' })[c]!);

/** The commands the runner would run, and the lines it would print as text. */
function runnerRead(log: string): { commands: Command[]; text: string[] } {
  const commands: Command[] = [];
  const text: string[] = [];
  let stopToken: string | undefined;
  for (const raw of log.split('\n')) {
    const line = raw.trim();
    if (stopToken !== undefined) {
      if (line === `::${stopToken}::`) stopToken = undefined;
      else text.push(raw);
      continue;
    }
    const m = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) {
      text.push(raw);
      continue;
    }
    const props: Record<string, string> = {};
    for (const kv of (m[2] ?? '').split(',').filter(Boolean)) {
      const eq = kv.indexOf('=');
      props[kv.slice(0, eq)] = unescape(kv.slice(eq + 1));
    }
    const cmd = { name: m[1]!, props, data: unescape(m[3]!) };
    if (cmd.name === 'stop-commands') stopToken = cmd.data;
    commands.push(cmd);
  }
  return { commands, text };
}

const annotations = (cs: Command[]) => cs.filter((c) => ['error', 'warning', 'notice'].includes(c.name));

describe('formatGithub', () => {
  const read = runnerRead(formatGithub(buildFormatInput(threeReports())));

  it('annotates each report at its kernel source line, else at its log lines', () => {
    const a = annotations(read.commands);
    expect(a.map((c) => [c.name, c.props])).toEqual([
      ['error', { file: 'fs/foo/bar.c', line: '123', title: 'WARNING in foo_bar' }],
      ['error', { file: 'include/linux/page-flags.h', line: '808', title: 'kernel BUG in madvise_cold_or_pageout_pte_range' }],
      ['error', { file: 'logs/kasan.log', line: '2', endLine: expect.stringMatching(/^\d+$/), title: 'KASAN: invalid-free in cfg80211_free_coalesce' }],
    ]);
    expect(a[0]!.data.split('\n').slice(0, 3)).toEqual(['WARNING in foo_bar', 'at fs/foo/bar.c:123 (foo_bar)', 'log: logs/warning.log:2-11']);
  });

  it('prints each raw report verbatim in a group, with the runner stopped', () => {
    expect(read.commands.filter((c) => c.name === 'group').map((c) => c.data)).toEqual([
      'WARNING in foo_bar (logs/warning.log:2-11)',
      expect.stringMatching(/^kernel BUG in madvise_cold_or_pageout_pte_range \(logs\/bug\.log:/),
      expect.stringMatching(/^KASAN: invalid-free in cfg80211_free_coalesce \(logs\/kasan\.log:2-/),
    ]);
    expect(read.text).toContain('WARNING: CPU: 1 PID: 42 at fs/foo/bar.c:123 foo_bar+0x12/0x40 [foo]');
    expect(read.text.at(-2)).toBe('ktriage: 3 report(s) in 3 source(s): 3 failing, 0 tolerated (--fail-on any), 0 suppressed by the baseline, 0 input error(s)');
  });

  it('tolerated reports are warnings, suppressed ones notices', () => {
    const outcome = (r: Report): ReportOutcome => (r.crashClass === 'warning' ? 'tolerated' : r.crashClass === 'bug' ? 'suppressed' : 'failing');
    const a = annotations(runnerRead(formatGithub(buildFormatInput(threeReports(), { outcome, failOn: 'kasan' }))).commands);
    expect(a.map((c) => c.name)).toEqual(['warning', 'notice', 'error']);
    expect(a[0]!.data).toContain('tolerated: not matched by --fail-on kasan');
  });

  it('log text runs no command and reads back with only its control characters replaced', () => {
    const recs = hostileRecords();
    // The runner has no escape for ESC, BEL, C1 ...: they are replaced, everything else reads back.
    const shown = HOSTILE.replace(/[\x01\x08\x0b\x1b\x7f\x85]/g, '\uFFFD');
    const { commands, text } = runnerRead(formatGithub(buildFormatInput(recs)));
    // Only ours: 3 annotations, 3 groups with their stop/resume; "::error::injected" stayed text.
    expect(commands.map((c) => c.name)).toEqual(['error', 'group', 'stop-commands', 'endgroup', 'error', 'group', 'stop-commands', 'endgroup', 'error', 'group', 'stop-commands', 'endgroup']);
    expect(text).toContain('::error::injected');
    expect(text).toContain('::stop-commands::abc');
    expect(text).toContain(shown);
    const first = commands[0]!;
    expect(first.props.title).toBe(`WARNING in ${shown}`);
    expect(first.props.file).toBe('fs/a b/<x>&"y"#z?.c');
    expect(first.data.split('\n')[0]).toBe(`WARNING in ${shown}`);
  });

  it('workflowCommand escapes values as GitHub toolkit does', () => {
    expect(workflowCommand('error', [['file', 'a,b:c'], ['line', 3], ['title', undefined]], '50%\ndone')).toBe('::error file=a%2Cb%3Ac,line=3::50%25%0Adone\n');
  });
});
