/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: link mode bitmaps (one word: the modes named here). */
#ifndef __LINUX_LINKMODE_H
#define __LINUX_LINKMODE_H
#include <linux/ethtool.h>

static inline void linkmode_set_bit(int nr, unsigned long *addr)
{
	addr[0] |= 1ul << nr;
}

static inline int linkmode_test_bit(int nr, const unsigned long *addr)
{
	return (addr[0] >> nr) & 1;
}
#endif
