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

/* CONFIG_PAGE_POOL_STATS's counters, as the kernel lays them out */
struct page_pool_alloc_stats {
	u64 fast;
	u64 slow;
	u64 slow_high_order;
	u64 empty;
	u64 refill;
	u64 waive;
};

struct page_pool_recycle_stats {
	u64 cached;
	u64 cache_full;
	u64 ring;
	u64 ring_full;
	u64 released_refcnt;
};

struct page_pool_stats {
	struct page_pool_alloc_stats alloc_stats;
	struct page_pool_recycle_stats recycle_stats;
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
/* Adds @pool's counts to @stats, as the kernel's */
bool page_pool_get_stats(const struct page_pool *pool,
			 struct page_pool_stats *stats);
int page_pool_ethtool_stats_get_count(void);
u8 *page_pool_ethtool_stats_get_strings(u8 *data);
u64 *page_pool_ethtool_stats_get(u64 *data, const void *stats);
#ifdef __cplusplus
}
#endif
#endif
