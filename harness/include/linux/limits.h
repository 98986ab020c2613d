/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Harness shim, no .cc: the kernel's type limits, on top of the UAPI
 * header of the same name, which the C library's <limits.h> includes
 * (hence a guard of our own, as linux/types.h has).
 */
#ifndef _NICVF_SHIM_LINUX_LIMITS_H
#define _NICVF_SHIM_LINUX_LIMITS_H
#include_next <linux/limits.h>

#define U8_MAX 0xff
#define U16_MAX 0xffff
#endif
