/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: single bits and masks of them. */
#ifndef __LINUX_BITS_H
#define __LINUX_BITS_H
#include <linux/types.h>

#define BIT(n) (1UL << (n))
#define BIT_ULL(n) (1ULL << (n))
#define GENMASK(h, l) ((~0UL << (l)) & (~0UL >> (63 - (h))))
#define GENMASK_ULL(h, l) ((~0ULL << (l)) & (~0ULL >> (63 - (h))))
#endif
