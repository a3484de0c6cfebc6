// UBSAN, reboots, VFS and netdev refcount leaks, OOM kills, hard lockups,
// kmemleak, old powerpc "Badness", standalone "Oops", and the messages
// printed by syzkaller's own tools (they show up in syzkaller console logs).
import { pattern } from '../../parsers/patterns.js';
import { TRACE, pcTraceStack, traceStack, warningStack } from './common.js';
import type { OopsFamily } from './types.js';

// One handler of a line __report_bad_irq lists: "[<00000000c08bd11c>] usb_hcd_irq [usbcore]".
const badIrqHandlerRe = /^\s*\[<[0-9a-fx]+>\] \(?([A-Za-z_][\w.]*)/;

// The OOM killer's verdict (mm/oom_kill.c): "Out of memory: Killed process 4321 (", "Memory cgroup out of
// memory: Killed process ...", before v5.0 "Out of memory: Kill process 4321 (java) score ...". The 'oom'
// report ends with it, and the 'oom-kill' family reads it when it comes alone.
const oomVerdict = String.raw`ut of memory(?: \(oom_kill_allocating_task\))?: Kill(?:ed)? process \d+ `;

export const miscFamilies: OopsFamily[] = [
  {
    // lib/ubsan.c: "UBSAN: shift-out-of-bounds in net/foo.c:12:34" (v5.11+); "UBSAN: Undefined behaviour in" before.
    id: 'ubsan',
    header: 'UBSAN:',
    crashClass: 'ubsan',
    severity: 'error',
    formats: [
      {
        title: /UBSAN:/,
        report: [/UBSAN: Undefined behaviour in/],
        fmt: 'UBSAN: undefined-behaviour in {f1}',
        stack: traceStack(['ubsan', 'overflow']),
      },
      {
        title: /UBSAN: array-index-out-of-bounds in/,
        fmt: 'UBSAN: array-index-out-of-bounds in {f1}',
        alt: ['bad-access in {f1}'],
        stack: traceStack(['ubsan', 'overflow']),
      },
      { title: /UBSAN:/, report: [/UBSAN: (.*?) in/], fmt: 'UBSAN: {1} in {f1}', stack: traceStack(['ubsan', 'overflow']) },
    ],
  },
  {
    // x86 boot decompressor banner; a report only when a kernel was already running (see the segmenter's reboot guard).
    id: 'reboot',
    header: 'Booting the kernel.',
    crashClass: 'reboot',
    severity: 'error',
    suppress: [/Parsing ELF|Decompressing Linux|Unknown parameter '/],
    formats: [{ title: /^Booting the kernel/, fmt: 'unexpected kernel reboot', noStackTrace: true }],
  },
  {
    // kernel/irq/spurious.c __report_bad_irq: an interrupt line no handler claims (99,900 of
    // 100,000 interrupts answered IRQ_NONE: "irq %d: nobody cared (try booting with the "irqpoll"
    // option)", then "Disabling IRQ #%d"), or a handler that returned no irqreturn_t ("irq event %d:
    // bogus return value %x"). dump_stack() shows only the interrupt path; the handlers of the line,
    // listed after "handlers:" ("[<%p>] %ps", with " threaded [<%p>] %ps"; before v4.x print_symbol's
    // "[<addr>] (name+0x0/0x40)"), are what the report is about: the title names the first one.
    // The irq number is left out of the title (it differs from machine to machine).
    id: 'bad-irq',
    header: 'nobody cared',
    crashClass: 'other',
    severity: 'error',
    syzbot: false,
    // Only the kernel's line, not a line that quotes it.
    suppress: [/^(?!\s*irq \d+: nobody cared \(try booting with)/],
    // note_interrupt() then disables the line: the last line of the report.
    endRe: /^\s*Disabling IRQ #\d+/,
    formats: [
      { title: /^\s*irq \d+: nobody cared/, report: [/irq \d+: nobody cared/, /^\s*handlers:\s*$/, badIrqHandlerRe], fmt: 'irq: nobody cared in {1}' },
      { title: /^\s*irq \d+: nobody cared/, fmt: 'irq: nobody cared' },
    ],
  },
  {
    id: 'bad-irq-return',
    header: 'bogus return value',
    crashClass: 'other',
    severity: 'error',
    syzbot: false,
    suppress: [/^(?!\s*irq event \d+: bogus return value [0-9a-f]+\s*$)/],
    formats: [
      {
        title: /^\s*irq event \d+: bogus return value/,
        report: [/irq event \d+: bogus return value/, /^\s*handlers:\s*$/, badIrqHandlerRe],
        fmt: 'irq: bogus return value in {1}',
      },
      { title: /^\s*irq event \d+: bogus return value/, fmt: 'irq: bogus return value' },
    ],
  },
  {
    // net/core/dev.c netdev_wait_allrefs: a leaked device reference.
    id: 'netdev-refcount',
    header: 'unregister_netdevice: waiting for',
    crashClass: 'refcount',
    severity: 'error',
    formats: [
      {
        title: /unregister_netdevice: waiting for (?:.*) to become free/,
        fmt: 'unregister_netdevice: waiting for DEV to become free',
        noStackTrace: true,
      },
    ],
  },
  {
    id: 'vfs-file-count',
    header: 'VFS: Close: file count is 0',
    crashClass: 'refcount',
    severity: 'error',
    formats: [{ title: /VFS: Close: file count is 0/, fmt: 'VFS: Close: file count is zero (use-after-free)', noStackTrace: true }],
  },
  {
    id: 'vfs-busy-inodes',
    header: 'VFS: Busy inodes after unmount',
    crashClass: 'refcount',
    severity: 'error',
    formats: [{ title: /VFS: Busy inodes after unmount/, fmt: 'VFS: Busy inodes after unmount (use-after-free)', noStackTrace: true }],
  },
  {
    // mm/oom_kill.c dump_header: "foo invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0".
    id: 'oom',
    header: 'invoked oom-killer:',
    crashClass: 'oom',
    severity: 'warning',
    syzbot: false,
    // The report ends with the OOM killer's verdict ("Out of memory: Killed process 4321 (java) ..."),
    // after Mem-Info, a memcg's memory.stat ("anon_thp 0": ~50 lines unlike a report's) and the task list.
    endRe: new RegExp(oomVerdict),
    junkLimit: 200,
    formats: [
      {
        title: /invoked oom-killer:/,
        fmt: 'OOM: out of memory in {f1}',
        stack: traceStack(['oom', 'out_of_memory', 'dump_header', 'alloc', 'try_charge', 'mem_cgroup', 'charge', 'page_cache_ra', 'filemap_fault', '__do_fault', 'handle_mm_fault', 'do_user_addr_fault', 'exc_page_fault', 'asm_exc_page_fault']),
      },
    ],
  },
  {
    // mm/oom_kill.c __oom_kill_process: "Out of memory: Killed process 4321 (java) total-vm:...kB, anon-rss:..."
    // (v4.19+; "Memory cgroup out of memory: ..." for a memcg, "Out of memory (oom_kill_allocating_task): ..."),
    // before v5.0 "Out of memory: Kill process 4321 (java) score 900 or sacrifice child". It is KERN_ERR and
    // the OOM report before it ("invoked oom-killer:", the 'oom' family) KERN_WARNING, so a log kept at
    // error level (kern.log filters, journalctl -p err, dmesg -l err) has this line alone: a report of its
    // own then, titled by the process killed. After an open OOM report it is that report's last line.
    id: 'oom-kill',
    // "Killed process" and "Kill process"; the suppression wants the whole verdict.
    header: 'Kill',
    crashClass: 'oom',
    severity: 'warning',
    syzbot: false,
    suppress: [new RegExp(String.raw`^(?!.*${oomVerdict}\()`)],
    formats: [
      { title: /Memory cgroup out of memory: Kill(?:ed)? process \d+ \((.*?)\)(?: |,|$)/, fmt: 'OOM: memory cgroup out of memory, killed {1}', noStackTrace: true },
      { title: /Out of memory(?: \(oom_kill_allocating_task\))?: Kill(?:ed)? process \d+ \((.*?)\)(?: |,|$)/, fmt: 'OOM: out of memory, killed {1}', noStackTrace: true },
    ],
  },
  {
    // mm/page_alloc.c warn_alloc: "kworker/u16:3: page allocation failure: order:4, mode:0x40cc0(GFP_KERNEL|
    // __GFP_COMP), nodemask=(null),cpuset=/,mems_allowed=0" (the same words since v2.6), then dump_stack()
    // and show_mem(); v4.9-v4.14 also warned "page allocation stalls for 10308ms, order:0". The allocation
    // failed, no task was killed (that is the OOM killer's report): often a driver's high-order or atomic
    // allocation. The guilty frame is the caller of the allocator. syzbot files none (fault injection).
    id: 'alloc-failure',
    header: 'page allocation',
    crashClass: 'oom',
    severity: 'warning',
    syzbot: false,
    suppress: [/^(?!.*: page allocation (?:failure: order:|stalls for \d+ms, order:))/],
    formats: [
      {
        title: /: page allocation (failure|stalls)/,
        fmt: 'page allocation {1} in {f1}',
        // The allocator's own frames (names matched anywhere, as syzkaller does), not every name with
        // "alloc" in it: a driver's foo_alloc_rx_buffers is the caller the title should name.
        stack: traceStack([
          'warn_alloc', 'alloc_pages', 'kmalloc', 'kvmalloc', 'kmem_cache_alloc', 'slab_alloc', 'new_slab', 'allocate_slab',
          'get_free_pages', 'page_frag_alloc', 'netdev_alloc_frag', 'alloc_skb', 'vmalloc', 'dma_alloc', 'dma_direct_alloc',
          'compact', 'reclaim',
        ]),
      },
    ],
  },
  {
    // kernel/watchdog_perf.c / watchdog_buddy.c: "Watchdog detected hard LOCKUP on cpu 3".
    id: 'hard-lockup',
    header: 'Watchdog detected hard LOCKUP',
    crashClass: 'hard-lockup',
    severity: 'critical',
    syzbot: false,
    formats: [{ title: /Watchdog detected hard LOCKUP/, fmt: 'BUG: hard lockup in {f1}', alt: ['stall in {f1}'], stack: pcTraceStack(undefined, 'stall') }],
  },
  {
    // arch/powerpc/kernel/watchdog.c: watchdog_smp_panic "CPU 0 detected hard LOCKUP on other CPUs 1" (the CPU
    // that noticed; the stuck one then prints "CPU 1 Hard LOCKUP" and its registers and stack), or
    // soft_nmi_interrupt "CPU 1 self-detected hard LOCKUP @ foo+0x1/0x2". After the generic family, which
    // claims "Watchdog detected hard LOCKUP" first.
    id: 'hard-lockup-powerpc',
    header: 'hard LOCKUP',
    crashClass: 'hard-lockup',
    severity: 'critical',
    syzbot: false,
    formats: [{ title: /detected hard LOCKUP/, fmt: 'BUG: hard lockup in {f1}', alt: ['stall in {f1}'], stack: pcTraceStack(undefined, 'stall') }],
  },
  {
    // mm/kmemleak.c, /sys/kernel/debug/kmemleak: "unreferenced object 0xffff888012345678 (size 64):".
    id: 'kmemleak',
    header: 'unreferenced object 0x',
    crashClass: 'kmemleak',
    severity: 'warning',
    formats: [
      {
        title: /unreferenced object 0x[0-9a-f]+ \(size \d+\):/,
        fmt: 'memory leak in {f1}',
        stack: {
          steps: [{ kind: 'line', re: /backtrace(?: \(crc [0-9a-f]*\))?:/ }, TRACE],
          skip: ['kmemleak', 'mmap', 'kmem', 'slab', 'alloc', 'create_object', 'idr_get', 'list_lru_init', 'kasprintf', 'kvasprintf', 'pcpu_create', 'strdup', 'strndup', 'memdup'],
        },
      },
    ],
  },
  {
    // powerpc WARN_ON before v3.12: "Badness at fs/xfs/xfs_aops.c:971".
    id: 'badness',
    header: 'Badness at ',
    crashClass: 'warning',
    severity: 'warning',
    formats: [{ title: pattern(String.raw`Badness at {{SRC}}`), fmt: 'WARNING in {f1}', stack: warningStack() }],
  },
  {
    // arch/x86/lib/msr.c ex_handler_msr: "unchecked MSR access error: WRMSR to 0x3f1 (tried to write ...) at rIP: ... (native_write_msr+0x4/0x20)".
    id: 'msr',
    header: 'unchecked MSR access error:',
    crashClass: 'warning',
    severity: 'warning',
    syzbot: false,
    formats: [{ title: /unchecked MSR access error: (RDMSR|WRMSR)/, fmt: 'unchecked MSR access error in {f1}', stack: traceStack(['msr']) }],
  },
  {
    // A standalone oops line whose fault header was not printed or was lost:
    // x86 "Oops: 0000 [#1] SMP", s390 "Oops: 0004 ilc:3 [#1]", powerpc "Oops: Kernel access of bad area, sig: 11 [#1]",
    // riscv/mips "Oops [#1]", "Oops[#1]:".
    id: 'oops',
    header: 'Oops',
    crashClass: 'other',
    severity: 'critical',
    suppress: [/^(?!.*Oops(?:: [0-9a-f]{4}\b|: Kernel access|: Exception in kernel mode| ?\[#\d+\]| - ))/],
    formats: [{ title: /Oops/, fmt: 'Oops in {f1}', stack: pcTraceStack() }],
  },
  // Messages of syzkaller's executor and Go tools, found in syzkaller console logs.
  {
    id: 'syzfail',
    header: 'SYZFAIL:',
    crashClass: 'other',
    severity: 'info',
    formats: [{ title: /SYZFAIL:(.*)/, fmt: 'SYZFAIL:{1}', noStackTrace: true }],
  },
  {
    id: 'syzfatal',
    header: 'SYZFATAL:',
    crashClass: 'other',
    severity: 'info',
    formats: [{ title: /SYZFATAL:(.*)/, fmt: 'SYZFATAL:{1}', alt: ['SYZFATAL'], noStackTrace: true }],
  },
  {
    id: 'go-panic',
    header: 'panic:',
    crashClass: 'other',
    severity: 'info',
    // syzbot's titles of kernel panics ("kernel panic: Attempted to kill init!") are cited in mail;
    // the kernel itself prints "Kernel panic - not syncing: ...".
    suppress: [/_panic:/, /xlog_status:/, /ddb\.onpanic:/, /evtlog_status:/, /kernel panic:/],
    formats: [
      { title: /panic: Sentry detected .* stuck task/, fmt: 'panic: Sentry detected stuck tasks', noStackTrace: true },
      { title: /panic:(.*)/, fmt: 'panic:{1}', noStackTrace: true },
    ],
  },
  {
    id: 'trusty',
    header: 'trusty: panic',
    crashClass: 'panic',
    severity: 'critical',
    formats: [
      {
        title: /trusty: panic.* ASSERT FAILED/,
        report: [/trusty: panic \(.*?\):(?: DEBUG)? ASSERT FAILED at \(.*?\): (.+)/],
        fmt: 'trusty: ASSERT FAILED: {1}',
        noStackTrace: true,
      },
      { title: /trusty: panic.* ASSERT FAILED.*: *(.*)/, fmt: 'trusty: ASSERT FAILED: {1}', corrupted: true },
      { title: /trusty: panic/, report: [/trusty: panic \(.*?\): (.+)/], fmt: 'trusty: panic: {1}', noStackTrace: true },
    ],
  },
  {
    id: 'go-runtime',
    header: 'fatal error:',
    crashClass: 'other',
    severity: 'info',
    suppress: [/ALSA/, /fatal error: cannot create timer/],
    formats: [{ title: /fatal error:/, fmt: 'go runtime error', noStackTrace: true }],
  },
];

