// Rust v0 symbols as kallsyms prints them in a Rust panic's call trace (syzkaller corpus
// report/748, a rust_binder panic on 6.12), demangled as syzbot titles show them.
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/analyze.js';
import { parseFrameLine } from '../../src/reports/frames.js';
import { demangleRust } from '../../src/reports/rust-demangle.js';

describe('demangleRust', () => {
  it.each([
    // syzkaller's expected FRAME for report/748: an inherent impl ("M"), the type a back reference ("B5_") into the impl path.
    ['_RNvMs3_NtCshgDM7dBCdno_11rust_binder7processNtB5_7Process10update_ref', '<rust_binder::process::Process>::update_ref'],
    // Crate roots with a hash disambiguator ("Cs<hash>_"), nested value and type namespaces.
    ['_RNvCscSpY9Juk0HT_7___rustc17rust_begin_unwind', '__rustc::rust_begin_unwind'],
    ['_RNvNtNtCs9jEwPDbx20M_4core9panicking11panic_const24panic_const_sub_overflow', 'core::panicking::panic_const::panic_const_sub_overflow'],
    // A trait impl ("X") for a reference type ("R"), the trait path in another crate.
    ['_RNvXs1b_NtCs9jEwPDbx20M_4core3fmtRNtNtNtB8_5panic10panic_info9PanicInfoNtB6_7Display3fmtCs43vyB533jt3_6kernel', '<&core::panic::panic_info::PanicInfo as core::fmt::Display>::fmt'],
    // A closure ("NC", disambiguator absent: #0) with the instantiating crate after the path, and generic arguments ("I".."E").
    ['_RNCNvCs1234_5hello4main0B3_', 'hello::main::{closure#0}'],
    ['_RINvCs1234_3foo3barjE', 'foo::bar::<usize>'],
    // Nested closures: a closure's empty name is the number "0", complete by itself (rustc-demangle's own test vector).
    ['_RNCNCNgCs6DXkGYLi8lr_2cc5spawn00B5_', 'cc::spawn::{closure#0}::{closure#0}'],
    ['_RNvNCNvC3foo3bar05inner', 'foo::bar::{closure#0}::inner'],
    // An erased lifetime on a reference prints as nothing.
    ['_RINvNtC3std3mem8align_ofRL_hE', 'std::mem::align_of::<&u8>'],
    // A vendor suffix is not part of the path.
    ['_RNvCs1234_3foo3bar.llvm.1234', 'foo::bar'],
  ])('%s -> %s', (sym, want) => {
    expect(demangleRust(sym)).toBe(want);
  });

  it.each([
    ['a C symbol', 'update_ref'],
    ['only the prefix', '_R'],
    ['a back reference to itself', '_RNvB0_3foo'],
    ['a length past the end', '_RNvCs1_99foo'],
    ['nesting past the depth limit', `_RNv${'N'.repeat(100)}`],
    ['a char constant past U+10FFFF', '_RIC1aKcffffffff_E'],
    ['a bool constant other than 0 or 1', '_RIC1aKb2_E'],
    // Tuples of five back references to the previous tuple, 12 levels: 5^12 copies of "()"
    // (without the caps, 10 levels of three already printed 1.3 million characters).
    ['back references that multiply the output', '_RIC1aTuuuuuETB3_B3_B3_B3_B3_ETBa_Ba_Ba_Ba_Ba_ETBr_Br_Br_Br_Br_ETBI_BI_BI_BI_BI_ETBZ_BZ_BZ_BZ_BZ_ETB1g_B1g_B1g_B1g_B1g_ETB1x_B1x_B1x_B1x_B1x_ETB1T_B1T_B1T_B1T_B1T_ETB2f_B2f_B2f_B2f_B2f_ETB2B_B2B_B2B_B2B_B2B_ETB2X_B2X_B2X_B2X_B2X_ETB3j_B3j_B3j_B3j_B3j_EE'],
  ])('gives undefined for %s', (_what, sym) => {
    expect(demangleRust(sym)).toBeUndefined();
  });

  it('demangles frame functions, so a Rust panic gets the title syzbot gives it', () => {
    const f = parseFrameLine(' _RNvMs3_NtCshgDM7dBCdno_11rust_binder7processNtB5_7Process10update_ref+0x17e5/0x1860');
    expect(f?.frames[0]).toMatchObject({ function: '<rust_binder::process::Process>::update_ref', offset: '0x17e5', reliable: true });
    const log = [
      '[   23.717039][  T298] rust_kernel: panicked at drivers/android/binder/node.rs:877:13:',
      '[   23.717039][  T298] attempt to subtract with overflow',
      // The panic handler ends in BUG(): the same event, not a second report.
      '[   23.745283][  T298] ------------[ cut here ]------------',
      '[   23.771620][  T298] kernel BUG at rust/helpers/bug.c:7!',
      '[   23.772028][  T298] Oops: invalid opcode: 0000 [#1] PREEMPT SMP KASAN PTI',
      '[   23.800761][  T298] CPU: 0 UID: 0 PID: 298 Comm: syz-executor821 Not tainted 6.12.23-syzkaller-g30b14cdad458 #0',
      '[   23.829979][  T298] RIP: 0010:rust_helper_BUG+0x8/0x10',
      '[   24.057562][  T298] Call Trace:',
      '[   24.060844][  T298]  <TASK>',
      '[   24.063751][  T298]  _RNvCscSpY9Juk0HT_7___rustc17rust_begin_unwind+0x15b/0x160',
      '[   24.128451][  T298]  _RNvNtCs9jEwPDbx20M_4core9panicking9panic_fmt+0x84/0x90',
      '[   24.143499][  T298]  _RNvNtNtCs9jEwPDbx20M_4core9panicking11panic_const24panic_const_sub_overflow+0xb2/0xc0',
      '[   24.163987][  T298]  _RNvMs3_NtCshgDM7dBCdno_11rust_binder7processNtB5_7Process10update_ref+0x17e5/0x1860',
      '[   24.204041][  T298]  _RNvMs2_NtCshgDM7dBCdno_11rust_binder6threadNtB5_6Thread10write_read+0x27cf/0x96a0',
      '[   24.220000][  T298]  </TASK>',
    ].join('\n');
    const reports = analyzeText(log);
    expect(reports.map((r) => r.title)).toEqual(['attempt to subtract with overflow in <rust_binder::process::Process>::update_ref']);
    expect(reports[0]?.kernelVersion).toBe('6.12.23-syzkaller-g30b14cdad458');
  });
});
