// Known bug: end_page_writeback() wakes waiters of a page that truncation freed and
// that was reused (v5.8 .. v5.10-rc6). Discussion: "[PATCH] mm: fix VM_BUG_ON(PageTail) and
// BUG_ON(PageWriteback)" (Hugh Dickins, November 2020); the "if" -> "while" hardening followed.
import { defineDetector } from './define-detector.js';

export default defineDetector({
  id: 'stale-writeback-wakeup',
  title: 'Stale wake_up_page() after end_page_writeback() on a freed and reused page',
  description:
    'After 2a9127fcf229, end_page_writeback() could call wake_up_page() on a page already freed by truncation ' +
    'and reused: as the tail of a huge page (VM_BUG_ON_PAGE(PageTail(page)) from the PageWaiters check), or as a ' +
    'new page under writeback whose waiter in write_cache_pages() (or ext4 writepages) wakes early and hits ' +
    'BUG_ON(PageWriteback(page)).',
  references: {
    introduced: {
      commit: '2a9127fcf2296674d58024f83981f40b128fffea',
      subject: 'mm: rewrite wait_on_page_bit_common() logic',
      release: '5.8',
      // Written after Hugh Dickins' report of 2020-07-22, i.e. after 5.8-rc6.
      absentUntil: '5.8-rc6',
      // 5.4.249 took the rewrite together with both fixes, so 5.4.y before it never had the bug.
      backports: [{ release: '5.4.249', commit: 'ba1b991cf5a5' }],
    },
    fixes: [
      {
        commit: '073861ed77b6',
        subject: 'mm: fix VM_BUG_ON(PageTail) and BUG_ON(PageWriteback)',
        release: '5.10-rc6',
        backports: [{ release: '5.9.12' }, { release: '5.4.249', commit: 'f1f65443f578' }],
      },
      {
        commit: 'c2407cf7d22d',
        subject: 'mm: make wait_on_page_writeback() wait for multiple pending writebacks',
        release: '5.11-rc3',
        backports: [{ release: '5.10.7' }, { release: '5.4.249', commit: '1d048839631f' }],
      },
    ],
    // Cited by subject: the Message-IDs were not at hand when this detector was written.
    discussions: [
      '"[PATCH] mm: fix VM_BUG_ON(PageTail) and BUG_ON(PageWriteback)", Hugh Dickins, linux-mm, 2020-11-23',
      'https://lore.kernel.org/linux-mm/20200416220130.13343-1-willy@infradead.org/ (page waitqueue patches cited in the thread)',
    ],
  },
  signatures: [
    {
      // The only BUG_ON in write_cache_pages() is BUG_ON(PageWriteback(page)) after wait_on_page_writeback().
      name: 'BUG_ON(PageWriteback(page)) in write_cache_pages',
      classes: ['bug'],
      location: '^mm/page-writeback\\.c:',
      guiltyFunction: '^write_cache_pages$',
    },
    {
      // ext4's own writepages walks pages the same way (mpage_prepare_extent_to_map is often inlined).
      name: 'BUG_ON(PageWriteback(page)) in ext4 writepages',
      classes: ['bug'],
      location: '^fs/ext4/inode\\.c:',
      guiltyFunction: '^(?:mpage_prepare_extent_to_map|ext4_writepages)$',
      confidence: 'medium',
    },
    {
      // PageWaiters() is a head-page-only flag: testing it on a tail page trips VM_BUG_ON_PAGE.
      name: 'VM_BUG_ON_PAGE(PageTail(page)) from end_page_writeback',
      pageDumpReason: 'PageTail',
      frames: ['^(?:wake_up_page|wake_up_page_bit|end_page_writeback)$'],
    },
  ],
  mentions: [
    { all: ['BUG_ON\\(PageWriteback', 'wait_on_page_writeback'], any: ['write_cache_pages', 'wake_up_page', 'end_page_writeback'] },
    { all: ['VM_BUG_ON(?:_PAGE)?\\(PageTail'], any: ['wake_up_page', 'end_page_writeback', 'PageWaiters'] },
  ],
});
