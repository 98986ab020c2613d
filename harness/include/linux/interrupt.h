/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim: IRQ handlers registered with the mock (mock/pci.cc). */
#ifndef _LINUX_INTERRUPT_H
#define _LINUX_INTERRUPT_H

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
/* Affinity hints, which free_irq() requires cleared (NULL) first */
struct cpumask;
int irq_set_affinity_and_hint(unsigned int irq, const struct cpumask *m);
int irq_update_affinity_hint(unsigned int irq, const struct cpumask *m);
#ifdef __cplusplus
}
#endif
#endif
