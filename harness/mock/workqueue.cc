// SPDX-License-Identifier: GPL-2.0-only
// The workqueue: work items wait here, each with the jiffy it is due at,
// until a test runs them (mock::RunWork()); cancelling a work item from
// itself, which deadlocks in the kernel, is a violation.
#include <algorithm>
#include <map>

#include "internal.h"

extern "C" {
#include <linux/workqueue.h>
}

namespace mock {
namespace {

struct Workqueue {
  std::map<work_struct*, unsigned long> works;  // queued -> due jiffies
  work_struct* running = nullptr;
};

void Report(const Workqueue& wq, Leaks& out) {
  out.Add("work items queued", wq.works.size());
}

Owned<Workqueue> wq("workqueue", kOrderWork, Report);

}  // namespace

int RunWork(unsigned long advance) {
  mock_jiffies += advance;
  int ran = 0;
  for (int guard = 0; guard < 100000; guard++) {
    auto& w = wq->works;
    auto it = std::find_if(w.begin(), w.end(), [](const auto& e) {
      return long(mock_jiffies - e.second) >= 0;
    });
    if (it == w.end()) return ran;
    work_struct* work = it->first;
    w.erase(it);
    wq->running = work;
    work->func(work);
    wq->running = nullptr;
    ran++;
  }
  Violation("work items keep queueing each other");
  return ran;
}

size_t WorkQueued() { return wq->works.size(); }

bool WorkIsQueued(const work_struct* work) {
  return wq->works.count(const_cast<work_struct*>(work)) != 0;
}

}  // namespace mock

extern "C" {

bool mock_queue_work(struct work_struct* work, unsigned long delay) {
  auto& w = mock::wq->works;
  if (w.count(work)) return false;
  w[work] = mock_jiffies + delay;
  return true;
}

bool mock_cancel_work_sync(struct work_struct* work) {
  if (mock::wq->running == work) mock::Violation("work item cancelled from itself");
  return mock::wq->works.erase(work) != 0;
}

}  // extern "C"
