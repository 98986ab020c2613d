/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: page frame numbers and physical addresses. */
#ifndef _LINUX_PFN_H_
#define _LINUX_PFN_H_
#include <asm/page.h>

#define PFN_PHYS(x) ((phys_addr_t)(x) << PAGE_SHIFT)
#define PHYS_PFN(x) ((unsigned long)((x) >> PAGE_SHIFT))
#endif
