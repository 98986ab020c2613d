/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: the number of elements of an array. */
#ifndef _LINUX_ARRAY_SIZE_H
#define _LINUX_ARRAY_SIZE_H

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
