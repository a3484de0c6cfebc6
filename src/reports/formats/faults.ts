// Faults and traps (arch fault handlers, x86 trap entries, arm/arm64 aborts),
// kernel BUG(), and panics.
import { pattern } from '../../parsers/patterns.js';
import { pcStack, pcTraceStack, traceStack } from './common.js';
import type { OopsFamily } from './types.js';

// An x86 die() banner whose string is not "Oops" (the page-fault banner, the "oops" family's):
// "bounds: 0000 [#1] SMP", "Oops: simd exception: 0000 [#1] PREEMPT SMP NOPTI". The strings are
// words, "#", "(", ")" and "-"; no digit, ":" or ",", so neither "general protection fault, probably
// for ...: 0000 [#1]" nor the second half of it wrapped in a mail ("address 0xdffffc...: 0000 [#1]").
export const x86DieBanner = String.raw`(?:Oops: )?(?!Oops:)([a-zA-Z][a-zA-Z #()-]{1,48}): [0-9a-f]{4} \[#\d+\]`;
const x86DieBannerRe = new RegExp(String.raw`^\s*${x86DieBanner}`);
const x86DieBannerMissingRe = new RegExp(String.raw`^(?!\s*${x86DieBanner})`);

/** Families in this file, in table order. */
export const faultFamilies: OopsFamily[] = [
  {
    // arm, arm64, riscv, s390, old powerpc: "Unable to handle kernel paging request at virtual address ...",
    // "Unable to handle kernel NULL pointer dereference at virtual address ...".
    id: 'unable-to-handle',
    header: 'Unable to handle kernel',
    crashClass: 'page-fault',
    severity: 'critical',
    formats: [
      {
        title: /Unable to handle kernel (paging request|NULL pointer dereference|access to user memory)/,
        fmt: 'BUG: unable to handle kernel {1} in {f1}',
        alt: ['bad-access in {f1}'],
        stack: pcTraceStack(),
      },
      {
        // s390 do_no_context: "Unable to handle kernel pointer dereference in virtual kernel address space".
        title: /Unable to handle kernel pointer dereference/,
        fmt: 'BUG: unable to handle kernel paging request in {f1}',
        alt: ['bad-access in {f1}'],
        stack: pcTraceStack(),
      },
    ],
  },
  {
    // arch/x86/kernel/traps.c: "general protection fault, probably for non-canonical address 0x...: 0000 [#1]".
    id: 'gpf',
    header: 'general protection fault',
    crashClass: 'gpf',
    severity: 'critical',
    // A user-space GPF logged by show_signal_msg: "traps: foo[123] general protection fault ip:... error:0 in libc.so".
    suppress: [/general protection fault .* error:\d+ in /],
    formats: [{ title: /general protection fault.*:/, fmt: 'general protection fault in {f1}', alt: ['bad-access in {f1}'], stack: pcTraceStack() }],
  },
  {
    id: 'stack-segment',
    header: 'stack segment: ',
    crashClass: 'trap',
    severity: 'critical',
    formats: [{ title: /stack segment: /, fmt: 'stack segment fault in {f1}', stack: pcTraceStack() }],
  },
  {
    // x86 int3 trap in kernel mode (v6.x): "Oops: int3: 0000 [#1] SMP".
    id: 'int3',
    header: 'int3: ',
    crashClass: 'trap',
    severity: 'critical',
    suppress: [/^(?!.*int3: [0-9a-f]{4} \[#)/],
    formats: [{ title: /int3: /, fmt: 'int3 in {f1}', stack: pcTraceStack() }],
  },
  {
    id: 'panic',
    header: 'Kernel panic',
    crashClass: 'panic',
    severity: 'critical',
    formats: [
      {
        // kernel/panic.c __stack_chk_fail: "Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: foo+0x1/0x2".
        title: /Kernel panic - not syncing: stack-protector:/,
        report: [pattern(String.raw`Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: {{FUNC}}`)],
        fmt: 'kernel panic: stack is corrupted in {1}',
        noStackTrace: true,
        crashClass: 'stack-protector',
      },
      {
        title: /Kernel panic - not syncing: stack-protector:/,
        report: [/Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: [a-f0-9]+/],
        fmt: 'kernel panic: stack is corrupted in {f1}',
        crashClass: 'stack-protector',
        stack: traceStack(['stack_chk']),
      },
      {
        title: /Kernel panic - not syncing: corrupted stack end/,
        report: [/Kernel panic - not syncing: corrupted stack end detected inside scheduler/],
        fmt: 'kernel panic: corrupted stack end in {f1}',
        alt: ['stack-overflow in {f1}'],
        crashClass: 'stack-overflow',
        stack: traceStack(['schedule', 'retint_kernel'], 'stall'),
      },
      {
        // arm64 / x86 handle_overflow: "Kernel panic - not syncing: kernel stack overflow".
        title: /Kernel panic - not syncing: kernel stack overflow/,
        fmt: 'kernel stack overflow in {f1}',
        alt: ['stack-overflow in {f1}'],
        crashClass: 'stack-overflow',
        stack: traceStack(['bad_stack'], 'stall'),
      },
      {
        // arch/riscv/kernel/traps.c handle_bad_stack: "Insufficient stack space to handle exception!", the
        // registers, then this panic (capital K, unlike arm64/x86 above). syzbot titles it as any panic
        // ("kernel panic: Kernel stack overflow"); only the class says what it is.
        title: /Kernel panic - not syncing: Kernel stack overflow/,
        fmt: 'kernel panic: Kernel stack overflow',
        crashClass: 'stack-overflow',
      },
      {
        // arch/s390/kernel/traps.c kernel_stack_overflow: "Kernel stack overflow." and the registers, then this
        // panic. The title is syzkaller's generic panic title; only the class says what it is.
        title: /Kernel panic - not syncing: Corrupt kernel stack, can't continue/,
        fmt: "kernel panic: Corrupt kernel stack, can't continue.",
        crashClass: 'stack-overflow',
      },
      { title: /Kernel panic - not syncing: Attempted to kill init!/, fmt: 'kernel panic: Attempted to kill init!' },
      {
        title: /Kernel panic - not syncing: Couldn't open N_TTY ldisc for [^ ]+ --- error -[0-9]+/,
        fmt: "kernel panic: Couldn't open N_TTY ldisc",
      },
      // Printed after an oops: seeing it as a title means the real header was missed.
      { title: /Kernel panic - not syncing: Fatal exception/, fmt: 'kernel panic: Fatal exception', corrupted: true },
      { title: /Kernel panic - not syncing: panic_on_warn set/, fmt: 'kernel panic: panic_on_warn set', corrupted: true },
      { title: /Kernel panic - not syncing: hung_task: blocked tasks/, fmt: 'kernel panic: hung_task: blocked tasks', corrupted: true },
      {
        // arch/x86/kernel/cpu/mce/core.c mce_panic: the machine checks ("[Hardware Error]: CPU 1: Machine
        // Check Exception: ..."), "Machine check: <why>", then panic(msg) from the #MC handler or the
        // rendezvous of the CPUs. No stack trace follows: the report is whole without one.
        title: /Kernel panic - not syncing: (Fatal (?:local )?machine check|Machine check from unknown source|Timeout: Not all CPUs entered broadcast exception handler|Timeout synchronizing machine check over CPUs)/,
        fmt: 'kernel panic: {1}',
        noStackTrace: true,
      },
      { title: /Kernel panic - not syncing: (.*)/, fmt: 'kernel panic: {1}' },
    ],
  },
  {
    // x86 double fault (arch/x86/kernel/traps.c exc_double_fault).
    id: 'double-fault',
    header: 'PANIC: double fault',
    crashClass: 'trap',
    severity: 'critical',
    formats: [{ title: /PANIC: double fault/, fmt: 'PANIC: double fault in {f1}', stack: pcStack() }],
  },
  {
    // Rust panics: "rust_kernel: panicked at drivers/android/binder/node.rs:877:13:" then the message line.
    id: 'rust-panic',
    header: 'rust_kernel: panicked',
    crashClass: 'panic',
    severity: 'critical',
    formats: [
      {
        title: /rust_kernel: panicked/,
        report: [/rust_kernel: panicked at /, /^\s*(\S.*?)\s*$/],
        fmt: '{1} in {f1}',
        stack: traceStack([String.raw`__rustc::rust_begin_unwind`]),
      },
    ],
  },
  {
    // lib/bug.c report_bug / BUG(): "kernel BUG at mm/page-writeback.c:2270!".
    id: 'kernel-bug',
    header: 'kernel BUG',
    crashClass: 'bug',
    severity: 'critical',
    formats: [
      { title: /kernel BUG at mm\/usercopy.c/, fmt: 'BUG: bad usercopy in {f1}', crashClass: 'usercopy', stack: traceStack(['usercopy', '__check']) },
      {
        title: /kernel BUG at lib\/list_debug.c/,
        fmt: 'BUG: corrupted list in {f1}',
        alt: ['bad-access in {f1}'],
        crashClass: 'list-corruption',
        stack: traceStack(),
      },
      // Lots of skb wrappers contain BUG_ON, but the bug is almost always in the caller.
      { title: /kernel BUG at (.*)/, fmt: 'kernel BUG in {f1}', stack: pcTraceStack(['^skb_']) },
    ],
  },
  {
    // powerpc/others: "Kernel BUG at c0000000001234 [verbose debug info unavailable]".
    id: 'kernel-bug-upper',
    header: 'Kernel BUG',
    crashClass: 'bug',
    severity: 'critical',
    formats: [{ title: /Kernel BUG (.*)/, fmt: 'kernel BUG {1}' }],
  },
  {
    // mm/slub.c object_err: "BUG kmalloc-64 (Tainted: G B): Object already free".
    id: 'slub-object-free',
    header: 'BUG kmalloc-',
    crashClass: 'bad-page',
    severity: 'critical',
    formats: [{ title: /BUG kmalloc-.*: Object already free/, fmt: 'BUG: Object already free' }],
  },
  {
    // mm/slub.c slab_bug (slub_debug): "BUG lkdtm-heap-double_free (Tainted: G           OE     ): Slab has 0
    // allocated objects but 1 are to be freed" for any cache; print_tainted() gives "Tainted: ..." or "Not
    // tainted". syzkaller only knows "BUG kmalloc-" (the family above, which comes first); with no format
    // the header line is the title, as syzkaller does for a "BUG kmalloc-" reason it has no format for.
    id: 'slub-debug',
    header: 'BUG ',
    crashClass: 'bad-page',
    severity: 'critical',
    syzbot: false,
    // KASAN before v4.11 printed the same line ("...): kasan: bad access detected") inside its own report.
    suppress: [/^(?!.*\bBUG [\w.:-]{1,64} \((?:Tainted: [^)]{0,64}|Not tainted)\): )/, /\): kasan: bad access detected/],
    formats: [],
  },
  {
    // arch/s390/kernel/traps.c do_report_trap -> die(): "illegal operation: 0001 ilc:1 [#1] SMP" (likewise
    // "specification exception", "privileged operation" ...). "Oops" follows a fault header and "monitor
    // event" the "kernel BUG at" line: those two are part of the report already open.
    id: 's390-program-check',
    header: ' ilc:',
    crashClass: 'trap',
    severity: 'critical',
    syzbot: false,
    suppress: [/^(?!.*[a-zA-Z][a-zA-Z -]{2,40}: [0-9a-f]{4} ilc:\d \[#\d+\])/, /(?:Oops|monitor event): [0-9a-f]{4} ilc:/],
    formats: [{ title: /([a-zA-Z][a-zA-Z -]{2,40}): [0-9a-f]{4} ilc:\d \[#\d+\]/, fmt: '{1} in {f1}', stack: pcTraceStack() }],
  },
  {
    id: 'divide-error',
    header: 'divide error:',
    crashClass: 'trap',
    severity: 'critical',
    formats: [{ title: /divide error: /, fmt: 'divide error in {f1}', stack: pcStack() }],
  },
  {
    // Misspelling introduced in 9d06c4027f21 ("x86/entry: Convert Divide Error to IDTENTRY").
    id: 'divide-error-underscore',
    header: 'divide_error:',
    crashClass: 'trap',
    severity: 'critical',
    formats: [{ title: /divide_error: /, fmt: 'divide error in {f1}', stack: pcStack() }],
  },
  {
    // x86 ud2 outside BUG(): "invalid opcode: 0000 [#1] SMP". After "kernel BUG at" it is part of that report.
    id: 'invalid-opcode',
    header: 'invalid opcode:',
    crashClass: 'trap',
    severity: 'critical',
    formats: [{ title: /invalid opcode: /, fmt: 'invalid opcode in {f1}', stack: pcStack() }],
  },
  {
    // arm/arm64 die(): "Internal error: Oops: 96000005 [#1] PREEMPT SMP"; follows the fault header when there is one.
    id: 'internal-error',
    header: 'Internal error:',
    crashClass: 'page-fault',
    severity: 'critical',
    formats: [
      {
        // arch/arm/kernel/traps.c handle_bad_stack: die("kernel stack overflow"). Same title; the class says what it is.
        title: /Internal error: kernel stack overflow/,
        fmt: 'Internal error in {f1}',
        alt: ['bad-access in {f1}'],
        crashClass: 'stack-overflow',
        stack: pcTraceStack(),
      },
      { title: /Internal error:/, fmt: 'Internal error in {f1}', alt: ['bad-access in {f1}'], stack: pcTraceStack() },
    ],
  },
  {
    // arm do_DataAbort: "Unhandled fault: page domain fault (0x81b) at 0x00001044".
    id: 'unhandled-fault',
    header: 'Unhandled fault:',
    crashClass: 'page-fault',
    severity: 'critical',
    formats: [{ title: /Unhandled fault:/, fmt: 'Unhandled fault in {f1}', alt: ['bad-access in {f1}'], stack: pcTraceStack() }],
  },
  {
    id: 'alignment-trap',
    header: 'Alignment trap:',
    crashClass: 'trap',
    severity: 'critical',
    formats: [{ title: /Alignment trap:/, fmt: 'Alignment trap in {f1}', stack: pcTraceStack() }],
  },
  {
    // x86 die() banners of the traps no family above names (arch/x86/kernel/dumpstack.c __die_header
    // "%s: %04lx [#%d]", since v6.9 "Oops: %s: %04lx [#%d]"; the strings from arch/x86/kernel/traps.c):
    // "bounds", "overflow", "invalid TSS", "segment not present", "coprocessor segment overrun",
    // "fpu exception", "simd exception", "unexpected #NM exception", "kernel stack overflow
    // (double-fault)", "stack guard page". Those with a family of their own (general protection fault,
    // invalid opcode, divide error, stack segment, int3) come earlier in the table and claim theirs.
    // syzkaller has no title for them, so the title is the banner's string.
    id: 'x86-die',
    // (Not " [#": a header that starts with a blank made the test of every line for every header
    // twice as slow; V8 scans for the alternatives' first characters.)
    header: '[#',
    crashClass: 'trap',
    severity: 'critical',
    syzbot: false,
    suppress: [x86DieBannerMissingRe],
    formats: [{ title: x86DieBannerRe, fmt: '{1} in {f1}', stack: pcTraceStack() }],
  },
];
