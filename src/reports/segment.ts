// Streaming LogLine -> Report segmentation. Reports are tracked per printk
// context (caller id, or the console; email quote depth separates too), so
// interleaved output of several tasks yields separate reports. Memory is
// bounded: only open reports and the lines of the last 128 input lines that may
// precede a report (recent-lines.ts) are kept.
import type { LogLine } from '../model/log-line.js';
import type { Report } from '../model/report.js';
import { buildReport, corroborates, corroboratesBefore, type Segment } from './build-report.js';
import { anyHeaderRe, continuesOpenReport, familyOf } from './formats/index.js';
import type { OopsFamily } from './formats/types.js';
import { isStackStart } from './guilty-frame.js';
import { bannerRe } from './metadata.js';
import { RecentLines } from './recent-lines.js';

export interface SegmenterOptions {
  /** A report longer than this is closed (RCU stall dumps with all-CPU backtraces can be long). */
  maxReportLines?: number;
  /** Longest line kept inside a report; printk lines are at most 1024 bytes. */
  maxLineChars?: number;
  /** Reports open at the same time (one per printk context); the oldest is closed beyond this. */
  maxOpenReports?: number;
}

interface Open {
  family: OopsFamily;
  ctx: string;
  group: string;
  lines: LogLine[];
  analysisEnd: number | null;
  preceding: string[];
  /** An end marker was seen: only a panic tail may still attach. */
  closing: boolean;
  /** Unrelated lines seen since the end marker. */
  graceUsed: number;
  cpuTraceback: boolean;
  sawTrace: boolean;
  sawFrame: boolean;
  /** Consecutive unindented non-frame lines since the last line that looked like part of a report. */
  junkRun: number;
  /**
   * The header has kernel provenance, or a line so far corroborates it (buildReport keeps a header
   * without either only when a title format matches it).
   */
  corroborated: boolean;
  /**
   * The previous report of the same task context, when its title needed frames it did not have:
   * like syzkaller, its title analysis continues into this report's lines.
   */
  pendingPrev?: Segment;
}

/** Default of SegmenterOptions.maxLineChars: report lines are cut here, which bounds the work per line. */
export const DEFAULT_MAX_LINE_CHARS = 2048;

// After a call trace, this many consecutive unrelated lines end a report that has no end marker
// (lockdep, hung task and RCU stall reports print none).
const JUNK_LIMIT = 40;
// An untimestamped header that no title format matches and nothing has corroborated after this many
// lines is dropped at once: buildReport would drop it when it ends. Firmware prints such lines
// ("WARNING: RO_VPD is uninitialized or empty." from depthcharge); kept open, they took in the
// next thousand lines of a KernelCI boot log until the next header.
const UNCORROBORATED_LINES = 40;
// mm/slub.c print_trailer()/print_section(): "Redzone  ffff888101233c00: cc cc ..", "Object 0x... @offset=0".
const slabDumpRe = /^(?:Object|Redzone|Padding|Bytes b4) +[0-9a-f]{8,16}: |@offset=\d/;
// Lines of other messages tolerated between an end marker and the panic tail of the same oops.
const CLOSING_GRACE = 12;

// kernel/panic.c print_oops_end_marker "---[ end trace 0000000000000000 ]---".
const endTraceRe = /---\[ end trace [0-9a-f]+ \]---/;
// kernel/panic.c panic(): "---[ end Kernel panic - not syncing: ... ]---".
const endPanicRe = /---\[ end Kernel panic/;
// KASAN/KFENCE/KMSAN/UBSAN reports are framed by a row of "=".
const sanitizerRuleRe = /^={40,}\s*$/;
// What may follow an end marker and still belong to the report.
const panicTailRe = /Kernel panic - not syncing|Kernel Offset:|Rebooting in \d+ seconds|---\[ end Kernel panic|Dumping ftrace buffer|Shutting down cpus with NMI|Disabling lock debugging|^\s*$|RIP: |Code: |RSP: |R[A-Z0-9]{2}: |FS: |CS: |CR2: |DR[0-9]: |---\[ end trace/;
// Lines that count as part of a report for the end-of-report heuristic: indented lines, registers,
// hex dumps, and the vocabulary of oops, KASAN, lockdep, hung-task and RCU reports.
const reportLikeRe =
  /^\s|^[A-Z0-9]{2,5}: |^[0-9a-f]{4,16}: |^Register |^Process |^Stack: |Call [Tt]race|^<|^-> |lock|CPU|Hardware name|Modules linked in|Workqueue|Code:|task:|INFO:|NMI|rcu|^#\d|^\[|buggy address|Memory state|belongs to|Allocated by|Freed by|(?:Read|Write) of size|backtrace|other info|unsafe|Chain exists|held by|Showing|hex dump|page dumped|is trying to|already holding|Object|Redzone|Padding|unreferenced|---|===|\+0x/;
// Prose in a mail around a quoted or pasted splat: mostly lower-case words.
const blanksRe = /\s+/;
const proseWordRe = /^[a-z][a-z'-]*[,.;:!?)]*$/;
function isProse(text: string): boolean {
  const tokens = text.trim().split(blanksRe);
  if (tokens.length < 5) return false;
  let words = 0;
  for (const t of tokens) if (proseWordRe.test(t)) words++;
  return words / tokens.length >= 0.7;
}
// The last line of a report that is in the middle of its trace or register dump.
const midTraceRe = /\+0x[0-9a-f]+\/0x[0-9a-f]+|^[A-Z0-9]{2,5}: |Call [Tt]race:/;
// The lockdep report an oops often triggers; after enough lines it is part of the oops.
const circularRe = /WARNING: possible circular locking dependency detected/;
const panicRe = /Kernel panic - not syncing/;
// Mail clients re-wrap long lines: "WARNING: CPU: 3 PID: 1 at fs/xfs/xfs_aops.c:971" + "   xfs_vm_writepage+0x5ce/0x630 [xfs]()".
const wrappedHeaderRe = /(?:WARNING: .* at|kernel BUG at) \S+:\d+!?\s*$/;
const wrappedTailRe = /^\s+([A-Za-z_][\w.]*\+0x[0-9a-f]+\/0x[0-9a-f]+.*)$/;
// Messages that carry a stack but are no bug; inside a console report they mean another message
// interleaved, so the title text stops there (syzkaller infoMessagesWithStack).
const infoWithStackRe = /vmalloc: allocation failure:|FAULT_INJECTION: forcing a failure|FAULT_FLAG_ALLOW_RETRY missing/;
// printk replays a message cut by a console race; the header before it is incomplete.
const replayRe = /\*\* replaying previous printk message \*\*/;
// Intentional shutdowns and reboots: a following boot is not an "unexpected kernel reboot".
const shutdownRe = /reboot: (?:Restarting system|Power down|System halted)|Kernel panic - not syncing/;
// KMSAN reports are shorter before their panic tail (see cutAt).
const kmsanHeaderRe = /BUG: KMSAN:/;
// A symbolized header that ends in an inline function: the real header follows.
const inlineHeaderRe = /\[inline\]\s*$/;
// lib/nmi_backtrace.c: an all-CPU backtrace follows, printed in CPU contexts.
const nmiBacktraceRe = /Sending NMI from CPU/;
const frameOffsetRe = /\+0x[0-9a-f]+\/0x[0-9a-f]+/;
/**
 * Lines of a mail that end a pasted splat at once: the "---" before a patch's diffstat or
 * syzbot's footer, a signature delimiter, a diff, patch tags, syzbot commands. The kernel
 * never prints them at the start of a line (its separators are "---[ ... ]---").
 */
// A syzbot title alone on a line: words, then " in " and one identifier. KCSAN prints
// "BUG: KCSAN: data-race in foo / bar" without offsets, so it is excluded by the caller.
const syzbotTitleLineRe = /^[A-Za-z][\w :,'()-]* in [A-Za-z_][\w.]*$/;
const kcsanRe = /KCSAN/;
const wrappedOffsetRe = /^\s*\+0x[0-9a-f]+\/0x[0-9a-f]+(?:\s|$)/;
const endsWithNameRe = /[\w.]$/;
// \u2018 and \u201c: typographic opening quotes (escaped: the bundle stays ASCII).
const quoteCharRe = /["'`\u2018\u201c]/;
const sentenceEndRe = /^[.!?]\)?\s*$/;
const mailBoundaryRe = /^(?:---|-- )$|^diff --git |^(?:Signed-off-by|Reported-by|Fixes|Closes|Link|Cc|Acked-by|Reviewed-by|Tested-by|Suggested-by|Co-developed-by|Reported-and-tested-by): |^#syz |^This report is generated by a bot/;

/**
 * What push() looks for on a line while quiet, besides the headers (formats headerWords): the
 * boot banner (trackBoot), shutdownRe and replayRe. A line holding none of them only becomes a
 * possible preceding line (see quietLine).
 */
export const segmentWakeWords: readonly string[] = ['Linux version ', 'reboot: ', 'Kernel panic - not syncing', '** replaying previous printk message **'];

/** Regexes this module applies to input lines (the ReDoS audit runs them on adversarial input). */
export const segmentRegexes: readonly RegExp[] = [
  endTraceRe, endPanicRe, sentenceEndRe, sanitizerRuleRe, panicTailRe, reportLikeRe, blanksRe, proseWordRe, midTraceRe, circularRe, panicRe,
  wrappedHeaderRe, wrappedTailRe, infoWithStackRe, replayRe, shutdownRe, kmsanHeaderRe, inlineHeaderRe, nmiBacktraceRe, frameOffsetRe,
  mailBoundaryRe, syzbotTitleLineRe, kcsanRe, quoteCharRe, wrappedOffsetRe, endsWithNameRe, slabDumpRe,
];

/**
 * Could `line` be the rest of header `h` printed or wrapped onto a second line? Both carry the same
 * printk timestamp and caller (the kernel printed a newline inside the header), or neither has a
 * timestamp (a mail client wrapped it: "general protection fault, probably for non-canonical
 * address" + "0xdffffc0000000001: 0000 [#1] SMP KASAN"), or a mail client wrapped a timestamped
 * line and the rest has none ("Creating journal (262144 blocks): [   35.502102] BUG: kernel NULL"
 * + "pointer dereference, address: 000000c8": a console line glued behind mkfs's output).
 */
function sameOrigin(h: LogLine, line: LogLine): boolean {
  if (h.time !== undefined) return (line.time === h.time && line.caller === h.caller) || (!timestamped(line) && line.quoteDepth === h.quoteDepth);
  return !timestamped(h) && !timestamped(line) && h.quoteDepth === line.quoteDepth;
}

/** A printk timestamp or a wall-clock time (syslog, journal, CI): the line came from a log, not from prose. */
function timestamped(l: LogLine): boolean {
  return l.time !== undefined || l.wallTime !== undefined;
}

/**
 * A syzbot title alone on a line, as mail cites it ("BUG: unable to handle kernel NULL pointer
 * dereference in generic_perform_write" in syzbot's "tested the patch" replies): the kernel
 * prints an address, an offset or a path. Dropped when nothing followed it (a real header
 * wrapped by a mail client, "BUG: KASAN: use-after-free in foo" + "+0x70/0xa0", looks the same).
 */
function citedTitle(line: LogLine): boolean {
  if (timestamped(line)) return false;
  const t = line.text.trim();
  return syzbotTitleLineRe.test(t) && !kcsanRe.test(t);
}

/**
 * A header in quotation marks: prose naming a message ('it seems the "Kernel panic - not syncing: ..."'),
 * or a header word that ends a sentence ("... causing a kernel BUG."): the kernel never prints a
 * header with nothing after it but a full stop.
 */
function quotedHeader(line: LogLine): boolean {
  if (timestamped(line)) return false;
  const m = anyHeaderRe.exec(line.text);
  if (m === null || m.index === 0) return false;
  return quoteCharRe.test(line.text.charAt(m.index - 1)) || sentenceEndRe.test(line.text.slice(m.index + m[0].length));
}

/** Two header lines that agree up to their function name. */
function sameHeaderStart(a: string, b: string): boolean {
  const at = a.indexOf(' at ');
  return at > 0 && b.startsWith(a.slice(0, at + 4));
}

function ctxOf(l: LogLine): string {
  const q = l.quoteDepth ? `>${l.quoteDepth}` : '';
  if (l.fromKernelLog === false) return `user${q}`;
  if (l.caller) return `${l.caller}${q}`;
  return `${timestamped(l) ? 'console' : 'plain'}${q}`;
}

/** Console and un-timestamped lines share one group: a header in either closes the other's report. */
function groupOf(ctx: string, l: LogLine): string {
  if (l.caller && l.fromKernelLog !== false) return ctx;
  return `main${l.quoteDepth ? `>${l.quoteDepth}` : ''}`;
}

export class ReportSegmenter {
  private readonly open = new Map<string, Open>();
  private readonly recent: RecentLines;
  private index = 0;
  private bannerVersion: string | undefined;
  private bannerBuild: string | undefined;
  private kernelRunning = false;
  private shutdownSeen = false;
  /** Group of the report started last (for the printk replay marker). */
  private lastStarted: string | undefined;
  private readonly maxLines: number;
  private readonly maxChars: number;
  private readonly maxOpen: number;

  constructor(
    readonly source: string,
    opts: SegmenterOptions = {},
    /** Normalises a line the caller skipped (see quietLine), when a header looks back over it. */
    private readonly normalizeRaw?: (raw: string, lineNo: number) => LogLine | null,
  ) {
    this.maxLines = opts.maxReportLines ?? 3000;
    this.maxChars = opts.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
    this.maxOpen = opts.maxOpenReports ?? 64;
    this.recent = new RecentLines((raw, lineNo) => {
      const line = this.normalizeRaw?.(raw, lineNo);
      return line ? { ctx: ctxOf(line), text: line.text.length > this.maxChars ? line.text.slice(0, this.maxChars) : line.text } : null;
    });
  }

  /**
   * Nothing is open: a line that is no header, banner, shutdown or replay marker only becomes a
   * possible preceding line (see quietLine), unless wantsTimestamp.
   */
  get quiet(): boolean {
    return this.open.size === 0;
  }

  /** No printk timestamp seen yet: a line with one sets kernelRunning (prefixes.ts timeSettingWords). */
  get wantsTimestamp(): boolean {
    return !this.kernelRunning;
  }

  /**
   * Takes a line the caller did not normalise, while quiet, that holds none of segmentWakeWords:
   * what push() would do with it. The constructor's normalizeRaw gives its LogLine if a header
   * later looks back over it.
   */
  quietLine(lineNo: number, raw: string): void {
    this.recent.rememberRaw(lineNo, raw);
  }

  /** Feeds one line; returns the reports it completed. */
  push(line: LogLine): Report[] {
    const out: Report[] = [];
    const text = line.text;
    if (text.length > this.maxChars) line = { ...line, text: text.slice(0, this.maxChars) };
    const ctx = ctxOf(line);
    const group = groupOf(ctx, line);
    this.trackBoot(line, out);

    let fam = line.fromKernelLog === false ? undefined : familyOf(line.text);
    // Checked only on header lines: it looks the header up again to see what precedes it.
    if (fam && quotedHeader(line)) fam = undefined;
    if (fam?.id === 'reboot' && !(this.kernelRunning && !this.shutdownSeen)) fam = undefined;
    if (shutdownRe.test(line.text)) this.shutdownSeen = true;

    if (replayRe.test(line.text)) {
      // The last header was cut by a console race and is printed again: drop the partial report.
      const last = this.lastStarted === undefined ? undefined : this.open.get(this.lastStarted);
      if (last && last.lines.length === 1 && !last.pendingPrev) this.open.delete(this.lastStarted!);
      return out;
    }
    let open = this.open.get(group);
    if (open?.closing && (open.ctx === ctx || fam)) {
      if (open.ctx === ctx && (panicTailRe.test(line.text) || (fam && continuesOpenReport(line.text, open.lines[0]!.text)))) {
        this.append(open, line);
        if (panicRe.test(line.text)) open.closing = false;
        if (endPanicRe.test(line.text)) this.finish(group, out);
        return out;
      }
      // Other drivers keep printing between the end marker and the panic that follows an oops.
      if (!fam && open.ctx === ctx && ++open.graceUsed <= CLOSING_GRACE) {
        this.remember(ctx, line);
        return out;
      }
      this.finish(group, out);
      open = undefined;
    }
    if (fam) {
      if (open) {
        // With panic_on_warn the panic repeats the stack: once the report has enough lines of its
        // own, the panic (and a lockdep report the oops provoked) is kept but not used for the title.
        const cutAt = kmsanHeaderRe.test(open.lines[0]!.text) ? 16 : 22;
        // A header that would continue a report nothing has shown to be one starts its own
        // ("WARNING: RO_VPD is uninitialized or empty." from firmware, then an untimestamped panic),
        // unless it is a syzbot title cited in mail (a list of them is no report either way).
        // The open family's end line is its own last line even when it is a header too (the OOM
        // killer's verdict, which the 'oom-kill' family reads when it comes alone).
        const ends = open.family.endRe?.test(line.text) === true;
        if (open.ctx === ctx && (ends || continuesOpenReport(line.text, open.lines[0]!.text)) && (citedTitle(line) || !this.hopeless(open, 0))) {
          this.append(open, line);
          if (panicRe.test(line.text) && open.lines.length > cutAt && open.analysisEnd === null) open.analysisEnd = open.lines.length - 1;
          if (ends) this.finish(group, out);
          return out;
        }
        if (circularRe.test(line.text) && open.ctx === ctx && open.lines.length > cutAt) {
          this.append(open, line);
          if (open.analysisEnd === null) open.analysisEnd = open.lines.length - 1;
          return out;
        }
        // Symbolized reports repeat the header when the PC is in an inline function:
        // "WARNING: ... at lib/x.c:38 spin_unlock include/linux/spinlock.h:404 [inline]" + the real one.
        if (open.lines.length === 1 && open.ctx === ctx && inlineHeaderRe.test(open.lines[0]!.text) && sameHeaderStart(open.lines[0]!.text, line.text)) {
          open.lines[0] = line;
          return out;
        }
        // A header from a family syzbot does not know (OOM, MSR errors) in the middle of a call
        // trace is another CPU's output interleaved; the open report goes on.
        if (fam.syzbot === false && open.ctx === ctx && !open.closing && midTraceRe.test(open.lines[open.lines.length - 1]!.text)) {
          this.appendBody(open, group, line, out);
          return out;
        }
        const prev = this.finish(group, out, open.ctx === ctx && line.caller?.startsWith('T') === true);
        this.start(fam, line, ctx, group, out);
        if (prev) this.open.get(group)!.pendingPrev = prev;
        return out;
      }
      this.start(fam, line, ctx, group, out);
      return out;
    }
    if (open && (open.ctx === ctx || (open.cpuTraceback && line.caller?.startsWith('C')))) {
      this.appendBody(open, group, line, out);
      return out;
    }
    // The untimestamped rest of a timestamped header a mail client wrapped (see sameOrigin). The
    // header may be in a caller's context ("[   35.502102][  T145] BUG: kernel NULL").
    if (!timestamped(line) && line.fromKernelLog !== false) {
      const last = this.lastStarted === undefined ? undefined : this.open.get(this.lastStarted);
      for (const o of open === last ? [open] : [open, last]) {
        if (o && o.lines.length === 1 && sameOrigin(o.lines[0]!, line) && this.joinHeader(o, line)) return out;
      }
    }
    // An all-CPU backtrace of a task-context report continues in CPU contexts.
    if (line.caller?.startsWith('C')) {
      for (const [g, o] of this.open) {
        if (o.cpuTraceback && !o.closing) {
          this.appendBody(o, g, line, out);
          return out;
        }
      }
    }
    this.remember(ctx, line);
    return out;
  }

  /** Ends the input: every open report is completed. */
  end(): Report[] {
    const out: Report[] = [];
    const groups = [...this.open.entries()].sort((a, b) => a[1].lines[0]!.lineNo - b[1].lines[0]!.lineNo).map(([g]) => g);
    for (const g of groups) this.finish(g, out);
    return out;
  }

  /** Number of reports still open (follow mode uses it to decide when to flush). */
  get openCount(): number {
    return this.open.size;
  }

  private trackBoot(line: LogLine, out: Report[]): void {
    if (line.fromKernelLog === false) return;
    if (line.time !== undefined && line.prefixes.includes('printk-time')) this.kernelRunning = true;
    if (!line.text.includes('Linux version ')) return;
    const m = bannerRe.exec(line.text);
    if (!m) return;
    // A new boot: whatever was open belongs to the previous one.
    for (const g of [...this.open.keys()]) if (!this.open.get(g)!.lines[0]!.caller) this.finish(g, out);
    this.bannerVersion = m[1] ?? m[3];
    this.bannerBuild = m[2]?.trim();
    this.shutdownSeen = false;
  }

  private remember(ctx: string, line: LogLine): void {
    this.recent.remember(line.lineNo, ctx, line.text);
  }

  private start(family: OopsFamily, line: LogLine, ctx: string, group: string, out: Report[]): void {
    if (this.open.size >= this.maxOpen) {
      const oldest = [...this.open.entries()].sort((a, b) => a[1].lines[0]!.lineNo - b[1].lines[0]!.lineNo)[0];
      if (oldest) this.finish(oldest[0], out);
    }
    this.lastStarted = group;
    const preceding = this.recent.take(ctx, line.lineNo);
    this.open.set(group, {
      family,
      ctx,
      group,
      lines: [line],
      analysisEnd: null,
      preceding,
      closing: false,
      graceUsed: 0,
      cpuTraceback: false,
      sawTrace: false,
      sawFrame: false,
      junkRun: 0,
      corroborated: line.kernel || preceding.some(corroboratesBefore),
    });
  }

  private append(open: Open, line: LogLine): void {
    open.lines.push(line);
    // A slab dump is no corroboration for buildReport, but the report must not be cut before its
    // trace: slub_debug prints a 1 KB object in 64 rows before "CPU: ... PID" and the call trace.
    if (!open.corroborated && (corroborates(line.text) || slabDumpRe.test(line.text))) open.corroborated = true;
  }

  /** The report can only come to nothing: see UNCORROBORATED_LINES. */
  private hopeless(open: Open, minLines = UNCORROBORATED_LINES): boolean {
    if (open.corroborated || open.lines.length < minLines) return false;
    const h = open.lines[0]!.text;
    if (open.family.formats.some((f) => f.title.test(h))) {
      open.corroborated = true; // A format matches: decided by buildReport at the end, as before.
      return false;
    }
    return true;
  }

  private appendBody(open: Open, group: string, line: LogLine, out: Report[]): void {
    const text = line.text;
    if (!timestamped(line) && mailBoundaryRe.test(text)) {
      this.finish(group, out);
      this.remember(open.ctx, line);
      return;
    }
    if (open.lines.length === 1 && this.joinHeader(open, line)) return;
    this.append(open, line);
    if (open.analysisEnd === null && !line.caller && infoWithStackRe.test(text)) open.analysisEnd = open.lines.length - 1;
    if (nmiBacktraceRe.test(text)) open.cpuTraceback = true;
    // The end-of-report heuristic starts once a call trace has printed frames.
    if (open.sawTrace && frameOffsetRe.test(text)) open.sawFrame = true;
    if (!open.sawTrace && isStackStart(text)) open.sawTrace = true;
    if (endPanicRe.test(text) || open.family.endRe?.test(text) || this.hopeless(open)) {
      this.finish(group, out);
      return;
    }
    if (endTraceRe.test(text) || (sanitizerRuleRe.test(text) && open.lines.length > 3)) open.closing = true;
    // End-of-report heuristic: kernel reports without an end marker (lockdep, hung task, RCU stall)
    // stop after a run of unrelated kernel lines once their trace is printed; a splat pasted or quoted
    // in mail stops at the prose that follows it.
    const stamped = timestamped(line);
    const junk = !reportLikeRe.test(text) && (stamped ? open.sawFrame : isProse(text));
    if (junk) {
      open.junkRun++;
      const limit = stamped ? (open.family.junkLimit ?? JUNK_LIMIT) : line.quoteDepth ? 2 : 4;
      if (open.junkRun >= limit) {
        open.lines.length -= open.junkRun;
        this.finish(group, out);
        return;
      }
    } else {
      open.junkRun = 0;
    }
    if (open.lines.length >= this.maxLines) this.finish(group, out);
  }

  /**
   * Joins a header split over two lines: a mail client wrapped it before the function name, or the
   * kernel printed a newline inside it (a task name with "\n" gives two lines with the same prefix).
   */
  private joinHeader(open: Open, line: LogLine): boolean {
    const h = open.lines[0]!;
    // A mail client wraps a line onto the next one: an untimestamped rest must follow its header
    // directly. (Fuzzing found a quoted header whose timestamp a stray byte had broken joined with
    // "+0x1/0x2" from 28 lines further down, the lines between going to another context.)
    if (!timestamped(line) && line.lineNo !== h.lineNo + 1) return false;
    let joined: string | undefined;
    if (wrappedHeaderRe.test(h.text)) {
      const m = wrappedTailRe.exec(line.text);
      if (m) joined = `${h.text.trimEnd()} ${m[1]}`;
    } else if (sameOrigin(h, line) && wrappedOffsetRe.test(line.text) && endsWithNameRe.test(h.text)) {
      // "BUG: KASAN: use-after-free in foo" + "+0x70/0xa0": the client broke the line at the offset.
      joined = `${h.text.trimEnd()}${line.text.trim()}`;
    } else if (sameOrigin(h, line) && !open.family.formats.some((f) => f.title.test(h.text))) {
      const candidate = `${h.text} ${line.text}`;
      if (open.family.formats.some((f) => f.title.test(candidate))) joined = candidate;
    }
    if (joined === undefined) return false;
    open.lines[0] = { ...h, text: joined };
    return true;
  }

  /**
   * Completes the report open in `group`. With `defer`, a report whose title lacks a frame is
   * returned instead of emitted: the caller attaches it to the next report of the same task.
   */
  private finish(group: string, out: Report[], defer = false): Segment | undefined {
    const open = this.open.get(group);
    if (!open) return undefined;
    this.open.delete(group);
    const seg: Segment = {
      family: open.family,
      source: this.source,
      lines: open.lines,
      analysisEnd: open.analysisEnd ?? open.lines.length,
      preceding: open.preceding,
    };
    if (this.bannerVersion !== undefined) seg.bannerVersion = this.bannerVersion;
    if (this.bannerBuild !== undefined) seg.bannerBuild = this.bannerBuild;
    if (open.pendingPrev) this.emit({ ...open.pendingPrev, lookahead: open.lines }, out);
    if (open.lines.filter((l) => l.text.trim() !== '').length === 1 && citedTitle(open.lines[0]!)) return undefined;
    if (defer) {
      const trial = buildReport(seg, this.index);
      if (trial?.corruptedReason === 'extracted no frames' && open.analysisEnd === null) return seg;
    }
    this.emit(seg, out);
    return undefined;
  }

  private emit(seg: Segment, out: Report[]): void {
    const r = buildReport(seg, this.index);
    if (r) {
      this.index++;
      out.push(r);
    }
  }
}
