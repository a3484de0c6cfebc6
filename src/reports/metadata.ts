// Facts a report prints besides its title: task line (CPU, PID, comm, taint,
// kernel release), hardware, modules, registers, source location, page dumps.
import type { Report } from '../model/report.js';

export interface TaskInfo {
  cpu?: number;
  pid?: number;
  comm?: string;
  taint?: string;
  kernelVersion?: string;
  buildTag?: string;
}

// lib/dump_stack.c dump_stack_print_info (v3.x+):
//   "CPU: 3 PID: 19721 Comm: trinity-c61 Not tainted 3.15.0+ #3"
//   "CPU: 1 PID: 1 Comm: swapper/0 Tainted: G        W          6.1.0-18-amd64 #1 Debian 6.1.76-1"
//   v6.13+ adds the UID: "CPU: 0 UID: 0 PID: 5959 Comm: syz-executor130 Not tainted 6.15.0-syzkaller #0 PREEMPT(full)"
// RHEL pads the taint string with dashes: "Tainted: GF          O--------------   3.10.0-54.0.1.el7.s390x #1".
const taskLineRe = /CPU: (\d+)(?: UID: \d+)? PID: (\d+) Comm: (.*?) (?:Not tainted|Tainted: ([A-Z][A-Z -]*?)) +(\d\S*)(?: (#\S+(?: .*)?))?\s*$/;
// 2.6.x/3.x x86 __show_regs: "Pid: 1234, comm: foo Tainted: G        W    3.2.0 #1 Dell Inc. ...".
const oldTaskLineRe = /Pid: (\d+), comm: (\S+) (?:Not tainted|Tainted: ([A-Z][A-Z -]*?)) +(\d\S*) (#\S+)/;
// init/version.c linux_banner: "Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12 ...) #1 SMP ...".
export const bannerRe = /Linux version (\S+) \(.*?\)\s+(#\d+.*)$|Linux version (\S+)/;

// kernel/hung_task.c and kernel/rcu print the taint and release on a line of their own:
// "      Tainted: G           OE      6.1.0-50-amd64 #1 Debian 6.1.176-1" / "      Not tainted 6.1.0 #1".
const bareTaintLineRe = /^\s+(?:Not tainted|Tainted: ([A-Z][A-Z ]*?)) +(\d\S*)(?: (#\S+(?: .*)?))?\s*$/;

export function parseTaskLine(lines: readonly string[]): TaskInfo | undefined {
  let bare: TaskInfo | undefined;
  for (const l of lines) {
    if (!bare) {
      const b = bareTaintLineRe.exec(l);
      if (b) {
        bare = { kernelVersion: b[2]! };
        if (b[1] !== undefined) bare.taint = b[1].trimEnd();
        if (b[3] !== undefined) bare.buildTag = b[3].trim();
      }
    }
    let m = taskLineRe.exec(l);
    if (m) {
      const t: TaskInfo = { cpu: Number(m[1]), pid: Number(m[2]), comm: m[3]!, kernelVersion: m[5]! };
      if (m[4] !== undefined) t.taint = m[4].trimEnd();
      if (m[6] !== undefined) t.buildTag = m[6].trim();
      return t;
    }
    m = oldTaskLineRe.exec(l);
    if (m) {
      const t: TaskInfo = { pid: Number(m[1]), comm: m[2]!, kernelVersion: m[4]!, buildTag: m[5]! };
      if (m[3] !== undefined) t.taint = m[3].trimEnd();
      return t;
    }
  }
  return bare;
}

/** kernel/panic.c taint_flags[]: letter -> name. "G" only says no proprietary module is loaded. */
const taintNames: Record<string, string> = {
  P: 'PROPRIETARY_MODULE',
  F: 'FORCED_MODULE',
  S: 'CPU_OUT_OF_SPEC',
  R: 'FORCED_RMMOD',
  M: 'MACHINE_CHECK',
  B: 'BAD_PAGE',
  U: 'USER',
  D: 'DIE',
  A: 'OVERRIDDEN_ACPI_TABLE',
  W: 'WARN',
  C: 'CRAP',
  I: 'FIRMWARE_WORKAROUND',
  O: 'OOT_MODULE',
  E: 'UNSIGNED_MODULE',
  L: 'SOFTLOCKUP',
  K: 'LIVEPATCH',
  X: 'AUX',
  T: 'RANDSTRUCT',
  N: 'TEST',
};

export function decodeTaint(taint: string | undefined): Report['taintFlags'] {
  if (!taint) return [];
  const out: Report['taintFlags'] = [];
  for (const ch of taint) {
    const name = taintNames[ch];
    if (name) out.push({ letter: ch, name });
  }
  return out;
}

export function parseHardware(lines: readonly string[]): string | undefined {
  for (const l of lines) {
    const i = l.indexOf('Hardware name: ');
    if (i >= 0) return l.slice(i + 15).trim();
  }
  return undefined;
}

const lastUnloadedRe = /\[last unloaded:[^\]]*\]/;
const blanksRe = /\s+/;

/** "xfs(O)" -> "xfs": the taint flags in parentheses at the end of a module name. */
function stripModuleFlags(t: string): string {
  const open = t.indexOf('(');
  return open >= 0 && t.endsWith(')') ? t.slice(0, open) : t;
}

/** "Modules linked in: xfs(O) ext4 mbcache jbd2 [last unloaded: foo]" (kernel/module/main.c print_modules). */
export function parseModules(lines: readonly string[]): string[] {
  for (const l of lines) {
    const i = l.indexOf('Modules linked in:');
    if (i < 0) continue;
    return l
      .slice(i + 18)
      .replace(lastUnloadedRe, '')
      .trim()
      .split(blanksRe)
      .filter((t) => t.length > 0)
      .map(stripModuleFlags);
  }
  return [];
}

// Register dumps: "RAX: 0000000000000000 RBX: ...", arm64 "x29: ffff8000 x28: ...", "pc : ...",
// powerpc "GPR00: ...", "NIP:  c0000000", s390 "Krnl GPRS:", riscv " ra : ffffffff".
const regRe = /(?:^|\s)([A-Za-z][A-Za-z0-9]{0,5}) ?: ?(?:\[<)?[0-9a-f]{8,16}\b/g;
const regLineRe = /^\s*(?:R[A-Z0-9]{1,3}|E[A-Z]{2}|[xrw]\d{1,2}|pc|lr|sp|psr|fp|ip|NIP|LR|CTR|MSR|GPR\d\d|epc|ra|gp|tp|t\d|s\d{1,2}|a\d|Krnl GPRS|CS|DS|ES|FS|GS|CR\d|DR\d)\s?:/;

export function parseRegisters(lines: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const l of lines) {
    if (!regLineRe.test(l)) continue;
    regRe.lastIndex = 0;
    for (let m = regRe.exec(l); m; m = regRe.exec(l)) seen.add(m[1]!);
  }
  return [...seen];
}

// Register-dump lines per architecture, tried in this order. Each regex is matched on one line at
// a time: on the joined report, /m let "^\s*" run on across lines, which made a report of
// whitespace lines quadratic (2 MB took 28 s). A line with a line terminator inside is one line here.
const archLineRules: ReadonlyArray<[RegExp, NonNullable<Report['arch']>]> = [
  [/^\s*RIP: |^\s*RAX: /, 'x86_64'],
  [/^\s*EIP: |^\s*EAX: /, 'x86'],
  [/Krnl PSW|Krnl GPRS/, 's390'],
  [/^\s*NIP[: ]|^\s*GPR00:|^MSR: /, 'powerpc'],
  // riscv __show_regs: "epc : %pS" (symbolic, v5.1x+), "epc: " REG_FMT (v5.5+), "sepc: " (before v5.5);
  // "status: ... badaddr:" ("sstatus: ... sbadaddr:" before v5.5), 8 hex digits on riscv32.
  [/^\s*(?:s?epc: [0-9a-f]{8}|epc : )|^\s*s?status: (?:[0-9a-f]{8}){1,2} s?badaddr/, 'riscv'],
  [/^\s*x29: |Internal error: .*ESR|\bESR = 0x/, 'arm64'],
  [/^\s*(?:PC is at|pc : \[<)|\bpsr: [0-9a-f]{8}\b| from \[<[0-9a-f]{8}>\]/, 'arm'],
  [/^\s*\$ ?\d+ {2,}: /, 'mips'],
];
// arm64 __show_regs prints "pc : foo+0x1/0x2", then "lr : bar+0x3/0x4" on the next line.
const arm64PcRe = /^\s*pc : /;
const arm64LrRe = /lr : /;

// Entry and exception frames that only exist on one architecture, for reports without a register dump.
const archFrameHints: ReadonlyArray<[RegExp, NonNullable<Report['arch']>]> = [
  [/\b(?:entry_SYSCALL_64|do_syscall_64|asm_exc_|asm_sysvec_|__x64_sys_|x64_sys_call|asm_common_interrupt|ret_from_fork_asm)/, 'x86_64'],
  [/\b(?:do_trap_ecall_u|handle_exception|ret_from_exception)\b|\b__riscv_sys_/, 'riscv'],
  // riscv64 kernel text is at 0xffffffff8xxxxxxx too, and its dump_stack() trace starts with
  // "[<ffffffff80007020>] dump_backtrace+0x28/0x30" (arch/riscv/kernel/stacktrace.c); x86 has no
  // dump_backtrace, and old arm64 traces printed it at 0xffffffc0.../0xffff0000... addresses.
  [/\[<ffffffff[89a][0-9a-f]{7}>\] dump_backtrace\+/, 'riscv'],
  // x86-64 kernel text lives at 0xffffffff8xxxxxxx: old "[<ffffffff81656174>]" frames. After the
  // riscv hints, whose kernel text is at the same addresses, and before the s390 one, whose
  // "system_call" old x86-64 traces hold too (system_call_fastpath).
  [/\[<ffffffff[89a][0-9a-f]{7}>\]/, 'x86_64'],
  [/\b(?:el0_svc|el0t_64_sync|el1h_64_|do_el0_svc|__arm64_sys_|el0_da|invoke_syscall)/, 'arm64'],
  // The panic tail of arch/arm64/kernel/setup.c (dump_kernel_offset "PHYS_OFFSET: 0x...", dump_cpu_features
  // "CPU features: 0x..."), for panics whose trace lost its entry frames (stack corruption).
  [/^PHYS_OFFSET: 0x|^CPU features: 0x/, 'arm64'],
  // arm v5.16+: " dump_backtrace from show_stack+0x20/0x24".
  [/\b(?:ret_fast_syscall|vector_swi|__irq_svc|__dabt_svc)\b|^\s*[A-Za-z_][\w.]* from [A-Za-z_][\w.]*\+0x/, 'arm'],
  [/\b(?:system_call_exception|system_call_common|interrupt_return)[\w.]*\+0x|\[c0000000[0-9a-f]{8}\]/, 'powerpc'],
  [/\b(?:__s390x_sys_|__do_syscall|system_call)[\w.]*\+0x|\[<0{6}[0-9a-f]{10}>\]/, 's390'],
  [/\b(?:entry_SYSENTER_32|do_int80_syscall_32|__ia32_sys_)/, 'x86'],
  // Last: arm64 dump_backtrace's lower-case "Call trace:" header, for traces that hold no entry frame (an RCU
  // stall's "Task dump for CPU 1" with only __switch_to). arm prints it too since v6.x, but its
  // " foo from bar+0x1/0x2" frames have matched the arm row above by then.
  [/^\s*Call trace:/, 'arm64'],
];

// Distribution kernels name their architecture in the release: Debian's flavours
// ("6.12.117+deb13-riscv64", "6.1.0-50-armmp-lpae", "6.1.0-18-rt-amd64") and Fedora/RHEL's
// suffix ("6.5.6-300.fc39.x86_64", "5.14.0-362.el9.aarch64+debug"). Ubuntu's "-generic" says nothing.
const releaseArchRules: ReadonlyArray<[RegExp, NonNullable<Report['arch']>]> = [
  [/-(?:rt-|cloud-)?amd64$|\.x86_64(?:\+debug)?$/, 'x86_64'],
  [/-(?:rt-|cloud-)?arm64(?:-16k)?$|\.aarch64(?:\+debug|\+64k)?$/, 'arm64'],
  [/-(?:rt-)?armmp(?:-lpae)?$|\.armv7hl$/, 'arm'],
  [/-powerpc64le(?:-64k)?$|\.ppc64le(?:\+debug)?$/, 'powerpc'],
  [/-s390x$|\.s390x(?:\+debug)?$/, 's390'],
  [/-riscv64$|\.riscv64$/, 'riscv'],
  [/-686(?:-pae)?$|\.i686$/, 'x86'],
];

/**
 * The architecture of a report: from its register dump; else from a distribution kernel's release
 * (riscv64 and x86-64 traces can look alike: the same kernel text addresses); else from arch-only
 * entry frames.
 */
export function guessArch(lines: readonly string[], release?: string): Report['arch'] {
  for (const [re, arch] of archLineRules) {
    if (arch === 'arm64' && lines.some((l, i) => i + 1 < lines.length && arm64PcRe.test(l) && arm64LrRe.test(lines[i + 1]!))) return arch;
    if (lines.some((l) => re.test(l))) return arch;
  }
  if (release !== undefined) for (const [re, arch] of releaseArchRules) if (re.test(release)) return arch;
  for (const [re, arch] of archFrameHints) if (lines.some((l) => re.test(l))) return arch;
  return undefined;
}

// Source locations printed in headers: "at fs/xfs/xfs_aops.c:971", "kernel BUG at mm/filemap.c:1234!",
// "UBSAN: shift-out-of-bounds in net/foo.c:12:34", v6.19 "WARNING: kernel/foo.c:12 at ...".
const locationRes: readonly RegExp[] = [
  /\bat (?:\.\.\/)?([A-Za-z0-9_\-./]+\.[a-zA-Z]+:\d+)/,
  /\bin (?:\.\.\/)?([A-Za-z0-9_\-./]+\.[a-zA-Z]+:\d+)(?::\d+)?/,
  /WARNING: (?:\.\.\/)?([A-Za-z0-9_\-./]+\.[a-zA-Z]+:\d+) at /,
];

export function parseLocation(header: string): string | undefined {
  for (const re of locationRes) {
    const m = re.exec(header);
    if (m) return m[1];
  }
  return undefined;
}

export function parsePageDumpReason(lines: readonly string[]): string | undefined {
  for (const l of lines) {
    const i = l.indexOf('page dumped because: ');
    if (i >= 0) return l.slice(i + 21).trim();
  }
  return undefined;
}

/** Regexes this module applies to report lines (the ReDoS audit runs them on adversarial input). */
export const metadataRegexes: readonly RegExp[] = [
  taskLineRe, oldTaskLineRe, bannerRe, bareTaintLineRe, lastUnloadedRe, blanksRe, regRe, regLineRe,
  ...archLineRules.map(([re]) => re), ...releaseArchRules.map(([re]) => re), arm64PcRe, arm64LrRe, ...archFrameHints.map(([re]) => re), ...locationRes,
];
