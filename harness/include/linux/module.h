/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Harness shim, no .cc: module_init()'s and module_exit()'s functions are
 * reached through pointers the tests call (tests/vf_fixture.h).
 */
#ifndef _LINUX_MODULE_H
#define _LINUX_MODULE_H
#include <linux/device.h>
#include <linux/init.h>
#include <linux/types.h>

#define module_init(fn) int (*mock_module_init)(void) = fn
#define module_exit(fn) void (*mock_module_exit)(void) = fn
#define MODULE_AUTHOR(s)
#define MODULE_DESCRIPTION(s)
#define MODULE_LICENSE(s)
#define MODULE_VERSION(s)
#include <linux/moduleparam.h>
#endif
