// SPDX-License-Identifier: GPL-2.0-only
// Rigs the tests, the benchmark and the fuzz target bring the driver up
// on, so that each does it the same way:
//
// - VnicRig: a fresh simulated machine (mock::Reset()) with a VNIC on it
//   (the device model on the mocks, testlib/mocked_vnic.h).
//   The VF fixture and the mailbox test add the PCI function or the PF.
// - RxRig: the driver's receive rings on that VNIC, without a PCI function
//   or a PF: RBDR 0 and CQs sharing it, brought up as open does, with a
//   net_device and a NAPI context of the rig's own.
//
// Test fixtures derive from a rig and use its members directly; others
// hold one and use the accessors. Neither checks for leaks: the harness's
// main does after every test (testlib/gtest_main.cc), the fuzz target and
// the benchmark after their own runs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "mock/mock.h"
#include "model/vnic.h"
#include "testlib/mocked_vnic.h"

extern "C" {
#include "nicvf_queues.h"
}

namespace testlib {

// mock::Reset()'s default memory
inline constexpr size_t kMachineBytes = size_t(128) << 20;

class VnicRig {
 public:
  VnicRig() = default;
  virtual ~VnicRig() = default;
  VnicRig(const VnicRig&) = delete;
  VnicRig& operator=(const VnicRig&) = delete;

  // A fresh machine (what the last one left is discarded) with mem_bytes
  // of memory and the device behind an IOMMU in `mode`, and a VNIC on it
  // with later silicon's CQE_RX layout (cqe_rx2) or CN88xx pass 1's.
  void NewMachine(mock::IommuMode mode, bool cqe_rx2 = true,
                  size_t mem_bytes = kMachineBytes);
  // Another VNIC on the same machine, the old one gone first
  virtual void NewVnic(bool cqe_rx2);

  MockedVnic* vnic() { return vnic_.get(); }

 protected:
  std::unique_ptr<MockedVnic> vnic_;
};

struct RxConfig {
  bool cqe_rx2 = true;
  uint32_t buf_len = NICVF_RX_BUF_LEN_DEFAULT;
  uint32_t ring_len = NICVF_RBDR_LEN_MIN;
  uint32_t cq_len = NICVF_CQ_LEN_MIN;
  int cqs = 1;
};

class RxRig : public VnicRig {
 public:
  RxRig();
  ~RxRig() override { Down(); }

  // The rig's frames are patterns, not packets: its VNIC does not parse
  // them (the parser's work is the model's, not the driver's)
  void NewVnic(bool cqe_rx2) override;

  // RBDR 0 of cfg's size, and cfg.cqs CQs on it, as open brings them up:
  // each CQ enabled as it comes up, the RBDR last. 0, or the first error
  // (what did come up stays up for Down()).
  int Up(const RxConfig& cfg);
  // The steps of Up(), for a user that keeps the RBDR across CQs: the
  // RBDR initialised (and filled), not yet enabled; then enabled.
  int UpRbdr(uint32_t ring_len, uint32_t buf_len);
  void EnableRbdr();
  // The next CQ, sharing the RBDR, told the VNIC's CQE_RX layout; enabled.
  int AddCq(uint32_t len);
  // A CQ that is not the rig's (the benchmark's baseline keeps its own) on
  // queue q of the rig's VNIC and net_device, receiving from rbdr; enabled.
  int InitCq(nicvf_cq* cq, int q, uint32_t len, nicvf_rbdr* rbdr);

  // NAPI on CQ q until a poll comes back under its budget; what it
  // received is in mock::Delivered(). Returns the packets polled.
  int Drain(int q = 0, int budget = NAPI_POLL_WEIGHT);

  // Taking it down: the CQs stopped as close does (Down() frees them
  // without), freed, the RBDR freed; Down() does both, then drops the VNIC.
  void StopCqs();
  void FreeCqs();
  void FreeRbdr();
  void Down();

  bool rbdr_up() const { return rbdr_up_; }
  int cqs_up() const { return cqs_up_; }
  nicvf_rbdr& rbdr() { return rbdr_; }
  nicvf_cq& cq(int q) { return cq_[q]; }
  net_device& netdev() { return netdev_; }
  napi_struct& napi() { return napi_; }

 protected:
  nicvf_rbdr rbdr_{};
  nicvf_cq cq_[model::Vnic::kQueues]{};
  net_device netdev_{};
  napi_struct napi_{};

 private:
  bool rbdr_up_ = false;
  int cqs_up_ = 0;  // CQs 0 .. cqs_up_ - 1
};

}  // namespace testlib
