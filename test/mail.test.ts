// Mail input: mbox splitting, message detection, MIME decoding, and splats that
// mail mangled (quoted, wrapped, collapsed, pasted, attached).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyze, analyzeRawMessages, analyzeText, analyzeTextRecords } from '../src/analyze.js';
import { sniffInput } from '../src/input/sniff.js';
import { splitMbox } from '../src/mail/mbox.js';
import { prepareMailLines, splitCollapsed } from '../src/mail/prepare-text.js';
import { parseMessage } from '../src/mail/message.js';
import PostalMime from 'postal-mime';
import { checkRawLines } from './helpers/fuzz-properties.js';
import type { OutputRecord } from '../src/model/records.js';
import type { Report } from '../src/model/report.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'mail');
const RAW_TITLE = 'WARNING in xfs_vm_writepage';

async function records(path: string): Promise<OutputRecord[]> {
  const out: OutputRecord[] = [];
  for await (const r of analyze([path])) out.push(r);
  return out;
}

describe('splitMbox', () => {
  it('splits at "From " lines after a blank line and unescapes mboxrd ">From " lines', async () => {
    const mbox = [
      'From mboxrd@z Thu Jan  1 00:00:00 1970',
      'Subject: one',
      '',
      'body one',
      '>From the log',
      '>>From quoted',
      '',
      'From mboxrd@z Thu Jan  1 00:00:00 1970',
      'Subject: two',
      '',
      'a line, then one starting with From but with no blank line before it:',
      'From here on it is the same message.',
      '',
    ].join('\n');
    const msgs = [];
    for await (const m of splitMbox(Readable.from([Buffer.from(mbox.slice(0, 37)), Buffer.from(mbox.slice(37))]))) msgs.push(m);
    expect(msgs.map((m) => m.index)).toEqual([0, 1]);
    // The blank line before "From " separates the messages; it is not part of the first one.
    expect(msgs[0]!.raw.toString()).toBe('Subject: one\n\nbody one\nFrom the log\n>From quoted\n');
    expect(msgs[1]!.lineNo).toBe(8);
    expect(msgs[1]!.raw.toString()).toBe('Subject: two\n\na line, then one starting with From but with no blank line before it:\nFrom here on it is the same message.\n');
  });

  it('cuts a message over 16 MiB at a line end and starts the next message afresh', async () => {
    // README: 16 MB per message (issue 8's 200 MB bound: a message is held whole while decoded).
    const line = `[ 8871.104504]  [<ffffffff8370ba6a>] dump_stack+0x4e/0x7a${' '.repeat(40)}\n`;
    const body = line.repeat(Math.ceil((16 * 1024 * 1024) / line.length) + 10);
    const mbox = `From a@b Thu Jan  1 00:00:00 1970\nSubject: big\n\n${body}\nFrom a@b Thu Jan  1 00:00:00 1970\nSubject: next\n\nsmall\n`;
    const msgs = [];
    for await (const m of splitMbox(Readable.from([Buffer.from(mbox)]))) msgs.push(m);
    expect(msgs).toHaveLength(2);
    expect(msgs[0]!.cut).toBe(true);
    expect(msgs[0]!.raw.length).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect(msgs[0]!.raw.length).toBeGreaterThan(16 * 1024 * 1024 - line.length);
    expect(msgs[0]!.raw.subarray(-line.length).toString()).toBe(line);
    expect(msgs[1]!).toMatchObject({ cut: false, index: 1 });
    expect(msgs[1]!.raw.toString()).toBe('Subject: next\n\nsmall\n');
  });

  it('adds nothing after the cut, not even a later line short enough to fit the rest of the limit', async () => {
    // Found in review: after a 98-byte line did not fit, a 5-byte line further on still did.
    const line = `[ 8871.104504]  [<ffffffff8370ba6a>] dump_stack+0x4e/0x7a${' '.repeat(40)}\n`;
    const body = line.repeat(Math.ceil((16 * 1024 * 1024) / line.length) + 10);
    const mbox = `From a@b Thu Jan  1 00:00:00 1970\nSubject: big\n\n${body}tail\n\nFrom a@b Thu Jan  1 00:00:00 1970\nSubject: next\n\nsmall\n`;
    // The room left under the limit after the last whole line fits "tail\n" (checked: 92 bytes).
    expect((16 * 1024 * 1024 - 'Subject: big\n\n'.length) % line.length).toBeGreaterThanOrEqual('tail\n'.length);
    const msgs = [];
    for await (const m of splitMbox(Readable.from([Buffer.from(mbox)]))) msgs.push(m);
    expect(msgs).toHaveLength(2);
    expect(msgs[0]!.cut).toBe(true);
    expect(msgs[0]!.raw.subarray(-line.length).toString()).toBe(line);
    expect(msgs[1]!.raw.toString()).toBe('Subject: next\n\nsmall\n');
  });

  it('keeps a one-character last line without a newline (it is not the separator blank line)', async () => {
    const msgs = [];
    for await (const m of splitMbox(Readable.from([Buffer.from('From a@b Thu Jan  1 00:00:00 1970\nSubject: x\n\n{\n}')]))) msgs.push(m);
    expect(msgs[0]!.raw.toString()).toBe('Subject: x\n\n{\n}');
  });

  it('does not count the blank separator line as a line of the message', async () => {
    // Found by test/fuzz.test.ts: each message but the last counted one line more than its body.
    const mbox = 'From a@example.org Sat Jul 26 12:58:23 2014\nFrom: a@example.org\nTo: b@example.org\nSubject: one\n\nline1\nline2\n\n' +
      'From a@example.org Sat Jul 26 12:58:23 2014\nFrom: a@example.org\nTo: b@example.org\nSubject: two\n\nline3\n\n';
    const out: OutputRecord[] = [];
    for await (const r of analyze(['-'], { stdin: Readable.from([Buffer.from(mbox)]) })) out.push(r);
    expect(out.at(-1)).toMatchObject({ kind: 'summary', messages: 2, lines: 3 });
  });
});

describe('sniffInput', () => {
  it.each([
    ['From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: a@b\nSubject: x\n\nbody\n', 'mbox'],
    ['Return-Path: <a@b>\nReceived: from x\nFrom: a@b\nSubject: x\n\nbody', 'message'],
    ['From: a@b\nTo: c@d\nSubject: x\n\nbody', 'message'],
    ['[    0.000000] Linux version 6.1.0\n[    0.000000] Command line: ro\n', 'log'],
    ['Jul 26 12:58:23 host kernel: Linux version 6.1.0\n', 'log'],
    ['4,1234,5678,-;WARNING: CPU: 0 PID: 1 at a.c:1 f+0x1/0x2\n', 'log'],
  ])('%#', (text, kind) => {
    expect(sniffInput(Buffer.from(text))).toBe(kind);
  });
});

describe('mail text preparation', () => {
  it('splits a collapsed splat back into lines', () => {
    expect(splitCollapsed('seen: WARNING: CPU: 0 PID: 1 at a.c:1 f+0x1/0x2 CPU: 0 PID: 1 Comm: sh Not tainted 6.1.0 #1 Call Trace: g+0x1/0x2 h+0x3/0x4')).toEqual([
      'seen:',
      'WARNING: CPU: 0 PID: 1 at a.c:1',
      ' f+0x1/0x2',
      'CPU: 0 PID: 1 Comm: sh Not tainted 6.1.0 #1',
      'Call Trace:',
      ' g+0x1/0x2',
      ' h+0x3/0x4',
    ]);
  });

  it('joins a frame wrapped after its address, keeping the quote prefix', () => {
    expect(prepareMailLines('> [<ffffffff8316f759>]\n> shrink_page_list+0x8f9/0xb90\n> next')).toEqual(['> [<ffffffff8316f759>] shrink_page_list+0x8f9/0xb90', '> next']);
  });

  it('does not join lines of different quote depth', () => {
    expect(prepareMailLines('> [<ffffffff8316f759>]\nshrink_page_list+0x8f9/0xb90')).toHaveLength(2);
  });
});

describe('mail fixtures: every mangled copy of the seed splat gets the raw splat title', () => {
  const raw = analyzeTextRecords(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'detectors', 'writeback-from-direct-reclaim', 'match-xfs-3.15-merge-window.hand.log'), 'utf8').split('\n\n').slice(1).join('\n\n'));
  it('the raw splat', () => {
    expect((raw[0] as Report).title).toBe(RAW_TITLE);
  });

  for (const f of readdirSync(dir).filter((n) => n.endsWith('.eml')).sort()) {
    it(f, async () => {
      const recs = await records(join(dir, f));
      const reports = recs.filter((r): r is Report => r.kind === 'report');
      if (f === 'prose-only.eml') {
        expect(reports).toEqual([]);
        return;
      }
      expect(reports.map((r) => r.title)).toEqual([RAW_TITLE]);
      const r = reports[0]!;
      expect(r.source).toBe(`${join(dir, f)}#${f.replace(/\.eml$/, '').replace(/^quoted-printable$/, 'qp').replace(/^attachment-base64$/, 'attachment').replace(/^quoted-twice-wrapped$/, 'quoted-twice')}@example.org`);
      expect(r.kernelVersion).toBe('3.15.0+');
      expect(r.frames.map((x) => x.function).slice(0, 2)).toEqual(['xfs_vm_writepage', 'shrink_page_list']);
      expect(r.mail?.date).toBe('2014-07-26T19:58:23.000Z');
      expect(recs.some((x) => x.kind === 'finding' && x.detector === 'writeback-from-direct-reclaim' && x.verdict === 'affected')).toBe(true);
    });
  }

  it('decodes RFC 2047 subjects', async () => {
    const recs = await records(join(dir, 'quoted-printable.eml'));
    expect((recs.find((r) => r.kind === 'report') as Report).mail?.subject).toBe('xfs WARNING \u2014 reclaim');
  });

  it('counts the lines of a message body as a log\'s: the final newline starts no line', async () => {
    // The body is "line1\nline2\n" as decoded; the summary counted 3 lines before.
    const eml = 'From: a@example.org\nTo: b@example.org\nSubject: x\n\nline1\nline2\n';
    const out: OutputRecord[] = [];
    for await (const r of analyze(['-'], { stdin: Readable.from([Buffer.from(eml)]) })) out.push(r);
    expect(out.at(-1)).toMatchObject({ kind: 'summary', messages: 1, lines: 2 });
  });

  it('decodes a large plain-text message itself, to the same fields postal-mime gives', async () => {
    // Over 1 MiB, a single 7bit/8bit text/plain part skips postal-mime (which holds such a
    // message many times over while decoding it); headers are still decoded by postal-mime.
    const log = readFileSync(join(import.meta.dirname, '..', 'examples', 'demo.log'), 'utf8').replaceAll('\n', '\r\n');
    const head = 'From: =?UTF-8?Q?J=C3=B6rg?= <j@example.org>\r\nSubject: =?UTF-8?Q?WARNING_=E2=80=94_xfs?=\r\n  in reclaim\r\nDate: Sat, 26 Jul 2014 21:58:23 +0200\r\nMessage-ID: <big@example.org>\r\nContent-Type: text/plain;\r\n charset="utf-8"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n';
    const raw = Buffer.from(head + 'caf\u00e9\r\n' + log.repeat(Math.ceil((1.2 * 1024 * 1024) / log.length)), 'utf8');
    expect(raw.length).toBeGreaterThan(1024 * 1024);
    const msg = await parseMessage(raw);
    const pm = await PostalMime.parse(raw);
    expect(msg.text).toBe(pm.text);
    expect(msg).toMatchObject({ subject: pm.subject, messageId: 'big@example.org', date: '2014-07-26T19:58:23.000Z', from: 'Jörg <j@example.org>' });
    expect(msg.text.startsWith('caf\u00e9\n[    0.000000] Linux version')).toBe(true);
    // A us-ascii label on 8-bit bytes: decoded as postal-mime decodes it (windows-1252), whatever the size.
    const ascii = Buffer.from(head.replace('charset="utf-8"', 'charset="us-ascii"') + 'caf\u00e9\r\n' + log.repeat(Math.ceil((1.2 * 1024 * 1024) / log.length)), 'utf8');
    expect((await parseMessage(ascii)).text).toBe((await PostalMime.parse(ascii)).text);
  });

  it('does not decode binary attachments: a 10 MB one neither cuts the message nor hides a text part after it', async () => {
    const log = readFileSync(join(import.meta.dirname, '..', 'examples', 'demo.log'), 'utf8');
    const b64 = Buffer.alloc(7.5 * 1024 * 1024, 7).toString('base64').replace(/.{76}/g, '$&\n');
    const eml = `From: a@example.org\nSubject: big\nMessage-ID: <big@example.org>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n--XX\nContent-Type: text/plain\n\nSee the attached log.\n--XX\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n${b64}\n--XX\nContent-Type: text/plain; name=dmesg.txt\nContent-Disposition: attachment; filename=dmesg.txt\n\n${log}\n--XX--\n`;
    expect(eml.length).toBeGreaterThan(10 * 1024 * 1024);
    const msg = await parseMessage(Buffer.from(eml));
    expect(msg.cut).toBeUndefined();
    expect(msg.text).toContain('See the attached log.');
    expect(msg.text).toContain('WARNING: CPU: 3 PID: 19721 at fs/xfs/xfs_aops.c:971');
    const out: OutputRecord[] = [];
    for await (const r of analyze(['-'], { stdin: Readable.from([Buffer.from(eml)]) })) out.push(r);
    expect(out.filter((r) => r.kind === 'notice')).toEqual([]);
    expect(out.find((r) => r.kind === 'report')).toMatchObject({ title: RAW_TITLE });
  });

  it('decodes only the first 8 MB of a larger MIME message, and says it was cut', async () => {
    // A report in the text part, then a 10 MB base64 text attachment (postal-mime would hold it several times over).
    const log = readFileSync(join(import.meta.dirname, '..', 'examples', 'demo.log'), 'utf8');
    const b64 = Buffer.alloc(7.5 * 1024 * 1024, 'x').toString('base64').replace(/.{76}/g, '$&\n');
    const eml = `From: a@example.org\nSubject: big\nMessage-ID: <cut@example.org>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n--XX\nContent-Type: text/plain\n\n${log}\n--XX\nContent-Type: text/plain; name=big.txt\nContent-Transfer-Encoding: base64\n\n${b64}\n--XX--\n`;
    expect(eml.length).toBeGreaterThan(10 * 1024 * 1024);
    const msg = await parseMessage(Buffer.from(eml));
    expect(msg.cut).toBe(true);
    expect(msg.text).toContain('WARNING: CPU: 3 PID: 19721 at fs/xfs/xfs_aops.c:971');
    const out: OutputRecord[] = [];
    for await (const r of analyze(['-'], { stdin: Readable.from([Buffer.from(eml)]) })) out.push(r);
    expect(out.find((r) => r.kind === 'notice')).toMatchObject({ source: '-#cut@example.org', message: 'message longer than the size limit was cut' });
    expect(out.find((r) => r.kind === 'report')).toMatchObject({ title: RAW_TITLE });
  });

  it('reads a message postal-mime gives up on as plain text, and says so', async () => {
    // Found by npm run fuzz: a part whose header block is one quoted line of 2 MB (postal-mime
    // stops at 2 MiB of headers) made the whole message an input error, its splat lost.
    const log = readFileSync(join(import.meta.dirname, '..', 'examples', 'demo.log'), 'utf8');
    const eml = `From: Dave <dave@example.org>\nSubject: dmesg attached\nDate: Sat, 26 Jul 2014 12:58:23 -0700\nMessage-ID: <undecoded@example.org>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="B"\n\n--B\n${'> '.repeat(1_100_000)}\n${log}\n--B--\n`;
    const msg = await parseMessage(Buffer.from(eml));
    expect(msg.undecoded).toBe('Maximum header size of 2097152 bytes exceeded');
    expect(msg).toMatchObject({ messageId: 'undecoded@example.org', subject: 'dmesg attached', from: 'Dave <dave@example.org>', date: '2014-07-26T19:58:23.000Z' });
    expect(msg.text.startsWith('--B\n> > ')).toBe(true);
    const out: OutputRecord[] = [];
    for await (const r of analyze(['-'], { stdin: Readable.from([Buffer.from(eml)]) })) out.push(r);
    expect(out.filter((r) => r.kind === 'error')).toEqual([]);
    expect(out.find((r) => r.kind === 'notice' && r.message.startsWith('MIME'))).toMatchObject({
      source: '-#undecoded@example.org',
      line: 1,
      message: 'MIME structure not decoded (Maximum header size of 2097152 bytes exceeded): read as plain text',
    });
    expect(out.find((r) => r.kind === 'report')).toMatchObject({ title: RAW_TITLE, source: '-#undecoded@example.org' });
  });

  it('the mbox: every message is its own source, counted in the summary', async () => {
    const recs = await records(join(dir, 'variants.mbox'));
    const summary = recs.at(-1)!;
    expect(summary).toMatchObject({ kind: 'summary', messages: 11, messagesWithReports: 9, reports: 9 });
    const sources = recs.filter((r): r is Report => r.kind === 'report').map((r) => r.source.split('#')[1]);
    expect(new Set(sources).size).toBe(9);
  });
});

describe('analyzeRawMessages', () => {
  it('lets go of a message\'s bytes once it is decoded, before its records come out', async () => {
    // The splitter's suspended frame and the caller still hold the message object while its
    // records are produced; with 16 MiB messages two raw copies stayed alive through each analysis.
    const raw = readFileSync(join(dir, 'attachment-base64.eml'));
    const m = { raw, index: 0, lineNo: 1, cut: false };
    async function* one(): AsyncGenerator<typeof m> {
      yield m;
    }
    const seen: Array<{ kind: string; rawLength: number }> = [];
    const stats = { lines: 0, messages: 0, messagesWithReports: 0 };
    for await (const r of analyzeRawMessages(one(), 'a.eml', {}, stats)) seen.push({ kind: r.kind, rawLength: m.raw.length });
    expect(seen.some((s) => s.kind === 'report')).toBe(true);
    expect(seen.every((s) => s.rawLength === 0)).toBe(true);
    expect(stats).toEqual({ lines: stats.lines, messages: 1, messagesWithReports: 1 });
    // The same records as the file read as one message.
    const fromFile = (await records(join(dir, 'attachment-base64.eml'))).filter((r) => r.kind === 'report');
    const fromBytes: OutputRecord[] = [];
    for await (const r of analyzeRawMessages(one2(), join(dir, 'attachment-base64.eml'))) if (r.kind === 'report') fromBytes.push(r);
    expect(fromBytes).toEqual(fromFile);
    async function* one2(): AsyncGenerator<typeof m> {
      yield { raw: readFileSync(join(dir, 'attachment-base64.eml')), index: 0, lineNo: 1, cut: false };
    }
  });
});

describe('quote styles seen on kasan-dev', () => {
  // Both from real replies (kasan-dev archive, 2020 and 2025), trimmed.
  it('"| " bar quotes are stripped like "> "', () => {
    const text = [
      '| [   38.128302] BUG: scheduling while atomic: swapper/0/0/0x00010002',
      '| [   38.128310] CPU: 0 PID: 0 Comm: swapper/0 Not tainted 5.10.0-rc3 #1',
      '| [   38.128315] Call trace:',
      '| [   38.128320]  dump_backtrace+0x0/0x1f0',
      '| [   38.128325]  show_stack+0x18/0x28',
      '| [   38.128330]  dump_stack+0xd0/0x12c',
      '| [   38.128335]  __schedule_bug+0x6c/0x88',
      '| [   38.128340]  __schedule+0x6cc/0x780',
      '| [   38.128345]  schedule_idle+0x28/0x48',
      '| [   38.128350]  el1_irq+0xb8/0x180',
    ].join('\n');
    const [r] = analyzeText(text);
    expect(r).toMatchObject({ title: 'BUG: scheduling while atomic in el1_irq', corrupted: false, quoteDepth: 1 });
  });

  it('an indented quoted oops stays one report (the "Oops:" banner continues it)', () => {
    const text = [
      '> > > >     BUG: unable to handle page fault for address: ffffbc3840291000',
      '> > > >     #PF: supervisor read access in kernel mode',
      '> > > >     #PF: error_code(0x0000) - not-present page',
      '> > > >     Oops: 0000 [#1] SMP NOPTI',
      '> > > >     CPU: 0 UID: 0 PID: 81 Comm: kunit_try_catch Tainted: G                 N  6.17.0-rc3 #10 PREEMPT(voluntary)',
      '> > > >     RIP: 0010:kmsan_internal_set_shadow_origin+0x91/0x100',
      '> > > >     Call Trace:',
      '> > > >     <TASK>',
      '> > > >     __msan_memset+0xee/0x1a0',
      '> > > >     sha224_final+0x9e/0x350',
      '> > > >     test_hash_buffer_overruns+0x46f/0x5f0',
    ].join('\n');
    const reports = analyzeText(text);
    expect(reports).toHaveLength(1);
    // kmsan_* and __msan_* are generic frames (syzkaller's skip list): the guilty frame is sha224_final.
    expect(reports[0]).toMatchObject({ title: 'BUG: unable to handle kernel paging request in sha224_final', corrupted: false });
  });
});

describe('where a pasted splat ends in mail', () => {
  // The shape of a syzbot report email (hand-written from the footer syzbot sends) and of a
  // patch that quotes its splat before the tags and the diff.
  const splat = [
    'WARNING: CPU: 0 PID: 5120 at fs/ext4/inode.c:3643 ext4_dirty_folio+0x9b/0xc0 fs/ext4/inode.c:3643',
    'Modules linked in:',
    'CPU: 0 PID: 5120 Comm: syz-executor.0 Not tainted 6.8.0-rc1-syzkaller #0',
    'RIP: 0010:ext4_dirty_folio+0x9b/0xc0 fs/ext4/inode.c:3643',
    'Call Trace:',
    ' <TASK>',
    ' folio_mark_dirty+0x160/0x190 mm/page-writeback.c:2806',
    ' fault_dirty_shared_page+0xa2/0x5c0 mm/memory.c:2986',
    ' do_wp_page+0x1d5a/0x2f00 mm/memory.c:3537',
    ' </TASK>',
  ];
  it.each([
    ['syzbot footer', ['', '', '---', 'This report is generated by a bot. It may contain errors.', 'See https://goo.gl/tpsmEJ for more information about syzbot.']],
    ['patch tags', ['Reported-by: syzbot+0123456789abcdef0123@syzkaller.appspotmail.com', 'Signed-off-by: A Developer <dev@example.org>']],
    ['a diff', ['diff --git a/fs/ext4/inode.c b/fs/ext4/inode.c', 'index 0123456..789abcd 100644']],
  ])('stops at the %s', (_what, tail) => {
    const reports = analyzeText([...splat, ...tail].join('\n'));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ title: 'WARNING in ext4_dirty_folio', startLine: 1 });
    // The report's last line is the trace end or the blank lines after it, never the mail text.
    expect(reports[0]!.rawLines.join('\n')).not.toMatch(/report is generated|Signed-off-by|Reported-by|diff --git/);
  });
});

describe('a header wrapped by a mail client', () => {
  it('joins a general protection fault header broken before its address (kasan-dev, 2020)', () => {
    const text = [
      'general protection fault, probably for non-canonical address',
      '0x46b1b0f0d8856e4a: 0000 [#1] SMP NOPTI',
      'CPU: 27 PID: 1018 Comm: kworker/27:1H Tainted: G        W',
      'RIP: 0010:__bfq_deactivate_entity+0x15a/0x240',
      'Call Trace:',
      ' bfq_deactivate_entity+0x4f/0xc0',
      ' bfq_del_bfqq_busy+0xac/0x160',
    ].join('\n');
    const reports = analyzeText(text);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ title: 'general protection fault in __bfq_deactivate_entity', corrupted: false });
  });
});

describe('headers that mail cites rather than the kernel printed', () => {
  it('a syzbot title on a line of its own is not a report; the splat after it is', () => {
    // The shape of syzbot's "tested the proposed patch" reply (linux-ext4, 2020).
    const text = [
      'syzbot has tested the proposed patch but the reproducer is still triggering an issue:',
      'BUG: unable to handle kernel NULL pointer dereference in generic_perform_write',
      '',
      'BUG: kernel NULL pointer dereference, address: 0000000000000000',
      '#PF: supervisor instruction fetch in kernel mode',
      'Oops: 0010 [#1] PREEMPT SMP KASAN',
      'CPU: 1 PID: 8471 Comm: syz-executor.0 Not tainted 5.9.0-rc4-syzkaller #0',
      'RIP: 0010:0x0',
      'Call Trace:',
      ' generic_perform_write+0x20a/0x4e0 mm/filemap.c:3339',
      ' ext4_buffered_write_iter+0x1b3/0x3e0 fs/ext4/file.c:270',
    ].join('\n');
    const reports = analyzeText(text);
    expect(reports.map((r) => r.title)).toEqual(['BUG: unable to handle kernel NULL pointer dereference in generic_perform_write']);
    expect(reports[0]!.startLine).toBe(4);
  });

  it('a header in quotation marks inside prose or code is not a report', () => {
    const text = [
      'Yeah, it seems the "Kernel panic - not syncing: Segfault with no mm",',
      '"Kernel mode fault at addr...", and "Kernel tried to access user',
      'memory at addr..." errors all come from segv() in arch/um/kernel/trap.c.',
      '',
      '+\t\tpr_err("BUG: KCSAN: data-race in %ps / %ps\\n",',
    ].join('\n');
    expect(analyzeText(text)).toEqual([]);
  });

  it('does not join an offset from a later line: a mail client wraps onto the next line only', () => {
    // Found by npm run fuzz (seed 1872905251): a stray byte broke the header's timestamp, the
    // timestamped lines after it went to another context, and "+0x1/0x2" 28 lines further down
    // was joined to the header.
    const text = [
      '[    3.118724] ------------[ cut here ]------------',
      '>[\uFFFD    3.118971] WARNING: CPU: 2 PID: 1 at drivers/net/ethernet/ibm/ibmveth.c:1701 ibmveth_probe+0x2b4/0x6c0',
      '>[    3.119339] Modules linked in:',
      '>[    3.120287] Call Trace:',
      '>[    3.120828] [c0000001fe6ef6e0] [c000000000a0a3d4] dump_stack+0xb0/0xf0 (unreliable)',
      '>[    3.129373] ---[ end trace 5d8c9a4e2b5bd7c3 ]---',
      '>+0x1/0x2',
    ].join('\n');
    const reports = analyzeText(text);
    expect(reports.map((r) => r.header)).toEqual(['[\uFFFD    3.118971] WARNING: CPU: 2 PID: 1 at drivers/net/ethernet/ibm/ibmveth.c:1701 ibmveth_probe+0x2b4/0x6c0']);
    checkRawLines(text, reports);
  });

  it('a real header wrapped after its function name is still a report', () => {
    // kasan-dev 2021: the offset went to the next line; same first line as a cited title.
    const text = [
      'BUG: KASAN: use-after-free in kasan_workqueue_uaf',
      '+0x70/0xa0',
      'Read of size 8 at addr ffff88800e0f5f00 by task kworker/1:1/54',
      'Call Trace:',
      ' dump_stack+0x9c/0xcf',
      ' kasan_report+0x13a/0x160',
      ' kasan_workqueue_uaf+0x70/0xa0',
      ' process_one_work+0x2a9/0x5d0',
    ].join('\n');
    // The offset is joined back, so "Read" comes from the access line after it. The function is
    // syzkaller's choice: kasan_* names match its generic-frame list (as kasan_report does).
    const reports = analyzeText(text);
    expect(reports.map((r) => r.title)).toEqual(['KASAN: use-after-free Read in process_one_work']);
    // The fuzz property admits this join: the header, then the offset from the next line.
    expect(reports[0]!.rawLines[0]).toBe('BUG: KASAN: use-after-free in kasan_workqueue_uaf+0x70/0xa0');
    checkRawLines(text, reports);
  });
});
