// SPDX-License-Identifier: GPL-2.0-only
// The NIC PF function (PCI 177d:a01e) as its register file behaves for the
// in-tree nicpf driver (Linux 6.12 nic_main.c, offsets from nic_reg.h):
//
// - BAR0 (1 GiB) holds the PF's own registers and, from 0x20000000, a
//   2 MiB window per VF (vf << 21); MSI-X is in BAR4 (the host's), with
//   10 vectors: 0-7 ECC, 8 the mailbox of VFs 0-63, 9 of VFs 64-127.
// - The mailbox: each VF's pair of words (NIC_PF_VF_0_127_MAILBOX_0_1 in
//   its window; the VF's NIC_VF_PF_MAILBOX_0_1).  A VF's write of its
//   second word sets the VF's bit in NIC_PF_MAILBOX_INT (write 1 to clear)
//   and, where NIC_PF_MAILBOX_ENA enables it, raises the mailbox vector:
//   once per message, so no message waits for another's clear.  The PF
//   answers second word first; its write of the first word (the second on
//   CN88xx pass 1, which nicpf writes in the other order) hands the pair
//   to the VF.
// - NIC_PF_SW_SYNC_RX_DONE reads done: nicpf polls it from its interrupt
//   handler after asking for a receive sync.
// - A VF's statistics registers are the PF's too, in the VF's window:
//   NIC_VNIC_RX/TX_STAT at the VF's own offsets, the queue sets' RQ and SQ
//   STAT_0_1 at 0x10600 and 0x10d00 (the VF has them at 0x10700 and
//   0x10900): nicpf's RESET_STAT_COUNTER writes them there.
// - The data path between the LMACs and the queue sets is what nicpf
//   programmed, read from these registers at each frame, once nicpf has
//   turned the NIC on (NIC_PF_CFG[ENA]):
//   - receive: LMAC (bgx, lmac) is hardware channel bgx * chans_per_bgx +
//     lmac * chans_per_lmac; NIC_PF_CHAN_0_255_RX_CFG gives the channel's
//     CPI base; that CPI's entry (NIC_PF_CPI_0_2047_CFG on CN88xx pass 1,
//     else NIC_PF_MPI_0_2047_CFG at the same index) names the VNIC whose
//     parser hashes the frame, the RSS index base and the hash width; the
//     RSS index's NIC_PF_RSSI_0_4097_RQ entry names the queue set and RQ,
//     and the queue set must be enabled (NIC_PF_QSET_0_127_CFG[ENA]);
//   - send: NIC_PF_QSET_0_127_SQ_0_7_CFG2 names the SQ's TL4, which must
//     name the SQ back (NIC_PF_TL4_0_1023_CFG); the TL4 feeds TL3
//     tl4 / (TL4s per TL3), whose NIC_PF_TL3_0_255_CHAN is the channel on
//     CN88xx, and on CN81xx/CN83xx TL2 tl3 / 4, whose NIC_PF_TL2_LMAC is
//     the LMAC.
//   Only CPI algorithm NONE is modelled (what both VF drivers ask for);
//   another is counted and steered as NONE.
// Everything else keeps what nicpf writes (it reads back what it
// read-modify-writes).
#pragma once

#include <cstdint>
#include <functional>
#include <unordered_map>

namespace model {

class NicPf {
 public:
  static constexpr uint64_t kBarSize = 1ull << 30;
  static constexpr int kMaxVfs = 128;
  static constexpr int kMsixVectors = 10, kVecMbox0 = 8;

  enum class Family { kCn88xx, kCn81xx, kCn83xx };
  NicPf(Family family, bool pass1, int total_vfs);

  // A 64-bit BAR0 access by the PF driver (offset 8-byte aligned)
  uint64_t Read64(uint64_t offset);
  void Write64(uint64_t offset, uint64_t value);

  // VF `vf` wrote its mailbox (both words, the second last)
  void FromVf(int vf, uint64_t w0, uint64_t w1);

  // The host's side
  std::function<void(int vector)> raise_msix;
  // The PF's answer for VF `vf`
  std::function<void(int vf, uint64_t w0, uint64_t w1)> to_vf;
  // A write to one of VF `vf`'s statistics registers (offset in its BAR0)
  std::function<void(int vf, uint64_t offset, uint64_t value)> vf_stat_write;
  // Whether `offset` (in a VF's BAR0) is one of its statistics registers
  static bool IsVfStat(uint64_t offset);
  // The VF's offset of the statistics register at `window` in a VF's
  // window of the PF's BAR0, or false if it is not one
  static bool WindowToVfStat(uint64_t window, uint64_t* vf_offset);

  uint64_t messages_from_vfs = 0, answers_to_vfs = 0;

  // --- The data path, as the registers say --------------------------------
  // A frame LMAC `lmac` of BGX `bgx` received: the VNIC whose parser
  // takes it, and what its RSS index is made of
  struct RxChannel {
    int vnic = -1;
    uint32_t rssi_base = 0;
    unsigned hash_bits = 0;  // 0: RSS off, every frame at rssi_base
  };
  // False while the NIC is off (NIC_PF_CFG[ENA]); a channel nicpf never
  // programmed reads zeros, as after reset: CPI 0, VNIC 0, RSS index 0
  bool SteerChannel(int bgx, int lmac, RxChannel* out);
  // The queue set and RQ for a frame of that channel (hashed: the parser
  // computed `hash`), false if its queue set is not enabled
  bool SteerRss(const RxChannel& ch, bool hashed, uint32_t hash, int* qset,
                int* rq);
  // The BGX and LMAC SQ `sq` of queue set `qset` sends to, false if the
  // PF has not scheduled it
  bool SendLmac(int qset, int sq, int* bgx, int* lmac);
  uint64_t rx_nic_off = 0;       // frames while the NIC was off
  uint64_t rx_qset_off = 0;      // frames for a queue set not enabled
  uint64_t tx_unscheduled = 0;   // sends from an SQ with no TL4 for it
  uint64_t cpi_alg_other = 0;    // frames of a CPI algorithm not NONE

 private:
  uint64_t& Reg(uint64_t offset) { return regs_[offset]; }
  Family family_;
  bool pass1_;
  int total_vfs_;
  uint64_t int_[2] = {0, 0}, ena_[2] = {0, 0};
  std::unordered_map<uint64_t, uint64_t> regs_;
};

}  // namespace model
