/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: single, untorn accesses the compiler may not merge. */
#ifndef __ASM_RWONCE_H
#define __ASM_RWONCE_H

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#endif
