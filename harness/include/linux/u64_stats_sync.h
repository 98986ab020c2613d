/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: a sequence count, as on 32-bit kernels. */
#ifndef _LINUX_U64_STATS_SYNC_H
#define _LINUX_U64_STATS_SYNC_H
#include <linux/types.h>

struct u64_stats_sync {
	unsigned int seq;
};

static inline void u64_stats_init(struct u64_stats_sync *s)
{
	s->seq = 0;
}

static inline void u64_stats_update_begin(struct u64_stats_sync *s)
{
	__atomic_add_fetch(&s->seq, 1, __ATOMIC_RELEASE);
}

static inline void u64_stats_update_end(struct u64_stats_sync *s)
{
	__atomic_add_fetch(&s->seq, 1, __ATOMIC_RELEASE);
}

static inline unsigned int u64_stats_fetch_begin(const struct u64_stats_sync *s)
{
	return __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE) & ~1u;
}

static inline bool u64_stats_fetch_retry(const struct u64_stats_sync *s,
					 unsigned int start)
{
	return __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE) != start;
}
#endif
