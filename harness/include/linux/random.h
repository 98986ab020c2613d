/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim (mock/net.cc): random numbers, a different one each call. */
#ifndef _LINUX_RANDOM_H
#define _LINUX_RANDOM_H
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif
u64 get_random_u64(void);
#ifdef __cplusplus
}
#endif
#endif
