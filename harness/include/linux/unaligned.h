/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: little-endian access at any alignment. */
#ifndef _LINUX_UNALIGNED_H
#define _LINUX_UNALIGNED_H
#include <linux/types.h>

static inline u64 __get_unaligned_le_n(const void *p, int bytes)
{
	const u8 *b = (const u8 *)p;
	u64 v = 0;
	int i;

	for (i = bytes - 1; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

static inline void __put_unaligned_le_n(u64 v, void *p, int bytes)
{
	u8 *b = (u8 *)p;
	int i;

	for (i = 0; i < bytes; i++, v >>= 8)
		b[i] = (u8)v;
}

#define get_unaligned_le16(p) ((u16)__get_unaligned_le_n((p), 2))
#define get_unaligned_le32(p) ((u32)__get_unaligned_le_n((p), 4))
#define get_unaligned_le64(p) ((u64)__get_unaligned_le_n((p), 8))
#define put_unaligned_le16(v, p) __put_unaligned_le_n((v), (p), 2)
#define put_unaligned_le32(v, p) __put_unaligned_le_n((v), (p), 4)
#define put_unaligned_le64(v, p) __put_unaligned_le_n((v), (p), 8)
#endif
