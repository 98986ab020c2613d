/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim (mock/page_pool.cc): the page_pool calls a driver makes. */
#ifndef _NET_PAGE_POOL_HELPERS_H
#define _NET_PAGE_POOL_HELPERS_H
#include <linux/dma-mapping.h>
#include <net/page_pool/types.h>

static inline struct page *page_pool_dev_alloc_frag(struct page_pool *pool,
						    unsigned int *offset,
						    unsigned int size)
{
	return page_pool_alloc_frag(pool, offset, size,
				    GFP_ATOMIC | __GFP_NOWARN);
}

#ifdef __cplusplus
extern "C" {
#endif
/* An inline in the kernel; here the mock drops the reference (mock/page_pool.cc) */
void page_pool_put_page(struct page_pool *pool, struct page *page,
			unsigned int dma_sync_size, bool allow_direct);
#ifdef __cplusplus
}
#endif

static inline void page_pool_put_full_page(struct page_pool *pool,
					   struct page *page,
					   bool allow_direct)
{
	page_pool_put_page(pool, page, -1, allow_direct);
}

static inline dma_addr_t page_pool_get_dma_addr(const struct page *page)
{
	return page->dma_addr;
}

static inline enum dma_data_direction
page_pool_get_dma_dir(const struct page_pool *pool)
{
	return pool->p.dma_dir;
}

static inline void page_pool_dma_sync_for_cpu(const struct page_pool *pool,
					      const struct page *page,
					      u32 offset, u32 dma_sync_size)
{
	dma_sync_single_range_for_cpu(pool->p.dev,
				      page_pool_get_dma_addr(page),
				      offset + pool->p.offset, dma_sync_size,
				      page_pool_get_dma_dir(pool));
}
#endif
