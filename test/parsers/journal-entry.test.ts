// journalctl -o json-pretty / verbose / json-sse / export entries (src/parsers/journal-entry.ts, read by
// LineNormalizer). The real lockdep report in these forms is tested in kmsg-records.test.ts; the
// lines here are journalctl 252's output for entries written for these cases (in the journal
// export format, stored by systemd-journal-remote): their layout is journalctl's, their fields
// made up.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { analyze, analyzeText } from '../../src/analyze.js';
import type { OutputRecord } from '../../src/model/records.js';
import type { Report } from '../../src/model/report.js';
import { LineNormalizer } from '../../src/parsers/normalize-line.js';

const normalizeAll = (lines: string[]) => {
  const norm = new LineNormalizer('-');
  return lines.map((l, i) => norm.normalize(l, i + 1));
};

// MESSAGE with three values: two strings and one with an ESC in it, which journalctl prints as
// its bytes ("BUG: x\x1b[31m y\n z").
const threeValues = [
  '{',
  '\t"__CURSOR" : "s=7a0ce7421bad4fc4bb5b58d22446d387;i=1;b=3f7c0b8a2e5d4c1b9a8f7e6d5c4b3a29;m=c53ddc;t=66155f6ea445c;x=731a7ca141fbcc",',
  '\t"PRIORITY" : "4",',
  '\t"_BOOT_ID" : "3f7c0b8a2e5d4c1b9a8f7e6d5c4b3a29",',
  '\t"MESSAGE" : [',
  '\t\t"first",',
  '\t\t"second",',
  '\t\t[',
  ...[66, 85, 71, 58, 32, 120, 27, 91, 51, 49, 109, 32, 121, 10, 32].map((b) => `\t\t\t${b},`),
  '\t\t\t122',
  '\t\t]',
  '\t],',
  '\t"__MONOTONIC_TIMESTAMP" : "12926428",',
  '\t"_TRANSPORT" : "kernel",',
  '\t"__REALTIME_TIMESTAMP" : "1795871702926428"',
  '}',
];

describe('journalctl -o json-pretty', () => {
  it('takes the first value of a field with several, from the line of the field', () => {
    const out = normalizeAll(threeValues);
    const last = out.length - 1;
    // The first "{" of a document opens nothing: it is a line of text.
    expect(out[0]?.text).toBe('{');
    expect(out.slice(1, last)).toEqual(Array(last - 1).fill(null));
    expect(out[last]).toMatchObject({ lineNo: 5, text: 'first', level: 4, time: 12.926428, fromKernelLog: true });
  });

  it('decodes a value printed as its bytes, and cleans its control characters', () => {
    const lines = threeValues.filter((l) => !/^\t\t"/.test(l));
    const out = normalizeAll(lines);
    // ESC [ 3 1 m is removed as on a console; the newline makes a record of two lines.
    expect(out.at(-1)).toMatchObject({ lineNo: 5, text: 'BUG: x y\n z' });
  });

  it('reads the "{" of each further entry as a line of the entries, not as text', () => {
    // As text, the braces would come between the lines of a report (between the entries).
    const out = normalizeAll([...threeValues, ...threeValues]);
    const n = threeValues.length;
    expect(out[0]?.text).toBe('{');
    expect(out[n]).toBeNull();
    expect(out[2 * n - 1]).toMatchObject({ lineNo: n + 5, text: 'first' });
  });

  it('leaves JSON that is no journal entry alone', () => {
    // Lower-case keys are no journal fields (journal_field_valid).
    const json = ['{', '\t"name" : "BUG: not a kernel line",', '\t"value" : 1', '}'];
    expect(normalizeAll(json).map((l) => l?.text)).toEqual(json);
    // C in mail: braces and a tab-indented statement.
    const c = ['static void f(void)', '{', '\tBUG_ON(x);', '}'];
    expect(normalizeAll(c).map((l) => l?.text)).toEqual(c);
  });

  it('gives up an array that never closes at the first line that is no element', () => {
    const out = normalizeAll(['\t"MESSAGE" : [', '\t\t66,', 'Nov 28 13:15:03 qemu kernel: BUG: kernel NULL pointer dereference, address: 0000000000000000']);
    expect(out.slice(0, 2)).toEqual([null, null]);
    expect(out[2]).toMatchObject({ text: 'BUG: kernel NULL pointer dereference, address: 0000000000000000', fromKernelLog: true });
  });

  it('gives up an entry at a line that is none of its own, and reads that line', () => {
    const out = normalizeAll([
      '\t"MESSAGE" : "BUG: unable to handle page fault for address: 0000000000001000",',
      '\t"PRIORITY" : "1",',
      '[   12.345678] Oops: 0000 [#1] PREEMPT SMP',
    ]);
    expect(out.slice(0, 2)).toEqual([null, null]);
    expect(out[2]).toMatchObject({ text: 'Oops: 0000 [#1] PREEMPT SMP', time: 12.345678 });
  });
});

// An entry whose MESSAGE is not printable (1.4 KB ending in \x01), and a field of three lines.
const verboseBlob = [
  'Sat 2026-11-28 13:15:02.926428 UTC [s=3ced70ecf85645e3b406108fd3443cea;i=1;b=3f7c0b8a2e5d4c1b9a8f7e6d5c4b3a29;m=c53ddc;t=66155f6ea445c;x=bc40c1c9e1bb4a0e]',
  '    _BOOT_ID=3f7c0b8a2e5d4c1b9a8f7e6d5c4b3a29',
  '    _TRANSPORT=kernel',
  '    PRIORITY=4',
  '    MESSAGE=[1.4K blob data]',
  '    _KERNEL_X=a',
  '              b',
  '              c',
];

describe('journalctl -o verbose', () => {
  it('reads a message with the fields before it and the time of the header', () => {
    const out = normalizeAll([
      'Sat 2026-11-28 13:15:03.006943 UTC [s=ba703c8ad3624bd38af7f79205235a58;i=5;b=3f7c0b8a2e5d4c1b9a8f7e6d5c4b3a29;m=c6785f;t=66155f6eb7edf;x=bd7bad67ad54ff89]',
      '    _BOOT_ID=3f7c0b8a2e5d4c1b9a8f7e6d5c4b3a29',
      '    _HOSTNAME=qemu',
      '    _TRANSPORT=kernel',
      '    SYSLOG_FACILITY=0',
      '    SYSLOG_IDENTIFIER=kernel',
      '    PRIORITY=4',
      '    _SOURCE_MONOTONIC_TIMESTAMP=13006943',
      '    MESSAGE=WARNING: possible circular locking dependency detected',
    ]);
    expect(out.slice(0, 8)).toEqual(Array(8).fill(null));
    expect(out[8]).toMatchObject({
      lineNo: 9,
      text: 'WARNING: possible circular locking dependency detected',
      level: 4,
      time: undefined,
      wallTime: '2026-11-28T13:15:03.006943',
      kernel: true,
      fromKernelLog: true,
      prefixes: ['journal-verbose'],
    });
  });

  it('skips a message that is not printable and the further lines of other fields', () => {
    expect(normalizeAll([...verboseBlob, 'Call Trace:'])).toEqual([...Array(8).fill(null), expect.objectContaining({ text: 'Call Trace:', prefixes: [] })]);
  });

  it('takes no syslog line with a full date for a header', () => {
    const out = normalizeAll(['Sat 2026-11-28 13:15:03 UTC qemu kernel: WARNING: CPU: 0 PID: 1 at lib/x.c:1 f+0x1/0x2']);
    expect(out[0]).toMatchObject({ text: 'WARNING: CPU: 0 PID: 1 at lib/x.c:1 f+0x1/0x2', prefixes: ['journal'] });
  });
});

describe('journalctl -o json-sse', () => {
  it('reads the entry after "data: " as -o json', () => {
    const entry = '{"PRIORITY":"4","_TRANSPORT":"kernel","_SOURCE_MONOTONIC_TIMESTAMP":"13006943","MESSAGE":"WARNING: possible circular locking dependency detected"}';
    const [sse, json] = [normalizeAll([`data: ${entry}`, ''])[0], normalizeAll([entry])[0]];
    expect(sse).toMatchObject({ text: 'WARNING: possible circular locking dependency detected', time: 13.006943, level: 4, prefixes: ['journal-json'] });
    expect(sse).toEqual(json);
  });
});

describe('a report across json-pretty entries', () => {
  it('is read as from the console, whatever the order of the fields', () => {
    // The captured amd64 lkdtm BUG as journald would store its console lines, printed with the
    // fields of each entry in another order (journalctl 252 prints them from a hash table).
    const consoleLog = readFileSync(new URL('../../fixtures/captured/amd64/BUG.log', import.meta.url), 'utf8');
    const fields = (line: string) => {
      const m = /^\[ *(\d+)\.(\d{6})\] (.*)$/.exec(line.replace(/\r$/, ''));
      if (!m) return [];
      return [
        `"_SOURCE_MONOTONIC_TIMESTAMP" : "${Number(m[1]) * 1e6 + Number(m[2])}"`,
        `"MESSAGE" : ${JSON.stringify(m[3])}`,
        '"PRIORITY" : "4"',
        '"_TRANSPORT" : "kernel"',
      ];
    };
    const pretty = consoleLog.split('\n').flatMap((line, n) => {
      const f = fields(line);
      if (f.length === 0) return [];
      const order = [...f.slice(n % 4), ...f.slice(0, n % 4)];
      return ['{', ...order.map((x, i) => `\t${x}${i < order.length - 1 ? ',' : ''}`), '}'];
    });
    const want = analyzeText(consoleLog, 'console');
    const got = analyzeText(pretty.join('\n'), 'pretty');
    expect(want.map((r) => r.title)).toEqual(['kernel BUG in lkdtm_BUG']);
    expect(got.map((r) => [r.title, r.rawLines, r.stacks.map((s) => s.frames.map((f) => f.function))])).toEqual(
      want.map((r) => [r.title, r.rawLines, r.stacks.map((s) => s.frames.map((f) => f.function))]),
    );
  });
});

// journalctl -o export (systemd's journal export format): "KEY=value" lines, an empty line after
// each entry; a value with a newline or another control character is written as the key alone on
// its line, its size as 8 bytes little-endian, its bytes and a newline. Built here by the format's
// rules, as scripts/fixtures/journal-from-kmsg.mjs does for systemd-journal-remote; the real
// journalctl output is fixtures/logs/prefixes/lockdep-journalctl-export.derived.log.
function exportField(key: string, value: string): Buffer {
  // journalctl writes a value in binary when it is not printable (a newline, a control character).
  if (!/[\x00-\x1f]/.test(value)) return Buffer.from(`${key}=${value}\n`);
  const data = Buffer.from(value, 'utf8');
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(data.length));
  return Buffer.concat([Buffer.from(`${key}\n`), size, data, Buffer.from('\n')]);
}

function exportEntry(i: number, usec: number, message: string, after: Array<[string, string]> = []): Buffer {
  return Buffer.concat([
    exportField('__CURSOR', `s=7a0ce7421bad4fc4bb5b58d22446d387;i=${i.toString(16)};b=3f7c0b8a2e5d4c1b9a8f7e6d5c4b3a29;m=${usec.toString(16)};t=66155f6ea445c;x=731a7ca141fbcc`),
    exportField('__REALTIME_TIMESTAMP', String(1795871702000000 + usec)),
    exportField('__MONOTONIC_TIMESTAMP', String(usec)),
    exportField('_TRANSPORT', 'kernel'),
    exportField('PRIORITY', '4'),
    exportField('_SOURCE_MONOTONIC_TIMESTAMP', String(usec)),
    exportField('MESSAGE', message),
    ...after.map(([k, v]) => exportField(k, v)),
    Buffer.from('\n'),
  ]);
}

async function analyzeBytes(bytes: Buffer): Promise<OutputRecord[]> {
  const out: OutputRecord[] = [];
  for await (const r of analyze(['-'], { stdin: Readable.from([bytes]), idleFlushMs: 0 })) out.push(r);
  return out;
}

describe('journalctl -o export', () => {
  it('reads a report whose messages have several lines, as from the console', async () => {
    // The captured amd64 lkdtm BUG, its console lines grouped into messages of 1 to 5 lines (a
    // message of several lines is a binary value), a field stored after MESSAGE in some entries.
    const consoleLog = readFileSync(new URL('../../fixtures/captured/amd64/BUG.log', import.meta.url), 'utf8');
    const lines = consoleLog
      .split('\n')
      .map((l) => /^\[ *(\d+)\.(\d{6})\] (.*)$/.exec(l.replace(/\r$/, '')))
      .filter((m): m is RegExpExecArray => m !== null);
    const entries: Buffer[] = [];
    for (let i = 0, n = 0; i < lines.length; n++) {
      const group = lines.slice(i, i + 1 + (n % 5));
      const usec = Number(group[0]![1]) * 1e6 + Number(group[0]![2]);
      entries.push(exportEntry(n + 1, usec, group.map((m) => m[3]).join('\n'), n % 2 ? [['_HOSTNAME', 'qemu']] : []));
      i += group.length;
    }
    const want = analyzeText(consoleLog, 'console');
    const got = (await analyzeBytes(Buffer.concat(entries))).filter((r): r is Report => r.kind === 'report');
    expect(want.map((r) => r.title)).toEqual(['kernel BUG in lkdtm_BUG']);
    expect(got.map((r) => [r.title, r.rawLines, r.stacks.map((s) => s.frames.map((f) => f.function))])).toEqual(
      want.map((r) => [r.title, r.rawLines, r.stacks.map((s) => s.frames.map((f) => f.function))]),
    );
  });

  it('reads a size whose byte is a newline, and one that is not valid UTF-8', async () => {
    // 10 bytes: the size's first byte is 0x0a and breaks its line. 200 bytes: 0xc8 is no UTF-8 and
    // decodes as U+FFFD, so the value's end is found by the entry's next line.
    const ten = 'WARNING:\nx';
    const long = `${'a'.repeat(120)}\n${'b'.repeat(79)}`;
    expect([Buffer.byteLength(ten), Buffer.byteLength(long)]).toEqual([10, 200]);
    const norm = new LineNormalizer('-');
    const text = Buffer.concat([exportEntry(1, 5_000_000, ten, [['_HOSTNAME', 'qemu']]), exportEntry(2, 6_000_000, long, [['_HOSTNAME', 'qemu']])]).toString('utf8');
    const msgs = text
      .slice(0, -1)
      .split('\n')
      .map((l, i) => norm.normalize(l, i + 1))
      .filter((l) => l !== null);
    expect(msgs.map((l) => [l.text, l.time, l.level, l.prefixes])).toEqual([
      [ten, 5, 4, ['journal-export']],
      [long, 6, 4, ['journal-export']],
    ]);
  });

  it('does not let a damaged size take in what follows', () => {
    // The first entry's MESSAGE size says 2^48 bytes: the next entry's cursor ends it, and that entry is read.
    const first = exportEntry(1, 5_000_000, 'a\nb');
    const at = first.indexOf('MESSAGE\n') + 'MESSAGE\n'.length;
    first.writeBigUInt64LE(1n << 48n, at);
    const second = exportEntry(2, 6_000_000, 'WARNING: CPU: 0 PID: 1 at lib/x.c:1 f+0x1/0x2');
    const norm = new LineNormalizer('-');
    const msgs = Buffer.concat([first, second])
      .toString('utf8')
      .slice(0, -1)
      .split('\n')
      .map((l, i) => norm.normalize(l, i + 1))
      .filter((l) => l !== null);
    expect(msgs.map((l) => [l.text, l.time])).toEqual([
      ['a\nb', 5],
      ['WARNING: CPU: 0 PID: 1 at lib/x.c:1 f+0x1/0x2', 6],
    ]);
    // With no entry after it, the value is given up after 4 MiB and the lines after that are read as text.
    const norm2 = new LineNormalizer('-');
    const filler = Array.from({ length: 5000 }, () => 'x'.repeat(1000));
    const lines = [...first.toString('utf8').split('\n').slice(0, 8), ...filler, '[    7.000000] WARNING: CPU: 0 PID: 1 at lib/x.c:1 f+0x1/0x2'];
    const out = lines.map((l, i) => norm2.normalize(l, i + 1)).filter((l) => l !== null);
    expect(out.at(-1)).toMatchObject({ text: 'WARNING: CPU: 0 PID: 1 at lib/x.c:1 f+0x1/0x2', time: 7 });
  });

  it('takes another program\'s entry for none of the kernel\'s', () => {
    const text = exportEntry(1, 5_000_000, 'WARNING: CPU: 0 PID: 1 at lib/x.c:1 f+0x1/0x2').toString('utf8').replace('_TRANSPORT=kernel', '_TRANSPORT=stdout');
    const norm = new LineNormalizer('-');
    const msgs = text
      .slice(0, -1)
      .split('\n')
      .map((l, i) => norm.normalize(l, i + 1))
      .filter((l) => l !== null);
    expect(msgs.map((l) => [l.text, l.fromKernelLog])).toEqual([['WARNING: CPU: 0 PID: 1 at lib/x.c:1 f+0x1/0x2', false]]);
  });
});
