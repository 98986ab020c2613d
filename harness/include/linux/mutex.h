/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Harness shim, no .cc: a mutex taken twice on the one thread is a
 * deadlock, and one taken under a spinlock the mock tracks (mock/net.cc)
 * is a sleep in atomic context.
 */
#ifndef _LINUX_MUTEX_H
#define _LINUX_MUTEX_H
#include <linux/bug.h>
#include <linux/types.h>

struct mutex {
	int locked;
};

#define DEFINE_MUTEX(name) struct mutex name = { 0 }

static inline void mutex_init(struct mutex *m)
{
	m->locked = 0;
}

#ifdef __cplusplus
extern "C"
#endif
void mock_might_sleep(const char *what);

static inline void mutex_lock(struct mutex *m)
{
	mock_might_sleep("mutex_lock");
	WARN_ON(m->locked);
	m->locked = 1;
}

static inline void mutex_unlock(struct mutex *m)
{
	WARN_ON(!m->locked);
	m->locked = 0;
}
#endif
