/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: FIELD_GET / FIELD_PREP / FIELD_MAX for constant masks. */
#ifndef _LINUX_BITFIELD_H
#define _LINUX_BITFIELD_H
#include <linux/bits.h>
#include <linux/types.h>

#define __bf_shf(x) (__builtin_ffsll(x) - 1)
#define FIELD_MAX(mask) ((__typeof__(mask))((mask) >> __bf_shf(mask)))
#define FIELD_GET(mask, reg) \
	((__typeof__(mask))(((reg) & (mask)) >> __bf_shf(mask)))
#define FIELD_PREP(mask, val) \
	((((__typeof__(mask))(val)) << __bf_shf(mask)) & (mask))
#endif
