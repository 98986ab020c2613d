/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel interfaces nicvf uses that differ between the kernels it builds
 * for (6.1 to 6.12).  The driver is written against 6.12; this header fills
 * in what an older kernel names differently or lacks, so that the .c files
 * carry no version tests.
 *
 * Stable and distribution kernels backport interfaces at any sublevel, so
 * nothing here tests LINUX_VERSION_CODE: Kbuild looks in the kernel's
 * headers for each header and function below and defines
 * NICVF_COMPAT_NO_<NAME> for what is missing.  A fallback carries the
 * kernel's own name, so if the detection ever misses a kernel that has the
 * original, the build fails rather than silently shadowing it.
 */
#ifndef NICVF_COMPAT_H
#define NICVF_COMPAT_H

#include <linux/build_bug.h>
#include <linux/dma-mapping.h>
#include <linux/ethtool.h>

/* The unaligned accessors moved from <asm/unaligned.h> in 6.12 */
#ifndef NICVF_COMPAT_NO_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* <net/page_pool.h> became <net/page_pool/{types,helpers}.h> in 6.6 */
#ifndef NICVF_COMPAT_NO_PAGE_POOL_HELPERS_H
#include <net/page_pool/helpers.h>
#else
#include <net/page_pool.h>
#endif

/*
 * Until 6.7 a pool hands out page fragments only if created with
 * PP_FLAG_PAGE_FRAG (page_pool_alloc_frag() warns and fails otherwise);
 * from 6.7 every pool can, and the flag is gone.
 */
#ifdef PP_FLAG_PAGE_FRAG
#define NICVF_PP_FLAG_FRAG	PP_FLAG_PAGE_FRAG
#else
#define NICVF_PP_FLAG_FRAG	0
#endif

#ifdef NICVF_COMPAT_NO_PAGE_IS_PP
#include <linux/mm_types.h>
#include <linux/poison.h>

/*
 * Whether a page belongs to some page_pool.  A pool ORs PP_SIGNATURE into
 * pp_magic when it takes a page in; the two low bits belong to the page
 * allocator (compound head, pfmemalloc), so they are masked off.
 */
static inline bool page_pool_page_is_pp(struct page *page)
{
	return (page->pp_magic & ~0x3UL) == PP_SIGNATURE;
}
#endif

#ifdef NICVF_COMPAT_NO_PP_SYNC_FOR_CPU
/*
 * Hand @size bytes at @offset in a page of @pool (which maps its pages) to
 * the CPU.  Offsets are taken from the start of the pool's DMA area, which
 * begins pool->p.offset into the page.
 */
static inline void page_pool_dma_sync_for_cpu(struct page_pool *pool,
					      struct page *page, u32 offset,
					      u32 size)
{
	dma_sync_single_range_for_cpu(pool->p.dev,
				      page_pool_get_dma_addr(page),
				      offset + pool->p.offset, size,
				      page_pool_get_dma_dir(pool));
}
#endif

#ifdef NICVF_COMPAT_NO_ETHTOOL_PUTS
#include <linux/string.h>

/* Fill the next ETH_GSTRING_LEN entry of an ethtool strings table */
static inline void ethtool_puts(u8 **data, const char *str)
{
	strscpy_pad(*data, str, ETH_GSTRING_LEN);
	*data += ETH_GSTRING_LEN;
}
#endif

/*
 * The netdev netlink family's links (6.8): a page_pool's interface, a
 * queue's NAPI, a NAPI's IRQ.  Without them there is nothing to show.
 */
struct net_device;
struct page_pool_params;

#ifdef NICVF_COMPAT_NO_PP_NETDEV
static inline void nicvf_pp_set_netdev(struct page_pool_params *pp,
				       struct net_device *netdev)
{
}
#else
static inline void nicvf_pp_set_netdev(struct page_pool_params *pp,
				       struct net_device *netdev)
{
	pp->netdev = netdev;
}
#endif

#ifdef NICVF_COMPAT_NO_QUEUE_SET_NAPI
struct napi_struct;

enum netdev_queue_type {
	NETDEV_QUEUE_TYPE_RX,
	NETDEV_QUEUE_TYPE_TX,
};

static inline void netif_queue_set_napi(struct net_device *dev,
					unsigned int queue_index,
					enum netdev_queue_type type,
					struct napi_struct *napi)
{
}

static inline void netif_napi_set_irq(struct napi_struct *napi, int irq)
{
}
#endif

/*
 * RSS (6.8): get_rxfh and set_rxfh take a struct ethtool_rxfh_param, where
 * 6.1 passes the table, the key and the hash function one by one.  The
 * driver's functions take the struct; NICVF_RXFH_OPS() after them checks
 * them against the kernel's operations or, before 6.8, defines wrappers
 * of the old shape that call them.
 */
#ifdef NICVF_COMPAT_NO_RXFH_PARAM
struct ethtool_rxfh_param {
	u8 hfunc;
	u32 *indir;
	u8 *key;
};

#define NICVF_RXFH_OPS(get, set)					\
static int get##_args(struct net_device *dev, u32 *indir, u8 *key,	\
		      u8 *hfunc)					\
{									\
	struct ethtool_rxfh_param p = { .indir = indir, .key = key };	\
	int err = get(dev, &p);						\
									\
	if (hfunc)							\
		*hfunc = p.hfunc;					\
	return err;							\
}									\
static int set##_args(struct net_device *dev, const u32 *indir,		\
		      const u8 *key, const u8 hfunc)			\
{									\
	struct ethtool_rxfh_param p = {					\
		.hfunc = hfunc,						\
		.indir = (u32 *)indir,					\
		.key = (u8 *)key,					\
	};								\
									\
	return set(dev, &p, NULL);					\
}									\
static_assert(__same_type(&get##_args,					\
			  ((const struct ethtool_ops *)NULL)->get_rxfh))

#define NICVF_GET_RXFH(get)	get##_args
#define NICVF_SET_RXFH(set)	set##_args
#else
#define NICVF_RXFH_OPS(get, set)					\
static_assert(__same_type(&(get),					\
			  ((const struct ethtool_ops *)NULL)->get_rxfh) && \
	      __same_type(&(set),					\
			  ((const struct ethtool_ops *)NULL)->set_rxfh))

#define NICVF_GET_RXFH(get)	get
#define NICVF_SET_RXFH(set)	set
#endif

/*
 * page_pool's counters (CONFIG_PAGE_POOL_STATS, off in Debian's kernels):
 * without them the pool counts nothing, and ethtool -S shows none.
 */
#ifndef CONFIG_PAGE_POOL_STATS
struct page_pool_stats {
};

static inline bool page_pool_get_stats(const struct page_pool *pool,
				       struct page_pool_stats *stats)
{
	return false;
}
#endif

#endif /* NICVF_COMPAT_H */
