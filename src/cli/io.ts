// The streams a CLI run uses; tests pass their own.
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';

export interface CliIo {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean };
  /**
   * Whether stderr is a terminal, when the caller can tell without the stream (bin/ktriage.js can:
   * Node makes process.stderr on first use, and for a pipe that loads its network module, ~6 ms of
   * a run that never writes to stderr). Without it, stderr.isTTY is asked.
   */
  stderrIsTTY?: boolean;
  env: Record<string, string | undefined>;
  /** Fires on Ctrl-C: inputs end, what was read is reported with the summary. */
  signal?: AbortSignal;
}

/** Writes and waits for the stream to drain when its buffer is full (bounded memory on big output). */
export async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

/** Pieces of text are written this many characters or more at a time. */
const WRITE_CHUNK_CHARS = 64 * 1024;

/** Writes pieces of text in order, joined into writes of at least WRITE_CHUNK_CHARS (fewer, larger writes). */
export async function writeChunks(stream: Writable, pieces: Iterable<string>): Promise<void> {
  let text = '';
  for (const piece of pieces) {
    text += piece;
    if (text.length >= WRITE_CHUNK_CHARS) {
      await write(stream, text);
      text = '';
    }
  }
  if (text.length > 0) await write(stream, text);
}
