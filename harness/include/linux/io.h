/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim (mock/mmio.cc): MMIO goes to whichever mock device claimed the address. */
#ifndef _LINUX_IO_H
#define _LINUX_IO_H
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif
u64 readq(const volatile void __iomem *addr);
void writeq(u64 value, volatile void __iomem *addr);
#ifdef __cplusplus
}
#endif

/* One thread and no write buffers: relaxed accesses are the same ones */
static inline u64 readq_relaxed(const volatile void __iomem *addr)
{
	return readq(addr);
}

static inline void writeq_relaxed(u64 value, volatile void __iomem *addr)
{
	writeq(value, addr);
}
#endif
