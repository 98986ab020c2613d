// SPDX-License-Identifier: GPL-2.0-only
// ethtool end to end in every IOMMU mode: pause frames (ethtool -a/-A,
// nicpf's PFC message on the LMAC's BGX_SMUX_CBFC_CTL), the register
// dump (-d), interrupt coalescing (-c/-C) and the link's modes.
#include "model/vnic_regs.h"
#include "tests/e2e_fixture.h"

namespace nicvf_test {
namespace {

using model::Pf;

class EthtoolTest : public E2eModesFixture {
 protected:

  // ethtool -a and -A
  ethtool_pauseparam GetPause() { return mock::EthtoolGetPause(nd_); }
  int SetPause(bool autoneg, bool rx, bool tx) {
    return mock::EthtoolSetPause(nd_, {0, autoneg, rx, tx});
  }
  size_t PfcMessages() const {
    size_t n = 0;
    for (const Pf::Msg& m : pf_->received) n += m[0] == Pf::kPfc;
    return n;
  }
};

// thunder_bgx leaves both directions on; a set writes the register and
// a get reads it back (TX_EN is bit 1: the answer carries 2, not 1)
TEST_P(EthtoolTest, PauseFramesOnA10GLmacAreReadAndSet) {
  Open();
  ethtool_pauseparam p = GetPause();
  EXPECT_EQ(0u, p.autoneg);
  EXPECT_EQ(1u, p.rx_pause);
  EXPECT_EQ(1u, p.tx_pause);
  ASSERT_EQ(0, SetPause(false, false, true));
  EXPECT_EQ(2u, pf_->bgx.cbfc_ctl & 3);
  p = GetPause();
  EXPECT_EQ(0u, p.rx_pause);
  EXPECT_EQ(1u, p.tx_pause);
  ASSERT_EQ(0, SetPause(false, false, false));
  EXPECT_EQ(0u, pf_->bgx.cbfc_ctl & 3);
  EXPECT_EQ(-EOPNOTSUPP, SetPause(true, true, true));
  EXPECT_EQ(0u, pf_->bgx.cbfc_ctl & 3);
  // The setting is the BGX's: it outlives our close and open. While
  // down nothing is asked (the LMAC's type comes with the link answers)
  mock::DevClose(nd_);
  pf_->received.clear();
  p = GetPause();
  EXPECT_EQ(0u, p.rx_pause | p.tx_pause);
  EXPECT_EQ(-ENETDOWN, SetPause(false, true, true));
  EXPECT_EQ(0u, PfcMessages());
  Open();
  EXPECT_EQ(0u, GetPause().rx_pause);
  mock::DevClose(nd_);
}

// An SGMII LMAC has no pause control: nothing is asked of the PF (whose
// answer would be its stack), and a set is refused
TEST_P(EthtoolTest, PauseFramesOnAnSgmiiLmacAreNeverAsked) {
  pf_->mac_type = Pf::kMacSgmii;
  pf_->speed = 1000;
  Open();
  pf_->received.clear();
  ethtool_pauseparam p = GetPause();
  EXPECT_EQ(0u, p.rx_pause | p.tx_pause | p.autoneg);
  EXPECT_EQ(-EOPNOTSUPP, SetPause(false, true, true));
  EXPECT_EQ(0u, PfcMessages());
  mock::DevClose(nd_);
}

// A PF that refuses or does not answer: the error, and nothing changed.
// A read that fails reports what the PF said last, so ethtool -A (which
// reads first) does not turn the other direction off
TEST_P(EthtoolTest, APfThatRefusesPauseSettingsFailsThem) {
  Open();
  ethtool_pauseparam p = GetPause();
  ASSERT_EQ(1u, p.rx_pause & p.tx_pause);
  pf_->nack = {Pf::kPfc};
  EXPECT_EQ(-EIO, SetPause(false, false, false));
  EXPECT_EQ(3u, pf_->bgx.cbfc_ctl & 3);
  p = GetPause();
  EXPECT_EQ(1u, p.rx_pause);
  EXPECT_EQ(1u, p.tx_pause);
  pf_->nack.clear();
  pf_->silent = true;
  EXPECT_EQ(-ETIMEDOUT, SetPause(false, false, false));
  pf_->silent = false;
  EXPECT_EQ(3u, pf_->bgx.cbfc_ctl & 3);
  mock::DevClose(nd_);
}

// The dump's layout: 7 VF registers, the RSS key, the VNIC's 5 send and
// 14 receive counters, 21 registers for each of 8 queues, 8 for each of
// 2 RBDRs; what the device holds is what it shows
TEST_P(EthtoolTest, TheRegisterDumpIsTheDevicesRegisters) {
  Open();
  uint32_t version = 0;
  std::vector<uint64_t> r = mock::EthtoolRegs(nd_, &version);
  EXPECT_EQ(1u, version);
  ASSERT_EQ(size_t(7 + 5 + 5 + 14 + 8 * 21 + 2 * 8), r.size());
  const size_t q0 = 7 + 5 + 5 + 14, rbdr0 = q0 + 8 * 21;
  EXPECT_EQ(vnic_->Read64(VNIC_REG_RSS_CFG), r[5]);
  for (int q = 0; q < 8; q++) {
    EXPECT_EQ(vnic_->Read64(VNIC_REG_CQ_BASE + (uint64_t(q) << VNIC_Q_NUM_SHIFT)),
              r[q0 + 21 * size_t(q) + 3]) << q;
    EXPECT_EQ(vnic_->Read64(VNIC_REG_SQ_BASE + (uint64_t(q) << VNIC_Q_NUM_SHIFT)),
              r[q0 + 21 * size_t(q) + 14]) << q;
  }
  EXPECT_EQ(uint64_t(nic_->cq[1].desc_dma), r[q0 + 21 + 3]);
  EXPECT_EQ(vnic_->Read64(VNIC_REG_RBDR_BASE), r[rbdr0 + 2]);
  EXPECT_NE(0u, r[rbdr0 + 2]);
  mock::DevClose(nd_);
}

// Each CQ interrupts once more than rx-frames CQEs wait: the setting
// reaches the running queues and the next open; out of range is refused
// with the range, and the timer can never be turned off
TEST_P(EthtoolTest, CoalescingSetsWhenTheCqInterrupts) {
  Open();
  ethtool_coalesce c = mock::EthtoolGetCoalesce(nd_);
  EXPECT_EQ(2u, c.rx_coalesce_usecs);
  EXPECT_EQ(32u, c.rx_max_coalesced_frames);
  auto arrive = [&](int n) {
    for (int i = 0; i < n; i++) {
      FrameSpec s;
      s.seed = uint32_t(i + 1);
      ASSERT_TRUE(vnic_->Receive(0, MakeFrame(s)).posted);
    }
  };
  arrive(5);
  EXPECT_EQ(0u, mock::NapiScheduled());
  Settle();
  FreeDelivered();
  ASSERT_EQ(0, mock::EthtoolSetCoalesce(nd_, {0, 5, 4}));
  c = mock::EthtoolGetCoalesce(nd_);
  EXPECT_EQ(5u, c.rx_coalesce_usecs);
  EXPECT_EQ(4u, c.rx_max_coalesced_frames);
  EXPECT_EQ(200u, vnic_->Read64(VNIC_REG_CQ_CFG2 + (1ull << VNIC_Q_NUM_SHIFT)) & 0xff);
  arrive(4);
  EXPECT_EQ(0u, mock::NapiScheduled());
  arrive(1);
  EXPECT_EQ(1u, mock::NapiScheduled());
  Settle();
  FreeDelivered();
  mock::DevClose(nd_);
  Open();
  EXPECT_EQ(4u, vnic_->Read64(VNIC_REG_CQ_THRESH) & 0xffff);
  std::string msg;
  EXPECT_EQ(-EINVAL, mock::EthtoolSetCoalesce(nd_, {0, 0, 4}, &msg));
  EXPECT_EQ("rx-usecs must be 1 to 6", msg);
  EXPECT_EQ(-EINVAL, mock::EthtoolSetCoalesce(nd_, {0, 7, 4}, &msg));
  EXPECT_EQ(-EINVAL, mock::EthtoolSetCoalesce(nd_, {0, 2, 1024}, &msg));
  EXPECT_EQ("rx-frames must be 0 to 1023", msg);
  EXPECT_EQ(5u, mock::EthtoolGetCoalesce(nd_).rx_coalesce_usecs);
  mock::DevClose(nd_);
}

// What ethtool shows of the link: for a 10G XFI LMAC fibre and
// 10000baseT/Full, for SGMII copper with autonegotiation up to 1G
TEST_P(EthtoolTest, TheLinkModesFollowTheLmacType) {
  Open();
  ethtool_link_ksettings ks = {};
  nd_->ethtool_ops->get_link_ksettings(nd_, &ks);
  EXPECT_EQ(10000u, ks.base.speed);
  EXPECT_EQ(PORT_FIBRE, ks.base.port);
  EXPECT_EQ(AUTONEG_DISABLE, ks.base.autoneg);
  EXPECT_TRUE(ethtool_link_ksettings_test_link_mode(&ks, supported, FIBRE));
  EXPECT_TRUE(ethtool_link_ksettings_test_link_mode(&ks, supported, 10000baseT_Full));
  mock::DevClose(nd_);
  pf_->mac_type = Pf::kMacSgmii;
  pf_->speed = 1000;
  Open();
  ks = {};
  nd_->ethtool_ops->get_link_ksettings(nd_, &ks);
  EXPECT_EQ(1000u, ks.base.speed);
  EXPECT_EQ(PORT_MII, ks.base.port);
  EXPECT_EQ(AUTONEG_ENABLE, ks.base.autoneg);
  EXPECT_TRUE(ethtool_link_ksettings_test_link_mode(&ks, supported, 1000baseT_Full));
  EXPECT_TRUE(ethtool_link_ksettings_test_link_mode(&ks, advertising, 1000baseT_Full));
  EXPECT_FALSE(ethtool_link_ksettings_test_link_mode(&ks, advertising, TP));
  EXPECT_FALSE(ethtool_link_ksettings_test_link_mode(&ks, supported, 10000baseT_Full));
  mock::DevClose(nd_);
  // Link down: nothing known
  ks = {};
  nd_->ethtool_ops->get_link_ksettings(nd_, &ks);
  EXPECT_EQ(uint32_t(SPEED_UNKNOWN), ks.base.speed);
  EXPECT_EQ(0u, ks.link_modes.supported[0]);
}

// ethtool -K loopback: the BGX turns what we send back to us (nicpf's
// LOOPBACK), off by default, kept across close and open, and a refused
// change leaves the feature as it was
TEST_P(EthtoolTest, LoopbackIsTheBgxsThroughThePf) {
  ASSERT_TRUE(nd_->hw_features & NETIF_F_LOOPBACK);
  EXPECT_FALSE(nd_->features & NETIF_F_LOOPBACK);
  vnic_->loopback = false;
  Open();
  EXPECT_FALSE(pf_->bgx.loopback);
  Send(MakeFrame({}), 0);
  Settle();
  EXPECT_EQ(1u, vnic_->wire.size());
  EXPECT_TRUE(mock::Delivered().empty());
  ASSERT_EQ(0, mock::SetFeatures(nd_, nd_->features | NETIF_F_LOOPBACK));
  EXPECT_TRUE(pf_->bgx.loopback);
  Bytes f = MakeFrame({});
  Send(f, 1);
  Settle();
  EXPECT_EQ(1u, vnic_->wire.size());
  EXPECT_EQ(std::vector<Bytes>{f}, Received());
  FreeDelivered();
  mock::DevClose(nd_);
  pf_->bgx.loopback = false;  // as if another driver had turned it off
  Open();
  EXPECT_TRUE(pf_->bgx.loopback);
  pf_->nack = {Pf::kLoopback};
  EXPECT_EQ(-EIO, mock::SetFeatures(nd_, nd_->features & ~NETIF_F_LOOPBACK));
  EXPECT_TRUE(nd_->features & NETIF_F_LOOPBACK);
  EXPECT_TRUE(pf_->bgx.loopback);
  pf_->nack.clear();
  ASSERT_EQ(0, mock::SetFeatures(nd_, nd_->features & ~NETIF_F_LOOPBACK));
  EXPECT_FALSE(pf_->bgx.loopback);
  mock::DevClose(nd_);
}

INSTANTIATE_TEST_SUITE_P(AllModes, EthtoolTest,
                         ::testing::ValuesIn(mock::AllIommuModes()), ModeName);

}  // namespace
}  // namespace nicvf_test
