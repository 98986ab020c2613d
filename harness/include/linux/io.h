/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim: MMIO goes to whichever mock device claimed the address. */
#ifndef _LINUX_IO_H
#define _LINUX_IO_H
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif
u64 mock_mmio_read64(const volatile void *addr);
void mock_mmio_write64(u64 val, volatile void *addr);
#ifdef __cplusplus
}
#endif

#define readq(a) mock_mmio_read64(a)
#define writeq(v, a) mock_mmio_write64((v), (a))
#define readq_relaxed(a) mock_mmio_read64(a)
#define writeq_relaxed(v, a) mock_mmio_write64((v), (a))
#endif
