/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: compile-time checks. */
#ifndef _LINUX_BUILD_BUG_H
#define _LINUX_BUILD_BUG_H

#ifndef __cplusplus
#define static_assert(expr, ...) __static_assert(expr, ##__VA_ARGS__, #expr)
#define __static_assert(expr, msg, ...) _Static_assert(expr, msg)
#endif
#endif
