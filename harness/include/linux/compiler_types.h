/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Harness shim, no .cc: the annotations Kbuild puts before every file
 * (it includes the kernel's compiler_types.h on the command line); here
 * linux/types.h includes this.
 */
#ifndef __LINUX_COMPILER_TYPES_H
#define __LINUX_COMPILER_TYPES_H
#include <linux/compiler_attributes.h>

#define __iomem
#define __force
#define __user
#define __rcu

#ifndef __cplusplus
#define __same_type(a, b) __builtin_types_compatible_p(typeof(a), typeof(b))
#endif
#endif
