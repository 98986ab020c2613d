/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: the page size is a build option (NICVF_HARNESS_PAGE_SHIFT). */
#ifndef _ASM_PAGE_H
#define _ASM_PAGE_H
#include <linux/types.h>

#define PAGE_SHIFT NICVF_HARNESS_PAGE_SHIFT
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#endif
