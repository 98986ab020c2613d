/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim: the page size is a build option (NICVF_HARNESS_PAGE_SHIFT). */
#ifndef _ASM_PAGE_H
#define _ASM_PAGE_H
#include <linux/types.h>

#define PAGE_SHIFT NICVF_HARNESS_PAGE_SHIFT
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PHYS_PFN(x) ((unsigned long)((x) >> PAGE_SHIFT))
#define PFN_PHYS(x) ((phys_addr_t)(x) << PAGE_SHIFT)
#define offset_in_page(p) ((unsigned long)(p) & ~PAGE_MASK)
#define L1_CACHE_BYTES 64
#define SMP_CACHE_BYTES L1_CACHE_BYTES
#endif
