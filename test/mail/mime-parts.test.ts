// dropBinaryParts must change nothing ktriage reads from a message: postal-mime gives the same
// text, HTML, headers, attachment list and text attachments with and without it.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { splitMbox } from '../../src/mail/mbox.js';
import { dropBinaryParts, dropUnusedHeaders, textAttachmentRe } from '../../src/mail/mime-parts.js';

const MAIL = join(import.meta.dirname, '..', '..', 'fixtures', 'mail');

/** What ktriage takes from a parsed message (message.ts parseMessage), plus the attachment list. */
async function view(raw: Buffer): Promise<unknown> {
  const e = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
  return {
    text: e.text,
    html: e.html,
    subject: e.subject,
    messageId: e.messageId,
    from: e.from,
    date: e.date,
    attachments: e.attachments.map((a) => ({
      mimeType: a.mimeType,
      filename: a.filename,
      text: textAttachmentRe.test(a.mimeType) ? Buffer.from(a.content as ArrayBuffer).toString('utf8') : null,
    })),
  };
}

/** postal-mime gives the same view of every fixture .eml and variants.mbox message before and after `change`. */
async function expectSameViewOfFixtureMail(change: (raw: Buffer) => Buffer): Promise<void> {
  for (const f of readdirSync(MAIL).filter((n) => n.endsWith('.eml'))) {
    const raw = readFileSync(join(MAIL, f));
    expect(await view(change(raw)), f).toEqual(await view(raw));
  }
  for await (const m of splitMbox(Readable.from([readFileSync(join(MAIL, 'variants.mbox'))]))) {
    expect(await view(change(m.raw)), `variants.mbox message ${m.index}`).toEqual(await view(m.raw));
  }
}

const b64 = (n: number, fill: number) => Buffer.alloc(n, fill).toString('base64').replace(/.{76}/g, '$&\n');

function message(eol: string): Buffer {
  const lines = [
    'From: a@example.org',
    'Subject: parts',
    'Message-ID: <parts@example.org>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed;',
    '\tboundary="outer"',
    '',
    'preamble',
    '--outer',
    'Content-Type: multipart/alternative; boundary=inner',
    '',
    '--inner',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'WARNING: CPU: 3 PID: 19721 at fs/xfs/xfs_aops.c:971 xfs_vm_writepage+0x5ce/0x630 [xfs]()',
    '--inner',
    'Content-Type: text/html',
    '',
    '<p>see the log</p>',
    '--inner--',
    '',
    '--outer',
    'Content-Type: image/png; name=screen.png',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename=screen.png',
    '',
    b64(300_000, 1),
    '--outer',
    'Content-Type: application/x-log; name=dmesg.log',
    'Content-Disposition: attachment; filename=dmesg.log',
    '',
    '[   12.000000] BUG: KASAN: use-after-free in foo+0x1/0x2',
    '--outer',
    'Content-Type: application/octet-stream; name=vmcore',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename=vmcore',
    '',
    b64(200_000, 2),
    '--outer',
    'Content-Type: message/rfc822',
    '',
    'Subject: forwarded',
    '',
    'forwarded body',
    '--outer--',
    'epilogue',
    '',
  ];
  return Buffer.from(lines.join(eol));
}

describe('dropBinaryParts', () => {
  for (const [name, eol] of [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ] as const) {
    it(`empties image and octet-stream bodies, keeps text, HTML, logs and forwarded messages (${name})`, async () => {
      const raw = message(eol);
      const dropped = dropBinaryParts(raw);
      expect(dropped.length).toBeLessThan(raw.length - 600_000);
      expect(await view(dropped)).toEqual(await view(raw));
      const e = await PostalMime.parse(dropped, { attachmentEncoding: 'arraybuffer' });
      expect(e.attachments.map((a) => [a.mimeType, (a.content as ArrayBuffer).byteLength === 0])).toEqual([
        ['image/png', true],
        ['application/x-log', false],
        ['application/octet-stream', true],
      ]);
      // postal-mime reads a forwarded message into the text, which is kept.
      expect(e.text).toContain('forwarded body');
    });
  }

  it('returns the message itself when it has no binary part, and leaves what it cannot follow', () => {
    const plain = Buffer.from('Subject: x\n\nbody\n');
    expect(dropBinaryParts(plain)).toBe(plain);
    const noBoundary = Buffer.from('Content-Type: multipart/mixed\n\n--x\nContent-Type: image/png\n\nAAAA\n--x--\n');
    expect(dropBinaryParts(noBoundary)).toBe(noBoundary);
    const noHeaderEnd = Buffer.from('Content-Type: image/png');
    expect(dropBinaryParts(noHeaderEnd)).toBe(noHeaderEnd);
    // A line that only starts like a delimiter is part of the text.
    const lookalike = Buffer.from('Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\n--bb not a delimiter\nContent-Type: image/png\n\nkept\n--b--\n');
    expect(dropBinaryParts(lookalike)).toBe(lookalike);
    // A message cut inside its binary part (the mbox size limit): the rest of it goes.
    const cut = Buffer.from('Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhello\n--b\nContent-Type: image/png\n\nAAAA');
    expect(dropBinaryParts(cut).toString()).toBe('Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhello\n--b\nContent-Type: image/png\n\n');
  });

  it('changes nothing postal-mime gives for the fixture mail', async () => {
    await expectSameViewOfFixtureMail(dropBinaryParts);
  });
});

describe('dropUnusedHeaders', () => {
  const head = [
    'Received: from mail.example.org (mail.example.org [192.0.2.1])',
    '\tby lists.example.org with ESMTP id 1234',
    'From: "Dave J" <davej@example.org>',
    'To: linux-mm@kvack.org,',
    '  linux-kernel@vger.kernel.org',
    'Cc: Andrew Morton <akpm@example.org>',
    'Subject: [PATCH] mm: do not',
    ' write back from direct reclaim',
    'Date: Tue, 10 Jun 2014 12:20:14 -0400',
    'Message-ID: <hdr@example.org>',
    'DKIM-Signature: v=1; a=rsa-sha256;',
    '\tb=AAAA',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding : quoted-printable',
    'X-Mailer: mutt',
  ];
  const body = ['', 'WARNING: CPU: 3 PID: 19721 at fs/xfs/xfs_aops.c:971 xfs_vm_writepage+0x5ce/0x630 [xfs]()', 'caf=C3=A9', 'To: not a header, the body', ''];

  for (const [name, eol] of [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ] as const) {
    it(`keeps the headers ktriage reads and those of the MIME structure, with their folded lines (${name})`, async () => {
      const raw = Buffer.from([...head, ...body].join(eol));
      const kept = dropUnusedHeaders(raw);
      expect(kept.toString()).toBe(
        [
          'From: "Dave J" <davej@example.org>',
          'Subject: [PATCH] mm: do not',
          ' write back from direct reclaim',
          'Date: Tue, 10 Jun 2014 12:20:14 -0400',
          'Message-ID: <hdr@example.org>',
          'MIME-Version: 1.0',
          'Content-Type: text/plain; charset=utf-8',
          'Content-Transfer-Encoding : quoted-printable',
          ...body,
        ].join(eol),
      );
      expect(await view(kept)).toEqual(await view(raw));
      expect((await PostalMime.parse(kept)).text).toContain('café');
    });
  }

  it('returns the message itself when there is nothing to drop or no header block', () => {
    const used = Buffer.from('From: a@example.org\nSubject: x\n\nbody\n');
    expect(dropUnusedHeaders(used)).toBe(used);
    const noHeaders = Buffer.from('\nTo: body text\n');
    expect(dropUnusedHeaders(noHeaders)).toBe(noHeaders);
    const noEnd = Buffer.from('To: a@example.org');
    expect(dropUnusedHeaders(noEnd)).toBe(noEnd);
  });

  it('changes nothing postal-mime gives for the fixture mail', async () => {
    await expectSameViewOfFixtureMail(dropUnusedHeaders);
  });
});
