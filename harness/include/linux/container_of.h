/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: the structure around a member. */
#ifndef _LINUX_CONTAINER_OF_H
#define _LINUX_CONTAINER_OF_H
#include <stddef.h>

#define container_of(p, t, m) ((t *)((char *)(p) - offsetof(t, m)))
#endif
