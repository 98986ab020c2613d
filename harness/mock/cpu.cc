// SPDX-License-Identifier: GPL-2.0-only
// The CPUs: how many are online (2 after each Reset(); a test may set
// others before the driver loads) and their masks, one CPU each.
#include "internal.h"

#include <linux/cpumask.h>

namespace mock {
namespace {

struct Cpus {
  unsigned int online = 2;
};

Owned<Cpus> cpus("cpu");

}  // namespace

void SetOnlineCpus(unsigned int n) { cpus->online = n; }

}  // namespace mock

namespace {

const struct cpumask* Cpu(int cpu) {
  static struct cpumask masks[64];
  if (cpu < 0 || cpu >= 64) return nullptr;
  masks[cpu].cpu = cpu;
  return &masks[cpu];
}

}  // namespace

extern "C" {

const struct cpumask* cpumask_of(int cpu) { return Cpu(cpu); }

unsigned int num_online_cpus(void) { return mock::cpus->online; }

unsigned int cpumask_local_spread(unsigned int i, int node) {
  (void)node;
  return i % num_online_cpus();
}

}  // extern "C"
