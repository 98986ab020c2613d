// SPDX-License-Identifier: GPL-2.0-only
// Simulated physical memory, a struct page per frame, and the page
// allocator with page reference counts. Frames not allocated are poisoned
// under ASan, so the driver touching a page it gave back is caught.
#include <sys/mman.h>

#include <cstdlib>

#include "internal.h"

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

// Frames at kPhysBase upwards, host memory at host.
struct Memory {
  explicit Memory(const Machine& m);
  ~Memory();
  Memory(const Memory&) = delete;
  Memory& operator=(const Memory&) = delete;

  uint8_t* host = nullptr;
  size_t host_len = 0;
  size_t nframes = 0;
  std::vector<struct page> pages;
  std::vector<uint8_t> frame_used;  // 0 free, else order + 1 of its block head
  size_t frames_in_use = 0;
  size_t search_hint = 0;
};

Memory::Memory(const Machine& m) {
  nframes = m.mem_bytes / PAGE_SIZE;
  host_len = nframes * PAGE_SIZE;
  void* p = mmap(nullptr, host_len, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) abort();
  host = static_cast<uint8_t*>(p);
  // mmap only guarantees host-page alignment; simulated frames do not need
  // more, since page_address() is computed from the frame index.
  POISON(host, host_len);
  pages.assign(nframes, page{});
  frame_used.assign(nframes, 0);
}

Memory::~Memory() {
  UNPOISON(host, host_len);
  munmap(host, host_len);
}

void Report(const Memory& mem, Leaks& out) {
  out.Add("pages allocated", mem.frames_in_use);
  size_t refs = 0, pp = 0;
  for (const auto& pg : mem.pages) {
    refs += pg._refcount.counter != 0;
    pp += pg.pp_magic != 0;
  }
  out.Add("pages with a reference count", refs);
  out.Add("pages still marked as page_pool pages", pp);
}

Owned<Memory> mem("memory", kOrderMemory, Report);

void RefMod(struct page* page, int nr) {
  Count().page_ref_atomic++;
  int v = __atomic_add_fetch(&page->_refcount.counter, nr, __ATOMIC_ACQ_REL);
  if (v <= 0) Violation("page_ref_sub dropped the last reference");
}

}  // namespace

uint64_t PhysBase() { return kPhysBase; }
size_t FramesInUse() { return mem->frames_in_use; }

void* PhysToHost(uint64_t phys) {
  Memory& m = *mem;
  if (phys < kPhysBase || phys >= kPhysBase + m.host_len) return nullptr;
  return m.host + (phys - kPhysBase);
}

uint64_t PageToPhys(const struct page* page) {
  return kPhysBase + uint64_t(page - mem->pages.data()) * PAGE_SIZE;
}

struct page* Frames(size_t* n) {
  *n = mem->nframes;
  return mem->pages.data();
}

}  // namespace mock

using mock::mem;

extern "C" {

struct page* alloc_pages(gfp_t gfp, unsigned int order) {
  (void)gfp;
  mock::Memory& m = *mem;
  if (mock::ShouldFail(mock::Fault::kPageAlloc)) return nullptr;
  size_t n = size_t(1) << order;
  // First fit from a moving hint; blocks are naturally aligned.
  for (size_t pass = 0; pass < 2; pass++) {
    size_t start = pass ? 0 : (m.search_hint & ~(n - 1));
    for (size_t i = start; i + n <= m.nframes; i += n) {
      size_t j = 0;
      while (j < n && !m.frame_used[i + j]) j++;
      if (j < n) continue;
      for (j = 0; j < n; j++) m.frame_used[i + j] = 1;
      m.frame_used[i] = uint8_t(order + 1);
      m.frames_in_use += n;
      m.search_hint = i + n;
      mock::Count().page_alloc++;
      struct page* pg = &m.pages[i];
      for (j = 0; j < n; j++) pg[j] = page{};
      pg->_refcount.counter = 1;
      UNPOISON(m.host + i * PAGE_SIZE, n * PAGE_SIZE);
      return pg;
    }
  }
  return nullptr;
}

void __free_pages(struct page* page, unsigned int order) {
  mock::Memory& m = *mem;
  size_t i = size_t(page - m.pages.data());
  if (i >= m.nframes || m.frame_used[i] != order + 1) {
    mock::Violation("__free_pages of a page that is not an allocated block");
    return;
  }
  size_t n = size_t(1) << order;
  for (size_t j = 0; j < n; j++) {
    m.frame_used[i + j] = 0;
    page[j] = {};
  }
  m.frames_in_use -= n;
  mock::Count().page_free++;
  POISON(m.host + i * PAGE_SIZE, n * PAGE_SIZE);
}

void get_page(struct page* page) {
  mock::Count().page_ref_atomic++;
  __atomic_add_fetch(&page->_refcount.counter, 1, __ATOMIC_RELAXED);
}

void page_ref_add(struct page* page, int nr) { mock::RefMod(page, nr); }
void page_ref_sub(struct page* page, int nr) { mock::RefMod(page, -nr); }

void* phys_to_virt(phys_addr_t phys) {
  void* p = mock::PhysToHost(phys);
  if (!p) mock::Violation("phys_to_virt of an address that is not RAM");
  return p;
}

void put_page(struct page* page) {
  mock::Count().page_ref_atomic++;
  int v = __atomic_sub_fetch(&page->_refcount.counter, 1, __ATOMIC_ACQ_REL);
  if (v < 0) {
    mock::Violation("put_page on a page with no references");
    return;
  }
  if (v == 0) {
    mock::Memory& m = *mem;
    size_t i = size_t(page - m.pages.data());
    __free_pages(page, m.frame_used[i] ? m.frame_used[i] - 1 : 0);
  }
}

bool pfn_valid(unsigned long pfn) {
  unsigned long base = mock::kPhysBase >> PAGE_SHIFT;
  return pfn >= base && pfn - base < mem->nframes;
}

struct page* pfn_to_page(unsigned long pfn) {
  return &mem->pages[pfn - (mock::kPhysBase >> PAGE_SHIFT)];
}

unsigned long page_to_pfn(const struct page* page) {
  return (mock::kPhysBase >> PAGE_SHIFT) + (page - mem->pages.data());
}

void* page_address(const struct page* page) {
  mock::Memory& m = *mem;
  return m.host + size_t(page - m.pages.data()) * PAGE_SIZE;
}

struct page* virt_to_page(const void* addr) {
  mock::Memory& m = *mem;
  auto p = static_cast<const uint8_t*>(addr);
  if (p < m.host || p >= m.host + m.host_len) {
    mock::Violation("virt_to_page of an address outside simulated memory");
    return nullptr;
  }
  return &m.pages[size_t(p - m.host) / PAGE_SIZE];
}

}  // extern "C"
