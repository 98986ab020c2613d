/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: base-2 logarithms and powers of 2. */
#ifndef _LINUX_LOG2_H
#define _LINUX_LOG2_H
#include <linux/types.h>

static inline int ilog2(unsigned long long n)
{
	return 63 - __builtin_clzll(n);
}

static inline bool is_power_of_2(unsigned long long n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

static inline unsigned long long rounddown_pow_of_two(unsigned long long n)
{
	return 1ULL << (63 - __builtin_clzll(n));
}

static inline unsigned long long roundup_pow_of_two(unsigned long long n)
{
	return n <= 1 ? 1 : 1ULL << (64 - __builtin_clzll(n - 1));
}
#endif
