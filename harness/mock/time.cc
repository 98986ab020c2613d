// SPDX-License-Identifier: GPL-2.0-only
// Simulated time: jiffies, and the microseconds that delays spend. Time
// moves only when something waits (udelay, a completion that times out,
// mock::RunWork()), never by itself.
#include "internal.h"

unsigned long mock_jiffies;
unsigned long long mock_usecs;

namespace {

// Microseconds slept and not yet a whole jiffy
unsigned long long carried;

const mock::Registration time_room({"time", mock::kOrderNoLeaks,
                                    [](const mock::Machine&) {
                                      // Not zero, and near a wrap-around
                                      // of 32 bits, to catch naive
                                      // arithmetic
                                      mock_jiffies = 0xfffff000ul;
                                      mock_usecs = 0;
                                      carried = 0;
                                    },
                                    {}});

}  // namespace

extern "C" {

// Simulated sleep: microseconds, carried into jiffies
void mock_udelay(unsigned long us) {
  mock_usecs += us;
  carried += us;
  while (carried >= 1000000 / HZ) {
    carried -= 1000000 / HZ;
    mock_jiffies++;
  }
}

}  // extern "C"
