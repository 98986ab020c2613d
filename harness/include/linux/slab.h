/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim: tracked allocations (see mock/state.cc). */
#ifndef _LINUX_SLAB_H
#define _LINUX_SLAB_H
#include <linux/gfp.h>

#ifdef __cplusplus
extern "C" {
#endif
void *mock_kmalloc(size_t size, gfp_t gfp, bool zero);
void *mock_kvmalloc(size_t size, gfp_t gfp, bool zero);
void mock_kfree(const void *p);
void mock_kvfree(const void *p);
#ifdef __cplusplus
}
#endif

#define kmalloc(s, g) mock_kmalloc((s), (g), false)
#define kzalloc(s, g) mock_kmalloc((s), (g), true)
#define kcalloc(n, s, g) mock_kmalloc((size_t)(n) * (s), (g), true)
/* The kvmalloc family fails and is freed apart from kmalloc's */
#define kvmalloc(s, g) mock_kvmalloc((s), (g), false)
#define kvzalloc(s, g) mock_kvmalloc((s), (g), true)
#define kvcalloc(n, s, g) mock_kvmalloc((size_t)(n) * (s), (g), true)
#define kfree(p) mock_kfree(p)
#define kvfree(p) mock_kvfree(p)
#endif
