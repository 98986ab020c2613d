/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim: the atomics live with the types in linux/types.h. */
#ifndef _LINUX_ATOMIC_H
#define _LINUX_ATOMIC_H
#include <linux/types.h>
#endif
