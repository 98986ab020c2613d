/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: the kernel's string helpers, on the C library's. */
#ifndef _LINUX_STRING_H_
#define _LINUX_STRING_H_
#include <errno.h>
#include <string.h>
#include <sys/types.h>

static inline ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t n = strnlen(src, size);

	if (!size)
		return -E2BIG;
	if (n == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = 0;
		return -E2BIG;
	}
	memcpy(dst, src, n + 1);
	return (ssize_t)n;
}
#endif
