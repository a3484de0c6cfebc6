// SPDX-License-Identifier: GPL-2.0
/*
 * ktriage_irq.ko - provoke the spurious-interrupt reports of kernel/irq/spurious.c
 * for ktriage's captured fixtures (scripts/capture/build-sanitizer-kernel.sh
 * builds it, capture-lkdtm.sh loads it).
 *
 * The module allocates an interrupt descriptor of its own (dummy chip, simple
 * flow handler), requests it, and raises it in software with
 * generic_handle_irq_safe(): the same path a device interrupt takes from the
 * flow handler on (handle_irq_event -> note_interrupt). No hardware is touched.
 *
 *   insmod ktriage_irq.ko mode=nobody_cared
 *	two shared handlers that both return IRQ_NONE, raised 100000 times:
 *	"irq N: nobody cared (try booting with the "irqpoll" option)", the
 *	stack, "handlers:" with one line per handler, "Disabling IRQ #N"
 *   insmod ktriage_irq.ko mode=bogus
 *	a handler (with a threaded one) that returns a value that is no
 *	irqreturn_t, raised once: "irq event N: bogus return value 10", the
 *	stack and "handlers:"
 * The module then frees the interrupt and its descriptor and stays loaded, idle.
 * (It does not fail its load on purpose: busybox insmod then loads it a second
 * time through init_module() after finit_module(), and the report comes twice.)
 */
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/module.h>

static char *mode = "nobody_cared";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "nobody_cared | bogus");

static int ktriage_dev_a, ktriage_dev_b;

static irqreturn_t ktriage_irq_not_mine(int irq, void *dev_id)
{
	return IRQ_NONE;
}

static irqreturn_t ktriage_irq_other_not_mine(int irq, void *dev_id)
{
	return IRQ_NONE;
}

static irqreturn_t ktriage_irq_bogus(int irq, void *dev_id)
{
	/* 0x10 is none of IRQ_NONE, IRQ_HANDLED, IRQ_WAKE_THREAD */
	return (irqreturn_t)0x10;
}

static irqreturn_t ktriage_irq_thread(int irq, void *dev_id)
{
	return IRQ_HANDLED;
}

static noinline void ktriage_irq_raise(unsigned int irq, int times)
{
	int i;

	for (i = 0; i < times; i++)
		generic_handle_irq_safe(irq);
}

static int __init ktriage_irq_init(void)
{
	int irq, ret;

	irq = irq_alloc_desc(NUMA_NO_NODE);
	if (irq < 0)
		return irq;
	irq_set_chip_and_handler(irq, &dummy_irq_chip, handle_simple_irq);
	irq_modify_status(irq, IRQ_NOREQUEST | IRQ_NOAUTOEN | IRQ_NOPROBE, 0);

	if (!strcmp(mode, "bogus")) {
		ret = request_threaded_irq(irq, ktriage_irq_bogus, ktriage_irq_thread,
					   0, "ktriage_irq", &ktriage_dev_a);
		if (ret)
			goto out_desc;
		ktriage_irq_raise(irq, 1);
		free_irq(irq, &ktriage_dev_a);
	} else {
		ret = request_irq(irq, ktriage_irq_not_mine, IRQF_SHARED,
				  "ktriage_irq_a", &ktriage_dev_a);
		if (ret)
			goto out_desc;
		ret = request_irq(irq, ktriage_irq_other_not_mine, IRQF_SHARED,
				  "ktriage_irq_b", &ktriage_dev_b);
		if (ret) {
			free_irq(irq, &ktriage_dev_a);
			goto out_desc;
		}
		/* note_interrupt() judges every 100000 interrupts */
		ktriage_irq_raise(irq, 100000);
		free_irq(irq, &ktriage_dev_b);
		free_irq(irq, &ktriage_dev_a);
	}
	ret = 0;
out_desc:
	irq_free_desc(irq);
	return ret;
}

module_init(ktriage_irq_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ktriage: provoke the spurious-interrupt reports");
