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
    // Free-standing numbers become NUM, numbers inside names stay.
    ['kernel panic: VFS: Unable to mount root fs on unknown-block(1,0)', 'kernel panic: VFS: Unable to mount root fs on unknown-block(NUM,NUM)'],
    ['WARNING in cfg80211_connect', 'WARNING in cfg80211_connect'],
    // CPU numbers; "22s" is not a free-standing number (a letter follows it).
    ['BUG: soft lockup - CPU#3 stuck for 22s!', 'BUG: soft lockup - CPU stuck for 22s!'],
    // syzkaller executor names swallow their pid, the preempt count becomes ADDR.
    ['BUG: scheduling while atomic: syz-executor.3/12345/0x00000002', 'BUG: scheduling while atomic: syz-executor/ADDR'],
    // Non-ASCII and control characters are dropped, spaces collapsed.
    ['WARNING:\tfoo  \u00e9bar', 'WARNING: foo bar'],
  ])('%s', (input, want) => {
    expect(normalizeTitle(input)).toBe(want);
  });

  it('caps the length', () => {
    expect(normalizeTitle(`kernel panic: ${'x'.repeat(300)}`).length).toBeLessThanOrEqual(MAX_TITLE_LENGTH);
  });
});
