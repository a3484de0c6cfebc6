// Stack-extraction recipes shared by several crash formats.
import { pattern } from '../../parsers/patterns.js';
import { armUnwindFrameRe } from '../frames.js';
import { riscvStackStartRe } from '../guilty-frame.js';
import type { StackSpec, StackStep } from './types.js';

/** "Call Trace:" (x86, powerpc, s390, riscv), "Call trace:" (arm64), "Backtrace:" (arm, mips). */
export const callTraceRe = /Call [Tt]race:|Backtrace:/;

export const PC: StackStep = { kind: 'pc' };
export const TRACE: StackStep = { kind: 'trace' };
/**
 * The start of the call trace: after its header line, or at the first frame of an arm trace printed
 * with no header (arch/arm/kernel/unwind.c unwind_backtrace, CONFIG_ARM_UNWIND, e.g. Debian armmp:
 * dump_backtrace prints no "Backtrace:" line, so the " foo from bar+0x1/0x2" frames come straight
 * after "Hardware name:" or the "Stack: (...)" dump), or after riscv's register dump: show_regs()
 * ends with "status: ... badaddr: ... cause: ..." and die() prints the stack after it with no header
 * (arch/riscv/kernel/process.c, traps.c). A WARNING under panic_on_warn has no stack there (the
 * panic's "Call Trace:" follows), so that line counts only when a frame comes next.
 */
export const CALL_TRACE: StackStep = { kind: 'line', re: callTraceRe, orAt: armUnwindFrameRe, orAfter: riscvStackStartRe };

/** The main call trace only. */
export function traceStack(skip?: string[], extractor?: StackSpec['extractor']): StackSpec {
  const s: StackSpec = { steps: [CALL_TRACE, TRACE] };
  if (skip) s.skip = skip;
  if (extractor) s.extractor = extractor;
  return s;
}

/** The faulting PC first (oopses print it with the registers), then the call trace. */
export function pcTraceStack(skip?: string[], extractor?: StackSpec['extractor']): StackSpec {
  const s: StackSpec = { steps: [PC, CALL_TRACE, TRACE] };
  if (skip) s.skip = skip;
  if (extractor) s.extractor = extractor;
  return s;
}

/** Only the faulting PC (traps whose stack is all exception-entry code). */
export function pcStack(): StackSpec {
  return { steps: [PC] };
}

/**
 * WARNING: x86 prints the trap PC in a "RIP:" line (v4.x+), powerpc in
 * "--- interrupt: 700 at func", s390 in "Krnl PSW : <mask> <addr> (func+0x1/0x2)" or, with no
 * symbol, "(0x3ff8cbfa000)"; older kernels print only the call trace.
 */
export function warningStack(...skip: string[]): StackSpec {
  const s: StackSpec = {
    steps: [{ kind: 'line', re: pcOrInterruptRe }, TRACE],
    fallback: [CALL_TRACE, TRACE],
  };
  if (skip.length) s.skip = skip;
  return s;
}

const pcOrInterruptRe = pattern(
  String.raw`(?:(?:IP|NIP|pc |PC is at|Krnl PSW :[ 0-9a-f]+):? (?:(?:[0-9]+:)?(?:{{PC}} +){0,2}\(?{{FUNC}}|(?:[0-9]+:)?\(?0x[0-9a-f]+|(?:[0-9]+:)?{{PC}} +\[< *\(null\)>\] +\(null\)|[0-9]+: +\(null\))|--- interrupt: [0-9a-f]+ at {{FUNC}})`,
);
