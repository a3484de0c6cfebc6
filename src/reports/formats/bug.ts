// "BUG:" reports: sanitizers (KASAN, KMSAN, KCSAN, KFENCE), page faults,
// lock debugging, lockups, atomic sleep, bad page state, kmemleak, stack guard.
// Order matters: the first format whose title matches the header line (and
// whose `report` lines follow) wins, so specific formats precede generic ones.
import { pattern } from '../../parsers/patterns.js';
import { CALL_TRACE, PC, TRACE, pcTraceStack, traceStack } from './common.js';
import type { OopsFamily } from './types.js';

const kasanHeader = String.raw`BUG: KASAN: (?:[a-z\-]+) in {{FUNC}}`;
const kasanFreeHeader = String.raw`BUG: KASAN: (?:double-free or invalid-free|double-free|invalid-free) in {{FUNC}}`;
const kfenceHeader = String.raw`BUG: KFENCE: (?:[a-z\- ]+) in {{FUNC}}`;
const kmsanOrigin = /(?:Local variable .* created at:|Uninit was created at:)/;

export const bugFamily: OopsFamily = {
  id: 'bug',
  header: 'BUG:',
  crashClass: 'bug',
  severity: 'critical',
  suppress: [
    /ODEBUG:/, // CONFIG_DEBUG_OBJECTS output, not a bug by itself.
    /Boot_DEBUG:/, // Android boot noise.
    /xlog_status:/,
    /DEBUG:/, // Android ART debug output.
    /BUG: no syscalls can create resource/, // syzkaller host-probe output.
  ],
  formats: [
    {
      // mm/kasan/report.c: "BUG: KASAN: slab-use-after-free in foo+0x1/0x2" then "Read of size 8 at addr ...".
      title: /BUG: KASAN:/,
      report: [pattern(String.raw`BUG: KASAN: ([a-z\-]+) in {{FUNC}}`), /(Read|Write) (?:of size|at addr) (?:[0-9a-f]+)/],
      fmt: 'KASAN: {1} {3} in {f1}',
      alt: ['bad-access in {f1}'],
      crashClass: 'kasan',
      stack: {
        steps: [{ kind: 'line', re: pattern(kasanHeader) }, CALL_TRACE, TRACE],
        // KASAN_HW_TAGS (arm64 MTE) reports go through the fault path.
        skip: ['kernel_fault', 'tag_check', 'mem_abort', '^el1_', '^el1h_'],
      },
    },
    {
      title: /BUG: KASAN:/,
      report: [pattern(kasanFreeHeader)],
      fmt: 'KASAN: invalid-free in {f1}',
      alt: ['invalid-free in {f1}'],
      crashClass: 'kasan',
      stack: { steps: [{ kind: 'line', re: pattern(kasanFreeHeader) }, CALL_TRACE, TRACE], skip: ['slab_', 'kfree', 'vunmap', 'vfree'] },
    },
    {
      // Old (4.x) KASAN: "BUG: KASAN: use-after-free on address ffff..." then "Read of size 8 by task".
      title: /BUG: KASAN: ([a-z\-]+) on address/,
      report: [/BUG: KASAN: ([a-z\-]+) on address/, /(Read|Write) of size ([0-9]+)/],
      fmt: 'KASAN: {1} {2}',
      crashClass: 'kasan',
    },
    { title: /BUG: KASAN: (.*)/, fmt: 'KASAN: {1}', corrupted: true, crashClass: 'kasan' },
    {
      title: /BUG: KMSAN: kernel-usb-infoleak/,
      report: [pattern(String.raw`BUG: KMSAN: kernel-usb-infoleak in {{FUNC}}`)],
      fmt: 'KMSAN: kernel-usb-infoleak in {f1}',
      alt: ['KMSAN origin in {f2}'],
      crashClass: 'kmsan',
      noStackTrace: true,
      stack: {
        steps: [TRACE, { kind: 'line', re: kmsanOrigin }, TRACE],
        skip: ['alloc_skb', 'usb_submit_urb', 'usb_start_wait_urb', 'usb_bulk_msg', 'usb_interrupt_msg', 'usb_control_msg'],
      },
    },
    {
      // mm/kmsan/report.c: "BUG: KMSAN: uninit-value in foo+0x1/0x2".
      title: /BUG: KMSAN:/,
      report: [pattern(String.raw`BUG: KMSAN: ([a-z\-]+) in {{FUNC}}`)],
      fmt: 'KMSAN: {1} in {f1}',
      alt: ['bad-access in {f1}'],
      crashClass: 'kmsan',
      noStackTrace: true,
      stack: {
        steps: [TRACE, { kind: 'line', re: kmsanOrigin }, TRACE],
        skip: ['alloc_skb', 'netlink_ack', 'netlink_rcv_skb', '_encrypt$', '^(?:crypto|cipher|drbg|rng)_'],
      },
    },
    // kernel/kcsan/report.c: "BUG: KCSAN: data-race in foo / bar".
    { title: /BUG: KCSAN: data-race/, report: [/BUG: KCSAN: (.*)/], fmt: 'KCSAN: {1}', noStackTrace: true, crashClass: 'kcsan' },
    { title: /BUG: KCSAN:/, report: [/BUG: KCSAN: (.*)/], fmt: 'KCSAN: {1}', noStackTrace: true, crashClass: 'kcsan' },
    {
      // mm/kfence/report.c: "BUG: KFENCE: use-after-free read in foo+0x1/0x2".
      title: pattern(String.raw`BUG: KFENCE: (use-after-free|out-of-bounds) (read|write) in {{FUNC}}`),
      fmt: 'KFENCE: {1} {2} in {f1}',
      alt: ['bad-access in {f1}'],
      crashClass: 'kfence',
      stack: { steps: [{ kind: 'line', re: pattern(kfenceHeader) }, TRACE] },
    },
    {
      title: pattern(String.raw`BUG: KFENCE: invalid free in {{FUNC}}`),
      fmt: 'KFENCE: invalid free in {f1}',
      alt: ['invalid-free in {f1}'],
      noStackTrace: true,
      crashClass: 'kfence',
      stack: { steps: [{ kind: 'line', re: pattern(kfenceHeader) }, TRACE] },
    },
    {
      title: pattern(String.raw`BUG: KFENCE: invalid (read|write) in {{FUNC}}`),
      fmt: 'KFENCE: invalid {1} in {f1}',
      alt: ['bad-access in {f1}'],
      crashClass: 'kfence',
      stack: { steps: [{ kind: 'line', re: pattern(kfenceHeader) }, TRACE] },
    },
    {
      title: pattern(String.raw`BUG: KFENCE: memory corruption in {{FUNC}}`),
      fmt: 'KFENCE: memory corruption in {f1}',
      noStackTrace: true,
      crashClass: 'kfence',
      stack: { steps: [{ kind: 'line', re: pattern(kfenceHeader) }, TRACE] },
    },
    {
      // arch/x86/mm/fault.c: "BUG: unable to handle page fault for address: ..." (v5.1+);
      // older "BUG: unable to handle kernel paging request at ..."; powerpc "BUG: Unable to handle kernel data access".
      title: /BUG: (?:unable to handle kernel paging request|unable to handle page fault for address|Unable to handle kernel data access)/,
      fmt: 'BUG: unable to handle kernel paging request in {f1}',
      alt: ['bad-access in {f1}'],
      crashClass: 'page-fault',
      stack: pcTraceStack(),
    },
    {
      // x86 "BUG: kernel NULL pointer dereference, address: 0000000000000000" (v5.1+), older
      // "BUG: unable to handle kernel NULL pointer dereference at ..."; powerpc "BUG: Kernel NULL pointer dereference on read".
      title: /BUG: (?:unable to handle kernel NULL pointer dereference|kernel NULL pointer dereference|Kernel NULL pointer dereference)/,
      fmt: 'BUG: unable to handle kernel NULL pointer dereference in {f1}',
      alt: ['bad-access in {f1}'],
      crashClass: 'null-deref',
      stack: pcTraceStack(),
    },
    {
      // The second half of the header is a separate printk and can be lost.
      title: /BUG: (?:unable to handle kernel|Unable to handle kernel)/,
      fmt: 'BUG: unable to handle kernel',
      corrupted: true,
      crashClass: 'page-fault',
    },
    {
      // kernel/locking/spinlock_debug.c.
      title: /BUG: (spinlock|rwlock) (lockup suspected|already unlocked|recursion|cpu recursion|bad magic|wrong owner|wrong CPU|trylock failure on UP)/,
      fmt: 'BUG: {1} {2} in {f1}',
      crashClass: 'lockdep',
      stack: traceStack(['spin_', '_lock', '_unlock']),
    },
    {
      // kernel/watchdog.c: "watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [comm:pid]".
      title: /BUG: soft lockup/,
      fmt: 'BUG: soft lockup in {f1}',
      alt: ['stall in {f1}'],
      crashClass: 'soft-lockup',
      stack: pcTraceStack(undefined, 'stall'),
    },
    {
      title: /BUG: .*still has locks held!/,
      report: [/BUG: .*still has locks held!/, pattern(String.raw`{{PC}} +{{FUNC}}`)],
      fmt: 'BUG: still has locks held in {1}',
      crashClass: 'lockdep',
    },
    {
      // kernel/sched/core.c __schedule_bug: "BUG: scheduling while atomic: comm/pid/0x00000002".
      title: /BUG: scheduling while atomic/,
      fmt: 'BUG: scheduling while atomic in {f1}',
      crashClass: 'atomic-sleep',
      stack: traceStack(['schedule']),
    },
    {
      title: /BUG: lock held when returning to user space/,
      report: [/BUG: lock held when returning to user space/, /leaving the kernel with locks still held/, pattern(String.raw`at: (?:{{PC}} +)?{{FUNC}}`)],
      fmt: 'BUG: lock held when returning to user space in {1}',
      noStackTrace: true,
      crashClass: 'lockdep',
    },
    {
      title: /BUG: bad unlock balance detected!/,
      fmt: 'BUG: bad unlock balance in {f1}',
      crashClass: 'lockdep',
      stack: { steps: [{ kind: 'line', re: pattern(String.raw`{{PC}} +{{FUNC}}`) }, CALL_TRACE, TRACE] },
    },
    {
      title: /BUG: held lock freed!/,
      report: [/BUG: held lock freed!/, pattern(String.raw`{{PC}} +{{FUNC}}`)],
      fmt: 'BUG: held lock freed in {1}',
      crashClass: 'lockdep',
    },
    { title: /BUG: Bad rss-counter state/, fmt: 'BUG: Bad rss-counter state', noStackTrace: true, crashClass: 'bad-page' },
    { title: /BUG: non-zero nr_ptes on freeing mm/, fmt: 'BUG: non-zero nr_ptes on freeing mm', noStackTrace: true, crashClass: 'bad-page' },
    { title: /BUG: non-zero nr_pmds on freeing mm/, fmt: 'BUG: non-zero nr_pmds on freeing mm', noStackTrace: true, crashClass: 'bad-page' },
    {
      // fs/dcache.c umount_check; the fs type and device are left out of the title (loop0/1/2 differ).
      title: /BUG: Dentry .* still in use/,
      report: [/BUG: Dentry .* still in use \([0-9]+\) \[(unmount) of ([^\]]+)\]/],
      // The title says "in unmount": the captured operation stands where a function would.
      fmt: 'BUG: Dentry still in use in {1}',
      alt: ['BUG: Dentry still in use [{1} of {2}]'],
    },
    {
      // mm/page_alloc.c bad_page(): titled by the page-owner "page last allocated" stack.
      title: /BUG: Bad page (state|cache)/,
      fmt: 'BUG: Bad page {1} in {f1}',
      crashClass: 'bad-page',
      stack: {
        steps: [{ kind: 'line', re: /page last allocated/ }, TRACE],
        skip: ['(free|put|get|update|release)_page', 'free_unref', '^_*folio', 'truncate_inode_pages', 'page_frag_free', 'alloc', 'vmap', 'page_owner'],
      },
    },
    { title: /BUG: Bad page map/, fmt: 'BUG: Bad page map', crashClass: 'bad-page' },
    { title: /BUG: workqueue lockup/, fmt: 'BUG: workqueue lockup', noStackTrace: true, crashClass: 'workqueue-lockup' },
    {
      // kernel/sched/core.c __might_resched: "BUG: sleeping function called from invalid context at mm/slab.h:494".
      title: /BUG: sleeping function called from invalid context at (.*)/,
      fmt: 'BUG: sleeping function called from invalid context in {f1}',
      crashClass: 'atomic-sleep',
      stack: traceStack(),
    },
    {
      // lib/smp_processor_id.c: "BUG: using smp_processor_id() in preemptible [00000000] code: foo/123".
      title: /BUG: using ([a-z_]+)\(\) in preemptible/,
      fmt: 'BUG: using {1}() in preemptible code in {f1}',
      crashClass: 'atomic-sleep',
      stack: traceStack(['dump_stack', 'preemption', 'preempt', 'debug_', 'processor_id', 'this_cpu']),
    },
    {
      title: /BUG: workqueue leaked lock or atomic/,
      report: [/BUG: workqueue leaked lock or atomic/, /last function: ([a-zA-Z0-9_]+)$/],
      fmt: 'BUG: workqueue leaked lock or atomic in {1}',
      noStackTrace: true,
      crashClass: 'atomic-sleep',
    },
    {
      // syzkaller's kmemleak scan prints "BUG: memory leak" before the debugfs report.
      title: /BUG: memory leak/,
      fmt: 'memory leak in {f1}',
      crashClass: 'kmemleak',
      stack: {
        steps: [{ kind: 'line', re: /backtrace(?: \(crc [0-9a-f]*\))?:/ }, TRACE],
        skip: ['kmemleak', 'mmap', 'kmem', 'slab', 'alloc', 'create_object', 'idr_get', 'list_lru_init', 'kasprintf', 'kvasprintf', 'pcpu_create', 'strdup', 'strndup', 'memdup'],
      },
    },
    {
      // arch/x86/kernel/traps.c handle_stack_overflow: "BUG: TASK stack guard page was hit at ...".
      title: /BUG: .*stack guard page was hit at/,
      fmt: 'BUG: stack guard page was hit in {f1}',
      alt: ['stack-overflow in {f1}'],
      crashClass: 'stack-overflow',
      stack: { steps: [PC, CALL_TRACE, TRACE], extractor: 'stall' },
    },
    {
      // lockdep_assert_wait_context on arm/arm64; titled like the x86 lockdep WARNING.
      title: /BUG: Invalid wait context/,
      fmt: 'WARNING: locking bug in {f1}',
      crashClass: 'lockdep',
      stack: traceStack(['lock_sock', 'release_sock']),
    },
    { title: /BUG:\s*$/, fmt: 'BUG: corrupted', corrupted: true },
  ],
};
