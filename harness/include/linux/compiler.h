/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: branch hints, and READ_ONCE() with it. */
#ifndef __LINUX_COMPILER_H
#define __LINUX_COMPILER_H
#include <linux/compiler_types.h>
#include <asm/rwonce.h>

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif
