// SPDX-License-Identifier: GPL-2.0-only
#include "model/vnic.h"

#include <algorithm>

extern "C" {
#include "nicvf_queues.h"
}

namespace model {

// Field positions written out here from the hardware's little-endian layout
// rather than taken from the driver's macros, so that a wrong mask in the
// driver makes the two disagree instead of agreeing on the same mistake.
namespace hw {
constexpr unsigned kCqeTypeShift = 60;     // W0[63:60]
constexpr uint64_t kCqeTypeRx = 0x2;
constexpr unsigned kRqIdxShift = 48;       // W0[50:48]
constexpr unsigned kRbCntShift = 24;       // W0[27:24]
constexpr uint64_t kL2Present = 1ull << 11;
constexpr unsigned kErrLevelShift = 8;     // W0[10:8]
constexpr unsigned kErrOpcodeShift = 0;    // W0[7:0]
constexpr unsigned kPktLenShift = 48;      // W1[63:48]
constexpr unsigned kAlignPadShift = 13;    // W1[15:13]
constexpr unsigned kLenWord = 3;           // W3..W5, buffer 0 in bits 15:0
constexpr unsigned kPtrWordPass1 = 6;
constexpr unsigned kPtrWordRx2 = 7;
constexpr unsigned kMaxBufs = 12;
constexpr unsigned kCqeBytes = 512;
constexpr unsigned kRbdrEntryBytes = 8;
constexpr uint64_t kRbdrEna = 1ull << 44, kRbdrReset = 1ull << 43;
constexpr unsigned kFifoInactive = 0, kFifoActive = 1, kFifoReset = 2;
constexpr unsigned kRbdrQsizeShift = 32;   // [35:32], 8K << n entries
constexpr uint64_t kRbdrLinesMask = 0xfff; // [11:0], 128-byte lines
constexpr uint64_t kCqEna = 1ull << 42, kCqReset = 1ull << 41;
constexpr unsigned kCqQsizeShift = 32;     // [34:32], 1K << n entries
}  // namespace hw

Vnic::Vnic(bool cqe_rx2)
    : bar_(new uint8_t[kBarSize]), cqe_rx2_(cqe_rx2), regs_(kBarSize / 8) {
  mock::MapMmio(bar_.get(), kBarSize, this);
}

Vnic::~Vnic() { mock::UnmapMmio(bar_.get()); }

uint64_t Vnic::Read64(uint64_t off) {
  int q = int((off >> NIC_Q_NUM_SHIFT) & 7);
  uint64_t reg = off & ~(uint64_t(7) << NIC_Q_NUM_SHIFT);
  switch (reg) {
    case NIC_QSET_RBDR_0_1_STATUS0:
      return q < kRbdrs ? rbdr_[q].qcount | uint64_t(rbdr_[q].fifo) << 62 : 0;
    case NIC_QSET_RBDR_0_1_PREFETCH_STATUS:
      // Halves differ while buffers are being prefetched
      return rbdr_prefetch_busy ? uint64_t(1) << 32 : 0;
    case NIC_QSET_RBDR_0_1_HEAD:
      return q < kRbdrs ? uint64_t(rbdr_[q].head) << NIC_RBDR_PTR_SHIFT : 0;
    case NIC_QSET_RBDR_0_1_TAIL:
      return q < kRbdrs ? uint64_t(rbdr_[q].tail) << NIC_RBDR_PTR_SHIFT : 0;
    case NIC_QSET_CQ_0_7_STATUS:
      return cq_[q].count;
    case NIC_QSET_CQ_0_7_HEAD:
      return uint64_t(cq_[q].head) << NIC_CQ_PTR_SHIFT;
    case NIC_QSET_CQ_0_7_TAIL:
      return uint64_t(cq_[q].tail) << NIC_CQ_PTR_SHIFT;
    case NIC_VF_INT:
    case NIC_VF_INT_W1S:
      return int_status_;
    case NIC_VF_ENA_W1S:
    case NIC_VF_ENA_W1C:
      return int_enable_;
    default:
      return regs_[off / 8];
  }
}

void Vnic::Write64(uint64_t off, uint64_t val) {
  int q = int((off >> NIC_Q_NUM_SHIFT) & 7);
  uint64_t reg = off & ~(uint64_t(7) << NIC_Q_NUM_SHIFT);
  regs_[off / 8] = val;
  if (reg == NIC_QSET_RBDR_0_1_CFG || reg == NIC_QSET_CQ_0_7_CFG ||
      reg == NIC_QSET_CQ_0_7_CFG2 || reg == NIC_QSET_RQ_0_7_CFG ||
      reg == NIC_QSET_RQ_GEN_CFG)
    cfg_writes.push_back({reg, q, val});
  // The second mailbox word sends a message: logged by its type
  if (off == NIC_VF_PF_MAILBOX_0_1 + 8)
    cfg_writes.push_back({off, 0, regs_[NIC_VF_PF_MAILBOX_0_1 / 8] & 0xff});
  switch (reg) {
    case NIC_QSET_RBDR_0_1_BASE:
      if (q < kRbdrs) rbdr_[q].base = val;
      break;
    case NIC_QSET_RBDR_0_1_CFG:
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
    case NIC_QSET_RBDR_0_1_DOOR:
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
    case NIC_QSET_CQ_0_7_BASE:
      cq_[q].base = val;
      break;
    case NIC_QSET_CQ_0_7_CFG: {
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
    case NIC_VF_INT:
      int_status_ &= ~val;  // write 1 to clear
      break;
    case NIC_VF_INT_W1S:
      RaiseMisc(val);
      break;
    case NIC_VF_ENA_W1S:
      int_enable_ |= val;
      RaiseMisc(0);  // a pending, newly enabled cause fires
      break;
    case NIC_VF_ENA_W1C:
      int_enable_ &= ~val;
      break;
    case NIC_VF_PF_MAILBOX_0_1 + 8:
      if (on_vf_mailbox) {
        MbxMsg m;
        uint64_t w[2] = {regs_[NIC_VF_PF_MAILBOX_0_1 / 8], val};
        for (int i = 0; i < 16; i++) m[i] = uint8_t(w[i / 8] >> (8 * (i % 8)));
        on_vf_mailbox(m);
      }
      break;
    case NIC_QSET_CQ_0_7_DOOR: {
      Cq& c = cq_[q];
      if (val > c.count) {
        doorbell_errors++;
        break;
      }
      c.count -= uint32_t(val);
      c.head = (c.head + uint32_t(val)) % c.len;
      break;
    }
    default:
      break;
  }
}

void Vnic::PfSend(const MbxMsg& m) {
  uint64_t w[2] = {0, 0};
  for (int i = 0; i < 16; i++) w[i / 8] |= uint64_t(m[i]) << (8 * (i % 8));
  regs_[NIC_VF_PF_MAILBOX_0_1 / 8] = w[0];
  regs_[NIC_VF_PF_MAILBOX_0_1 / 8 + 1] = w[1];
  RaiseMisc(NICVF_INTR_MBOX);
}

// Mailbox and queue-set errors share the MISC vector.
void Vnic::RaiseMisc(uint64_t bits) {
  int_status_ |= bits;
  if ((int_status_ & int_enable_ & NICVF_INTR_MBOX) && deliver_irq) {
    irqs_delivered++;
    deliver_irq(NICVF_INTR_ID_MISC);
  }
}

bool Vnic::TakeBuffer(int rbdr, uint64_t* addr) {
  Rbdr& r = rbdr_[rbdr];
  if (!r.ena || !r.qcount) return false;
  if (!mock::DeviceRead(r.base + uint64_t(r.head) * hw::kRbdrEntryBytes, addr,
                        sizeof(*addr))) {
    dma_faults++;
    return false;
  }
  r.head = (r.head + 1) % r.len;
  r.qcount--;
  return true;
}

bool Vnic::WriteCqe(int cq, const Cqe& cqe) {
  Cq& c = cq_[cq];
  // The hardware keeps one entry free so a full ring is not an empty one.
  if (!c.ena || c.count + 1 >= c.len) {
    drops_cq_full++;
    return false;
  }
  if (!mock::DeviceWrite(c.base + uint64_t(c.tail) * hw::kCqeBytes, cqe.data(),
                         hw::kCqeBytes)) {
    dma_faults++;
    return false;
  }
  c.tail = (c.tail + 1) % c.len;
  c.count++;
  return true;
}

Cqe Vnic::MakeCqeRx(int cq, const std::vector<uint64_t>& ptrs,
                    const std::vector<uint16_t>& lens,
                    unsigned align_pad) const {
  Cqe w{};
  unsigned total = 0;
  for (uint16_t l : lens) total += l;
  w[0] = hw::kCqeTypeRx << hw::kCqeTypeShift |
         uint64_t(ptrs.size() & 0xf) << hw::kRbCntShift |
         uint64_t(cq & 7) << hw::kRqIdxShift | hw::kL2Present;
  w[1] = uint64_t(total & 0xffff) << hw::kPktLenShift |
         uint64_t(align_pad & 7) << hw::kAlignPadShift;
  for (size_t i = 0; i < lens.size() && i < hw::kMaxBufs; i++)
    w[hw::kLenWord + i / 4] |= uint64_t(lens[i]) << (16 * (i % 4));
  // Later silicon fills word 6 (CQE_RX2); it is never zero there, so a
  // driver reading it as a buffer pointer is not saved by a zero.
  if (cqe_rx2_) w[hw::kPtrWordPass1] = 0x0000c0de00000000ull | (ptrs.size() << 8);
  size_t first = cqe_rx2_ ? hw::kPtrWordRx2 : hw::kPtrWordPass1;
  for (size_t i = 0; i < ptrs.size() && i < hw::kMaxBufs; i++)
    w[first + i] = ptrs[i];
  return w;
}

RxResult Vnic::Receive(int cq, const std::vector<uint8_t>& frame,
                       const RxOptions& opt) {
  RxResult res;
  Rbdr& r = rbdr_[0];
  if (!r.ena || !cq_[cq].ena) return res;
  size_t buf_len = size_t(r.lines) * 128;
  size_t first_cap = buf_len - opt.align_pad;
  size_t nbufs = 1;
  if (frame.size() > first_cap)
    nbufs += (frame.size() - first_cap + buf_len - 1) / buf_len;
  if (nbufs > hw::kMaxBufs) {
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
    if (!mock::DeviceWrite(data, frame.data() + done, n)) dma_faults++;
    ptrs.push_back(data);
    lens.push_back(uint16_t(n));
    done += n;
  }
  Cqe cqe = MakeCqeRx(cq, ptrs, lens, opt.align_pad);
  cqe[0] |= uint64_t(opt.err_level & 7) << hw::kErrLevelShift |
            uint64_t(opt.err_opcode & 0xff) << hw::kErrOpcodeShift;
  if (opt.mutate) opt.mutate(cqe);
  res.posted = WriteCqe(cq, cqe);
  return res;
}

}  // namespace model
