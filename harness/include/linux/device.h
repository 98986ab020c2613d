/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _DEVICE_H_
#define _DEVICE_H_
#include <linux/types.h>
#include <stdio.h>

struct mock_device;

struct device {
	const char *name;
	/* the simulated DMA/IOMMU context of this device (mock/dma.cc) */
	struct mock_device *mock;
};

#ifdef __cplusplus
extern "C" {
#endif
void mock_dev_log(const struct device *dev, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#ifdef __cplusplus
}
#endif

#define dev_err(dev, ...) mock_dev_log((dev), 3, __VA_ARGS__)
#define dev_err_ratelimited(dev, ...) mock_dev_log((dev), 3, __VA_ARGS__)
#define dev_warn(dev, ...) mock_dev_log((dev), 4, __VA_ARGS__)
#define dev_warn_ratelimited(dev, ...) mock_dev_log((dev), 4, __VA_ARGS__)
#define dev_info(dev, ...) mock_dev_log((dev), 6, __VA_ARGS__)
#define dev_dbg(dev, ...) do { } while (0)
#define pr_info(...) mock_dev_log(NULL, 6, __VA_ARGS__)
#define pr_err(...) mock_dev_log(NULL, 3, __VA_ARGS__)
#define NUMA_NO_NODE (-1)

static inline int dev_to_node(const struct device *dev)
{
	(void)dev;
	return NUMA_NO_NODE;
}
#endif
