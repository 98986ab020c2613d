/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: the driver is linked into the test, nothing is exported. */
#ifndef _KUNIT_VISIBILITY_H
#define _KUNIT_VISIBILITY_H
#define EXPORT_SYMBOL_IF_KUNIT(symbol)
#endif
