// SPDX-License-Identifier: GPL-2.0-only
#include "vnic.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "kunit/vnic_hw.h"
#include "vnic_regs.h"

namespace model {

// Descriptor layouts (CQEs, RBDR entries, send subdescriptors) come from
// kunit/vnic_hw.h, which the KUnit module's device uses too; register
// offsets from vnic_regs.h; the register fields below are the model's
// alone. Both are written out from the
// hardware's layout rather than taken from the driver's macros, so that a
// wrong mask in the driver makes the two disagree instead of agreeing on
// the same mistake.
namespace hw {
constexpr uint64_t kRbdrEna = 1ull << 44, kRbdrReset = 1ull << 43;
constexpr unsigned kFifoInactive = 0, kFifoActive = 1, kFifoReset = 2;
constexpr unsigned kRbdrQsizeShift = 32;   // [35:32], 8K << n entries
constexpr uint64_t kRbdrLinesMask = 0xfff; // [11:0], 128-byte lines
constexpr uint64_t kCqEna = 1ull << 42, kCqReset = 1ull << 41;
constexpr unsigned kCqQsizeShift = 32;     // [34:32], 1K << n entries
constexpr uint64_t kSqEna = 1ull << 19, kSqReset = 1ull << 17;
constexpr unsigned kSqQsizeShift = 8;      // [10:8], 1K << n entries
constexpr unsigned kSqCqLimitShift = 24;   // [31:24], in 256ths of the CQ
constexpr uint64_t kSqStopped = 1ull << 21;  // SQ_STATUS
constexpr uint64_t kCqWrFault = 1ull << 24;  // CQ_STATUS
// Send status values this model reports (any nonzero is an error)
constexpr uint8_t kTxErrSubdesc = 0x11, kTxErrMemFault = 0x81,
                  kTxErrLength = 0x12, kTxErrImmOflow = 0x80;
constexpr uint8_t kErrL3Csum = 0x41, kErrL4Csum = 0x62;  // model's opcodes
// RQ_GEN_CFG and RSS_CFG bits the model honours
constexpr uint64_t kGenCsumL4 = 1ull << 21, kGenVlanStrip = 1ull << 25;
constexpr uint64_t kRssIpEna = 1ull << 1, kRssTcpEna = 1ull << 2,
                   kRssUdpEna = 1ull << 4;
// Interrupt bits to MSI-X vectors
constexpr unsigned kIntMbox = 22, kIntQsErr = 23;
constexpr int kVecMisc = 18, kVecQsErr = 19;
}  // namespace hw

static_assert(sizeof(Cqe) == VNIC_CQE_BYTES, "a Cqe is one CQ entry");

namespace {

uint16_t Be16(const uint8_t* p) { return uint16_t(p[0] << 8 | p[1]); }

// Internet checksum of b[from, to) plus an initial sum
uint16_t Csum(const std::vector<uint8_t>& b, size_t from, size_t to,
              uint32_t sum = 0) {
  for (size_t i = from; i < to; i += 2)
    sum += uint32_t(b[i] << 8 | (i + 1 < to ? b[i + 1] : 0));
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return uint16_t(~sum);
}

// The TCP/UDP checksum of the segment at l4 (field zeroed or not, as is)
uint16_t L4Csum(const std::vector<uint8_t>& f, size_t l3, size_t l4,
                bool v6, uint8_t proto) {
  uint32_t sum = 0;
  size_t len = f.size() - l4;
  if (v6) {
    for (size_t i = 0; i < 32; i += 2) sum += Be16(&f[l3 + 8 + i]);
  } else {
    for (size_t i = 0; i < 8; i += 2) sum += Be16(&f[l3 + 12 + i]);
  }
  sum += proto;
  sum += uint32_t(len);
  return Csum(f, l4, f.size(), sum);
}

struct Headers {
  size_t l3 = 0, l4 = 0;
  bool v4 = false, v6 = false;
  uint8_t proto = 0;
};

Headers ParseHeaders(const std::vector<uint8_t>& f) {
  Headers h;
  if (f.size() < 14) return h;
  size_t l3 = 14;
  uint16_t type = Be16(&f[12]);
  if (type == 0x8100 && f.size() >= 18) {
    type = Be16(&f[16]);
    l3 = 18;
  }
  if (type == 0x0800 && f.size() >= l3 + 20) {
    h.v4 = true;
    h.l4 = l3 + (f[l3] & 0xf) * 4;
    h.proto = f[l3 + 9];
  } else if (type == 0x86dd && f.size() >= l3 + 40) {
    h.v6 = true;
    h.l4 = l3 + 40;
    h.proto = f[l3 + 6];
  }
  h.l3 = l3;
  return h;
}

// The Toeplitz hash of `in` under a 40-byte key: for each input bit set,
// the 32 key bits starting at that bit's position are XORed in. The model's
// choice of RSS function (the hardware's is not public): one that depends
// on the key the driver programs and spreads ports that differ only in
// their high bits, as Linux's even-numbered connect() ports do.
uint32_t Toeplitz(const uint8_t (&key)[40], const uint8_t* in, size_t n) {
  uint32_t h = 0;
  uint32_t win = uint32_t(key[0]) << 24 | uint32_t(key[1]) << 16 |
                 uint32_t(key[2]) << 8 | key[3];
  size_t next = 32;  // the key bit that enters the window next
  for (size_t i = 0; i < n; i++) {
    for (int b = 7; b >= 0; b--) {
      if (in[i] >> b & 1) h ^= win;
      uint32_t bit = next < 320 ? (key[next / 8] >> (7 - next % 8)) & 1 : 0;
      win = win << 1 | bit;
      next++;
    }
  }
  return h;
}

}  // namespace

Vnic::Vnic(Host* host, bool cqe_rx2)
    : host_(host), cqe_rx2_(cqe_rx2), regs_(kBarSize / 8) {}

uint64_t Vnic::Read64(uint64_t off) {
  int q = int((off >> VNIC_Q_NUM_SHIFT) & 7);
  uint64_t reg = off & ~(uint64_t(7) << VNIC_Q_NUM_SHIFT);
  switch (reg) {
    case VNIC_REG_RBDR_STATUS0:
      return q < kRbdrs ? rbdr_[q].qcount | uint64_t(rbdr_[q].fifo) << 62 : 0;
    case VNIC_REG_RBDR_PREFETCH_STATUS:
      // Halves differ while buffers are being prefetched
      return rbdr_prefetch_busy ? uint64_t(1) << 32 : 0;
    case VNIC_REG_RBDR_HEAD:
      return q < kRbdrs ? uint64_t(rbdr_[q].head) << VNIC_RBDR_PTR_SHIFT : 0;
    case VNIC_REG_RBDR_TAIL:
      return q < kRbdrs ? uint64_t(rbdr_[q].tail) << VNIC_RBDR_PTR_SHIFT : 0;
    case VNIC_REG_CQ_STATUS:
      return cq_[q].count | cq_[q].err;
    case VNIC_REG_CQ_HEAD:
      return uint64_t(cq_[q].head) << VNIC_CQ_PTR_SHIFT;
    case VNIC_REG_CQ_TAIL:
      return uint64_t(cq_[q].tail) << VNIC_CQ_PTR_SHIFT;
    case VNIC_REG_SQ_STATUS:
      return sq_[q].ena || sq_stuck ? 0 : hw::kSqStopped;
    case VNIC_REG_SQ_HEAD:
      return uint64_t(sq_[q].head) << VNIC_SQ_PTR_SHIFT;
    case VNIC_REG_SQ_TAIL:
      return uint64_t(sq_[q].tail) << VNIC_SQ_PTR_SHIFT;
    case VNIC_REG_VF_INT:
    case VNIC_REG_VF_INT_W1S:
      return int_status_;
    case VNIC_REG_VF_ENA_W1S:
    case VNIC_REG_VF_ENA_W1C:
      return int_enable_;
    default:
      return regs_[off / 8];
  }
}

void Vnic::Write64(uint64_t off, uint64_t val) {
  WriteReg(off, val);
  if (after_write && !in_after_write_) {
    in_after_write_ = true;
    after_write(off);
    in_after_write_ = false;
  }
}

void Vnic::WriteReg(uint64_t off, uint64_t val) {
  int q = int((off >> VNIC_Q_NUM_SHIFT) & 7);
  uint64_t reg = off & ~(uint64_t(7) << VNIC_Q_NUM_SHIFT);
  regs_[off / 8] = val;
  if (record_cfg_writes) {
    if (reg == VNIC_REG_RBDR_CFG || reg == VNIC_REG_CQ_CFG ||
        reg == VNIC_REG_CQ_CFG2 || reg == VNIC_REG_RQ_CFG ||
        reg == VNIC_REG_RQ_GEN_CFG || reg == VNIC_REG_SQ_CFG)
      cfg_writes.push_back({reg, q, val});
    // The second mailbox word sends a message: logged by its type
    if (off == VNIC_REG_VF_PF_MAILBOX_0_1 + 8)
      cfg_writes.push_back(
          {off, 0, regs_[VNIC_REG_VF_PF_MAILBOX_0_1 / 8] & 0xff});
  }
  switch (reg) {
    case VNIC_REG_RBDR_BASE:
      if (q < kRbdrs) rbdr_[q].base = val;
      break;
    case VNIC_REG_RBDR_CFG:
      if (q < kRbdrs) {
        Rbdr& r = rbdr_[q];
        if (val & hw::kRbdrReset) {
          r = Rbdr{};
          r.fifo = hw::kFifoReset;
          break;
        }
        r.cfg = val;
        r.ena = val & hw::kRbdrEna;
        if (r.ena)
          r.fifo = hw::kFifoActive;
        else if (!rbdr_fifo_stuck || r.fifo != hw::kFifoActive)
          r.fifo = hw::kFifoInactive;
        r.len = 8192u << ((val >> hw::kRbdrQsizeShift) & 0xf);
        r.lines = uint32_t(val & hw::kRbdrLinesMask);
      }
      break;
    case VNIC_REG_RBDR_DOOR:
      if (q < kRbdrs) {
        Rbdr& r = rbdr_[q];
        if (!r.ena || r.qcount + val > r.len - 1) {
          doorbell_errors++;
          break;
        }
        r.qcount += uint32_t(val);
        r.tail = (r.tail + uint32_t(val)) % r.len;
      }
      break;
    case VNIC_REG_CQ_BASE:
      cq_[q].base = val;
      break;
    case VNIC_REG_CQ_CFG: {
      Cq& c = cq_[q];
      if (val & hw::kCqReset) {
        c = Cq{};
        break;
      }
      c.cfg = val;
      c.ena = val & hw::kCqEna;
      c.len = 1024u << ((val >> hw::kCqQsizeShift) & 0x7);
      break;
    }
    case VNIC_REG_VF_INT:
      int_status_ &= ~val;  // write 1 to clear
      break;
    case VNIC_REG_VF_INT_W1S:
      Raise(val);
      break;
    case VNIC_REG_VF_ENA_W1S: {
      uint64_t newly = val & ~int_enable_;
      int_enable_ |= val;
      Deliver(int_status_ & newly);  // a pending, newly enabled cause fires
      break;
    }
    case VNIC_REG_SQ_BASE:
      sq_[q].base = val;
      break;
    case VNIC_REG_SQ_CFG: {
      Sq& s = sq_[q];
      if (val & hw::kSqReset) {
        s = Sq{};
        break;
      }
      s.ena = val & hw::kSqEna;
      s.len = 1024u << ((val >> hw::kSqQsizeShift) & 0x7);
      s.cq_limit = uint32_t(val >> hw::kSqCqLimitShift) & 0xff;
      break;
    }
    case VNIC_REG_SQ_DOOR: {
      Sq& s = sq_[q];
      if (!s.ena || s.pending + val > s.len - 1) {
        doorbell_errors++;
        break;
      }
      s.pending += uint32_t(val);
      s.tail = (s.tail + uint32_t(val)) % s.len;
      if (tx_auto) ProcessSq(q);
      break;
    }
    case VNIC_REG_VF_ENA_W1C:
      int_enable_ &= ~val;
      break;
    case VNIC_REG_VF_PF_MAILBOX_0_1 + 8:
      if (on_vf_mailbox) {
        MbxMsg m;
        uint64_t w[2] = {regs_[VNIC_REG_VF_PF_MAILBOX_0_1 / 8], val};
        for (int i = 0; i < 16; i++) m[i] = uint8_t(w[i / 8] >> (8 * (i % 8)));
        on_vf_mailbox(m);
      }
      break;
    case VNIC_REG_CQ_HEAD: {
      // Software writes HEAD back unchanged to re-arm (the in-tree driver's
      // poll does): the CQ compares its count with CQ_THRESH again. A HEAD
      // moved by software is not modelled and counted as a bad doorbell.
      Cq& c = cq_[q];
      if (((val >> VNIC_CQ_PTR_SHIFT) & 0xffff) != c.head) {
        doorbell_errors++;
        break;
      }
      if (c.ena && c.count > CqThresh(q))
        Raise((uint64_t(1) << (VNIC_INT_CQ_SHIFT + q)));
      break;
    }
    case VNIC_REG_CQ_DOOR: {
      Cq& c = cq_[q];
      if (val > c.count) {
        doorbell_errors++;
        break;
      }
      c.count -= uint32_t(val);
      c.head = (c.head + uint32_t(val)) % c.len;
      // Room again in the CQ: an SQ its limit held goes on
      if (tx_auto && sq_[q].pending) ProcessSq(q);
      break;
    }
    default:
      break;
  }
}

void Vnic::PfSend(const MbxMsg& m) {
  uint64_t w[2] = {0, 0};
  for (int i = 0; i < 16; i++) w[i / 8] |= uint64_t(m[i]) << (8 * (i % 8));
  regs_[VNIC_REG_VF_PF_MAILBOX_0_1 / 8] = w[0];
  regs_[VNIC_REG_VF_PF_MAILBOX_0_1 / 8 + 1] = w[1];
  Raise(VNIC_INT_MBOX);
}

void Vnic::Raise(uint64_t bits) {
  int_status_ |= bits;
  Deliver(bits & int_enable_);
}

// CQ, SQ and RBDR bits map to their own vectors, the mailbox (and the
// other causes) to MISC, queue-set errors to QS_ERR.
void Vnic::Deliver(uint64_t bits) {
  for (unsigned b = 0; b < 64; b++) {
    if (!(bits >> b & 1)) continue;
    int vec;
    if (b < 18)
      vec = int(b);
    else if (b == hw::kIntMbox)
      vec = hw::kVecMisc;
    else if (b == hw::kIntQsErr)
      vec = hw::kVecQsErr;
    else
      continue;  // causes the driver does not take (packet drop, TCP timer)
    irqs_delivered++;
    host_->RaiseMsix(vec);
  }
}

bool Vnic::TakeBuffer(int rbdr, uint64_t* addr) {
  Rbdr& r = rbdr_[rbdr];
  if (!r.ena || !r.qcount) return false;
  uint64_t at = r.base + uint64_t(r.head) * VNIC_RBDR_ENTRY_BYTES;
  if (!host_->DmaRead(at, addr, sizeof(*addr))) {
    Fault("RBDR entry read", at);
    return false;
  }
  r.head = (r.head + 1) % r.len;
  r.qcount--;
  // Below the threshold, the RBDR interrupt asks for more
  if (r.qcount < (regs_[(VNIC_REG_RBDR_THRESH +
                         (uint64_t(rbdr) << VNIC_Q_NUM_SHIFT)) / 8] &
                  VNIC_RBDR_THRESH_MASK))
    Raise((uint64_t(1) << (VNIC_INT_RBDR_SHIFT + rbdr)));
  return true;
}

bool Vnic::WriteCqe(int cq, const Cqe& cqe) {
  Cq& c = cq_[cq];
  // The hardware keeps one entry free so a full ring is not an empty one.
  if (!c.ena || c.count + 1 >= c.len) {
    drops_cq_full++;
    return false;
  }
  uint64_t at = c.base + uint64_t(c.tail) * VNIC_CQE_BYTES;
  if (!host_->DmaWrite(at, cqe.data(), VNIC_CQE_BYTES)) {
    // As the hardware reports it: CQ_STATUS[WR_FAULT] and a QS error
    Fault("CQE write", at);
    c.err |= hw::kCqWrFault;
    RaiseQsErr();
    return false;
  }
  c.tail = (c.tail + 1) % c.len;
  c.count++;
  if (c.count > CqThresh(cq)) Raise((uint64_t(1) << (VNIC_INT_CQ_SHIFT + cq)));
  return true;
}

uint32_t Vnic::CqThresh(int q) const {
  return uint32_t(regs_[(VNIC_REG_CQ_THRESH +
                         (uint64_t(q) << VNIC_Q_NUM_SHIFT)) / 8] &
                  VNIC_CQ_THRESH_MASK);
}

void Vnic::Fault(const char* what, uint64_t addr) {
  dma_faults++;
  if (!report_faults) return;
  char a[24];
  std::snprintf(a, sizeof(a), "0x%llx", static_cast<unsigned long long>(addr));
  host_->GuestError(std::string("DMA fault: ") + what + " at bus address " + a);
}

bool Vnic::TimerPending() const {
  for (int q = 0; q < kQueues; q++) {
    uint64_t cfg2 =
        regs_[(VNIC_REG_CQ_CFG2 + (uint64_t(q) << VNIC_Q_NUM_SHIFT)) / 8];
    if (cq_[q].ena && cq_[q].count && (cfg2 & VNIC_CQ_CFG2_TIMER_MASK))
      return true;
  }
  return false;
}

void Vnic::Tick() {
  for (int q = 0; q < kQueues; q++) {
    uint64_t cfg2 =
        regs_[(VNIC_REG_CQ_CFG2 + (uint64_t(q) << VNIC_Q_NUM_SHIFT)) / 8];
    if (!cq_[q].ena || !cq_[q].count || !(cfg2 & VNIC_CQ_CFG2_TIMER_MASK))
      continue;
    cq_timer_irqs++;
    Raise((uint64_t(1) << (VNIC_INT_CQ_SHIFT + q)));
  }
}

Cqe Vnic::MakeCqeRx(int cq, const std::vector<uint64_t>& ptrs,
                    const std::vector<uint16_t>& lens,
                    unsigned align_pad) const {
  Cqe w{};
  unsigned total = 0;
  for (uint16_t l : lens) total += l;
  w[0] = VNIC_CQE_TYPE_RX << VNIC_CQE_TYPE_SHIFT |
         uint64_t(ptrs.size() & 0xf) << VNIC_CQE_RX_RB_CNT_SHIFT |
         uint64_t(cq & 7) << VNIC_CQE_RX_RQ_IDX_SHIFT | VNIC_CQE_RX_L2_PRESENT;
  w[1] = uint64_t(total & 0xffff) << VNIC_CQE_RX_PKT_LEN_SHIFT |
         uint64_t(align_pad & 7) << VNIC_CQE_RX_ALIGN_PAD_SHIFT;
  for (size_t i = 0; i < lens.size() && i < VNIC_CQE_RX_MAX_BUFS; i++)
    w[VNIC_CQE_RX_LEN_WORD + i / 4] |= uint64_t(lens[i]) << (16 * (i % 4));
  // Later silicon fills word 6 (CQE_RX2); it is never zero there, so a
  // driver reading it as a buffer pointer is not saved by a zero.
  if (cqe_rx2_)
    w[VNIC_CQE_RX_PTR_WORD_PASS1] = 0x0000c0de00000000ull | (ptrs.size() << 8);
  size_t first =
      cqe_rx2_ ? VNIC_CQE_RX_PTR_WORD_RX2 : VNIC_CQE_RX_PTR_WORD_PASS1;
  for (size_t i = 0; i < ptrs.size() && i < VNIC_CQE_RX_MAX_BUFS; i++)
    w[first + i] = ptrs[i];
  return w;
}

RxResult Vnic::Receive(int cq, const std::vector<uint8_t>& in,
                       const RxOptions& opt) {
  return ReceiveOn(cq, in, opt);
}

RxResult Vnic::ReceiveWire(const std::vector<uint8_t>& in) {
  if (lmac_rx_enabled && !lmac_rx_enabled()) {
    drops_lmac_off++;
    return RxResult{};
  }
  return ReceiveOn(-1, in, {}, nullptr, -1);
}

// The VNIC's statistics registers (NIC_VNIC_RX_STAT_0_13,
// NIC_VNIC_TX_STAT_0_4, the RQ and SQ STAT_0_1 pairs), counted as the
// hardware counts: per frame the BGX passed, by destination class
void Vnic::Count(uint64_t reg, uint64_t n) { regs_[reg / 8] += n; }

void Vnic::CountFrame(bool rx, int q, const std::vector<uint8_t>& f,
                      bool taken) {
  CountFrame(rx, q, f.size() >= 6 ? f.data() : nullptr, f.size(), taken);
}

void Vnic::CountFrame(bool rx, int q, const uint8_t* dmac, size_t len,
                      bool taken) {
  uint64_t stat = rx ? VNIC_REG_RX_STAT_0_13 : VNIC_REG_TX_STAT_0_4;
  uint64_t qstat = (rx ? VNIC_REG_RQ_STAT_0_1 : VNIC_REG_SQ_STAT_0_1) +
                   (uint64_t(q) << VNIC_Q_NUM_SHIFT);
  if (!taken) {
    // RX: dropped at the RQ's RED levels (no buffer, CQ full);
    // TX: a send the SQ could not do
    if (rx) {
      Count(stat + 8 * VNIC_RX_STAT_RED);
      Count(stat + 8 * VNIC_RX_STAT_RED_OCTS, len);
    } else {
      Count(stat + 8 * VNIC_TX_STAT_DROP);
    }
    return;
  }
  bool bcast = dmac && std::all_of(dmac, dmac + 6,
                                   [](uint8_t b) { return b == 0xff; });
  bool mcast = !bcast && dmac && (dmac[0] & 1);
  Count(stat + 8 * VNIC_STAT_OCTS, len);
  Count(stat + 8 * (bcast ? VNIC_STAT_BCAST
                          : mcast ? VNIC_STAT_MCAST : VNIC_STAT_UCAST));
  Count(qstat, len);
  Count(qstat + 8);
}

bool Vnic::RoomFor(size_t len) const {
  const Rbdr& r = rbdr_[0];
  if (!r.ena || !r.lines) return false;
  if (bgx_rx_timestamp && bgx_rx_timestamp()) len += 8;
  size_t buf_len = size_t(r.lines) * 128;
  if (r.qcount < (len + buf_len - 1) / buf_len) return false;
  for (int q = 0; q < kQueues; q++)
    if (cq_[q].ena && cq_[q].count + 1 >= cq_[q].len) return false;
  return true;
}

RxResult Vnic::ReceiveSteered(const std::vector<uint8_t>& in, int own_qset,
                              const std::function<int(const Cqe&)>& steer) {
  return ReceiveOn(-1, in, {}, &steer, own_qset);
}

bool Vnic::RssHash(const Cqe& parsed, uint32_t* hash) {
  *hash = uint32_t(parsed[2] >> VNIC_CQE_RX_RSS_TAG_SHIFT);
  return (parsed[0] >> VNIC_CQE_RX_RSS_ALG_SHIFT) & 0xf;
}

RxResult Vnic::ReceiveOn(int cq, const std::vector<uint8_t>& in,
                         const RxOptions& opt,
                         const std::function<int(const Cqe&)>* steer,
                         int own_qset) {
  if (wire_rx && !wire_rx(in)) return RxResult{};
  RxResult res = Deliver(cq, in, opt, steer, own_qset);
  if (res.elsewhere >= 0) return res;  // another VNIC's to receive
  // (the queue the frame went to, or 0 for one steered nowhere)
  CountFrame(true, res.rq < 0 ? 0 : res.rq, in, res.posted);
  return res;
}

RxResult Vnic::Deliver(int cq, const std::vector<uint8_t>& in,
                       const RxOptions& opt,
                       const std::function<int(const Cqe&)>* steer,
                       int own_qset) {
  RxResult res;
  std::vector<uint8_t> frame = in;
  Cqe parsed{};
  if (parse_rx) Parse(frame, parsed);
  if (steer) {
    int to = (*steer)(parsed);
    if (to < 0) {
      drops_other_qset++;
      return res;
    }
    if (to >> 3 != own_qset) {
      res.elsewhere = to;
      return res;
    }
    cq = to & 7;
  } else if (cq < 0) {
    cq = select_rq ? select_rq(parsed) : 0;
    if (cq < 0 || cq >= kQueues) {
      drops_other_qset++;
      return res;
    }
  }
  res.rq = cq;
  if (bgx_rx_timestamp && bgx_rx_timestamp())
    frame.insert(frame.begin(), 8, uint8_t(0x7e));
  Rbdr& r = rbdr_[0];
  if (!r.ena || !cq_[cq].ena) return res;
  size_t buf_len = size_t(r.lines) * 128;
  size_t first_cap = buf_len - opt.align_pad;
  size_t nbufs = 1;
  if (frame.size() > first_cap)
    nbufs += (frame.size() - first_cap + buf_len - 1) / buf_len;
  if (nbufs > VNIC_CQE_RX_MAX_BUFS) {
    drops_too_long++;
    return res;
  }
  if (r.qcount < nbufs) {
    drops_no_buffer++;
    return res;
  }
  if (cq_[cq].count + 1 >= cq_[cq].len) {
    drops_cq_full++;
    return res;
  }

  std::vector<uint64_t> ptrs;
  std::vector<uint16_t> lens;
  size_t done = 0;
  for (size_t i = 0; i < nbufs; i++) {
    uint64_t addr;
    if (!TakeBuffer(0, &addr)) return res;
    res.buffers.push_back(addr);
    uint64_t data = addr + (i ? 0 : opt.align_pad);
    size_t n = std::min(frame.size() - done, i ? buf_len : first_cap);
    if (!host_->DmaWrite(data, frame.data() + done, n))
      Fault("receive buffer write", data);
    ptrs.push_back(data);
    lens.push_back(uint16_t(n));
    done += n;
  }
  Cqe cqe = MakeCqeRx(cq, ptrs, lens, opt.align_pad);
  cqe[0] |= parsed[0];
  cqe[2] |= parsed[2];
  if (opt.err_level || opt.err_opcode)
    cqe[0] = (cqe[0] & ~0x7ffull) |
             uint64_t(opt.err_level & 7) << VNIC_CQE_RX_ERR_LEVEL_SHIFT |
             uint64_t(opt.err_opcode & 0xff) << VNIC_CQE_RX_ERR_OPCODE_SHIFT;
  if (opt.mutate) opt.mutate(cqe);
  res.posted = WriteCqe(cq, cqe);
  rx_cqes += res.posted;
  return res;
}

// What the parser finds: VLAN tag (stripped if RQ_GEN_CFG says so), L3/L4
// types, checksum errors (L4 only if RQ_GEN_CFG asks), and the RSS hash.
void Vnic::Parse(std::vector<uint8_t>& f, Cqe& c) {
  uint64_t gen = regs_[VNIC_REG_RQ_GEN_CFG / 8];
  uint64_t rss = regs_[VNIC_REG_RSS_CFG / 8];
  if (f.size() >= 18 && Be16(&f[12]) == 0x8100) {
    c[0] |= VNIC_CQE_RX_VLAN_FOUND;
    if (gen & hw::kGenVlanStrip) {
      uint16_t tci = Be16(&f[14]);
      c[0] |= VNIC_CQE_RX_VLAN_STRIPPED;
      // The tag as it was on the wire: network order in the CQE
      c[2] |= uint64_t(__builtin_bswap16(tci)) << VNIC_CQE_RX_VLAN_TCI_SHIFT;
      f.erase(f.begin() + 12, f.begin() + 16);
    }
  }
  Headers h = ParseHeaders(f);
  if (!h.v4 && !h.v6) return;
  c[0] |= (h.v4 ? VNIC_L3_TYPE_IPV4 : VNIC_L3_TYPE_IPV6)
          << VNIC_CQE_RX_L3_TYPE_SHIFT;
  if (h.v4 && Csum(f, h.l3, h.l4) != 0) {
    c[0] |= VNIC_ERR_LEVEL_L3 << VNIC_CQE_RX_ERR_LEVEL_SHIFT | hw::kErrL3Csum;
    return;
  }
  bool tcp = h.proto == 6 && f.size() >= h.l4 + 20;
  bool udp = h.proto == 17 && f.size() >= h.l4 + 8;
  if (tcp) c[0] |= VNIC_L4_TYPE_TCP << VNIC_CQE_RX_L4_TYPE_SHIFT;
  if (udp) c[0] |= VNIC_L4_TYPE_UDP << VNIC_CQE_RX_L4_TYPE_SHIFT;
  bool zero_udp = udp && h.v4 && Be16(&f[h.l4 + 6]) == 0;
  if ((tcp || udp) && (gen & hw::kGenCsumL4) && !zero_udp &&
      L4Csum(f, h.l3, h.l4, h.v6, h.proto) != 0) {
    c[0] |= VNIC_ERR_LEVEL_L4 << VNIC_CQE_RX_ERR_LEVEL_SHIFT | hw::kErrL4Csum;
    return;
  }
  // Source and destination addresses, then (for TCP and UDP hashing)
  // source and destination ports, as they are on the wire
  size_t alen = h.v4 ? 8 : 32, aoff = h.v4 ? 12 : 8;
  uint8_t in[36];
  std::copy(&f[h.l3 + aoff], &f[h.l3 + aoff] + alen, in);
  uint64_t alg = 0;
  size_t n = alen;
  if (tcp && (rss & hw::kRssTcpEna)) {
    alg = VNIC_RSS_ALG_TCP;
  } else if (udp && (rss & hw::kRssUdpEna)) {
    alg = VNIC_RSS_ALG_UDP;
  } else if (rss & hw::kRssIpEna) {
    alg = VNIC_RSS_ALG_IP;
  }
  if (alg == VNIC_RSS_ALG_TCP || alg == VNIC_RSS_ALG_UDP) {
    std::copy(&f[h.l4], &f[h.l4] + 4, in + alen);
    n += 4;
  }
  uint8_t key[40];
  for (int w = 0; w < 5; w++)
    for (int b = 0; b < 8; b++)
      key[w * 8 + b] = uint8_t(regs_[VNIC_REG_RSS_KEY_0_4 / 8 + w] >> (8 * b));
  uint32_t tag = Toeplitz(key, in, n);
  if (!alg) return;
  c[0] |= alg << VNIC_CQE_RX_RSS_ALG_SHIFT;
  c[2] |= uint64_t(tag) << VNIC_CQE_RX_RSS_TAG_SHIFT;
}

void Vnic::RaiseQsErr() { Raise(uint64_t(1) << hw::kIntQsErr); }

bool Vnic::WriteCqeSend(int q, uint32_t sqe, uint8_t status) {
  Cqe w{};
  w[0] = VNIC_CQE_TYPE_SEND << VNIC_CQE_TYPE_SHIFT |
         uint64_t(sqe & 0xffff) << VNIC_CQE_SEND_SQE_PTR_SHIFT |
         uint64_t(q & 7) << VNIC_CQE_SEND_SQ_IDX_SHIFT |
         (status & VNIC_CQE_SEND_STATUS);
  return WriteCqe(q, w);
}

bool Vnic::SqHeldByCq(int q) const {
  const Sq& s = sq_[q];
  const Cq& c = cq_[q];
  if (!s.cq_limit || !c.len) return false;
  return uint64_t(c.len - 1 - c.count) * 256 < uint64_t(s.cq_limit) * c.len;
}

// TCP segmentation as the send engine does it for a header with TSO set:
// the first hdr_len bytes (W1's TSO_START: L2, L3 and TCP headers) start
// every segment, followed by at most mss bytes (TSO_MAX_PAYSIZE) of the
// payload; per segment the IPv4 total length, ID (the first one's plus
// the segment's number) and header checksum, or the IPv6 payload length,
// and the TCP sequence number and checksum are the segment's, FIN and PSH
// stay on the last segment only and CWR on the first only.  Returns 0, or
// the header-inconsistent status when the offsets cannot be a TCP packet.
uint8_t Vnic::Segment(const std::vector<uint8_t>& f, size_t l3, size_t l4,
                      size_t hdr_len, size_t mss,
                      std::vector<std::vector<uint8_t>>* out) {
  bool v6 = l3 < f.size() && f[l3] >> 4 == 6;
  bool v4 = l3 < f.size() && f[l3] >> 4 == 4;
  if (!mss || (!v4 && !v6) || l4 < l3 + (v6 ? 40 : 20) || l4 + 20 > hdr_len ||
      hdr_len > f.size() || (v6 ? f[l3 + 6] : f[l3 + 9]) != 6)
    return hw::kTxErrSubdesc;
  size_t payload = f.size() - hdr_len;
  size_t nseg = payload ? (payload + mss - 1) / mss : 1;
  uint16_t id = Be16(&f[l3 + 4]);
  uint32_t seq = uint32_t(Be16(&f[l4 + 4])) << 16 | Be16(&f[l4 + 6]);
  for (size_t i = 0; i < nseg; i++) {
    size_t from = hdr_len + i * mss;
    size_t n = std::min(mss, f.size() - from);
    std::vector<uint8_t> g(f.begin(), f.begin() + hdr_len);
    g.insert(g.end(), f.begin() + from, f.begin() + from + n);
    auto put16 = [&g](size_t at, uint32_t v) {
      g[at] = uint8_t(v >> 8);
      g[at + 1] = uint8_t(v);
    };
    if (v4) {
      put16(l3 + 2, uint32_t(g.size() - l3));
      put16(l3 + 4, uint16_t(id + i));
      put16(l3 + 10, 0);
      put16(l3 + 10, Csum(g, l3, l3 + (g[l3] & 0xf) * 4));
    } else {
      put16(l3 + 4, uint32_t(g.size() - l3 - 40));
    }
    uint32_t sn = seq + uint32_t(i * mss);
    put16(l4 + 4, sn >> 16);
    put16(l4 + 6, sn & 0xffff);
    if (i + 1 < nseg) g[l4 + 13] &= uint8_t(~(0x01 | 0x08));  // FIN, PSH
    if (i) g[l4 + 13] &= uint8_t(~0x80);                      // CWR
    put16(l4 + 16, 0);
    put16(l4 + 16, L4Csum(g, l3, l4, v6, 6));
    out->push_back(std::move(g));
  }
  return 0;
}

int Vnic::ProcessSq(int q, int max) {
  Sq& s = sq_[q];
  int done = 0;
  while (s.ena && s.pending && (max < 0 || done < max)) {
    if (SqHeldByCq(q)) {
      sq_cq_stalls++;
      break;
    }
    uint32_t hdr_idx = s.head;
    uint64_t hdr[2];
    uint8_t status = 0;
    uint64_t hdr_at = s.base + uint64_t(hdr_idx) * VNIC_SQ_ENTRY_BYTES;
    if (!host_->DmaRead(hdr_at, hdr, sizeof(hdr))) {
      Fault("SQ header read", hdr_at);
      return done;  // the queue stalls, as on a descriptor fault
    }
    uint32_t cnt = uint32_t(hdr[0] >> VNIC_SQ_HDR_SUBDESCS_SHIFT) & 0xff;
    bool post_cqe = hdr[0] & VNIC_SQ_HDR_POST_CQE;
    bool dont_send = hdr[0] & VNIC_SQ_HDR_DONT_SEND;
    bool tso = hdr[0] & VNIC_SQ_HDR_TSO;
    std::vector<uint8_t> frame;
    size_t sunk = 0;  // what the gathers hold, when the wire is a sink
    uint8_t dmac[6] = {};
    if (hdr[0] >> VNIC_SQ_DESC_TYPE_SHIFT != VNIC_SQ_DESC_HEADER ||
        cnt + 1 > s.pending) {
      status = hw::kTxErrSubdesc;
      cnt = std::min<uint32_t>(cnt, s.pending - 1);
    }
    for (uint32_t i = 1; i <= cnt && !status; i++) {
      uint64_t g[2];
      uint64_t at =
          s.base + uint64_t((hdr_idx + i) % s.len) * VNIC_SQ_ENTRY_BYTES;
      if (!host_->DmaRead(at, g, sizeof(g))) {
        Fault("SQ gather read", at);
        status = hw::kTxErrMemFault;
        break;
      }
      uint64_t type = g[0] >> VNIC_SQ_DESC_TYPE_SHIFT;
      if (type == VNIC_SQ_DESC_IMMEDIATE) {
        // Its data is word 1: up to 8 bytes (longer is not modelled)
        size_t n = g[0] & VNIC_SQ_IMM_LEN;
        if (n > 8) {
          host_->GuestError("SQ immediate subdescriptor of more than 8 bytes: not modelled");
          status = hw::kTxErrImmOflow;
          break;
        }
        for (size_t b = 0; b < n; b++) frame.push_back(uint8_t(g[1] >> (8 * b)));
        sunk += n;
        continue;
      }
      if (type != VNIC_SQ_DESC_GATHER) {
        status = hw::kTxErrSubdesc;
        break;
      }
      size_t n = g[0] & VNIC_SQ_GATHER_SIZE;
      if (tx_sink && !tso) {
        // Only the destination MAC, for the statistics registers
        if (!sunk && n >= 6 &&
            !host_->DmaRead(g[1] & VNIC_SQ_GATHER_ADDR, dmac, 6)) {
          Fault("send buffer read", g[1] & VNIC_SQ_GATHER_ADDR);
          status = hw::kTxErrMemFault;
        }
        sunk += n;
        continue;
      }
      size_t old = frame.size();
      frame.resize(old + n);
      sunk += n;
      if (!host_->DmaRead(g[1] & VNIC_SQ_GATHER_ADDR, frame.data() + old, n)) {
        Fault("send buffer read", g[1] & VNIC_SQ_GATHER_ADDR);
        status = hw::kTxErrMemFault;
      }
    }
    if (!status && sunk != (hdr[0] & VNIC_SQ_HDR_TOT_LEN))
      status = hw::kTxErrLength;
    // What goes on the wire: the frame, or the segments TSO makes of it
    std::vector<std::vector<uint8_t>> out;
    bool sink = tx_sink && !tso;
    if (!status && tso && !dont_send) {
      size_t l3 = (hdr[0] >> VNIC_SQ_HDR_L3_OFF_SHIFT) & 0xff;
      size_t l4 = (hdr[0] >> VNIC_SQ_HDR_L4_OFF_SHIFT) & 0xff;
      size_t hdr_len = (hdr[1] >> VNIC_SQ_HDR_TSO_START_SHIFT) & 0xff;
      size_t mss = hdr[1] & VNIC_SQ_HDR_TSO_MAX_PAYSIZE;
      status = Segment(frame, l3, l4, hdr_len, mss, &out);
      if (!status) tso_segments += out.size();
    } else if (!status && !sink) {
      // Checksum insertion where the header asks
      size_t l3 = (hdr[0] >> VNIC_SQ_HDR_L3_OFF_SHIFT) & 0xff;
      size_t l4 = (hdr[0] >> VNIC_SQ_HDR_L4_OFF_SHIFT) & 0xff;
      unsigned csum_l4 = (hdr[0] >> VNIC_SQ_HDR_CSUM_L4_SHIFT) & 3;
      bool v6 = l3 + 1 <= frame.size() && frame[l3] >> 4 == 6;
      if ((hdr[0] & VNIC_SQ_HDR_CSUM_L3) && !v6 && l3 + 20 <= frame.size()) {
        frame[l3 + 10] = frame[l3 + 11] = 0;
        uint16_t c = Csum(frame, l3, l3 + (frame[l3] & 0xf) * 4);
        frame[l3 + 10] = uint8_t(c >> 8);
        frame[l3 + 11] = uint8_t(c);
      }
      if (csum_l4 == 1 || csum_l4 == 2) {
        size_t at = l4 + (csum_l4 == 2 ? 16 : 6);
        uint8_t proto = csum_l4 == 2 ? 6 : 17;
        if (at + 2 <= frame.size()) {
          frame[at] = frame[at + 1] = 0;
          uint16_t c = L4Csum(frame, l3, l4, v6, proto);
          if (proto == 17 && c == 0) c = 0xffff;
          frame[at] = uint8_t(c >> 8);
          frame[at + 1] = uint8_t(c);
        }
      }
      if (!dont_send) out.push_back(std::move(frame));
    }
    s.head = (s.head + cnt + 1) % s.len;
    s.pending -= cnt + 1;
    done++;
    if (status) {
      tx_errors++;
      CountFrame(false, q, nullptr, 0, false);
    } else if (dont_send) {
      // Counted as a drop (NIC_VNIC_TX_STAT DROP): the in-tree driver
      // subtracts its CN88xx pass 2 TSO completions from that counter
      CountFrame(false, q, nullptr, 0, false);
    } else if (sink) {
      CountFrame(false, q, sunk >= 6 ? dmac : nullptr, sunk, true);
    } else {
      for (const auto& f : out) CountFrame(false, q, f, true);
    }
    // A CQE_SEND on an error, and else if the header asks (POST_CQE);
    // CN88xx pass 2 writes one per TSO segment, later chips one per packet
    if (status || post_cqe) {
      size_t n = !status && tso && tso_cqe_per_segment ? out.size() : 1;
      for (size_t i = 0; i < n; i++) WriteCqeSend(q, hdr_idx, status);
    }
    if (status || dont_send) continue;
    if (sink) {
      sink_frames++;
      sink_bytes += sunk;
      continue;
    }
    for (auto& f : out) {
      if (bgx_tx && !tx_sink) bgx_tx(f);
      if (tx_sink) {
        sink_frames++;
        sink_bytes += f.size();
      } else if (bgx_loopback && bgx_loopback()) {
        bgx_looped++;
        Receive(q, f);
      } else {
        host_->SendFrame(q, f.data(), f.size());
      }
    }
  }
  return done;
}

std::vector<uint8_t> UdpFrame(const uint8_t (&dmac)[6],
                              const uint8_t (&smac)[6], uint32_t sip,
                              uint32_t dip, uint16_t sport, uint16_t dport,
                              size_t len) {
  std::vector<uint8_t> f(std::max<size_t>(len, 42));
  auto be16 = [&f](size_t at, uint32_t v) {
    f[at] = uint8_t(v >> 8);
    f[at + 1] = uint8_t(v);
  };
  auto be32 = [&be16](size_t at, uint32_t v) {
    be16(at, v >> 16);
    be16(at + 2, v & 0xffff);
  };
  std::copy(dmac, dmac + 6, f.begin());
  std::copy(smac, smac + 6, f.begin() + 6);
  be16(12, 0x0800);
  const size_t l3 = 14, l4 = 34;
  f[l3] = 0x45;
  be16(l3 + 2, uint32_t(f.size() - l3));
  f[l3 + 8] = 64;  // TTL
  f[l3 + 9] = 17;  // UDP
  be32(l3 + 12, sip);
  be32(l3 + 16, dip);
  be16(l3 + 10, Csum(f, l3, l4));
  be16(l4, sport);
  be16(l4 + 2, dport);
  be16(l4 + 4, uint32_t(f.size() - l4));
  uint16_t c = L4Csum(f, l3, l4, false, 17);
  be16(l4 + 6, c ? c : 0xffff);
  return f;
}

}  // namespace model
