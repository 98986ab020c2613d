// SPDX-License-Identifier: GPL-2.0-only
// The VNIC's own counters (NIC_VNIC_RX_STAT/TX_STAT) end to end, in every
// IOMMU mode: zeroed through the PF at open, read into ethtool -S and
// stats64, and kept across close as our own counters are.
#include "model/vnic_regs.h"
#include "tests/e2e_fixture.h"

namespace nicvf_test {
namespace {

using model::Pf;

class HwStatsTest : public E2eModesFixture {
 protected:

  // A frame of `len` bytes to `dst` from the wire, delivered and freed
  void Arrive(const uint8_t* dst, size_t len) {
    FrameSpec s;
    s.len = len;
    s.seed = ++seed_;
    Bytes f = MakeFrame(s);
    std::copy(dst, dst + 6, f.begin());
    ASSERT_TRUE(vnic_->Receive(0, f).posted);
    Settle();
    FreeDelivered();
  }

  uint32_t seed_ = 0;
};

const uint8_t kBcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
const uint8_t kGroup[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x07};

TEST_P(HwStatsTest, ZeroedAtOpenCountedAndKeptAcrossClose) {
  // An earlier driver's counts are still in the VNIC
  vnic_->PfWriteStat(VNIC_REG_RX_STAT_0_13 + 8 * VNIC_STAT_UCAST, 1000);
  vnic_->PfWriteStat(VNIC_REG_TX_STAT_0_4 + 8 * VNIC_STAT_OCTS, 5000);
  pf_->received.clear();
  Open();
  // nicpf's reset_stat_cfg: all 14 RX and 5 TX counters, no queue's
  const Pf::Msg* reset = nullptr;
  for (const Pf::Msg& m : pf_->received)
    if (m[0] == Pf::kResetStat) reset = &m;
  ASSERT_NE(nullptr, reset);
  EXPECT_EQ(0x3fffu, Pf::Le(*reset, 2, 2));
  EXPECT_EQ(0x1fu, (*reset)[4]);
  EXPECT_EQ(0u, Pf::Le(*reset, 6, 2));
  EXPECT_EQ(0u, Pf::Le(*reset, 8, 2));
  EXPECT_EQ(0u, Stat("hw_rx_ucast"));
  EXPECT_EQ(0u, Stat("hw_tx_bytes"));

  mock::SetRxMode(nd_, IFF_BROADCAST | IFF_MULTICAST, {},
                  {{kGroup[0], kGroup[1], kGroup[2], kGroup[3], kGroup[4],
                    kGroup[5]}});
  mock::RunWork();
  for (int i = 0; i < 5; i++) Arrive(kOurMac, 100);
  Arrive(kGroup, 200);
  Arrive(kGroup, 200);
  Arrive(kBcast, 64);
  vnic_->loopback = false;
  for (int i = 0; i < 3; i++) Send(MakeFrame({}), 0);
  Settle();
  auto check = [&] {
    EXPECT_EQ(5u, Stat("hw_rx_ucast"));
    EXPECT_EQ(2u, Stat("hw_rx_mcast"));
    EXPECT_EQ(1u, Stat("hw_rx_bcast"));
    EXPECT_EQ(5u * 100 + 2 * 200 + 64, Stat("hw_rx_bytes"));
    EXPECT_EQ(3u, Stat("hw_tx_ucast"));
    EXPECT_EQ(3u * 128, Stat("hw_tx_bytes"));
    EXPECT_EQ(2u, mock::Stats64(nd_).multicast);
  };
  check();
  mock::DevClose(nd_);
  check();
  // The next open zeroes the VNIC's again; the totals stay
  Open();
  check();
  Arrive(kOurMac, 100);
  EXPECT_EQ(6u, Stat("hw_rx_ucast"));
  mock::DevClose(nd_);
  EXPECT_EQ(6u, Stat("hw_rx_ucast"));
}

// Frames the hardware drops at the RQ's RED levels never reach us: only
// its counter tells, and stats64 reports them as missed
TEST_P(HwStatsTest, FramesTheHardwareDroppedAreMissed) {
  Open();
  uint64_t dropped = 0, bytes = 0;
  for (int i = 0; i < 20000 && dropped < 10; i++) {
    FrameSpec s;
    s.seed = uint32_t(i);
    Bytes f = MakeFrame(s);
    if (!vnic_->Receive(0, f).posted) {
      dropped++;
      bytes += f.size();
    }
  }
  ASSERT_EQ(10u, dropped);
  EXPECT_EQ(dropped, Stat("hw_rx_red"));
  EXPECT_EQ(bytes, Stat("hw_rx_red_bytes"));
  EXPECT_EQ(dropped, mock::Stats64(nd_).rx_missed_errors);
  Settle();
  FreeDelivered();
  mock::DevClose(nd_);
  EXPECT_EQ(dropped, mock::Stats64(nd_).rx_missed_errors);
}

// A PF that refuses RESET_STAT fails the open cleanly, and counts nothing
TEST_P(HwStatsTest, ARefusedResetFailsTheOpen) {
  pf_->nack = {Pf::kResetStat};
  EXPECT_EQ(-EIO, mock::DevOpen(nd_));
  EXPECT_TRUE(mock::Logged("PF refused mailbox message RESET_STAT"));
  EXPECT_EQ(0u, mock::PoolsAlive());
  pf_->nack.clear();
  Open();
  ExpectOneFrameThrough(0);
  mock::DevClose(nd_);
}

// The LMAC's counters come from the PF (BGX_STATS, one message each,
// only for the 11 receive and 18 send counters there are), under the
// in-tree driver's names; a closed interface or a refusing PF keeps the
// last values
TEST_P(HwStatsTest, BgxCountersComeFromThePfWhileUp) {
  Open();
  for (int i = 0; i < 3; i++) Arrive(kOurMac, 100);
  const uint8_t foreign[6] = {0x02, 0, 0, 0, 0, 0x99};
  FrameSpec fs;
  Bytes f = MakeFrame(fs);
  std::copy(foreign, foreign + 6, f.begin());
  EXPECT_FALSE(vnic_->Receive(0, f).posted);
  vnic_->loopback = false;
  Send(MakeFrame({}), 0);
  Settle();
  pf_->received.clear();
  EXPECT_EQ(3u, Stat("bgx_rxstat0"));
  EXPECT_EQ(3 * model::BgxStats::WireLen(100), Stat("bgx_rxstat1"));
  EXPECT_EQ(1u, Stat("bgx_rxstat4"));
  EXPECT_EQ(1u, Stat("bgx_txstat5"));
  EXPECT_EQ(model::BgxStats::WireLen(128), Stat("bgx_txstat4"));
  std::set<std::pair<int, int>> asked;
  for (const Pf::Msg& m : pf_->received) {
    if (m[0] != Pf::kBgxStats) continue;
    EXPECT_EQ(pf_->vf_id, m[1]);
    EXPECT_LT(m[3], m[2] ? 11 : 18);
    asked.insert({m[2], m[3]});
  }
  EXPECT_EQ(29u, asked.size());
  mock::DevClose(nd_);
  pf_->received.clear();
  EXPECT_EQ(3u, Stat("bgx_rxstat0"));
  EXPECT_TRUE(pf_->received.empty());
  Open();
  Arrive(kOurMac, 100);
  pf_->nack = {Pf::kBgxStats};
  EXPECT_EQ(3u, Stat("bgx_rxstat0"));
  EXPECT_TRUE(mock::Logged("PF refused mailbox message BGX_STATS"));
  pf_->nack.clear();
  EXPECT_EQ(4u, Stat("bgx_rxstat0"));
  mock::DevClose(nd_);
}

INSTANTIATE_TEST_SUITE_P(AllModes, HwStatsTest,
                         ::testing::ValuesIn(mock::AllIommuModes()), ModeName);

}  // namespace
}  // namespace nicvf_test
