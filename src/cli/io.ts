// The streams a CLI run uses; tests pass their own.
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';

export interface CliIo {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** Fires on Ctrl-C: inputs end, what was read is reported with the summary. */
  signal?: AbortSignal;
}

/** Writes and waits for the stream to drain when its buffer is full (bounded memory on big output). */
export async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}
