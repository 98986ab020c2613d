/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: one memory node, so none to name. */
#ifndef _LINUX_NUMA_H
#define _LINUX_NUMA_H

#define NUMA_NO_NODE (-1)
#endif
