// SPDX-License-Identifier: GPL-2.0-only
// Stopping the rings: the RBDR is taken from the hardware in the order the
// hardware needs, a failed FIFO is reset first, and a ring the hardware
// will not let go of is reported (bounded in time) instead of freed under
// it. The CQ is disabled with its timer off and reset.
#include "tests/rx_fixture.h"

extern "C" {
#include "nic_reg.h"
}

namespace nicvf_test {
namespace {

using ::testing::ElementsAre;

class StopTest : public RxFixture {
 protected:
  void SetUp() override { Start(IommuMode::kTranslating); }

  // The values written to register `reg` of queue 0, in order
  std::vector<uint64_t> Writes(uint64_t reg) {
    std::vector<uint64_t> v;
    for (const auto& w : vnic_->cfg_writes)
      if (w.reg == reg && w.q == 0) v.push_back(w.val);
    return v;
  }

};

TEST_F(StopTest, RbdrIsDisabledDrainedResetAndDisabled) {
  vnic_->cfg_writes.clear();
  EXPECT_EQ(1u, vnic_->RbdrFifo(0));  // active
  ASSERT_EQ(0, nicvf_rbdr_stop(&rbdr_));
  EXPECT_THAT(Writes(NIC_QSET_RBDR_0_1_CFG),
              ElementsAre(0u, NIC_RBDR_CFG_RESET, 0u));
  EXPECT_EQ(0u, vnic_->RbdrFifo(0));
  // The hardware holds no buffers any more; the driver still has them all
  EXPECT_EQ(0u, vnic_->RbdrCount(0));
  EXPECT_EQ(rbdr_.ring_len - 1, nicvf_rbdr_posted_count(&rbdr_));
}

TEST_F(StopTest, FailedFifoIsResetBeforeAnythingElse) {
  vnic_->FailRbdr(0);
  vnic_->cfg_writes.clear();
  ASSERT_EQ(0, nicvf_rbdr_stop(&rbdr_));
  EXPECT_THAT(Writes(NIC_QSET_RBDR_0_1_CFG),
              ElementsAre(NIC_RBDR_CFG_RESET, 0u, NIC_RBDR_CFG_RESET, 0u));
}

TEST_F(StopTest, FifoThatStaysActiveIsReportedWithinTheTimeout) {
  vnic_->rbdr_fifo_stuck = true;
  unsigned long long before = mock_usecs;
  EXPECT_EQ(-ETIMEDOUT, nicvf_rbdr_stop(&rbdr_));
  EXPECT_EQ(uint64_t(NICVF_STOP_TIMEOUT_US), mock_usecs - before);
  EXPECT_TRUE(mock::Logged("RBDR0: FIFO stuck in state 1 waiting for 0"));
  // Not reset while the hardware may still use it
  EXPECT_THAT(Writes(NIC_QSET_RBDR_0_1_CFG).back(), 0u);
  vnic_->rbdr_fifo_stuck = false;
}

TEST_F(StopTest, PrefetcherThatDoesNotDrainIsReported) {
  vnic_->rbdr_prefetch_busy = true;
  vnic_->cfg_writes.clear();
  EXPECT_EQ(-ETIMEDOUT, nicvf_rbdr_stop(&rbdr_));
  EXPECT_TRUE(mock::Logged("RBDR0: prefetcher did not drain"));
  EXPECT_THAT(Writes(NIC_QSET_RBDR_0_1_CFG), ElementsAre(0u));
}

TEST_F(StopTest, CqIsStoppedWithItsTimerOffAndReset) {
  // Traffic first, so the CQ head has moved
  for (int i = 0; i < 5; i++)
    ASSERT_TRUE(vnic_->Receive(0, PatternFrame(100, uint32_t(i))).posted);
  auto skbs = Poll();
  ASSERT_EQ(5u, skbs.size());
  Free(&skbs);
  vnic_->cfg_writes.clear();
  nicvf_cq_stop(&cq_[0]);
  EXPECT_THAT(Writes(NIC_QSET_CQ_0_7_CFG2), ElementsAre(0u));
  EXPECT_THAT(Writes(NIC_QSET_CQ_0_7_CFG), ElementsAre(0u, NIC_CQ_CFG_RESET));
  EXPECT_FALSE(vnic_->CqEnabled(0));
  // Enabled again, it starts from entry 0 on both sides
  nicvf_cq_enable(&cq_[0]);
  ASSERT_TRUE(vnic_->Receive(0, PatternFrame(100, 9)).posted);
  skbs = Poll();
  ASSERT_EQ(1u, skbs.size());
  EXPECT_THAT(FrameBytes(skbs[0]), ::testing::ElementsAreArray(PatternFrame(100, 9)));
  Free(&skbs);
}

}  // namespace
}  // namespace nicvf_test
