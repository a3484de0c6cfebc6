// x86 die() banners of the traps without a family of their own (faults.ts 'x86-die'): "bounds",
// "invalid TSS", "segment not present", "fpu exception", "simd exception", ... (arch/x86/kernel/traps.c),
// before v6.9 as "<str>: %04lx [#N]" and since as "Oops: <str>: %04lx [#N]" (dumpstack.c __die_header).
// Before this family such an oops gave no report at all.
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/analyze.js';
import { familyOf } from '../../src/reports/formats/index.js';

/** An x86-64 oops whose first line is `banner` (the body of a real v6.1 capture's shape). */
function oops(banner: string): string {
  return [
    `[  100.000000] ${banner}`,
    '[  100.000001] CPU: 2 PID: 1234 Comm: modprobe Not tainted 6.1.0-18-amd64 #1 Debian 6.1.76-1',
    '[  100.000002] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014',
    '[  100.000003] RIP: 0010:foo_probe_fpu+0x12/0x40 [foo]',
    '[  100.000004] Code: 48 89 df e8 00 00 00 00 <0f> 5e c1 5b c3',
    '[  100.000005] RSP: 0018:ffffa0b5c0a03e08 EFLAGS: 00010246',
    '[  100.000006] Call Trace:',
    '[  100.000007]  <TASK>',
    '[  100.000008]  foo_init+0x20/0x50 [foo]',
    '[  100.000009]  do_one_initcall+0x46/0x1d0',
    '[  100.000010]  do_init_module+0x52/0x260',
    '[  100.000011]  </TASK>',
    '[  100.000012] ---[ end trace 0000000000000000 ]---',
  ].join('\n');
}

const titles = (text: string) => analyzeText(text).map((r) => [r.title, r.crashClass]);

describe('x86 die() banners of the traps without a family of their own', () => {
  it('titles the banner with and without the "Oops: " prefix of v6.9', () => {
    expect(titles(oops('bounds: 0000 [#1] SMP PTI'))).toEqual([['bounds in foo_probe_fpu', 'trap']]);
    expect(titles(oops('segment not present: 0010 [#1] SMP NOPTI'))).toEqual([['segment not present in foo_probe_fpu', 'trap']]);
    expect(titles(oops('Oops: simd exception: 0000 [#1] PREEMPT SMP NOPTI'))).toEqual([['simd exception in foo_probe_fpu', 'trap']]);
    expect(titles(oops('Oops: unexpected #NM exception: 0000 [#1] PREEMPT SMP NOPTI'))).toEqual([
      ['unexpected #NM exception in foo_probe_fpu', 'trap'],
    ]);
  });

  it('marks the title as one syzbot does not give', () => {
    expect(analyzeText(oops('invalid TSS: 0000 [#1] SMP')).map((r) => r.syzbotCompatible)).toEqual([false]);
  });

  it('leaves the banners of the families of their own to them', () => {
    expect(titles(oops('Oops: stack segment: 0000 [#1] PREEMPT SMP NOPTI'))).toEqual([['stack segment fault in foo_probe_fpu', 'trap']]);
    expect(titles(oops('Oops: invalid opcode: 0000 [#1] PREEMPT SMP NOPTI'))).toEqual([['invalid opcode in foo_probe_fpu', 'trap']]);
    // The page-fault banner: "Oops" is no trap's string.
    expect(titles(oops('Oops: Oops: 0000 [#1] PREEMPT SMP NOPTI'))).toEqual([['Oops in foo_probe_fpu', 'other']]);
    expect(titles(oops('Oops: 0002 [#1] SMP'))).toEqual([['Oops in foo_probe_fpu', 'other']]);
  });

  it('keeps the banner inside the report of the header that names the fault', () => {
    const text = oops('Oops: stack guard page: 0000 [#1] PREEMPT SMP NOPTI').replace(
      '[  100.000000]',
      '[  100.000000] BUG: TASK stack guard page was hit at 00000000ec9b6850 (stack is 0000000080b13a1b..00000000ca391f6c)\n[  100.000000]',
    );
    const reports = analyzeText(text);
    expect(reports.map((r) => [r.crashClass, r.rawLines[1]])).toEqual([['stack-overflow', 'Oops: stack guard page: 0000 [#1] PREEMPT SMP NOPTI']]);
  });

  it('keeps the double fault banner inside the report of its PANIC line', () => {
    // arch/x86/kernel/traps.c exc_double_fault: pr_emerg("PANIC: double fault, error_code: 0x%lx\n"), then die("double fault").
    const text = oops('double fault: 0000 [#1] PREEMPT SMP PTI').replace(
      '[  100.000000]',
      '[  100.000000] traps: PANIC: double fault, error_code: 0x0\n[  100.000000]',
    );
    expect(titles(text)).toEqual([['PANIC: double fault in foo_probe_fpu', 'trap']]);
  });

  it('does not take lines that only look alike', () => {
    // A user-space trap (show_signal), powerpc's banner (sig: 11), arm's (a code of other than 4 digits),
    // s390's (ilc), text with no banner shape, a string with digits.
    for (const line of [
      'traps: foo[123] trap invalid TSS ip:7f0000001000 sp:7ffd00000000 error:0 in libc.so.6[7f0000000000+1000]',
      'Oops: Kernel access of bad area, sig: 11 [#1]',
      'Internal error: Oops: 000000009600004f [#1] SMP',
      'Internal error: Oops - BUG: 0 [#1] SMP ARM',
      'Oops: 0004 ilc:3 [#1] SMP ',
      'Fixes: see the thread [#1]',
      // The second half of a GPF banner wrapped in a mail.
      'address 0xdffffc0000000000: 0000 [#1] PREEMPT SMP KASAN',
    ]) {
      expect([line, familyOf(line)?.id]).not.toEqual([line, 'x86-die']);
    }
    expect(familyOf('bounds: 0000 [#1] SMP')?.id).toBe('x86-die');
  });
});
