// Commit-message text: subjects, trailer tags, diffs, mentioned functions, trimmed traces.
import { describe, expect, it } from 'vitest';
import { contextFunction, readDiff } from '../../src/kb/diff.js';
import { readMentions } from '../../src/kb/mentions.js';
import { cleanSubject, subjectKey } from '../../src/kb/subject.js';
import { appliedCommits, readTags, syzbotRecipients } from '../../src/kb/tags.js';
import { trimmedTrace } from '../../src/kb/trimmed-trace.js';

describe('cleanSubject / subjectKey', () => {
  it.each([
    // git send-email series tags
    ['[PATCH v3 2/5] ext4: fix x', 'ext4: fix x'],
    // tip-bot notices
    ['[tip: x86/urgent] x86/apic: Fix y', 'x86/apic: Fix y'],
    // replies and forwards, nested tags, folded whitespace
    ['Re: Fwd: [PATCH] [f2fs-dev]  f2fs: fix   z', 'f2fs: fix z'],
    // a bracket later in the subject stays
    ['[PATCH] x86: handle [mem] ranges', 'x86: handle [mem] ranges'],
  ])('%s', (raw, clean) => {
    expect(cleanSubject(raw)).toBe(clean);
    expect(subjectKey(raw)).toBe(clean.toLowerCase());
  });
});

describe('readTags', () => {
  const msg = [
    'Fixes: 0123456789ab ("ext4: add demo lookup")',
    'Fixes: abcdef012345',
    'Reported-by: syzbot+a1b2c3d4e5f60718293a@syzkaller.appspotmail.com',
    'Reported-by: Gus Reporter <gus@example.com>',
    'Closes: https://syzkaller.appspot.com/bug?extid=0a0b0c0d0e0f01020304',
    'Link: https://syzkaller.appspot.com/bug?id=69b28112e098b070f639efb356393af3ffec4220',
    'Link: https://lore.kernel.org/r/20240301090000.5555-1-bob@example.org',
    'Link: https://patch.msgid.link/20240305100000.1-1-ada%40example.org',
    '> Reported-by: syzbot+ffffffffffffffffffff@syzkaller.appspotmail.com',
    'commit 1111222233334444555566667777888899990000 upstream.',
  ];

  it('reads Fixes:, syzbot hashes and ids, other reporters, lore links; skips quoted lines', () => {
    const t = readTags(msg);
    expect(t.fixes).toEqual([{ commit: '0123456789ab', subject: 'ext4: add demo lookup' }, { commit: 'abcdef012345' }]);
    expect(t.syzbot).toEqual(['a1b2c3d4e5f60718293a', '0a0b0c0d0e0f01020304']);
    expect(t.syzbotIds).toEqual(['69b28112e098b070f639efb356393af3ffec4220']);
    expect(t.reportedBy).toEqual(['Gus Reporter <gus@example.com>']);
    expect(t.links).toEqual(['20240301090000.5555-1-bob@example.org', '20240305100000.1-1-ada@example.org']);
    // patch.msgid.link names the patch itself and wins over an earlier lore Link:.
    expect(t.patchLink).toBe('20240305100000.1-1-ada@example.org');
    expect(t.upstreamCommit).toBe('1111222233334444555566667777888899990000');
    expect(t.commitId).toBeUndefined();
  });

  it('reads tip-bot Commit-ID, AUTOSEL upstream lines and #syz commands', () => {
    const t = readTags(['Commit-ID:     89abcdef0123456789abcdef0123456789abcdef', '[ Upstream commit 2468ace02468ace02468ace02468ace02468ace0 ]', '#syz test: git://x dev', '#syz fix: ext4: stop writeback']);
    expect(t.commitId).toBe('89abcdef0123456789abcdef0123456789abcdef');
    expect(t.upstreamCommit).toBe('2468ace02468ace02468ace02468ace02468ace0');
    expect(t.syzTest).toBe(true);
    expect(t.syzFix).toEqual(['ext4: stop writeback']);
  });

  it('finds syzbot recipients in folded headers and b4 "Applied" commits', () => {
    expect(syzbotRecipients('To: a@b.c,\n syzbot+a1b2c3d4e5f60718293a@syzkaller.appspotmail.com')).toEqual(['a1b2c3d4e5f60718293a']);
    expect(appliedCommits(['Applied, thanks!', '', '[1/2] ext4: fix x', '      commit: fedcba987654', '[2/2] ext4: fix y', '      (no commit info)'])).toEqual([{ subject: 'ext4: fix x', commit: 'fedcba987654' }]);
  });
});

describe('readDiff', () => {
  it('collects files, hunk-header functions and functions defined in hunks', () => {
    const d = readDiff([
      'diff --git a/fs/ext4/demo.c b/fs/ext4/demo.c',
      '--- a/fs/ext4/demo.c',
      '+++ b/fs/ext4/demo.c',
      '@@ -110,9 +110,11 @@ static struct dentry *ext4_demo_lookup(struct inode *dir, struct dentry *dentry)',
      ' \tde = ext4_demo_find(dir);',
      '+\tif (!de)',
      '+static void ext4_demo_helper(struct inode *dir)',
      '+{',
      '@@ -1,3 +1,4 @@ struct demo_ops {',
      'diff --git a/fs/ext4/new.c b/fs/ext4/new.c',
      '--- /dev/null',
      '+++ b/fs/ext4/new.c',
      '@@ -0,0 +1,2 @@',
      '+int new_fn(void);',
    ]);
    expect(d).toEqual({ hasDiff: true, files: ['fs/ext4/demo.c', 'fs/ext4/new.c'], functions: ['ext4_demo_lookup', 'ext4_demo_helper'] });
  });

  it.each([
    ['static int __init foo_init(void)', 'foo_init'],
    ['SYSCALL_DEFINE3(openat, int, dfd)', 'SYSCALL_DEFINE3'],
    ['struct demo_ops {', undefined],
    ['if (x) {', undefined],
  ])('context %s', (ctx, fn) => {
    expect(contextFunction(ctx)).toBe(fn);
  });
});

describe('readMentions', () => {
  it('takes foo() and snake_case names from prose, not from frames, trailers, URLs or addresses', () => {
    expect(
      readMentions([
        'ext4: fix race in ext4_demo_lookup()',
        'The caller, xattr_find_entry, reads past the end; see Read() too.',
        '  ext4_lookup+0x40/0x90',
        'Reported-by: some_person <some_one@example.org>',
        'Link: https://example.org/some_path',
      ]),
    ).toEqual(['ext4_demo_lookup', 'xattr_find_entry', 'Read']);
  });
});

describe('trimmedTrace', () => {
  it('reads a hand-trimmed trace without offsets', () => {
    const t = trimmedTrace({
      rawLines: ['BUG: kernel NULL pointer dereference, address: 0000000000000008', 'RIP: 0010:mbm_cntr_get', 'Call Trace:', ' <TASK>', ' rdtgroup_assign_cntr_event', ' ? __pfx_rdt_get_tree', ' tpm_read_log_efi()', ' ...', 'Modules linked in:'],
    });
    expect(t).toEqual({
      pc: 'mbm_cntr_get',
      frames: [
        { function: 'rdtgroup_assign_cntr_event', reliable: true },
        { function: '__pfx_rdt_get_tree', reliable: false },
        { function: 'tpm_read_log_efi', reliable: true },
      ],
    });
  });
});
