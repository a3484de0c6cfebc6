// Guilty-frame extraction: runs a format's stack steps over the report lines
// and picks the frame that names the bug (skipping generic frames).
import type { Frame } from '../model/report.js';
import type { StackSpec, StackStep } from './formats/types.js';
import { parseFrameLine, parsePcLine, titleFunction } from './frames.js';
import { skipRegex, stripSyscallPrefix } from './skip-frames.js';

/** Lines that start a new stack inside a report (kernel/stacktrace, KASAN, kmemleak, KMSAN). */
export const stackStartRes: readonly RegExp[] = [
  /Call [Tt]race/,
  /Allocated:/,
  /Allocated by task [0-9]+:/,
  /Freed:/,
  /Freed by task [0-9]+:/,
  // kmemleak "backtrace:" / "backtrace (crc 1a2b3c4d):", but not lockdep's "stack backtrace:".
  /[^k] backtrace(?: \(crc [0-9a-f]*\))?:/,
  /Backtrace:/,
  /Uninit was stored to memory at/,
];

/**
 * riscv show_regs() ends with this line and the stack follows without a "Call Trace:" header.
 * REG_FMT is "%016lx" on riscv64 and "%08lx" on riscv32 (arch/riscv/include/asm/ptrace.h); before
 * v5.5 the CSRs were printed as "sstatus: ... sbadaddr: ... scause: ...".
 */
export const riscvStackStartRe = /status: (?:[0-9a-f]{8}){1,2} s?badaddr: (?:[0-9a-f]{8}){1,2} s?cause: (?:[0-9a-f]{8}){1,2}/;

/** Fault-injection stacks interleave with crash reports; seeing one marks the report corrupted. */
const faultInjectionRe = /^( \[<?(?:0x)?[0-9a-f]+>?\])? should_fail(slab)?(\.[a-z0-9.]+)?\+0x/;

/** stackStartRes as one regex: one pass over the line instead of eight (~4x faster on console lines). */
const stackStartRe = new RegExp(stackStartRes.map((re) => `(?:${re.source})`).join('|'));

export function isStackStart(line: string): boolean {
  return stackStartRe.test(line);
}

/** A candidate guilty frame: the function name as used in titles, and the frame it came from. */
export interface Candidate {
  name: string;
  frame?: Frame;
}

/** The frame chosen for one stack: canonical name (syscall prefix stripped) and the raw one. */
export interface GuiltyPick {
  canonical: string;
  raw: string;
  frame?: Frame;
}

// Stall reports (RCU stalls, soft lockups, stack overflows) catch the CPU at a random point of a
// loop, so the title uses the frame just before a dispatcher ("anchor") deeper in the stack.
const stallAnchors: readonly RegExp[] = [
  // Generic work dispatchers and entry points.
  /process_one_work/, /do_syscall_/, /do_fast_syscall_/, /sysenter_dispatch/, /tracesys_phase2/, /el0_svc_handler/,
  /invoke_syscall/, /ret_fast_syscall/, /netif_receive_skb/, /do_softirq/, /call_timer_fn/, /_run_timers/,
  /run_timer_softirq/, /hrtimer_run/, /run_ksoftirqd/, /smpboot_thread_fn/, /^kthread$/, /start_secondary/,
  /cpu_startup_entry/, /ret_from_fork/,
  // File operations: the frame before them names the file system or driver.
  /vfs_write/, /vfs_read/, /vfs_iter_read/, /vfs_iter_write/, /do_iter_read/, /do_iter_write/, /call_read_iter/,
  /call_write_iter/, /new_sync_read/, /new_sync_write/, /vfs_ioctl/, /ksys_ioctl/, /compat_ioctl/, /compat_sys_ioctl/,
  /blkdev_driver_ioctl/, /blkdev_ioctl/, /do_iter_readv_writev/, /^call_mmap/, /mmap_region/, /do_mmap/,
  /do_dentry_open/, /vfs_open/,
  // Socket operations: the frame before them names the protocol.
  /^sock_sendmsg/, /^sock_recvmsg/, /^sock_release/, /^__sock_release/, /^setsockopt$/, /kernel_setsockopt/,
  /sock_common_setsockopt/, /^listen$/, /kernel_listen/, /sk_common_release/, /^sock_mmap/, /^accept$/,
  /kernel_accept/, /^sock_do_ioctl/, /^sock_ioctl/, /^compat_sock_ioctl/, /^nfnetlink_rcv_msg/,
  /^rtnetlink_rcv_msg/, /^netlink_dump/, /^(sys_)?(socketpair|connect|ioctl)/,
  // Page-fault entry.
  /__do_fault/, /do_page_fault/, /^page_fault$/,
  // Return-to-user callbacks and cross-CPU calls.
  /__fput/, /task_work_run/, /exit_to_usermode/, /smp_call_function/, /tasklet_action/, /tasklet_hi_action/,
];

/** Regexes this module applies to report lines and frame names (the ReDoS audit runs them on adversarial input). */
export const guiltyFrameRegexes: readonly RegExp[] = [...stackStartRes, stackStartRe, riscvStackStartRe, faultInjectionRe, ...stallAnchors];

function stallExtractor(names: readonly string[]): number {
  let prev = 0;
  for (let i = 0; i < names.length; i++) {
    const n = names[i]!;
    if (stallAnchors.some((re) => re.test(n))) return n.includes('smp_call_function') ? -2 - i : prev;
    prev = i;
  }
  return -1;
}

// Hung tasks wait on somebody else: group by what they wait for (rtnl_lock, RCU), else skip
// scheduling/locking/waiting frames.
const hangAnchors: ReadonlyArray<[string, string]> = [
  ['rtnl_lock', ''],
  ['synchronize_rcu', 'synchronize_rcu'],
  ['synchronize_srcu', 'synchronize_rcu'],
  ['synchronize_net', 'synchronize_rcu'],
  ['synchronize_sched', 'synchronize_rcu'],
];
const hangSkip = ['sched', '_lock', '_slowlock', 'down', 'rwsem', 'completion', 'kthread', 'wait', 'synchronize', 'context_switch', '__switch_to', 'cancel_delayed_work', 'rcu_barrier'];

function pick(cands: readonly Candidate[], extractor: StackSpec['extractor']): GuiltyPick | null {
  if (cands.length === 0) return null;
  const names = cands.map((c) => stripSyscallPrefix(c.name));
  const at = (i: number, canonical = names[i]!): GuiltyPick => {
    const c = cands[i]!;
    const p: GuiltyPick = { canonical, raw: c.name };
    if (c.frame) p.frame = c.frame;
    return p;
  };
  if (extractor === 'stall') {
    const i = stallExtractor(names);
    if (i === -1) return null;
    if (i <= -2) return at(-2 - i, 'smp_call_function');
    return at(i);
  }
  if (extractor === 'hang') {
    for (let i = 0; i < names.length; i++) {
      for (const [anchor, repl] of hangAnchors) if (names[i]!.includes(anchor)) return at(i, repl || names[i]!);
    }
    for (let i = 0; i < names.length; i++) if (!hangSkip.some((s) => names[i]!.includes(s))) return at(i);
    return null;
  }
  return at(0);
}

/** Appends the capture groups of a step match as candidates (skipping generic frames). */
function addCaptures(cands: Candidate[], m: RegExpExecArray, skip: RegExp): void {
  for (let i = 1; i < m.length; i++) {
    const name = m[i];
    if (name !== undefined && !skip.test(name)) cands.push({ name });
  }
}

function matchStep(step: StackStep, line: string): RegExpExecArray | null {
  if (step.kind === 'trace') return null;
  if (step.kind === 'line') return step.re.exec(line);
  const pc = parsePcLine(line);
  if (!pc) return null;
  const m = [line] as unknown as RegExpExecArray;
  if (pc.frame) m.push(titleFunction(pc.frame.function));
  return m;
}

/** Adds the usable frames of a call-trace line. Unreliable ("? ") and offset-less frames never count. */
function addFrames(cands: Candidate[], line: string, lineNo: number | undefined, skip: RegExp): void {
  const parsed = parseFrameLine(line);
  if (!parsed || parsed.unreliable) return;
  const arm = parsed.frames.length === 2;
  for (const f of parsed.frames) {
    // A frame decode_stacktrace.sh resolved to a location has no offset left; "[inline]" frames never count.
    if (f.offset === undefined && !arm && (f.file === undefined || f.inlined)) continue;
    const name = titleFunction(f.function);
    if (skip.test(name)) continue;
    const frame = lineNo === undefined ? f : { ...f, lineNo };
    cands.push({ name, frame });
  }
}

export interface StackResult {
  picks: GuiltyPick[];
  ok: boolean;
}

function runSteps(lines: readonly string[], start: number, steps: readonly StackStep[], skip: RegExp, extractor: StackSpec['extractor'], lineNos?: readonly number[]): StackResult {
  let cursor = start;
  let cands: Candidate[] = [];
  const picks: GuiltyPick[] = [];
  let ok = true;
  let traces = 0;
  for (let i = 0; ; i++) {
    if (i === steps.length || (steps[i]!.kind === 'trace' && traces > 0)) {
      const p = pick(cands, extractor);
      if (p) picks.push(p);
      else {
        picks.push({ canonical: 'corrupted', raw: 'corrupted' });
        ok = false;
      }
      cands = [];
    }
    if (i === steps.length) break;
    const step = steps[i]!;
    if (step.kind === 'trace') {
      traces++;
      while (cursor < lines.length) {
        const ln = lines[cursor]!;
        const lineNo = lineNos?.[cursor];
        cursor++;
        if (faultInjectionRe.test(ln)) {
          ok = false;
          break;
        }
        if (isStackStart(ln)) break;
        const next = steps[i + 1];
        if (next && next.kind !== 'trace') {
          const m = matchStep(next, ln);
          if (m) {
            addCaptures(cands, m, skip);
            i++;
            break;
          }
        }
        // The first extractor takes the first candidate: the rest of the stack is only read through.
        if (cands.length === 0 || extractor === 'stall' || extractor === 'hang') addFrames(cands, ln, lineNo, skip);
      }
    } else {
      while (cursor < lines.length) {
        const ln = lines[cursor]!;
        // A line that starts the stack without a header stays for the trace step to read.
        if (step.kind === 'line' && step.orAt?.test(ln)) break;
        cursor++;
        // A line after which a stack follows with no header: the trace step reads from the next line.
        if (step.kind === 'line' && step.orAfter?.test(ln) && cursor < lines.length && parseFrameLine(lines[cursor]!) !== null) break;
        if (faultInjectionRe.test(ln)) {
          ok = false;
          break;
        }
        const m = matchStep(step, ln);
        if (m) {
          addCaptures(cands, m, skip);
          break;
        }
      }
    }
  }
  return { picks, ok };
}

/**
 * Extracts the guilty frame(s) for a format: one pick per stack the steps
 * read. `ok` is false when a stack yielded no usable frame.
 */
export function extractGuilty(lines: readonly string[], start: number, spec: StackSpec, lineNos?: readonly number[]): StackResult {
  const skip = skipRegex(spec.skip);
  const first = runSteps(lines, start, spec.steps, skip, spec.extractor, lineNos);
  if (first.ok || !spec.fallback) return first;
  return runSteps(lines, start, spec.fallback, skip, spec.extractor, lineNos);
}
