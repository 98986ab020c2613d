/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Harness shim (mock/workqueue.cc): work items queue in the mock and run
 * when a test calls mock::RunWork(), delayed ones once the simulated
 * jiffies reach their time.
 */
#ifndef _LINUX_WORKQUEUE_H
#define _LINUX_WORKQUEUE_H
#include <linux/container_of.h>
#include <linux/jiffies.h>
#include <linux/types.h>

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	work_func_t func;
};

struct delayed_work {
	struct work_struct work;
};

#define INIT_WORK(w, f) ((w)->func = (f))
#define INIT_DELAYED_WORK(w, f) ((w)->work.func = (f))

static inline struct delayed_work *to_delayed_work(struct work_struct *work)
{
	return container_of(work, struct delayed_work, work);
}

#ifdef __cplusplus
extern "C" {
#endif
bool schedule_work(struct work_struct *work);
bool schedule_delayed_work(struct delayed_work *dwork, unsigned long delay);
bool cancel_work_sync(struct work_struct *work);
bool cancel_delayed_work_sync(struct delayed_work *dwork);
#ifdef __cplusplus
}
#endif
#endif
