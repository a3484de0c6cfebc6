// Looks at the first bytes of a stream without losing them.
import { Readable } from 'node:stream';
import { DeliveredStream } from './delivered.js';

/**
 * Reads the first bytes of a stream to decide what the input is; returns them and a
 * stream that still yields everything (the same stream with the bytes put back, or a
 * new one when the input was shorter than the peek and has ended).
 */
export async function peekStream(stream: Readable, n = 8192, pauseMs = 200): Promise<{ head: Buffer; stream: Readable }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const c = stream.read() as Buffer | null;
    if (c === null) {
      // A stream that failed before this reader came emits nothing more: its error is thrown below.
      if (stream.readableEnded || size >= n || stream.destroyed) break;
      // A live pipe (dmesg -w) may send a few lines and then nothing for hours: once
      // some bytes are in, a pause ends the peek so their reports are not held back.
      const more = await new Promise<boolean>((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        const done = (ok: boolean) => () => {
          stream.off('readable', onReadable);
          stream.off('end', onEnd);
          stream.off('error', onEnd);
          if (timer) clearTimeout(timer);
          resolve(ok);
        };
        const onReadable = done(true);
        const onEnd = done(false);
        stream.once('readable', onReadable);
        stream.once('end', onEnd);
        stream.once('error', onEnd);
        if (size > 0) timer = setTimeout(done(false), pauseMs);
      });
      if (!more) break;
      continue;
    }
    chunks.push(c);
    size += c.length;
    if (size >= n) break;
  }
  const head = Buffer.concat(chunks);
  if (stream.errored) {
    if (head.length === 0) throw stream.errored;
    // Failed after some bytes (a small gzip file cut short): the reader gets them, then the error.
    const rest = new DeliveredStream();
    rest.add(head);
    rest.fail(stream.errored);
    return { head, stream: rest };
  }
  if (stream.readableEnded) return { head, stream: Readable.from(head.length > 0 ? [head] : []) };
  if (head.length > 0) stream.unshift(head);
  return { head, stream };
}

