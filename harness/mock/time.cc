// SPDX-License-Identifier: GPL-2.0-only
// Simulated time: jiffies, and the microseconds that delays spend. Time
// moves only when something waits (udelay, a completion that times out,
// mock::RunWork()), never by itself.
#include "internal.h"

extern "C" {
#include <linux/delay.h>
}

unsigned long jiffies;
unsigned long long mock_usecs;

namespace {

// Microseconds slept and not yet a whole jiffy
unsigned long long carried;

// Not zero, and near a wrap-around of 32 bits, to catch naive arithmetic
void Start(const mock::Machine&) {
  jiffies = 0xfffff000ul;
  mock_usecs = 0;
  carried = 0;
}

const mock::Registration time_room({"time", mock::kOrderNoLeaks, Start, {}});

}  // namespace

extern "C" {

// Simulated sleep: microseconds, carried into jiffies
void udelay(unsigned long us) {
  mock_usecs += us;
  carried += us;
  while (carried >= 1000000 / HZ) {
    carried -= 1000000 / HZ;
    jiffies++;
  }
}

}  // extern "C"
