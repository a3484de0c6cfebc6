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
  ])('gives undefined for %s', (_what, sym) => {
    expect(demangleRust(sym)).toBeUndefined();
  });

  it('demangles frame functions, so a Rust panic gets the title syzbot gives it', () => {
    const f = parseFrameLine(' _RNvMs3_NtCshgDM7dBCdno_11rust_binder7processNtB5_7Process10update_ref+0x17e5/0x1860');
    expect(f?.frames[0]).toMatchObject({ function: '<rust_binder::process::Process>::update_ref', offset: '0x17e5', reliable: true });
    const log = [
      '[   23.717039][  T298] rust_kernel: panicked at drivers/android/binder/node.rs:877:13:',
      '[   23.717039][  T298] attempt to subtract with overflow',
      '[   24.057562][  T298] Call Trace:',
      '[   24.060844][  T298]  <TASK>',
      '[   24.063751][  T298]  _RNvCscSpY9Juk0HT_7___rustc17rust_begin_unwind+0x15b/0x160',
      '[   24.128451][  T298]  _RNvNtCs9jEwPDbx20M_4core9panicking9panic_fmt+0x84/0x90',
      '[   24.143499][  T298]  _RNvNtNtCs9jEwPDbx20M_4core9panicking11panic_const24panic_const_sub_overflow+0xb2/0xc0',
      '[   24.163987][  T298]  _RNvMs3_NtCshgDM7dBCdno_11rust_binder7processNtB5_7Process10update_ref+0x17e5/0x1860',
      '[   24.204041][  T298]  _RNvMs2_NtCshgDM7dBCdno_11rust_binder6threadNtB5_6Thread10write_read+0x27cf/0x96a0',
      '[   24.220000][  T298]  </TASK>',
    ].join('\n');
    expect(analyzeText(log)[0]?.title).toBe('attempt to subtract with overflow in <rust_binder::process::Process>::update_ref');
  });
});
