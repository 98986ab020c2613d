/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Benchmark baseline: the receive algorithm of the upstream Linux 6.12
 * ThunderX VF driver (non-XDP), written for this project against the same
 * kernel API as our driver, so both run on the same mocks and device model.
 *
 *  - buffers are carved from pages held in a page cache; a cached page is
 *    reused once only the cache's own reference is left on it;
 *  - every buffer is mapped for DMA when it is posted and unmapped when it
 *    is received (DMA_ATTR_SKIP_CPU_SYNC both ways, as upstream);
 *  - every reported address is turned back into memory with
 *    iommu_iova_to_phys() when the device is in a translating domain (used
 *    unchanged otherwise, as with the identity-domain fix), and trusted.
 */
#ifndef NICVF_BENCH_BASELINE_H
#define NICVF_BENCH_BASELINE_H

#include <linux/netdevice.h>
#include <linux/types.h>

#include "nicvf_queues.h"

struct iommu_domain;

struct bl_rbdr {
	u64 *desc;
	dma_addr_t desc_dma;
	u32 ring_len;
	u32 tail;
	u32 buf_len;			/* mapped, and carved, per buffer */
	void __iomem *regs;
	struct device *dev;
	struct iommu_domain *domain;	/* translating, or NULL */
	struct page **pgcache;
	u32 pgcnt;
	u32 pgidx;
	u32 pgalloc;
	struct page *page;		/* being carved */
	u32 page_off;
	u32 pageref;			/* references owed to @page */
	u64 alloc_fail;
};

/*
 * The CQ ring itself (allocation, registers, teardown) is not what is
 * compared: it is ours, nicvf_cq_init()/enable/stop/free on @ring.
 */
struct bl_cq {
	struct nicvf_cq ring;
	struct bl_rbdr *rbdr;
	u64 packets;
	u64 drops;
};

#ifdef __cplusplus
extern "C" {
#endif
int bl_rbdr_init(struct bl_rbdr *r, struct device *dev, void __iomem *regs,
		 u32 ring_len);
void bl_rbdr_enable(struct bl_rbdr *r);
int bl_rbdr_refill(struct bl_rbdr *r);
void bl_rbdr_free(struct bl_rbdr *r);
int bl_cq_poll(struct bl_cq *cq, struct napi_struct *napi, int budget);
#ifdef __cplusplus
}
#endif

#endif
