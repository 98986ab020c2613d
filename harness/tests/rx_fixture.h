// SPDX-License-Identifier: GPL-2.0-only
// Test fixture: a fresh simulated machine per test, the driver's RBDR and
// CQs brought up against the simulated VNIC, and a teardown that frees
// everything and then requires that nothing is left anywhere.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "mock/mock.h"
#include "model/vnic.h"

extern "C" {
#include <linux/etherdevice.h>
#include <net/page_pool/helpers.h>

#include "nicvf_queues.h"
}

namespace nicvf_test {

using mock::IommuMode;

inline const unsigned char kMac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};

struct RxConfig {
  bool cqe_rx2 = true;
  uint32_t buf_len = NICVF_RX_BUF_LEN_DEFAULT;
  uint32_t ring_len = NICVF_RBDR_LEN_MIN;
  uint32_t cq_len = NICVF_CQ_LEN_MIN;
  int cqs = 1;
};

class RxFixture : public ::testing::Test {
 protected:
  void Start(IommuMode mode, const RxConfig& cfg = {}) {
    mode_ = mode;
    cfg_ = cfg;
    mock::Reset(mode);
    vnic_ = std::make_unique<model::Vnic>(cfg.cqe_rx2);
    vnic_->parse_rx = false;  // frames here are patterns, not packets
    netdev_.dev_addr = kMac;
    napi_.dev = &netdev_;
    ASSERT_EQ(0, nicvf_rbdr_init(&rbdr_, mock::Dev(), vnic_->bar0(), 0,
                                 cfg.ring_len, cfg.buf_len));
    rbdr_ready_ = true;
    for (int q = 0; q < cfg.cqs; q++) {
      ASSERT_EQ(0, nicvf_cq_init(&cq_[q], mock::Dev(), vnic_->bar0(), q,
                                 cfg.cq_len, &rbdr_, &netdev_, cfg.cqe_rx2));
      cqs_ready_ = q + 1;
      nicvf_cq_enable(&cq_[q]);
    }
    nicvf_rbdr_enable(&rbdr_);
  }

  void TearDown() override {
    FreeDelivered();
    for (int q = 0; q < cqs_ready_; q++) nicvf_cq_free(&cq_[q]);
    if (rbdr_ready_) {
      nicvf_rbdr_free(&rbdr_);
      EXPECT_EQ(expected_unresolved_, atomic_long_read(&rbdr_.rx_unresolved));
    }
    vnic_.reset();
    EXPECT_THAT(mock::Outstanding(), ::testing::IsEmpty());
    EXPECT_THAT(mock::Violations(), ::testing::IsEmpty());
    EXPECT_EQ(expected_faults_, mock::Count().iommu_faults);
  }

  // Poll CQ q until it is empty; returns what NAPI received, in order.
  std::vector<sk_buff*> Poll(int q = 0, int budget = NAPI_POLL_WEIGHT) {
    while (nicvf_cq_poll(&cq_[q], &napi_, budget) == budget) {
    }
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

  // An Ethernet frame to our MAC with a pattern derived from seed.
  static std::vector<uint8_t> Frame(size_t len, uint32_t seed) {
    std::vector<uint8_t> f(len);
    uint32_t x = seed * 2654435761u + 12345;
    for (size_t i = 0; i < len; i++) {
      x = x * 1103515245u + 12345;
      f[i] = uint8_t(x >> 16);
    }
    memcpy(f.data(), kMac, 6);
    f[12] = 0x08;
    f[13] = 0x00;
    return f;
  }

  // The frame an sk_buff carries: Ethernet header, head, then fragments.
  static std::vector<uint8_t> Bytes(const sk_buff* skb) {
    std::vector<uint8_t> out(skb_mac_header(skb), skb->data + skb_headlen(skb));
    const skb_shared_info* sh = skb_shinfo(skb);
    for (int i = 0; i < sh->nr_frags; i++) {
      auto* p = static_cast<const uint8_t*>(page_address(sh->frags[i].page)) +
                sh->frags[i].offset;
      out.insert(out.end(), p, p + sh->frags[i].len);
    }
    return out;
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
  RxConfig cfg_;
  std::unique_ptr<model::Vnic> vnic_;
  nicvf_rbdr rbdr_{};
  nicvf_cq cq_[model::Vnic::kQueues]{};
  net_device netdev_{};
  napi_struct napi_{};
  bool rbdr_ready_ = false;
  int cqs_ready_ = 0;
  uint64_t expected_faults_ = 0;
  long expected_unresolved_ = 0;  // buffers claimed that did not resolve
};

class RxTest : public RxFixture,
               public ::testing::WithParamInterface<IommuMode> {
 protected:
  void SetUp() override { Start(GetParam()); }
};

inline std::string ModeName(const ::testing::TestParamInfo<IommuMode>& info) {
  return mock::ToString(info.param);
}

}  // namespace nicvf_test
