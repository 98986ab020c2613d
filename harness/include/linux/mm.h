/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Harness shim (mock/memory.cc): struct page and the page allocator, backed
 * by simulated physical memory.  Physical addresses are simulated ones
 * (they do not equal host pointers); page_address() maps into host memory.
 */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H
#include <asm/page.h>
#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/pfn.h>
#include <linux/types.h>

struct page_pool;

struct page {
	unsigned long flags;
	/* page_pool fields, as in the kernel's struct page */
	unsigned long pp_magic;
	struct page_pool *pp;
	unsigned long dma_addr;
	atomic_long_t pp_ref_count;
	/* the page's own reference count */
	atomic_t _refcount;
};

#define PP_SIGNATURE 0x40UL
#define PP_MAGIC_MASK (~0x3UL)

#ifdef __cplusplus
extern "C" {
#endif
struct page *alloc_pages(gfp_t gfp, unsigned int order);
void __free_pages(struct page *page, unsigned int order);
void put_page(struct page *page);
void get_page(struct page *page);
/* Each a single atomic operation, as in the kernel */
void page_ref_add(struct page *page, int nr);
void page_ref_sub(struct page *page, int nr);
void *phys_to_virt(phys_addr_t phys);
bool pfn_valid(unsigned long pfn);
struct page *pfn_to_page(unsigned long pfn);
unsigned long page_to_pfn(const struct page *page);
void *page_address(const struct page *page);
struct page *virt_to_page(const void *addr);
#ifdef __cplusplus
}
#endif

#define page_to_phys(page) PFN_PHYS(page_to_pfn(page))
#define offset_in_page(p) ((unsigned long)(p) & ~PAGE_MASK)

static inline int page_ref_count(const struct page *page)
{
	return __atomic_load_n(&page->_refcount.counter, __ATOMIC_RELAXED);
}

static inline bool page_pool_page_is_pp(struct page *page)
{
	return (page->pp_magic & PP_MAGIC_MASK) == PP_SIGNATURE;
}
#endif
