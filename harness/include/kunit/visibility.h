/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Harness shim, no .cc: the driver is linked into the tests, as into a
 * kernel with KUnit, so what VISIBLE_IF_KUNIT keeps static without it is
 * visible (and declared: <linux/kconfig.h> says CONFIG_KUNIT), and nothing
 * is exported.
 */
#ifndef _KUNIT_VISIBILITY_H
#define _KUNIT_VISIBILITY_H
#include <linux/kconfig.h>

#define VISIBLE_IF_KUNIT
#define EXPORT_SYMBOL_IF_KUNIT(symbol)
#endif
