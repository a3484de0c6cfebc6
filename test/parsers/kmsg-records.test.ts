// Records of several lines: /dev/kmsg escapes (\xNN), journal and dmesg --json messages with
// newlines. A console prints each line of such a record with its own prefix; these formats keep
// the record on one input line.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { unescapeKmsg } from '../../src/parsers/kmsg-escape.js';
import { LineNormalizer, splitRecord } from '../../src/parsers/normalize-line.js';
import { analyzeText } from '../../src/analyze.js';
import { sourceRecordsJson } from '../helpers/fuzz-properties.js';

describe('unescapeKmsg', () => {
  it('decodes the escapes the kernel writes (bytes below a blank, from 127 up, the backslash)', () => {
    expect(unescapeKmsg('a\\x0ab')).toBe('a\nb');
    expect(unescapeKmsg('C:\\x5cdir')).toBe('C:\\dir');
    expect(unescapeKmsg('tab\\x09x')).toBe('tab\tx');
    // UTF-8 is escaped byte by byte; a run of escapes is decoded together.
    expect(unescapeKmsg('comm \\xc3\\xa4x')).toBe('comm äx');
    // A byte that is no UTF-8 of its own becomes U+FFFD, as invalid UTF-8 does in any input.
    expect(unescapeKmsg('\\xff.')).toBe('\ufffd.');
  });

  it('leaves text without a whole escape as it is', () => {
    const t = 'plain text, no escape \\x0';
    expect(unescapeKmsg(t)).toBe(t);
    expect(unescapeKmsg('\\xzz')).toBe('\\xzz');
  });
});

describe('a /dev/kmsg record of several lines', () => {
  it('is one LogLine whose text holds the lines, marked multiLine; splitRecord gives the lines', () => {
    const n = new LineNormalizer('kmsg');
    // Record 364 of fixtures/captured/amd64/WARNING+kmsg.kmsg (kernel/trace/trace.c, one pr_warn).
    const line = n.normalize('4,364,6418889,-;Unstable clock detected, switching default tracing clock to "global"\\x0aIf you want to keep using the local clock, then add:\\x0a  "trace_clock=local"\\x0aon the kernel command line', 54);
    expect(n.multiLine).toBe(true);
    const parts = [...splitRecord(line!)];
    expect(parts.map((p) => p.text)).toEqual([
      'Unstable clock detected, switching default tracing clock to "global"',
      'If you want to keep using the local clock, then add:',
      '  "trace_clock=local"',
      'on the kernel command line',
    ]);
    for (const p of parts) expect(p).toMatchObject({ lineNo: 54, time: 6.418889, level: 4, prefixes: ['kmsg'], kernel: true });
  });

  it('a record of one line is not multiLine, and the flag does not stay set for the next line', () => {
    const n = new LineNormalizer('kmsg');
    n.normalize('4,1,1,-;a\\x0ab', 1);
    expect(n.multiLine).toBe(true);
    expect(n.normalize('4,2,2,-;c', 2)?.text).toBe('c');
    expect(n.multiLine).toBe(false);
    // A dictionary line after a record drops; it is no record of several lines either.
    n.normalize('4,3,3,-;a\\x0ab', 3);
    expect(n.normalize(' SUBSYSTEM=usb', 4)).toBeNull();
    expect(n.normalize('[    1.000000] \\x0a is no escape on a console', 5)?.text).toBe('\\x0a is no escape on a console');
    expect(n.multiLine).toBe(false);
  });

  it('escape sequences decoded from a record are removed as on a console', () => {
    const n = new LineNormalizer('kmsg');
    expect(n.normalize('4,1,1,-;\\x1b[31mred\\x1b[0m', 1)?.text).toBe('red');
    expect(n.multiLine).toBe(false);
  });
});

describe('a journal message of several lines', () => {
  it('is split like a kmsg record', () => {
    const n = new LineNormalizer('journal.json');
    const rec = { MESSAGE: '\nbut task is already holding lock:', PRIORITY: '4', _TRANSPORT: 'kernel', _SOURCE_MONOTONIC_TIMESTAMP: '5140900' };
    const line = n.normalize(JSON.stringify(rec), 9);
    expect(n.multiLine).toBe(true);
    expect([...splitRecord(line!)].map((p) => [p.text, p.time, p.level])).toEqual([
      ['', 5.1409, 4],
      ['but task is already holding lock:', 5.1409, 4],
    ]);
  });
});

describe('reports from records of several lines', () => {
  // Hand-written /dev/kmsg records in the kernel's format (printk.c, msg_add_ext_text): a WARNING
  // whose header record carries the next line, and a call trace record of two frames. Both frames
  // and the modules line must be read as on a console.
  const kmsg = [
    '4,120,1000000,-;------------[ cut here ]------------',
    '4,121,1000010,-;WARNING: CPU: 0 PID: 1 at mm/page-writeback.c:2507 write_cache_pages+0x1a/0x4a0\\x0aModules linked in: xfs',
    '4,122,1000020,-;CPU: 0 PID: 1 Comm: swapper/0 Not tainted 6.1.0 #1',
    '4,123,1000025,-;RIP: 0010:write_cache_pages+0x1a/0x4a0',
    '4,124,1000030,-;Call Trace:',
    '4,125,1000040,-; <TASK>\\x0a xfs_vm_writepages+0x6d/0xa0 [xfs]',
    '4,126,1000050,-; do_writepages+0xc1/0x1d0\\x0a __writeback_single_inode+0x3d/0x350',
    '4,127,1000060,-; </TASK>',
    '4,128,1000070,-;---[ end trace 0000000000000000 ]---',
  ].join('\n');

  it('reads every line of every record', () => {
    const [r, ...more] = analyzeText(kmsg, 'kmsg');
    expect(more).toEqual([]);
    expect(r!.title).toBe('WARNING in write_cache_pages');
    expect(r!.frames.map((f) => f.function)).toEqual(['xfs_vm_writepages', 'do_writepages', '__writeback_single_inode']);
    // The frames keep the line number of the record they came from.
    expect(r!.frames.map((f) => f.lineNo)).toEqual([6, 7, 7]);
    expect(r!.modules).toEqual(['xfs']);
    expect(r!.rawLines).toContain('Modules linked in: xfs');
    expect(r!.header).toBe('WARNING: CPU: 0 PID: 1 at mm/page-writeback.c:2507 write_cache_pages+0x1a/0x4a0');
  });
});

describe('one real lockdep report as console, /dev/kmsg, dmesg -r and journalctl output', () => {
  // fixtures/captured/amd64-sanitizers/lockdep_circular+kmsg.*: one boot of the self-built 6.12
  // kernel, its console and both dumps. /dev/kmsg writes lockdep's records of several lines with
  // "\x0a" ("\x0a-> #1 (ktriage_lock_b){+.+.}-{3:3}:"); dmesg -r prefixes each of their lines.
  // fixtures/logs/prefixes/lockdep-journalctl-*.derived.log: the kmsg records as journalctl
  // prints them (scripts/fixtures/journal-from-kmsg.mjs); -o short indents the further lines of
  // a message to the column of its text, -o json keeps them in MESSAGE. -o json-pretty prints an
  // entry over several lines with its fields in no fixed order, -o json-sse each entry after
  // "data: ", -o verbose each field on a line of its own and MESSAGE's further lines indented, -o
  // export each field on a line of its own and a MESSAGE of several lines as a binary value.
  const captured = new URL('../../fixtures/captured/amd64-sanitizers/', import.meta.url);
  const prefixes = new URL('../../fixtures/logs/prefixes/', import.meta.url);
  const files: Record<string, URL> = {
    console: new URL('lockdep_circular+kmsg.log', captured),
    kmsg: new URL('lockdep_circular+kmsg.kmsg', captured),
    'dmesg -r': new URL('lockdep_circular+kmsg.dmesg-r', captured),
    'journalctl -o short': new URL('lockdep-journalctl-short.derived.log', prefixes),
    'journalctl -o short-monotonic': new URL('lockdep-journalctl-short-monotonic.derived.log', prefixes),
    'journalctl -o json': new URL('lockdep-journalctl-json.derived.log', prefixes),
    'journalctl -o json-pretty': new URL('lockdep-journalctl-json-pretty.derived.log', prefixes),
    'journalctl -o json-sse': new URL('lockdep-journalctl-json-sse.derived.log', prefixes),
    'journalctl -o verbose': new URL('lockdep-journalctl-verbose.derived.log', prefixes),
    'journalctl -o export': new URL('lockdep-journalctl-export.derived.log', prefixes),
  };
  // The forms with no printk time, whose "? " frames are kept (verbose: see below).
  const untimed = new Set(['journalctl -o short', 'journalctl -o verbose']);
  const reportOf = (name: string) => {
    const reports = analyzeText(readFileSync(files[name]!, 'utf8'), name);
    expect(reports).toHaveLength(1);
    return reports[0]!;
  };

  it('gives the same stacks in each: the two chain entries and the call trace', () => {
    // Counted by hand in the .kmsg file: records 273-283 (11 frames), 285-297 (13), and the 16
    // call trace frames without "? " between <TASK> and </TASK> (42 lines, one a bare address:
    // 41 frames with the "? " ones, which are left out only where lines have a printk time).
    for (const name of Object.keys(files)) {
      const r = reportOf(name);
      const trace = untimed.has(name) ? 41 : 16;
      expect(r.stacks.map((s) => [s.label, s.frames.length, s.frames[0]?.function]), name).toEqual([
        ['-> #1 (ktriage_lock_b){+.+.}-{3:3}:', 11, '__mutex_lock'],
        ['-> #0 (ktriage_lock_a){+.+.}-{3:3}:', 13, '__lock_acquire'],
        ['Call Trace:', trace, 'dump_stack_lvl'],
      ]);
      expect(r.title, name).toBe('possible deadlock in ktriage_take_b_then_a');
    }
  });

  it('keeps the lines of a record of several lines, blank ones included, as dmesg -r shows them', () => {
    const kmsg = reportOf('kmsg').rawLines;
    const syslog = reportOf('dmesg -r').rawLines;
    expect(kmsg).toEqual(syslog);
    const i = kmsg.indexOf('which lock already depends on the new lock.');
    expect(kmsg.slice(i - 1, i + 4)).toEqual(['', 'which lock already depends on the new lock.', '', '', 'the existing dependency chain (in reverse order) is:']);
    // journalctl drops a message's last newline: the lines are the same but for those blanks.
    const j = reportOf('journalctl -o short').rawLines;
    expect(reportOf('journalctl -o json').rawLines).toEqual(j);
    expect(reportOf('journalctl -o json-pretty').rawLines).toEqual(j);
    expect(reportOf('journalctl -o json-sse').rawLines).toEqual(j);
    expect(reportOf('journalctl -o verbose').rawLines).toEqual(j);
    expect(reportOf('journalctl -o export').rawLines).toEqual(j);
    const k = j.indexOf('which lock already depends on the new lock.');
    expect(j.slice(k - 1, k + 3)).toEqual(['', 'which lock already depends on the new lock.', '', 'the existing dependency chain (in reverse order) is:']);
  });

  it('reads the fields of a json-pretty entry in any order, and gives the line of its MESSAGE', () => {
    // The header's entry, lines 61-73 of the file (checked by hand): MESSAGE on line 65, PRIORITY
    // "4", _TRANSPORT and SYSLOG_IDENTIFIER after it, _SOURCE_MONOTONIC_TIMESTAMP 13006943 before.
    const text = readFileSync(files['journalctl -o json-pretty']!, 'utf8').split('\n');
    const norm = new LineNormalizer('-');
    // From its first field (the first entry's "{" is a line of text: it opens nothing).
    const out = text.slice(61, 73).map((raw, i) => norm.normalize(raw, 62 + i));
    expect(out.slice(0, 11)).toEqual(Array(11).fill(null));
    expect(out[11]).toMatchObject({
      lineNo: 65,
      text: 'WARNING: possible circular locking dependency detected',
      time: 13.006943,
      level: 4,
      kernel: true,
      fromKernelLog: true,
      wallTime: '2026-11-28T13:15:03.006Z',
      prefixes: ['journal-json'],
    });
    expect(reportOf('journalctl -o json-pretty').startLine).toBe(65);
  });

  it('takes no time from -o verbose: _SOURCE_MONOTONIC_TIMESTAMP may come after MESSAGE', () => {
    // journald stores an entry's fields by their offset in the file, and a text logged before
    // (an empty line, " <TASK>") is stored once: 13 of the entries print MESSAGE first.
    const lines = readFileSync(files['journalctl -o verbose']!, 'utf8').split('\n');
    const after = lines.filter((l, i) => l.startsWith('    _SOURCE_MONOTONIC_TIMESTAMP=') && lines[i - 1]!.startsWith('    MESSAGE='));
    expect(after).toHaveLength(13);
    const r = reportOf('journalctl -o verbose');
    expect(r.time).toBeUndefined();
    expect(r.wallTime).toBe('2026-11-28T13:15:03.006943');
  });

  it('reads the indented further lines of journalctl short quoted in mail, once or twice', () => {
    // A mail client puts its quote markers before every line, the blanks of a further line
    // included: "> " + 29 blanks + "-> #1 (ktriage_lock_b){+.+.}-{3:3}:".
    const text = readFileSync(files['journalctl -o short']!, 'utf8');
    const quote = (q: string) => ['I see this on boot:', '', ...text.split('\n').map((l) => `${q}${l}`), '', 'Any idea?'].join('\n');
    const plain = reportOf('journalctl -o short').rawLines;
    for (const q of ['> ', '> > ']) {
      const reports = analyzeText(quote(q), 'mail');
      expect(reports.map((r) => r.title)).toEqual(['possible deadlock in ktriage_take_b_then_a']);
      expect(reports[0]!.rawLines, q).toEqual(plain);
      // The same when no line is skipped as quiet (the skipped lines' state is worked out apart).
      const { records } = sourceRecordsJson(quote(q), false);
      expect(records.map((r) => JSON.parse(r) as { rawLines?: string[] }).find((r) => r.rawLines)?.rawLines).toEqual(plain);
    }
  });
});
