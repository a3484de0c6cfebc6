// Title normalization, one hand-checked case per replacement rule.
import { describe, expect, it } from 'vitest';
import { MAX_TITLE_LENGTH, normalizeTitle } from '../../src/reports/normalize-title.js';

describe('normalizeTitle', () => {
  it.each([
    // Addresses become ADDR.
    ['BUG: Bad page state in process foo pfn:1a2b3c4d', 'BUG: Bad page state in process foo pfn:ADDR'],
    // Source line numbers become LINE.
    ['WARNING: at fs/xfs/xfs_aops.c:971 xfs_vm_writepage()', 'WARNING: at fs/xfs/xfs_aops.c:LINE xfs_vm_writepage()'],
    // Offsets of functions are dropped.
    ['WARNING: at a.c:1 xfs_vm_writepage+0x5ce/0x630 [xfs]()', 'WARNING: at a.c:LINE xfs_vm_writepage [xfs]()'],
    // An offset without a function name before it is dropped as well (found by test/fuzz.test.ts);
    // like the named rule it reads letters after "0x" too, so "+0x1/0x2at" goes whole.
    ['kernel BUG +0x1/0x2at mm/page-writeback.c:2693!', 'kernel BUG mm/page-writeback.c:LINE!'],
    ['WARNING: CPU: 0 PID: 1 at kernel/a.c:1 +0x1c/0x30', 'WARNING: CPU: NUM PID: NUM at kernel/a.c:LINE'],
    // Free-standing numbers become NUM, numbers inside names stay.
    ['kernel panic: VFS: Unable to mount root fs on unknown-block(1,0)', 'kernel panic: VFS: Unable to mount root fs on unknown-block(NUM,NUM)'],
    ['WARNING in cfg80211_connect', 'WARNING in cfg80211_connect'],
    // CPU numbers; "22s" is not a free-standing number (a letter follows it).
    ['BUG: soft lockup - CPU#3 stuck for 22s!', 'BUG: soft lockup - CPU stuck for 22s!'],
    // syzkaller executor names swallow their pid, the preempt count becomes ADDR.
    ['BUG: scheduling while atomic: syz-executor.3/12345/0x00000002', 'BUG: scheduling while atomic: syz-executor/ADDR'],
    // Non-ASCII and control characters are dropped, spaces collapsed.
    ['WARNING:\tfoo  \u00e9bar', 'WARNING: foo bar'],
    // An address with a stray byte inside (found by test/fuzz.test.ts) is still one address: the
    // byte is dropped before the replacements, not after them ("0xffffADDR").
    ['unreferenced object 0xffff\u00e9888012345678 (size 64):', 'unreferenced object ADDR (size NUM):'],
    // A letter or digit glued before "0x" (a duplicated "0x", found by npm run fuzz): still an address.
    ['unreferenced object 0x0xffff888109a3c600 (size 192):', 'unreferenced object 0xADDR (size NUM):'],
    ['BUG: Bad page state in process foo pfn:g0x1a2b3c4d', 'BUG: Bad page state in process foo pfn:gADDR'],
  ])('%s', (input, want) => {
    expect(normalizeTitle(input)).toBe(want);
  });

  it('caps the length', () => {
    expect(normalizeTitle(`kernel panic: ${'x'.repeat(300)}`).length).toBeLessThanOrEqual(MAX_TITLE_LENGTH);
  });
});
