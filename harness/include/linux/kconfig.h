/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Harness shim: the configuration the driver is built in.  The tests call
 * the driver's functions as a KUnit module does, so CONFIG_KUNIT is on.
 * IS_ENABLED() is for #if only: an option the harness does not set
 * counts as off.
 */
#ifndef _LINUX_KCONFIG_H
#define _LINUX_KCONFIG_H

#define CONFIG_KUNIT 1
/* page_pool counts, so that the driver's ethtool -S shows its counters */
#define CONFIG_PAGE_POOL_STATS 1

#define IS_ENABLED(option) (option)
#endif
