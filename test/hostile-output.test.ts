// Hostile output: escape sequences and control characters from the input never reach
// the terminal raw (table output, stderr), and JSON output escapes them so that every
// record parses back to what the library produced.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyze, emptySummary } from '../src/analyze.js';
import { formatJsonLine } from '../src/formatters/jsonl.js';
import { sanitizeForTerminal } from '../src/formatters/sanitize.js';
import { formatTable } from '../src/formatters/table.js';
import type { OutputRecord } from '../src/model/records.js';
import type { Report } from '../src/model/report.js';
import { runCliCaptured } from './helpers/cli.js';
import { junitSchemaErrors, xpath } from './helpers/xmllint.js';

// What a terminal must never receive from the input: C0 controls but newline (ESC, BEL, CR, BS ...),
// DEL, C1 controls (U+009B is a one-character CSI), and the line/paragraph separators.
const terminalControlRe = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]/;

/**
 * A WARNING whose every field carries something hostile: ANSI escapes, an OSC title change,
 * BEL, a C1 CSI (U+009B, which cleanControl keeps), U+2028, invalid UTF-8 (0xff 0xfe), and
 * a line cut at the report line length (2048) in the middle of a surrogate pair.
 */
const hostileLog = Buffer.concat([
  Buffer.from(
    [
      '[    1.000000] ------------[ cut here ]------------',
      '[    1.000000] WARNING: CPU: 0 PID: 1 at kernel/\x1b[31mevil.c:1 f\u009b2J+0x1/0x2',
      '[    1.000000] CPU: 0 PID: 1 Comm: t\x07ask Not tainted 6.1.0-\u009b31m #1',
      '[    1.000000] Hardware name: \x1b]0;pwned\x07QEMU \u009b2J\u2028\u2029PC',
      '[    1.000000] Call Trace:',
      '[    1.000000]  f+0x1/0x2',
      `[    1.000000]  ${'x'.repeat(2047)}\u{1F600}`,
      '',
    ].join('\n'),
  ),
  Buffer.from([0x5b, 0x20, 0x20, 0x20, 0x20, 0x31, 0x2e, 0x30, 0x5d, 0x20, 0x20, 0x67, 0xff, 0xfe, 0x2b, 0x30, 0x78, 0x31, 0x2f, 0x30, 0x78, 0x32, 0x0a]),
  Buffer.from('[    1.000000] ---[ end trace 0000000000000000 ]---\n'),
]);

async function libraryRecords(bytes: Buffer): Promise<OutputRecord[]> {
  const out: OutputRecord[] = [];
  for await (const r of analyze(['-'], { stdin: Readable.from([bytes]) })) out.push(r);
  return out;
}

describe('hostile input, table output', () => {
  it('the hostile log really carries control characters into the report', async () => {
    const report = (await libraryRecords(hostileLog)).find((r): r is Report => r.kind === 'report')!;
    // If these did not reach the record, the checks below would prove nothing.
    expect(report.kernelVersion).toBe('6.1.0-\u009b31m');
    expect(report.hardware).toBe('QEMU \u009b2J\u2028\u2029PC');
    expect(report.rawLines.some((l) => l.includes('\ufffd'))).toBe(true);
  });

  it('prints no control character of the input in the table', async () => {
    const r = await runCliCaptured(['--format', 'table', '-'], { stdin: hostileLog, stdoutTTY: true });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('6.1.0-?31m');
    expect(r.stdout).not.toMatch(terminalControlRe);
    expect(r.stderr).not.toMatch(terminalControlRe);
  });

  it('formatTable shows a control character of a field as "?"', () => {
    const row = { source: 'e\x1b[2J\u009b1.log', line: 1, crashClass: 'warning', title: 'WARNING in f', kernel: '6.1\u2028\r', flags: '' };
    const out = formatTable([row], { ...emptySummary(1), reports: 1 });
    expect(out).toContain('e?[2J?1.log');
    expect(out).toContain('6.1??');
    expect(out).not.toMatch(terminalControlRe);
  });

  it('sanitizes file names in the table and in notices on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-hostile-'));
    const name = join(dir, 'evil\x1b[2J\u009b31m.log');
    // The table clips long source names, so the table check is on what may not appear; stderr shows whole names.
    writeFileSync(name, Buffer.concat([hostileLog, Buffer.from(`${'A'.repeat(300)}\n`)]));
    const r = await runCliCaptured(['--format', 'table', '--max-line-bytes', '200', name, join(dir, 'missing\x1b]0;x\x07.log')], { stdoutTTY: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('line longer than 200 bytes was cut');
    expect(r.stderr).toContain('missing?]0;x?.log');
    expect(r.stdout).not.toMatch(terminalControlRe);
    expect(r.stderr).not.toMatch(terminalControlRe);
  });
});

describe('hostile input, CI formats', () => {
  // The file name carries ESC and BEL (which no log line keeps), C1 and U+2028/U+2029; the log's
  // Hardware line keeps its C1 and U+2028/U+2029 into the raw report.
  const hostileFile = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-hostile-'));
    const name = join(dir, 'ev\x1b[31m\x07\u009b2J\u2028\u2029il.log');
    writeFileSync(name, hostileLog);
    return name;
  };
  const run = async (format: string, name: string) => {
    const r = await runCliCaptured(['--format', format, name]);
    expect(r.code).toBe(1);
    // No TAB test here: the check below is for what a terminal or a line reader would act on.
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]/);
    return r.stdout;
  };

  it('junit: C1 and U+2028/U+2029 as character references, so the XML still holds the file name', async () => {
    const name = hostileFile();
    const xml = await run('junit', name);
    expect(xml).toContain('&#x9B;2J&#x2028;&#x2029;il.log');
    expect(junitSchemaErrors(xml)).toBe('');
    // ESC and BEL are not XML 1.0 characters and were replaced; the rest reads back.
    expect(xpath(xml, 'string(//testsuite/@name)')).toBe(name.replace(/[\x1b\x07]/g, '\uFFFD'));
    expect(xpath(xml, 'string(//testcase/failure)')).toContain('QEMU \u009b2J\u2028\u2029PC');
  });

  it('sarif: the document escapes them as JSON does and parses back', async () => {
    const name = hostileFile();
    const text = await run('sarif', name);
    expect(text).toContain('\\u009b2J\\u2028\\u2029');
    const log = JSON.parse(text) as { runs: Array<{ results: Array<{ message: { text: string } }> }> };
    expect(log.runs[0]!.results[0]!.message.text).toContain(`log: ${name}:`);
  });

  it('markdown: they are replaced', async () => {
    const md = await run('markdown', hostileFile());
    expect(md).toContain('ev\uFFFD\\[31m\uFFFD\uFFFD2J\uFFFD\uFFFDil.log');
    expect(md).toContain('QEMU \uFFFD2J\uFFFD\uFFFDPC');
  });

  it('github: they are replaced in commands and in the raw report', async () => {
    const out = await run('github', hostileFile());
    expect(out).toContain('ev\uFFFD[31m\uFFFD\uFFFD2J\uFFFD\uFFFDil.log');
    expect(out).toContain('QEMU \uFFFD2J\uFFFD\uFFFDPC');
  });
});

describe('hostile input, a newline in a file name', () => {
  // A file name is the one piece of input that can hold a newline (a log line cannot). Printed raw,
  // it would start a line the input wrote: a forged "ktriage: ..." message on stderr, a second row
  // of a table, a forged report line.
  const forged = 'ktriage: 0 reports, all clear';
  const noForgedLine = (text: string) => expect(text.split('\n').some((l) => l.startsWith(forged))).toBe(false);

  it('is shown as "?" in the table and in messages on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-hostile-'));
    const name = join(dir, `x\n${forged}.log`);
    writeFileSync(name, hostileLog);
    const r = await runCliCaptured(['--format', 'table', name, join(dir, `missing\n${forged}`)], { stdoutTTY: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`missing?${forged}`);
    noForgedLine(r.stdout);
    noForgedLine(r.stderr);
    // The table clips the name; a row still starts with its border.
    for (const line of r.stdout.split('\n').filter((l) => l.includes('x?'))) expect(line.startsWith('\u2502')).toBe(true);
  });

  it('sanitizeForTerminal replaces a newline like any control character', () => {
    expect(sanitizeForTerminal(`a\n${forged}\r\u2028b`)).toBe(`a?${forged}??b`);
  });
});

describe('hostile input, messages and merged buckets', () => {
  it('an error naming a hostile file name (a rule file that does not exist) is sanitized', async () => {
    const r = await runCliCaptured(['--rules', '/nonexistent/\x1b]0;x\x07rules\u009b.yaml', '-'], { stdin: hostileLog });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('?]0;x?rules?.yaml');
    expect(r.stderr).not.toMatch(terminalControlRe);
  });

  it('merge: bucket fields from a JSONL file reach the table sanitized', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-hostile-'));
    const bucket = {
      kind: 'bucket',
      key: 'k',
      title: 'WARNING in \x1b[2Jf',
      crashClass: 'warning',
      crashType: 'WARNING',
      count: 1,
      firstDate: '\x1b[2J\u009b2024-01-01',
      lastDate: '2024\r\x1b[1A-01-02',
      kernelVersions: ['6.1\x1b[31m'],
      examples: ['a\u2028b.log'],
      findings: [{ detector: 'd\x07', title: 't', verdicts: ['fixed\u009b'] }],
    };
    writeFileSync(join(dir, 'part.jsonl'), formatJsonLine(bucket as OutputRecord));
    const r = await runCliCaptured(['merge', '--format', 'table', join(dir, 'part.jsonl')], { stdoutTTY: true });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('WARNING in ?[2Jf');
    expect(r.stdout).not.toMatch(terminalControlRe);
    expect(r.stderr).not.toMatch(terminalControlRe);
  });
});

describe('hostile input, JSON output', () => {
  it('jsonl: one line per record, controls and U+2028/U+2029 escaped, each line parses back to the library record', async () => {
    const want = await libraryRecords(hostileLog);
    const r = await runCliCaptured(['--format', 'jsonl', '-'], { stdin: hostileLog });
    const lines = r.stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(want.length);
    for (const l of lines) expect(l).not.toMatch(terminalControlRe);
    expect(r.stdout).toContain('\\u2028');
    expect(r.stdout).toContain('\\u009b');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(JSON.parse(JSON.stringify(want)));
  });

  it('json: the array parses back to the library records', async () => {
    const want = await libraryRecords(hostileLog);
    const r = await runCliCaptured(['--format', 'json', '-'], { stdin: hostileLog });
    expect(r.stdout).not.toMatch(terminalControlRe);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(want)));
  });

  it('trace -f json: a file name with C1 controls and U+2028 is escaped, as in JSONL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-hostile-'));
    const name = join(dir, 'ev\u009b2J\u2028il.trace');
    writeFileSync(name, readFileSync(join(import.meta.dirname, '..', 'fixtures', 'traces', 'trace-direct-reclaim-writepage', 'match-function-tracer-only.handwritten.trace')));
    const r = await runCliCaptured(['trace', '--format', 'json', name]);
    expect(r.stdout).not.toMatch(terminalControlRe);
    expect(r.stdout).not.toContain('\u2028');
    expect(r.stdout).toContain('\\u009b2J\\u2028il.trace');
    const recs = JSON.parse(r.stdout) as Array<{ source?: string }>;
    expect(recs.some((rec) => rec.source === name)).toBe(true);
  });

  it('formatJsonLine keeps a lone surrogate (a cut emoji) as an escape and reads it back', () => {
    const rec: OutputRecord = { kind: 'notice', source: 'a\u2028b\ud83d', line: 1, message: 'x\u0000\u001b\u009b\u2029' };
    const line = formatJsonLine(rec);
    expect(line).toBe('{"kind":"notice","source":"a\\u2028b\\ud83d","line":1,"message":"x\\u0000\\u001b\\u009b\\u2029"}\n');
    expect(JSON.parse(line)).toEqual(rec);
  });
});
