// Byte stream -> lines. Streams with split2; a line longer than the limit is cut
// (the rest of it up to the next newline is dropped) and the cut is recorded.
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import split2 from 'split2';

/** Longest line kept, in bytes; longer lines are cut (issue #2: 1 MiB). */
export const MAX_LINE_BYTES = 1024 * 1024;

export interface RawLine {
  /** Line text, decoded as UTF-8 (invalid bytes become U+FFFD). */
  text: string;
  /** 1-based line number. */
  lineNo: number;
  /** True when the physical line was longer than the limit and was cut. */
  cut: boolean;
}

/**
 * Passes bytes through, cutting every line at `max` bytes. Line numbers of
 * cut lines are added to `cuts`. Memory stays bounded even for input
 * without any newline.
 */
export class LineLimiter extends Transform {
  private lineLen = 0;
  private lineNo = 1;
  private dropping = false;

  constructor(
    private readonly max: number,
    private readonly cuts: Set<number>,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    const out: Buffer[] = [];
    while (start < chunk.length) {
      const nl = chunk.indexOf(10, start);
      const end = nl === -1 ? chunk.length : nl;
      const segLen = end - start;
      if (!this.dropping) {
        const room = this.max - this.lineLen;
        if (segLen <= room) {
          out.push(chunk.subarray(start, end));
          this.lineLen += segLen;
        } else {
          out.push(chunk.subarray(start, start + room));
          this.lineLen = this.max;
          this.dropping = true;
          this.cuts.add(this.lineNo);
        }
      }
      if (nl === -1) break;
      out.push(chunk.subarray(nl, nl + 1));
      this.lineNo++;
      this.lineLen = 0;
      this.dropping = false;
      start = nl + 1;
    }
    if (out.length > 0) this.push(out.length === 1 ? out[0] : Buffer.concat(out));
    done();
  }
}

/**
 * Async-iterates the lines of a byte stream in batches: every line split2 has
 * ready is taken synchronously, so the per-line cost is not an await.
 */
export async function* readLineBatches(input: Readable, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<RawLine[]> {
  const cuts = new Set<number>();
  const limiter = new LineLimiter(maxLineBytes, cuts);
  const lines = split2('\n');
  let failure: Error | undefined;
  let ended = false;
  input.on('error', (err) => lines.destroy(err));
  limiter.on('error', (err) => lines.destroy(err));
  lines.on('error', (err: Error) => (failure = err));
  lines.on('end', () => (ended = true));
  input.pipe(limiter).pipe(lines);
  let lineNo = 0;
  for (;;) {
    const batch: RawLine[] = [];
    for (let text = lines.read() as string | null; text !== null; text = lines.read() as string | null) {
      lineNo++;
      const cut = cuts.has(lineNo);
      if (cut) cuts.delete(lineNo);
      batch.push({ text, lineNo, cut });
    }
    if (batch.length > 0) yield batch;
    if (failure) throw failure;
    if (ended) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        lines.off('readable', done);
        lines.off('end', done);
        lines.off('error', done);
        resolve();
      };
      lines.on('readable', done);
      lines.on('end', done);
      lines.on('error', done);
    });
  }
}

/** Async-iterates the lines of a byte stream. */
export async function* readLines(input: Readable, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<RawLine> {
  for await (const batch of readLineBatches(input, maxLineBytes)) yield* batch;
}

/** Number of lines in a text, counted as the readers count them: a final newline ends the last line, it does not start one. */
export function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return text.length > 0 && !text.endsWith('\n') ? n + 1 : n;
}

/** Splits an in-memory string into RawLines (tests, library use on small inputs). */
export function splitLines(text: string): RawLine[] {
  const parts = text.split('\n');
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.map((t, i) => ({ text: t, lineNo: i + 1, cut: false }));
}
