// Baselines: made from the reports of a log (`ktriage baseline create`), read
// from a file (--baseline), and asked whether a report is listed.
import { stringify } from 'yaml';
import { bucketKey } from '../buckets/buckets.js';
import { parseValidatedYaml } from '../config/validated-yaml.js';
import { KtriageError } from '../model/errors.js';
import { baselineSchema, type Baseline, type BaselineEntry } from '../model/baseline.js';
import type { Report } from '../model/report.js';
import { unslice } from '../input/unslice.js';

/**
 * A baseline's entries, a report at a time: the reports need not be held (`baseline create` held
 * every report of its inputs until the end: 137 MB for 20 MB of console log, 2,812 reports).
 */
export class BaselineBuilder {
  private readonly byKey = new Map<string, BaselineEntry>();
  /** Reports added. */
  reports = 0;

  add(r: Report): void {
    this.reports++;
    const key = bucketKey(r);
    const e = this.byKey.get(key);
    if (e) {
      e.count = (e.count ?? 0) + 1;
      return;
    }
    // Copies: a report's strings may be views into the input chunk they were cut from.
    const copy = unslice(key);
    this.byKey.set(copy, { key: copy, title: unslice(r.title), crashClass: r.crashClass, count: 1 });
  }

  /** One entry per bucket, sorted by title then key (stable files, readable diffs). */
  finish(): Baseline {
    const entries = [...this.byKey.values()].sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { version: 1, entries };
  }
}

/** One entry per bucket of the reports, sorted by title then key (stable files, readable diffs). */
export function createBaseline(reports: Iterable<Report>): Baseline {
  const builder = new BaselineBuilder();
  for (const r of reports) builder.add(r);
  return builder.finish();
}

const yamlHeader = [
  '# ktriage baseline: reports whose bucket key is listed here are suppressed by',
  '# `ktriage --baseline FILE`: they never fail the run, but are counted (summary.suppressed)',
  '# and listed in JSON/JSONL ("suppressed": true) and in the CI formats.',
  '# key = report title, "|", then the top frames of its call trace; title, crashClass',
  '# and count are for people and not used for matching. Add a "note:" to say why.',
  '',
].join('\n');

/** The file text: JSON, or YAML with a header saying what the file is. */
export function formatBaseline(b: Baseline, format: 'yaml' | 'json'): string {
  if (format === 'json') return `${JSON.stringify(b, null, 2)}\n`;
  return yamlHeader + stringify(b, { lineWidth: 0 });
}

/** Parses and validates a baseline file's text; a duplicate key is an error naming its line. */
export function parseBaseline(text: string, file: string): Baseline {
  const { data, lineOf } = parseValidatedYaml(text, file, baselineSchema);
  const seen = new Set<string>();
  data.entries.forEach((e, i) => {
    if (seen.has(e.key)) {
      const line = lineOf(['entries', i, 'key']);
      throw new KtriageError('config.invalid', `entries[${i}].key: duplicate key "${e.key}"`, line === undefined ? { file } : { file, line });
    }
    seen.add(e.key);
  });
  return data;
}

/** The keys of a baseline, for matching reports. */
export class BaselineMatcher {
  private readonly keys: ReadonlySet<string>;

  constructor(
    baseline: Baseline,
    /** The file it was read from (named in the output). */
    readonly file: string,
  ) {
    this.keys = new Set(baseline.entries.map((e) => e.key));
  }

  has(r: Report): boolean {
    return this.keys.has(bucketKey(r));
  }
}
