// mm/page_alloc.c warn_alloc: "<comm>: page allocation failure: order:N, mode:0x...", dump_stack(), then
// show_mem()'s Mem-Info. The lines are hand-written in the formats of v6.1 (mode with its %pGg flag names,
// nodemask and cpuset) and v3.10 (mode as a bare hex number, warn_alloc_failed, " [<addr>] fn+off/size" frames).
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/analyze.js';

const V6_1 = [
  '[12345.678901] kworker/u16:3: page allocation failure: order:4, mode:0x40cc0(GFP_KERNEL|__GFP_COMP), nodemask=(null),cpuset=/,mems_allowed=0',
  '[12345.678920] CPU: 2 PID: 4321 Comm: kworker/u16:3 Not tainted 6.1.0-18-amd64 #1  Debian 6.1.76-1',
  '[12345.678922] Hardware name: Supermicro SYS-1029P-WTR/X11DDW-L, BIOS 3.4 10/30/2020',
  '[12345.678924] Workqueue: events_unbound mlx5e_update_stats_work [mlx5_core]',
  '[12345.678925] Call Trace:',
  '[12345.678927]  <TASK>',
  '[12345.678930]  dump_stack_lvl+0x44/0x5c',
  '[12345.678934]  warn_alloc+0x137/0x160',
  '[12345.678937]  ? __alloc_pages_direct_compact+0x1a1/0x210',
  '[12345.678940]  __alloc_pages_slowpath.constprop.0+0xc8e/0xcd0',
  '[12345.678944]  __alloc_pages+0x305/0x330',
  '[12345.678947]  __kmalloc_large_node+0x79/0x120',
  '[12345.678950]  __kmalloc_node+0x9e/0x140',
  '[12345.678953]  kvmalloc_node+0x41/0xb0',
  '[12345.678956]  mlx5_cmd_exec+0x3d/0x70 [mlx5_core]',
  '[12345.678990]  mlx5e_update_stats_work+0x22/0x40 [mlx5_core]',
  '[12345.679010]  process_one_work+0x1c7/0x380',
  '[12345.679013]  worker_thread+0x4d/0x380',
  '[12345.679016]  kthread+0xd7/0x100',
  '[12345.679019]  ret_from_fork+0x1f/0x30',
  '[12345.679022]  </TASK>',
  '[12345.679023] Mem-Info:',
  '[12345.679026] active_anon:1234 inactive_anon:5678 isolated_anon:0',
].join('\n');

const V3_10 = [
  '[ 8021.118341] swapper/1: page allocation failure: order:2, mode:0x4020',
  '[ 8021.118346] CPU: 1 PID: 0 Comm: swapper/1 Not tainted 3.10.0-327.el7.x86_64 #1',
  '[ 8021.118348] Hardware name: HP ProLiant DL380 Gen9/ProLiant DL380 Gen9, BIOS P89 10/25/2017',
  '[ 8021.118350]  0000000000004020 f9b1a4c5c1c8b1d2 ffff88046fc43a28 ffffffff8163518c',
  '[ 8021.118355] Call Trace:',
  '[ 8021.118357]  <IRQ>  [<ffffffff8163518c>] dump_stack+0x19/0x1b',
  '[ 8021.118366]  [<ffffffff8116c9b0>] warn_alloc_failed+0x110/0x180',
  '[ 8021.118370]  [<ffffffff81171148>] __alloc_pages_nodemask+0x9a8/0xb90',
  '[ 8021.118375]  [<ffffffff811b5019>] alloc_pages_current+0xa9/0x170',
  '[ 8021.118379]  [<ffffffff8116b9be>] __get_free_pages+0xe/0x50',
  '[ 8021.118383]  [<ffffffff811c02ce>] kmalloc_order_trace+0x2e/0xa0',
  '[ 8021.118388]  [<ffffffffa01f0a1d>] e1000_alloc_rx_buffers+0x1bd/0x2a0 [e1000e]',
  '[ 8021.118395]  [<ffffffffa01f4b8e>] e1000_clean_rx_irq+0x28e/0x3b0 [e1000e]',
  '[ 8021.118401]  [<ffffffffa01f5ef1>] e1000e_poll+0x91/0x2f0 [e1000e]',
  '[ 8021.118406]  [<ffffffff8151dbc2>] net_rx_action+0x152/0x240',
  '[ 8021.118410]  [<ffffffff81084b0f>] __do_softirq+0xef/0x280',
  '[ 8021.118414]  [<ffffffff8164721c>] call_softirq+0x1c/0x30',
  '[ 8021.118416]  <EOI>  [<ffffffff8101d1c1>] ? native_safe_halt+0x1/0x10',
  '[ 8021.118420] Mem-Info:',
].join('\n');

describe('page allocation failures', () => {
  it('names the allocator\'s caller, not an allocator frame', () => {
    expect(analyzeText(V6_1).map((r) => [r.title, r.crashClass, r.severity, r.syzbotCompatible])).toEqual([
      ['page allocation failure in mlx5_cmd_exec', 'oom', 'warning', false],
    ]);
  });

  it('keeps a driver function with "alloc" in its name as the guilty frame', () => {
    expect(analyzeText(V3_10).map((r) => [r.title, r.kernelVersion])).toEqual([['page allocation failure in e1000_alloc_rx_buffers', '3.10.0-327.el7.x86_64']]);
  });

  it('reads the v4.9-v4.14 stall warning too', () => {
    const stall = V6_1.replace('page allocation failure: order:4, mode:0x40cc0(GFP_KERNEL|__GFP_COMP)', 'page allocation stalls for 10308ms, order:0, mode:0x14201ca(GFP_HIGHUSER_MOVABLE|__GFP_COLD)');
    expect(analyzeText(stall).map((r) => r.title)).toEqual(['page allocation stalls in mlx5_cmd_exec']);
  });

  it('does not take a line that only mentions it', () => {
    const text = V6_1.replace('kworker/u16:3: page allocation failure: order:4,', 'mlx5_core: avoiding a page allocation failure by retrying with order 0,');
    expect(analyzeText(text)).toEqual([]);
  });
});
