/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: network byte order on a little-endian host. */
#ifndef _LINUX_BYTEORDER_GENERIC_H
#define _LINUX_BYTEORDER_GENERIC_H
#include <linux/types.h>

#define htons(x) ((__be16)__builtin_bswap16((u16)(x)))
#define ntohs(x) ((u16)__builtin_bswap16((u16)(x)))
#endif
