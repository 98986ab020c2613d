/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: struct device; mock/dma.cc gives each its DMA context. */
#ifndef _DEVICE_H_
#define _DEVICE_H_
#include <linux/atomic.h>
#include <linux/dev_printk.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/numa.h>
#include <linux/string.h>
#include <linux/types.h>

struct mock_device;

struct device {
	const char *name;
	/* the simulated DMA/IOMMU context of this device (mock/dma.cc) */
	struct mock_device *mock;
};

static inline int dev_to_node(const struct device *dev)
{
	(void)dev;
	return NUMA_NO_NODE;
}
#endif
