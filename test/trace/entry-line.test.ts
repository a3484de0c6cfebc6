// Context prefixes of trace lines: one case per layout (kernel version, options, tool).
import { describe, expect, it } from 'vitest';
import { parseEntryBody } from '../../src/trace/entry-body.js';
import { parseEntryLine } from '../../src/trace/entry-line.js';

describe('parseEntryLine', () => {
  it.each([
    // 6.x trace, 5 flag characters.
    ['   kworker/u16:2-5968    [000] ...1.  6888.108849: writeback_single_inode_start: bdi 8:0: ino=23', { shape: 'context', comm: 'kworker/u16:2', pid: 5968, cpu: 0, flags: '...1.', timestamp: 6888.108849 }],
    // Older kernels: 4 flag characters; the comm holds "-" and digits.
    ['    jbd2/xvda1-8-212   [000] d... 2172149.749474: myprobe: (bio_alloc+0x0/0x30)', { shape: 'context', comm: 'jbd2/xvda1-8', pid: 212, cpu: 0, flags: 'd...' }],
    // record-tgid: "(  611)", and "(-----)" when unknown.
    ['com.android.systemui-611   (  611) [001] d..5 514769.086090: sched_wakeup: comm=Binder_5', { shape: 'context', comm: 'com.android.systemui', pid: 611, tgid: 611, cpu: 1 }],
    ['          <idle>-0     (-----) [002] d..3 514769.086339: sched_switch: prev_comm=swapper/2', { shape: 'context', comm: '<idle>', pid: 0, cpu: 2 }],
    // trace-cmd report: no flags, TABs in the padding.
    ['\t   <...>-15430 [006]  7115.449594: sched_switch:          prev_comm=trace-cmd', { shape: 'context', comm: '<...>', pid: 15430, cpu: 6, timestamp: 7115.449594 }],
    // trace-cmd -l as in its man page: flags glued to the CPU.
    ['          <idle>-0       0d.h1. 106467.859747: function:             ktime_get <-- tick_check_idle', { shape: 'glued', comm: '<idle>', pid: 0, cpu: 0, flags: 'd.h1.' }],
    // perf script: no "-" before the pid, "subsystem:event".
    ['     kworker/0:1    19 [000]  1234.567890: writeback:writeback_start: bdi 8:0: sb_dev 0:0', { shape: 'perf', comm: 'kworker/0:1', pid: 19, cpu: 0 }],
    // Latency format (ftrace dumps): comm cut to 8, CPU glued to the flags, microseconds and a delay mark.
    ['rcu_tort-70        1dNh3. 10607789211us : sched_wakeup: comm=rcu_torture_fak pid=65', { shape: 'latency', comm: 'rcu_tort', pid: 70, cpu: 1, flags: 'dNh3.', relativeUs: 10607789211 }],
    ['trinity--19721   3.... 8871104290us+: mm_vmscan_direct_reclaim_begin: order=0', { shape: 'latency', comm: 'trinity-', pid: 19721, cpu: 3, relativeUs: 8871104290 }],
  ])('%s', (line, want) => {
    expect(parseEntryLine(line)).toMatchObject(want);
  });

  it.each([
    ['[   12.345678] WARNING: CPU: 3 PID: 19721 at fs/xfs/xfs_aops.c:971 xfs_vm_writepage+0x5ce/0x630 [xfs]()'],
    ['Tracing "do_nanosleep"... Ctrl-C to end.'],
    ['ext4_has_inline_data               9486'],
    [' 0)   0.198 us    |          _raw_spin_lock_irqsave();'],
  ])('is not an entry: %s', (line) => {
    expect(parseEntryLine(line)).toBeUndefined();
  });
});

describe('parseEntryBody', () => {
  it.each([
    ['do_nanosleep <-hrtimer_nanosleep', { type: 'function', name: 'do_nanosleep', parent: 'hrtimer_nanosleep' }],
    ['function:             do_splice_to <-- sys_splice', { type: 'function', name: 'do_splice_to', parent: 'sys_splice' }],
    ['vfs_read+0x9/0x170 <-ksys_read+0x5f/0xe0', { type: 'function', name: 'vfs_read+0x9/0x170', parent: 'ksys_read+0x5f/0xe0' }],
    ['<stack trace>', { type: 'stack', name: 'stack' }],
    ['<user stack trace>', { type: 'stack', name: 'user_stack' }],
    ['myopen: (SyS_open+0x1e/0x20 <- do_sys_open) rval=0x3', { type: 'kretprobe', name: 'myopen', probe: 'do_sys_open', parent: 'SyS_open+0x1e/0x20', fields: { rval: '0x3' } }],
    ['do_sys_open: (do_sys_open+0x0/0x220)', { type: 'kprobe', name: 'do_sys_open', probe: 'do_sys_open+0x0/0x220' }],
    ['bprint:               0xc042f8a0f: thermal_gpu_power_get: frequency=420 load=91', { type: 'print', name: 'bprint', fields: { frequency: '420', load: '91' } }],
    ['tracing_mark_write: B|611|Choreographer#doFrame', { type: 'print', name: 'tracing_mark_write' }],
    ['thermal_power_allocator: [FAILED TO PARSE] tz_id=0 req_power=ARRAY[00, 7d] total_req_power=125', { type: 'event', failedToParse: true, fields: { tz_id: '0', req_power: 'ARRAY[00, 7d]', total_req_power: '125' } }],
    ['funcgraph_entry:        0.074 us   |            rcu_all_qs();', { type: 'funcgraph-leaf', name: 'funcgraph_entry' }],
    ['mm_vmscan_direct_reclaim_end: nr_reclaimed=113', { type: 'event', name: 'mm_vmscan_direct_reclaim_end', fields: { nr_reclaimed: '113' } }],
  ])('%s', (body, want) => {
    expect(parseEntryBody(body)).toMatchObject(want);
  });
});
