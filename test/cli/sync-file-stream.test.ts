// SyncFileStream writes --output the way Node writes stdout to a file: each chunk at once. It must
// write every byte (a write may be short), in order, close the descriptor once, and report a
// failing write as the stream's error.
import { closeSync, existsSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { freshTmpdir } from '../helpers/temp-files.js';

// Short writes happen only under signals or odd file systems: the mock makes every other write to
// a "short" descriptor stop halfway, so the stream must come back for the rest.
const shortFds = new Set<number>();
// A descriptor that takes no byte at all: the stream must fail, not loop.
const stuckFds = new Set<number>();
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  let calls = 0;
  const writeSync = (fd: number, data: string | Buffer, offset = 0, length?: number, position?: number | null): number => {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data.subarray(offset, length === undefined ? undefined : offset + length);
    if (stuckFds.has(fd)) return 0;
    const cut = shortFds.has(fd) && calls++ % 2 === 0 && bytes.length > 1 ? Math.floor(bytes.length / 2) : bytes.length;
    return fs.writeSync(fd, bytes, 0, cut, position ?? null);
  };
  return { ...fs, writeSync };
});

const { SyncFileStream } = await import('../../src/cli/sync-file-stream.js');
const tmp = freshTmpdir('ktriage-syncfile-');

async function writeAndEnd(fd: number, chunks: Array<string | Buffer>): Promise<void> {
  const stream = new SyncFileStream(fd);
  const closed = once(stream, 'close');
  for (const c of chunks) stream.write(c);
  stream.end();
  await closed;
}

const chunks = ['{"title":"WARNING in f"}\n', Buffer.from('bytes\n'), 'ünïcödé ☃ \u{1F600}\n', 'x'.repeat(100_000), '\n'];
const expected = Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));

describe('SyncFileStream', () => {
  it('writes strings and buffers in order, as UTF-8, and closes the descriptor at the end', async () => {
    const file = join(tmp(), 'out.jsonl');
    const fd = openSync(file, 'w');
    await writeAndEnd(fd, chunks);
    expect(readFileSync(file).equals(expected)).toBe(true);
    expect(() => fstatSync(fd)).toThrow(/EBADF/);
  });

  it('writes the rest of a short write', async () => {
    const file = join(tmp(), 'short.jsonl');
    const fd = openSync(file, 'w');
    shortFds.add(fd);
    try {
      await writeAndEnd(fd, chunks);
    } finally {
      shortFds.delete(fd);
    }
    expect(readFileSync(file).equals(expected)).toBe(true);
  });

  it('a write that takes no byte is the stream error, not an endless loop', async () => {
    const fd = openSync(join(tmp(), 'stuck.jsonl'), 'w');
    stuckFds.add(fd);
    try {
      const stream = new SyncFileStream(fd);
      const error = once(stream, 'error');
      stream.write('a record\n');
      const [e] = (await error) as [Error];
      expect(e.message).toMatch(/short write/);
    } finally {
      stuckFds.delete(fd);
    }
  });

  it.runIf(existsSync('/dev/full'))('a failing write is the stream error, and the descriptor is closed once', async () => {
    const fd = openSync('/dev/full', 'w');
    const stream = new SyncFileStream(fd);
    const error = once(stream, 'error');
    const closed = new Promise((resolve) => stream.on('close', resolve));
    stream.write('a record\n');
    const [e] = (await error) as [NodeJS.ErrnoException];
    expect(e.code).toBe('ENOSPC');
    await closed;
    expect(() => fstatSync(fd)).toThrow(/EBADF/);
    expect(() => closeSync(fd)).toThrow(/EBADF/);
  });
});
