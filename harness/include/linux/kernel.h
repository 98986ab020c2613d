/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Harness shim, no .cc: the everyday helpers, each from its own header as
 * the kernel's linux/kernel.h gathers them, on top of the UAPI header of
 * the same name, which the C library's <sys/sysinfo.h> includes (hence a
 * guard of our own, as linux/types.h has).
 */
#ifndef _NICVF_SHIM_LINUX_KERNEL_H
#define _NICVF_SHIM_LINUX_KERNEL_H
#include_next <linux/kernel.h>

#include <linux/align.h>
#include <linux/array_size.h>
#include <linux/bits.h>
#include <linux/byteorder/generic.h>
#include <linux/compiler.h>
#include <linux/container_of.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/panic.h>
#include <linux/printk.h>
#include <linux/types.h>
#endif
