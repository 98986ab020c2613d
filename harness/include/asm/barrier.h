/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: memory barriers, as the compiler's fences. */
#ifndef __ASM_BARRIER_H
#define __ASM_BARRIER_H

#define smp_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define dma_wmb() smp_wmb()
#define dma_rmb() smp_rmb()
#define smp_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define smp_load_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_mb__after_atomic() smp_mb()
#endif
