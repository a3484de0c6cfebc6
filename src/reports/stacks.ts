// Report lines -> stacks: every call trace printed in a report, with the x86
// context sections (<IRQ>, <NMI>, <TASK>) recorded on each frame.
import type { Frame, Stack } from '../model/report.js';
import { parseFrameLine } from './frames.js';
import { isStackStart, riscvStackStartRe } from './guilty-frame.js';

type Ctx = NonNullable<Frame['context']>;

// x86 unwinder section markers (arch/x86/kernel/dumpstack.c): "<IRQ>", "</IRQ>", "<NMI>", "<SOFTIRQ>", "<TASK>" (v5.16+), "<EOI>" (old).
const sectionRe = /^\s*<(\/?)(IRQ|NMI|SOFTIRQ|TASK|EOI)>\s*$/;
// Lines printed inside a trace that do not end it: powerpc interrupt frames and their registers,
// arm "Exception stack(...)" dumps, and x86 frames of an address with no symbol (printk_stack_address
// prints "%pBb", a bare address where no symbol covers it: " ? 0xffffffffa0029000" in module memory).
const inTraceRe = /^\s*(?:--- interrupt:|LR = |NIP[: ]|REGS:|MSR:|GPR\d\d:|CFAR:|IRQMASK:|SOFTE:|CR:|XER:|Exception stack\(|[0-9a-f]{4}: [0-9a-f]{8} |(?:\? )?0x[0-9a-f]+\s*$)/;
const exceptionStackRe = /Exception stack\(/;
// Labels of a main call trace.
const mainTraceLabelRe = /Call [Tt]race|Backtrace/;

/** Regexes this module applies to report lines (the ReDoS audit runs them on adversarial input). */
export const stackRegexes: readonly RegExp[] = [sectionRe, inTraceRe, exceptionStackRe, mainTraceLabelRe];

export function parseStacks(lines: readonly string[], lineNos?: readonly number[]): Stack[] {
  const stacks: Stack[] = [];
  let cur: Stack | undefined;
  let ctx: Ctx = 'task';
  let prevLabel = '';
  let prevWasFrameOrMarker = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (isStackStart(line) || riscvStackStartRe.test(line)) {
      cur = { label: line.trim(), frames: [] };
      stacks.push(cur);
      ctx = 'task';
      prevWasFrameOrMarker = true;
      continue;
    }
    const sec = sectionRe.exec(line);
    if (sec) {
      const open = sec[1] === '';
      const kind = sec[2]!;
      if (kind === 'EOI' || !open) ctx = 'task';
      else ctx = kind === 'IRQ' ? 'irq' : kind === 'NMI' ? 'nmi' : kind === 'SOFTIRQ' ? 'softirq' : 'task';
      prevWasFrameOrMarker = true;
      continue;
    }
    const parsed = parseFrameLine(line);
    if (parsed) {
      if (!cur) {
        cur = { label: prevLabel, frames: [] };
        stacks.push(cur);
      }
      for (const f of parsed.frames) {
        const frame: Frame = { ...f };
        if (ctx !== 'task') frame.context = ctx;
        const no = lineNos?.[i];
        if (no !== undefined) frame.lineNo = no;
        cur.frames.push(frame);
      }
      prevWasFrameOrMarker = true;
      continue;
    }
    if (cur && inTraceRe.test(line)) {
      if (exceptionStackRe.test(line)) ctx = 'exception';
      continue;
    }
    // Any other line ends the current stack; it may label the next one (KCSAN "read to 0x... by task 1 on cpu 0:").
    if (cur && prevWasFrameOrMarker) cur = undefined;
    prevWasFrameOrMarker = false;
    const t = line.trim();
    if (t) prevLabel = t;
  }
  return stacks.filter((s) => s.frames.length > 0);
}

/** The main call trace: the first stack introduced by "Call Trace:"/"Call trace:"/"Backtrace:", else the first stack. */
export function mainStack(stacks: readonly Stack[]): Stack | undefined {
  return stacks.find((s) => mainTraceLabelRe.test(s.label)) ?? stacks[0];
}
