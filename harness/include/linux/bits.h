/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __LINUX_BITS_H
#define __LINUX_BITS_H
#include <linux/types.h>
#endif
