/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: register polling in simulated time (udelay, mock/time.cc). */
#ifndef _LINUX_IOPOLL_H
#define _LINUX_IOPOLL_H
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/types.h>

/* As the kernel's: the condition is checked once more after the timeout */
#define readq_poll_timeout(addr, val, cond, sleep_us, timeout_us)	\
({									\
	unsigned long __left = (timeout_us);				\
	unsigned long __step = (sleep_us) ? (sleep_us) : 1;		\
	int __ret = 0;							\
	for (;;) {							\
		(val) = readq(addr);					\
		if (cond)						\
			break;						\
		if (!__left) {						\
			__ret = -ETIMEDOUT;				\
			break;						\
		}							\
		udelay(__step);						\
		__left = __left > __step ? __left - __step : 0;		\
	}								\
	__ret;								\
})
#endif
