/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Harness shim: struct page and the page allocator, backed by the simulated
 * physical memory of mock/memory.cc.  Physical addresses are simulated ones
 * (they do not equal host pointers); page_address() maps into host memory.
 */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H
#include <asm/page.h>
#include <linux/gfp.h>
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
struct page *mock_alloc_pages(gfp_t gfp, unsigned int order);
void mock_free_pages(struct page *page, unsigned int order);
void mock_put_page(struct page *page);
void mock_get_page(struct page *page);
void mock_page_ref_mod(struct page *page, int nr);
void *mock_phys_to_virt(phys_addr_t phys);
bool mock_pfn_valid(unsigned long pfn);
struct page *mock_pfn_to_page(unsigned long pfn);
unsigned long mock_page_to_pfn(const struct page *page);
void *mock_page_address(const struct page *page);
struct page *mock_virt_to_page(const void *addr);
#ifdef __cplusplus
}
#endif

#define alloc_pages(gfp, order) mock_alloc_pages((gfp), (order))
#define __free_pages(page, order) mock_free_pages((page), (order))
#define put_page(page) mock_put_page(page)
#define get_page(page) mock_get_page(page)
#define pfn_valid(pfn) mock_pfn_valid(pfn)
#define pfn_to_page(pfn) mock_pfn_to_page(pfn)
#define page_to_pfn(page) mock_page_to_pfn(page)
#define page_to_phys(page) PFN_PHYS(mock_page_to_pfn(page))
#define page_address(page) mock_page_address(page)
#define virt_to_page(addr) mock_virt_to_page(addr)
#define phys_to_virt(phys) mock_phys_to_virt(phys)
/* Each a single atomic operation, as in the kernel */
#define page_ref_add(page, nr) mock_page_ref_mod((page), (nr))
#define page_ref_sub(page, nr) mock_page_ref_mod((page), -(nr))

static inline int page_ref_count(const struct page *page)
{
	return __atomic_load_n(&page->_refcount.counter, __ATOMIC_RELAXED);
}

static inline bool page_pool_page_is_pp(struct page *page)
{
	return (page->pp_magic & PP_MAGIC_MASK) == PP_SIGNATURE;
}
#endif
