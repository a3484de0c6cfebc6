// Files that are no text: told by their first bytes, named in a notice (found in a walk) or an
// error (named by the user), with the command that gives their text.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { binaryFormatOf, binaryInputMessage } from '../../src/input/binary-formats.js';
import { runCliCaptured } from '../helpers/cli.js';

// The first bytes of files the tools made (checked with od on this machine, 2026-11-28): a journal
// systemd-journal-remote 252 wrote, and `printf x | xz` (bzip2, zstd, lz4 alike).
const journalHead = Buffer.from('4c504b534848524800000000' + '1c000000' + '0000000000000000' + '7a0ce7421bad4fc4', 'hex');
const heads: Record<string, Buffer> = {
  'a systemd journal file': journalHead,
  'xz-compressed': Buffer.from('fd377a585a000004e6d6b446', 'hex'),
  'bzip2-compressed': Buffer.from('425a683931415926535900', 'hex'),
  'zstd-compressed': Buffer.from('28b52ffd0458090000', 'hex'),
  'lz4-compressed': Buffer.from('04224d186440a7', 'hex'),
  'an ELF file (a program, kernel image or module), not a log': Buffer.from('7f454c4602010100', 'hex'),
  // A core file the kernel of this machine wrote (`sh -c 'kill -SEGV $$'`, x86-64): e_type 4 at byte 16.
  'an ELF core dump (a kernel vmcore or a program core)': Buffer.from('7f454c46020101000000000000000000' + '04003e0001000000', 'hex'),
  // makedumpfile's headers (diskdump_mod.h, makedumpfile.h): the signature, then header_version
  // (an int) or, flattened, NUL padding to 16 bytes and the type (an int64).
  'a kernel crash dump (kdump-compressed vmcore)': Buffer.concat([Buffer.from('KDUMP   '), Buffer.from('06000000', 'hex'), Buffer.from('Linux\0')]),
  'a kernel crash dump (diskdump vmcore)': Buffer.concat([Buffer.from('DISKDUMP'), Buffer.from('01000000', 'hex')]),
  'a kernel crash dump (flattened vmcore, makedumpfile -F)': Buffer.concat([Buffer.from('makedumpfile\0\0\0\0'), Buffer.from('0000000000000001', 'hex')]),
};

describe('binaryFormatOf', () => {
  it('tells each format from its first bytes', () => {
    for (const [what, head] of Object.entries(heads)) expect(binaryFormatOf(head)?.what, what).toBe(what);
  });

  it('takes no text for one, nor a format cut short', () => {
    const captured = readFileSync(new URL('../../fixtures/captured/amd64/BUG.log', import.meta.url));
    expect(binaryFormatOf(captured)).toBeUndefined();
    // "BZh9" could start a line; bzip2's block magic must follow.
    expect(binaryFormatOf(Buffer.from('BZh9 is no bzip2 header\n'))).toBeUndefined();
    expect(binaryFormatOf(Buffer.from('LPKSHHR'))).toBeUndefined();
    expect(binaryFormatOf(Buffer.alloc(0))).toBeUndefined();
    // kdump's own output, which a log of the kdump kernel holds.
    expect(binaryFormatOf(Buffer.from('makedumpfile Completed.\n'))).toBeUndefined();
    expect(binaryFormatOf(Buffer.from('KDUMP: saving vmcore\n'))).toBeUndefined();
  });

  it('tells a big-endian core (s390x) from other ELF files', () => {
    expect(binaryFormatOf(Buffer.from('7f454c46020201000000000000000000' + '00040016', 'hex'))?.what).toBe('an ELF core dump (a kernel vmcore or a program core)');
    // An executable (e_type 2) and a module (e_type 1), little-endian.
    expect(binaryFormatOf(Buffer.from('7f454c46020101000000000000000000' + '02003e00', 'hex'))?.what).toBe('an ELF file (a program, kernel image or module), not a log');
    expect(binaryFormatOf(Buffer.from('7f454c46020101000000000000000000' + '01003e00', 'hex'))?.what).toBe('an ELF file (a program, kernel image or module), not a log');
  });

  it('gives a command to run, with the file name quoted for a shell', () => {
    const journal = binaryFormatOf(journalHead)!;
    expect(binaryInputMessage(journal, '/var/log/journal/x/system.journal')).toBe(
      'a systemd journal file, not text: not read (run `journalctl --file /var/log/journal/x/system.journal -k -o json | ktriage -`)',
    );
    expect(binaryInputMessage(journal, "it's here.journal")).toContain(`--file 'it'\\''s here.journal' -k`);
    expect(binaryInputMessage(journal, '-')).toContain('--file <file> -k');
    expect(binaryInputMessage(binaryFormatOf(heads['a kernel crash dump (kdump-compressed vmcore)']!)!, '/var/crash/202611281200/vmcore')).toBe(
      'a kernel crash dump (kdump-compressed vmcore), not text: not read (run `makedumpfile --dump-dmesg /var/crash/202611281200/vmcore dmesg.txt && ktriage dmesg.txt`)',
    );
    expect(binaryInputMessage(binaryFormatOf(heads['an ELF file (a program, kernel image or module), not a log']!)!, 'lkdtm.ko')).toBe(
      'an ELF file (a program, kernel image or module), not a log: not read',
    );
  });
});

describe('a binary input on the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktriage-binary-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const log = readFileSync(new URL('../../fixtures/captured/amd64/BUG.log', import.meta.url));
  writeFileSync(join(dir, 'BUG.log'), log);
  writeFileSync(join(dir, 'system.journal'), Buffer.concat([journalHead, Buffer.alloc(4096)]));
  // A journal gzipped (as a bug tracker may store an attachment): told after gunzip.
  writeFileSync(join(dir, 'user.journal.gz'), gzipSync(Buffer.concat([journalHead, Buffer.alloc(4096)])));
  const records = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; source?: string; message?: string; title?: string; code?: string });

  for (const jobs of ['1', '2']) {
    it(`is passed by with a notice when a directory walk finds it (--jobs ${jobs})`, async () => {
      const r = await runCliCaptured(['--jobs', jobs, '-f', 'jsonl', dir]);
      const recs = records(r.stdout);
      expect(recs.filter((x) => x.kind === 'report').map((x) => x.title)).toEqual(['kernel BUG in lkdtm_BUG']);
      expect(recs.filter((x) => x.kind === 'notice').map((x) => [x.source, x.message?.split(',')[0]])).toEqual([
        [join(dir, 'system.journal'), 'a systemd journal file'],
        [join(dir, 'user.journal.gz'), 'a systemd journal file'],
      ]);
      expect(recs.filter((x) => x.kind === 'error')).toEqual([]);
      // A report and no error: exit code 1 (a report fails the default policy).
      expect(r.code).toBe(1);
    });
  }

  it('is an error when named, as from stdin', async () => {
    const named = await runCliCaptured(['-f', 'jsonl', join(dir, 'system.journal')]);
    expect(named.code).toBe(2);
    expect(records(named.stdout).find((x) => x.kind === 'error')).toMatchObject({ code: 'input.unreadable', source: join(dir, 'system.journal') });
    expect(named.stderr).toContain(`run \`journalctl --file ${join(dir, 'system.journal')} -k -o json | ktriage -\``);
    const piped = await runCliCaptured(['-f', 'jsonl', '-'], { stdin: Buffer.concat([journalHead, Buffer.alloc(100)]) });
    expect(piped.code).toBe(2);
    expect(piped.stderr).toContain('-: a systemd journal file, not text');
  });
});
