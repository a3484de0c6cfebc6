// Input paths -> readable byte sources: files, directories (recursive, sorted),
// "-" for stdin, gzip detected by its magic bytes (not only by the ".gz" name).
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { KtriageError, fromFsError } from '../model/errors.js';

export interface Source {
  /** Name used in output: the path as given (joined for directory entries), "-" for stdin. */
  name: string;
  /** Opens the decompressed byte stream; `onBytes` hears how many raw bytes were read. */
  open(onBytes?: (n: number) => void): Promise<Readable>;
}

/** One input that could not be expanded into sources (missing path, unreadable directory). */
export interface SourceProblem {
  error: KtriageError;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === GZIP_MAGIC_0 && buf[1] === GZIP_MAGIC_1;
  } finally {
    await fh.close();
  }
}

/** Wraps a gunzip stream so a corrupt archive surfaces as a KtriageError naming the file. */
function gunzipped(raw: Readable, name: string): Readable {
  const gz = createGunzip();
  const out = new PassThrough();
  raw.on('error', (e) => out.destroy(fromFsError(e, name)));
  gz.on('error', (e) => out.destroy(new KtriageError('input.decompress-failed', `gzip: ${e.message}`, { file: name })));
  raw.pipe(gz).pipe(out);
  return out;
}

export function fileSource(path: string): Source {
  return {
    name: path,
    async open(onBytes) {
      let gz: boolean;
      try {
        gz = await isGzip(path);
      } catch (e) {
        throw fromFsError(e, path);
      }
      const raw = createReadStream(path, { highWaterMark: 256 * 1024 });
      if (onBytes) raw.on('data', (c: Buffer | string) => onBytes(c.length));
      // A reader that stops early (sniffing only) must stop the file read too.
      const stopRaw = () => raw.destroy();
      if (gz) return gunzipped(raw, path).once('close', stopRaw);
      const out = new PassThrough({ highWaterMark: 256 * 1024 });
      raw.on('error', (e) => out.destroy(fromFsError(e, path)));
      return raw.pipe(out).once('close', stopRaw);
    },
  };
}

/** stdin, gunzipped when it starts with the gzip magic bytes. */
export function stdinSource(stdin: Readable): Source {
  return {
    name: '-',
    async open() {
      const out = new PassThrough({ highWaterMark: 256 * 1024 });
      let first = true;
      let gz: Writable | undefined;
      stdin.on('data', (chunk: Buffer) => {
        if (first) {
          first = false;
          if (chunk.length >= 2 && chunk[0] === GZIP_MAGIC_0 && chunk[1] === GZIP_MAGIC_1) {
            const z = createGunzip();
            z.on('error', (e) => out.destroy(new KtriageError('input.decompress-failed', `gzip: ${e.message}`, { file: '-' })));
            z.pipe(out);
            gz = z;
          }
        }
        const target = gz ?? out;
        if (!target.write(chunk)) {
          stdin.pause();
          target.once('drain', () => stdin.resume());
        }
      });
      stdin.on('end', () => (gz ?? out).end());
      stdin.on('error', (e) => out.destroy(fromFsError(e, '-')));
      return out;
    },
  };
}

async function walk(dir: string, out: string[], problems: SourceProblem[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    problems.push({ error: fromFsError(e, dir) });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out, problems);
    else if (e.isFile()) out.push(p);
  }
}

/**
 * Expands CLI inputs into sources. Missing or unreadable paths become problems
 * (reported, exit code 2) without stopping the other inputs.
 */
export async function expandInputs(
  inputs: readonly string[],
  stdin: Readable,
): Promise<{ sources: Source[]; problems: SourceProblem[] }> {
  const sources: Source[] = [];
  const problems: SourceProblem[] = [];
  const list = inputs.length === 0 ? ['-'] : inputs;
  for (const input of list) {
    if (input === '-') {
      sources.push(stdinSource(stdin));
      continue;
    }
    let st;
    try {
      st = await stat(input);
    } catch (e) {
      problems.push({ error: fromFsError(e, input) });
      continue;
    }
    if (st.isDirectory()) {
      const files: string[] = [];
      await walk(input, files, problems);
      for (const f of files) sources.push(fileSource(f));
    } else {
      sources.push(fileSource(input));
    }
  }
  return { sources, problems };
}
