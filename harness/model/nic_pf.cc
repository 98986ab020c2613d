// SPDX-License-Identifier: GPL-2.0-only
// The NIC PF's register file (nic_pf.h).
#include "nic_pf.h"

namespace model {

namespace reg {
constexpr uint64_t kMboxInt = 0x410, kMboxIntW1s = 0x430,
                   kMboxEnaW1c = 0x450, kMboxEnaW1s = 0x470;
constexpr uint64_t kSwSyncRxDone = 0x490008;
constexpr uint64_t kVfWindow = 0x20000000, kVfMailbox = 0x2030;
constexpr int kVfShift = 21;
// A VF's statistics registers, as its BAR0 has them (and the PF's window)
constexpr uint64_t kVnicTxStat = 0x4000, kVnicTxStats = 5,
                   kVnicRxStat = 0x4100, kVnicRxStats = 14,
                   kRqStat = 0x10600, kSqStat = 0x10d00;
constexpr int kQueueShift = 18;
}  // namespace reg

bool NicPf::IsVfStat(uint64_t off) {
  if (off % 8) return false;
  if (off >= reg::kVnicTxStat && off < reg::kVnicTxStat + 8 * reg::kVnicTxStats)
    return true;
  if (off >= reg::kVnicRxStat && off < reg::kVnicRxStat + 8 * reg::kVnicRxStats)
    return true;
  uint64_t q = off >> reg::kQueueShift;
  uint64_t r = off - (q << reg::kQueueShift);
  return q < 8 && (r == reg::kRqStat || r == reg::kRqStat + 8 ||
                   r == reg::kSqStat || r == reg::kSqStat + 8);
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
    if (IsVfStat(in) && vf_stat_write) vf_stat_write(vf, in, val);
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
