// Frames that never name the guilty code: the reporting machinery, generic
// library helpers and primitives. Titles skip them the way syzbot does, so a
// title found here can be searched on the syzbot dashboard.

interface SkipGroup {
  why: string;
  patterns: string[];
}

const groups: readonly SkipGroup[] = [
  {
    why: 'sanitizer runtimes and their reporting helpers',
    patterns: [
      '__sanitizer', '__asan', 'kasan', 'hwasan', '__msan', 'kmsan', 'kcsan_setup_watchpoint',
      'check_memory_region', 'check_heap_object', 'check_object', 'read_word_at_a_time',
      '(read|write)_once_.*nocheck', 'print_address_description', '__fortify_report',
    ],
  },
  {
    why: 'WARN/BUG/panic and stack-dump machinery (traps, report_bug, dump_stack ...)',
    patterns: [
      'panic', 'invalid_op', 'report_bug', 'fixup_bug', 'print_report', 'print_usage_bug', 'do_error',
      '_trap$|do_trap', 'show_stack', 'dump_stack', 'walk_stack', 'dump_backtrace', 'warn_slowpath',
      'warn_alloc', 'warn_bogus', '__warn', 'print_tainted', '^get_taint$', 'program_check_exception',
      'program_check_common', 'stack_trace_consume_entry', 'arch_stack_walk', 'stack_trace_save',
      'assertfail',
      // arm CONFIG_ARM_UNWIND stack dumper (arch/arm/kernel/unwind.c), the first frame of every arm
      // dump_stack(); syzkaller's list lacks it because it cannot read the v5.16+ arm frames at all.
      '^unwind_backtrace$',
    ],
  },
  {
    why: 'allocators and page-cache lookup',
    patterns: [
      'alloc_page', 'k?v?(?:m|z|c)alloc', 'krealloc', 'kmem_cache', 'allocate_slab', '__alloc_frozen_pages_noprof',
      'folio_(?:alloc|unlock)', 'filemap_alloc_folio', '__filemap_get_folio', 'find_or_create_page',
      'do_read_cache_folio', 'read_cache_page', 'pagecache_get_page', 'grab_cache_page_write_begin', 'slab_',
      '^kv?free$', 'kfree_skb', 'memdup', 'strdup', 'strndup', 'ida_free',
    ],
  },
  {
    why: 'debug objects, lockdep and locking primitives',
    patterns: [
      'debug_object', 'timer_is_static_object', 'work_is_static_object', 'print_unlock', 'imbalance_bug',
      'lockdep', 'bh_enable', 'bh_disable', 'perf_trace', 'lock_acquire', 'lock_release', 'lock_class',
      'mark_lock', '(reacquire|mark)_held_locks', 'raw_spin_rq', 'spin_lock', 'spin_trylock', 'spin_unlock',
      'read_lock', 'read_trylock', 'write_lock', 'write_trylock', 'read_unlock', 'write_unlock', '^down$',
      'down_read', 'down_write', 'down_read_trylock', 'down_write_trylock', 'down_trylock', 'up_read',
      'up_write', '^mutex_', '^__mutex_', '^rt_mutex_', 'owner_on_cpu', 'osq_lock', 'osq_unlock',
      '(trace|lockdep)_(hard|soft)irq', '^(un)?lock_page', 'seqprop_assert', 'cleanup_srcu_struct',
    ],
  },
  {
    why: 'atomics, bit operations, reference counts',
    patterns: [
      'atomic(64)?_(dec|inc|read|set|or|xor|and|add|sub|fetch|xchg|cmpxchg|try)', '(set|clear|change|test)_bit',
      '^refcount_', '^kref_', 'ref_tracker', '^iput$', '^iput_final$', '^ihold$', '^put_device$', 'fast_dput',
      'dput', 'drop_nlink', 'mark_buffer_dirty',
    ],
  },
  {
    why: 'string, memory and user-copy helpers',
    patterns: [
      'memcpy', 'memcmp', 'memset', 'memchr', 'memmove', 'strcmp', 'strncmp', 'strcpy', 'strlcpy', 'strncpy',
      'strscpy', 'strlen', 'strstr', 'strnstr', 'strnlen', 'strchr', 'copy_to_user', 'copy_from_user',
      'copy_to_iter', 'copy_from_iter', 'copy_page_to_iter', 'copy_page_from_iter', 'copy_folio_to_iter',
      '^copyin$', '^copyout$', 'put_user', 'get_user', 'might_fault', 'might_sleep', '__might_resched',
      'extract_(user|iter)_to_sg', 'hex_dump_to_buffer', 'print_hex_dump', '^crc\\d+', 'crc_itu_t',
    ],
  },
  {
    why: 'list, rbtree, hash-table helpers',
    patterns: ['list_add', 'list_del', 'list_replace', 'list_move', 'list_splice', '^rb_', '^__rb_', '^klist_', 'rhashtable_lookup', 'xas_(?:start|load|find)'],
  },
  {
    why: 'printing (vsprintf, printk, dev_*)',
    patterns: [
      '_indirect_thunk_', 'string', 'pointer', 'snprintf', 'scnprintf', 'kasprintf', 'kvasprintf', 'printk',
      'va_format', 'dev_info', 'dev_notice', 'dev_warn', 'dev_err', 'dev_alert', 'dev_crit', 'dev_emerg',
    ],
  },
  {
    why: 'timers, workqueues, completions, kthreads',
    patterns: [
      'del_timer', 'flush_work', '__cancel_work_timer', 'cancel_work_sync', 'try_to_grab_pending',
      'flush_workqueue', 'drain_workqueue', 'destroy_workqueue', 'queue_work', 'finish_wait', 'kthread_stop',
      '^complete$', 'wait_for_completion', 'insert_work', '__queue_delayed_work', 'queue_delayed_work_on',
      'lock_timer_base', '__timer_delete_sync', 'sk_stop_timer_sync', '__mod_timer', '__wake_up',
    ],
  },
  {
    why: 'device-model and USB core teardown/submission helpers',
    patterns: [
      'kobject_', 'add_uevent_var', 'get_device_parent', 'device_add', 'device_del', 'device_unregister',
      'device_destroy', 'device_release', 'devres_release_all', 'hwrng_unregister', 'i2c_del_adapter',
      '__unregister_client', 'device_for_each_child', 'rollback_registered', 'unregister_netdev', 'sysfs_remove',
      'device_remove_file', 'tty_unregister_device', 'dummy_urb_enqueue', 'usb_kill_urb', 'usb_kill_anchored_urbs',
      'usb_control_msg', 'usb_hcd_submit_urb', 'usb_submit_urb',
    ],
  },
  {
    why: 'MMIO accessors and logic_iomem',
    patterns: ['readb$', 'readw$', 'readl$', 'readq$', 'writeb$', 'writew$', 'writel$', 'writeq$', 'logic_in', 'logic_out'],
  },
  {
    why: 'arm64 fault entry path and x86 helpers that only relay a fault',
    patterns: ['do_(kernel|translation)_fault', 'do_mem_abort', 'el1_abort', 'el1h_64_sync(?:_handler)?', '__phys_addr'],
  },
  {
    why: 'page-cache truncation helpers',
    patterns: ['find_lock_entries', 'truncate_inode_pages_range'],
  },
];

/** The global skip patterns, joined into one regex source. */
export const globalSkipSource = groups.flatMap((g) => g.patterns).join('|');

const cache = new Map<string, RegExp>();

/** Regex that matches frames to skip: the global list plus a format's own additions. */
export function skipRegex(extra: readonly string[] = []): RegExp {
  const key = extra.join('|');
  let re = cache.get(key);
  if (!re) {
    re = new RegExp(extra.length ? `${globalSkipSource}|${key}` : globalSkipSource);
    cache.set(key, re);
  }
  return re;
}

/** Syscall-entry prefixes that differ across arches and versions; titles use the shortest stripped name. */
export const syscallPrefixes: readonly string[] = [
  'SYSC_', 'SyS_', 'sys_', '__x64_', '__ia32_', '__arm64_', '____sys_', '___sys_', '__sys_', '__se_',
  '__se_sys_', '__do_sys_', 'compat_SYSC_', 'compat_SyS_', 'ksys_',
];

/** Strips the syscall prefix that leaves the shortest name ("__x64_sys_read" -> "read"). */
export function stripSyscallPrefix(fn: string): string {
  let best = fn;
  for (const p of syscallPrefixes) {
    if (fn.startsWith(p) && fn.length - p.length < best.length) best = fn.slice(p.length);
  }
  return best;
}
