// `ktriage merge a.jsonl b.jsonl ...`: combines the buckets of several runs (bucket
// records, or report records that are bucketed here) into one list.
import { createReadStream } from 'node:fs';
import split2 from 'split2';
import { BucketSet } from '../../buckets/buckets.js';
import { fromFsError, KtriageError } from '../../model/errors.js';
import { outputRecordSchema } from '../../model/records.js';
import type { CliIo } from '../io.js';
import { writeBuckets, type OutputFormat } from './analyze.js';

export async function runMerge(files: string[], opts: { format?: OutputFormat }, io: CliIo): Promise<number> {
  if (files.length === 0) throw new KtriageError('usage.invalid', 'merge needs at least one JSONL file');
  const set = new BucketSet();
  for (const file of files) {
    let lineNo = 0;
    try {
      const source = createReadStream(file);
      const lines = source.pipe(split2());
      // pipe() does not pass the file's errors on: without this, a missing file was an unhandled
      // 'error' event (Node's stack trace, exit 1) instead of an error naming it.
      source.on('error', (e) => lines.destroy(e));
      for await (const line of lines as AsyncIterable<string>) {
        lineNo++;
        if (line.trim() === '') continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          throw new KtriageError('input.read-failed', 'not a JSON line', { file, line: lineNo });
        }
        const rec = outputRecordSchema.safeParse(parsed);
        if (!rec.success) throw new KtriageError('input.read-failed', `not a ktriage record: ${rec.error.issues[0]?.message ?? ''}`, { file, line: lineNo });
        if (rec.data.kind === 'bucket') set.addBucket(rec.data);
        else if (rec.data.kind === 'report') set.addReport(rec.data);
        else if (rec.data.kind === 'finding') set.addFinding(rec.data);
      }
    } catch (e) {
      throw e instanceof KtriageError ? e : fromFsError(e, file);
    }
  }
  try {
    const list = set.sorted();
    await writeBuckets(list, undefined, opts.format ?? (io.stdout.isTTY ? 'table' : 'jsonl'), io);
    return list.length > 0 ? 1 : 0;
  } finally {
    set.close();
  }
}
