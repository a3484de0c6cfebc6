// Title -> syzkaller crash TYPE (pkg/report/crash). The first entry with a
// matching title prefix wins, so specific prefixes precede the defaults.
import type { CrashType } from '../model/report.js';

const titleToType: ReadonlyArray<{ prefixes: string[]; type: CrashType }> = [
  { prefixes: ['KFENCE: use-after-free write'], type: 'KFENCE-USE-AFTER-FREE-WRITE' },
  // "use-after-free" without a direction is at least a read.
  { prefixes: ['KFENCE: use-after-free read', 'KFENCE: use-after-free'], type: 'KFENCE-USE-AFTER-FREE-READ' },
  { prefixes: ['KFENCE: invalid write', 'KFENCE: out-of-bounds write'], type: 'KFENCE-WRITE' },
  { prefixes: ['KFENCE: invalid read', 'KFENCE: out-of-bounds read', 'KFENCE: out-of-bounds'], type: 'KFENCE-READ' },
  { prefixes: ['KFENCE: memory corruption'], type: 'KFENCE-MEMORY-CORRUPTION' },
  { prefixes: ['KFENCE: invalid free'], type: 'KFENCE-INVALID-FREE' },
  { prefixes: ['KMSAN: uninit-value'], type: 'KMSAN-UNINIT-VALUE' },
  {
    prefixes: ['KMSAN: kernel-infoleak-after-free', 'KMSAN: kernel-usb-infoleak-after-free', 'KMSAN: use-after-free'],
    type: 'KMSAN-USE-AFTER-FREE-READ',
  },
  { prefixes: ['KMSAN: kernel-infoleak', 'KMSAN: kernel-usb-infoleak'], type: 'KMSAN-INFO-LEAK' },
  { prefixes: ['KASAN: null-ptr-deref Write'], type: 'KASAN-NULL-POINTER-DEREFERENCE-WRITE' },
  { prefixes: ['KASAN: null-ptr-deref Read'], type: 'KASAN-NULL-POINTER-DEREFERENCE-READ' },
  { prefixes: ['BUG: unable to handle kernel NULL pointer dereference in'], type: 'NULL-POINTER-DEREFERENCE' },
  {
    prefixes: [
      'KASAN: global-out-of-bounds Write', 'KASAN: out-of-bounds Write', 'KASAN: slab-out-of-bounds Write',
      'KASAN: stack-out-of-bounds Write', 'KASAN: user-memory-access Write', 'KASAN: vmalloc-out-of-bounds Write',
      'KASAN: wild-memory-access Write',
    ],
    type: 'KASAN-WRITE',
  },
  {
    prefixes: [
      'KASAN: global-out-of-bounds Read', 'KASAN: invalid-access Read', 'KASAN: out-of-bounds Read',
      'KASAN: slab-out-of-bounds Read', 'KASAN: slab-out-of-bounds', 'KASAN: stack-out-of-bounds Read',
      'KASAN: stack-out-of-bounds', 'KASAN: unknown-crash Read', 'KASAN: user-memory-access Read',
      'KASAN: vmalloc-out-of-bounds Read', 'KASAN: wild-memory-access Read', 'KASAN: wild-memory-access',
    ],
    type: 'KASAN-READ',
  },
  { prefixes: ['KASAN: double-free or invalid-free', 'KASAN: invalid-free'], type: 'KASAN-INVALID-FREE' },
  { prefixes: ['KASAN: slab-use-after-free Write', 'KASAN: use-after-free Write'], type: 'KASAN-USE-AFTER-FREE-WRITE' },
  {
    prefixes: ['KASAN: slab-use-after-free Read', 'KASAN: use-after-free Read', 'KASAN: use-after-free'],
    type: 'KASAN-USE-AFTER-FREE-READ',
  },
  { prefixes: ['BUG: corrupted list', 'BUG: unable to handle kernel paging request'], type: 'MEMORY_SAFETY_BUG' },
  { prefixes: ['WARNING: refcount bug'], type: 'REFCOUNT_WARNING' },
  { prefixes: ['UBSAN: array-index-out-of-bounds'], type: 'MEMORY_SAFETY_UBSAN' },
  { prefixes: ['KCSAN: data-race'], type: 'KCSAN-DATARACE' },
  { prefixes: ['KCSAN: assert: race in'], type: 'KCSAN-ASSERT' },
  {
    prefixes: [
      'BUG: bad unlock balance in', 'BUG: held lock freed in', 'BUG: rwlock', 'BUG: spinlock', 'BUG: still has locks held in',
      'BUG: using', 'WARNING: bad unlock balance in', 'WARNING: held lock freed in', 'WARNING: lock held',
      'WARNING: locking bug in', 'WARNING: nested lock was not taken in', 'WARNING: still has locks held in',
      'WARNING: suspicious RCU usage in', 'inconsistent lock state in', 'possible deadlock in',
    ],
    type: 'LOCKDEP',
  },
  { prefixes: ['BUG: scheduling while atomic in', 'BUG: sleeping function called from invalid context in'], type: 'ATOMIC_SLEEP' },
  { prefixes: ['memory leak in'], type: 'LEAK' },
  { prefixes: ['BUG: bad usercopy in', 'kernel BUG'], type: 'BUG' },
  { prefixes: ['WARNING in'], type: 'WARNING' },
  // printk()-style messages without a real oops behind them.
  {
    prefixes: ['BUG: stack guard page was hit in', 'WARNING: corrupted', 'WARNING: kernel stack frame pointer has bad value', 'WARNING: kernel stack regs has bad'],
    type: 'UNKNOWN',
  },
  { prefixes: ['BUG: soft lockup in', 'INFO: rcu detected stall in', "INFO: task can't die in", 'INFO: task hung in'], type: 'HANG' },
  {
    prefixes: [
      'Alignment trap in', 'BUG: Object already free', 'Internal error in', 'PANIC: double fault', 'Unhandled fault in',
      'VFS: Busy inodes after unmount (use-after-free)', 'VFS: Close: file count is zero (use-after-free)', 'divide error in',
      'general protection fault in', 'go runtime error', 'invalid opcode in', 'kernel panic:', 'kernel stack overflow', 'panic:',
      'rust_kernel panicked', 'stack segment fault in', 'trusty:', 'unregister_netdevice: waiting for DEV to become free',
      'int3 in',
    ],
    type: 'DoS',
  },
  { prefixes: ['unexpected kernel reboot'], type: 'REBOOT' },
  { prefixes: ['SYZFAIL', 'SYZFATAL:'], type: 'SYZ_FAILURE' },
  // Defaults by family.
  { prefixes: ['WARNING:'], type: 'WARNING' },
  { prefixes: ['BUG:'], type: 'UNKNOWN' },
  { prefixes: ['INFO:'], type: 'UNKNOWN' },
  { prefixes: ['KASAN:'], type: 'KASAN-UNKNOWN' },
  { prefixes: ['KFENCE:'], type: 'KFENCE-UNKNOWN' },
  { prefixes: ['KMSAN:'], type: 'KMSAN-UNKNOWN' },
  { prefixes: ['UBSAN:'], type: 'UBSAN' },
  { prefixes: ['KCSAN:'], type: 'KCSAN-UNKNOWN' },
];

export function crashTypeOf(title: string): CrashType {
  for (const row of titleToType) if (row.prefixes.some((p) => title.startsWith(p))) return row.type;
  return 'UNKNOWN';
}
