// Stack-frame lines of every architecture -> Frame objects. One table entry per
// printed format; the first entry that matches a line wins.
import { demangleRust } from './rust-demangle.js';
import type { Frame } from '../model/report.js';

/** A function symbol as printed by %pS: letters, digits, "_", "." (".isra.0", ".cold"), "$". */
const SYM = String.raw`[A-Za-z_$][A-Za-z0-9_.$]*`;
/** "+0x5ce/0x630" (offset/size); some old formats print no size. */
const OFF = String.raw`\+(0x[0-9a-fA-F]+)(?:/(0x[0-9a-fA-F]+))?`;
/** " [xfs]" or " [xfs 1a2b3c...]" (module with build id, v5.19+). */
const MOD = String.raw`(?: \[([A-Za-z0-9_.\-]+)(?: [0-9a-f]+)?\])?`;
/** " fs/xfs/xfs_aops.c:971" (+ " [inline]") added by decode_stacktrace.sh / syzbot symbolization. */
const SRC = String.raw`(?: (?:\.\./)?([A-Za-z0-9_\-./]+\.[a-zA-Z]+):(\d+)(?::\d+)?( \[inline\])?)?`;
/** "[<ffffffff8316f759>]" x86/s390/riscv/mips/old arm; "[c00000000f8e3b80]" powerpc. */
const PC = String.raw`\[<?(?:0x)?[0-9a-fA-F]+>?\]`;

/**
 * arm (32-bit) v5.16+ frame line, arch/arm/kernel/traps.c dump_backtrace_entry " %ps from %pS":
 * " direct_entry [lkdtm] from full_proxy_write+0x5c/0x8c" (the callee, then its caller with offset).
 */
export const armUnwindFrameRe = new RegExp(String.raw`^\s*(${SYM})(?:${OFF})?${MOD} from (${SYM})${OFF}${MOD}\s*$`);

export interface FrameLine {
  frames: Frame[];
  /** True for lines such as x86 "? foo+0x1/0x2" and powerpc "... (unreliable)". */
  unreliable: boolean;
}

interface FrameFormat {
  /** Which kernel prints it (comment only, for maintenance). */
  what: string;
  re: RegExp;
  build: (m: RegExpExecArray) => Frame[];
}

/** A frame's function name: Rust v0 symbols ("_RNv...") demangled, as syzbot titles show them. */
function functionName(fn: string): string {
  return (fn.charCodeAt(0) === 95 /* _ */ && fn.charCodeAt(1) === 82 /* R */ && demangleRust(fn)) || fn;
}

function mk(fn: string, off?: string, size?: string, mod?: string, addr?: string): Frame {
  const f: Frame = { function: functionName(fn), reliable: true };
  if (off !== undefined) f.offset = off;
  if (size !== undefined) f.size = size;
  if (mod !== undefined) f.module = mod;
  if (addr !== undefined) f.address = addr;
  return f;
}

/** Builds one frame of an arm "from" line; `i` is the index of its PC group. */
function armFrame(m: RegExpExecArray, i: number): Frame {
  const f = mk(m[i + 1]!, m[i + 2], m[i + 3], m[i + 4], m[i]);
  if (m[i + 5] !== undefined) {
    f.file = m[i + 5];
    f.line = Number(m[i + 6]);
  }
  if (m[i + 7]) f.inlined = true;
  return f;
}

// decode_stacktrace.sh strips the build directory only when it can work it out; other builds keep it
// ("debian/build/build_amd64_none_amd64/fs/...", "/build/reproducible-path/linux-6.1.176/arch/...",
// "./include/..."). The path from the first top-level directory of the kernel tree on is the source file.
const kernelTreeRe = /(?:^|\/)((?:arch|block|certs|crypto|drivers|fs|include|init|io_uring|ipc|kernel|lib|mm|net|rust|samples|security|sound|virt)\/.*)$/;

/** A source path as decode_stacktrace.sh printed it, relative to the kernel tree where that can be told. */
function kernelTreePath(path: string): string {
  return kernelTreeRe.exec(path)?.[1] ?? path;
}

const frameFormats: readonly FrameFormat[] = [
  {
    what:
      'arm (32-bit) CONFIG_BACKTRACE_VERBOSE / pre-5.16: "[<c0123456>] (foo) from [<c0123789>] (bar+0x10/0x20)",' +
      ' symbolized: "(bar+0x10/0x20 kernel/x.c:12)", "(baz kernel/x.c:34 [inline])"',
    re: new RegExp(String.raw`^\s*(${PC}) \((${SYM})(?:${OFF})?${MOD}${SRC}\) from (${PC}) \((${SYM})(?:${OFF})?${MOD}${SRC}\)`),
    build: (m) => [armFrame(m, 1), armFrame(m, 9)],
  },
  {
    what: 'arm (32-bit) v5.16+: " foo from bar+0x10/0x20"',
    re: armUnwindFrameRe,
    build: (m) => [mk(m[1]!, m[2], m[3], m[4]), mk(m[5]!, m[6], m[7], m[8])],
  },
  {
    // arch/s390/kernel/dumpstack.c show_trace prints a frame the unwinder is not sure of (!state.reliable,
    // typically the return address taken from r14) in parentheses: like x86 "? foo", it never names the bug.
    what: 's390 unreliable frame in parentheses: " ([<000000000012345a>] foo+0x1a/0x30)"',
    re: new RegExp(String.raw`^\s*\((${PC}) (${SYM})${OFF}${MOD}\)`),
    build: (m) => [{ ...mk(m[2]!, m[3], m[4], m[5], m[1]), reliable: false }],
  },
  {
    what:
      'generic: x86-64 " foo+0x1/0x2 [mod]", old x86 " [<ffffffff81234567>] foo+0x1/0x2", powerpc "[sp] [pc] foo+0x1/0x2",' +
      ' arm64 " foo+0x1c/0x30", riscv/mips/s390 " [<addr>] foo+0x1/0x2", symbolized " foo+0x1/0x2 file.c:12"',
    re: new RegExp(String.raw`^\s*(?:(${PC}) ?)?(?:(${PC}) ?)?(\? )?(${SYM})${OFF}${MOD}${SRC}`),
    build: (m) => {
      const f = mk(m[4]!, m[5], m[6], m[7], m[2] ?? m[1]);
      if (m[3]) f.reliable = false;
      if (m[8] !== undefined) {
        f.file = m[8];
        f.line = Number(m[9]);
      }
      if (m[10]) f.inlined = true;
      return [f];
    },
  },
  {
    // scripts/decode_stacktrace.sh replaces "foo+0x1/0x2 [mod]" with "foo (file:line)" (addr2line -i puts an
    // inline chain's locations in the same parentheses), keeps "?" and puts the module name after it.
    what: 'decode_stacktrace.sh: "? foo (fs/foo.c:12 include/x.h:3 (discriminator 2)) mod"',
    re: new RegExp(String.raw`^\s*(\? )?(${SYM}) \(([^\s():]+):(\d+)[^\n]*\)(?: \[?([A-Za-z0-9_\-]+)\]?)?\s*$`),
    build: (m) => {
      const f: Frame = { function: functionName(m[2]!), reliable: !m[1], file: kernelTreePath(m[3]!), line: Number(m[4]) };
      if (m[5] !== undefined) f.module = m[5];
      return [f];
    },
  },
  {
    what: 'symbolized inline frame: " __dump_stack lib/dump_stack.c:16 [inline]"',
    re: new RegExp(String.raw`^\s*(${SYM}) (?:\.\./)?([A-Za-z0-9_\-./]+\.[a-zA-Z]+):(\d+)(?::\d+)? \[inline\]`),
    build: (m) => [{ function: functionName(m[1]!), reliable: true, file: m[2]!, line: Number(m[3]), inlined: true }],
  },
];

// The text every frame format needs: an offset, "[inline]", arm's " from ", decode_stacktrace.sh's " (file:1".
const quickRe = /\+0x|\[inline\]| from |[\w$] \([^\s():]+:\d/;

/**
 * Parses one line of a call trace. Returns null when the line is not a frame
 * line. Unreliable markers ("? ", "(unreliable)") are reported on the frames.
 */
export function parseFrameLine(text: string): FrameLine | null {
  if (!quickRe.test(text)) return null;
  for (const fmt of frameFormats) {
    const m = fmt.re.exec(text);
    if (!m) continue;
    const frames = fmt.build(m);
    let unreliable = frames.some((f) => !f.reliable);
    if (text.endsWith('(unreliable)')) unreliable = true;
    if (unreliable) for (const f of frames) f.reliable = false;
    return { frames, unreliable };
  }
  return null;
}

/** Function name as used in titles: stops at the first "." (drops .isra.0, .cold, .constprop.0). */
export function titleFunction(fn: string): string {
  const dot = fn.indexOf('.');
  return dot > 0 ? fn.slice(0, dot) : fn;
}

/**
 * The faulting-PC line printed with the registers, per architecture:
 * x86-64 "RIP: 0010:foo+0x1/0x2", old x86 "IP: [<..>] foo+0x..", "EIP: [<..>] foo+..",
 * powerpc "NIP [c000..] foo+0x..", arm64 "pc : foo+0x..", arm/old arm64 "PC is at foo+0x..",
 * riscv "epc : foo+0x..", s390 "Krnl PSW : 0704c00180000000 000000000012345a (foo+0x1a/0x30)".
 * Group 1 is the function, absent for user-space PCs ("RIP: 0033:0x4466b9") and NULL PCs; s390
 * show_registers prints such a PSW address as "(0x3ff8cbfa000)" (%pSR of an address with no symbol).
 */
export const pcLineRe = new RegExp(
  String.raw`(?:IP|NIP|pc |PC is at|Krnl PSW :[ 0-9a-f]+)` +
    String.raw`:? (?:(?:[0-9]+:)?(?:${PC} +){0,2}\(?(${SYM})(?:\+0x| \([^\s():]+:\d)|(?:[0-9]+:)?\(?0x[0-9a-f]+|(?:[0-9]+:)?${PC} +\[< *\(null\)>\] +\(null\)|[0-9]+: +\(null\))`,
  'd',
);

/** The PC frame where pcLineRe found its function: read at that position (sticky), not searched for. */
const pcFrameRe = new RegExp(String.raw`(${SYM})${OFF}${MOD}`, 'y');

/** Regexes this module applies to report lines (the ReDoS audit runs them on adversarial input). */
export const frameRegexes: readonly RegExp[] = [...frameFormats.map((f) => f.re), quickRe, pcLineRe, pcFrameRe, kernelTreeRe];

/** Parses a PC line into its frame (null when the line is not a PC line or names no function). */
export function parsePcLine(text: string): { frame: Frame | null } | null {
  const m = pcLineRe.exec(text);
  if (!m) return null;
  if (m[1] === undefined) return { frame: null };
  pcFrameRe.lastIndex = m.indices![1]![0];
  const fm = pcFrameRe.exec(text);
  const f = fm ? mk(fm[1]!, fm[2], fm[3], fm[4]) : mk(m[1]);
  return { frame: f };
}
