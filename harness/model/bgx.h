// SPDX-License-Identifier: GPL-2.0-only
// The BGX (PCI 177d:a026): the block of up to four LMACs between the wire
// and the NIC, as its register file behaves for the in-tree thunder_bgx
// driver (Linux 6.12 thunder_bgx.c, offsets from thunder_bgx.h), read from
// what that driver writes, reads back and polls:
//
// - Each LMAC's registers are a 1 MiB page of BAR0 (lmac << 20); the
//   BGX-wide ones are in LMAC 0's page.  The MSI-X table and pending bits
//   are in BAR0 too (0x400000 and 0x4f0000), the host's to map.
// - What firmware leaves behind decides what the driver finds: the LMAC
//   count in CMR_RX_LMACS, each LMAC's type and lanes in its CMRX_CFG
//   (the driver takes LMAC 0's type for all of a QLM), training off.
// - The PCS resets (SPUX_CONTROL1[RESET], GMP_PCS_MRX_CTL[RESET], and
//   the autonegotiation restart) clear themselves at once: the driver
//   polls for them and fails its probe if they stay set.
// - The link, as the driver reads it: XFI/XAUI from the SPU (receive link
//   latching low in SPUX_STATUS1, block lock or alignment, a receive fault
//   latching high in SPUX_STATUS2 that a written 1 clears) and the SMU
//   (no local fault in SMUX_RX_CTL, idle); SGMII from the PCS (link and
//   autonegotiation complete, results 1000 Mb/s full duplex).
// - The statistics counters and the DMAC filter are storage for now.
// Everything else keeps what the driver writes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>

namespace model {

class Bgx {
 public:
  static constexpr int kMaxLmacs = 4;
  static constexpr uint64_t kBarSize = 64ull << 20;
  static constexpr uint64_t kMsixTable = 0x400000, kMsixPba = 0x4f0000;
  // LMAC types (CMRX_CFG[10:8])
  static constexpr unsigned kSgmii = 0, kXaui = 1, kRxaui = 2, kXfi = 3,
                            kXlaui = 4;

  // `lmacs` LMACs (1..4) of one type, each with its link up
  Bgx(unsigned lmacs, unsigned type);

  // A 64-bit BAR0 access (offset 8-byte aligned, below kBarSize, outside
  // the MSI-X table and pending bits)
  uint64_t Read64(uint64_t offset);
  void Write64(uint64_t offset, uint64_t value);

  // The wire's side
  void SetLink(int lmac, bool up);
  bool LinkUp(int lmac) const { return link_[lmac]; }
  // Whether LMAC `lmac` passes received frames on (CMR_EN and
  // DATA_PKT_RX_EN in its CMRX_CFG, as nicpf sets at the VF's CFG_DONE)
  bool RxEnabled(int lmac) const;
  unsigned lmacs() const { return lmacs_; }
  unsigned type() const { return type_; }

 private:
  uint64_t& Reg(uint64_t offset) { return regs_[offset]; }
  unsigned lmacs_, type_;
  bool link_[kMaxLmacs];
  // SPUX_STATUS1[RCV_LNK] latches low: set by a write of 1 while the link
  // is up, cleared when the link goes down
  bool rcv_lnk_[kMaxLmacs];
  // SPUX_STATUS2[RCVFLT] latches high: set when the link goes down,
  // cleared by a write of 1
  bool rcvflt_[kMaxLmacs];
  std::unordered_map<uint64_t, uint64_t> regs_;  // sparse: 64 MiB of BAR
};

}  // namespace model
