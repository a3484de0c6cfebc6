// A Writable that writes each chunk to a file descriptor at once, the way Node writes
// process.stdout to a file (`ktriage ... > out.jsonl`).
import { closeSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import { writeAll } from '../bulk/spill.js';

/** Writes all of `chunk`; what a short write left is written by writeAll. */
function writeChunk(fd: number, chunk: string | Buffer): void {
  if (typeof chunk !== 'string') return writeAll(fd, chunk);
  // The string is encoded by writeSync itself, without a Buffer per record; almost always whole.
  const written = writeSync(fd, chunk);
  if (written !== Buffer.byteLength(chunk)) writeAll(fd, Buffer.from(chunk).subarray(written));
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
      if (this.fd !== undefined) writeChunk(this.fd, chunk);
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
