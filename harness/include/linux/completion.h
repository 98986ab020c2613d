/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Harness shim, no .cc: completions on one thread.  Whoever completes runs before
 * the wait (the device model answers from inside the MMIO write), so a wait
 * that finds nothing done will never be woken: it "sleeps" its whole
 * timeout at once by advancing the simulated jiffies, and times out.
 */
#ifndef _LINUX_COMPLETION_H
#define _LINUX_COMPLETION_H
#include <linux/jiffies.h>
#include <linux/types.h>

struct completion {
	unsigned int done;
};

static inline void init_completion(struct completion *c)
{
	c->done = 0;
}

#define reinit_completion init_completion

static inline void complete(struct completion *c)
{
	c->done++;
}

static inline bool completion_done(struct completion *c)
{
	return c->done != 0;
}

static inline bool try_wait_for_completion(struct completion *c)
{
	if (!c->done)
		return false;
	c->done--;
	return true;
}

static inline unsigned long
wait_for_completion_timeout(struct completion *c, unsigned long timeout)
{
	if (try_wait_for_completion(c))
		return timeout ? timeout : 1;
	jiffies += timeout;
	return 0;
}
#endif
