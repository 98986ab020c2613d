/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim (mock/pci.cc; tasklets in mock/net.cc): IRQ handlers registered with the mock. */
#ifndef _LINUX_INTERRUPT_H
#define _LINUX_INTERRUPT_H
#include <linux/kernel.h>
#include <linux/types.h>

typedef enum irqreturn {
	IRQ_NONE = 0,
	IRQ_HANDLED = 1,
} irqreturn_t;

typedef irqreturn_t (*irq_handler_t)(int irq, void *data);

#ifdef __cplusplus
extern "C" {
#endif
int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
		const char *name, void *data);
const void *free_irq(unsigned int irq, void *data);
/*
 * Tasklets: scheduled ones run, in order, with the softirqs the test runs
 * (mock::RunNapi()); tasklet_kill() lets a scheduled one run first.
 */
struct tasklet_struct {
	void (*callback)(struct tasklet_struct *t);
	bool scheduled;
};

#define from_tasklet(var, t, field) \
	container_of(t, __typeof__(*var), field)

void tasklet_setup(struct tasklet_struct *t,
		   void (*callback)(struct tasklet_struct *t));
void tasklet_hi_schedule(struct tasklet_struct *t);
void tasklet_kill(struct tasklet_struct *t);

/* Affinity hints, which free_irq() requires cleared (NULL) first */
struct cpumask;
int irq_set_affinity_and_hint(unsigned int irq, const struct cpumask *m);
int irq_update_affinity_hint(unsigned int irq, const struct cpumask *m);
#ifdef __cplusplus
}
#endif
#endif
