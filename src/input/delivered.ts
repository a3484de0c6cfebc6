// A readable stream that gives its reader every byte it was given, then its failure, if it
// fails. Node's stream.destroy(err) drops what the stream holds, and a gzip file cut short fails
// at its end, after its last bytes were decompressed: a 2.9 KB kern.log.gz cut at 2.6 KB gave none
// of the 109 lines `zcat` prints, only the error; a cut archive member lost its last chunks alike.
//
// The bytes wait in a queue of this stream's own. The stream itself holds one chunk at most
// (highWaterMark 1), so it asks for more only when its reader has taken everything it held, and
// the failure is given then.
import { Readable } from 'node:stream';

/** Bytes queued before the producer is asked to wait. */
const QUEUE_BYTES = 256 * 1024;

export class DeliveredStream extends Readable {
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private failure: Error | undefined;
  private ended = false;
  /** The reader asked for a chunk (_read) and has not been given one yet. */
  private wanted = false;
  private readonly onDrain: Array<() => void> = [];

  constructor() {
    super({ highWaterMark: 1 });
    // A failure before anyone reads is kept (stream.errored) and thrown at the reader, not raised
    // as an unhandled 'error' event.
    this.on('error', () => {});
  }

  override _read(): void {
    this.wanted = true;
    this.give();
  }

  /** Queues a chunk; false when the producer should wait for whenDrained. */
  add(chunk: Buffer): boolean {
    if (this.ended || this.failure || this.destroyed) return true;
    this.queue.push(chunk);
    this.queued += chunk.length;
    this.give();
    return this.queued < QUEUE_BYTES;
  }

  /** Calls `resume` once the queue is short enough to take more. */
  whenDrained(resume: () => void): void {
    if (this.queued < QUEUE_BYTES) resume();
    else this.onDrain.push(resume);
  }

  /** No more bytes: the reader gets the end after the queued ones. */
  finish(): void {
    this.ended = true;
    this.give();
  }

  /** The input failed: the reader gets `err` after the queued bytes (the first failure counts). */
  fail(err: Error): void {
    if (this.ended || this.failure) return;
    this.failure = err;
    this.give();
  }

  /** Takes the bytes and the end of `src`, pausing it while the queue is long. */
  drawFrom(src: Readable): void {
    src.on('data', (chunk: Buffer) => {
      if (!this.add(chunk)) {
        src.pause();
        this.whenDrained(() => src.resume());
      }
    });
    src.on('end', () => this.finish());
  }

  private give(): void {
    if (!this.wanted || this.destroyed) return;
    const chunk = this.queue.shift();
    if (chunk !== undefined) {
      this.queued -= chunk.length;
      this.wanted = false;
      if (this.queued < QUEUE_BYTES) for (const resume of this.onDrain.splice(0)) resume();
      this.push(chunk);
    } else if (this.failure) {
      this.wanted = false;
      // After the read that asked has returned what the stream held.
      const failure = this.failure;
      process.nextTick(() => this.destroy(failure));
    } else if (this.ended) {
      this.wanted = false;
      this.push(null);
    }
  }
}
