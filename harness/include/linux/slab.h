/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim (mock/kmem.cc): tracked allocations. */
#ifndef _LINUX_SLAB_H
#define _LINUX_SLAB_H
#include <linux/gfp.h>
#include <linux/overflow.h>

#ifdef __cplusplus
extern "C" {
#endif
void *kmalloc(size_t size, gfp_t flags);
/* The kvmalloc family fails and is freed apart from kmalloc's */
void *kvmalloc(size_t size, gfp_t flags);
void kfree(const void *p);
void kvfree(const void *p);
#ifdef __cplusplus
}
#endif

static inline void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

/* As the kernel's: NULL if n * size does not fit in a size_t */
static inline void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	return check_mul_overflow(n, size, &bytes) ?
		NULL : kmalloc(bytes, flags | __GFP_ZERO);
}

static inline void *kvzalloc(size_t size, gfp_t flags)
{
	return kvmalloc(size, flags | __GFP_ZERO);
}

static inline void *kvcalloc(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	return check_mul_overflow(n, size, &bytes) ?
		NULL : kvmalloc(bytes, flags | __GFP_ZERO);
}
#endif
