// Archives read as the directory of files they hold. The fixtures are real captured logs packed
// by GNU tar, gzip and Info-ZIP zip (scripts/fixtures/make-archives.sh); what each holds was
// read with `tar tvf` and `unzip -Z`, and each member's title is its log's .expected TITLE.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { archiveFormatOf } from '../../src/input/archives.js';
import { peekStream } from '../../src/input/peek.js';
import { memberStream } from '../../src/input/sources.js';
import { isTarHeader, TarFormatError, tarEntries, type TarEntry } from '../../src/input/tar.js';
import { runCliCaptured } from '../helpers/cli.js';

const fixture = (name: string) => new URL(`../../fixtures/archives/${name}`, import.meta.url).pathname;
const captured = (name: string) => readFileSync(new URL(`../../fixtures/captured/${name}`, import.meta.url));
const long = 'd'.repeat(90);
/** 1000 bytes into the data of the ustar fixture's third file, whose header is block 30 (`tar -R -tvf`). */
const CUT_IN_DATA = 30 * 512 + 512 + 1000;

// Every tar fixture holds this tree, in this order (`tar tvf`).
const tree: Array<[string, TarEntry['kind'], number]> = [
  ['logs/', 'directory', 0],
  ['logs/amd64/', 'directory', 0],
  ['logs/amd64/BUG.log', 'file', 8934],
  ['logs/arm64/', 'directory', 0],
  ['logs/arm64/WARNING.log.gz', 'file', 2595],
  [`logs/${long}/`, 'directory', 0],
  [`logs/${long}/CORRUPT_LIST_ADD.log`, 'file', 7090],
  ['logs/empty/', 'directory', 0],
  ['logs/latest.log', 'link', 0],
];
// What the three files are (make-archives.sh; the .gz gunzipped), and their titles (fixtures/captured/*/<file>.expected).
const files: Record<string, { bytes: () => Buffer; title: string }> = {
  'logs/amd64/BUG.log': { bytes: () => captured('amd64/BUG.log'), title: 'kernel BUG in lkdtm_BUG' },
  'logs/arm64/WARNING.log.gz': { bytes: () => captured('arm64/WARNING.log'), title: 'WARNING in lkdtm_WARNING' },
  [`logs/${long}/CORRUPT_LIST_ADD.log`]: { bytes: () => captured('s390x/CORRUPT_LIST_ADD.log'), title: 'BUG: corrupted list in lkdtm_CORRUPT_LIST_ADD' },
};
const tars: Record<string, () => Buffer> = {
  'ci-logs.tar.gz (GNU)': () => gunzipSync(readFileSync(fixture('ci-logs.tar.gz'))),
  'ci-logs-pax.tar': () => readFileSync(fixture('ci-logs-pax.tar')),
  'ci-logs-ustar.tar': () => readFileSync(fixture('ci-logs-ustar.tar')),
};

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** The entries of a tar, each file's bytes read (or not), and what was thrown. */
async function entriesOf(tar: Buffer, read = true): Promise<{ entries: Array<[string, string, number, Buffer | undefined]>; error?: unknown }> {
  const entries: Array<[string, string, number, Buffer | undefined]> = [];
  try {
    // Small chunks, so headers and data cross chunk boundaries.
    const chunks = Array.from({ length: Math.ceil(tar.length / 700) }, (_, i) => tar.subarray(i * 700, (i + 1) * 700));
    for await (const e of tarEntries(Readable.from(chunks))) entries.push([e.name, e.kind, e.size, read && e.kind === 'file' ? await readAll(e.body) : undefined]);
  } catch (error) {
    return { entries, error };
  }
  return { entries };
}

describe('tarEntries', () => {
  for (const [name, bytes] of Object.entries(tars)) {
    it(`gives every member of ${name} with its name, kind and bytes`, async () => {
      const { entries, error } = await entriesOf(bytes());
      expect(error).toBeUndefined();
      expect(entries.map(([n, k, s]) => [n, k, s])).toEqual(tree);
      for (const [n, , , body] of entries.filter(([, k]) => k === 'file')) {
        expect((n.endsWith('.gz') ? gunzipSync(body!) : body!).equals(files[n]!.bytes()), n).toBe(true);
      }
    });
  }

  it('passes by the bytes of a member nobody read', async () => {
    const { entries, error } = await entriesOf(tars['ci-logs-pax.tar']!(), false);
    expect(error).toBeUndefined();
    expect(entries.map(([n]) => n)).toEqual(tree.map(([n]) => n));
  });

  it('says where an archive was cut, after the members before the cut', async () => {
    const tar = tars['ci-logs-ustar.tar']!();
    const inData = await entriesOf(tar.subarray(0, CUT_IN_DATA));
    expect(inData.entries.map(([n]) => n)).toEqual(tree.slice(0, 7).map(([n]) => n));
    // What was there of the cut member is given, then the error.
    expect(inData.entries[6]![3]).toEqual(captured('s390x/CORRUPT_LIST_ADD.log').subarray(0, 1000));
    expect(inData.error).toBeInstanceOf(TarFormatError);
    expect((inData.error as Error).message).toBe(`cut short in member logs/${long}/CORRUPT_LIST_ADD.log`);
    // Not read, the member's end is still looked for.
    expect(((await entriesOf(tar.subarray(0, CUT_IN_DATA), false)).error as Error).message).toBe(`cut short in member logs/${long}/CORRUPT_LIST_ADD.log`);
    // In a header.
    const inHeader = await entriesOf(tar.subarray(0, 15360 + 100));
    expect((inHeader.error as Error).message).toBe('cut short at byte 15460');
  });

  it('takes no block with a wrong checksum for a header', async () => {
    const tar = Buffer.from(tars['ci-logs-ustar.tar']!());
    tar[512 + 10] = tar[512 + 10]! ^ 1; // a byte of the second header's name
    const { entries, error } = await entriesOf(tar);
    expect(entries.map(([n]) => n)).toEqual(['logs/']);
    expect((error as Error).message).toBe('no member header at byte 512');
  });
});

describe('memberStream', () => {
  it('keeps a failure that comes before anything reads the member, for its reader', async () => {
    // yauzl fails a member whose size is wrong as soon as it is inflated, which for a small one
    // can be before the analysis starts to read it (ktriage crashed on an unhandled 'error').
    const input = new PassThrough();
    const out = await memberStream(input, 'a.zip:x.log', 'zip');
    input.destroy(new Error('not enough bytes in the stream'));
    await new Promise((resolve) => setImmediate(resolve));
    // Read later, it is an error naming the member, not a wait for bytes that never come.
    await expect(peekStream(out)).rejects.toMatchObject({ code: 'input.decompress-failed', file: 'a.zip:x.log', message: 'zip: not enough bytes in the stream' });
  });
});

describe('archiveFormatOf', () => {
  it('tells tar and zip archives from their first bytes', () => {
    for (const tar of Object.values(tars)) expect(archiveFormatOf(tar())).toBe('tar');
    expect(archiveFormatOf(readFileSync(fixture('ci-logs.zip')))).toBe('zip');
    expect(archiveFormatOf(readFileSync(fixture('encrypted.zip')))).toBe('zip');
    // An empty zip file is its end record alone (22 bytes, as Python's zipfile writes it).
    expect(archiveFormatOf(Buffer.from('504b0506' + '00'.repeat(18), 'hex'))).toBe('zip');
  });

  it('takes no text for an archive', () => {
    expect(archiveFormatOf(captured('amd64/BUG.log'))).toBeUndefined();
    expect(archiveFormatOf(Buffer.alloc(0))).toBeUndefined();
    // "ustar" where a tar header has it, in a line of text: the checksum tells them apart.
    const line = Buffer.from(`${'x'.repeat(257)}ustar  ${'y'.repeat(300)}\n`);
    expect(isTarHeader(line)).toBe(false);
    expect(archiveFormatOf(line)).toBeUndefined();
    expect(archiveFormatOf(Buffer.from('PK is no zip\n'))).toBeUndefined();
  });
});

interface Rec {
  kind: string;
  source?: string;
  title?: string;
  message?: string;
  code?: string;
  sources?: number;
  reports?: number;
  lines?: number;
}
const records = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Rec);
const titles = (recs: Rec[]) => recs.filter((r) => r.kind === 'report').map((r) => [r.source, r.title]);
const notices = (recs: Rec[]) => recs.filter((r) => r.kind === 'notice').map((r) => [r.source, r.message]);

describe('ktriage on an archive', () => {
  const treeTitles = (archive: string) => Object.entries(files).map(([n, f]) => [`${archive}:${n}`, f.title]);

  for (const name of ['ci-logs.tar.gz', 'ci-logs-pax.tar', 'ci-logs-ustar.tar']) {
    it(`reads each file in ${name} as a source of its own`, async () => {
      const path = fixture(name);
      const r = await runCliCaptured(['-f', 'jsonl', path]);
      const recs = records(r.stdout);
      expect(titles(recs)).toEqual(treeTitles(path));
      expect(notices(recs)).toEqual([[`${path}:logs/latest.log`, 'link in the archive not followed']]);
      // The archive counts as the three files it holds.
      expect(recs.at(-1)).toMatchObject({ kind: 'summary', sources: 3, reports: 3 });
      expect(r.code).toBe(1);
    });
  }

  it('gives a member the records its file gives', async () => {
    const direct = await runCliCaptured(['-f', 'jsonl', new URL('../../fixtures/captured/amd64/BUG.log', import.meta.url).pathname]);
    const archived = await runCliCaptured(['-f', 'jsonl', fixture('ci-logs.tar.gz')]);
    const bug = (recs: Rec[]) => recs.filter((x) => x.source?.endsWith('BUG.log')).map((x) => ({ ...x, source: 'BUG.log' }));
    const want = bug(records(direct.stdout));
    expect(want.map((x) => x.kind)).toEqual(['report', 'boot']);
    expect(bug(records(archived.stdout))).toEqual(want);
  });

  it('reads a zip file, a tar in it too, and passes by a stored link', async () => {
    const path = fixture('ci-logs.zip');
    const r = await runCliCaptured(['-f', 'jsonl', path]);
    const recs = records(r.stdout);
    // In the zip's order (`unzip -Z`): the link, the tar, BUG.log, the long name, the stored .gz.
    const [bug, warning, list] = Object.entries(files).map(([n, f]) => [`${path}:${n}`, f.title]);
    expect(titles(recs)).toEqual([...treeTitles(`${path}:logs/ci-logs-ustar.tar`), bug, list, warning]);
    expect(notices(recs)).toEqual([
      [`${path}:logs/latest.log`, 'link in the archive not followed'],
      [`${path}:logs/ci-logs-ustar.tar:logs/latest.log`, 'link in the archive not followed'],
    ]);
    expect(recs.at(-1)).toMatchObject({ kind: 'summary', sources: 6, reports: 6 });
  });

  it('says what it does not read: an encrypted member, a zip in a tar, archives nested too deep', async () => {
    const enc = await runCliCaptured(['-f', 'jsonl', fixture('encrypted.zip')]);
    expect(notices(records(enc.stdout))).toEqual([[`${fixture('encrypted.zip')}:logs/amd64/BUG.log`, 'encrypted in the archive: not read']]);
    expect(enc.code).toBe(0);

    const nested = await runCliCaptured(['-f', 'jsonl', fixture('nested.tar.gz')]);
    const recs = records(nested.stdout);
    expect(titles(recs)).toEqual(treeTitles(`${fixture('nested.tar.gz')}:ci-logs.tar.gz`));
    expect(notices(recs)[1]).toEqual([
      `${fixture('nested.tar.gz')}:ci-logs.zip`,
      'a zip archive inside another archive: not read (a zip is read from its end; unpack it, or name the .zip file)',
    ]);

    const deep = await runCliCaptured(['-f', 'jsonl', fixture('deep.tar')]);
    expect(notices(records(deep.stdout))).toEqual([[`${fixture('deep.tar')}:4.tar:3.tar:2.tar:1.tar`, 'a tar archive inside 4 archives: not read']]);
  });

  it('is an error for a zip it cannot read from its end: piped in, or gzipped', async () => {
    const piped = await runCliCaptured(['-f', 'jsonl', '-'], { stdin: readFileSync(fixture('ci-logs.zip')) });
    expect(piped.code).toBe(2);
    expect(piped.stderr).toContain('ktriage: error: -: a zip archive from a pipe: not read');
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-zipgz-'));
    try {
      writeFileSync(join(dir, 'logs.zip.gz'), gzipSync(readFileSync(fixture('ci-logs.zip'))));
      const gz = await runCliCaptured(['-f', 'jsonl', join(dir, 'logs.zip.gz')]);
      expect(gz.code).toBe(2);
      expect(records(gz.stdout)[0]).toMatchObject({ kind: 'error', code: 'input.unreadable', message: 'a zip archive inside gzip: not read (a zip is read from its end; unpack it, or name the .zip file)' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps what a member with a wrong size gave, and names it in the error', async () => {
    // The central directory says a member is 10 bytes larger than it inflates to (yauzl checks
    // the size at the member's end). Its fields: signature PK 1 2, uncompressed size at +24, name
    // length at +28, name at +46 (APPNOTE.TXT 4.3.12).
    const withSize = (member: string, add: number): Buffer => {
      const zip = Buffer.from(readFileSync(fixture('ci-logs.zip')));
      for (let at = zip.indexOf('PK\x01\x02'); at >= 0; at = zip.indexOf('PK\x01\x02', at + 4)) {
        if (zip.toString('latin1', at + 46, at + 46 + zip.readUInt16LE(at + 28)) === member) zip.writeUInt32LE(zip.readUInt32LE(at + 24) + add, at + 24);
      }
      return zip;
    };
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-zipsize-'));
    try {
      // BUG.log (8934 bytes, 133 lines): its report is complete when the error comes.
      writeFileSync(join(dir, 'a.zip'), withSize('logs/amd64/BUG.log', 10));
      const a = records((await runCliCaptured(['-f', 'jsonl', join(dir, 'a.zip')])).stdout);
      expect(titles(a)).toContainEqual([`${join(dir, 'a.zip')}:logs/amd64/BUG.log`, 'kernel BUG in lkdtm_BUG']);
      expect(a.filter((x) => x.kind === 'error')).toEqual([
        { kind: 'error', source: `${join(dir, 'a.zip')}:logs/amd64/BUG.log`, code: 'input.decompress-failed', message: 'zip: not enough bytes in the stream. expected 8944. got only 8934', line: 133 },
      ]);
      // A member smaller than the first bytes ktriage looks at (8 KiB) fails while they are read:
      // they are read all the same (the failure came after them), then the error.
      writeFileSync(join(dir, 'b.zip'), withSize(`logs/${long}/CORRUPT_LIST_ADD.log`, 10));
      const b = await runCliCaptured(['-f', 'jsonl', join(dir, 'b.zip')]);
      expect(records(b.stdout).filter((x) => x.kind === 'error').map((x) => [x.source, x.message])).toEqual([
        [`${join(dir, 'b.zip')}:logs/${long}/CORRUPT_LIST_ADD.log`, 'zip: not enough bytes in the stream. expected 7100. got only 7090'],
      ]);
      expect(titles(records(b.stdout))).toContainEqual([`${join(dir, 'b.zip')}:logs/${long}/CORRUPT_LIST_ADD.log`, 'BUG: corrupted list in lkdtm_CORRUPT_LIST_ADD']);
      expect(titles(records(b.stdout))).toHaveLength(6);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a tar piped in', async () => {
    const r = await runCliCaptured(['-f', 'jsonl', '-'], { stdin: readFileSync(fixture('ci-logs.tar.gz')) });
    expect(titles(records(r.stdout))).toEqual(treeTitles('-'));
  });

  it('keeps the reports before the cut of an archive, and names the archive in the error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-cut-'));
    try {
      const tar = tars['ci-logs-ustar.tar']!();
      writeFileSync(join(dir, 'cut.tar.gz'), gzipSync(tar.subarray(0, CUT_IN_DATA)));
      const r = await runCliCaptured(['-f', 'jsonl', join(dir, 'cut.tar.gz')]);
      const recs = records(r.stdout);
      expect(titles(recs).map(([, t]) => t)).toEqual(['kernel BUG in lkdtm_BUG', 'WARNING in lkdtm_WARNING']);
      expect(recs.filter((x) => x.kind === 'error')).toEqual([
        { kind: 'error', source: join(dir, 'cut.tar.gz'), code: 'input.decompress-failed', message: `tar: cut short in member logs/${long}/CORRUPT_LIST_ADD.log` },
      ]);
      expect(r.code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('archives in a directory with --jobs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktriage-archives-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // Logs before and after the archives, so worker tasks are queued before them.
  copyFileSync(fixture('ci-logs.zip'), join(dir, 'b.zip'));
  copyFileSync(fixture('ci-logs.tar.gz'), join(dir, 'c.tar.gz'));
  copyFileSync(new URL('../../fixtures/captured/amd64/BUG.log', import.meta.url), join(dir, 'a.log'));
  copyFileSync(new URL('../../fixtures/captured/arm64/WARNING.log', import.meta.url), join(dir, 'd.log'));
  writeFileSync(join(dir, 'e-cut.tar.gz'), gzipSync(tars['ci-logs-ustar.tar']!().subarray(0, CUT_IN_DATA)));

  it('gives the same records in the same order with one thread and with two', async () => {
    const one = await runCliCaptured(['--jobs', '1', '-f', 'jsonl', dir]);
    const two = await runCliCaptured(['--jobs', '2', '-f', 'jsonl', dir]);
    expect(two.stdout).toBe(one.stdout);
    expect(two.code).toBe(one.code);
    const recs = records(one.stdout);
    expect(titles(recs).map(([s]) => s!.slice(dir.length + 1).split(':')[0])).toEqual(['a.log', ...Array(6).fill('b.zip'), ...Array(3).fill('c.tar.gz'), 'd.log', 'e-cut.tar.gz', 'e-cut.tar.gz']);
    expect(recs.filter((x) => x.kind === 'error').map((x) => x.message)).toEqual([`tar: cut short in member logs/${long}/CORRUPT_LIST_ADD.log`]);
  });
});
