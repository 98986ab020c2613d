// SPDX-License-Identifier: GPL-2.0-only
// The NIC PF's register file (nic_pf.h).
#include "nic_pf.h"

#include <algorithm>

#include "vnic_regs.h"

namespace model {

namespace reg {
constexpr uint64_t kMboxInt = 0x410, kMboxIntW1s = 0x430,
                   kMboxEnaW1c = 0x450, kMboxEnaW1s = 0x470;
constexpr uint64_t kSwSyncRxDone = 0x490008;
constexpr uint64_t kVfWindow = 0x20000000, kVfMailbox = 0x2030;
constexpr int kVfShift = 21;
// NIC_PF_CFG: bit 0 enables the NIC
constexpr uint64_t kPfCfg = 0x0;
// The data path's tables (index << 3 added)
constexpr uint64_t kCpiCfg = 0x200000, kMpiCfg = 0x210000,
                   kRssiRq = 0x220000, kChanRxCfg = 0x420000,
                   kTl2Lmac = 0x540000, kTl3Chan = 0x620000,
                   kTl4Cfg = 0x800000;
// A queue set's registers in its window (qset << 21, queue << 18 added)
constexpr uint64_t kQsetCfg = 0x20010000, kQsetSqCfg2 = 0x20010c08;
constexpr int kQsShift = 21, kQShift = 18;
// The queue sets' statistics in a VF's window of the PF's BAR0
// (NIC_PF_QSET_0_127_RQ/SQ_0_7_STAT_0_1, less the window's base)
constexpr uint64_t kWindowRqStat = 0x10600, kWindowSqStat = 0x10d00;
}  // namespace reg

namespace {

// Whether `off` is register `first` or `first + 8` of a queue (0..7)
bool QueuePair(uint64_t off, uint64_t first) {
  uint64_t q = off >> VNIC_Q_NUM_SHIFT;
  uint64_t r = off - (q << VNIC_Q_NUM_SHIFT);
  return q < 8 && (r == first || r == first + 8);
}

}  // namespace

NicPf::NicPf(Family family, bool pass1, int total_vfs)
    : family_(family), pass1_(pass1), total_vfs_(total_vfs) {}

bool NicPf::SteerChannel(int bgx, int lmac, RxChannel* out) {
  // Channels per LMAC and per BGX (nic_get_hw_info())
  bool cn88 = family_ == Family::kCn88xx;
  uint64_t chan = uint64_t(lmac) * (cn88 ? 16 : 8) + uint64_t(bgx) * (cn88 ? 128 : 32);
  uint64_t rx = Read64(reg::kChanRxCfg | chan << 3);
  uint64_t alg = rx >> 62, cpi = (rx >> 48) & 0x7ff;
  if (alg) cpi_alg_other++;
  // nicpf leaves the CPI tables alone on pass 1 and the MPI's at 0 after
  // it: RSS_SIZE and the RSS index base are in the one the chip uses
  uint64_t e = Read64((pass1_ ? reg::kCpiCfg : reg::kMpiCfg) | cpi << 3);
  if (!(Read64(reg::kPfCfg) & 1)) {
    rx_nic_off++;
    return false;
  }
  out->vnic = int((e >> 24) & 0x7f);
  out->hash_bits = unsigned((e >> 20) & 0xf);
  out->rssi_base = uint32_t(e & 0xfff);
  return true;
}

bool NicPf::SteerRss(const RxChannel& ch, bool hashed, uint32_t hash,
                     int* qset, int* rq) {
  uint32_t rssi = ch.rssi_base;
  if (hashed && ch.hash_bits) rssi += hash & ((1u << ch.hash_bits) - 1);
  uint64_t e = Read64(reg::kRssiRq | uint64_t(rssi & 0xfff) << 3);
  *qset = int((e >> 3) & 0x7f);
  *rq = int(e & 7);
  if (!(Read64(reg::kQsetCfg | uint64_t(*qset) << reg::kQsShift) >> 31 & 1)) {
    rx_qset_off++;
    return false;
  }
  return true;
}

bool NicPf::SendLmac(int qset, int sq, int* bgx, int* lmac) {
  uint64_t tl4 = Read64(reg::kQsetSqCfg2 | uint64_t(qset) << reg::kQsShift |
                        uint64_t(sq) << reg::kQShift) & 0x3ff;
  uint64_t back = Read64(reg::kTl4Cfg | tl4 << 3);
  if (((back >> 27) & 0x7f) != uint64_t(qset) || ((back >> 24) & 7) != uint64_t(sq)) {
    tx_unscheduled++;
    return false;
  }
  // TL4s per TL3 as the silicon has them: 8 per VF's queue set over
  // the chip's TL3s (256 on CN88xx and CN83xx, 64 on CN81xx)
  uint64_t tl3s = family_ == Family::kCn81xx ? 64 : 256;
  uint64_t tl3 = tl4 / std::max<uint64_t>(1, 8 * uint64_t(total_vfs_) / tl3s);
  if (family_ == Family::kCn88xx) {
    uint64_t chan = Read64(reg::kTl3Chan | tl3 << 3) & 0xff;
    *bgx = int(chan / 128);
    *lmac = int(chan % 128 / 16);
  } else {
    uint64_t g = Read64(reg::kTl2Lmac | (tl3 >> 2) << 3) & 0xff;
    *bgx = int(g / 4);
    *lmac = int(g % 4);
  }
  return true;
}

bool NicPf::IsVfStat(uint64_t off) {
  if (off % 8) return false;
  return (off >= VNIC_REG_TX_STAT_0_4 && off < VNIC_REG_TX_STAT_0_4 + 8 * 5) ||
         (off >= VNIC_REG_RX_STAT_0_13 && off < VNIC_REG_RX_STAT_0_13 + 8 * 14) ||
         QueuePair(off, VNIC_REG_RQ_STAT_0_1) ||
         QueuePair(off, VNIC_REG_SQ_STAT_0_1);
}

bool NicPf::WindowToVfStat(uint64_t win, uint64_t* vf_off) {
  if (win % 8) return false;
  if (QueuePair(win, reg::kWindowRqStat))
    *vf_off = win - reg::kWindowRqStat + VNIC_REG_RQ_STAT_0_1;
  else if (QueuePair(win, reg::kWindowSqStat))
    *vf_off = win - reg::kWindowSqStat + VNIC_REG_SQ_STAT_0_1;
  else
    *vf_off = win;  // the VNIC counters: the VF's own offsets
  return IsVfStat(*vf_off);
}

uint64_t NicPf::Read64(uint64_t off) {
  for (int i = 0; i < 2; i++) {
    if (off == reg::kMboxInt + 8 * i || off == reg::kMboxIntW1s + 8 * i)
      return int_[i];
    if (off == reg::kMboxEnaW1c + 8 * i || off == reg::kMboxEnaW1s + 8 * i)
      return ena_[i];
  }
  if (off == reg::kSwSyncRxDone) return 1;
  return Reg(off);
}

void NicPf::Write64(uint64_t off, uint64_t val) {
  for (int i = 0; i < 2; i++) {
    if (off == reg::kMboxInt + 8 * i) {
      int_[i] &= ~val;  // write 1 to clear
      return;
    }
    if (off == reg::kMboxIntW1s + 8 * i) {
      int_[i] |= val;
      if (val & ena_[i] && raise_msix) raise_msix(kVecMbox0 + i);
      return;
    }
    if (off == reg::kMboxEnaW1c + 8 * i) {
      ena_[i] &= ~val;
      return;
    }
    if (off == reg::kMboxEnaW1s + 8 * i) {
      uint64_t newly = val & ~ena_[i];
      ena_[i] |= val;
      if (int_[i] & newly && raise_msix) raise_msix(kVecMbox0 + i);
      return;
    }
  }
  Reg(off) = val;
  if (off >= reg::kVfWindow && off < kBarSize) {
    uint64_t in = (off - reg::kVfWindow) & ((uint64_t(1) << reg::kVfShift) - 1);
    int vf = int((off - reg::kVfWindow) >> reg::kVfShift) & (kMaxVfs - 1);
    uint64_t at;
    if (WindowToVfStat(in, &at) && vf_stat_write) vf_stat_write(vf, at, val);
  }
  // A VF's mailbox in its window: the PF's answer goes to the VF when the
  // word nicpf writes last is written
  if (off >= reg::kVfWindow && off < kBarSize) {
    int vf = int((off - reg::kVfWindow) >> reg::kVfShift) & (kMaxVfs - 1);
    uint64_t base = reg::kVfWindow + (uint64_t(vf) << reg::kVfShift) +
                    reg::kVfMailbox;
    if (off == base + (pass1_ ? 8 : 0)) {
      answers_to_vfs++;
      if (to_vf) to_vf(vf, Reg(base), Reg(base + 8));
    }
  }
}

void NicPf::FromVf(int vf, uint64_t w0, uint64_t w1) {
  if (vf < 0 || vf >= kMaxVfs) return;
  uint64_t base = reg::kVfWindow + (uint64_t(vf) << reg::kVfShift) +
                  reg::kVfMailbox;
  Reg(base) = w0;
  Reg(base + 8) = w1;
  messages_from_vfs++;
  int i = vf / 64;
  uint64_t bit = uint64_t(1) << (vf % 64);
  int_[i] |= bit;
  if (ena_[i] & bit && raise_msix) raise_msix(kVecMbox0 + i);
}

}  // namespace model
