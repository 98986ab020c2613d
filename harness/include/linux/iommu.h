/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim (mock/iommu.cc): IOMMU domains. */
#ifndef __LINUX_IOMMU_H
#define __LINUX_IOMMU_H
#include <linux/device.h>
#include <linux/types.h>

#define __IOMMU_DOMAIN_PAGING (1U << 0)
#define __IOMMU_DOMAIN_DMA_API (1U << 1)
#define __IOMMU_DOMAIN_PT (1U << 2)
#define __IOMMU_DOMAIN_DMA_FQ (1U << 3)

#define IOMMU_DOMAIN_BLOCKED (0U)
#define IOMMU_DOMAIN_IDENTITY (__IOMMU_DOMAIN_PT)
#define IOMMU_DOMAIN_UNMANAGED (__IOMMU_DOMAIN_PAGING)
#define IOMMU_DOMAIN_DMA (__IOMMU_DOMAIN_PAGING | __IOMMU_DOMAIN_DMA_API)

struct iommu_domain {
	unsigned int type;
};

#ifdef __cplusplus
extern "C" {
#endif
struct iommu_domain *iommu_get_domain_for_dev(struct device *dev);
phys_addr_t iommu_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova);
#ifdef __cplusplus
}
#endif
#endif
