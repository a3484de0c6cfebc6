// `ktriage baseline create <inputs...> [-o FILE]`: a baseline listing the
// buckets of every report in the inputs, for --baseline to suppress.
import { analyze } from '../../analyze.js';
import { formatProblem } from '../../formatters/table.js';
import { BaselineBuilder, formatBaseline } from '../../policy/baseline.js';
import { write, type CliIo } from '../io.js';
import { writeOutputFile } from '../output.js';

export interface BaselineCreateOptions {
  /** Where to write (".json" for JSON, otherwise YAML); stdout without it. */
  output?: string;
}

/** Exit codes: 0 written, 2 an input could not be read (then nothing is written: the baseline would be partial). */
export async function runBaselineCreate(inputs: string[], opts: BaselineCreateOptions, io: CliIo): Promise<number> {
  const builder = new BaselineBuilder();
  let errors = 0;
  // Detectors only add findings, which a baseline does not use.
  for await (const rec of analyze(inputs, { stdin: io.stdin, detectors: [] })) {
    if (rec.kind === 'report') builder.add(rec);
    else if (rec.kind === 'error') {
      errors++;
      await write(io.stderr, formatProblem(rec));
    }
  }
  if (errors > 0) {
    await write(io.stderr, 'ktriage: no baseline written, since an input could not be read\n');
    return 2;
  }
  const baseline = builder.finish();
  const text = formatBaseline(baseline, opts.output?.endsWith('.json') ? 'json' : 'yaml');
  if (opts.output === undefined) {
    await write(io.stdout, text);
    return 0;
  }
  await writeOutputFile(opts.output, text);
  await write(io.stderr, `ktriage: ${opts.output}: baseline of ${baseline.entries.length} bucket(s) from ${builder.reports} report(s)\n`);
  return 0;
}
