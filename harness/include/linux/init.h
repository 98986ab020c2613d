/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: nothing is discarded after init here. */
#ifndef _LINUX_INIT_H
#define _LINUX_INIT_H

#define __init
#define __exit
#endif
