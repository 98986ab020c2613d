/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim (mock/time.cc): simulated time; it moves only when something waits. */
#ifndef _LINUX_JIFFIES_H
#define _LINUX_JIFFIES_H
#include <linux/types.h>

#define HZ 250

#ifdef __cplusplus
extern "C" {
#endif
extern unsigned long jiffies;
extern unsigned long long mock_usecs;	/* advanced by udelay() */
#ifdef __cplusplus
}
#endif

static inline unsigned long msecs_to_jiffies(unsigned int ms)
{
	return ((unsigned long)ms * HZ + 999) / 1000;
}
#endif
