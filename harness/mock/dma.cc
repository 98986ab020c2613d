// SPDX-License-Identifier: GPL-2.0-only
// The DMA API for the simulated device: dma-direct (bus == physical) for no
// IOMMU and identity domains, IOVA allocation plus page-table mapping for
// translating domains. Every mapping is tracked and checked on unmap/sync.
#include "state.h"

namespace mock {
namespace {

uint64_t MapRange(mock_device* md, uint64_t phys, size_t size) {
  if (IsTranslating(md->iommu->mode())) {
    uint64_t base = phys & PAGE_MASK;
    uint64_t iova = md->iommu->Map(base, (phys - base) + size);
    return iova ? iova + (phys - base) : DMA_MAPPING_ERROR;
  }
  return phys;
}

bool UnmapRange(mock_device* md, uint64_t addr, size_t size) {
  if (IsTranslating(md->iommu->mode())) {
    uint64_t base = addr & PAGE_MASK;
    return md->iommu->Unmap(base, (addr - base) + size);
  }
  return true;
}

// The mapping containing [addr, addr + size), or nullptr.
const Mapping* Find(mock_device* md, uint64_t addr, size_t size) {
  auto it = md->mappings.upper_bound(addr);
  if (it == md->mappings.begin()) return nullptr;
  --it;
  if (addr + size > it->first + it->second.size) return nullptr;
  return &it->second;
}

}  // namespace
}  // namespace mock

using mock::S;

extern "C" {

dma_addr_t mock_dma_map_page(struct device* dev, struct page* page,
                             size_t offset, size_t size,
                             enum dma_data_direction dir,
                             unsigned long attrs) {
  (void)attrs;
  mock_device* md = dev->mock;
  S().counters.dma_map++;
  uint64_t phys = mock::PageToPhys(page) + offset;
  uint64_t addr = mock::MapRange(md, phys, size);
  if (addr == DMA_MAPPING_ERROR) return addr;
  if (md->mappings.count(addr)) {
    mock::Violation("dma_map_page returned an address already mapped");
  }
  md->mappings[addr] = {phys, size, dir, false};
  return addr;
}

void mock_dma_unmap_page(struct device* dev, dma_addr_t addr, size_t size,
                         enum dma_data_direction dir, unsigned long attrs) {
  (void)attrs;
  mock_device* md = dev->mock;
  S().counters.dma_unmap++;
  auto it = md->mappings.find(addr);
  if (it == md->mappings.end() || it->second.size != size ||
      it->second.dir != dir || it->second.coherent) {
    mock::Violation("dma_unmap_page of an address/size/direction never mapped");
    return;
  }
  mock::UnmapRange(md, addr, size);
  md->mappings.erase(it);
}

void mock_dma_sync_for_cpu(struct device* dev, dma_addr_t addr, size_t size,
                           enum dma_data_direction dir) {
  S().counters.dma_sync_cpu++;
  const mock::Mapping* m = mock::Find(dev->mock, addr, size);
  if (!m || m->dir != dir) mock::Violation("dma_sync_for_cpu outside a mapping");
  if (S().on_sync_for_cpu) S().on_sync_for_cpu(addr, size);
}

void mock_dma_sync_for_device(struct device* dev, dma_addr_t addr,
                              size_t size, enum dma_data_direction dir) {
  S().counters.dma_sync_dev++;
  const mock::Mapping* m = mock::Find(dev->mock, addr, size);
  if (!m || m->dir != dir)
    mock::Violation("dma_sync_for_device outside a mapping");
}

void* mock_dma_alloc_coherent(struct device* dev, size_t size,
                              dma_addr_t* handle, gfp_t gfp) {
  mock_device* md = dev->mock;
  unsigned order = 0;
  while ((PAGE_SIZE << order) < size) order++;
  struct page* pg = mock_alloc_pages(gfp, order);
  if (!pg) return nullptr;
  uint64_t phys = mock::PageToPhys(pg);
  uint64_t addr = mock::MapRange(md, phys, PAGE_SIZE << order);
  if (addr == DMA_MAPPING_ERROR) {
    mock_free_pages(pg, order);
    return nullptr;
  }
  S().counters.dma_alloc_coherent++;
  md->mappings[addr] = {phys, size, DMA_BIDIRECTIONAL, true};
  void* cpu = mock_page_address(pg);
  memset(cpu, 0, PAGE_SIZE << order);
  *handle = addr;
  return cpu;
}

void mock_dma_free_coherent(struct device* dev, size_t size, void* cpu,
                            dma_addr_t handle) {
  mock_device* md = dev->mock;
  auto it = md->mappings.find(handle);
  if (it == md->mappings.end() || !it->second.coherent ||
      it->second.size != size) {
    mock::Violation("dma_free_coherent of memory dma_alloc_coherent did not return");
    return;
  }
  unsigned order = 0;
  while ((PAGE_SIZE << order) < size) order++;
  mock::UnmapRange(md, handle, PAGE_SIZE << order);
  md->mappings.erase(it);
  mock_free_pages(mock_virt_to_page(cpu), order);
}

}  // extern "C"
