// Grouping reports into buckets, and merging buckets from several runs (so a
// large archive can be split across jobs or machines and combined).
import type { Finding } from '../model/finding.js';
import type { Bucket } from '../model/records.js';
import type { Report } from '../model/report.js';
import { titleFunction } from '../reports/frames.js';
import { skipRegex } from '../reports/skip-frames.js';
import { unslice } from '../input/unslice.js';

const MAX_VERSIONS = 50;
const MAX_EXAMPLES = 5;
const TOP_FRAMES = 3;

/**
 * Title plus the top non-generic frames of the main call trace (function names only; the
 * title's own function is among them when it heads the trace). A report
 * without frames (a quoted header line) uses its guilty function and source file.
 */
export function bucketKey(r: Report): string {
  const skip = skipRegex();
  const top: string[] = [];
  for (const f of r.frames) {
    if (!f.reliable) continue;
    const name = titleFunction(f.function);
    if (skip.test(name)) continue;
    top.push(name);
    if (top.length === TOP_FRAMES) break;
  }
  if (top.length === 0) top.push(r.guiltyFunction ?? '', r.location?.replace(/:\d+$/, '') ?? '');
  return `${r.title}|${top.join(',')}`;
}

function reportDate(r: Report): string | undefined {
  const d = r.mail?.date ?? r.wallTime;
  return d && /^\d{4}-\d\d-\d\d/.test(d) ? d : undefined;
}

function addSorted(list: string[], value: string, max: number): void {
  if (list.includes(value)) return;
  list.push(value);
  list.sort();
  if (list.length > max) list.length = max;
}

/** Accumulates buckets; memory grows with the number of distinct buckets, not of reports. */
export class BucketSet {
  private readonly buckets = new Map<string, Bucket>();
  /** Report (source, index) -> bucket key, for attaching the findings that follow a report. */
  private readonly lastReport = new Map<string, string>();

  addReport(r: Report): void {
    let key = bucketKey(r);
    let b = this.buckets.get(key);
    if (!b) {
      // Copies: the title and the frames' names are substrings of log lines, and a substring can
      // keep the whole input chunk it was cut from alive (64-256 KB). Kept, they took --group on
      // 100,000 reports of distinct titles to 262 MB, ~1.5 KB a bucket (2026-11-28).
      key = unslice(key);
      // Arrays made at their size: one that grows from [] by push takes room for 17 elements, and
      // two of them were ~300 bytes of every bucket.
      const versions = r.kernelVersion ? [unslice(r.kernelVersion)] : [];
      b = { kind: 'bucket', key, title: unslice(r.title), crashClass: r.crashClass, crashType: r.crashType, count: 0, kernelVersions: versions, examples: [r.source], findings: [] };
      this.buckets.set(key, b);
    }
    b.count++;
    const d = reportDate(r);
    if (d) {
      if (!b.firstDate || d < b.firstDate) b.firstDate = d;
      if (!b.lastDate || d > b.lastDate) b.lastDate = d;
    }
    if (r.kernelVersion && !b.kernelVersions.includes(r.kernelVersion)) addSorted(b.kernelVersions, unslice(r.kernelVersion), MAX_VERSIONS);
    addSorted(b.examples, r.source, MAX_EXAMPLES);
    // Findings follow their report in the record stream; only the latest report per source is needed.
    this.lastReport.clear();
    this.lastReport.set(`${r.source}\u0000${r.index}`, key);
  }

  addFinding(f: Finding): void {
    if (f.report === null) return;
    const key = this.lastReport.get(`${f.source}\u0000${f.report}`);
    const b = key === undefined ? undefined : this.buckets.get(key);
    if (!b) return;
    let e = b.findings.find((x) => x.detector === f.detector);
    if (!e) {
      e = { detector: f.detector, title: f.title, verdicts: [] };
      b.findings.push(e);
      b.findings.sort((a, c) => a.detector.localeCompare(c.detector));
    }
    addSorted(e.verdicts, f.verdict, 4);
  }

  /** Merges a bucket from another run. */
  addBucket(o: Bucket): void {
    const b = this.buckets.get(o.key);
    if (!b) {
      this.buckets.set(o.key, { ...o, kernelVersions: [...o.kernelVersions], examples: [...o.examples], findings: o.findings.map((f) => ({ ...f, verdicts: [...f.verdicts] })) });
      return;
    }
    b.count += o.count;
    if (o.firstDate && (!b.firstDate || o.firstDate < b.firstDate)) b.firstDate = o.firstDate;
    if (o.lastDate && (!b.lastDate || o.lastDate > b.lastDate)) b.lastDate = o.lastDate;
    for (const v of o.kernelVersions) addSorted(b.kernelVersions, v, MAX_VERSIONS);
    for (const e of o.examples) addSorted(b.examples, e, MAX_EXAMPLES);
    for (const f of o.findings) {
      let e = b.findings.find((x) => x.detector === f.detector);
      if (!e) {
        e = { detector: f.detector, title: f.title, verdicts: [] };
        b.findings.push(e);
        b.findings.sort((a, c) => a.detector.localeCompare(c.detector));
      }
      for (const v of f.verdicts) addSorted(e.verdicts, v, 4);
    }
  }

  /** Buckets, largest first, then by title and key (deterministic). */
  list(): Bucket[] {
    return [...this.buckets.values()].sort((a, b) => b.count - a.count || a.title.localeCompare(b.title) || a.key.localeCompare(b.key));
  }

  get size(): number {
    return this.buckets.size;
  }
}
