// SPDX-License-Identifier: GPL-2.0-only
// What the device model needs of the machine it is plugged into: one
// model (vnic.h, pf.h), two hosts. The harness's host
// (harness/testlib/mocked_vnic.h) does DMA through the mocked IOMMU,
// MSI-X through the mocked PCI function and keeps the wire as a list of
// frames; a QEMU device does PCI DMA through its IOMMU, msix_notify(), a
// network backend and QEMU's clock (through the C API, vnic_model.h).
//
// Only the C++17 standard library here: the model builds without the
// mocks, GoogleTest or any kernel header (the nicvf_model_standalone
// target checks it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace model {

class Host {
 public:
  virtual ~Host() = default;

  // Device DMA by bus address (an IOVA where an IOMMU translates): false
  // if the access faults (unmapped, no permission), and then nothing or
  // only part was transferred.
  virtual bool DmaRead(uint64_t addr, void* dst, size_t len) = 0;
  virtual bool DmaWrite(uint64_t addr, const void* src, size_t len) = 0;

  // Deliver MSI-X vector `vector` (0 .. 19) to the driver. Whether the
  // vector is enabled and unmasked is the host's business.
  virtual void RaiseMsix(int vector) = 0;

  // A frame the send engine finished (checksums inserted) leaves on the
  // wire; `sq` is the send queue it came from, for hosts that care.
  virtual void SendFrame(int sq, const uint8_t* data, size_t len) = 0;

  // The time now, in nanoseconds (monotonic; any epoch).
  virtual uint64_t NowNs() = 0;

  // The guest programmed the device (or the PF) in a way the hardware
  // does not allow or that silently does the wrong thing: the harness
  // fails the test, QEMU logs a LOG_GUEST_ERROR.
  virtual void GuestError(const std::string& what) = 0;
};

}  // namespace model
