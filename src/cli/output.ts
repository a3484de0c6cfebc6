// --output FILE: the CLI's stdout replaced by a file, and files written whole
// (a baseline, the GitHub job summary). Failures name the file (exit code 2).
import type { Writable } from 'node:stream';
import { outputError } from '../model/errors.js';
import type { CliIo } from './io.js';

/** Bytes the --output stream buffers before the CLI waits for the disk. */
const OUTPUT_BUFFER_BYTES = 1 << 20;

/**
 * Runs `fn` with io.stdout going to `file` (created or truncated first, so an
 * unwritable path fails before any input is read); without a file, `fn` gets io.
 */
export async function withOutput<T>(io: CliIo, file: string | undefined, fn: (io: CliIo) => Promise<T>): Promise<T> {
  if (file === undefined) return fn(io);
  let handle;
  try {
    handle = await (await import('node:fs/promises')).open(file, 'w');
  } catch (e) {
    throw outputError(e, file);
  }
  // The stream owns the handle: it closes it when it ends or is destroyed. A file stream writes
  // through libuv's thread pool, and with its default 16 KB buffer the CLI waited for 'drain'
  // every few reports (JSONL of the splat-dense 50 MB console log: 46 MB in 7,401 lines; 554 ms
  // of a 4.5 s profile idle). A 1 MB buffer lets the analysis run on while the pool writes.
  const stream: Writable = handle.createWriteStream({ highWaterMark: OUTPUT_BUFFER_BYTES });
  let failure: unknown;
  stream.on('error', (e) => (failure ??= e));
  try {
    const result = await fn({ ...io, stdout: stream });
    // A write that fails while the stream ends (a small output is written only then) reaches this
    // callback before the 'error' event: it is a write failure too.
    await new Promise<void>((resolve, reject) => stream.end((e?: Error | null) => (e ? reject((failure ??= e)) : resolve())));
    if (failure !== undefined) throw failure;
    return result;
  } catch (e) {
    stream.destroy();
    // A write error surfaces as the stream's 'error', or as a rejected wait for 'drain'.
    if (failure !== undefined) throw outputError(failure, file);
    throw e;
  }
}

/** Writes a whole file; a failure names it. */
export async function writeOutputFile(file: string, text: string): Promise<void> {
  try {
    await (await import('node:fs/promises')).writeFile(file, text);
  } catch (e) {
    throw outputError(e, file);
  }
}

/** Appends to a file (the GitHub job summary); a failure names it. */
export async function appendOutputFile(file: string, text: string): Promise<void> {
  try {
    await (await import('node:fs/promises')).appendFile(file, text);
  } catch (e) {
    throw outputError(e, file);
  }
}
