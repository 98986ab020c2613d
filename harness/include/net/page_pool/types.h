/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim (mock/page_pool.cc): page_pool and its parameters. */
#ifndef _NET_PAGE_POOL_TYPES_H
#define _NET_PAGE_POOL_TYPES_H
#include <linux/dma-mapping.h>
#include <linux/types.h>

#define PP_FLAG_DMA_MAP (1U << 0)
#define PP_FLAG_DMA_SYNC_DEV (1U << 1)

struct napi_struct;
struct net_device;
struct mock_page_pool;

struct page_pool_params {
	unsigned int order;
	unsigned int pool_size;
	int nid;
	struct device *dev;
	struct napi_struct *napi;
	enum dma_data_direction dma_dir;
	unsigned int max_len;
	unsigned int offset;
	struct net_device *netdev;
	unsigned int queue_idx;
	unsigned int flags;
};

struct page_pool {
	struct page_pool_params p;
	struct mock_page_pool *mock;
};

#ifdef __cplusplus
extern "C" {
#endif
struct page_pool *page_pool_create(const struct page_pool_params *params);
void page_pool_destroy(struct page_pool *pool);
struct page *page_pool_alloc_frag(struct page_pool *pool, unsigned int *offset,
				  unsigned int size, gfp_t gfp);
struct page *page_pool_alloc_pages(struct page_pool *pool, gfp_t gfp);
void page_pool_put_unrefed_page(struct page_pool *pool, struct page *page,
				unsigned int dma_sync_size, bool allow_direct);
#ifdef __cplusplus
}
#endif
#endif
