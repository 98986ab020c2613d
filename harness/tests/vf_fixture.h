// SPDX-License-Identifier: GPL-2.0-only
// Test fixture for the whole VF: a fresh simulated machine with a VNIC on
// a PCI function, the PF model answering its mailbox, and the module
// loaded and unloaded as modprobe would. The harness's main then requires
// that nothing is left anywhere.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "mock/mock.h"
#include "model/pf.h"
#include "model/vnic.h"
#include "testlib/rig.h"
#include "tests/modes.h"

extern "C" {
#include "nic_reg.h"
#include "nicvf.h"

extern int (*mock_module_init)(void);
extern void (*mock_module_exit)(void);
}

namespace nicvf_test {

// PCI identity of a VF: CN88xx pass 2 unless a test says otherwise; and
// what the silicon does that the identity implies (CN88xx pass 2 writes a
// CQE_SEND per TSO segment of a header that asks for one)
struct Chip {
  const char* name;
  uint16_t device, subdevice;
  uint8_t revision;
  bool cqe_rx2;
  bool tso_cqe_per_segment;
};

inline constexpr Chip kCn88xxPass2 = {"CN88xxPass2", 0xa034, 0xa134, 8, true,
                                      true};
inline constexpr Chip kCn88xxPass1 = {"CN88xxPass1", 0x0011, 0xa11e, 0, false,
                                      false};
inline constexpr Chip kCn81xx = {"CN81xx", 0xa034, 0xa234, 8, true, false};

class VfFixture : public ::testing::Test, protected testlib::VnicRig {
 protected:
  void Start(mock::IommuMode mode, const Chip& chip = kCn88xxPass2) {
    NewMachine(mode, chip.cqe_rx2);
    vnic_->tso_cqe_per_segment = chip.tso_cqe_per_segment;
    pf_ = testlib::NewPf(vnic_.get());
    pdev_ = mock::AddPciFunction(chip.device, chip.subdevice, chip.revision,
                                 vnic_->bar0());
    vnic_->deliver_irq = [](int vector) { mock::RaiseMsix(vector); };
    mock::SetIdle([this] { vnic_->Tick(); });
  }

  void Load() {
    ASSERT_EQ(0, mock_module_init());
    loaded_ = true;
  }

  void Unload() {
    if (loaded_) mock_module_exit();
    loaded_ = false;
  }

  void FreeDelivered() { mock::FreeDelivered(); }

  void TearDown() override {
    FreeDelivered();
    Unload();
    // Closing polls what was still pending: the stack takes those too
    FreeDelivered();
    pf_.reset();
    vnic_.reset();
  }

  // The bound VF, or nullptr
  struct nicvf* Nic() {
    auto* nd = static_cast<net_device*>(pci_get_drvdata(pdev_));
    return nd ? static_cast<struct nicvf*>(netdev_priv(nd)) : nullptr;
  }

  std::unique_ptr<model::Pf> pf_;
  pci_dev* pdev_ = nullptr;
  bool loaded_ = false;
};

}  // namespace nicvf_test
