/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim: little-endian access at any alignment. */
#ifndef _LINUX_UNALIGNED_H
#define _LINUX_UNALIGNED_H
#include <linux/types.h>

static inline u64 mock_get_le(const void *p, int bytes)
{
	const u8 *b = (const u8 *)p;
	u64 v = 0;
	int i;

	for (i = bytes - 1; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

static inline void mock_put_le(u64 v, void *p, int bytes)
{
	u8 *b = (u8 *)p;
	int i;

	for (i = 0; i < bytes; i++, v >>= 8)
		b[i] = (u8)v;
}

#define get_unaligned_le16(p) ((u16)mock_get_le((p), 2))
#define get_unaligned_le32(p) ((u32)mock_get_le((p), 4))
#define get_unaligned_le64(p) ((u64)mock_get_le((p), 8))
#define put_unaligned_le16(v, p) mock_put_le((v), (p), 2)
#define put_unaligned_le32(v, p) mock_put_le((v), (p), 4)
#define put_unaligned_le64(v, p) mock_put_le((v), (p), 8)
#endif
