// SPDX-License-Identifier: GPL-2.0-only
// Simulated physical memory and page allocator, tracked kmalloc, device
// logging and MMIO dispatch.
#include "state.h"

#include <sys/mman.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NICVF_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define NICVF_ASAN 1
#endif
#ifdef NICVF_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace mock {
namespace {

// Simulated RAM starts at 1 GiB, as on arm64 virt machines, so physical
// addresses are neither 0 nor host pointers.
constexpr uint64_t kPhysBase = 1ull << 30;

State* g_state = nullptr;

// -1: not decided yet (the environment decides at the first Reset)
int g_noncoherent = -1;

}  // namespace

State& S() {
  if (!g_state) Reset(IommuMode::kNone);
  return *g_state;
}

State::~State() {
  if (host) {
    UNPOISON(host, host_len);
    munmap(host, host_len);
  }
}

const char* ToString(IommuMode mode) {
  switch (mode) {
    case IommuMode::kNone: return "NoIommu";
    case IommuMode::kIdentity: return "Identity";
    case IommuMode::kIdentityNoFix: return "IdentityNoFix";
    case IommuMode::kTranslating: return "Translating";
    case IommuMode::kTranslatingFault: return "TranslatingFault";
    case IommuMode::kBounce: return "Bounce";
  }
  return "?";
}

std::vector<IommuMode> AllIommuModes() {
  return {IommuMode::kNone, IommuMode::kIdentity, IommuMode::kIdentityNoFix,
          IommuMode::kTranslating, IommuMode::kTranslatingFault};
}

bool IsTranslating(IommuMode mode) {
  return mode == IommuMode::kTranslating ||
         mode == IommuMode::kTranslatingFault;
}

void Reset(IommuMode mode, size_t mem_bytes) {
  delete g_state;
  g_state = new State();
  // Not zero, and near a wrap-around of 32 bits, to catch naive arithmetic
  mock_jiffies = 0xfffff000ul;
  State& s = *g_state;
  if (g_noncoherent < 0) {
    const char* dma = getenv("NICVF_HARNESS_DMA");
    g_noncoherent = dma && !strcmp(dma, "noncoherent");
  }
  s.noncoherent = g_noncoherent;
  s.nframes = mem_bytes / PAGE_SIZE;
  s.host_len = s.nframes * PAGE_SIZE;
  void* p = mmap(nullptr, s.host_len, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) abort();
  s.host = static_cast<uint8_t*>(p);
  // mmap only guarantees host-page alignment; simulated frames do not need
  // more, since page_address() is computed from the frame index.
  POISON(s.host, s.host_len);
  s.pages.assign(s.nframes, page{});
  s.frame_used.assign(s.nframes, 0);
  s.device.dev.name = "nicvf-sim";
  s.device.dev.mock = &s.device;
  s.device.iommu = std::make_unique<Iommu>(mode);
}

void SetNonCoherent(bool on) {
  g_noncoherent = on;
  if (!S().device.mappings.empty())
    Violation("DMA coherence changed with mappings live");
  S().noncoherent = on;
}

bool NonCoherent() { return S().noncoherent; }

struct device* Dev() { return &S().device.dev; }
Counters& Count() { return S().counters; }
std::vector<std::string>& Violations() { return S().violations; }
std::vector<std::string>& Log() { return S().log; }
bool Logged(const std::string& text) {
  for (const std::string& line : S().log)
    if (line.find(text) != std::string::npos) return true;
  return false;
}

void Violation(const std::string& what) { S().violations.push_back(what); }
uint64_t PhysBase() { return kPhysBase; }
size_t FramesInUse() { return S().frames_in_use; }

void* PhysToHost(uint64_t phys) {
  State& s = S();
  if (phys < kPhysBase || phys >= kPhysBase + s.host_len) return nullptr;
  return s.host + (phys - kPhysBase);
}

uint64_t PageToPhys(const struct page* page) {
  return kPhysBase + uint64_t(page - S().pages.data()) * PAGE_SIZE;
}

std::vector<std::string> Outstanding() {
  State& s = S();
  std::vector<std::string> out;
  auto add = [&](const std::string& what, size_t n) {
    if (n) out.push_back(what + ": " + std::to_string(n));
  };
  add("pages allocated", s.frames_in_use);
  size_t refs = 0, pp = 0;
  for (const auto& pg : s.pages) {
    refs += pg._refcount.counter != 0;
    pp += pg.pp_magic != 0;
  }
  add("pages with a reference count", refs);
  add("pages still marked as page_pool pages", pp);
  add("DMA mappings", s.device.mappings.size());
  add("IOVA ranges", s.device.iommu->iova_ranges());
  add("IOMMU-mapped pages", s.device.iommu->mapped_pages());
  add("sk_buffs", s.skbs.size());
  add("sk_buffs delivered and not freed", s.delivered.size());
  size_t kv = 0;
  for (const auto& k : s.kmallocs) kv += k.second.kv;
  add("kmalloc blocks", s.kmallocs.size() - kv);
  add("kvmalloc blocks", kv);
  add("page pools", s.pools.size());
  add("MMIO regions", s.mmio.size());
  if (s.pci) {
    add("PCI function enabled", s.pci->enabled);
    add("PCI regions requested", s.pci->regions);
    add("BAR mappings", size_t(s.pci->bar_maps));
    add("MSI-X vectors", size_t(s.pci->vectors));
    add("IRQ handlers", s.pci->irqs.size());
    add("PCI driver bound", s.pci->bound);
  }
  add("net_devices", s.netdevs.size());
  add("NAPI contexts not deleted", s.napis.size());
  add("work items queued", s.works.size());
  add("tasklets scheduled", s.tasklets.size());
  add("RTNL held", s.rtnl);
  return out;
}

void MapMmio(void* base, size_t len, MmioHandler* handler) {
  S().mmio[reinterpret_cast<uintptr_t>(base)] = {len, handler};
}

void UnmapMmio(void* base) { S().mmio.erase(reinterpret_cast<uintptr_t>(base)); }

std::function<void(uint64_t, size_t)>& OnSyncForCpu() {
  return S().on_sync_for_cpu;
}

std::vector<sk_buff*>& Delivered() { return S().delivered; }
size_t SkbsOutstanding() { return S().skbs.size(); }
size_t PoolsAlive() { return S().pools.size(); }

}  // namespace mock

using mock::S;
using mock::State;

extern "C" {

struct page* mock_alloc_pages(gfp_t gfp, unsigned int order) {
  (void)gfp;
  State& s = S();
  if (mock::ShouldFail(mock::Fault::kPageAlloc)) return nullptr;
  size_t n = size_t(1) << order;
  // First fit from a moving hint; blocks are naturally aligned.
  for (size_t pass = 0; pass < 2; pass++) {
    size_t start = pass ? 0 : (s.search_hint & ~(n - 1));
    for (size_t i = start; i + n <= s.nframes; i += n) {
      size_t j = 0;
      while (j < n && !s.frame_used[i + j]) j++;
      if (j < n) continue;
      for (j = 0; j < n; j++) s.frame_used[i + j] = 1;
      s.frame_used[i] = uint8_t(order + 1);
      s.frames_in_use += n;
      s.search_hint = i + n;
      s.counters.page_alloc++;
      struct page* pg = &s.pages[i];
      for (j = 0; j < n; j++) pg[j] = page{};
      pg->_refcount.counter = 1;
      UNPOISON(s.host + i * PAGE_SIZE, n * PAGE_SIZE);
      return pg;
    }
  }
  return nullptr;
}

void mock_free_pages(struct page* page, unsigned int order) {
  State& s = S();
  size_t i = size_t(page - s.pages.data());
  if (i >= s.nframes || s.frame_used[i] != order + 1) {
    mock::Violation("__free_pages of a page that is not an allocated block");
    return;
  }
  size_t n = size_t(1) << order;
  for (size_t j = 0; j < n; j++) {
    s.frame_used[i + j] = 0;
    page[j] = {};
  }
  s.frames_in_use -= n;
  s.counters.page_free++;
  POISON(s.host + i * PAGE_SIZE, n * PAGE_SIZE);
}

void mock_get_page(struct page* page) {
  S().counters.page_ref_atomic++;
  __atomic_add_fetch(&page->_refcount.counter, 1, __ATOMIC_RELAXED);
}

void mock_page_ref_mod(struct page* page, int nr) {
  S().counters.page_ref_atomic++;
  int v = __atomic_add_fetch(&page->_refcount.counter, nr, __ATOMIC_ACQ_REL);
  if (v <= 0) mock::Violation("page_ref_sub dropped the last reference");
}

void* mock_phys_to_virt(phys_addr_t phys) {
  void* p = mock::PhysToHost(phys);
  if (!p) mock::Violation("phys_to_virt of an address that is not RAM");
  return p;
}

void mock_put_page(struct page* page) {
  S().counters.page_ref_atomic++;
  int v = __atomic_sub_fetch(&page->_refcount.counter, 1, __ATOMIC_ACQ_REL);
  if (v < 0) {
    mock::Violation("put_page on a page with no references");
    return;
  }
  if (v == 0) {
    size_t i = size_t(page - S().pages.data());
    mock_free_pages(page, S().frame_used[i] ? S().frame_used[i] - 1 : 0);
  }
}

bool mock_pfn_valid(unsigned long pfn) {
  State& s = S();
  unsigned long base = mock::kPhysBase >> PAGE_SHIFT;
  return pfn >= base && pfn - base < s.nframes;
}

struct page* mock_pfn_to_page(unsigned long pfn) {
  return &S().pages[pfn - (mock::kPhysBase >> PAGE_SHIFT)];
}

unsigned long mock_page_to_pfn(const struct page* page) {
  return (mock::kPhysBase >> PAGE_SHIFT) + (page - S().pages.data());
}

void* mock_page_address(const struct page* page) {
  return S().host + size_t(page - S().pages.data()) * PAGE_SIZE;
}

struct page* mock_virt_to_page(const void* addr) {
  State& s = S();
  auto p = static_cast<const uint8_t*>(addr);
  if (p < s.host || p >= s.host + s.host_len) {
    mock::Violation("virt_to_page of an address outside simulated memory");
    return nullptr;
  }
  return &s.pages[size_t(p - s.host) / PAGE_SIZE];
}

static void* Kmalloc(size_t size, bool zero, bool kv) {
  void* p = zero ? calloc(1, size ? size : 1) : malloc(size ? size : 1);
  if (p) {
    S().kmallocs[p] = {size, kv};
    S().counters.kmalloc++;
  }
  return p;
}

void* mock_kmalloc(size_t size, gfp_t gfp, bool zero) {
  (void)gfp;
  if (mock::ShouldFail(mock::Fault::kKmalloc)) return nullptr;
  return Kmalloc(size, zero, false);
}

void* mock_kvmalloc(size_t size, gfp_t gfp, bool zero) {
  (void)gfp;
  if (mock::ShouldFail(mock::Fault::kKvmalloc)) return nullptr;
  return Kmalloc(size, zero, true);
}

static void Kfree(const void* p, bool kv) {
  if (!p) return;
  auto it = S().kmallocs.find(p);
  if (it == S().kmallocs.end()) {
    mock::Violation(kv ? "kvfree of a pointer kmalloc/kvmalloc did not return"
                       : "kfree of a pointer kmalloc did not return");
    return;
  }
  // kvmalloc may have used vmalloc, which kfree cannot free
  if (it->second.kv && !kv)
    mock::Violation("kfree of memory from kvmalloc: use kvfree");
  S().kmallocs.erase(it);
  free(const_cast<void*>(p));
}

void mock_kfree(const void* p) { Kfree(p, false); }
void mock_kvfree(const void* p) { Kfree(p, true); }

unsigned long mock_jiffies;
unsigned long long mock_usecs;

// Simulated sleep: microseconds, carried into jiffies
void mock_udelay(unsigned long us) {
  static unsigned long long carried;
  mock_usecs += us;
  carried += us;
  while (carried >= 1000000 / HZ) {
    carried -= 1000000 / HZ;
    mock_jiffies++;
  }
}

bool mock_warn(bool cond, const char* file, int line) {
  if (cond) mock::Violation(std::string("WARN_ON at ") + file + ":" + std::to_string(line));
  return cond;
}

void mock_dev_log(const struct device* dev, int level, const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  std::string line = std::string(dev ? dev->name : "kernel") + ": " + buf;
  if (level <= 4) fprintf(stderr, "[harness log] %s", line.c_str());
  S().log.push_back(line);
}

u64 mock_mmio_read64(const volatile void* addr) {
  State& s = S();
  auto a = reinterpret_cast<uintptr_t>(addr);
  auto it = s.mmio.upper_bound(a);
  if (it != s.mmio.begin()) {
    --it;
    if (a - it->first < it->second.len)
      return it->second.handler->Read64(a - it->first);
  }
  mock::Violation("readq from an address no device claimed");
  return ~0ull;
}

void mock_mmio_write64(u64 val, volatile void* addr) {
  State& s = S();
  auto a = reinterpret_cast<uintptr_t>(addr);
  auto it = s.mmio.upper_bound(a);
  if (it != s.mmio.begin()) {
    --it;
    if (a - it->first < it->second.len) {
      it->second.handler->Write64(a - it->first, val);
      return;
    }
  }
  mock::Violation("writeq to an address no device claimed");
}

}  // extern "C"
