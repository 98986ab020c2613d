/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: rounding up to a power-of-2 boundary. */
#ifndef _LINUX_ALIGN_H
#define _LINUX_ALIGN_H

#define ALIGN(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#endif
