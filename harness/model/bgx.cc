// SPDX-License-Identifier: GPL-2.0-only
// The BGX register file (bgx.h).
#include "bgx.h"

namespace model {

namespace reg {
// Offsets within an LMAC's page, as thunder_bgx.h names them
constexpr uint64_t kCmrCfg = 0x00, kCmrRxLmacs = 0x468, kCmrBistStatus = 0x460,
                   kCmrTxLmacs = 0x1000;
constexpr uint64_t kSpuControl1 = 0x10000, kSpuStatus1 = 0x10008,
                   kSpuStatus2 = 0x10020, kSpuBxStatus = 0x10028,
                   kSpuBrStatus1 = 0x10030, kSpuBrPmdCrtl = 0x10068;
constexpr uint64_t kSmuRxCtl = 0x20048, kSmuCtl = 0x20200;
constexpr uint64_t kPcsMrCtl = 0x30000, kPcsMrStatus = 0x30008,
                   kPcsAnResults = 0x30020;
constexpr uint64_t kGmiPrtCfg = 0x38020;
constexpr uint64_t kCmrRxDmacCtl = 0xe8, kCmrRxDmacCam = 0x200;
constexpr uint64_t kCmrRxStat0 = 0x70, kCmrTxStat0 = 0x600;
constexpr int kDmacCamEntries = 32;
// Bits
constexpr uint64_t kCmrEn = 1ull << 15, kCmrRxEn = 1ull << 14,
                   kCmrTxEn = 1ull << 13;
constexpr uint64_t kCamEn = 1ull << 48, kSpuLoopback = 1ull << 14,
                   kPcsLoopback = 1ull << 14;
constexpr uint64_t kSpuReset = 1ull << 15, kSpuRcvLnk = 1ull << 2,
                   kSpuRcvFlt = 1ull << 10, kBxRxAlign = 1ull << 12,
                   kBrBlkLock = 1ull << 0, kBrRcvLnk = 1ull << 12,
                   kPmdTrainEn = 1ull << 1;
constexpr uint64_t kSmuRxIdle = 1ull << 0, kSmuTxIdle = 1ull << 1,
                   kSmuRxLocalFault = 1;
constexpr uint64_t kPcsReset = 1ull << 15, kPcsRstAn = 1ull << 9,
                   kPcsLink = 1ull << 2, kPcsAnCpt = 1ull << 5;
constexpr uint64_t kGmiRxIdle = 1ull << 12, kGmiTxIdle = 1ull << 13;
}  // namespace reg

void BgxStats::Received(size_t len) {
  rx[0]++;
  rx[1] += WireLen(len);
}

void BgxStats::Filtered(size_t len) {
  rx[4]++;
  rx[5] += WireLen(len);
}

void BgxStats::Sent(const uint8_t* frame, size_t len) {
  uint64_t w = WireLen(len);
  tx[5]++;
  tx[4] += w;
  // <64, 64, 65-127, 128-255, 256-511, 512-1023, 1024-1518, more
  int h = w < 64 ? 0 : w == 64 ? 1 : w < 128 ? 2 : w < 256 ? 3
        : w < 512 ? 4 : w < 1024 ? 5 : w <= 1518 ? 6 : 7;
  tx[6 + h]++;
  bool bcast = len >= 6;
  for (size_t i = 0; i < 6 && i < len; i++) bcast = bcast && frame[i] == 0xff;
  if (bcast)
    tx[14]++;
  else if (len >= 6 && (frame[0] & 1))
    tx[15]++;
}

Bgx::Bgx(unsigned lmacs, unsigned type)
    : lmacs_(lmacs < 1 ? 1 : lmacs > kMaxLmacs ? kMaxLmacs : lmacs),
      type_(type & 7) {
  // What firmware leaves: the LMAC count, each LMAC's type with lanes
  // 0..3 in order (LANE_TO_SDS 0xe4), training off
  Reg(reg::kCmrRxLmacs) = lmacs_;
  Reg(reg::kCmrTxLmacs) = lmacs_;
  Reg(reg::kCmrBistStatus) = 0;
  for (int l = 0; l < kMaxLmacs; l++) {
    uint64_t page = uint64_t(l) << 20;
    Reg(page + reg::kCmrCfg) = uint64_t(type_) << 8 | 0xe4;
    link_[l] = unsigned(l) < lmacs_;
    rcv_lnk_[l] = link_[l];
    rcvflt_[l] = false;
  }
}

bool Bgx::RxEnabled(int lmac) const {
  uint64_t cfg = Get(uint64_t(lmac) << 20 | reg::kCmrCfg);
  return (cfg & reg::kCmrEn) && (cfg & reg::kCmrRxEn);
}

bool Bgx::TxEnabled(int lmac) const {
  uint64_t cfg = Get(uint64_t(lmac) << 20 | reg::kCmrCfg);
  return (cfg & reg::kCmrEn) && (cfg & reg::kCmrTxEn);
}

bool Bgx::Loopback(int lmac) const {
  uint64_t page = uint64_t(lmac) << 20;
  if (type_ == kSgmii) return Get(page + reg::kPcsMrCtl) & reg::kPcsLoopback;
  return Get(page + reg::kSpuControl1) & reg::kSpuLoopback;
}

bool Bgx::DmacPasses(uint64_t ctl, bool in_cam, const uint8_t* dmac) {
  bool cam_accept = ctl & 8;
  bool bcast = true;
  for (int i = 0; i < 6; i++) bcast = bcast && dmac[i] == 0xff;
  if (bcast) return ctl & 1;
  if (dmac[0] & 1) {
    switch ((ctl >> 1) & 3) {
      case 1:
        return true;
      case 2:
        return in_cam == cam_accept;
      default:
        return false;
    }
  }
  return in_cam == cam_accept;
}

bool Bgx::Receive(int lmac, const uint8_t* frame, size_t len) {
  if (lmac < 0 || unsigned(lmac) >= lmacs_ || !RxEnabled(lmac)) {
    rx_off++;
    return false;
  }
  if (len < 14) {
    rx_runts++;
    return false;
  }
  if (!Accepts(lmac, frame)) {
    rx_filtered++;
    stats_[lmac].Filtered(len);
    return false;
  }
  stats_[lmac].Received(len);
  return true;
}

Bgx::Tx Bgx::Send(int lmac, const uint8_t* frame, size_t len) {
  if (lmac < 0 || unsigned(lmac) >= lmacs_ || !TxEnabled(lmac)) {
    tx_off++;
    return Tx::kDropped;
  }
  stats_[lmac].Sent(frame, len);
  if (Loopback(lmac)) {
    looped++;
    return Tx::kLoopback;
  }
  return Tx::kWire;
}

bool Bgx::Accepts(int lmac, const uint8_t* dmac) const {
  uint64_t d = 0;
  for (int i = 0; i < 6; i++) d = d << 8 | dmac[i];
  bool in_cam = false;
  for (int i = 0; i < reg::kDmacCamEntries && !in_cam; i++) {
    uint64_t e = Get(reg::kCmrRxDmacCam + 8 * uint64_t(i));
    in_cam = (e & reg::kCamEn) && ((e >> 49) & 3) == uint64_t(lmac) &&
             (e & 0xffffffffffffull) == d;
  }
  return DmacPasses(Get(uint64_t(lmac) << 20 | reg::kCmrRxDmacCtl), in_cam,
                    dmac);
}

void Bgx::SetLink(int lmac, bool up) {
  if (lmac < 0 || lmac >= kMaxLmacs) return;
  if (link_[lmac] && !up) {
    rcv_lnk_[lmac] = false;
    rcvflt_[lmac] = true;
  }
  link_[lmac] = up;
}

uint64_t Bgx::Read64(uint64_t off) {
  int l = int((off >> 20) & 3);
  uint64_t r = off & 0xfffff;
  bool up = link_[l];
  switch (r) {
    case reg::kSpuStatus1:
      return (Reg(off) & ~reg::kSpuRcvLnk) |
             (up && rcv_lnk_[l] ? reg::kSpuRcvLnk : 0);
    case reg::kSpuStatus2:
      return (Reg(off) & ~reg::kSpuRcvFlt) |
             (rcvflt_[l] ? reg::kSpuRcvFlt : 0);
    case reg::kSpuBxStatus:
      return (Reg(off) & ~reg::kBxRxAlign) | (up ? reg::kBxRxAlign : 0);
    case reg::kSpuBrStatus1:
      return (Reg(off) & ~(reg::kBrBlkLock | reg::kBrRcvLnk)) |
             (up ? reg::kBrBlkLock | reg::kBrRcvLnk : 0);
    case reg::kSpuBrPmdCrtl:
      return Reg(off) & ~reg::kPmdTrainEn;
    case reg::kSmuRxCtl:
      return (Reg(off) & ~3ull) | (up ? 0 : reg::kSmuRxLocalFault);
    case reg::kSmuCtl:
      return Reg(off) | reg::kSmuRxIdle | reg::kSmuTxIdle;
    case reg::kPcsMrStatus:
      return (Reg(off) & ~(reg::kPcsLink | reg::kPcsAnCpt)) |
             (up ? reg::kPcsLink | reg::kPcsAnCpt : 0);
    case reg::kPcsAnResults:
      // 1000 Mb/s (speed 2 in bits 4:3), full duplex (bit 1), link (bit 0)
      return up ? (2ull << 3 | 1ull << 1 | 1) : 0;
    case reg::kGmiPrtCfg:
      return Reg(off) | reg::kGmiRxIdle | reg::kGmiTxIdle;
    default:
      if (r >= reg::kCmrRxStat0 && r < reg::kCmrRxStat0 + 8 * BgxStats::kRx)
        return stats_[l].rx[(r - reg::kCmrRxStat0) / 8];
      if (r >= reg::kCmrTxStat0 && r < reg::kCmrTxStat0 + 8 * BgxStats::kTx)
        return stats_[l].tx[(r - reg::kCmrTxStat0) / 8];
      return Reg(off);
  }
}

void Bgx::Write64(uint64_t off, uint64_t val) {
  int l = int((off >> 20) & 3);
  uint64_t r = off & 0xfffff;
  switch (r) {
    case reg::kSpuControl1:
      Reg(off) = val & ~reg::kSpuReset;  // the reset completes at once
      break;
    case reg::kPcsMrCtl:
      Reg(off) = val & ~(reg::kPcsReset | reg::kPcsRstAn);
      break;
    case reg::kSpuStatus1:
      // Writing RCV_LNK sets it; it stays set while the link is up
      if (val & reg::kSpuRcvLnk) rcv_lnk_[l] = link_[l];
      Reg(off) = val & ~reg::kSpuRcvLnk;
      break;
    case reg::kSpuStatus2:
      if (val & reg::kSpuRcvFlt) rcvflt_[l] = false;  // write 1 to clear
      Reg(off) = val & ~reg::kSpuRcvFlt;
      break;
    case reg::kCmrCfg:
      if ((Reg(off) & reg::kCmrEn) && !(val & reg::kCmrEn))
        stats_[l] = BgxStats();
      Reg(off) = val;
      break;
    default:
      if (r >= reg::kCmrRxStat0 && r < reg::kCmrRxStat0 + 8 * BgxStats::kRx)
        stats_[l].rx[(r - reg::kCmrRxStat0) / 8] = val & ((1ull << 48) - 1);
      else if (r >= reg::kCmrTxStat0 &&
               r < reg::kCmrTxStat0 + 8 * BgxStats::kTx)
        stats_[l].tx[(r - reg::kCmrTxStat0) / 8] = val & ((1ull << 48) - 1);
      else
        Reg(off) = val;
      break;
  }
}

}  // namespace model
