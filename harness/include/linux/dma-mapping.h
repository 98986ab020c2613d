/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim: the DMA API, simulated per device in mock/dma.cc. */
#ifndef _LINUX_DMA_MAPPING_H
#define _LINUX_DMA_MAPPING_H
#include <linux/device.h>
#include <linux/mm.h>
#include <linux/types.h>

enum dma_data_direction {
	DMA_BIDIRECTIONAL = 0,
	DMA_TO_DEVICE = 1,
	DMA_FROM_DEVICE = 2,
	DMA_NONE = 3,
};

#define DMA_MAPPING_ERROR (~(dma_addr_t)0)
#define DMA_ATTR_SKIP_CPU_SYNC (1UL << 5)

#ifdef __cplusplus
extern "C" {
#endif
dma_addr_t mock_dma_map_page(struct device *dev, struct page *page,
			     size_t offset, size_t size,
			     enum dma_data_direction dir, unsigned long attrs);
void mock_dma_unmap_page(struct device *dev, dma_addr_t addr, size_t size,
			 enum dma_data_direction dir, unsigned long attrs);
void mock_dma_sync_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
			   enum dma_data_direction dir);
void mock_dma_sync_for_device(struct device *dev, dma_addr_t addr,
			      size_t size, enum dma_data_direction dir);
void *mock_dma_alloc_coherent(struct device *dev, size_t size,
			      dma_addr_t *handle, gfp_t gfp);
void mock_dma_free_coherent(struct device *dev, size_t size, void *cpu,
			    dma_addr_t handle);
#ifdef __cplusplus
}
#endif

#define dma_map_page_attrs mock_dma_map_page
#define dma_map_page(d, p, o, s, dir) mock_dma_map_page((d), (p), (o), (s), (dir), 0)
#define dma_unmap_page(d, a, s, dir) mock_dma_unmap_page((d), (a), (s), (dir), 0)
/* Host pointers need not be aligned like simulated pages: offset by frame */
#define dma_map_single(d, ptr, s, dir)					\
	mock_dma_map_page((d), virt_to_page(ptr),			\
			  (const char *)(ptr) -				\
			  (const char *)page_address(virt_to_page(ptr)),	\
			  (s), (dir), 0)
#define dma_unmap_single(d, a, s, dir) mock_dma_unmap_page((d), (a), (s), (dir), 0)
#define dma_unmap_page_attrs mock_dma_unmap_page
#define dma_alloc_coherent mock_dma_alloc_coherent
#define dma_free_coherent mock_dma_free_coherent

static inline int dma_mapping_error(struct device *dev, dma_addr_t addr)
{
	(void)dev;
	return addr == DMA_MAPPING_ERROR ? -ENOMEM : 0;
}

static inline void dma_sync_single_range_for_cpu(struct device *dev,
						 dma_addr_t addr,
						 unsigned long offset,
						 size_t size,
						 enum dma_data_direction dir)
{
	mock_dma_sync_for_cpu(dev, addr + offset, size, dir);
}

static inline void dma_sync_single_range_for_device(struct device *dev,
						    dma_addr_t addr,
						    unsigned long offset,
						    size_t size,
						    enum dma_data_direction dir)
{
	mock_dma_sync_for_device(dev, addr + offset, size, dir);
}

static inline void dma_sync_single_for_cpu(struct device *dev,
					   dma_addr_t addr, size_t size,
					   enum dma_data_direction dir)
{
	mock_dma_sync_for_cpu(dev, addr, size, dir);
}

static inline unsigned int dma_get_cache_alignment(void)
{
	return 64;
}
#define DMA_BIT_MASK(n) (((n) == 64) ? ~0ULL : ((1ULL << (n)) - 1))

static inline int dma_set_mask_and_coherent(struct device *dev, u64 mask)
{
	(void)dev;
	return mask >= DMA_BIT_MASK(32) ? 0 : -EIO;
}
#endif
