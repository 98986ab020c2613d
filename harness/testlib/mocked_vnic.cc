// SPDX-License-Identifier: GPL-2.0-only
#include "testlib/mocked_vnic.h"

extern "C" {
#include <linux/jiffies.h>
}

namespace testlib {

MockedVnic::MockedVnic(bool cqe_rx2)
    : model::Vnic(this, cqe_rx2), bar_(new uint8_t[kBarSize]) {
  mock::MapMmio(bar_.get(), kBarSize, this);
}

MockedVnic::~MockedVnic() { mock::UnmapMmio(bar_.get()); }

bool MockedVnic::DmaRead(uint64_t addr, void* dst, size_t len) {
  return mock::DeviceRead(addr, dst, len);
}

bool MockedVnic::DmaWrite(uint64_t addr, const void* src, size_t len) {
  return mock::DeviceWrite(addr, src, len);
}

void MockedVnic::RaiseMsix(int vector) {
  if (deliver_irq) deliver_irq(vector);
}

void MockedVnic::SendFrame(int sq, const uint8_t* data, size_t len) {
  wire.emplace_back(data, data + len);
  if (loopback) {
    // A copy: Receive() may send (and so grow `wire`) in turn
    std::vector<uint8_t> frame(data, data + len);
    Receive(loopback_rq >= 0 ? loopback_rq : sq, frame);
  }
}

uint64_t MockedVnic::NowNs() { return mock_usecs * 1000; }

void MockedVnic::GuestError(const std::string& what) { mock::Violation(what); }

std::unique_ptr<model::Pf> NewPf(model::Vnic* vnic) {
  auto pf = std::make_unique<model::Pf>(vnic);
  pf->lose_message = [] { return mock::ShouldFail(mock::Fault::kMailbox); };
  return pf;
}

}  // namespace testlib
