/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Harness shim, no .cc: the kernel's basic types, and the annotations
 * Kbuild gives every file (linux/compiler_types.h).  Valid C and C++ so
 * the mocks can share every structure with the driver; the C library's
 * headers, which the shims' inline functions use, come with it.
 */
/*
 * The guard differs from the kernel's because the C library's headers include
 * the UAPI <linux/types.h> (same guard) for __u32 and friends; we pull that
 * in first and build on it.
 */
#ifndef _NICVF_SHIM_LINUX_TYPES_H
#define _NICVF_SHIM_LINUX_TYPES_H

#include_next <linux/types.h>

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <stdarg.h>
#include <stdio.h>

#include <linux/compiler_types.h>

#ifndef NICVF_HARNESS_PAGE_SHIFT
#define NICVF_HARNESS_PAGE_SHIFT 12
#endif

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef long long s64;
typedef u64 dma_addr_t;
typedef u64 phys_addr_t;
typedef unsigned int gfp_t;

typedef struct {
	int counter;
} atomic_t;

#endif /* _NICVF_SHIM_LINUX_TYPES_H */
