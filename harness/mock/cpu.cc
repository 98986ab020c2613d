// SPDX-License-Identifier: GPL-2.0-only
// The CPUs: how many are online (2 after each Reset(); a test may set
// more before the driver loads) and their masks, one CPU each.
#include "internal.h"

#include <linux/cpumask.h>

int mock_online_cpus;

namespace {

const mock::Registration cpu_room({"cpu", mock::kOrderNoLeaks,
                                   [](const mock::Machine&) { mock_online_cpus = 2; },
                                   {}});

const struct cpumask* Cpu(int cpu) {
  static struct cpumask masks[64];
  if (cpu < 0 || cpu >= 64) return nullptr;
  masks[cpu].cpu = cpu;
  return &masks[cpu];
}

}  // namespace

extern "C" {

const struct cpumask* cpumask_of(int cpu) { return Cpu(cpu); }

unsigned int cpumask_local_spread(unsigned int i, int node) {
  (void)node;
  return i % unsigned(mock_online_cpus);
}

}  // extern "C"
