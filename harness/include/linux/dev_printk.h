/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim (mock/log.cc): a device's messages, kept with the kernel log. */
#ifndef _DEVICE_PRINTK_H_
#define _DEVICE_PRINTK_H_
#include <linux/printk.h>

struct device;

#ifdef __cplusplus
extern "C" {
#endif
void _dev_err(const struct device *dev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void _dev_warn(const struct device *dev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void _dev_info(const struct device *dev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#ifdef __cplusplus
}
#endif

#define dev_err(dev, fmt, ...) _dev_err(dev, fmt, ##__VA_ARGS__)
#define dev_warn(dev, fmt, ...) _dev_warn(dev, fmt, ##__VA_ARGS__)
#define dev_info(dev, fmt, ...) _dev_info(dev, fmt, ##__VA_ARGS__)
/* Every message is kept: a test may look for any of them */
#define dev_err_ratelimited(dev, fmt, ...) dev_err(dev, fmt, ##__VA_ARGS__)
#define dev_warn_ratelimited(dev, fmt, ...) dev_warn(dev, fmt, ##__VA_ARGS__)
#define dev_dbg(dev, fmt, ...) do { } while (0)
#endif
