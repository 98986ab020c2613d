/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: the allocation flags the driver and the mocks pass. */
#ifndef __LINUX_GFP_H
#define __LINUX_GFP_H
#include <linux/types.h>

#define __GFP_ZERO 0x100u
#define __GFP_NOWARN 0x200u
#define __GFP_COMP 0x40000u
#define GFP_ATOMIC 0x20u
#define GFP_KERNEL 0xcc0u
#endif
