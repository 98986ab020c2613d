/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: arithmetic that reports overflow, as the kernel's. */
#ifndef __LINUX_OVERFLOW_H
#define __LINUX_OVERFLOW_H
#include <linux/types.h>

#define check_add_overflow(a, b, d) __builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d) __builtin_mul_overflow(a, b, d)
#endif
