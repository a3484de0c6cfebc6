// kernel/irq/spurious.c __report_bad_irq: "irq N: nobody cared" and "irq event N: bogus return value X"
// (families 'bad-irq' and 'bad-irq-return', misc.ts). Real captures of both are in
// fixtures/captured/amd64-sanitizers/irq_*.log; these cases cover the older formats and the near misses.
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/analyze.js';

const titles = (text: string) => analyzeText(text).map((r) => [r.title, r.guiltyFunction ?? null]);

// Hand-written from kernel/irq/spurious.c as of v3.11 (print_symbol: "[<%p>]" then " (%s)" with the
// offset) and arch/x86/kernel/dumpstack_64.c of that time (frames " [<addr>] fn+off/size").
const V3_11 = [
  '[ 4711.000001] irq 16: nobody cared (try booting with the "irqpoll" option)',
  '[ 4711.000010] CPU: 3 PID: 0 Comm: swapper/3 Not tainted 3.11.6-200.fc19.x86_64 #1',
  '[ 4711.000012] Hardware name: Dell Inc. OptiPlex 7010/0GXM1W, BIOS A13 03/25/2013',
  '[ 4711.000020] Call Trace:',
  '[ 4711.000022]  <IRQ>  [<ffffffff81646e0c>] dump_stack+0x45/0x56',
  '[ 4711.000030]  [<ffffffff810f8a9d>] __report_bad_irq+0x3d/0xe0',
  '[ 4711.000033]  [<ffffffff810f8ec9>] note_interrupt+0x1c9/0x210',
  '[ 4711.000036]  [<ffffffff810f64ba>] handle_irq_event_percpu+0xca/0x1f0',
  '[ 4711.000039]  [<ffffffff810f6620>] handle_irq_event+0x40/0x60',
  '[ 4711.000042]  [<ffffffff810f9427>] handle_fasteoi_irq+0x57/0x100',
  '[ 4711.000045]  [<ffffffff81015a7f>] handle_irq+0xbf/0x150',
  '[ 4711.000048]  [<ffffffff8165b4bd>] do_IRQ+0x4d/0xc0',
  '[ 4711.000051]  [<ffffffff8165136d>] common_interrupt+0x6d/0x6d',
  '[ 4711.000053]  <EOI>  [<ffffffff81502d3b>] ? cpuidle_enter_state+0x4b/0xd0',
  '[ 4711.000060]  [<ffffffff81502e70>] cpuidle_idle_call+0xb0/0x200',
  '[ 4711.000063]  [<ffffffff8101d19e>] arch_cpu_idle+0xe/0x30',
  '[ 4711.000066]  [<ffffffff810b3b3e>] cpu_startup_entry+0xce/0x290',
  '[ 4711.000069]  [<ffffffff810426aa>] start_secondary+0x24a/0x340',
  '[ 4711.000071] handlers:',
  '[ 4711.000076] [<ffffffff814a8d50>] (usb_hcd_irq+0x0/0x70)',
  '[ 4711.000079] [<ffffffffa00e8870>] (azx_interrupt+0x0/0x1f0 [snd_hda_intel])',
  '[ 4711.000081] Disabling IRQ #16',
].join('\n');

describe('spurious interrupt reports', () => {
  it('names the first handler in the old print_symbol format', () => {
    expect(titles(V3_11)).toEqual([['irq: nobody cared in usb_hcd_irq', 'usb_hcd_irq']]);
  });

  it('reads the report through a syslog prefix', () => {
    const syslog = V3_11.split('\n')
      .map((l) => `Nov  2 20:23:06 tpgbox kernel: ${l}`)
      .join('\n');
    expect(titles(syslog)).toEqual([['irq: nobody cared in usb_hcd_irq', 'usb_hcd_irq']]);
  });

  it('ends the report at "Disabling IRQ #N"', () => {
    // A panic that follows is a report of its own, not the tail of this one.
    const reports = analyzeText(`${V3_11}\n[ 4712.000000] Kernel panic - not syncing: Fatal machine check`);
    expect(reports.map((r) => [r.title, r.startLine, r.endLine])).toEqual([
      ['irq: nobody cared in usb_hcd_irq', 1, 22],
      ['kernel panic: Fatal machine check', 23, 23],
    ]);
  });

  it('gives the title without a handler when the list was cut off', () => {
    const cut = V3_11.split('\n').slice(0, 18).join('\n');
    expect(titles(cut)).toEqual([['irq: nobody cared', null]]);
  });

  it('titles a bogus return value by its handler', () => {
    const text = [
      '[   13.294995] irq event 24: bogus return value 10',
      '[   13.296947] CPU: 1 PID: 48 Comm: insmod Tainted: G           O       5.10.0 #1',
      '[   13.298100] Call Trace:',
      '[   13.298120]  dump_stack+0x6d/0x88',
      '[   13.298150]  __report_bad_irq+0x35/0xa7',
      '[   13.298170]  note_interrupt.cold+0xb/0x61',
      '[   13.298190]  handle_irq_event+0xa8/0xb0',
      '[   13.298210] handlers:',
      '[   13.298230] [<00000000223e4705>] foo_isr [foo] threaded [<00000000752441e0>] foo_thread_fn [foo]',
    ].join('\n');
    expect(titles(text)).toEqual([['irq: bogus return value in foo_isr', 'foo_isr']]);
  });

  it('does not take a sentence that quotes the message', () => {
    const prose = [
      'After the update I keep seeing "irq 16: nobody cared (try booting with the "irqpoll" option)" in dmesg,',
      'and once "the irq event 3: bogus return value 10 message" too.',
    ].join('\n');
    expect(titles(prose)).toEqual([]);
    // Kernel lines that only contain the message's words.
    const quoting = [
      '[    1.000000] foo: irq 16: nobody cared (try booting with the "irqpoll" option)',
      '[    1.000001] foo: irq event 3: bogus return value 10',
      '[    1.000002] CPU: 0 PID: 0 Comm: swapper/0 Not tainted 6.1.0 #1',
      '[    1.000003] Call Trace:',
      '[    1.000004]  dump_stack+0x1/0x2',
    ].join('\n');
    expect(titles(quoting)).toEqual([]);
  });
});
