// Records of a task that is not yet due for output, kept on disk instead of in memory.
// With --jobs, records are written in input order: while the first file's records are
// passed on, a worker on the second file must either wait (no parallelism) or have its
// records kept somewhere. They go to a temporary file, like sort(1) does with runs that do not
// fit in memory, and are read back when the task's turn comes.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { OutputRecord } from '../model/records.js';

/**
 * writeSync may write less than asked (a full disk, a file size limit, a signal): go on, or fail.
 * `at` is the file position; without it the bytes go where the descriptor stands (--output may be
 * a pipe, which has no position).
 */
export function writeAll(fd: number, buf: Buffer, at?: number): void {
  for (let done = 0; done < buf.length; ) {
    const n = writeSync(fd, buf, done, buf.length - done, at === undefined ? null : at + done);
    if (n <= 0) throw new Error('short write: no byte was written');
    done += n;
  }
}

export function readAll(fd: number, buf: Buffer, at: number): void {
  for (let done = 0; done < buf.length; ) {
    const n = readSync(fd, buf, done, buf.length - done, at + done);
    if (n <= 0) throw new Error('spill file: short read');
    done += n;
  }
}

/**
 * A new file to write and read back, in a temporary directory of its own. Its name is removed as
 * soon as it is open where the system allows it (Linux and macOS: the open descriptor keeps the
 * file), so its space is freed however the process ends, also when a CI job's timeout kills it
 * (SIGTERM, SIGKILL) and no exit handler runs. Where the name cannot be removed (Windows), the
 * directory goes at close(), or by process.exit (EPIPE, a second Ctrl-C).
 */
export class TempFile {
  readonly fd: number;
  /** Removes the directory, where the file kept its name. */
  private readonly remove: (() => void) | undefined;

  /** Throws when no temporary directory or file can be made. */
  constructor(prefix: string, name: string) {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    const remove = (): void => rmSync(dir, { recursive: true, force: true });
    const path = join(dir, name);
    try {
      this.fd = openSync(path, 'w+', 0o600);
    } catch (e) {
      remove();
      throw e;
    }
    let unlinked = true;
    try {
      rmSync(path);
    } catch {
      unlinked = false;
    }
    if (unlinked) remove();
    else {
      this.remove = remove;
      process.once('exit', remove);
    }
  }

  close(): void {
    closeSync(this.fd);
    if (this.remove) {
      process.off('exit', this.remove);
      this.remove();
    }
  }
}

/**
 * An append-only file of chunks (length-prefixed v8 serialisations), read back in order: the
 * records of a task (parallel.ts), the rows of a large table (src/cli/table-rows.ts).
 */
export class SpillFile<T = OutputRecord[]> {
  private readonly file: TempFile;
  private written = 0;
  private read = 0;
  private readonly header = Buffer.alloc(4);

  /** A spill file (see TempFile); throws when none can be made. */
  constructor(name: string) {
    this.file = new TempFile('ktriage-spill-', name);
  }

  /** Writes a chunk; throws (and the chunk does not count as written) when the disk takes less. */
  append(chunk: T): void {
    const body = serialize(chunk);
    const header = Buffer.alloc(4);
    header.writeUInt32LE(body.length, 0);
    writeAll(this.file.fd, header, this.written);
    writeAll(this.file.fd, body, this.written + 4);
    this.written += 4 + body.length;
  }

  /** True while chunks written have not all been read back. */
  get unread(): boolean {
    return this.read < this.written;
  }

  /** The next chunk written, or undefined when all were read. */
  next(): T | undefined {
    if (!this.unread) return undefined;
    readAll(this.file.fd, this.header, this.read);
    const len = this.header.readUInt32LE(0);
    const body = Buffer.allocUnsafe(len);
    readAll(this.file.fd, body, this.read + 4);
    this.read += 4 + len;
    return deserialize(body) as T;
  }

  /** Reads from the first chunk again. */
  rewind(): void {
    this.read = 0;
  }

  close(): void {
    this.file.close();
  }
}
