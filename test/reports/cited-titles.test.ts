// syzbot titles cited in mail are not kernel output.
import { describe, expect, it } from 'vitest';
import { analyzeText } from '../../src/analyze.js';

describe("syzbot's kernel-panic titles in prose", () => {
  it('"kernel panic: ..." in a subject or a sentence starts no report', () => {
    const mail = ['Subject: Re: kernel panic: Attempted to kill init!', '', 'I see kernel panic: Attempted to kill init! on boot.'].join('\n');
    expect(analyzeText(mail, 'mail')).toEqual([]);
  });

  it('a "panic:" line (syzkaller\'s tools, gVisor) still does', () => {
    const [r] = analyzeText('panic: Sentry detected 1 stuck task(s):\n', 'log');
    expect(r?.title).toBe('panic: Sentry detected stuck tasks');
  });

  it('the kernel\'s own panic line still does', () => {
    const [r] = analyzeText('[   12.000000] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000009\n', 'log');
    expect(r?.title).toBe('kernel panic: Attempted to kill init!');
  });
});

describe('a header word that ends a sentence', () => {
  it('is prose: "... causing a kernel BUG." starts no report, even with a trace after it', () => {
    // A commit message in the shape of one on linux-ext4 (2025), made up: the sentence names the
    // crash, the trace that follows has no header of its own.
    const mail = ['The counter is already zero in this state, causing a kernel BUG.', '', 'Crash stack:', ' Call trace:', ' foo_stop+0x148/0x158', ' foo_journal_stop+0x198/0x388'].join('\n');
    expect(analyzeText(mail, 'mail')).toEqual([]);
  });

  it('the kernel\'s own line still starts one', () => {
    const [r] = analyzeText(['------------[ cut here ]------------', 'kernel BUG at fs/foo.c:12!', 'invalid opcode: 0000 [#1] SMP', 'RIP: 0010:foo_stop+0x148/0x158', 'Call Trace:', ' foo_journal_stop+0x198/0x388'].join('\n'), 'mail');
    expect(r?.title).toBe('kernel BUG in foo_stop');
  });
});

