// SPDX-License-Identifier: GPL-2.0-only
// MMIO: each readq/writeq goes to the handler of the region that claims
// its address (the device model's BAR); one no region claims is a
// violation.
#include <map>

#include "internal.h"

namespace mock {
namespace {

struct Region {
  size_t len;
  MmioHandler* handler;
};

struct Mmio {
  std::map<uintptr_t, Region> regions;  // by base address
};

void Report(const Mmio& m, Leaks& out) { out.Add("MMIO regions", m.regions.size()); }

Owned<Mmio> mmio("mmio", kOrderMmio, Report);

// The region containing addr, and the offset of addr in it
const Region* Claim(const volatile void* addr, uint64_t* offset) {
  auto a = reinterpret_cast<uintptr_t>(addr);
  auto& regions = mmio->regions;
  auto it = regions.upper_bound(a);
  if (it == regions.begin()) return nullptr;
  --it;
  if (a - it->first >= it->second.len) return nullptr;
  *offset = a - it->first;
  return &it->second;
}

}  // namespace

void MapMmio(void* base, size_t len, MmioHandler* handler) {
  mmio->regions[reinterpret_cast<uintptr_t>(base)] = {len, handler};
}

void UnmapMmio(void* base) {
  mmio->regions.erase(reinterpret_cast<uintptr_t>(base));
}

}  // namespace mock

extern "C" {

u64 readq(const volatile void __iomem* addr) {
  uint64_t off;
  if (const mock::Region* r = mock::Claim(addr, &off)) return r->handler->Read64(off);
  mock::Violation("readq from an address no device claimed");
  return ~0ull;
}

void writeq(u64 val, volatile void __iomem* addr) {
  uint64_t off;
  if (const mock::Region* r = mock::Claim(addr, &off)) {
    r->handler->Write64(off, val);
    return;
  }
  mock::Violation("writeq to an address no device claimed");
}

}  // extern "C"
