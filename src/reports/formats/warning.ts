// "WARNING:" reports (WARN_ON and friends, lockdep, RCU lockdep) and "INFO:"
// reports (hung tasks, RCU stalls, old-style lockdep headers).
import { pattern } from '../../parsers/patterns.js';
import { CALL_TRACE, PC, TRACE, traceStack, warningStack } from './common.js';
import type { OopsFamily, TitleFormat } from './types.js';

const lockdepAt = pattern(String.raw`at: (?:{{PC}} +)?{{FUNC}}`);

/** Lockdep reports titled "possible deadlock in <function taking the lock>". */
function deadlock(header: string, anchor: RegExp): TitleFormat {
  return {
    title: new RegExp(header),
    report: [new RegExp(header), anchor, lockdepAt],
    fmt: 'possible deadlock in {1}',
    crashClass: 'lockdep',
  };
}

export const warningFamily: OopsFamily = {
  id: 'warning',
  header: 'WARNING:',
  crashClass: 'warning',
  severity: 'warning',
  suppress: [
    /WARNING: \/etc\/ssh\/moduli does not exist, using fixed modulus/, // sshd
    /WARNING: workqueue cpumask: online intersect > possible intersect/,
    /WARNING: [Tt]he mand mount option/,
    /WARNING: Unsupported flag value\(s\) of 0x%x in DT_FLAGS_1/, // glibc
    /WARNING: Unprivileged eBPF is enabled with eIBRS/,
    /WARNING: fbcon: Driver '(.*)' missed to adjust virtual screen size/,
    /WARNING: See https.* for mitigation options\./,
    /WARNING: kernel not compiled with CPU_SRSO/,
    /EXT4-[Ff][Ss](?: \(.*\))?:/, // __ext4_msg
    /warning: .* uses (deprecated v2 capabilities|wireless extensions)/i,
    /XFS \(\w+\): WARNING/,
    /RETBleed: WARNING:/, // boot-time mitigation notice, not a WARN_ON (accel-ppp/accel-ppp#312)
  ],
  formats: [
    {
      title: /WARNING: .*lib\/debugobjects\.c.* (?:debug_print|debug_check|at)/,
      fmt: 'WARNING: ODEBUG bug in {f1}',
      stack: warningStack('debug_', 'rcu', 'hrtimer_', 'timer_', 'work_', 'percpu_', 'vunmap', 'vfree', '__free_', 'debug_check', 'kobject_'),
    },
    {
      title: /WARNING: .*mm\/usercopy\.c.* (?:usercopy_warn|at)/,
      fmt: 'WARNING: bad usercopy in {f1}',
      crashClass: 'usercopy',
      stack: warningStack('usercopy', '__check'),
    },
    { title: /WARNING: .*lib\/kobject\.c.* (?:kobject_|at)/, fmt: 'WARNING: kobject bug in {f1}', stack: warningStack('kobject_') },
    {
      title: /WARNING: .*fs\/proc\/generic\.c.* (?:proc_register|at)/,
      fmt: 'WARNING: proc registration bug in {f1}',
      stack: warningStack('proc_'),
    },
    {
      // lib/refcount.c refcount_warn_saturate, after "refcount_t: underflow; use-after-free.".
      title: /WARNING: .*lib\/refcount\.c.* (?:refcount_|at)/,
      fmt: 'WARNING: refcount bug in {f1}',
      crashClass: 'refcount',
      stack: warningStack('refcount', 'kobject_'),
    },
    {
      title: /WARNING: .*kernel\/locking\/lockdep\.c.*lock_/,
      fmt: 'WARNING: locking bug in {f1}',
      crashClass: 'lockdep',
      stack: warningStack('lock_sock', 'release_sock'),
    },
    {
      title: /WARNING: .*still has locks held!/,
      report: [/WARNING: .*still has locks held!/, pattern(String.raw`at: {{FUNC}}`)],
      fmt: 'WARNING: still has locks held in {1}',
      crashClass: 'lockdep',
    },
    { title: /WARNING: Nested lock was not taken/, fmt: 'WARNING: nested lock was not taken in {f1}', crashClass: 'lockdep', stack: warningStack() },
    {
      title: /WARNING: lock held when returning to user space/,
      report: [/WARNING: lock held when returning to user space/, /leaving the kernel with locks still held/, lockdepAt],
      fmt: 'WARNING: lock held when returning to user space in {1}',
      noStackTrace: true,
      crashClass: 'lockdep',
    },
    { title: /WARNING: .*mm\/.*\.c.* k?.?malloc/, fmt: 'WARNING: kmalloc bug in {f1}', stack: warningStack('kmalloc', 'krealloc', 'slab', 'kmem') },
    { title: /WARNING: .*mm\/vmalloc.c.*__vmalloc_node/, fmt: 'WARNING: zero-size vmalloc in {f1}', stack: warningStack() },
    {
      title: /WARNING: .* usb_submit_urb/,
      fmt: 'WARNING in {f1}/usb_submit_urb',
      stack: warningStack('usb_submit_urb', 'usb_start_wait_urb', 'usb_bulk_msg', 'usb_interrupt_msg', 'usb_control_msg'),
    },
    {
      // v6.19+ (lore 20251110114633.202485143@infradead.org): "WARNING: kernel/foo.c:12 at 0x123, CPU#0: comm/123".
      title: pattern(String.raw`WARNING: {{SRC}} at 0x\d+, CPU#\d+`),
      fmt: 'WARNING in {f1}',
      stack: warningStack(),
    },
    {
      // v3.12+ kernel/panic.c __warn: "WARNING: CPU: 3 PID: 19721 at fs/xfs/xfs_aops.c:971 xfs_vm_writepage+0x5ce/0x630 [xfs]".
      title: pattern(String.raw`WARNING: .* at {{SRC}} {{FUNC}}`),
      fmt: 'WARNING in {f1}',
      stack: warningStack(),
    },
    {
      // Before v3.12 warn_slowpath_common printed "WARNING: at fs/xfs/xfs_aops.c:971 xfs_vm_writepage+0x5ce/0x630 [xfs]()".
      title: pattern(String.raw`WARNING: at {{SRC}} {{FUNC}}`),
      fmt: 'WARNING in {f1}',
      stack: warningStack(),
    },
    { title: pattern(String.raw`WARNING: {{SRC}} at {{FUNC}}`), fmt: 'WARNING in {f1}', stack: warningStack() },
    {
      // The header names no function (s390 and others on 3.x): "WARNING: at /tmp/x/will_oops.c:11";
      // the frame comes from the PC line or the call trace. (A mail client's wrap is re-joined before this.)
      title: pattern(String.raw`WARNING: (?:.* )?at {{SRC}}\s*$`),
      fmt: 'WARNING in {f1}',
      stack: warningStack(),
    },
    { title: pattern(String.raw`WARNING: \[.*\] {{SRC}} at {{FUNC}}.*`), fmt: 'WARNING in {f1}', stack: warningStack() },
    {
      // kernel/locking/lockdep.c print_circular_bug_header.
      title: /WARNING: possible circular locking dependency detected/,
      report: [/WARNING: possible circular locking dependency detected/, /is trying to acquire lock/],
      fmt: 'possible deadlock in {f1}',
      crashClass: 'lockdep',
      stack: {
        steps: [{ kind: 'line', re: lockdepAt }, { kind: 'line', re: lockdepAt }, TRACE],
        // Workqueue functions take locks associated with work items.
        skip: ['process_one_work', 'flush_workqueue', 'drain_workqueue', 'destroy_workqueue'],
      },
    },
    deadlock('WARNING: possible irq lock inversion dependency detected', /just changed the state of lock/),
    {
      title: /WARNING: .*-safe -> .*-unsafe lock order detected/,
      fmt: 'possible deadlock in {f1}',
      crashClass: 'lockdep',
      stack: { steps: [{ kind: 'line', re: /which became (?:.*) at:/ }, TRACE] },
    },
    deadlock('WARNING: possible recursive locking detected', /is trying to acquire lock/),
    {
      title: /WARNING: inconsistent lock state/,
      report: [/WARNING: inconsistent lock state/, /takes/, lockdepAt],
      fmt: 'inconsistent lock state in {f1}',
      crashClass: 'lockdep',
      stack: traceStack(),
    },
    {
      // kernel/locking/lockdep.c lockdep_rcu_suspicious: "WARNING: suspicious RCU usage" then "include/linux/rcupdate.h:123 ...".
      title: /WARNING: suspicious RCU usage/,
      report: [/WARNING: suspicious RCU usage/, pattern(String.raw`{{SRC}}`)],
      fmt: 'WARNING: suspicious RCU usage in {f1}',
      crashClass: 'lockdep',
      stack: traceStack(['rcu', 'kmem', 'slab']),
    },
    {
      title: /WARNING: kernel stack regs at [0-9a-f]+ in [^ ]* has bad '([^']+)' value/,
      fmt: "WARNING: kernel stack regs has bad '{1}' value",
      noStackTrace: true,
    },
    {
      title: /WARNING: kernel stack frame pointer at [0-9a-f]+ in [^ ]* has bad value/,
      fmt: 'WARNING: kernel stack frame pointer has bad value',
      noStackTrace: true,
    },
    {
      title: /WARNING: bad unlock balance detected!/,
      fmt: 'WARNING: bad unlock balance in {f1}',
      crashClass: 'lockdep',
      stack: { steps: [{ kind: 'line', re: pattern(String.raw`{{PC}} +{{FUNC}}`) }, CALL_TRACE, TRACE] },
    },
    {
      title: /WARNING: held lock freed!/,
      report: [/WARNING: held lock freed!/, pattern(String.raw`at:(?: {{PC}})? +{{FUNC}}`)],
      fmt: 'WARNING: held lock freed in {1}',
      crashClass: 'lockdep',
    },
    { title: /WARNING: kernel stack regs .* has bad 'bp' value/, fmt: 'WARNING: kernel stack regs has bad value', noStackTrace: true },
    { title: /WARNING: kernel stack frame pointer .* has bad value/, fmt: 'WARNING: kernel stack regs has bad value', noStackTrace: true },
    { title: /WARNING:\s*$/, fmt: 'WARNING: corrupted', corrupted: true },
  ],
};

/** Old lockdep headers ("[ INFO: possible circular locking dependency detected ]"), hangs and stalls. */
function infoDeadlock(header: string, anchor: RegExp, fmt = 'possible deadlock in {1}'): TitleFormat {
  return {
    title: new RegExp(header),
    report: [new RegExp(`${header} \\]`), anchor, pattern(String.raw`at: {{PC}} +{{FUNC}}`)],
    fmt,
    crashClass: 'lockdep',
  };
}

export const infoFamily: OopsFamily = {
  id: 'info',
  header: 'INFO:',
  crashClass: 'other',
  severity: 'error',
  suppress: [
    /INFO: lockdep is turned off/,
    /INFO: Stall ended before state dump start/,
    /INFO: NMI handler/,
    /INFO: recovery required on readonly filesystem/,
    /(handler|interrupt).*took too long/,
    /INFO: sys_.* is not present in \/proc\/kallsyms/,
    /INFO: no syscalls can create resource/,
    /rmt_storage:INFO:/,
    /_INFO:/, // "INVALID BTF_INFO:NUM", Android CAM_INFO:
  ],
  formats: [
    infoDeadlock('INFO: possible circular locking dependency detected', /is trying to acquire lock/),
    infoDeadlock('INFO: possible irq lock inversion dependency detected', /just changed the state of lock/),
    infoDeadlock('INFO: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected', /is trying to acquire/),
    infoDeadlock('INFO: possible recursive locking detected', /is trying to acquire lock/),
    infoDeadlock('INFO: inconsistent lock state', /takes/, 'inconsistent lock state in {1}'),
    {
      // kernel/rcu/tree_stall.h: "rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:" / "self-detected stall on CPU".
      title: /INFO: rcu_\w+ (?:self-)?detected(?: expedited)? stall/,
      fmt: 'INFO: rcu detected stall in {f1}',
      alt: ['stall in {f1}'],
      crashClass: 'rcu-stall',
      stack: {
        steps: [{ kind: 'line', re: /apic_timer_interrupt/ }, PC, TRACE],
        fallback: [{ kind: 'line', re: /(?:apic_timer_interrupt|Exception stack|el1h_64_irq)/ }, TRACE],
        skip: ['apic_timer_interrupt', 'rcu'],
        extractor: 'stall',
      },
    },
    {
      title: /INFO: trying to register non-static key/,
      fmt: 'INFO: trying to register non-static key in {f1}',
      crashClass: 'lockdep',
      stack: traceStack(['stack', 'lock', 'IRQ']),
    },
    {
      title: /INFO: suspicious RCU usage/,
      report: [/INFO: suspicious RCU usage/, pattern(String.raw`{{SRC}}`)],
      fmt: 'INFO: suspicious RCU usage in {f1}',
      crashClass: 'lockdep',
      stack: traceStack(['rcu', 'kmem', 'slab']),
    },
    {
      // kernel/hung_task.c: "INFO: task kworker/0:1:12 blocked for more than 143 seconds.",
      // v6.16+: "INFO: task udevd:5612 blocked in I/O wait for more than 143 seconds.".
      title: /INFO: task .* blocked (?:.* )?for more than [0-9]+ seconds/,
      fmt: 'INFO: task hung in {f1}',
      alt: ['hang in {f1}'],
      crashClass: 'hung-task',
      stack: traceStack(undefined, 'hang'),
    },
    {
      title: /INFO: task .* can't die for more than .* seconds/,
      fmt: "INFO: task can't die in {f1}",
      alt: ['hang in {f1}'],
      crashClass: 'hung-task',
      stack: traceStack(['schedule']),
    },
    // Captured for corrupted old-style KASAN reports.
    { title: /INFO: (Freed|Allocated) in (.*)/, fmt: 'INFO: {1} in {2}', corrupted: true, crashClass: 'kasan' },
    { title: /INFO:\s*$/, fmt: 'INFO: corrupted', corrupted: true },
  ],
};
