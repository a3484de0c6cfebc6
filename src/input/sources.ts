// Input paths -> readable byte sources: files, directories (recursive, sorted),
// "-" for stdin, gzip detected by its magic bytes (not only by the ".gz" name).
import { closeSync, createReadStream, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { KtriageError, fromFsError } from '../model/errors.js';
import { DeliveredStream } from './delivered.js';
import { listDirectory, statPath } from './fs-calls.js';

export interface Source {
  /** Name used in output: the path as given (joined for directory entries), "-" for stdin. */
  name: string;
  /** A pipe or device (stdin, a FIFO, bash's `<(dmesg)`): it can be read once, and only here. */
  stream?: boolean;
  /** Found in a directory walk or an archive: a file that is no text is passed by with a notice, not an error. */
  walked?: boolean;
  /** A regular file's path, for what is read from a file and not a stream (a zip archive's index is at its end). */
  path?: string;
  /** A member of an archive: how many archives it is inside. */
  depth?: number;
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

/** The file's bytes gunzipped, then a corrupt or cut gzip stream as a KtriageError naming the file. */
function gunzipped(raw: Readable, name: string, zlib: Zlib): DeliveredStream {
  const gz = zlib.createGunzip();
  const out = new DeliveredStream();
  raw.on('error', (e) => out.fail(fromFsError(e, name)));
  gz.on('error', (e) => out.fail(gzipError(e, name)));
  out.drawFrom(pipeInto(raw, gz));
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
    path,
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
      let out: PassThrough | DeliveredStream;
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
function endOnAbort(out: PassThrough | DeliveredStream, signal: AbortSignal | undefined, stop: () => void): void {
  if (!signal) return;
  const onAbort = () => {
    stop();
    if (out instanceof DeliveredStream) out.finish();
    else if (!out.writableEnded) out.end();
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

/**
 * An archive member's bytes, read once, gunzipped when they start with the gzip magic bytes. A
 * failure of `input` is the archive format's (`format`: "zip: invalid distance too far back").
 */
export async function memberStream(input: Readable, name: string, format: string, signal?: AbortSignal): Promise<Readable> {
  // An error of an archive inside (a tar member of a zip) is already said.
  const failed = (e: Error) => (e instanceof KtriageError ? e : new KtriageError('input.decompress-failed', `${format}: ${e.message}`, { file: name }));
  return sniffedStream(input, name, signal ? { signal } : {}, () => input.destroy(), await loadZlib(), failed);
}

/** A byte stream passed on, through gunzip when its first chunk starts with the gzip magic bytes. */
function sniffedStream(
  input: Readable,
  name: string,
  control: ReadControl,
  stop: () => void,
  zlib: Zlib,
  failed: (e: Error) => KtriageError = (e) => fromFsError(e, name),
): DeliveredStream {
  // The input may fail before its reader is listening (an archive member that inflates to fewer
  // bytes than its header says fails as soon as it is opened), and a gzip stream cut short fails
  // after its last bytes: the reader gets the bytes, then the error (DeliveredStream).
  const out = new DeliveredStream();
  endOnAbort(out, control.signal, stop);
  let first = true;
  let gz: Writable | undefined;
  input.on('data', (chunk: Buffer) => {
    if (first) {
      first = false;
      if (isGzipStart(chunk)) {
        const z = zlib.createGunzip();
        z.on('error', (e) => out.fail(gzipError(e, name)));
        out.drawFrom(z);
        gz = z;
      }
    }
    if (gz) {
      if (!gz.write(chunk)) {
        input.pause();
        gz.once('drain', () => input.resume());
      }
    } else if (!out.add(chunk)) {
      input.pause();
      out.whenDrained(() => input.resume());
    }
  });
  input.on('end', () => (gz ? gz.end() : out.finish()));
  input.on('error', (e) => out.fail(failed(e)));
  return out;
}

/** An input path as the walk finds it: a regular file, or a pipe or device (readable once). */
interface InputPath {
  path: string;
  pipe: boolean;
  /** Found in a directory walk (a directory's files are read once even with --follow). */
  walked: boolean;
}

/** How a directory entry is walked: 0 skipped, else one of these. */
const ENTRY_FILE = 1;
const ENTRY_DIR = 2;
const ENTRY_LINK = 3;

/**
 * The files under `dir`, depth first in name order, a directory listed only when the walk
 * reaches it. Only the listings of the directories on the current path are held, as names and
 * kinds (a Dirent per entry costs more): a tree of 200,000 logs took 284 MB when every source
 * was made before the first was read.
 */
async function* walk(dir: string): AsyncGenerator<InputPath | SourceProblem> {
  let entries;
  try {
    entries = await listDirectory(dir);
  } catch (e) {
    yield { error: fromFsError(e, dir) };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const names = entries.map((e) => e.name);
  const kinds = Uint8Array.from(entries, (e) => (e.isDirectory() ? ENTRY_DIR : e.isFile() ? ENTRY_FILE : e.isSymbolicLink() ? ENTRY_LINK : 0));
  entries = undefined;
  for (let i = 0; i < names.length; i++) {
    const p = join(dir, names[i]!);
    const kind = kinds[i];
    if (kind === ENTRY_DIR) yield* walk(p);
    else if (kind === ENTRY_FILE) yield { path: p, pipe: false, walked: true };
    // Like grep -r: links inside a directory are not followed (a "latest.log" link would count a
    // log twice, a link to a directory could loop); said, so a directory of links is not a silent 0.
    else if (kind === ENTRY_LINK) yield { notice: { source: p, message: 'symbolic link not followed (name it on the command line to read it)' } };
  }
}

/**
 * What the inputs name, in order: "-" (stdin), the files of a directory as the walk reaches
 * them, a file, a pipe or device. Every named input is looked up first, so one that does not
 * exist is reported before any record, as when the whole list was built first (a file that cannot
 * be opened is reported when it is read); what a walk cannot read or does not follow is reported
 * where the walk meets it.
 */
async function* inputPaths(inputs: readonly string[]): AsyncGenerator<InputPath | SourceProblem | '-'> {
  const list = inputs.length === 0 ? ['-'] : inputs;
  const named: Array<{ input: string; dir: boolean; pipe: boolean } | undefined> = [];
  for (const input of list) {
    if (input === '-') {
      named.push(undefined);
      continue;
    }
    try {
      const st = await statPath(input);
      named.push({ input, dir: st.isDirectory(), pipe: st.isFIFO() || st.isCharacterDevice() || st.isSocket() });
    } catch (e) {
      yield { error: fromFsError(e, input) };
    }
  }
  for (const n of named) {
    if (n === undefined) yield '-';
    else if (n.dir) yield* walk(n.input);
    else yield { path: n.input, pipe: n.pipe, walked: false };
  }
}

/**
 * A small file is read at once and then analysed in promise callbacks alone, so a directory of
 * them never gave the event loop a turn: no timer ran (the progress bar was not drawn) and Ctrl-C
 * waited for the last file (12 s of the 20,000 example logs without one tick of a 100 ms timer).
 * Between two sources the loop may turn when this long has passed since the last time (analyze,
 * --jobs and kb build all take their sources from here).
 */
const EVENT_LOOP_TURN_MS = 50;

/** True for what could not be read or was not followed (see inputSources). */
export function isSourceProblem(item: Source | SourceProblem): item is SourceProblem {
  return 'error' in item || 'notice' in item;
}

/**
 * The inputs as sources, made one at a time as the caller asks for them (a directory is walked
 * as it is read), and the problems: missing or unreadable paths (reported, exit code 2, without
 * stopping the other inputs) and links a walk did not follow. `stdin` may be a function that
 * gives it, called only when "-" is an input: Node makes process.stdin on first use, and making
 * it loads a file stream, a socket or a terminal for nothing when only files are read.
 */
export async function* inputSources(
  inputs: readonly string[],
  stdin: Readable | (() => Readable),
  control: ReadControl = {},
): AsyncGenerator<Source | SourceProblem> {
  const walked = { ...control, follow: false };
  let turn = Date.now();
  for await (const p of inputPaths(inputs)) {
    if (Date.now() - turn >= EVENT_LOOP_TURN_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      turn = Date.now();
    }
    // Ctrl-C ends the run with what was read: the files not reached yet are not opened.
    if (control.signal?.aborted) return;
    if (p === '-') yield stdinSource(typeof stdin === 'function' ? stdin() : stdin, control);
    else if ('path' in p) yield p.pipe ? pipeSource(p.path, control) : p.walked ? { ...fileSource(p.path, walked), walked: true } : fileSource(p.path, control);
    else yield p;
  }
}

/** The regular files the inputs name or hold, in the order inputSources gives them (no stdin, pipes or problems). */
export async function* inputFiles(inputs: readonly string[]): AsyncGenerator<string> {
  for await (const p of inputPaths(inputs)) if (p !== '-' && 'path' in p && !p.pipe) yield p.path;
}
