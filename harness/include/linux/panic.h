/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: the taint flag a WARN sets (linux/bug.h). */
#ifndef _LINUX_PANIC_H
#define _LINUX_PANIC_H

#define TAINT_WARN 9
#endif
