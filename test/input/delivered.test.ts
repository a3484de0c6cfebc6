// A failed input still gives its reader every byte it got before the failure: a gzip file cut
// short (a log copied while it was written, a download that stopped) is read as far as `zcat`
// reads it, then the error names the file and the line.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DeliveredStream } from '../../src/input/delivered.js';
import { runCliCaptured } from '../helpers/cli.js';

async function readAll(stream: DeliveredStream): Promise<{ bytes: string; error?: unknown }> {
  let bytes = '';
  try {
    for await (const c of stream) bytes += String(c);
  } catch (error) {
    return { bytes, error };
  }
  return { bytes };
}

describe('DeliveredStream', () => {
  it('gives every byte, then the failure', async () => {
    const s = new DeliveredStream();
    s.add(Buffer.from('one\n'));
    s.add(Buffer.from('two\n'));
    s.fail(new Error('cut short'));
    // Nothing read yet: neither an unhandled 'error' event nor lost bytes.
    await new Promise((resolve) => setImmediate(resolve));
    const r = await readAll(s);
    expect(r.bytes).toBe('one\ntwo\n');
    expect((r.error as Error).message).toBe('cut short');
  });

  it('ends after its bytes when finished; a failure after the end changes nothing', async () => {
    const s = new DeliveredStream();
    s.add(Buffer.from('x'));
    s.finish();
    s.fail(new Error('late'));
    expect(await readAll(s)).toEqual({ bytes: 'x' });
  });

  it('asks its producer to wait while 256 KiB are queued, and to go on once they are read', async () => {
    const s = new DeliveredStream();
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    expect([1, 2, 3, 4].map(() => s.add(chunk))).toEqual([true, true, true, false]);
    let resumed = false;
    s.whenDrained(() => (resumed = true));
    expect(resumed).toBe(false);
    s.finish();
    expect((await readAll(s)).bytes.length).toBe(4 * 64 * 1024);
    expect(resumed).toBe(true);
  });
});

describe('a gzip file cut short', () => {
  const log = readFileSync(new URL('../../fixtures/captured/amd64/BUG.log', import.meta.url));
  const gz = gzipSync(log);
  const dir = mkdtempSync(join(tmpdir(), 'ktriage-cutgz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** Lines `zcat` prints of the cut file: what zlib inflates of it (Z_SYNC_FLUSH: no error at the cut). */
  const linesBefore = (cut: Buffer) => gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH }).toString('latin1').split('\n').length - 1;

  for (const [fraction, title] of [
    // The cut falls in the report (its header is line 83, the call trace 99-117): a report of what
    // was read, "in corrupted" where the frames are missing.
    [0.7, undefined],
    [0.9, 'kernel BUG in lkdtm_BUG'],
  ] as const) {
    it(`is read as far as zcat reads it (cut at ${fraction * 100}%), named and piped`, async () => {
      const cut = gz.subarray(0, Math.floor(gz.length * fraction));
      const lines = linesBefore(cut);
      expect(lines).toBeGreaterThan(83);
      const file = join(dir, `BUG-${fraction}.log.gz`);
      writeFileSync(file, cut);
      for (const [args, source, stdin] of [
        [[file], file, undefined],
        [['-'], '-', cut],
      ] as const) {
        const r = await runCliCaptured(['-f', 'jsonl', ...args], stdin ? { stdin } : {});
        const recs = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; title?: string; lines?: number; line?: number; message?: string; source?: string });
        const reports = recs.filter((x) => x.kind === 'report');
        expect(reports).toHaveLength(1);
        if (title) expect(reports[0]!.title).toBe(title);
        expect(recs.filter((x) => x.kind === 'error')).toEqual([{ kind: 'error', source, code: 'input.decompress-failed', message: 'gzip: unexpected end of file', line: lines }]);
        expect(recs.at(-1)).toMatchObject({ kind: 'summary', lines });
        expect(r.code).toBe(2);
      }
    });
  }
});
