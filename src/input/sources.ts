// Input paths -> readable byte sources: files, directories (recursive, sorted),
// "-" for stdin, gzip detected by its magic bytes (not only by the ".gz" name).
import { closeSync, createReadStream, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { KtriageError, fromFsError } from '../model/errors.js';
import { listDirectory, statPath } from './fs-calls.js';

export interface Source {
  /** Name used in output: the path as given (joined for directory entries), "-" for stdin. */
  name: string;
  /** A pipe or device (stdin, a FIFO, bash's `<(dmesg)`): it can be read once, and only here. */
  stream?: boolean;
  /** Opens the decompressed byte stream; `onBytes` hears how many raw bytes were read. */
  open(onBytes?: (n: number) => void): Promise<Readable>;
}

/** An input that could not be read (an error), or a path inside a directory that was not (a notice). */
export type SourceProblem = { error: KtriageError } | { notice: { source: string; message: string } };

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/** Read buffer of a file or pipe stream: a chunk of this size is what the line splitter gets at a time. */
const READ_CHUNK_BYTES = 256 * 1024;

/**
 * Opens a file for reading: whether it starts with the gzip magic bytes, and a stream of its raw
 * bytes. A file smaller than a chunk is read whole, at once (blocking, as one chunk would be
 * anyway): through a file stream each one took five round trips to the thread pool, and Node's
 * file stream allocates its whole highWaterMark for every read (and one more read finds the end),
 * 512 KiB outside the heap per file, which V8 collected garbage for. 20,000 files of 20 bytes took
 * 29.7 s, 10.3 s of it in the collector.
 */
function openFile(path: string): { gz: boolean; raw: Readable } {
  const fd = openSync(path, 'r');
  let handedOver = false;
  try {
    const st = fstatSync(fd);
    // Only regular files that say they are small. A block device says 0, and so do the files of
    // /proc, where /proc/kmsg never ends: they are streamed, as before.
    if (st.isFile() && st.size > 0 && st.size < READ_CHUNK_BYTES) {
      // To the end, should the file have grown since fstat.
      const buf = readFileSync(fd);
      const raw = new PassThrough();
      raw.end(buf);
      return { gz: isGzipStart(buf), raw };
    }
    const head = Buffer.alloc(2);
    const gz = readSync(fd, head, 0, 2, 0) === 2 && isGzipStart(head);
    handedOver = true;
    return { gz, raw: createReadStream(path, { fd, start: 0, highWaterMark: READ_CHUNK_BYTES }) };
  } finally {
    if (!handedOver) closeSync(fd);
  }
}

function isGzipStart(buf: Buffer): boolean {
  return buf.length >= 2 && buf[0] === GZIP_MAGIC_0 && buf[1] === GZIP_MAGIC_1;
}

type Zlib = typeof import('node:zlib');

/**
 * node:zlib, loaded when a gzip file is opened, or a stream that may turn out to be one: loading
 * it takes ~1.2 ms of every start-up otherwise (Node 20.20, measured 2026-11-27).
 */
function loadZlib(): Promise<Zlib> {
  return import('node:zlib');
}

/**
 * `src.pipe(dest)`, ending `dest` when `src` ends. Node's pipe() compares `dest` with
 * process.stdout and process.stderr unless told not to end it, and that comparison makes both
 * streams: for a pipe on stderr, with the network module, ~6 ms of a run that never writes there.
 */
function pipeInto<T extends Writable>(src: Readable, dest: T): T {
  src.once('end', () => dest.end());
  return src.pipe(dest, { end: false });
}

/** A corrupt or truncated gzip stream, as a KtriageError naming the input. */
function gzipError(e: Error, name: string): KtriageError {
  return new KtriageError('input.decompress-failed', `gzip: ${e.message}`, { file: name });
}

/** Wraps a gunzip stream so a corrupt archive surfaces as a KtriageError naming the file. */
function gunzipped(raw: Readable, name: string, zlib: Zlib): PassThrough {
  const gz = zlib.createGunzip();
  const out = new PassThrough();
  raw.on('error', (e) => out.destroy(fromFsError(e, name)));
  gz.on('error', (e) => out.destroy(gzipError(e, name)));
  pipeInto(pipeInto(raw, gz), out);
  return out;
}

/**
 * A file read like `tail -f`: to its end, then whatever is appended, polled every
 * `pollMs`, until the signal fires. A truncated file (log rotation) is read again from the start.
 */
function followFile(path: string, signal: AbortSignal | undefined, onBytes?: (n: number) => void, pollMs = 250): PassThrough {
  const out = new PassThrough({ highWaterMark: READ_CHUNK_BYTES });
  let pos = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const stop = () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
  endOnAbort(out, signal, stop);
  out.once('close', stop);
  const poll = async (): Promise<void> => {
    if (stopped) return;
    try {
      const { open } = await import('node:fs/promises');
      const fh = await open(path, 'r');
      try {
        const { size } = await fh.stat();
        if (size < pos) pos = 0;
        const buf = Buffer.alloc(READ_CHUNK_BYTES);
        while (!stopped && pos < size) {
          const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
          if (bytesRead === 0) break;
          pos += bytesRead;
          onBytes?.(bytesRead);
          if (!out.write(Buffer.from(buf.subarray(0, bytesRead)))) await new Promise((r) => out.once('drain', r));
        }
      } finally {
        await fh.close();
      }
    } catch (e) {
      out.destroy(fromFsError(e, path));
      return;
    }
    if (!stopped) timer = setTimeout(() => void poll(), pollMs);
  };
  void poll();
  return out;
}

/**
 * A named pipe or device (`ktriage <(journalctl -k)`, a FIFO): read once as a stream, gzip told
 * from its first bytes as they pass. Sniffing by opening it first would eat those bytes and leave
 * the reopen waiting for a writer that is gone; following it is just reading it to its end.
 */
function pipeSource(path: string, control: ReadControl): Source {
  return {
    name: path,
    stream: true,
    async open(onBytes) {
      const zlib = await loadZlib();
      const raw = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
      if (onBytes) raw.on('data', (c: Buffer | string) => onBytes(c.length));
      return sniffedStream(raw, path, control, () => raw.destroy(), zlib);
    },
  };
}

export function fileSource(path: string, control: ReadControl = {}): Source {
  return {
    name: path,
    async open(onBytes) {
      if (control.follow) return followFile(path, control.signal, onBytes);
      let gz: boolean;
      let raw: Readable;
      try {
        ({ gz, raw } = openFile(path));
      } catch (e) {
        throw fromFsError(e, path);
      }
      // Before the listeners below: until then the stream holds its bytes.
      const zlib = gz ? await loadZlib() : undefined;
      if (onBytes) raw.on('data', (c: Buffer | string) => onBytes(c.length));
      // A reader that stops early (sniffing only, Ctrl-C) must stop the file read too.
      const stopRaw = () => {
        raw.unpipe();
        raw.destroy();
      };
      let out: PassThrough;
      if (zlib) out = gunzipped(raw, path, zlib);
      else {
        out = new PassThrough({ highWaterMark: READ_CHUNK_BYTES });
        raw.on('error', (e) => out.destroy(fromFsError(e, path)));
        pipeInto(raw, out);
      }
      endOnAbort(out, control.signal, stopRaw);
      return out.once('close', stopRaw);
    },
  };
}

/** How sources are read: `signal` ends them early (Ctrl-C), `follow` keeps reading files as they grow. */
export interface ReadControl {
  signal?: AbortSignal;
  follow?: boolean;
}

/** Ends `out` when the signal fires: what was read is still analysed, then the run ends. */
function endOnAbort(out: PassThrough, signal: AbortSignal | undefined, stop: () => void): void {
  if (!signal) return;
  const onAbort = () => {
    stop();
    if (!out.writableEnded) out.end();
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  out.once('close', () => signal.removeEventListener('abort', onAbort));
}

/** stdin, gunzipped when it starts with the gzip magic bytes. */
export function stdinSource(stdin: Readable, control: ReadControl = {}): Source {
  return {
    name: '-',
    stream: true,
    async open() {
      return sniffedStream(stdin, '-', control, () => stdin.pause(), await loadZlib());
    },
  };
}

/** A byte stream passed on, through gunzip when its first chunk starts with the gzip magic bytes. */
function sniffedStream(input: Readable, name: string, control: ReadControl, stop: () => void, zlib: Zlib): PassThrough {
  const out = new PassThrough({ highWaterMark: READ_CHUNK_BYTES });
  endOnAbort(out, control.signal, stop);
  let first = true;
  let gz: Writable | undefined;
  input.on('data', (chunk: Buffer) => {
    if (first) {
      first = false;
      if (isGzipStart(chunk)) {
        const z = zlib.createGunzip();
        z.on('error', (e) => out.destroy(gzipError(e, name)));
        pipeInto(z, out);
        gz = z;
      }
    }
    const target = gz ?? out;
    if (!target.write(chunk)) {
      input.pause();
      target.once('drain', () => input.resume());
    }
  });
  input.on('end', () => (gz ?? out).end());
  input.on('error', (e) => out.destroy(fromFsError(e, name)));
  return out;
}

async function walk(dir: string, out: string[], problems: SourceProblem[]): Promise<void> {
  let entries;
  try {
    entries = await listDirectory(dir);
  } catch (e) {
    problems.push({ error: fromFsError(e, dir) });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out, problems);
    else if (e.isFile()) out.push(p);
    // Like grep -r: links inside a directory are not followed (a "latest.log" link would count a
    // log twice, a link to a directory could loop); said, so a directory of links is not a silent 0.
    else if (e.isSymbolicLink()) problems.push({ notice: { source: p, message: 'symbolic link not followed (name it on the command line to read it)' } });
  }
}

/**
 * Expands CLI inputs into sources. Missing or unreadable paths become problems
 * (reported, exit code 2) without stopping the other inputs. `stdin` may be a function that gives
 * it, called only when "-" is an input: Node makes process.stdin on first use, and making it loads
 * a file stream, a socket or a terminal for nothing when only files are read.
 */
export async function expandInputs(
  inputs: readonly string[],
  stdin: Readable | (() => Readable),
  control: ReadControl = {},
): Promise<{ sources: Source[]; problems: SourceProblem[] }> {
  const sources: Source[] = [];
  const problems: SourceProblem[] = [];
  const list = inputs.length === 0 ? ['-'] : inputs;
  for (const input of list) {
    if (input === '-') {
      sources.push(stdinSource(typeof stdin === 'function' ? stdin() : stdin, control));
      continue;
    }
    let st;
    try {
      st = await statPath(input);
    } catch (e) {
      problems.push({ error: fromFsError(e, input) });
      continue;
    }
    if (st.isDirectory()) {
      const files: string[] = [];
      await walk(input, files, problems);
      // Files of a directory are read once even with --follow (only named files are followed).
      for (const f of files) sources.push(fileSource(f, { ...control, follow: false }));
    } else if (st.isFIFO() || st.isCharacterDevice() || st.isSocket()) {
      sources.push(pipeSource(input, control));
    } else {
      sources.push(fileSource(input, control));
    }
  }
  return { sources, problems };
}
