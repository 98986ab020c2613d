// SPDX-License-Identifier: GPL-2.0-only
// ethtool's settings that go to the PF, end to end in every IOMMU mode:
// pause frames (ethtool -a/-A, nicpf's PFC message on the LMAC's
// BGX_SMUX_CBFC_CTL).
#include "tests/e2e_fixture.h"

namespace nicvf_test {
namespace {

using model::Pf;

class EthtoolTest : public E2eFixture,
                    public ::testing::WithParamInterface<mock::IommuMode> {
 protected:
  void SetUp() override { SetUpVf(GetParam()); }

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
  EXPECT_TRUE(mock::Logged("pause frames are not autonegotiated"));
  EXPECT_EQ(0u, pf_->bgx.cbfc_ctl & 3);
  // The setting is the BGX's: it outlives our close and open
  mock::DevClose(nd_);
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
  EXPECT_TRUE(mock::Logged("pause frames need a 10G or 40G LMAC"));
  EXPECT_EQ(0u, PfcMessages());
  mock::DevClose(nd_);
}

// A PF that refuses or does not answer: the error, and nothing changed
TEST_P(EthtoolTest, APfThatRefusesPauseSettingsFailsThem) {
  Open();
  pf_->nack = {Pf::kPfc};
  EXPECT_EQ(-EIO, SetPause(false, false, false));
  EXPECT_EQ(3u, pf_->bgx.cbfc_ctl & 3);
  ethtool_pauseparam p = GetPause();  // as ethtool starts: nothing known
  EXPECT_EQ(0u, p.rx_pause | p.tx_pause);
  pf_->nack.clear();
  pf_->silent = true;
  EXPECT_EQ(-ETIMEDOUT, SetPause(false, false, false));
  pf_->silent = false;
  mock::DevClose(nd_);
}

INSTANTIATE_TEST_SUITE_P(AllModes, EthtoolTest,
                         ::testing::ValuesIn(mock::AllIommuModes()),
                         [](const ::testing::TestParamInfo<mock::IommuMode>& i) {
                           return std::string(mock::ToString(i.param));
                         });

}  // namespace
}  // namespace nicvf_test
