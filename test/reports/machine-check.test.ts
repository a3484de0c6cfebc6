// A fatal x86 machine check: arch/x86/kernel/cpu/mce/core.c mce_panic prints the machine checks
// (print_mce: "[Hardware Error]: CPU %d: Machine Check%s: ..." and its RIP/TSC/PROCESSOR lines),
// "Machine check: <why>", then panic(msg). No stack trace follows, and the report is whole without one.
// The lines are hand-written in those formats (v6.1).
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { analyze } from '../../src/analyze.js';
import type { OutputRecord } from '../../src/model/records.js';

const FATAL_MCE = [
  '[  200.000000] mce: [Hardware Error]: CPU 1: Machine Check Exception: 5 Bank 4: be00000000800400',
  '[  200.000001] mce: [Hardware Error]: RIP !INEXACT! 10:<ffffffff8104ad94> {native_safe_halt+0x4/0x10}',
  '[  200.000002] mce: [Hardware Error]: TSC 2e8a0d4c7b5 ADDR 1234567 MISC 0 ',
  '[  200.000003] mce: [Hardware Error]: PROCESSOR 0:206d7 TIME 1380000000 SOCKET 0 APIC 2 microcode 70d',
  "[  200.000004] mce: [Hardware Error]: Run the above through 'mcelog --ascii'",
  '[  200.000005] mce: [Hardware Error]: Machine check: Processor context corrupt',
  '[  200.000006] Kernel panic - not syncing: Fatal machine check',
  '[  200.000007] Kernel Offset: disabled',
].join('\n');

async function run(text: string): Promise<OutputRecord[]> {
  const out: OutputRecord[] = [];
  for await (const r of analyze(['-'], { stdin: Readable.from([Buffer.from(text)]), idleFlushMs: 0 })) out.push(r);
  return out;
}

describe('fatal machine check', () => {
  it('is a panic report that is not corrupted for want of a stack trace', async () => {
    const recs = await run(FATAL_MCE);
    expect(recs.filter((r) => r.kind === 'report').map((r) => [(r as { title: string }).title, (r as { corrupted: boolean }).corrupted])).toEqual([
      ['kernel panic: Fatal machine check', false],
    ]);
  });

  it('gives the machine check lines as critical hardware errors', async () => {
    const recs = await run(FATAL_MCE);
    expect(recs.filter((r) => r.kind === 'kernel-error')).toMatchObject([
      { line: 1, category: 'hardware-error', severity: 'critical' },
      { line: 6, category: 'hardware-error', severity: 'critical' },
    ]);
  });

  it('still marks a panic of another reason without its oops as corrupted', async () => {
    const recs = await run('[  200.000006] Kernel panic - not syncing: Fatal exception');
    expect(recs.filter((r) => r.kind === 'report').map((r) => (r as { corrupted: boolean }).corrupted)).toEqual([true]);
  });
});
