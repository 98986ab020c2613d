// SPDX-License-Identifier: GPL-2.0-only
// Test fixture: a fresh simulated machine per test, the driver's RBDR and
// CQs brought up against the simulated VNIC (testlib's RxRig), and a
// teardown that frees them and checks what the receive path accounts for;
// the harness's main then requires that nothing is left anywhere.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mock/mock.h"
#include "tests/modes.h"
#include "model/vnic.h"
#include "testlib/frame.h"
#include "testlib/rig.h"

extern "C" {
#include <linux/etherdevice.h>
#include <net/page_pool/helpers.h>

#include "nicvf_queues.h"
}

namespace nicvf_test {

using mock::IommuMode;
using testlib::FrameBytes;
using testlib::PatternFrame;
using testlib::RxConfig;

class RxFixture : public ::testing::Test, protected testlib::RxRig {
 protected:
  void Start(IommuMode mode, const RxConfig& cfg = {}) {
    mode_ = mode;
    NewMachine(mode, cfg.cqe_rx2);
    ASSERT_EQ(0, Up(cfg));
  }

  void TearDown() override {
    FreeDelivered();
    const bool rbdr_was_up = rbdr_up();
    Down();
    if (rbdr_was_up) {
      EXPECT_EQ(expected_unresolved_, atomic_long_read(&rbdr_.rx_unresolved));
    }
    EXPECT_EQ(expected_faults_, mock::Count().iommu_faults);
  }

  // Poll CQ q until it is empty; returns what NAPI received, in order.
  std::vector<sk_buff*> Poll(int q = 0, int budget = NAPI_POLL_WEIGHT) {
    Drain(q, budget);
    std::vector<sk_buff*> out;
    out.swap(mock::Delivered());
    return out;
  }

  void FreeDelivered() { mock::FreeDelivered(); }

  static void Free(std::vector<sk_buff*>* skbs) {
    for (sk_buff* skb : *skbs) kfree_skb(skb);
    skbs->clear();
  }

  nicvf_qstats Stats(int q = 0) {
    nicvf_qstats s{};
    nicvf_cq_stats(&cq_[q], &s);
    return s;
  }

  uint64_t Drops(int reason, int q = 0) { return Stats(q).rx_drops[reason]; }

  uint64_t TotalDrops(int q = 0) {
    uint64_t n = 0;
    nicvf_qstats s = Stats(q);
    for (uint64_t d : s.rx_drops) n += d;
    return n;
  }

  // Refill and check the ring is back to full.
  void Refill() {
    ASSERT_EQ(0, nicvf_rbdr_refill(&rbdr_));
    ASSERT_EQ(rbdr_.ring_len - 1, vnic_->RbdrCount(0));
  }

  // What build_skb() charges for a head buffer of one stride.
  unsigned HeadTruesize() const {
    return SKB_TRUESIZE(rbdr_.stride - SKB_DATA_ALIGN(sizeof(struct skb_shared_info)));
  }

  bool translating() const { return mock::IsTranslating(mode_); }

  IommuMode mode_ = IommuMode::kNone;
  uint64_t expected_faults_ = 0;
  long expected_unresolved_ = 0;  // buffers claimed that did not resolve
};

class RxTest : public RxFixture,
               public ::testing::WithParamInterface<IommuMode> {
 protected:
  void SetUp() override { Start(GetParam()); }
};

}  // namespace nicvf_test
