// A Writable that writes each chunk to a file descriptor at once, the way Node writes
// process.stdout to a file (`ktriage ... > out.jsonl`).
import { closeSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';

/** Writes all of `chunk`: a write to a file may be short (a signal), so the rest is written again. */
function writeAll(fd: number, chunk: string | Buffer): void {
  let bytes: Buffer;
  if (typeof chunk === 'string') {
    // The string is encoded by writeSync itself, without a Buffer per record; almost always whole.
    const written = writeSync(fd, chunk);
    if (written === Buffer.byteLength(chunk)) return;
    bytes = Buffer.from(chunk).subarray(written);
  } else bytes = chunk;
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
}

export class SyncFileStream extends Writable {
  private fd: number | undefined;

  constructor(fd: number) {
    // Each write is done when write() returns; the mark only spares a 'drain' wait after a large
    // chunk (a table is written 64 KiB at a time).
    super({ decodeStrings: false, highWaterMark: 1 << 20 });
    this.fd = fd;
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    try {
      if (this.fd !== undefined) writeAll(this.fd, chunk);
    } catch (e) {
      callback(e as Error);
      return;
    }
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    callback(this.close());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    callback(this.close() ?? error);
  }

  /** Closes the descriptor once; a failure to close (NFS reports write errors there) is returned. */
  private close(): Error | null {
    const fd = this.fd;
    this.fd = undefined;
    if (fd === undefined) return null;
    try {
      closeSync(fd);
      return null;
    } catch (e) {
      return e as Error;
    }
  }
}
