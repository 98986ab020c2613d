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

bool Queue(work_struct* work, unsigned long delay) {
  auto& w = wq->works;
  if (w.count(work)) return false;
  w[work] = jiffies + delay;
  return true;
}

bool Cancel(work_struct* work) {
  if (wq->running == work) Violation("work item cancelled from itself");
  return wq->works.erase(work) != 0;
}

}  // namespace

int RunWork(unsigned long advance) {
  jiffies += advance;
  int ran = 0;
  for (int guard = 0; guard < 100000; guard++) {
    auto& w = wq->works;
    auto it = std::find_if(w.begin(), w.end(), [](const auto& e) {
      return long(jiffies - e.second) >= 0;
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

bool schedule_work(struct work_struct* work) { return mock::Queue(work, 0); }

bool schedule_delayed_work(struct delayed_work* dwork, unsigned long delay) {
  return mock::Queue(&dwork->work, delay);
}

bool cancel_work_sync(struct work_struct* work) { return mock::Cancel(work); }

bool cancel_delayed_work_sync(struct delayed_work* dwork) {
  return mock::Cancel(&dwork->work);
}

}  // extern "C"
