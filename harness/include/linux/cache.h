/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: the cache line that SMP data is aligned to. */
#ifndef __LINUX_CACHE_H
#define __LINUX_CACHE_H
#include <asm/cache.h>

#define SMP_CACHE_BYTES L1_CACHE_BYTES
#endif
