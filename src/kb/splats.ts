// Splats quoted in a commit message, read by the same parser as any log, and
// boiled down to what matching needs: title, guilty function and top frames.
import { analyzeMessage } from '../analyze.js';
import type { KbSplat } from '../model/kb.js';
import type { Report } from '../model/report.js';
import { titleFunction } from '../reports/frames.js';
import { skipRegex } from '../reports/skip-frames.js';
import { trimmedTrace } from './trimmed-trace.js';

const MAX_SPLATS = 8;
const MAX_FRAMES = 12;

// Entry and scheduling plumbing every trace of its kind shares: syscall entry, kthreads and
// workqueues, interrupt and exception entry, boot. It says nothing about which bug it is.
const plumbingRe =
  /^(?:entry_SYSCALL|do_syscall_|x64_sys_call|__(?:x64|ia32|arm64|se|do)_sys_|__sys_|ksys_|do_sys_|invoke_syscall|el0_|el1_|ret_from_fork|kthread$|worker_thread|process_one_work|process_scheduled_works|smpboot_thread_fn|do_one_initcall|do_initcalls|kernel_init|start_kernel|rest_init|asm_|sysvec_|common_interrupt|irq_exit|__irq_exit_rcu|handle_softirqs|__do_softirq|do_softirq|run_ksoftirqd|cpu_startup_entry|do_idle|secondary_startup|start_secondary)/;

/** Every regex applied to function names here (for the ReDoS audit). */
export const splatRegexes: readonly RegExp[] = [plumbingRe];

/** Frames that never name the guilty code, the "__pfx_" padding symbols of v6.2+ call traces, and entry plumbing. */
function isGeneric(name: string): boolean {
  return name.startsWith('__pfx_') || skipRegex().test(name) || plumbingRe.test(name);
}

export interface SplatFunctions {
  /** The guilty function of the title; for a corrupted report, the first non-generic PC or frame. */
  guilty?: string;
  /** The function of the faulting PC, when it is not generic. */
  pc?: string;
  /** Non-generic frames, top first (the PC first), without compiler suffixes. */
  frames: string[];
}

/**
 * The functions of a report that matching uses. Unreliable ("? ") frames count only when the
 * trace has almost no reliable ones (kernels without frame pointers print only those); a trace
 * printed without offsets is read from the report's lines.
 */
export function splatFunctions(r: Report, max = MAX_FRAMES): SplatFunctions {
  let frames: Array<{ function: string; reliable: boolean }> = r.frames;
  let pcName = r.pc?.function;
  if (frames.length === 0 || pcName === undefined) {
    const t = trimmedTrace(r);
    if (frames.length === 0) frames = t.frames;
    pcName ??= t.pc;
  }
  const reliable = frames.filter((f) => f.reliable).length;
  const out: string[] = [];
  const add = (fn: string | undefined) => {
    if (!fn) return;
    const name = titleFunction(fn);
    if (name.length === 0 || isGeneric(name) || out.includes(name)) return;
    out.push(name);
  };
  add(pcName);
  const pc = out[0];
  for (const f of frames) {
    if (out.length >= max) break;
    if (f.reliable || reliable < 2) add(f.function);
  }
  const res: SplatFunctions = { frames: out };
  if (pc) res.pc = pc;
  const guilty = r.guiltyFunction ? titleFunction(r.guiltyFunction) : r.corrupted || !r.title.includes(' in ') ? out[0] : undefined;
  if (guilty) res.guilty = guilty;
  return res;
}

export function kbSplat(r: Report): KbSplat {
  const f = splatFunctions(r);
  const s: KbSplat = { title: r.title, crashClass: r.crashClass, corrupted: r.corrupted, frames: f.frames };
  if (f.guilty) s.guiltyFunction = f.guilty;
  if (r.guiltyFile) s.guiltyFile = r.guiltyFile;
  return s;
}

/** The splats in a commit message (mail text or an unindented git log message). */
export function quotedSplats(text: string, source: string): KbSplat[] {
  const out: KbSplat[] = [];
  for (const rec of analyzeMessage({ text }, source, { detectors: [] })) {
    if (rec.kind !== 'report') continue;
    const s = kbSplat(rec);
    if (out.some((o) => o.title === s.title && o.guiltyFunction === s.guiltyFunction)) continue;
    out.push(s);
    if (out.length === MAX_SPLATS) break;
  }
  return out;
}
