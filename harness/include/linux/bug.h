/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim: a WARN in driver code is recorded as a mock violation. */
#ifndef _LINUX_BUG_H
#define _LINUX_BUG_H
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif
bool mock_warn(bool cond, const char *file, int line);
#ifdef __cplusplus
}
#endif

#define WARN_ON(cond) mock_warn(!!(cond), __FILE__, __LINE__)
#define WARN_ON_ONCE(cond) WARN_ON(cond)
#endif
