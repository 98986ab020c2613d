// SPDX-License-Identifier: GPL-2.0-only
// PCI probe and remove against the simulated function and the PF model:
// the right CQE layout per chip, the PF's identity and MAC taken, a PF
// that is silent or refuses failing probe clearly and within the mailbox
// timeout, and nothing left behind by any of it.
#include <string>

#include "tests/e2e_fixture.h"

namespace nicvf_test {
namespace {

using model::Pf;
using ::testing::ElementsAre;

const Chip kChips[] = {
    {"CN88xxPass1", 0x0011, 0xa11e, 0, false},
    kCn88xxPass2,
    {"CN81xx", 0xa034, 0xa234, 0, true},
    {"CN83xx", 0xa034, 0xa334, 0, true},
};

class ProbeTest : public VfFixture,
                  public ::testing::WithParamInterface<Chip> {
 protected:
  void SetUp() override { Start(mock::IommuMode::kNone, GetParam()); }
};

TEST_P(ProbeTest, EachChipProbesWithItsCqeLayoutAndThePfsIdentity) {
  pf_->vf_id = 7;
  pf_->node = 1;
  Load();
  ASSERT_TRUE(mock::PciBound());
  struct nicvf* nic = Nic();
  ASSERT_NE(nullptr, nic);
  EXPECT_EQ(GetParam().cqe_rx2, nic->cqe_rx2);
  EXPECT_EQ(7, nic->vf_id);
  EXPECT_EQ(1, nic->node);
  EXPECT_EQ(0, memcmp(pf_->mac.data(), nic->netdev->dev_addr, 6));
  EXPECT_EQ(NET_ADDR_PERM, nic->netdev->addr_assign_type);
  // A queue per CPU, rounded up to a queue set's 8 (2 CPUs here)
  EXPECT_EQ(NICVF_MAX_QUEUES, nic->netdev->num_rx_queues);
  EXPECT_EQ(NICVF_MAX_QUEUES, nic->netdev->num_tx_queues);
  // READY, then the token the PF hands to our SQS VFs
  EXPECT_THAT(pf_->Types(), ElementsAre(Pf::kReady, Pf::kNicvfPtr));
  EXPECT_EQ(nic->token, pf_->shared().nicvf[7]);
  // The mailbox interrupt is on and was how READY's answer arrived
  EXPECT_TRUE(vnic_->int_enabled() & NICVF_INTR_MBOX);
  EXPECT_EQ(2u, vnic_->irqs_delivered);
  Unload();
  EXPECT_FALSE(mock::PciBound());
  EXPECT_FALSE(vnic_->int_enabled() & NICVF_INTR_MBOX);
}

// CN88xx pass 1 keeps its CQs and SQs at 1K entries (an erratum the
// in-tree driver honours); the other chips take the defaults
TEST_P(ProbeTest, RingSizesFollowTheChipsErrata) {
  Load();
  struct nicvf* nic = Nic();
  ASSERT_NE(nullptr, nic);
  bool pass1 = !GetParam().cqe_rx2;
  EXPECT_EQ(pass1 ? NICVF_CQ_LEN_MIN : NICVF_CQ_LEN_DEFAULT, int(nic->cq_len));
  EXPECT_EQ(NICVF_SQ_LEN_DEFAULT, int(nic->sq_len));
  EXPECT_EQ(pass1, mock::Logged("CN88xx pass 1: completion and send queues stay at 1024 entries"));
  // The interface comes up with them
  ASSERT_EQ(0, mock::DevOpen(nic->netdev));
  EXPECT_EQ(nic->cq_len, nic->cq[0].ring_len);
  EXPECT_EQ(nic->sq_len, nic->sq[0].ring_len);
  mock::DevClose(nic->netdev);
}

// The CQ interrupt waits for more than half a NAPI poll of CQEs, or for the
// CQ timer (~2 us); CN88xx pass 1 has no count threshold and interrupts on
// the first CQE, as the in-tree driver programs them
TEST_P(ProbeTest, CqInterruptAtTheChipsThresholdOrFromTheTimer) {
  pf_->link_up = true;
  Load();
  struct nicvf* nic = Nic();
  ASSERT_NE(nullptr, nic);
  ASSERT_EQ(0, mock::DevOpen(nic->netdev));
  const uint32_t thresh = GetParam().cqe_rx2 ? NAPI_POLL_WEIGHT / 2 : 0;
  for (int q = 0; q < int(nic->queues); q++) {
    uint64_t at = uint64_t(q) << NIC_Q_NUM_SHIFT;
    EXPECT_EQ(thresh, vnic_->Read64(NIC_QSET_CQ_0_7_THRESH + at)) << q;
    EXPECT_EQ(80u, vnic_->Read64(NIC_QSET_CQ_0_7_CFG2 + at)) << q;
  }
  const uint64_t cq0 = BIT_ULL(NICVF_INTR_CQ_SHIFT);
  auto arrive = [&](uint32_t seed) {
    FrameSpec s;
    s.seed = seed;
    ASSERT_TRUE(vnic_->Receive(0, MakeFrame(s)).posted);
  };
  for (int round = 0; round < (thresh ? 2 : 1); round++) {
    // Up to the threshold: nothing yet
    for (uint32_t i = 0; i < thresh; i++) arrive(i);
    EXPECT_EQ(0u, vnic_->int_status() & cq0) << round;
    EXPECT_EQ(0u, mock::NapiScheduled()) << round;
    if (round == 0) {
      // One more: at once
      arrive(thresh);
    } else {
      // The timer, for what stays below the threshold
      EXPECT_EQ(0u, vnic_->cq_timer_irqs);
      vnic_->Tick();
    }
    EXPECT_EQ(1u, mock::NapiScheduled()) << round;
    uint32_t expect = thresh + (round == 0);
    mock::SetIdle(nullptr);  // no timer: the interrupt alone brought them
    mock::RunNapi();
    EXPECT_EQ(expect, mock::Delivered().size()) << round;
    EXPECT_EQ(0u, vnic_->CqCount(0)) << round;
    FreeDelivered();
  }
  mock::DevClose(nic->netdev);
}

TEST_P(ProbeTest, LoadAndUnloadAHundredTimes) {
  for (int i = 0; i < 100; i++) {
    Load();
    ASSERT_TRUE(mock::PciBound()) << i;
    Unload();
    ASSERT_EQ(0u, mock::NetdevsAlive()) << i;
  }
  EXPECT_EQ(200u, pf_->received.size());
}

INSTANTIATE_TEST_SUITE_P(Chips, ProbeTest, ::testing::ValuesIn(kChips),
                         [](const ::testing::TestParamInfo<Chip>& info) {
                           return std::string(info.param.name);
                         });

class ProbeFailTest : public VfFixture {
 protected:
  void SetUp() override { Start(mock::IommuMode::kNone); }
};

TEST_F(ProbeFailTest, SilentPfFailsProbeWithinTheMailboxTimeout) {
  pf_->silent = true;
  unsigned long before = jiffies;
  Load();
  EXPECT_FALSE(mock::PciBound());
  EXPECT_EQ(msecs_to_jiffies(NICVF_MBX_TIMEOUT_MS), jiffies - before);
  EXPECT_TRUE(mock::Logged("PF did not answer mailbox message READY (0x01) within 2000 ms"));
  EXPECT_TRUE(mock::Logged("the PF did not take this VF (is nicpf loaded?)"));
  // Everything probe took was given back (TearDown checks the rest)
  EXPECT_EQ(0u, mock::NetdevsAlive());
  EXPECT_FALSE(vnic_->int_enabled() & NICVF_INTR_MBOX);
}

TEST_F(ProbeFailTest, PfNackOfReadyFailsProbe) {
  pf_->nack = {Pf::kReady};
  Load();
  EXPECT_FALSE(mock::PciBound());
  EXPECT_TRUE(mock::Logged("PF refused mailbox message READY"));
}

TEST_F(ProbeFailTest, NoMacFromThePfGivesARandomLocalOne) {
  pf_->mac = {0, 0, 0, 0, 0, 0};
  Load();
  ASSERT_TRUE(mock::PciBound());
  const unsigned char* a = Nic()->netdev->dev_addr;
  EXPECT_EQ(NET_ADDR_RANDOM, Nic()->netdev->addr_assign_type);
  EXPECT_EQ(0x02, a[0] & 0x03);  // locally administered, unicast
  EXPECT_TRUE(mock::Logged("PF gave no MAC address; using a random one"));
}

TEST_F(ProbeFailTest, AMessageLeftBeforeProbeIsNotTakenForReady) {
  // The PF wrote something while no driver listened
  pf_->Send(Pf::Msg{Pf::kAck});
  pf_->vf_id = 4;
  Load();
  ASSERT_TRUE(mock::PciBound());
  EXPECT_EQ(4, Nic()->vf_id);
  EXPECT_EQ(0u, Nic()->mbx_unsolicited);
}

// On a ThunderX with more than 8 CPUs nicpf enables secondary queue sets
// as VFs of their own. One must not become an interface: bringing it up
// would send CPI_CFG, RSS_CFG and SET_MAX_FRS that nicpf applies to
// another interface's LMAC (the PF model records that as a violation).
// It tells the PF its token and waits, with its mailbox, for a primary.
TEST_F(ProbeFailTest, SecondaryQueueSetIsBoundWithoutAnInterface) {
  pf_->num_vf_en = 2;
  pf_->online_cpus = 48;
  pf_->vf_id = 5;
  Load();
  ASSERT_TRUE(mock::PciBound());
  EXPECT_EQ(nullptr, mock::Netdev());
  // (and ends any loan a driver before it left)
  EXPECT_THAT(pf_->Types(), ElementsAre(Pf::kReady, Pf::kNicvfPtr, Pf::kShutdown));
  EXPECT_EQ(Nic()->token, pf_->shared().nicvf[5]);
  // A token, not an address: the top bits are neither all 0 nor all 1
  EXPECT_NE(0u, Nic()->token >> 48);
  EXPECT_NE(0xffffu, Nic()->token >> 48);
  EXPECT_TRUE(mock::Logged("VF 5 is a secondary queue set: its queues go to the primary VF"));
  EXPECT_TRUE(vnic_->int_enabled() & NICVF_INTR_MBOX);
  Unload();
  EXPECT_FALSE(mock::PciBound());
  // Going, it gives back whatever the PF still counted as lent
  EXPECT_THAT(pf_->Types(), ElementsAre(Pf::kReady, Pf::kNicvfPtr, Pf::kShutdown,
                                        Pf::kShutdown));
  EXPECT_FALSE(vnic_->int_enabled() & NICVF_INTR_MBOX);
}

// A PF that does not take the token: no primary could find the SQS VF,
// so it stays bound and quiet, as before
TEST_F(ProbeFailTest, SecondaryQueueSetThePfCannotLendStaysQuiet) {
  pf_->num_vf_en = 2;
  pf_->online_cpus = 48;
  pf_->vf_id = 5;
  pf_->nack.insert(Pf::kNicvfPtr);
  Load();
  ASSERT_TRUE(mock::PciBound());
  EXPECT_EQ(nullptr, mock::Netdev());
  EXPECT_TRUE(mock::Logged("PF refused mailbox message NICVF_PTR (0x13)"));
  EXPECT_TRUE(mock::Logged("VF 5 is a secondary queue set the PF cannot lend: unused"));
  EXPECT_FALSE(vnic_->int_enabled() & NICVF_INTR_MBOX);
  Unload();
  EXPECT_FALSE(mock::PciBound());
  EXPECT_THAT(pf_->Types(), ElementsAre(Pf::kReady, Pf::kNicvfPtr));
}

class ProbeIds : public VfFixture {
 protected:
  // The PF's own subsystem ID on the VF's device ID: not ours
  void SetUp() override {
    Start(mock::IommuMode::kNone, {"NotAVf", 0xa034, 0xa11e, 8, true});
  }
};

TEST_F(ProbeIds, OtherDevicesAreNotProbed) {
  Load();
  EXPECT_FALSE(mock::PciBound());
  EXPECT_TRUE(pf_->received.empty());
}

}  // namespace
}  // namespace nicvf_test
