/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _LINUX_INTERRUPT_H
#define _LINUX_INTERRUPT_H

typedef enum irqreturn {
	IRQ_NONE = 0,
	IRQ_HANDLED = 1,
} irqreturn_t;
#endif
