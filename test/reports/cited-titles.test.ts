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
