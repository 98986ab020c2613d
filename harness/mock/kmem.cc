// SPDX-License-Identifier: GPL-2.0-only
// kmalloc and kvmalloc, each block tracked until it is freed by the call
// that matches its allocator.
#include <cstdlib>
#include <unordered_map>

#include "internal.h"

extern "C" {
#include <linux/slab.h>
}

namespace mock {
namespace {

struct Block {
  size_t size;
  bool kv;  // from the kvmalloc family: only kvfree() may free it
};

struct Kmem {
  std::unordered_map<const void*, Block> blocks;
};

void Report(const Kmem& k, Leaks& out) {
  size_t kv = 0;
  for (const auto& b : k.blocks) kv += b.second.kv;
  out.Add("kmalloc blocks", k.blocks.size() - kv);
  out.Add("kvmalloc blocks", kv);
}

Owned<Kmem> kmem("kmem", kOrderKmem, Report);

void* Alloc(size_t size, bool zero, bool kv) {
  void* p = zero ? calloc(1, size ? size : 1) : malloc(size ? size : 1);
  if (p) {
    kmem->blocks[p] = {size, kv};
    Count().kmalloc++;
  }
  return p;
}

void Free(const void* p, bool kv) {
  if (!p) return;
  auto& blocks = kmem->blocks;
  auto it = blocks.find(p);
  if (it == blocks.end()) {
    Violation(kv ? "kvfree of a pointer kmalloc/kvmalloc did not return"
                 : "kfree of a pointer kmalloc did not return");
    return;
  }
  // kvmalloc may have used vmalloc, which kfree cannot free
  if (it->second.kv && !kv) Violation("kfree of memory from kvmalloc: use kvfree");
  blocks.erase(it);
  free(const_cast<void*>(p));
}

}  // namespace
}  // namespace mock

extern "C" {

void* kmalloc(size_t size, gfp_t flags) {
  if (mock::ShouldFail(mock::Fault::kKmalloc)) return nullptr;
  return mock::Alloc(size, flags & __GFP_ZERO, false);
}

void* kvmalloc(size_t size, gfp_t flags) {
  if (mock::ShouldFail(mock::Fault::kKvmalloc)) return nullptr;
  return mock::Alloc(size, flags & __GFP_ZERO, true);
}

void kfree(const void* p) { mock::Free(p, false); }
void kvfree(const void* p) { mock::Free(p, true); }

}  // extern "C"
