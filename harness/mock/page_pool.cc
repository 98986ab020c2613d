// SPDX-License-Identifier: GPL-2.0-only
// page_pool as the kernel's 6.12 implementation behaves for what the driver
// uses: order-0 pages, DMA mapped once when they enter the pool and
// unmapped only when they leave it, fragment mode with a bias count (one
// atomic when the pool is done carving a page, one per fragment returned),
// recycling through a bounded ring, sync-for-device on recycle, and a
// destroy that waits for in-flight pages to come back.
#include <deque>
#include <set>

#include "internal.h"

extern "C" {
#include <net/page_pool/helpers.h>
}

struct mock_page_pool {
  page_pool pool;
  // CONFIG_PAGE_POOL_STATS's, where net/core/page_pool.c counts them: a
  // fragment carved from the page being carved is fast; a page from the
  // ring with the ring empty is empty, then slow (the kernel counts slow
  // once per bulk allocation of up to 64 pages, the mock allocates one);
  // the mock has no alloc cache, so a page from the ring counts as fast,
  // as the cache it would have gone through hands it out. Recycling into
  // the ring counts ring, a release because it is full ring_full.
  page_pool_stats stats = {};
  std::deque<struct page*> ring;
  struct page* frag_page = nullptr;
  unsigned frag_offset = 0;
  long frag_users = 0;
  size_t pages = 0;  // pages owned (in ring, being carved or in flight)
  bool destroyed = false;
};

namespace mock {

using PoolState = mock_page_pool;

namespace {

constexpr long kBiasMax = 1L << 30;

// Pools created and not yet gone (a destroyed pool goes when its last
// page comes back); a Reset() takes those a test left.
struct Pools {
  ~Pools() {
    for (PoolState* ps : alive) delete ps;
  }
  std::set<PoolState*> alive;
};

void Report(const Pools& p, Leaks& out) { out.Add("page pools", p.alive.size()); }

Owned<Pools> pools("page_pool", kOrderPagePool, Report);

PoolState* Of(page_pool* pool) { return pool->mock; }

void ReleasePage(PoolState* ps, struct page* page) {
  page_pool* pool = &ps->pool;
  if (pool->p.flags & PP_FLAG_DMA_MAP)
    dma_unmap_page_attrs(pool->p.dev, page->dma_addr, PAGE_SIZE << pool->p.order,
                        pool->p.dma_dir, DMA_ATTR_SKIP_CPU_SYNC);
  page->pp_magic = 0;
  page->pp = nullptr;
  page->dma_addr = 0;
  page->pp_ref_count.counter = 0;
  ps->pages--;
  put_page(page);
  if (ps->destroyed && ps->pages == 0) {
    pools->alive.erase(ps);
    delete ps;
  }
}

void SyncForDevice(PoolState* ps, struct page* page, int size) {
  page_pool* pool = &ps->pool;
  if (!(pool->p.flags & PP_FLAG_DMA_SYNC_DEV)) return;
  unsigned len = size < 0 ? pool->p.max_len
                          : std::min<unsigned>(unsigned(size), pool->p.max_len);
  dma_sync_single_for_device(pool->p.dev, page->dma_addr + pool->p.offset, len,
                           pool->p.dma_dir);
}

// The last reference is gone: back into the ring, or out of the pool.
void Recycle(PoolState* ps, struct page* page, int sync_size) {
  if (!ps->destroyed && ps->ring.size() < ps->pool.p.pool_size) {
    SyncForDevice(ps, page, sync_size);
    ps->ring.push_back(page);
    ps->stats.recycle_stats.ring++;
    return;
  }
  ps->stats.recycle_stats.ring_full++;
  ReleasePage(ps, page);
}

// Drop nr references; true when that was the last.
bool Unref(struct page* page, long nr) {
  Count().page_ref_atomic++;
  long v = __atomic_sub_fetch(&page->pp_ref_count.counter, nr, __ATOMIC_ACQ_REL);
  if (v < 0) {
    Violation("page_pool page reference count went negative");
    return false;
  }
  return v == 0;
}

struct page* GetPage(PoolState* ps, gfp_t gfp) {
  page_pool* pool = &ps->pool;
  if (!ps->ring.empty()) {
    struct page* page = ps->ring.front();
    ps->ring.pop_front();
    Count().pp_recycled++;
    ps->stats.alloc_stats.fast++;
    return page;
  }
  ps->stats.alloc_stats.empty++;
  struct page* page = alloc_pages(gfp, pool->p.order);
  if (!page) return nullptr;
  if (pool->p.flags & PP_FLAG_DMA_MAP) {
    dma_addr_t dma =
        dma_map_page_attrs(pool->p.dev, page, 0, PAGE_SIZE << pool->p.order,
                          pool->p.dma_dir, DMA_ATTR_SKIP_CPU_SYNC);
    if (dma == DMA_MAPPING_ERROR) {
      put_page(page);
      return nullptr;
    }
    page->dma_addr = dma;
  }
  page->pp_magic = PP_SIGNATURE;
  page->pp = pool;
  ps->pages++;
  ps->stats.alloc_stats.slow++;
  Count().pp_new_pages++;
  SyncForDevice(ps, page, -1);
  return page;
}

}  // namespace

long PoolRefs(page_pool* pool) {
  PoolState* ps = Of(pool);
  long refs = 0;
  size_t n;
  struct page* frames = Frames(&n);
  for (size_t i = 0; i < n; i++) {
    struct page& pg = frames[i];
    if (!page_pool_page_is_pp(&pg) || pg.pp != pool) continue;
    refs += pg.pp_ref_count.counter;
    if (&pg == ps->frag_page) refs -= kBiasMax - ps->frag_users;
  }
  return refs;
}

size_t PoolPages(page_pool* pool) { return Of(pool)->pages; }
size_t PoolsAlive() { return pools->alive.size(); }

}  // namespace mock

using PoolState = mock_page_pool;
using mock::pools;

extern "C" {

struct page_pool* page_pool_create(const struct page_pool_params* params) {
  if (params->order != 0 || !params->dev || params->pool_size == 0 ||
      params->pool_size > 32768)
    return static_cast<page_pool*>(ERR_PTR(-EINVAL));
  if ((params->flags & PP_FLAG_DMA_SYNC_DEV) &&
      (!(params->flags & PP_FLAG_DMA_MAP) || !params->max_len ||
       params->offset + params->max_len > (PAGE_SIZE << params->order)))
    return static_cast<page_pool*>(ERR_PTR(-EINVAL));
  // As the kernel's, when it cannot allocate the pool or its ring
  if (mock::ShouldFail(mock::Fault::kPagePoolCreate))
    return static_cast<page_pool*>(ERR_PTR(-ENOMEM));
  auto* ps = new PoolState();
  ps->pool.p = *params;
  ps->pool.mock = ps;
  pools->alive.insert(ps);
  return &ps->pool;
}

// Give back what is left of the page being carved.
static void DrainFrag(PoolState* ps) {
  struct page* page = ps->frag_page;
  if (!page) return;
  ps->frag_page = nullptr;
  if (mock::Unref(page, mock::kBiasMax - ps->frag_users))
    mock::Recycle(ps, page, -1);
}

void page_pool_destroy(struct page_pool* pool) {
  if (!pool) return;
  PoolState* ps = mock::Of(pool);
  if (ps->destroyed) {
    mock::Violation("page_pool_destroy called twice");
    return;
  }
  DrainFrag(ps);
  ps->destroyed = true;
  while (!ps->ring.empty()) {
    struct page* page = ps->ring.front();
    ps->ring.pop_front();
    mock::ReleasePage(ps, page);
    if (pools->alive.count(ps) == 0) return;  // that was the last page
  }
  if (ps->pages == 0) {
    pools->alive.erase(ps);
    delete ps;
  }
}

struct page* page_pool_alloc_frag(struct page_pool* pool, unsigned int* offset,
                                  unsigned int size, gfp_t gfp) {
  PoolState* ps = mock::Of(pool);
  if (ps->destroyed) {
    mock::Violation("page_pool_alloc_frag on a destroyed pool");
    return nullptr;
  }
  if (mock::ShouldFail(mock::Fault::kPagePoolAlloc)) return nullptr;
  size = ALIGN(size, dma_get_cache_alignment());
  if (size > PAGE_SIZE) return nullptr;
  if (ps->frag_page && ps->frag_offset + size > PAGE_SIZE) DrainFrag(ps);
  if (!ps->frag_page) {
    struct page* page = mock::GetPage(ps, gfp);
    if (!page) return nullptr;
    page->pp_ref_count.counter = mock::kBiasMax;  // plain store, no atomic
    ps->frag_page = page;
    ps->frag_offset = 0;
    ps->frag_users = 0;
  } else {
    ps->stats.alloc_stats.fast++;
  }
  *offset = ps->frag_offset;
  ps->frag_offset += size;
  ps->frag_users++;
  return ps->frag_page;
}

struct page* page_pool_alloc_pages(struct page_pool* pool, gfp_t gfp) {
  PoolState* ps = mock::Of(pool);
  if (mock::ShouldFail(mock::Fault::kPagePoolAlloc)) return nullptr;
  struct page* page = mock::GetPage(ps, gfp);
  if (page) page->pp_ref_count.counter = 1;
  return page;
}

void page_pool_put_page(struct page_pool* pool, struct page* page,
                        unsigned int dma_sync_size, bool allow_direct) {
  (void)allow_direct;
  if (!page_pool_page_is_pp(page) || page->pp != pool) {
    mock::Violation("page_pool_put_page of a page this pool does not own");
    return;
  }
  if (mock::Unref(page, 1)) mock::Recycle(mock::Of(pool), page, int(dma_sync_size));
}

void page_pool_put_unrefed_page(struct page_pool* pool, struct page* page,
                                unsigned int dma_sync_size, bool allow_direct) {
  (void)allow_direct;
  mock::Recycle(mock::Of(pool), page, int(dma_sync_size));
}

// The kernel's names, in its order (net/core/page_pool.c)
static const char* const kPpStatNames[] = {
    "rx_pp_alloc_fast",        "rx_pp_alloc_slow",       "rx_pp_alloc_slow_ho",
    "rx_pp_alloc_empty",       "rx_pp_alloc_refill",     "rx_pp_alloc_waive",
    "rx_pp_recycle_cached",    "rx_pp_recycle_cache_full", "rx_pp_recycle_ring",
    "rx_pp_recycle_ring_full", "rx_pp_recycle_released_ref",
};
static_assert(sizeof(page_pool_stats) == sizeof(kPpStatNames) / sizeof(kPpStatNames[0]) * 8,
              "one name per counter");

bool page_pool_get_stats(const struct page_pool* pool, struct page_pool_stats* stats) {
  if (!stats) return false;
  const page_pool_stats& s = pool->mock->stats;
  const u64* from = &s.alloc_stats.fast;
  u64* to = &stats->alloc_stats.fast;
  for (size_t i = 0; i < sizeof(s) / 8; i++) to[i] += from[i];
  return true;
}

int page_pool_ethtool_stats_get_count(void) {
  return int(sizeof(kPpStatNames) / sizeof(kPpStatNames[0]));
}

u8* page_pool_ethtool_stats_get_strings(u8* data) {
  for (const char* name : kPpStatNames) {
    memset(data, 0, ETH_GSTRING_LEN);
    strncpy(reinterpret_cast<char*>(data), name, ETH_GSTRING_LEN - 1);
    data += ETH_GSTRING_LEN;
  }
  return data;
}

u64* page_pool_ethtool_stats_get(u64* data, const void* stats) {
  const u64* from = &static_cast<const page_pool_stats*>(stats)->alloc_stats.fast;
  for (size_t i = 0; i < sizeof(page_pool_stats) / 8; i++) *data++ = from[i];
  return data;
}

}  // extern "C"
