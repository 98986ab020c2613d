/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Harness shim: work items queue in the mock (mock/net.cc) and run when a
 * test calls mock::RunWork(), delayed ones once the simulated jiffies reach
 * their time.
 */
#ifndef _LINUX_WORKQUEUE_H
#define _LINUX_WORKQUEUE_H
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
bool mock_queue_work(struct work_struct *work, unsigned long delay);
bool mock_cancel_work_sync(struct work_struct *work);
#ifdef __cplusplus
}
#endif

#define schedule_work(w) mock_queue_work((w), 0)
#define schedule_delayed_work(w, d) mock_queue_work(&(w)->work, (d))
#define cancel_work_sync(w) mock_cancel_work_sync(w)
#define cancel_delayed_work_sync(w) mock_cancel_work_sync(&(w)->work)
#endif
