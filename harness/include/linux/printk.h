/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim (mock/log.cc): the kernel log, kept for the tests to read. */
#ifndef __KERNEL_PRINTK__
#define __KERNEL_PRINTK__
#include <linux/types.h>

#define KERN_SOH "\001"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_INFO KERN_SOH "6"

#ifdef __cplusplus
extern "C" {
#endif
int _printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#ifdef __cplusplus
}
#endif

#define printk(fmt, ...) _printk(fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(KERN_ERR fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(KERN_WARNING fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(KERN_INFO fmt, ##__VA_ARGS__)
#endif
