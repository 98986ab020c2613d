// SPDX-License-Identifier: GPL-2.0-only
// PCI probe and remove against the simulated function and the PF model:
// the right CQE layout per chip, the PF's identity and MAC taken, a PF
// that is silent or refuses failing probe clearly and within the mailbox
// timeout, and nothing left behind by any of it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "mock/mock.h"
#include "model/pf.h"
#include "model/vnic.h"

extern "C" {
#include "nic_reg.h"
#include "nicvf.h"

extern int (*mock_module_init)(void);
extern void (*mock_module_exit)(void);
}

namespace nicvf_test {
namespace {

using model::Pf;
using ::testing::ElementsAre;

struct Chip {
  const char* name;
  uint16_t device, subdevice;
  uint8_t revision;
  bool cqe_rx2;
};

const Chip kChips[] = {
    {"CN88xxPass1", 0x0011, 0xa11e, 0, false},
    {"CN88xxPass2", 0xa034, 0xa134, 8, true},
    {"CN81xx", 0xa034, 0xa234, 0, true},
    {"CN83xx", 0xa034, 0xa334, 0, true},
};

class ProbeFixture : public ::testing::Test {
 protected:
  void Start(const Chip& chip) {
    mock::Reset(mock::IommuMode::kNone);
    vnic_ = std::make_unique<model::Vnic>(chip.cqe_rx2);
    pf_ = std::make_unique<Pf>(vnic_.get());
    pdev_ = mock::AddPciFunction(chip.device, chip.subdevice, chip.revision,
                                 vnic_->bar0());
    vnic_->deliver_irq = [](int vector) { mock::RaiseMsix(vector); };
  }

  void Load() {
    ASSERT_EQ(0, mock_module_init());
    loaded_ = true;
  }

  void Unload() {
    if (loaded_) mock_module_exit();
    loaded_ = false;
  }

  void TearDown() override {
    Unload();
    pf_.reset();
    vnic_.reset();
    EXPECT_THAT(mock::Outstanding(), ::testing::IsEmpty());
    EXPECT_THAT(mock::Violations(), ::testing::IsEmpty());
  }

  struct nicvf* Nic() {
    auto* nd = static_cast<net_device*>(pci_get_drvdata(pdev_));
    return nd ? static_cast<struct nicvf*>(netdev_priv(nd)) : nullptr;
  }

  bool Logged(const std::string& text) {
    for (const std::string& line : mock::Log())
      if (line.find(text) != std::string::npos) return true;
    return false;
  }

  std::unique_ptr<model::Vnic> vnic_;
  std::unique_ptr<Pf> pf_;
  pci_dev* pdev_ = nullptr;
  bool loaded_ = false;
};

class ProbeTest : public ProbeFixture,
                  public ::testing::WithParamInterface<Chip> {
 protected:
  void SetUp() override { Start(GetParam()); }
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
  EXPECT_EQ(NICVF_MAX_QUEUES, nic->netdev->num_rx_queues);
  EXPECT_THAT(pf_->Types(), ElementsAre(Pf::kReady));
  // The mailbox interrupt is on and was how READY's answer arrived
  EXPECT_TRUE(vnic_->int_enabled() & NICVF_INTR_MBOX);
  EXPECT_EQ(1u, vnic_->irqs_delivered);
  Unload();
  EXPECT_FALSE(mock::PciBound());
  EXPECT_FALSE(vnic_->int_enabled() & NICVF_INTR_MBOX);
}

TEST_P(ProbeTest, LoadAndUnloadAHundredTimes) {
  for (int i = 0; i < 100; i++) {
    Load();
    ASSERT_TRUE(mock::PciBound()) << i;
    Unload();
    ASSERT_EQ(0u, mock::NetdevsAlive()) << i;
  }
  EXPECT_EQ(100u, pf_->received.size());
}

INSTANTIATE_TEST_SUITE_P(Chips, ProbeTest, ::testing::ValuesIn(kChips),
                         [](const ::testing::TestParamInfo<Chip>& info) {
                           return std::string(info.param.name);
                         });

class ProbeFailTest : public ProbeFixture {
 protected:
  void SetUp() override { Start(kChips[1]); }
};

TEST_F(ProbeFailTest, SilentPfFailsProbeWithinTheMailboxTimeout) {
  pf_->silent = true;
  unsigned long before = mock_jiffies;
  Load();
  EXPECT_FALSE(mock::PciBound());
  EXPECT_EQ(msecs_to_jiffies(NICVF_MBX_TIMEOUT_MS), mock_jiffies - before);
  EXPECT_TRUE(Logged("PF did not answer mailbox message READY (0x01) within 2000 ms"));
  EXPECT_TRUE(Logged("the PF did not take this VF (is nicpf loaded?)"));
  // Everything probe took was given back (TearDown checks the rest)
  EXPECT_EQ(0u, mock::NetdevsAlive());
  EXPECT_FALSE(vnic_->int_enabled() & NICVF_INTR_MBOX);
}

TEST_F(ProbeFailTest, PfNackOfReadyFailsProbe) {
  pf_->nack = {Pf::kReady};
  Load();
  EXPECT_FALSE(mock::PciBound());
  EXPECT_TRUE(Logged("PF refused mailbox message READY"));
}

TEST_F(ProbeFailTest, NoMacFromThePfGivesARandomLocalOne) {
  pf_->mac = {0, 0, 0, 0, 0, 0};
  Load();
  ASSERT_TRUE(mock::PciBound());
  const unsigned char* a = Nic()->netdev->dev_addr;
  EXPECT_EQ(NET_ADDR_RANDOM, Nic()->netdev->addr_assign_type);
  EXPECT_EQ(0x02, a[0] & 0x03);  // locally administered, unicast
  EXPECT_TRUE(Logged("PF gave no MAC address; using a random one"));
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

TEST(ProbeIds, OtherDevicesAreNotProbed) {
  mock::Reset(mock::IommuMode::kNone);
  auto vnic = std::make_unique<model::Vnic>(true);
  Pf pf(vnic.get());
  mock::AddPciFunction(0xa034, 0xa11e /* the PF's subsystem */, 8, vnic->bar0());
  ASSERT_EQ(0, mock_module_init());
  EXPECT_FALSE(mock::PciBound());
  EXPECT_TRUE(pf.received.empty());
  mock_module_exit();
}

}  // namespace
}  // namespace nicvf_test
