// Known bug: filesystem ->writepage called from direct reclaim (v3.16-rc1 .. v3.16).
// Report: Dave Jones, June 2014 (WARNING in xfs_vm_writepage); Hugh Dickins' ext4_writepage
// WARNINGs; diagnosis and fix in "[PATCH] mm: fix direct reclaim writeback regression", 2014-07-26.
import { defineDetector } from './define-detector.js';

export default defineDetector({
  id: 'writeback-from-direct-reclaim',
  title: 'Filesystem writepage from direct reclaim: migration left PageSwapBacked on a reused page',
  description:
    "68711a746345 let compaction put a failed migration's new page back on the free list with PageSwapBacked " +
    "still set. Reused as a file page it failed page_is_file_cache(), so shrink_page_list() in direct reclaim " +
    "called the filesystem's ->writepage, which WARNs when called with PF_MEMALLOC but not PF_KSWAPD " +
    '(xfs_vm_writepage in fs/xfs/xfs_aops.c, ext4_writepage in fs/ext4/inode.c).',
  references: {
    introduced: {
      commit: '68711a746345',
      subject: 'mm, migration: add destination page freeing callback',
      release: '3.16-rc1',
    },
    fixes: [
      {
        commit: '8bdd638091605dc66d92c57c4b80eb87fffc15f7',
        subject: 'mm: fix direct reclaim writeback regression',
        release: '3.16',
        // Sent on 2014-07-26 against 3.16-rc6.
        absentUntil: '3.16-rc6',
      },
    ],
    // Cited by subject: the Message-IDs were not at hand when this detector was written.
    discussions: ['"[PATCH] mm: fix direct reclaim writeback regression", Hugh Dickins, linux-mm, 2014-07-26'],
  },
  signatures: [
    {
      name: 'WARN_ON_ONCE(PF_MEMALLOC without PF_KSWAPD) in a writepage under direct reclaim',
      classes: ['warning'],
      guiltyFunction: '^(?:xfs_vm_writepage|ext4_writepage)$',
      location: '^fs/(?:xfs/xfs_aops|ext4/inode)\\.c:',
      // The writepage, called from reclaim, called from an allocation that entered direct reclaim.
      frames: [
        '^(?:xfs_vm_writepage|ext4_writepage)$',
        '^(?:pageout|shrink_page_list|shrink_folio_list)$',
        '^(?:try_to_free_pages|do_try_to_free_pages|__perform_reclaim|__alloc_pages_direct_reclaim|__alloc_pages\\w*)$',
      ],
      // kswapd sets PF_KSWAPD, so the same stack from kswapd is not this bug.
      forbiddenFrames: ['^(?:kswapd|balance_pgdat)$'],
      forbiddenComm: '^kswapd',
    },
  ],
  mentions: [{ all: ['writepage', 'direct reclaim'], any: ['PageSwapBacked', 'page_is_file_cache', '68711a746345'] }],
});
