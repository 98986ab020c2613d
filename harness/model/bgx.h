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
// - What the LMAC does with frames, as the registers say: it receives
//   only with CMR_EN and DATA_PKT_RX_EN, sends only with CMR_EN and
//   DATA_PKT_TX_EN (CMRX_CFG); its DMAC filter is CMRX_RX_DMAC_CTL and the
//   BGX's 32 CAM entries (CMR_RX_DMACX_CAM in LMAC 0's page: enable bit
//   48, the LMAC in bits 49-50); internal loopback is
//   GMP_PCS_MRX_CTL[LOOPBACK1] for SGMII and SPUX_CONTROL1[LOOPBACK] for
//   the others.
// - The CMR's counters (CMRX_RX_STAT0..10, CMRX_TX_STAT0..17) count what
//   the LMAC moved, frames as on the wire (padded to 60 bytes, plus the
//   FCS): received and passed on (0/1), dropped by the DMAC filter (4/5);
//   sent (packets 5, octets 4, the size histogram 6-13, broadcast 14,
//   multicast 15). A write sets one; clearing CMR_EN clears the LMAC's.
// Everything else keeps what the driver writes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>

namespace model {

// One LMAC's CMR counters, as the hardware keeps them (BgxStats::kRx
// receive, kTx send; see the list above)
struct BgxStats {
  static constexpr int kRx = 11, kTx = 18;
  uint64_t rx[kRx] = {}, tx[kTx] = {};
  void Received(size_t len);
  void Filtered(size_t len);
  void Sent(const uint8_t* frame, size_t len);
  // A frame of `len` bytes as the wire carries it
  static uint64_t WireLen(size_t len) { return (len < 60 ? 60 : len) + 4; }
};

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
  bool TxEnabled(int lmac) const;
  // Whether LMAC `lmac`'s DMAC filter passes a frame to `dmac`
  bool Accepts(int lmac, const uint8_t* dmac) const;
  // Whether LMAC `lmac` loops what it sends back to its receive side
  bool Loopback(int lmac) const;
  // The DMAC filter's verdict: RX_DMAC_CTL `ctl` (broadcast accept bit 0,
  // multicast mode bits 2:1: reject, accept, CAM filter; bit 3: a CAM
  // match accepts, else rejects), `in_cam`: the address is in the CAM
  static bool DmacPasses(uint64_t ctl, bool in_cam, const uint8_t* dmac);

  // A frame from LMAC `lmac`'s wire: whether it goes on to the NIC
  bool Receive(int lmac, const uint8_t* frame, size_t len);
  // A frame the NIC sends on LMAC `lmac`: where it goes
  enum class Tx { kWire, kLoopback, kDropped };
  Tx Send(int lmac, const uint8_t* frame, size_t len);
  const BgxStats& Stats(int lmac) const { return stats_[lmac]; }
  uint64_t rx_off = 0, rx_filtered = 0, rx_runts = 0, tx_off = 0,
           looped = 0;
  unsigned lmacs() const { return lmacs_; }
  unsigned type() const { return type_; }

 private:
  uint64_t& Reg(uint64_t offset) { return regs_[offset]; }
  uint64_t Get(uint64_t offset) const {
    auto it = regs_.find(offset);
    return it == regs_.end() ? 0 : it->second;
  }
  unsigned lmacs_, type_;
  bool link_[kMaxLmacs];
  // SPUX_STATUS1[RCV_LNK] latches low: set by a write of 1 while the link
  // is up, cleared when the link goes down
  bool rcv_lnk_[kMaxLmacs];
  // SPUX_STATUS2[RCVFLT] latches high: set when the link goes down,
  // cleared by a write of 1
  bool rcvflt_[kMaxLmacs];
  BgxStats stats_[kMaxLmacs];
  std::unordered_map<uint64_t, uint64_t> regs_;  // sparse: 64 MiB of BAR
};

}  // namespace model
