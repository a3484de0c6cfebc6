// Skipping quiet lines (src/quiet) must give the records the full analysis gives, record for
// record. Checked on every fixture and example log and mail message and, when ../shared/corpora
// is there, on the KernelCI boot logs, syzkaller's crash reports and the mailing-list samples
// (the fuzz test checks mutated logs and mail).
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/fixtures.js';
import { expectQuietSkipExact } from '../helpers/fuzz-properties.js';
import { CORPORA } from '../helpers/trace-detector-tester.js';
import { splitMbox } from '../../src/mail/mbox.js';
import { parseMessage } from '../../src/mail/message.js';

function files(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return [];
  }
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out = out.concat(files(p));
    else if (!p.endsWith('.gz') && statSync(p).size < 20 * 1024 * 1024) out.push(p);
  }
  return out;
}

function compare(paths: readonly string[]): { skipped: number; lines: number } {
  let skipped = 0;
  let lines = 0;
  for (const p of paths) {
    const text = readFileSync(p, 'utf8');
    skipped += expectQuietSkipExact(p, text);
    lines += text.split('\n').length;
  }
  return { skipped, lines };
}

describe('skipping quiet lines', () => {
  it('changes no record of the fixture and example logs', () => {
    const { skipped, lines } = compare([...files(FIXTURES), ...files(join(FIXTURES, '..', 'examples'))]);
    // Not vacuous: 9,512 of 43,233 lines were skipped when this was written.
    expect(skipped).toBeGreaterThan(lines / 10);
  });

  const kci = files(join(CORPORA, 'kernelci-boot'));
  it.runIf(kci.length > 0)('changes no record of the KernelCI boot logs and syzkaller reports (../shared/corpora)', () => {
    const { skipped, lines } = compare([...kci, ...files(join(CORPORA, 'kernelci-baseline')), ...files(join(CORPORA, 'syzkaller-reports'))]);
    expect(skipped).toBeGreaterThan(lines / 10);
  });

  /** Every message of these mailboxes and .eml files, compared with and without skipping. */
  async function compareMail(paths: readonly string[]): Promise<{ skipped: number; lines: number; messages: number }> {
    let skipped = 0;
    let lines = 0;
    let messages = 0;
    for (const p of paths) {
      const input = p.endsWith('.gz') ? createReadStream(p).pipe(createGunzip()) : Readable.from([readFileSync(p)]);
      const raws = p.endsWith('.eml') ? [{ raw: readFileSync(p), index: 0 }] : splitMbox(input);
      for await (const m of raws) {
        const msg = await parseMessage(m.raw);
        skipped += expectQuietSkipExact({ file: p, message: m.index }, msg.text, msg);
        lines += msg.text.split('\n').length;
        messages++;
      }
    }
    return { skipped, lines, messages };
  }

  it('changes no record of the fixture mail', async () => {
    const mail = files(join(FIXTURES, 'mail')).filter((p) => p.endsWith('.eml') || p.endsWith('.mbox'));
    const { skipped, lines, messages } = await compareMail(mail);
    expect(messages).toBeGreaterThan(15);
    expect(skipped).toBeGreaterThan(lines / 10);
  });

  const mailSamples = (() => {
    try {
      return readdirSync(join(CORPORA, 'mail')).filter((n) => n.endsWith('.mbox.gz')).map((n) => join(CORPORA, 'mail', n));
    } catch {
      return [];
    }
  })();
  it.runIf(mailSamples.length > 0)('changes no record of the mailing-list samples (../shared/corpora/mail)', async () => {
    const { skipped, lines, messages } = await compareMail(mailSamples);
    expect(messages).toBeGreaterThan(5000);
    expect(skipped).toBeGreaterThan(lines / 10);
  }, 300_000);
});
