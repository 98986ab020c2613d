/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: integer division helpers. */
#ifndef _LINUX_MATH_H
#define _LINUX_MATH_H

#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define roundup(x, y) (DIV_ROUND_UP(x, y) * (y))
#endif
