// SPDX-License-Identifier: GPL-2.0
/*
 * ktriage_lockdep.ko - provoke lockdep and might_sleep reports for ktriage's
 * captured fixtures (scripts/capture/build-sanitizer-kernel.sh builds it,
 * capture-lkdtm.sh loads it). Nothing here really deadlocks or sleeps.
 *
 *   insmod ktriage_lockdep.ko mode=circular
 *	takes mutex A then B, then (sequentially, same task) B then A:
 *	"WARNING: possible circular locking dependency detected"
 *   insmod ktriage_lockdep.ko mode=recursive
 *	takes two mutexes of the same lock class (initialised at one site):
 *	"WARNING: possible recursive locking detected"
 *   insmod ktriage_lockdep.ko mode=unlock
 *	unlocks a mutex that is not held: "WARNING: bad unlock balance detected!"
 *   insmod ktriage_lockdep.ko mode=softirq
 *	takes a spinlock with softirqs enabled, then in a timer (softirq):
 *	"WARNING: inconsistent lock state"
 *   insmod ktriage_lockdep.ko mode=sleep
 *	kmalloc(GFP_KERNEL) under a spinlock:
 *	"BUG: sleeping function called from invalid context"
 * One report per boot: lockdep turns itself off after its first report.
 * No function name contains "lockdep": syzkaller skips such frames in titles.
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timer.h>

static char *mode = "circular";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "circular | recursive | unlock | softirq | sleep");

static DEFINE_MUTEX(ktriage_lock_a);
static DEFINE_MUTEX(ktriage_lock_b);
static DEFINE_SPINLOCK(ktriage_spin);
static struct mutex ktriage_pair[2];
static DEFINE_MUTEX(ktriage_unheld);
static DEFINE_SPINLOCK(ktriage_timer_lock);
static struct timer_list ktriage_timer;

static noinline void ktriage_take_a_then_b(void)
{
	mutex_lock(&ktriage_lock_a);
	mutex_lock(&ktriage_lock_b);
	mutex_unlock(&ktriage_lock_b);
	mutex_unlock(&ktriage_lock_a);
}

static noinline void ktriage_take_b_then_a(void)
{
	mutex_lock(&ktriage_lock_b);
	mutex_lock(&ktriage_lock_a);
	mutex_unlock(&ktriage_lock_a);
	mutex_unlock(&ktriage_lock_b);
}

static noinline void ktriage_take_pair(void)
{
	mutex_lock(&ktriage_pair[0]);
	mutex_lock(&ktriage_pair[1]);
	mutex_unlock(&ktriage_pair[1]);
	mutex_unlock(&ktriage_pair[0]);
}

static noinline void ktriage_bad_unlock(void)
{
	mutex_unlock(&ktriage_unheld);
	barrier();	/* no tail call: keep this function in the report */
}

static void ktriage_timer_fn(struct timer_list *t)
{
	spin_lock(&ktriage_timer_lock);
	spin_unlock(&ktriage_timer_lock);
}

static noinline void ktriage_softirq_inconsistent(void)
{
	/* process context, softirqs enabled: SOFTIRQ-ON-W */
	spin_lock(&ktriage_timer_lock);
	spin_unlock(&ktriage_timer_lock);
	/* the same lock in a timer callback: IN-SOFTIRQ-W */
	timer_setup(&ktriage_timer, ktriage_timer_fn, 0);
	mod_timer(&ktriage_timer, jiffies + 1);
	msleep(200);
	del_timer_sync(&ktriage_timer);
}

static noinline void ktriage_alloc_under_spinlock(void)
{
	void *p;

	spin_lock(&ktriage_spin);
	p = kmalloc(64, GFP_KERNEL);
	spin_unlock(&ktriage_spin);
	kfree(p);
}

static int __init ktriage_init(void)
{
	if (!strcmp(mode, "circular")) {
		ktriage_take_a_then_b();
		ktriage_take_b_then_a();
	} else if (!strcmp(mode, "recursive")) {
		int i;

		for (i = 0; i < ARRAY_SIZE(ktriage_pair); i++)
			mutex_init(&ktriage_pair[i]);	/* one call site: one class */
		ktriage_take_pair();
	} else if (!strcmp(mode, "unlock")) {
		ktriage_bad_unlock();
	} else if (!strcmp(mode, "softirq")) {
		ktriage_softirq_inconsistent();
	} else if (!strcmp(mode, "sleep")) {
		ktriage_alloc_under_spinlock();
	} else {
		return -EINVAL;
	}
	pr_info("ktriage_lockdep: mode=%s done\n", mode);
	return 0;
}

static void __exit ktriage_exit(void)
{
}

module_init(ktriage_init);
module_exit(ktriage_exit);
MODULE_DESCRIPTION("provoke lockdep/might_sleep reports for ktriage fixtures");
MODULE_LICENSE("GPL");
