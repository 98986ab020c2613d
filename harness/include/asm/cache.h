/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: arm64's cache line. */
#ifndef __ASM_CACHE_H
#define __ASM_CACHE_H

#define L1_CACHE_BYTES 64
#endif
