/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: the attributes the driver uses. */
#ifndef __LINUX_COMPILER_ATTRIBUTES_H
#define __LINUX_COMPILER_ATTRIBUTES_H

#define __maybe_unused __attribute__((unused))
#endif
