// The quiet-line tests of an analysis: the words each stage exports, put together once per
// detector set. See inert-line.ts for what a quiet line is and why skipping it is exact.
import { bootWakeWords, promptWakeWords } from '../boot/boot-tracker.js';
import type { Detector } from '../detectors/define-detector.js';
import { anyOf, mentionPrefilter, mentionSources } from '../findings/run-detectors.js';
import { rewritingPrefixWords, timeSettingWords } from '../parsers/prefixes.js';
import { headerWords } from '../reports/formats/index.js';
import { segmentWakeWords } from '../reports/segment.js';
import { traceWakeWords } from '../trace/collector.js';
import { InertLineTest } from './inert-line.js';
import { requiredLiteral } from './required-literal.js';

/** The test for what the stages still wait for: the shell prompt, the first timestamp. */
export type QuietLineTests = (wantsPrompt: boolean, wantsTimestamp: boolean) => InertLineTest;

/** Every word a stage looks for while quiet (the prompts aside). */
export const quietWakeWords: readonly string[] = [...headerWords, ...segmentWakeWords, ...bootWakeWords, ...traceWakeWords, ...rewritingPrefixWords];

// A mention pattern is tested on the normalised text, a suffix of the raw line (less a final CR):
// the raw line holds every match unless the pattern looks at the start, the end or a boundary.
const positionalRe = /(?:^|[^\\])(?:\\\\)*(?:[\^$]|\\[bB]|\(\?<[=!])/;

/** Regexes of this module (on the detectors' patterns, not on input; listed for the ReDoS audit all the same). */
export const quietLinesRegexes: readonly RegExp[] = [positionalRe];

const cache = new WeakMap<readonly Detector[], QuietLineTests | null>();

/** The tests for an analysis with these detectors, or undefined when lines cannot be skipped. */
export function quietLineTests(detectors: readonly Detector[]): QuietLineTests | undefined {
  let t = cache.get(detectors);
  if (t === undefined) {
    const mentions = mentionPrefilter(detectors);
    if (positionalRe.test(mentions.source)) {
      t = null;
    } else {
      // A pattern with a literal every match contains wakes on that word in the scan; the
      // others (none among the built-in detectors) are tested as one regex on each quiet line.
      const mentionWords: string[] = [];
      const rest: string[] = [];
      for (const src of mentionSources(detectors)) {
        const w = requiredLiteral(src);
        if (w === undefined) rest.push(src);
        else mentionWords.push(w);
      }
      const alsoTest = rest.length > 0 ? [anyOf(rest)] : [];
      const variants: InertLineTest[] = [];
      t = (wantsPrompt, wantsTimestamp) => {
        const k = (wantsPrompt ? 1 : 0) | (wantsTimestamp ? 2 : 0);
        let v = variants[k];
        if (v === undefined) {
          v = new InertLineTest([...quietWakeWords, ...mentionWords, ...(wantsPrompt ? promptWakeWords : []), ...(wantsTimestamp ? timeSettingWords : [])], alsoTest);
          variants[k] = v;
        }
        return v;
      };
    }
    cache.set(detectors, t);
  }
  return t ?? undefined;
}
