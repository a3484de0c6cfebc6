// --jobs: the worker-thread path must give the same records, in the same order,
// as the single-threaded one, and a failing input must not stop the others.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { analyzeParallel } from '../../src/bulk/parallel.js';
import type { OutputRecord } from '../../src/model/records.js';
import { withTmpdir } from '../helpers/temp-files.js';

const root = join(import.meta.dirname, '..', '..', 'fixtures');

async function collect(gen: AsyncGenerator<OutputRecord>): Promise<OutputRecord[]> {
  const out: OutputRecord[] = [];
  for await (const r of gen) out.push(r);
  return out;
}

describe('analyzeParallel', () => {
  // Mixed inputs: an mbox (split into messages in the main thread), .eml files
  // and a directory of logs (whole files to the workers).
  const inputs = [join(root, 'mail', 'variants.mbox'), join(root, 'mail'), join(root, 'logs', 'arch')];

  it.each([2, 3])('gives the same records in the same order as analyze() with %i threads', async (jobs) => {
    const single = await collect(analyze(inputs));
    const parallel = await collect(analyzeParallel(inputs, { jobs }));
    const reports = single.filter((r) => r.kind === 'report');
    // The inputs hold many reports, from mail and from logs (checked by hand: every
    // message of variants.mbox but prose-only carries the seed WARNING).
    expect(reports.length).toBeGreaterThan(20);
    expect(reports.some((r) => r.source.includes('variants.mbox#'))).toBe(true);
    expect(reports.some((r) => r.source.includes(join('logs', 'arch')))).toBe(true);
    expect(parallel).toEqual(single);
  });

  it('reports a broken file as an error record and keeps the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-par-'));
    // gzip magic bytes followed by garbage: gunzip fails part-way.
    writeFileSync(join(dir, 'a-broken.log.gz'), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    writeFileSync(join(dir, 'b-good.log'), readFileSync(join(root, '..', 'examples', 'demo.log')));
    const single = await collect(analyze([dir]));
    const parallel = await collect(analyzeParallel([dir], { jobs: 2 }));
    expect(parallel).toEqual(single);
    const err = parallel.find((r) => r.kind === 'error');
    expect(err).toMatchObject({ kind: 'error', source: join(dir, 'a-broken.log.gz'), code: 'input.decompress-failed' });
    const rep = parallel.find((r) => r.kind === 'report');
    expect(rep).toMatchObject({ source: join(dir, 'b-good.log'), title: 'WARNING in xfs_vm_writepage' });
  });

  it('counts messages and reports in the summary like analyze()', async () => {
    const mbox = join(root, 'mail', 'variants.mbox');
    const single = (await collect(analyze([mbox]))).at(-1);
    const parallel = (await collect(analyzeParallel([mbox], { jobs: 2 }))).at(-1);
    expect(parallel).toEqual(single);
    expect(parallel).toMatchObject({ kind: 'summary', sources: 1 });
    expect((parallel as { messages: number }).messages).toBeGreaterThan(5);
  });

  it('streams large files in order, keeping a later file\'s records on disk until its turn', async () => {
    // Two logs of 300 reports each: the second worker posts far more records than it may
    // have unacknowledged (protocol.ts), so the main thread spills them to a temporary file.
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-par-'));
    const demo = readFileSync(join(root, '..', 'examples', 'demo.log'), 'utf8');
    writeFileSync(join(dir, 'a.log'), demo.repeat(300));
    writeFileSync(join(dir, 'b.log'), demo.replaceAll('xfs_vm_writepage', 'ext4_writepage').repeat(300));
    const spillDirs = () => readdirSync(tmpdir()).filter((n) => n.startsWith('ktriage-spill-')).length;
    const before = spillDirs();
    const single = await collect(analyze([dir]));
    const parallel = await collect(analyzeParallel([dir], { jobs: 2 }));
    const titles = parallel.filter((r) => r.kind === 'report').map((r) => (r as { title: string }).title);
    expect(titles).toHaveLength(600);
    expect(titles.slice(0, 300).every((t) => t === 'WARNING in xfs_vm_writepage')).toBe(true);
    expect(titles.slice(300).every((t) => t === 'WARNING in ext4_writepage')).toBe(true);
    expect(parallel).toEqual(single);
    // The spill directory is removed when the run ends.
    expect(spillDirs()).toBe(before);
  });

  it.each(['log', 'mbox', 'ftrace'] as const)('passes --input-format %s to the workers', async (inputFormat) => {
    // The same inputs read as the named format: an mbox read as one log gives other
    // records than split into messages, so equality shows the workers used the format.
    const inputs = [join(root, 'mail', 'variants.mbox'), join(root, 'traces'), join(root, 'logs', 'arch')];
    const single = await collect(analyze(inputs, { inputFormat }));
    const parallel = await collect(analyzeParallel(inputs, { jobs: 2, inputFormat }));
    expect(parallel).toEqual(single);
    const auto = await collect(analyze(inputs));
    expect(single).not.toEqual(auto);
  });

  it('keeps input order and loses nothing when large messages hold back the window (32 MB in flight)', async () => {
    // Three 12 MB messages: the third waits until the first is passed on.
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-par-'));
    const demo = readFileSync(join(root, '..', 'examples', 'demo.log'), 'utf8');
    const filler = `${'[ 9000.000000] e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex\n'.repeat(12 * 1024 * 1024 / 68)}`;
    const mbox = [1, 2, 3].map((i) => `From a@b Sat Jul 26 12:00:00 2014\nFrom: a@example.org\nSubject: big ${i}\nMessage-ID: <big${i}@example.org>\n\n${demo}${filler}\n`).join('');
    writeFileSync(join(dir, 'big.mbox'), mbox);
    const single = await collect(analyze([dir]));
    const parallel = await collect(analyzeParallel([dir], { jobs: 2 }));
    expect(parallel.filter((r) => r.kind === 'report').map((r) => r.source)).toEqual([1, 2, 3].map((i) => `${join(dir, 'big.mbox')}#big${i}@example.org`));
    expect(parallel).toEqual(single);
  }, 60_000);

  it('keeps records in memory, in order, when no temporary file can be written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktriage-par-'));
    const demo = readFileSync(join(root, '..', 'examples', 'demo.log'), 'utf8');
    writeFileSync(join(dir, 'a.log'), demo.repeat(300));
    writeFileSync(join(dir, 'b.log'), demo.replaceAll('xfs_vm_writepage', 'ext4_writepage').repeat(300));
    const single = await collect(analyze([dir]));
    // os.tmpdir() follows TMPDIR: a directory that does not exist makes creating the spill file fail.
    const parallel = await withTmpdir(join(dir, 'missing', 'tmp'), () => collect(analyzeParallel([dir], { jobs: 2 })));
    expect(parallel).toEqual(single);
  });
});
