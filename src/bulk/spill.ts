// Records of a task that is not yet due for output, kept on disk instead of in memory.
// With --jobs, records are written in input order: while the first file's records are
// passed on, a worker on the second file must either wait (no parallelism) or have its
// records kept somewhere. They go to a temporary file, like sort(1) does with runs that do not
// fit in memory, and are read back when the task's turn comes.
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { OutputRecord } from '../model/records.js';

/** An append-only file of record chunks, read back in order (length-prefixed v8 serialisations). */
export class SpillFile {
  private readonly fd: number;
  private written = 0;
  private read = 0;
  private readonly header = Buffer.alloc(4);

  constructor(private readonly path: string) {
    this.fd = openSync(path, 'w+', 0o600);
  }

  static in(dir: string, id: number): SpillFile {
    return new SpillFile(join(dir, `task-${id}.bin`));
  }

  append(records: readonly OutputRecord[]): void {
    const body = serialize(records);
    this.header.writeUInt32LE(body.length, 0);
    writeSync(this.fd, this.header, 0, 4, this.written);
    writeSync(this.fd, body, 0, body.length, this.written + 4);
    this.written += 4 + body.length;
  }

  /** True while chunks written have not all been read back. */
  get unread(): boolean {
    return this.read < this.written;
  }

  /** The next chunk written, or undefined when all were read. */
  next(): OutputRecord[] | undefined {
    if (!this.unread) return undefined;
    readSync(this.fd, this.header, 0, 4, this.read);
    const len = this.header.readUInt32LE(0);
    const body = Buffer.allocUnsafe(len);
    readSync(this.fd, body, 0, len, this.read + 4);
    this.read += 4 + len;
    return deserialize(body) as OutputRecord[];
  }

  close(): void {
    closeSync(this.fd);
    rmSync(this.path, { force: true });
  }
}
