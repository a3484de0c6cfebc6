// Every regular expression the analysis applies to text from the input, collected
// from the modules' own tables and exported lists (for the ReDoS audit).
import { builtinDetectors } from '../../src/detectors/index.js';
import { mentionPrefilter } from '../../src/findings/run-detectors.js';
import { kernelVersionRegexes } from '../../src/detectors/kernel-version.js';
import { htmlTextRegexes } from '../../src/mail/html-text.js';
import { messageRegexes } from '../../src/mail/message.js';
import { mimePartsRegexes } from '../../src/mail/mime-parts.js';
import { prepareTextRegexes } from '../../src/mail/prepare-text.js';
import { sniffRegexes } from '../../src/input/sniff.js';
import { tarRegexes } from '../../src/input/tar.js';
import { dmesgJsonRegexes } from '../../src/parsers/dmesg-json.js';
import { journalEntryRegexes } from '../../src/parsers/journal-entry.js';
import { kmsgEscapeRegexes } from '../../src/parsers/kmsg-escape.js';
import { normalizeLineRegexes } from '../../src/parsers/normalize-line.js';
import { prefixRegexes } from '../../src/parsers/prefixes.js';
import { buildReportRegexes } from '../../src/reports/build-report.js';
import { corruptionRegexes } from '../../src/reports/corruption.js';
import { describeRegexes } from '../../src/reports/describe.js';
import { families, formatRegexes } from '../../src/reports/formats/index.js';
import { frameRegexes } from '../../src/reports/frames.js';
import { guiltyFileRegexes } from '../../src/reports/guilty-file.js';
import { guiltyFrameRegexes } from '../../src/reports/guilty-frame.js';
import { metadataRegexes } from '../../src/reports/metadata.js';
import { titleRegexes } from '../../src/reports/normalize-title.js';
import { reclassifyRegexes } from '../../src/reports/reclassify.js';
import { segmentRegexes } from '../../src/reports/segment.js';
import { skipRegex } from '../../src/reports/skip-frames.js';
import { stackRegexes } from '../../src/reports/stacks.js';
import { traceRegexes } from '../../src/trace/trace-regexes.js';
import { buildRegexes } from '../../src/kb/build.js';
import { diffRegexes } from '../../src/kb/diff.js';
import { kbFileRegexes } from '../../src/kb/file.js';
import { fromMailRegexes } from '../../src/kb/from-mail.js';
import { gitLogRegexes } from '../../src/kb/git-log.js';
import { matchRegexes } from '../../src/kb/match.js';
import { mentionRegexes } from '../../src/kb/mentions.js';
import { splatRegexes } from '../../src/kb/splats.js';
import { subjectRegexes } from '../../src/kb/subject.js';
import { tagRegexes } from '../../src/kb/tags.js';
import { trimmedTraceRegexes } from '../../src/kb/trimmed-trace.js';
import { bootRegexes } from '../../src/boot/boot-tracker.js';
import { quietLinesRegexes } from '../../src/quiet/quiet-lines.js';

export interface AuditedRegex {
  /** Where it comes from (module or table). */
  from: string;
  re: RegExp;
  /**
   * True when the regex only sees report lines, which the segmenter cuts at DEFAULT_MAX_LINE_CHARS;
   * false when it sees whole input lines (up to the 1 MiB line cap) or whole mail text.
   */
  reportLinesOnly: boolean;
}

/** Identity of a regex for matching runtime observations: source and the flags that change what matches. */
export function regexKey(re: RegExp): string {
  return `/${re.source}/${re.flags.replace(/[gyd]/g, '')}`;
}

/** The regexes of the built-in detectors' signatures and mention rules (compiled as the matcher compiles them). */
function detectorRegexes(): RegExp[] {
  const out: RegExp[] = [];
  for (const d of builtinDetectors) {
    for (const s of d.meta.signatures) {
      for (const src of [s.title, s.location, s.guiltyFunction, s.pageDumpReason, s.forbiddenComm, ...(s.frames ?? []), ...(s.forbiddenFrames ?? [])]) {
        if (src !== undefined) out.push(new RegExp(src));
      }
    }
    for (const m of d.meta.mentions) for (const src of [...m.all, ...(m.any ?? [])]) out.push(new RegExp(src));
  }
  out.push(mentionPrefilter(builtinDetectors));
  return out;
}

/** Frame-skip regexes: the global list and each format's own additions. */
function skipRegexes(): RegExp[] {
  const out = [skipRegex()];
  for (const fam of families) for (const f of fam.formats) if (f.stack) out.push(skipRegex(f.stack.skip));
  return out;
}

export function auditedRegexes(): AuditedRegex[] {
  // Whole input lines and mail text first: a regex listed there too is audited as such.
  const wholeLines: Array<[string, readonly RegExp[]]> = [
    ['parsers/normalize-line', normalizeLineRegexes],
    ['parsers/prefixes', prefixRegexes],
    ['parsers/dmesg-json', dmesgJsonRegexes],
    ['parsers/journal-entry', journalEntryRegexes],
    ['parsers/kmsg-escape', kmsgEscapeRegexes],
    ['input/sniff', sniffRegexes],
    ['input/tar', tarRegexes],
    ['detectors (built-in signatures and mentions)', detectorRegexes()],
    ['mail/prepare-text', prepareTextRegexes],
    ['mail/html-text', htmlTextRegexes],
    ['mail/message', messageRegexes],
    ['mail/mime-parts', mimePartsRegexes],
    ['trace (parsers, sniffing, trace detectors)', traceRegexes],
    // ktriage kb build reads whole mail bodies and git log lines.
    ['kb/build', buildRegexes],
    ['kb/diff', diffRegexes],
    ['kb/file', kbFileRegexes],
    ['kb/from-mail', fromMailRegexes],
    ['kb/git-log', gitLogRegexes],
    ['kb/match', matchRegexes],
    ['kb/mentions', mentionRegexes],
    ['kb/splats', splatRegexes],
    ['kb/subject', subjectRegexes],
    ['kb/tags', tagRegexes],
    ['kb/trimmed-trace', trimmedTraceRegexes],
    ['boot/boot-tracker', bootRegexes],
    ['quiet/quiet-lines', quietLinesRegexes],
  ];
  const reportLines: Array<[string, readonly RegExp[]]> = [
    ['reports/segment', segmentRegexes],
    ['reports/formats', formatRegexes()],
    ['reports/build-report', buildReportRegexes],
    ['reports/describe', describeRegexes],
    ['reports/normalize-title', titleRegexes],
    ['reports/frames', frameRegexes],
    ['reports/guilty-frame', guiltyFrameRegexes],
    ['reports/skip-frames', skipRegexes()],
    ['reports/guilty-file', guiltyFileRegexes],
    ['reports/metadata', metadataRegexes],
    ['reports/stacks', stackRegexes],
    ['reports/corruption', corruptionRegexes],
    ['reports/reclassify', reclassifyRegexes],
    ['detectors/kernel-version', kernelVersionRegexes],
  ];
  const seen = new Set<string>();
  const out: AuditedRegex[] = [];
  for (const [lists, reportLinesOnly] of [[wholeLines, false], [reportLines, true]] as const) {
    for (const [from, list] of lists) {
      for (const re of list) {
        const key = `${regexKey(re)}${re.sticky ? 'y' : ''}${re.global ? 'g' : ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ from, re, reportLinesOnly });
      }
    }
  }
  return out;
}
