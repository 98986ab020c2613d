// SPDX-License-Identifier: GPL-2.0-only
// Shared by the end-to-end and fault-injection suites: a fixture that
// brings the whole VF up with two queues and loopback, and the frames
// (testlib/frame.h) it sends and receives.
#pragma once
#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "testlib/frame.h"
#include "tests/vf_fixture.h"

extern "C" {
extern void* mock_param_queues;
extern void* mock_param_rbdr_len;
extern void* mock_param_cq_len;
extern void* mock_param_sq_len;
extern const char* mock_param_desc_queues;
extern const char* mock_param_desc_rbdr_len;
extern const char* mock_param_desc_cq_len;
extern const char* mock_param_desc_sq_len;
}

namespace nicvf_test {

using testlib::Bytes;
using testlib::ChecksumsHold;
using testlib::FrameBytes;
using testlib::FrameSpec;
using testlib::kOurMac;
using testlib::MakeFrame;

// A module parameter; mock::Reset() (in Start()) sets each back to its
// default, so a test sets them after Start() and before Load().
inline unsigned& Param(void* p) { return *static_cast<unsigned*>(p); }

// --- Fixture -----------------------------------------------------------------

// Two queues, small rings, link up, the device looping sends back
class E2eFixture : public VfFixture {
 protected:
  void SetUpVf(mock::IommuMode mode, const Chip& chip = kCn88xxPass2) {
    Start(mode, chip);
    Param(mock_param_queues) = 2;
    Param(mock_param_rbdr_len) = NICVF_RBDR_LEN_MIN;
    Param(mock_param_cq_len) = NICVF_CQ_LEN_DEFAULT;
    Param(mock_param_sq_len) = NICVF_SQ_LEN_MIN;
    pf_->link_up = true;
    pf_->speed = 10000;
    pf_->duplex = 1;
    vnic_->loopback = true;
    Load();
    ASSERT_TRUE(mock::PciBound());
    nd_ = mock::Netdev();
    ASSERT_NE(nullptr, nd_);
    nic_ = Nic();
  }

  // ip link set up, and the first link poll
  void Open() {
    ASSERT_EQ(0, mock::DevOpen(nd_));
    mock::RunWork();
    ASSERT_TRUE(netif_carrier_ok(nd_));
  }

  // Send one frame on queue q: head of headlen bytes, the rest in frags
  void Send(const Bytes& frame, uint16_t q, size_t headlen = 256,
            size_t fraglen = 1024, bool partial = false) {
    sk_buff* skb = mock::TxSkb(frame, headlen, fraglen, q);
    ASSERT_NE(nullptr, skb);
    if (partial) {
      skb->ip_summed = CHECKSUM_PARTIAL;
      skb->csum_start = skb->transport_header;
      uint8_t proto = frame[12] == 0x86 ? frame[20] : frame[23];
      skb->csum_offset = proto == 6 ? 16 : 6;
    }
    ASSERT_EQ(NETDEV_TX_OK, mock::Xmit(nd_, skb));
  }

  // The softirq, the device's timers and the workqueue until nothing is
  // left to do
  void Settle() {
    mock::RunNapi();
    for (int i = 0; i < 100 && (mock::SoftirqPending() || mock::RunWork()); i++)
      mock::RunNapi();
  }

  // Traffic still flows: one minimal frame sent on queue q comes back
  // through the loopback and is delivered, then freed
  void ExpectOneFrameThrough(uint16_t q) {
    Send(MakeFrame({}), q);
    Settle();
    EXPECT_EQ(1u, mock::Delivered().size());
    FreeDelivered();
  }

  // n UDP (or TCP) flows, one frame each, between the same addresses and
  // told apart by source port only, each given to `in` (the wire, which
  // the PF's steering sends to a queue); the frames each of the
  // interface's receive queues delivered
  std::map<int, int> Flows(int n, const std::function<void(const Bytes&)>& in,
                           uint8_t proto = 17, uint16_t dport = 2000) {
    for (int i = 0; i < n; i++) {
      FrameSpec s;
      s.proto = proto;
      s.sport = uint16_t(10000 + i);
      s.dport = dport;
      in(MakeFrame(s));
    }
    Settle();
    std::map<int, int> per_queue;
    for (sk_buff* skb : mock::Delivered()) per_queue[skb_get_rx_queue(skb)]++;
    FreeDelivered();
    return per_queue;
  }

  // All the frames of a Flows() result
  static int Frames(const std::map<int, int>& per_queue) {
    int n = 0;
    for (const auto& [q, c] : per_queue) n += c;
    return n;
  }

  std::vector<Bytes> Received() {
    std::vector<Bytes> out;
    for (sk_buff* skb : mock::Delivered()) out.push_back(FrameBytes(skb));
    return out;
  }

  uint64_t Stat(const std::string& name) { return mock::EthtoolStat(nd_, name); }

  // A device that keeps working while the driver reconfigures it: after
  // every stride-th register write the driver makes, until `quota` frames
  // have arrived, a frame arrives on each queue and each send queue sends
  // one more packet, for as long as the queues are enabled.
  void KeepBusy(int stride = 1, uint32_t quota = UINT32_MAX) {
    busy_writes_ = 0;
    busy_arrived_ = 0;
    vnic_->after_write = [this, stride, quota](uint64_t) {
      if (++busy_writes_ % stride || busy_arrived_ >= quota) return;
      for (int q = 0; q < 2; q++) {
        FrameSpec s;
        s.seed = 1000000 + busy_frames_++;
        busy_arrived_ += vnic_->Receive(q, MakeFrame(s)).posted;
        vnic_->ProcessSq(q, 1);
      }
    };
  }

  // The device idle again; returns the frames that arrived meanwhile.
  uint32_t StopBusy() {
    vnic_->after_write = nullptr;
    return busy_arrived_;
  }

  int busy_writes_ = 0;
  uint32_t busy_arrived_ = 0, busy_frames_ = 0;

  net_device* nd_ = nullptr;
  struct nicvf* nic_ = nullptr;
};

// The same, once in each IOMMU mode (instantiated with ModeName)
class E2eModesFixture : public E2eFixture,
                        public ::testing::WithParamInterface<mock::IommuMode> {
 protected:
  void SetUp() override { SetUpVf(GetParam()); }
};

}  // namespace nicvf_test
