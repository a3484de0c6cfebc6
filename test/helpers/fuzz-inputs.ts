// fast-check arbitraries for the fuzz tests: random bytes, and the fixture logs and
// mail mutated the ways real captures get mangled (lines dropped, duplicated, cut,
// interleaved, wrapped in other prefixes, quoted, corrupted, made giant).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { normalizeLine } from '../../src/parsers/normalize-line.js';
import { FIXTURES, listLogs, readFixture } from './fixtures.js';

/** Lines of every fixture log (kernel output in every prefix format the fixtures have). */
export const fixtureLogs: readonly string[][] = [
  ...listLogs('logs'),
  ...listLogs('detectors'),
  ...listLogs(join(FIXTURES, '..', 'examples')),
].map((p) => readFixture(p).log.toString('utf8').split('\n'));

/** Raw mail fixtures: .eml messages and the mbox. */
export const fixtureMail: readonly string[] = readdirSync(join(FIXTURES, 'mail'))
  .filter((f) => f.endsWith('.eml') || f.endsWith('.mbox'))
  .sort()
  .map((f) => readFileSync(join(FIXTURES, 'mail', f), 'utf8'));

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Prefix formats a kernel line can be wrapped in (printk, caller id, level, syslog, journal, kmsg, CI, dmesg -x/-T). */
const prefixArb: fc.Arbitrary<(text: string) => string> = fc
  .tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 0, max: 999999 }), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 9999 }), fc.nat(14))
  .map(([sec, usec, level, pid, kind]) => {
    const ts = `[${String(sec).padStart(5)}.${pad(usec, 6)}]`;
    const wall = `2024-01-02T03:04:${pad(sec % 60, 2)}`;
    const forms: Array<(t: string) => string> = [
      (t) => `${ts} ${t}`,
      (t) => `${ts}[T${pid}] ${t}`,
      (t) => `${ts} [  C${level}] ${t}`,
      (t) => `<${level}>${ts} ${t}`,
      (t) => `<${level}>${t}`,
      (t) => `Jul 26 12:58:${pad(sec % 60, 2)} host kernel: ${t}`,
      (t) => `Jul 26 12:58:${pad(sec % 60, 2)} host kernel: ${ts} ${t}`,
      (t) => `Jul 26 12:58:${pad(sec % 60, 2)}.${pad(usec, 6)} host kernel: ${t}`,
      (t) => `${wall}+0200 host kernel: ${t}`,
      (t) => `1406379503.${pad(usec, 6)} host kernel: ${t}`,
      (t) => `${level},${pid},${sec}${pad(usec, 6)},-;${t}`,
      (t) => `${wall}.1234567Z ${ts} ${t}`,
      (t) => `kern  :warn  : ${ts} ${t}`,
      (t) => `[Sat Jul 26 12:58:${pad(sec % 60, 2)} 2014] ${t}`,
      (t) => JSON.stringify({ MESSAGE: t, _TRANSPORT: 'kernel', PRIORITY: String(level), __MONOTONIC_TIMESTAMP: String(sec * 1e6 + usec) }),
    ];
    return forms[kind % forms.length]!;
  });

/** Text that breaks lines: control characters, escape sequences, CR, line and paragraph separators, U+FFFD. */
const noiseArb = fc.constantFrom('\x1b[31m', '\x1b]0;title\x07', '\x1b[2J', '\r', '\x00', '\t', '\x7f', '\u0085', '\u2028', '\u2029', '\ufffd', '\x9b', '> ', '0x', '[', ']', '<4>', '+0x1/0x2', 'é', '😀');

/** The kernel's lines in an input line: its text without prefixes, the lines of a record of several. */
const kernelLines = (t: string): string[] => (normalizeLine(t)?.text ?? t).split('\n');

/** One mutation of a list of lines, with its random parameters (so fast-check can shrink it). */
type Mutation = (lines: string[]) => string[];

const at = (n: number, len: number) => (len === 0 ? 0 : n % len);

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  // Lines dropped.
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 20 })).map(([i, n]): Mutation => (l) => l.filter((_, j) => j < at(i, l.length) || j >= at(i, l.length) + n)),
  // Lines duplicated.
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 10 })).map(([i, n]): Mutation => (l) => {
    const k = at(i, l.length);
    return [...l.slice(0, k + n), ...l.slice(k, k + n), ...l.slice(k + n)];
  }),
  // A line cut short (as a console drop or a full buffer cuts it).
  fc.tuple(fc.nat(), fc.nat()).map(([i, c]): Mutation => (l) => l.map((t, j) => (j === at(i, l.length) ? t.slice(0, at(c, t.length + 1)) : t))),
  // Interleaved with another fixture, line by line.
  fc.tuple(fc.nat(), fc.array(fc.boolean(), { minLength: 1, maxLength: 64 })).map(([f, picks]): Mutation => (l) => {
    const other = fixtureLogs[f % fixtureLogs.length]!;
    const out: string[] = [];
    let a = 0;
    let b = 0;
    for (let k = 0; a < l.length || b < other.length; k++) {
      if (b >= other.length || (a < l.length && picks[k % picks.length])) out.push(l[a++]!);
      else out.push(other[b++]!);
    }
    return out;
  }),
  // Re-prefixed: the recognised prefixes replaced by another format (a record of several lines
  // becomes its lines, each prefixed, as a console prints it).
  fc.tuple(prefixArb, fc.nat(), fc.integer({ min: 1, max: 400 })).map(([p, i, n]): Mutation => (l) => {
    const k = at(i, l.length);
    return l.flatMap((t, j) => (j >= k && j < k + n ? kernelLines(t).map(p) : [t]));
  }),
  // Wrapped in one more prefix (console output forwarded to syslog, a CI log ...).
  fc.tuple(prefixArb, fc.nat(), fc.integer({ min: 1, max: 400 })).map(([p, i, n]): Mutation => (l) => {
    const k = at(i, l.length);
    return l.map((t, j) => (j >= k && j < k + n ? p(t) : t));
  }),
  // Lines joined into one record of several lines, as /dev/kmsg ("\x0a" between them, "\x5c" for
  // a backslash) or a journal JSON message (newlines) keeps a printk of several lines.
  fc.tuple(fc.nat(), fc.integer({ min: 2, max: 40 }), fc.boolean()).map(([i, n, kmsg]): Mutation => (l) => {
    const k = at(i, l.length);
    const texts = l.slice(k, k + n).flatMap(kernelLines);
    const record = kmsg
      ? `4,${k},${k}000000,-;${texts.map((t) => t.replace(/\\/g, '\\x5c')).join('\\x0a')}`
      : JSON.stringify({ MESSAGE: texts.join('\n'), _TRANSPORT: 'kernel', PRIORITY: '4', __MONOTONIC_TIMESTAMP: String(k * 1e6) });
    return [...l.slice(0, k), record, ...l.slice(k + n)];
  }),
  // Quoted in mail, sometimes very deep.
  fc.tuple(fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 5, max: 2000 })), fc.constantFrom('> ', '>', '> > ', '>  '), fc.nat(), fc.integer({ min: 1, max: 400 })).map(
    ([depth, marker, i, n]): Mutation => (l) => {
      const k = at(i, l.length);
      return l.map((t, j) => (j >= k && j < k + n ? marker.repeat(depth) + t : t));
    },
  ),
  // Noise inserted into a line.
  fc.tuple(fc.nat(), fc.nat(), noiseArb).map(([i, c, noise]): Mutation => (l) =>
    l.map((t, j) => (j === at(i, l.length) ? t.slice(0, at(c, t.length + 1)) + noise + t.slice(at(c, t.length + 1)) : t)),
  ),
  // A giant line: a fixture line repeated (or padded with one character) to tens of kilobytes.
  fc.tuple(fc.nat(), fc.integer({ min: 10_000, max: 200_000 }), fc.constantFrom('', ' ', '0', '>', '[')).map(([i, size, fill]): Mutation => (l) => {
    const k = at(i, l.length);
    const base = l[k] ?? 'WARNING: ';
    const body = fill === '' ? base.repeat(Math.ceil(size / Math.max(1, base.length))) : base + fill.repeat(size);
    return [...l.slice(0, k), body.slice(0, size), ...l.slice(k + 1)];
  }),
);

/** A fixture log with up to six mutations applied, as lines. */
export const mutatedLogArb: fc.Arbitrary<string[]> = fc
  .tuple(fc.nat(), fc.array(mutationArb, { maxLength: 6 }))
  .map(([f, muts]) => muts.reduce((lines, m) => m(lines), [...fixtureLogs[f % fixtureLogs.length]!]));

/** How lines are joined into bytes: LF or CRLF, with or without a final newline, sometimes invalid UTF-8 inserted. */
export const encodedLogArb: fc.Arbitrary<Buffer> = fc
  .tuple(mutatedLogArb, fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.array(fc.tuple(fc.nat(), fc.constantFrom(0xff, 0xc3, 0xe2, 0x80, 0x00, 0x0d)), { maxLength: 4 }))
  .map(([lines, eol, final, bad]) => {
    const bytes = Buffer.from(lines.join(eol) + (final && lines.length > 0 ? eol : ''), 'utf8');
    if (bad.length === 0 || bytes.length === 0) return bytes;
    const parts: Buffer[] = [];
    let from = 0;
    for (const [pos, b] of [...bad].map(([p, b]) => [p % bytes.length, b] as const).sort((x, y) => x[0] - y[0])) {
      parts.push(bytes.subarray(from, pos), Buffer.from([b]));
      from = pos;
    }
    parts.push(bytes.subarray(from));
    return Buffer.concat(parts);
  });

/** Random bytes, dense in the characters the parsers care about. */
export const randomBytesArb: fc.Arbitrary<Buffer> = fc
  .array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...Buffer.from('\n\n\n[ ]<>:.0x+/-TC>WARNING: BUG: \x1b\r'))), { maxLength: 4096 })
  .map((a) => Buffer.from(a));

/** Any log input: random bytes or a mutated fixture. */
export const logBytesArb: fc.Arbitrary<Buffer> = fc.oneof({ arbitrary: encodedLogArb, weight: 4 }, { arbitrary: randomBytesArb, weight: 1 });

/** A plain-text message whose body is known: the decoded text lines are exactly `body`. */
export interface GeneratedMail {
  raw: Buffer;
  /** Body lines of each message. */
  bodies: string[][];
}

/**
 * A body line that an 8bit text/plain message carries unchanged: no CR or other line end
 * (mail would break the line there), no "From " at the start (it would split an mbox).
 */
function mailSafe(line: string): string {
  const t = line.replace(/[\r\u0085\u2028\u2029]/g, ' ');
  return t.startsWith('From ') ? `>${t}` : t;
}

function message(i: number, body: readonly string[]): string {
  return `From: Dev ${i} <dev${i}@example.org>\nTo: list@example.org\nSubject: splat ${i}\nMessage-ID: <m${i}@example.org>\nDate: Sat, 26 Jul 2014 12:58:23 -0700\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n${body.join('\n')}\n`;
}

/** One .eml message or an mbox of up to four, with mutated fixture logs (often quoted) as bodies. */
export const generatedMailArb: fc.Arbitrary<GeneratedMail> = fc
  .tuple(fc.array(mutatedLogArb.map((l) => l.slice(0, 300).map(mailSafe)), { minLength: 1, maxLength: 4 }), fc.boolean())
  .map(([bodies, mbox]) => {
    // A body of blank lines only has no text for the parser; give every body a line.
    const bs = bodies.map((b) => (b.some((l) => l.trim() !== '') ? b : [...b, 'no splat here']));
    if (!mbox) return { raw: Buffer.from(message(0, bs[0]!)), bodies: [bs[0]!] };
    const raw = bs.map((b, i) => `From dev${i}@example.org Sat Jul 26 12:58:23 2014\n${message(i, b)}\n`).join('');
    return { raw: Buffer.from(raw), bodies: bs };
  });

/** A mail fixture with its body lines mutated (headers kept). */
export const mutatedMailArb: fc.Arbitrary<Buffer> = fc.tuple(fc.nat(), fc.array(mutationArb, { maxLength: 4 })).map(([f, muts]) => {
  const raw = fixtureMail[f % fixtureMail.length]!;
  const split = raw.indexOf('\n\n');
  const lines = raw.slice(split + 2).split('\n');
  return Buffer.from(raw.slice(0, split + 2) + muts.reduce((l, m) => m(l), lines).join('\n'));
});

/** The tar fixtures (scripts/fixtures/make-archives.sh), uncompressed: GNU, pax and ustar. */
const fixtureTars: readonly Buffer[] = [
  gunzipSync(readFileSync(join(FIXTURES, 'archives', 'ci-logs.tar.gz'))),
  readFileSync(join(FIXTURES, 'archives', 'ci-logs-pax.tar')),
  readFileSync(join(FIXTURES, 'archives', 'ci-logs-ustar.tar')),
  readFileSync(join(FIXTURES, 'archives', 'deep.tar')),
];

/** Sets a ustar header's checksum for its bytes, so that a changed field is read and not refused. */
function fixTarChecksum(tar: Buffer, block: number): void {
  const at = block * 512;
  if (at + 512 > tar.length) return;
  tar.fill(0x20, at + 148, at + 156);
  let sum = 0;
  for (let i = at; i < at + 512; i++) sum += tar[i]!;
  tar.write(`${sum.toString(8).padStart(6, '0')}\0 `, at + 148, 'latin1');
}

type TarMutation = (tar: Buffer) => Buffer;
const tarMutationArb: fc.Arbitrary<TarMutation> = fc.oneof(
  // Cut anywhere (a download that stopped).
  fc.nat().map((n) => (t: Buffer) => t.subarray(0, n % (t.length + 1))),
  // A byte changed anywhere: in data, or in a header, which its checksum then refuses.
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([n, x]) => (t: Buffer) => {
    const c = Buffer.from(t);
    if (c.length > 0) c[n % c.length] = c[n % c.length]! ^ x;
    return c;
  }),
  // A header field changed with its checksum made right: a lying size, name, type or magic
  // (the size field is bytes 124-135; base-256 sizes start with 0x80).
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 511 }), fc.constantFrom(0x00, 0x20, 0x30, 0x37, 0x35, 0x4c, 0x78, 0x80, 0xff)).map(([b, off, byte]) => (t: Buffer) => {
    const c = Buffer.from(t);
    const blocks = Math.floor(c.length / 512);
    if (blocks === 0) return c;
    const block = b % blocks;
    c[block * 512 + (b % 3 === 0 ? 124 + (off % 12) : off)] = byte;
    fixTarChecksum(c, block);
    return c;
  }),
  // Random bytes put in, blocks dropped or repeated.
  fc.tuple(fc.nat(), fc.uint8Array({ maxLength: 600 })).map(([n, bytes]) => (t: Buffer) => Buffer.concat([t.subarray(0, n % (t.length + 1)), bytes, t.subarray(n % (t.length + 1))])),
  fc.tuple(fc.nat(), fc.boolean()).map(([n, repeat]) => (t: Buffer) => {
    const at = (n % Math.max(1, Math.floor(t.length / 512))) * 512;
    const block = t.subarray(at, at + 512);
    return Buffer.concat([t.subarray(0, at), repeat ? Buffer.concat([block, block]) : Buffer.alloc(0), t.subarray(at + 512)]);
  }),
);

/** A tar fixture with up to three mutations, sometimes gzipped. */
export const mutatedTarArb: fc.Arbitrary<Buffer> = fc
  .tuple(fc.nat(), fc.array(tarMutationArb, { maxLength: 3 }), fc.boolean())
  .map(([f, muts, gz]) => {
    const tar = muts.reduce<Buffer>((t, m) => m(t), Buffer.from(fixtureTars[f % fixtureTars.length]!));
    return gz ? gzipSync(tar) : tar;
  });

/**
 * The zip fixture with up to four changes: bytes changed, a 32-bit field (a size, an offset, a
 * signature) overwritten, the file cut.
 */
export const mutatedZipArb: fc.Arbitrary<Buffer> = fc
  .tuple(
    fc.array(fc.tuple(fc.nat(), fc.oneof(fc.integer({ min: 1, max: 255 }).map((x) => ({ xor: x })), fc.nat().map((v) => ({ u32: v })))), { minLength: 1, maxLength: 4 }),
    fc.option(fc.nat(), { freq: 4 }),
  )
  .map(([changes, cut]) => {
    const zip = Buffer.from(readFileSync(join(FIXTURES, 'archives', 'ci-logs.zip')));
    for (const [n, c] of changes) {
      if ('xor' in c) zip[n % zip.length] = zip[n % zip.length]! ^ c.xor;
      else zip.writeUInt32LE(c.u32 >>> 0, n % (zip.length - 3));
    }
    return cut === null ? zip : zip.subarray(0, cut % (zip.length + 1));
  });
