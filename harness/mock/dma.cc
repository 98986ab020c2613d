// SPDX-License-Identifier: GPL-2.0-only
// The DMA API for the simulated device: dma-direct (bus == physical) for no
// IOMMU and identity domains, IOVA allocation plus page-table mapping for
// translating domains. Every mapping is tracked and checked on unmap/sync.
#include <cstdlib>
#include <cstring>

#include "internal.h"

namespace mock {
namespace {

// -1: not decided yet (the environment decides at the first Reset)
int g_noncoherent = -1;

struct Shadow {
  std::vector<uint8_t> data, valid;  // valid: the byte differs, use data
};

// The device, behind its IOMMU. Non-coherent: host memory is the CPU's
// view; where RAM under a streaming mapping differs from it, RAM's bytes
// are in the page's shadow.
struct Dma {
  explicit Dma(const Machine& m);
  mock_device device;
  bool noncoherent = false;
  std::unordered_map<uint64_t, int> streaming;  // pfn -> mappings over it
  std::unordered_map<uint64_t, Shadow> shadow;  // pfn -> RAM's bytes
  std::function<void(uint64_t, size_t)> on_sync_for_cpu;
};

Dma::Dma(const Machine& m) {
  if (g_noncoherent < 0) {
    const char* env = getenv("NICVF_HARNESS_DMA");
    g_noncoherent = env && !strcmp(env, "noncoherent");
  }
  noncoherent = g_noncoherent;
  device.dev.name = "nicvf-sim";
  device.dev.mock = &device;
  device.iommu = std::make_unique<Iommu>(m.mode);
}

void Report(const Dma& d, Leaks& out) {
  out.Add("DMA mappings", d.device.mappings.size());
  out.Add("IOVA ranges", d.device.iommu->iova_ranges());
  out.Add("IOMMU-mapped pages", d.device.iommu->mapped_pages());
}

Owned<Dma> dma("dma", kOrderDma, Report);

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

bool Bouncing(mock_device* md) {
  return md->iommu->mode() == IommuMode::kBounce;
}

// --- Non-coherent DMA -----------------------------------------------------
// Host memory is what the CPU sees, its caches included. For a page under a
// streaming mapping, RAM may differ: those bytes are in the page's shadow.
// The device reads and writes RAM. The DMA API's cache maintenance moves
// bytes between the views as arm64 does for a non-coherent device:
//   clean (map, sync_for_device): RAM takes the CPU's bytes. Snapshotted for
//     TO_DEVICE, so what the CPU writes later is not what the device reads;
//     for FROM_DEVICE, device writes not yet synced for the CPU are lost.
//   invalidate (sync_for_cpu, unmap; not TO_DEVICE): the CPU sees RAM.
// Byte-granular: a cache line shared by two buffers is not modelled.

Shadow& ShadowOf(uint64_t pfn) {
  Shadow& sh = dma->shadow[pfn];
  if (sh.data.empty()) {
    sh.data.assign(PAGE_SIZE, 0);
    sh.valid.assign(PAGE_SIZE, 0);
  }
  return sh;
}

bool Streamed(uint64_t phys) {
  return dma->noncoherent && dma->streaming.count(phys >> PAGE_SHIFT);
}

// Apply fn(pfn, offset in page, bytes) to each page of [phys, phys + size)
template <typename Fn>
void EachPage(uint64_t phys, size_t size, Fn fn) {
  while (size) {
    size_t off = phys & (PAGE_SIZE - 1);
    size_t n = std::min<size_t>(size, PAGE_SIZE - off);
    fn(phys >> PAGE_SHIFT, off, n);
    phys += n;
    size -= n;
  }
}

void Clean(uint64_t phys, size_t size, int dir) {
  if (!dma->noncoherent) return;
  EachPage(phys, size, [&](uint64_t pfn, size_t off, size_t n) {
    if (dir == DMA_FROM_DEVICE) {
      auto it = dma->shadow.find(pfn);
      if (it != dma->shadow.end())
        memset(it->second.valid.data() + off, 0, n);
      return;
    }
    Shadow& sh = ShadowOf(pfn);
    auto* host = static_cast<uint8_t*>(PhysToHost(pfn << PAGE_SHIFT));
    memcpy(sh.data.data() + off, host + off, n);
    memset(sh.valid.data() + off, 1, n);
  });
}

void Invalidate(uint64_t phys, size_t size) {
  if (!dma->noncoherent) return;
  EachPage(phys, size, [&](uint64_t pfn, size_t off, size_t n) {
    auto it = dma->shadow.find(pfn);
    if (it == dma->shadow.end()) return;
    auto* host = static_cast<uint8_t*>(PhysToHost(pfn << PAGE_SHIFT));
    Shadow& sh = it->second;
    for (size_t i = off; i < off + n; i++) {
      if (!sh.valid[i]) continue;
      host[i] = sh.data[i];
      sh.valid[i] = 0;
    }
  });
}

// A streaming mapping of [phys, phys + size) begins or ends
void Streaming(uint64_t phys, size_t size, bool begin) {
  if (!dma->noncoherent) return;
  EachPage(phys, size, [&](uint64_t pfn, size_t, size_t) {
    if (begin) {
      dma->streaming[pfn]++;
    } else if (--dma->streaming[pfn] == 0) {
      dma->streaming.erase(pfn);
      dma->shadow.erase(pfn);  // what RAM held differently is gone with it
    }
  });
}

// Copy [addr, addr + size) of a bounced mapping between the mapped memory
// and its bounce buffer, as swiotlb does.
void Bounce(const Mapping& m, uint64_t map_addr, uint64_t addr, size_t size,
            bool to_device) {
  uint64_t off = addr - map_addr;
  char* orig = static_cast<char*>(PhysToHost(m.phys + off));
  char* dev = static_cast<char*>(page_address(m.bounce)) +
              offset_in_page(map_addr) + off;
  if (to_device)
    memcpy(dev, orig, size);
  else
    memcpy(orig, dev, size);
}

// The mapping containing [addr, addr + size), or nullptr.
const Mapping* Find(mock_device* md, uint64_t addr, size_t size,
                    uint64_t* base) {
  auto it = md->mappings.upper_bound(addr);
  if (it == md->mappings.begin()) return nullptr;
  --it;
  if (addr + size > it->first + it->second.size) return nullptr;
  *base = it->first;
  return &it->second;
}

}  // namespace

mock_device& Device() { return dma->device; }
struct device* Dev() { return &dma->device.dev; }

void SetNonCoherent(bool on) {
  g_noncoherent = on;
  if (!dma->device.mappings.empty())
    Violation("DMA coherence changed with mappings live");
  dma->noncoherent = on;
}

bool NonCoherent() { return dma->noncoherent; }

std::function<void(uint64_t, size_t)>& OnSyncForCpu() {
  return dma->on_sync_for_cpu;
}

void DeviceStore(uint64_t phys, uint8_t* host, const uint8_t* src, size_t n) {
  if (!Streamed(phys)) {
    memcpy(host, src, n);
    return;
  }
  Shadow& sh = ShadowOf(phys >> PAGE_SHIFT);
  size_t off = phys & (PAGE_SIZE - 1);
  memcpy(sh.data.data() + off, src, n);
  memset(sh.valid.data() + off, 1, n);
}

void DeviceLoad(uint64_t phys, const uint8_t* host, uint8_t* dst, size_t n) {
  auto it = Streamed(phys) ? dma->shadow.find(phys >> PAGE_SHIFT)
                           : dma->shadow.end();
  if (it == dma->shadow.end()) {
    memcpy(dst, host, n);
    return;
  }
  size_t off = phys & (PAGE_SIZE - 1);
  for (size_t i = 0; i < n; i++)
    dst[i] = it->second.valid[off + i] ? it->second.data[off + i] : host[i];
}

}  // namespace mock

extern "C" {

dma_addr_t dma_map_page_attrs(struct device* dev, struct page* page,
                             size_t offset, size_t size,
                             enum dma_data_direction dir,
                             unsigned long attrs) {
  mock_device* md = dev->mock;
  mock::Count().dma_map++;
  if (mock::ShouldFail(mock::Fault::kDmaMap)) return DMA_MAPPING_ERROR;
  uint64_t phys = mock::PageToPhys(page) + offset;
  if (mock::Bouncing(md)) {
    // swiotlb: a bounce buffer at the same offset within its page, filled
    // from the mapped memory whatever the direction
    unsigned order = 0;
    while ((PAGE_SIZE << order) < offset_in_page(phys) + size) order++;
    struct page* b = alloc_pages(GFP_ATOMIC, order);
    if (!b) return DMA_MAPPING_ERROR;
    uint64_t addr = mock::PageToPhys(b) + offset_in_page(phys);
    mock::Mapping m{phys, size, dir, false, b, order};
    mock::Bounce(m, addr, addr, size, true);
    md->mappings[addr] = m;
    return addr;
  }
  uint64_t addr = mock::MapRange(md, phys, size);
  if (addr == DMA_MAPPING_ERROR) return addr;
  if (md->mappings.count(addr)) {
    mock::Violation("dma_map_page returned an address already mapped");
  }
  md->mappings[addr] = {phys, size, dir, false};
  mock::Streaming(phys, size, true);
  if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC)) mock::Clean(phys, size, dir);
  return addr;
}

void dma_unmap_page_attrs(struct device* dev, dma_addr_t addr, size_t size,
                         enum dma_data_direction dir, unsigned long attrs) {
  mock_device* md = dev->mock;
  mock::Count().dma_unmap++;
  auto it = md->mappings.find(addr);
  if (it == md->mappings.end() || it->second.size != size ||
      it->second.dir != dir || it->second.coherent) {
    mock::Violation("dma_unmap_page of an address/size/direction never mapped");
    return;
  }
  if (it->second.bounce) {
    if (dir != DMA_TO_DEVICE) mock::Bounce(it->second, addr, addr, size, false);
    __free_pages(it->second.bounce, it->second.bounce_order);
  } else {
    if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC) && dir != DMA_TO_DEVICE)
      mock::Invalidate(it->second.phys, size);
    mock::Streaming(it->second.phys, size, false);
  }
  mock::UnmapRange(md, addr, size);
  md->mappings.erase(it);
}

void dma_sync_single_for_cpu(struct device* dev, dma_addr_t addr, size_t size,
                           enum dma_data_direction dir) {
  mock::Count().dma_sync_cpu++;
  uint64_t base;
  const mock::Mapping* m = mock::Find(dev->mock, addr, size, &base);
  if (!m || m->dir != dir) mock::Violation("dma_sync_for_cpu outside a mapping");
  if (mock::dma->on_sync_for_cpu) mock::dma->on_sync_for_cpu(addr, size);
  if (m && m->bounce && dir != DMA_TO_DEVICE)
    mock::Bounce(*m, base, addr, size, false);
  else if (m && dir != DMA_TO_DEVICE)
    mock::Invalidate(m->phys + (addr - base), size);
}

void dma_sync_single_for_device(struct device* dev, dma_addr_t addr,
                              size_t size, enum dma_data_direction dir) {
  mock::Count().dma_sync_dev++;
  uint64_t base;
  const mock::Mapping* m = mock::Find(dev->mock, addr, size, &base);
  if (!m || m->dir != dir)
    mock::Violation("dma_sync_for_device outside a mapping");
  if (m && m->bounce && dir != DMA_FROM_DEVICE)
    mock::Bounce(*m, base, addr, size, true);
  else if (m && !m->bounce)
    mock::Clean(m->phys + (addr - base), size, dir);
}

void* dma_alloc_coherent(struct device* dev, size_t size,
                              dma_addr_t* handle, gfp_t gfp) {
  mock_device* md = dev->mock;
  if (mock::ShouldFail(mock::Fault::kDmaAllocCoherent)) return nullptr;
  unsigned order = 0;
  while ((PAGE_SIZE << order) < size) order++;
  struct page* pg = alloc_pages(gfp, order);
  if (!pg) return nullptr;
  uint64_t phys = mock::PageToPhys(pg);
  uint64_t addr = mock::MapRange(md, phys, PAGE_SIZE << order);
  if (addr == DMA_MAPPING_ERROR) {
    __free_pages(pg, order);
    return nullptr;
  }
  mock::Count().dma_alloc_coherent++;
  md->mappings[addr] = {phys, size, DMA_BIDIRECTIONAL, true};
  void* cpu = page_address(pg);
  memset(cpu, 0, PAGE_SIZE << order);
  *handle = addr;
  return cpu;
}

void dma_free_coherent(struct device* dev, size_t size, void* cpu,
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
  __free_pages(virt_to_page(cpu), order);
}

}  // extern "C"
