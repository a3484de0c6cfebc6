// Byte streams to lines: limits, odd bytes, gzip.
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { analyzeParallel } from '../../src/bulk/parallel.js';
import { analyze } from '../../src/analyze.js';
import type { OutputRecord } from '../../src/model/records.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readLines, type RawLine } from '../../src/input/read-lines.js';
import { inputSources, isSourceProblem, type Source, type SourceProblem } from '../../src/input/sources.js';

/** Every source and problem of the inputs, walked to the end. */
async function expandInputs(inputs: readonly string[], stdin: Readable): Promise<{ sources: Source[]; problems: SourceProblem[] }> {
  const sources: Source[] = [];
  const problems: SourceProblem[] = [];
  for await (const item of inputSources(inputs, stdin)) {
    if (isSourceProblem(item)) problems.push(item);
    else sources.push(item);
  }
  return { sources, problems };
}

async function collect(chunks: Buffer[], max?: number): Promise<RawLine[]> {
  const out: RawLine[] = [];
  for await (const l of readLines(Readable.from(chunks), max)) out.push(l);
  return out;
}

describe('readLines', () => {
  it('numbers lines and keeps empty ones; no phantom line after the final newline', async () => {
    const lines = await collect([Buffer.from('a\n\nb\n')]);
    expect(lines.map((l) => [l.lineNo, l.text])).toEqual([
      [1, 'a'],
      [2, ''],
      [3, 'b'],
    ]);
  });

  it('joins a line split across chunks, including a split UTF-8 character', async () => {
    const bytes = Buffer.from('caf\u00e9 au lait\nx\n');
    const lines = await collect([bytes.subarray(0, 4), bytes.subarray(4)]);
    expect(lines[0]!.text).toBe('caf\u00e9 au lait');
  });

  it('decodes invalid UTF-8 as U+FFFD instead of failing', async () => {
    const lines = await collect([Buffer.from([0x41, 0xff, 0xfe, 0x42, 0x0a])]);
    expect(lines[0]!.text).toBe('A\uFFFD\uFFFDB');
  });

  it('cuts a line longer than the limit, records the cut, and goes on', async () => {
    const long = Buffer.alloc(100, 0x61);
    const lines = await collect([long, Buffer.from('\nnext\n')], 10);
    expect(lines).toEqual([
      { text: 'a'.repeat(10), lineNo: 1, cut: true },
      { text: 'next', lineNo: 2, cut: false },
    ]);
  });

  it('gives the same lines however the bytes are cut into chunks (cuts, split characters, no final newline)', async () => {
    // The expected lines are worked out on the whole text: split at "\n", each line cut at
    // `max` bytes (a character cut in two decodes as U+FFFD), no line after a final newline.
    const expected = (bytes: Buffer, max: number): RawLine[] => {
      const parts: Buffer[] = [];
      for (let s = 0; s <= bytes.length; ) {
        const nl = bytes.indexOf(10, s);
        parts.push(bytes.subarray(s, nl === -1 ? bytes.length : nl));
        if (nl === -1) break;
        s = nl + 1;
      }
      if (parts.at(-1)!.length === 0) parts.pop();
      return parts.map((p, i) => ({ text: p.subarray(0, max).toString('utf8'), lineNo: i + 1, cut: p.length > max }));
    };
    // Valid characters of every UTF-8 length, and invalid bytes: stray continuation, cut sequences, bad leads.
    const odd = [[0xff], [0x80], [0xe2, 0x82], [0xc3], [0xf0, 0x9f, 0x98], [0xe0, 0x80], [0xc0, 0xaf]].map((b) => Buffer.from(b));
    const piece = fc.oneof(
      fc.constantFrom('\n', 'é', '€', '😀', '\r', 'WARNING: x', '\u0000').map((t) => Buffer.from(t, 'utf8')),
      fc.string({ maxLength: 12 }).map((t) => Buffer.from(t, 'utf8')),
      fc.constantFrom(...odd),
    );
    const text = fc.array(piece, { maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.nat(200), { maxLength: 6 }), fc.integer({ min: 1, max: 30 }), async (pieces, cutsAt, max) => {
        const bytes = Buffer.concat(pieces);
        const at = [...new Set(cutsAt.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...at].map((s, i, all) => bytes.subarray(s, all[i + 1] ?? bytes.length)).filter((c) => c.length > 0);
        expect(await collect(chunks, max)).toEqual(expected(bytes, max));
      }),
      { numRuns: 300 },
    );
  });

  it('splits a 1 MB chunk of lines with characters of every UTF-8 length in the same lines as the whole text', async () => {
    // The reader decodes large chunks in windows that end at newlines; no line may be split or lost.
    const alphabet = ['a', 'é', '€', '😀', ' ', 'WARNING: '];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const lines: string[] = [];
    for (let size = 0; size < 1024 * 1024; ) {
      // Mostly short lines, some longer than a decoding window.
      const len = rand(20) === 0 ? 20000 + rand(20000) : rand(120);
      let l = '';
      while (l.length < len) l += alphabet[rand(alphabet.length)];
      lines.push(l);
      size += Buffer.byteLength(l) + 1;
    }
    const got = await collect([Buffer.from(lines.join('\n') + '\n', 'utf8')]);
    expect(got.length).toBe(lines.length);
    expect(got.map((l) => l.text)).toEqual(lines);
  });

  it('keeps a last line without a newline', async () => {
    const lines = await collect([Buffer.from('one\ntwo')]);
    expect(lines.map((l) => l.text)).toEqual(['one', 'two']);
  });
});

describe('expandInputs', () => {
  it('walks directories recursively in sorted order, and gunzips by magic bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'b.log'), 'b\n');
    writeFileSync(join(dir, 'sub', 'a.log'), 'a\n');
    // A gzip file without the .gz name is still decompressed.
    writeFileSync(join(dir, 'c.txt'), gzipSync(Buffer.from('[    1.000000] hello from gzip\n')));
    const { sources, problems } = await expandInputs([dir], Readable.from([]));
    expect(problems).toEqual([]);
    expect(sources.map((s) => s.name.slice(dir.length))).toEqual(['/b.log', '/c.txt', '/sub/a.log']);
    const lines: string[] = [];
    for await (const l of readLines(await sources[1]!.open())) lines.push(l.text);
    expect(lines).toEqual(['[    1.000000] hello from gzip']);
  });

  it('reads small files whole and larger ones as a stream, plain or gzip, with every raw byte counted', async () => {
    // Files under 256 KiB are read at once (src/input/sources.ts); on either side of that size,
    // plain and gzip, the lines and the raw byte count are the file's.
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-'));
    const line = (i: number) => `[ ${String(i).padStart(6)}.000000] line ${i} ${Math.sin(i).toString(36)}`;
    const text = (bytes: number) => {
      const lines: string[] = [];
      let size = 0;
      for (let i = 0; size < bytes; i++) {
        lines.push(line(i));
        size += line(i).length + 1;
      }
      return lines;
    };
    const cases: Array<[string, Buffer, string[]]> = [];
    for (const bytes of [0, 1, 256 * 1024 - 100, 256 * 1024 + 100, 3 * 1024 * 1024]) {
      const lines = text(bytes);
      const plain = Buffer.from(lines.map((l) => `${l}\n`).join(''));
      cases.push([`p${bytes}.log`, plain, lines], [`g${bytes}.log`, gzipSync(plain), lines]);
    }
    // A gzip file itself over 256 KiB (lines that do not compress well).
    const noisy = Array.from({ length: 20000 }, (_, i) => `${line(i)} ${Buffer.from(Array.from({ length: 24 }, (_, k) => (i * 7919 + k * 104729) % 251)).toString('base64')}`);
    const noisyGz = gzipSync(Buffer.from(noisy.map((l) => `${l}\n`).join('')));
    expect(noisyGz.length).toBeGreaterThan(256 * 1024);
    cases.push(['noisy.log', noisyGz, noisy]);
    for (const [name, bytes] of cases) writeFileSync(join(dir, name), bytes);
    const { sources } = await expandInputs(cases.map(([name]) => join(dir, name)), Readable.from([]));
    for (const [i, [name, bytes, lines]] of cases.entries()) {
      let counted = 0;
      const got: string[] = [];
      for await (const l of readLines(await sources[i]!.open((n) => (counted += n)))) got.push(l.text);
      expect({ name, got: got.length, same: got.join('\n') === lines.join('\n') }).toEqual({ name, got: lines.length, same: true });
      expect({ name, counted }).toEqual({ name, counted: bytes.length });
    }
  });

  it.runIf(existsSync('/proc/self/status'))('streams a file whose size says 0 (/proc), to its end', async () => {
    const { sources } = await expandInputs(['/proc/self/status'], Readable.from([]));
    const got: string[] = [];
    for await (const l of readLines(await sources[0]!.open())) got.push(l.text);
    expect(got.some((l) => l.startsWith('Name:'))).toBe(true);
    expect(got.some((l) => l.startsWith('Pid:'))).toBe(true);
  });

  it('reports a missing path as a problem naming it', async () => {
    const { sources, problems } = await expandInputs(['/nonexistent/ktriage'], Readable.from([]));
    expect(sources).toEqual([]);
    const p = problems[0]!;
    expect('error' in p && p.error.code).toBe('input.not-found');
    expect('error' in p && p.error.file).toBe('/nonexistent/ktriage');
  });

  it.each([false, true])('reads a named pipe once, as a stream (gzip: %s), with and without --jobs', async (gzip) => {
    // bash's <(dmesg) and mkfifo: sniffing by opening the path first ate the first bytes and the
    // second open waited forever for a writer.
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-'));
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const demo = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'demo.log'));
    for (const run of [(i: string[]) => analyze(i), (i: string[]) => analyzeParallel(i, { jobs: 2 })]) {
      const writer = createWriteStream(fifo);
      writer.end(gzip ? gzipSync(demo) : demo);
      const out: OutputRecord[] = [];
      for await (const r of run([fifo, join(dir, 'missing.log')])) out.push(r);
      expect(out.filter((r) => r.kind === 'report').map((r) => (r as { title: string }).title)).toEqual(['WARNING in xfs_vm_writepage']);
      expect(out.at(-1)).toMatchObject({ kind: 'summary', lines: 30, errors: 1 });
    }
  }, 30_000);

  it('does not follow a symbolic link inside a directory, and says so; a link named on the command line is read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-'));
    writeFileSync(join(dir, 'run-5.log'), 'x\n');
    mkdirSync(join(dir, 'logs'));
    symlinkSync(join(dir, 'run-5.log'), join(dir, 'logs', 'latest.log'));
    const walked = await expandInputs([join(dir, 'logs')], Readable.from([]));
    expect(walked.sources).toEqual([]);
    expect(walked.problems).toEqual([{ notice: { source: join(dir, 'logs', 'latest.log'), message: 'symbolic link not followed (name it on the command line to read it)' } }]);
    const named = await expandInputs([join(dir, 'logs', 'latest.log')], Readable.from([]));
    expect(named.sources.map((s) => s.name)).toEqual([join(dir, 'logs', 'latest.log')]);
    // In a run it is a notice record, counted in the summary, not an error.
    const out: OutputRecord[] = [];
    for await (const r of analyze([join(dir, 'logs')])) out.push(r);
    expect(out).toEqual([
      { kind: 'notice', source: join(dir, 'logs', 'latest.log'), message: 'symbolic link not followed (name it on the command line to read it)' },
      expect.objectContaining({ kind: 'summary', sources: 0, notices: 1, errors: 0 }),
    ]);
  });
});
