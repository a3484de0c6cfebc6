// A record stream -> the same stream with a "kb" finding right after each report
// that has candidate fixes; the summary counts them. The curated detectors are run
// on the report here too (pure and cheap), so the kb finding can defer to them
// without waiting for their findings, which follow in the stream (live logs).
import { builtinDetectors, type Detector } from '../detectors/index.js';
import { runDetectors } from '../findings/run-detectors.js';
import type { OutputRecord } from '../model/records.js';
import type { KbIndex } from './kb-index.js';
import { KB_DETECTOR_ID, kbFinding } from './kb-finding.js';

export interface KbAnnotateOptions {
  /** Candidates per report (default 5). */
  top?: number;
  /** The curated detectors the analysis runs (default: the built-in ones); they take precedence. */
  detectors?: readonly Detector[];
}

/** Adds the kb findings to a record stream from analyze() (or analyzeParallel()). */
export async function* withKbFindings(records: AsyncIterable<OutputRecord>, kb: KbIndex, opts: KbAnnotateOptions = {}): AsyncGenerator<OutputRecord> {
  const detectors = opts.detectors ?? builtinDetectors;
  let added = 0;
  for await (const rec of records) {
    if (rec.kind === 'summary') {
      rec.findings += added;
      if (added > 0) rec.byDetector[KB_DETECTOR_ID] = (rec.byDetector[KB_DETECTOR_ID] ?? 0) + added;
    }
    yield rec;
    if (rec.kind !== 'report') continue;
    const f = kbFinding(kb, rec, runDetectors(rec, detectors), opts.top ?? 5);
    if (!f) continue;
    added++;
    yield f;
  }
}
