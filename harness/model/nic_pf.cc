// SPDX-License-Identifier: GPL-2.0-only
// The NIC PF's register file (nic_pf.h).
#include "nic_pf.h"

#include "vnic_regs.h"

namespace model {

namespace reg {
constexpr uint64_t kMboxInt = 0x410, kMboxIntW1s = 0x430,
                   kMboxEnaW1c = 0x450, kMboxEnaW1s = 0x470;
constexpr uint64_t kSwSyncRxDone = 0x490008;
constexpr uint64_t kVfWindow = 0x20000000, kVfMailbox = 0x2030;
constexpr int kVfShift = 21;
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
