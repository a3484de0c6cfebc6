// Report: one kernel splat (oops, WARNING, sanitizer report, lockup, panic ...)
// extracted from a stream of LogLines, with a syzbot-compatible title.
import { z } from 'zod';

/** One stack frame as printed in a call trace or a PC/IP line. */
export const frameSchema = z.object({
  /** Function name, compiler suffixes (.isra.0, .cold) kept as printed. */
  function: z.string(),
  /** Offset into the function (hex string as printed, e.g. "0x5ce"), when printed. */
  offset: z.string().optional(),
  /** Function size (hex string as printed, e.g. "0x630"), when printed. */
  size: z.string().optional(),
  /** Module name from "[xfs]" / "[xfs <build-id>]", when the function is in a module. */
  module: z.string().optional(),
  /** Return address as printed ("[<ffffffff8316f759>]"), old x86, s390, riscv, powerpc formats. */
  address: z.string().optional(),
  /** False for x86 "? " frames and powerpc "(unreliable)" frames. */
  reliable: z.boolean(),
  /** Source file:line when the trace was symbolized (decode_stacktrace.sh, syzbot). */
  file: z.string().optional(),
  line: z.number().int().optional(),
  /** True for "[inline]" frames added by symbolization. */
  inlined: z.boolean().optional(),
  /** Context section the frame was printed in: task, irq, softirq, nmi, exception. */
  context: z.enum(['task', 'irq', 'softirq', 'nmi', 'exception']).optional(),
  /** Line number of the frame in the source. */
  lineNo: z.number().int().optional(),
});
export type Frame = z.infer<typeof frameSchema>;

/** A stack printed inside a report: the main call trace, KASAN "Allocated by", kmemleak "backtrace:", ... */
export const stackSchema = z.object({
  /** The line that introduced the stack ("Call Trace:", "Allocated by task 123:", ...). */
  label: z.string(),
  frames: z.array(frameSchema),
});
export type Stack = z.infer<typeof stackSchema>;

/** Crash classes: what kind of splat the kernel printed (table-driven, see src/reports/formats). */
export const crashClassSchema = z.enum([
  'warning',
  'bug',
  'page-fault',
  'null-deref',
  'gpf',
  'trap',
  'kasan',
  'kmsan',
  'kcsan',
  'ubsan',
  'kfence',
  'kmemleak',
  'lockdep',
  'rcu-stall',
  'hung-task',
  'soft-lockup',
  'hard-lockup',
  'workqueue-lockup',
  'panic',
  'refcount',
  'list-corruption',
  'atomic-sleep',
  'stack-overflow',
  'stack-protector',
  'bad-page',
  'usercopy',
  'oom',
  'reboot',
  'other',
]);
export type CrashClass = z.infer<typeof crashClassSchema>;

/** syzkaller's crash TYPE values (pkg/report/crash). */
export const crashTypeSchema = z.enum([
  'KASAN-READ',
  'KASAN-WRITE',
  'KASAN-USE-AFTER-FREE-READ',
  'KASAN-USE-AFTER-FREE-WRITE',
  'KASAN-INVALID-FREE',
  'KASAN-NULL-POINTER-DEREFERENCE-READ',
  'KASAN-NULL-POINTER-DEREFERENCE-WRITE',
  'KASAN-UNKNOWN',
  'KMSAN-UNINIT-VALUE',
  'KMSAN-INFO-LEAK',
  'KMSAN-USE-AFTER-FREE-READ',
  'KMSAN-UNKNOWN',
  'KCSAN-DATARACE',
  'KCSAN-ASSERT',
  'KCSAN-UNKNOWN',
  'KFENCE-READ',
  'KFENCE-WRITE',
  'KFENCE-USE-AFTER-FREE-READ',
  'KFENCE-USE-AFTER-FREE-WRITE',
  'KFENCE-INVALID-FREE',
  'KFENCE-MEMORY-CORRUPTION',
  'KFENCE-UNKNOWN',
  'UBSAN',
  'MEMORY_SAFETY_UBSAN',
  'MEMORY_SAFETY_BUG',
  'NULL-POINTER-DEREFERENCE',
  'REFCOUNT_WARNING',
  'LOCKDEP',
  'ATOMIC_SLEEP',
  'LEAK',
  'BUG',
  'WARNING',
  'HANG',
  'DoS',
  'REBOOT',
  'SYZ_FAILURE',
  'UNKNOWN',
]);
export type CrashType = z.infer<typeof crashTypeSchema>;

export const severitySchema = z.enum(['info', 'warning', 'error', 'critical']);
export type Severity = z.infer<typeof severitySchema>;

/** One decoded taint flag (kernel/panic.c taint_flags[]). */
export const taintFlagSchema = z.object({
  letter: z.string().length(1),
  name: z.string(),
});

export const reportSchema = z.object({
  kind: z.literal('report'),
  /** Input path, "-" for stdin, "<file>#<Message-ID>" for a mail message. */
  source: z.string(),
  /** 0-based index of the report within its source. */
  index: z.number().int().nonnegative(),
  /** syzbot-style title, e.g. "WARNING in xfs_vm_writepage". */
  title: z.string(),
  /** Other titles the same bug is known by (syzkaller AltTitles: "bad-access in f", unstripped syscall names). */
  altTitles: z.array(z.string()),
  /** What the kernel printed: warning, bug, kasan, lockdep, ... */
  crashClass: crashClassSchema,
  /** syzkaller crash type derived from the title. */
  crashType: crashTypeSchema,
  severity: severitySchema,
  /** False for splats syzbot never files (OOM kills, hard lockups it cannot see ...). */
  syzbotCompatible: z.boolean(),
  /** The header line that starts the report, prefixes stripped. */
  header: z.string(),
  /** Guilty function used in the title ("xfs_vm_writepage"), when the title names one. */
  guiltyFunction: z.string().optional(),
  /** The frame the guilty function came from. */
  guiltyFrame: frameSchema.optional(),
  /** Source file of the crash site from the header ("fs/xfs/xfs_aops.c") or from a symbolized trace. */
  guiltyFile: z.string().optional(),
  /** Source location printed in the header, e.g. "fs/xfs/xfs_aops.c:971". */
  location: z.string().optional(),
  /** The faulting or trapping PC from the register dump (RIP:, pc :, NIP, PC is at, epc :, Krnl PSW), when it names a function. */
  pc: frameSchema.optional(),
  /** Frames of the main call trace. */
  frames: z.array(frameSchema),
  /** Every stack printed in the report (main trace, Allocated by, Freed by, backtrace:, ...). */
  stacks: z.array(stackSchema),
  cpu: z.number().int().optional(),
  pid: z.number().int().optional(),
  comm: z.string().optional(),
  /** Taint string as printed ("G        W  O      ") and its decoded flags. */
  taint: z.string().optional(),
  taintFlags: z.array(taintFlagSchema),
  /** Kernel release from "CPU: ... Comm: ... 3.15.0+ #3" or a "Linux version" banner earlier in the source. */
  kernelVersion: z.string().optional(),
  /** Build tag after the release ("#3", "#1 SMP PREEMPT_DYNAMIC ..."). */
  buildTag: z.string().optional(),
  /** "Hardware name:" value. */
  hardware: z.string().optional(),
  /** Architecture guessed from registers and trace format. */
  arch: z.enum(['x86_64', 'x86', 'arm64', 'arm', 'powerpc', 's390', 'riscv', 'mips']).optional(),
  /** Names of the registers printed (RIP, RSP, pc, lr, NIP, ...). */
  registers: z.array(z.string()),
  /** "Modules linked in:" list. */
  modules: z.array(z.string()),
  /** Reason string from a VM_BUG_ON_PAGE / dump_page() ("VM_BUG_ON_PAGE(PageTail(page))"). */
  pageDumpReason: z.string().optional(),
  /** Line number of the header line. */
  startLine: z.number().int().positive(),
  /** Line number of the last line of the report. */
  endLine: z.number().int().positive(),
  /** Lines of the same context printed just before the header (dump_page output, "cut here"). */
  precedingLines: z.array(z.string()),
  /** The report's lines, prefixes stripped, interleaved lines of other contexts removed. */
  rawLines: z.array(z.string()),
  /** True when the report is truncated, interleaved, or lacks what its format requires. */
  corrupted: z.boolean(),
  corruptedReason: z.string().optional(),
  /** Email quote depth of the header line, when the report was quoted in mail. */
  quoteDepth: z.number().int().optional(),
  /** True when the kernel panicked in this report (panic_on_warn, Fatal exception ...). */
  panicked: z.boolean(),
  /** printk timestamp of the header line, seconds since boot. */
  time: z.number().optional(),
  /** Wall-clock time of the header line where the input carries it. */
  wallTime: z.string().optional(),
  /**
   * True when the report's bucket (title plus top frames) is listed in the --baseline file:
   * it is still printed, but does not count against --fail-on. Absent otherwise.
   */
  suppressed: z.boolean().optional(),
  /** The mail message the report was found in (mbox, maildir, .eml input). */
  mail: z
    .object({
      messageId: z.string().optional(),
      subject: z.string().optional(),
      /** Date header, ISO-8601. */
      date: z.string().optional(),
      from: z.string().optional(),
    })
    .optional(),
});
export type Report = z.infer<typeof reportSchema>;
