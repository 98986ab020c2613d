// SPDX-License-Identifier: GPL-2.0-only
// The receive side of the queue set, brought up and down through the PF
// mailbox and the VNIC's registers in the hardware's order, in every IOMMU
// mode: what the PF is told, what the registers see, traffic through the
// queues, and nothing left behind (a ring the hardware will not release
// keeps its buffers until a retry succeeds).
#include <string>
#include <vector>

#include "testlib/frame.h"
#include "tests/vf_fixture.h"

namespace nicvf_test {
namespace {

using model::Pf;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

class QsetTest : public VfFixture,
                 public ::testing::WithParamInterface<mock::IommuMode> {
 protected:
  void SetUp() override {
    Start(GetParam(), {"CN81xx", 0xa034, 0xa234, 0, true});
    pf_->vf_id = 5;
    Load();
    ASSERT_TRUE(mock::PciBound());
    nic_ = Nic();
    nic_->rbdr_len = NICVF_RBDR_LEN_MIN;
    nic_->cq_len = NICVF_CQ_LEN_MIN;
    napi_.dev = nic_->netdev;
    vnic_->cfg_writes.clear();
    pf_->received.clear();
  }

  // The configuration writes and messages as short strings
  std::vector<std::string> Events() {
    std::vector<std::string> ev;
    for (const auto& w : vnic_->cfg_writes) {
      std::string q = std::to_string(w.q);
      switch (w.reg) {
        case NIC_VF_PF_MAILBOX_0_1 + 8:
          ev.push_back(std::string("mbx ") + nicvf_mbx_name(uint8_t(w.val)));
          break;
        case NIC_QSET_RBDR_0_1_CFG:
          ev.push_back("rbdr" + q + (w.val & NIC_RBDR_CFG_ENA ? " ena"
                                     : w.val & NIC_RBDR_CFG_RESET ? " reset"
                                                                  : " off"));
          break;
        case NIC_QSET_CQ_0_7_CFG:
          ev.push_back("cq" + q + (w.val & NIC_CQ_CFG_ENA ? " ena"
                                   : w.val & NIC_CQ_CFG_RESET ? " reset"
                                                              : " off"));
          break;
        case NIC_QSET_CQ_0_7_CFG2:
          ev.push_back("cq" + q + " timer " + std::to_string(w.val));
          break;
        case NIC_QSET_RQ_0_7_CFG:
          ev.push_back("rq" + q + (w.val & NIC_RQ_CFG_ENA ? " ena" : " off"));
          break;
        case NIC_QSET_RQ_GEN_CFG:
          ev.push_back("rq gen");
          break;
        case NIC_QSET_SQ_0_7_CFG:
          ev.push_back("sq" + q + (w.val & NIC_SQ_CFG_ENA ? " ena"
                                   : w.val & NIC_SQ_CFG_RESET ? " reset"
                                                              : " off"));
          break;
      }
    }
    return ev;
  }

  const Pf::Msg* Find(uint8_t type, int q) {
    for (const Pf::Msg& m : pf_->received)
      if (m[0] == type && m[2] == q) return &m;
    return nullptr;
  }

  struct nicvf* nic_ = nullptr;
  napi_struct napi_{};
};

TEST_P(QsetTest, UpGoesQueueSetRbdrCqsReceiveThenSendQueues) {
  ASSERT_EQ(0, nicvf_qs_up(nic_, 2, 2));
  EXPECT_EQ(2, nic_->queues);
  std::vector<std::string> ev = Events();
  // First every queue an earlier owner may have left running, ours or not
  ASSERT_GT(ev.size(), 1u + 4 * NICVF_MAX_QUEUES);
  EXPECT_EQ("mbx QS_CFG", ev[0]);
  for (int q = 0; q < NICVF_MAX_QUEUES; q++) {
    std::string n = std::to_string(q);
    EXPECT_THAT(std::vector<std::string>(ev.begin() + 1 + 4 * q,
                                         ev.begin() + 5 + 4 * q),
                ElementsAre("rq" + n + " off", "sq" + n + " reset",
                            "cq" + n + " timer 0", "cq" + n + " reset"));
  }
  ev.erase(ev.begin() + 1, ev.begin() + 1 + 4 * NICVF_MAX_QUEUES);
  // ... so the CQs and SQs were reset there, the SQs before the PF is
  // told of them, as in-tree; the RBDR is reclaimed before it is used
  EXPECT_THAT(ev,
              ElementsAre("mbx QS_CFG",
                          "rbdr0 off", "rbdr0 reset", "rbdr0 off", "rbdr0 ena",
                          "cq0 ena", "cq0 timer 80",
                          "cq1 ena", "cq1 timer 80", "rq0 off",
                          "mbx RQ_CFG", "mbx RQ_BP_CFG", "mbx RQ_DROP_CFG",
                          "rq gen", "rq0 ena", "rq1 off", "mbx RQ_CFG",
                          "mbx RQ_BP_CFG", "mbx RQ_DROP_CFG", "rq1 ena",
                          "mbx SQ_CFG", "sq0 ena", "mbx SQ_CFG", "sq1 ena"));
  // SQ 1: completions to CQ 1 of our queue set
  const Pf::Msg* sq = Find(Pf::kSqCfg, 1);
  ASSERT_NE(nullptr, sq);
  EXPECT_EQ(5, (*sq)[1]);
  EXPECT_EQ(0, (*sq)[3]);  // not a secondary queue set
  EXPECT_EQ((5u << 3) | 1u, Pf::Le(*sq, 8, 8));
  EXPECT_TRUE(vnic_->SqEnabled(1));
  // QS_CFG: enabled, for our VNIC
  uint64_t qs = Pf::Le(pf_->received[0], 8, 8);
  EXPECT_EQ(1u, (qs >> 31) & 1);
  EXPECT_EQ(5u, qs & 0x7f);
  EXPECT_EQ(5, pf_->received[0][1]);
  // RQ 1: completions to CQ 1 of our queue set, buffers from our RBDR 0
  const Pf::Msg* rq = Find(Pf::kRqCfg, 1);
  ASSERT_NE(nullptr, rq);
  uint64_t c = Pf::Le(*rq, 8, 8);
  EXPECT_EQ(5, (*rq)[1]);
  EXPECT_EQ(1u, (c >> 26) & 1);     // caching
  EXPECT_EQ(5u, (c >> 19) & 0x7f);  // CQ's queue set
  EXPECT_EQ(1u, (c >> 16) & 7);     // CQ index
  EXPECT_EQ(5u, (c >> 9) & 0x7f);   // continue RBDR's queue set
  EXPECT_EQ(0u, (c >> 8) & 1);      // continue RBDR index
  EXPECT_EQ(5u, (c >> 1) & 0x7f);   // start RBDR's queue set
  EXPECT_EQ(0u, c & 1);             // start RBDR index
  const Pf::Msg* bp = Find(Pf::kRqBpCfg, 1);
  ASSERT_NE(nullptr, bp);
  c = Pf::Le(*bp, 8, 8);
  EXPECT_EQ(3u, c >> 62);           // RBDR and CQ backpressure on
  EXPECT_EQ(8u, (c >> 16) & 0xff);  // RBDR pass level
  EXPECT_EQ(224u, (c >> 8) & 0xff); // CQ pass level
  EXPECT_EQ(5u, c & 0xff);          // backpressure id
  const Pf::Msg* drop = Find(Pf::kRqDropCfg, 1);
  ASSERT_NE(nullptr, drop);
  c = Pf::Le(*drop, 8, 8);
  EXPECT_EQ(3u, c >> 62);
  EXPECT_EQ(8u, (c >> 40) & 0xff);
  EXPECT_EQ(0u, (c >> 32) & 0xff);
  EXPECT_EQ(224u, (c >> 16) & 0xff);
  EXPECT_EQ(216u, (c >> 8) & 0xff);
}

TEST_P(QsetTest, TrafficFlowsThroughTheQueuesItBroughtUp) {
  ASSERT_EQ(0, nicvf_qs_up(nic_, 2, 2));
  // Broadcast, and of no protocol the model's parser takes apart
  testlib::Bytes f = testlib::PatternFrame(300, 7, testlib::kBroadcastMac,
                                           testlib::kEthLocal);
  ASSERT_TRUE(vnic_->Receive(1, f).posted);
  EXPECT_EQ(1, nicvf_cq_poll(&nic_->cq[1], &napi_, 64));
  ASSERT_EQ(1u, mock::Delivered().size());
  sk_buff* skb = mock::Delivered()[0];
  EXPECT_THAT(testlib::FrameBytes(skb), ElementsAreArray(f));
  EXPECT_EQ(1, skb_get_rx_queue(skb));
}

TEST_P(QsetTest, DownStopsSendThenReceiveQueuesAndFreesEverything) {
  ASSERT_EQ(0, nicvf_qs_up(nic_, 2, 2));
  ASSERT_TRUE(vnic_->Receive(0, std::vector<uint8_t>(100, 0xff)).posted);
  vnic_->cfg_writes.clear();
  pf_->received.clear();
  ASSERT_EQ(0, nicvf_qs_down(nic_));
  EXPECT_THAT(Events(),
              ElementsAre("sq0 off", "sq0 reset", "sq1 off", "sq1 reset",
                          "rq0 off", "rq1 off", "mbx RQ_SW_SYNC", "rbdr0 off",
                          "rbdr0 reset", "rbdr0 off", "cq0 timer 0", "cq0 off",
                          "cq0 reset", "cq1 timer 0", "cq1 off", "cq1 reset",
                          "mbx QS_CFG"));
  EXPECT_EQ(0u, Pf::Le(pf_->received.back(), 8, 8));  // queue set disabled
  EXPECT_EQ(0, nic_->queues);
  EXPECT_EQ(0u, mock::PoolsAlive());
  // And up again, as the next open would
  ASSERT_EQ(0, nicvf_qs_up(nic_, 1, 1));
}

TEST_P(QsetTest, RbdrTheHardwareHoldsKeepsItsBuffersUntilARetry) {
  ASSERT_EQ(0, nicvf_qs_up(nic_, 1, 1));
  vnic_->rbdr_fifo_stuck = true;
  EXPECT_EQ(-EBUSY, nicvf_qs_down(nic_));
  EXPECT_TRUE(mock::Logged("queue set did not stop: keeping its buffers"));
  EXPECT_EQ(nic_->rbdr.ring_len - 1, nicvf_rbdr_posted_count(&nic_->rbdr));
  EXPECT_EQ(1u, mock::PoolsAlive());
  vnic_->rbdr_fifo_stuck = false;
  EXPECT_EQ(0, nicvf_qs_down(nic_));
  EXPECT_EQ(0u, mock::PoolsAlive());
}

TEST_P(QsetTest, SendQueueTheHardwareHoldsKeepsEverythingUntilARetry) {
  ASSERT_EQ(0, nicvf_qs_up(nic_, 2, 2));
  vnic_->sq_stuck = true;
  EXPECT_EQ(-EBUSY, nicvf_qs_down(nic_));
  EXPECT_TRUE(mock::Logged("SQ0 did not stop"));
  EXPECT_NE(nullptr, nic_->sq[1].desc);
  EXPECT_EQ(1u, mock::PoolsAlive());
  vnic_->sq_stuck = false;
  EXPECT_EQ(0, nicvf_qs_down(nic_));
  EXPECT_EQ(nullptr, nic_->sq[1].desc);
  EXPECT_EQ(0u, mock::PoolsAlive());
}

TEST_P(QsetTest, PfRefusingASendQueueUnwindsEverything) {
  pf_->nack = {Pf::kSqCfg};
  EXPECT_EQ(-EIO, nicvf_qs_up(nic_, 2, 2));
  EXPECT_EQ(0, nic_->queues);
  EXPECT_EQ(nullptr, nic_->sq[0].desc);
  EXPECT_EQ(0u, mock::PoolsAlive());
}

TEST_P(QsetTest, PfRefusingAReceiveQueueUnwindsEverything) {
  pf_->nack = {Pf::kRqDropCfg};
  EXPECT_EQ(-EIO, nicvf_qs_up(nic_, 2, 2));
  EXPECT_EQ(0, nic_->queues);
  EXPECT_EQ(0u, mock::PoolsAlive());
  EXPECT_EQ(Pf::kQsCfg, pf_->received.back()[0]);
  EXPECT_EQ(0u, Pf::Le(pf_->received.back(), 8, 8));
}

TEST_P(QsetTest, RemoveWithTheQueuesUpReleasesEverything) {
  ASSERT_EQ(0, nicvf_qs_up(nic_, NICVF_MAX_QUEUES, NICVF_MAX_QUEUES));
  for (int q = 0; q < NICVF_MAX_QUEUES; q++)
    ASSERT_TRUE(vnic_->Receive(q, std::vector<uint8_t>(64, 0xff)).posted);
  // TearDown unloads the module with all of it still up
}

TEST_P(QsetTest, QueueCountIsCheckedAndUpIsNotRepeated) {
  EXPECT_EQ(-EINVAL, nicvf_qs_up(nic_, 0, 0));
  EXPECT_EQ(-EINVAL, nicvf_qs_up(nic_, 1, 0));
  EXPECT_EQ(-EINVAL, nicvf_qs_up(nic_, 0, 1));
  EXPECT_EQ(-EINVAL, nicvf_qs_up(nic_, NICVF_MAX_QUEUES + 1, 1));
  EXPECT_EQ(-EINVAL, nicvf_qs_up(nic_, 1, NICVF_MAX_QUEUES + 1));
  EXPECT_TRUE(pf_->received.empty());
  ASSERT_EQ(0, nicvf_qs_up(nic_, 1, 1));
  size_t sent = pf_->received.size();
  EXPECT_EQ(-EBUSY, nicvf_qs_up(nic_, 1, 1));
  EXPECT_EQ(sent, pf_->received.size());
  // Down when nothing is up tells the PF nothing
  ASSERT_EQ(0, nicvf_qs_down(nic_));
  sent = pf_->received.size();
  ASSERT_EQ(0, nicvf_qs_down(nic_));
  EXPECT_EQ(sent, pf_->received.size());
}

INSTANTIATE_TEST_SUITE_P(AllModes, QsetTest,
                         ::testing::ValuesIn(mock::AllIommuModes()), ModeName);

}  // namespace
}  // namespace nicvf_test
