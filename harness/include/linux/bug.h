/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim (mock/log.cc): a WARN in driver code is recorded as a mock violation. */
#ifndef _LINUX_BUG_H
#define _LINUX_BUG_H
#include <linux/compiler.h>
#include <linux/panic.h>
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif
void warn_slowpath_fmt(const char *file, const int line, unsigned taint,
		       const char *fmt, ...);
#ifdef __cplusplus
}
#endif

#define WARN_ON(condition) ({						\
	int __ret_warn_on = !!(condition);				\
	if (unlikely(__ret_warn_on))					\
		warn_slowpath_fmt(__FILE__, __LINE__, TAINT_WARN, NULL);	\
	unlikely(__ret_warn_on);					\
})
#define WARN_ON_ONCE(condition) WARN_ON(condition)
#endif
