/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: min/max in a given type. */
#ifndef _LINUX_MINMAX_H
#define _LINUX_MINMAX_H

#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define clamp_t(t, v, lo, hi) min_t(t, max_t(t, v, lo), hi)
/* (C only: the C++ files use std::min and std::max) */
#ifndef __cplusplus
#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define clamp(v, lo, hi) min(max(v, lo), hi)
#endif
#endif
