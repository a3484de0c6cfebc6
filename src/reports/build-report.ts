// A finished segment of lines -> Report: title, type, corruption, frames and
// the metadata the report prints.
import type { LogLine } from '../model/log-line.js';
import type { Report } from '../model/report.js';
import { corruptionReason } from './corruption.js';
import { crashTypeOf } from './crash-types.js';
import { describeReport } from './describe.js';
import type { OopsFamily } from './formats/types.js';
import { parseFrameLine, parsePcLine } from './frames.js';
import { guiltyFileOf } from './guilty-file.js';
import {
  decodeTaint,
  guessArch,
  parseHardware,
  parseLocation,
  parseModules,
  parsePageDumpReason,
  parseRegisters,
  parseTaskLine,
} from './metadata.js';
import { reclassify } from './reclassify.js';
import { mainStack, parseStacks } from './stacks.js';

/** What the segmenter hands over for one report. */
export interface Segment {
  family: OopsFamily;
  source: string;
  lines: LogLine[];
  /** Lines from this index on are kept as raw lines but not used for the title (panic tail). */
  analysisEnd: number;
  preceding: string[];
  /** Kernel release from a "Linux version" banner seen earlier in the source. */
  bannerVersion?: string;
  bannerBuild?: string;
  /** Lines of the next report of the same task, read only to find a title frame (see the segmenter). */
  lookahead?: LogLine[];
}

// x86 unreliable frames ("? foo+0x1/0x2") are not part of the analysed text (syzkaller drops them), except in <EOI> lines.
const questionableRe = /(?:\[<[0-9a-f]+>\])? \? /;
const skipLineRe = /Disabling lock debugging due to kernel taint/;
// GCE serial console drop: the report after it is truncated.
const consoleHangupRe = /serialport: VM disconnected\./;
// Lines that show a report is real kernel output and not prose quoting a header.
const corroborationRe = /(?:Read|Write) of size \d+ at addr [0-9a-f]+|Call [Tt]race|------------\[ cut here \]------------|CPU: \d+ (?:UID: \d+ )?PID: \d+|RIP: |pc : |NIP |Modules linked in:|Backtrace:|backtrace:/;
// The line number of a location, "fs/xfs/xfs_aops.c:971" -> "fs/xfs/xfs_aops.c".
const lineNumberRe = /:\d+$/;

/** Regexes this module applies to report lines (the ReDoS audit runs them on adversarial input). */
export const buildReportRegexes: readonly RegExp[] = [questionableRe, skipLineRe, consoleHangupRe, corroborationRe, lineNumberRe];

function analysisLines(seg: Segment, withLookahead: boolean): { texts: string[]; lineNos: number[] } {
  const texts: string[] = [];
  const lineNos: number[] = [];
  const more = withLookahead && seg.lookahead !== undefined && seg.analysisEnd >= seg.lines.length;
  const lines = more ? [...seg.lines, ...seg.lookahead!] : seg.lines;
  const end = more ? lines.length : seg.analysisEnd;
  for (let i = 0; i < end && i < lines.length; i++) {
    const l = lines[i]!;
    if (i > 0) {
      if (skipLineRe.test(l.text)) continue;
      if (l.time !== undefined && questionableRe.test(l.text) && !l.text.includes('<EOI>')) continue;
    }
    texts.push(l.text);
    lineNos.push(l.lineNo);
  }
  return { texts, lineNos };
}

/** True when the report carries kernel provenance or corroborating lines (not just a header in prose). */
function isCorroborated(seg: Segment): boolean {
  if (seg.preceding.some((l) => corroborationRe.test(l))) return true;
  return seg.lines.some((l, i) => i > 0 && corroborates(l.text));
}

/** A line that shows a header without kernel provenance is a real report (see buildReport). */
export function corroborates(text: string): boolean {
  return corroborationRe.test(text) || parseFrameLine(text) !== null;
}

/** A preceding line that does (a "cut here" line, a "CPU: N PID: N" line). */
export function corroboratesBefore(text: string): boolean {
  return corroborationRe.test(text);
}

export function buildReport(seg: Segment, index: number): Report | null {
  const header = seg.lines[0]!;
  // The title may read on into the next report of the same task (lookahead); the frames and
  // metadata of this report come from its own lines only.
  const titleText = analysisLines(seg, true);
  const { texts, lineNos } = seg.lookahead ? analysisLines(seg, false) : titleText;
  const desc = describeReport(titleText.texts, seg.family, titleText.lineNos);
  // A header without kernel provenance (no printk timestamp or kernel log origin) whose title is
  // only the raw line or a "corrupted" placeholder may be prose ("... the following WARNING:");
  // such a report is kept only with corroborating lines (a trace, registers, "cut here").
  if (!header.kernel && (!desc.format || desc.format.corrupted) && !isCorroborated(seg)) return null;
  const rawLines = seg.lines.map((l) => l.text);
  let corrupted = desc.corruptedReason ?? corruptionReason(desc.title, titleText.texts, desc.format, desc.guiltyFunction !== undefined);
  if (!corrupted && rawLines.some((l) => consoleHangupRe.test(l))) corrupted = 'console disconnected';
  const stacks = parseStacks(texts, lineNos);
  const main = mainStack(stacks);
  const task = parseTaskLine(rawLines);
  const location = parseLocation(header.text);
  const crashType = crashTypeOf(desc.title);
  const report: Report = {
    kind: 'report',
    source: seg.source,
    index,
    title: desc.title,
    altTitles: desc.altTitles,
    crashClass: desc.format?.crashClass ?? seg.family.crashClass,
    crashType,
    severity: seg.family.severity,
    syzbotCompatible: seg.family.syzbot !== false,
    header: header.text.trim(),
    frames: main?.frames ?? [],
    stacks,
    taintFlags: decodeTaint(task?.taint),
    registers: parseRegisters(rawLines),
    modules: parseModules(rawLines),
    startLine: header.lineNo,
    endLine: seg.lines[seg.lines.length - 1]!.lineNo,
    precedingLines: seg.preceding,
    rawLines,
    corrupted: corrupted !== undefined,
    panicked: rawLines.some((l) => l.includes('Kernel panic - not syncing')),
  };
  if (corrupted !== undefined) report.corruptedReason = corrupted;
  if (desc.guiltyFunction !== undefined) report.guiltyFunction = desc.guiltyFunction;
  const pc = firstPcFrame(texts);
  if (pc) report.pc = pc;
  const gf = desc.guiltyFrame ?? guiltyFrameFromPc(texts, desc.guiltyFunction);
  if (gf) report.guiltyFrame = gf;
  if (location !== undefined) report.location = location;
  const gfile = guiltyFileOf(desc.title, texts) ?? location?.replace(lineNumberRe, '');
  if (gfile !== undefined) report.guiltyFile = gfile;
  if (task?.cpu !== undefined) report.cpu = task.cpu;
  if (task?.pid !== undefined) report.pid = task.pid;
  if (task?.comm !== undefined) report.comm = task.comm;
  if (task?.taint !== undefined) report.taint = task.taint;
  const version = task?.kernelVersion ?? seg.bannerVersion;
  if (version !== undefined) report.kernelVersion = version;
  const build = task?.kernelVersion !== undefined ? task.buildTag : seg.bannerBuild;
  if (build !== undefined) report.buildTag = build;
  const hw = parseHardware(rawLines);
  if (hw !== undefined) report.hardware = hw;
  const arch = guessArch(rawLines, version);
  if (arch !== undefined) report.arch = arch;
  const pd = parsePageDumpReason([...seg.preceding, ...rawLines]);
  if (pd !== undefined) report.pageDumpReason = pd;
  if (header.quoteDepth !== undefined) report.quoteDepth = header.quoteDepth;
  if (header.time !== undefined) report.time = header.time;
  if (header.wallTime !== undefined) report.wallTime = header.wallTime;
  return reclassify(report);
}

/** The frame of the guilty function when it came from a PC line ("RIP: 0010:foo+0x1/0x2"). */
function guiltyFrameFromPc(texts: readonly string[], fn: string | undefined): Report['guiltyFrame'] {
  if (!fn) return undefined;
  for (const t of texts) {
    const pc = parsePcLine(t);
    if (pc?.frame && pc.frame.function.split('.')[0] === fn) return pc.frame;
  }
  return undefined;
}

/** The first PC line of the report that names a kernel function. */
function firstPcFrame(texts: readonly string[]): Report['pc'] {
  for (const t of texts) {
    const pc = parsePcLine(t);
    if (pc) return pc.frame ?? undefined;
  }
  return undefined;
}
