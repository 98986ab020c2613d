// SPDX-License-Identifier: GPL-2.0-only
// The device model on the mocks: the harness's model::Host. What a QEMU
// device does for the model with PCI DMA, msix_notify() and a network
// backend, this does with the simulated machine:
//
// - BAR0: a 2 MB region of its own, mapped with mock::MapMmio() so that
//   the driver's readq/writeq on it reach the model's Read64/Write64.
// - DMA: mock::DeviceRead/DeviceWrite, through the mocked IOMMU (a fault
//   there is the model's DMA fault).
// - MSI-X: deliver_irq, when a test sets it (the VF fixture: to
//   mock::RaiseMsix); unset, the vector goes nowhere.
// - The wire: sent frames kept in `wire`, in order, and looped back to
//   receive queue loopback_rq (-1: the sending queue's) when loopback is
//   set.
// - Time: the mocks' simulated microseconds. Guest errors: mock::Violation.
//
// NewPf(): the PF model on such a VNIC, its lost messages the mocks'
// mock::Fault::kMailbox.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "mock/mock.h"
#include "model/host.h"
#include "model/pf.h"
#include "model/vnic.h"

namespace testlib {

class MockedVnic : public model::Host,
                   public model::Vnic,
                   public mock::MmioHandler {
 public:
  explicit MockedVnic(bool cqe_rx2);
  ~MockedVnic() override;

  void* bar0() { return bar_.get(); }

  // Where the driver's readq/writeq on bar0() land (mock::MmioHandler)
  uint64_t Read64(uint64_t offset) override {
    return model::Vnic::Read64(offset);
  }
  void Write64(uint64_t offset, uint64_t value) override {
    model::Vnic::Write64(offset, value);
  }

  // Called to deliver MSI-X vector `vector` to the driver.
  std::function<void(int vector)> deliver_irq;
  // Frames sent to the wire, in order; and looped back to receive queue
  // loopback_rq (-1: the sending queue's) when loopback is set.
  bool loopback = false;
  int loopback_rq = -1;
  std::vector<std::vector<uint8_t>> wire;

  // model::Host
  bool DmaRead(uint64_t addr, void* dst, size_t len) override;
  bool DmaWrite(uint64_t addr, const void* src, size_t len) override;
  void RaiseMsix(int vector) override;
  void SendFrame(int sq, const uint8_t* data, size_t len) override;
  uint64_t NowNs() override;
  void GuestError(const std::string& what) override;

 private:
  std::unique_ptr<uint8_t[]> bar_;
};

// The PF model answering vnic's mailbox; a message is lost (unanswered)
// when mock::ShouldFail(mock::Fault::kMailbox) says so.
std::unique_ptr<model::Pf> NewPf(model::Vnic* vnic);

}  // namespace testlib
