// SPDX-License-Identifier: GPL-2.0-only
// Fault injection: each mocked call site the driver depends on asks
// ShouldFail() with its kind, and the plan set for that kind decides, by
// call count (every Nth after the first `after`) or by a seeded generator,
// so that a failing run replays exactly.
#include "internal.h"

namespace mock {
namespace {

// splitmix64: small, fast and good enough to spread failures
uint64_t Next(uint64_t* x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

struct Plan {
  bool active = false;
  FaultPlan plan;
  uint64_t calls = 0, failed = 0, injected = 0;
  uint64_t rng = 0;
};

struct Faults {
  Plan plans[size_t(Fault::kCount)];
  int paused = 0;
};

Owned<Faults> faults("fault");

Plan& Of(Fault kind) { return faults->plans[size_t(kind)]; }

}  // namespace

const char* ToString(Fault kind) {
  switch (kind) {
    case Fault::kPageAlloc: return "PageAlloc";
    case Fault::kPagePoolAlloc: return "PagePoolAlloc";
    case Fault::kDmaMap: return "DmaMap";
    case Fault::kIovaToPhys: return "IovaToPhys";
    case Fault::kSkbAlloc: return "SkbAlloc";
    case Fault::kMailbox: return "Mailbox";
    case Fault::kKmalloc: return "Kmalloc";
    case Fault::kKvmalloc: return "Kvmalloc";
    case Fault::kDmaAllocCoherent: return "DmaAllocCoherent";
    case Fault::kPagePoolCreate: return "PagePoolCreate";
    case Fault::kCount: break;
  }
  return "?";
}

std::vector<Fault> AllFaults() {
  std::vector<Fault> all;
  for (size_t i = 0; i < size_t(Fault::kCount); i++)
    all.push_back(Fault(i));
  return all;
}

void InjectFaults(Fault kind, const FaultPlan& plan) {
  Plan& f = Of(kind);
  if (!plan.every && !plan.percent)
    Violation(std::string("fault plan for ") + ToString(kind) +
              " fails nothing: give every or percent");
  f.active = true;
  f.plan = plan;
  f.calls = 0;
  f.failed = 0;
  f.rng = plan.seed;
}

void StopFaults(Fault kind) { Of(kind).active = false; }

void StopAllFaults() {
  for (Fault kind : AllFaults()) StopFaults(kind);
}

bool ShouldFail(Fault kind) {
  Plan& f = Of(kind);
  if (!f.active || faults->paused) return false;
  uint64_t call = ++f.calls;
  const FaultPlan& p = f.plan;
  if (call <= p.after) return false;
  if (p.limit >= 0 && f.failed >= uint64_t(p.limit)) return false;
  bool fail = p.every ? (call - p.after) % p.every == 0
                      : Next(&f.rng) % 100 < p.percent;
  if (fail) {
    f.failed++;
    f.injected++;
  }
  return fail;
}

uint64_t FaultCalls(Fault kind) { return Of(kind).calls; }
uint64_t FaultsInjected(Fault kind) { return Of(kind).injected; }

FaultPause::FaultPause() { faults->paused++; }
FaultPause::~FaultPause() { faults->paused--; }

void FailPageAllocs(int n) {
  if (n <= 0) return StopFaults(Fault::kPageAlloc);
  InjectFaults(Fault::kPageAlloc, {.every = 1, .limit = n});
}

void FailDmaMaps(int n, int after) {
  if (n <= 0) return StopFaults(Fault::kDmaMap);
  InjectFaults(Fault::kDmaMap,
               {.after = uint64_t(after), .every = 1, .limit = n});
}

}  // namespace mock
