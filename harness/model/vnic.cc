// SPDX-License-Identifier: GPL-2.0-only
#include "model/vnic.h"

#include <algorithm>

extern "C" {
#include "nicvf_queues.h"
}

namespace model {

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
      return q < kRbdrs ? rbdr_[q].qcount : 0;
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
    default:
      return regs_[off / 8];
  }
}

void Vnic::Write64(uint64_t off, uint64_t val) {
  int q = int((off >> NIC_Q_NUM_SHIFT) & 7);
  uint64_t reg = off & ~(uint64_t(7) << NIC_Q_NUM_SHIFT);
  regs_[off / 8] = val;
  switch (reg) {
    case NIC_QSET_RBDR_0_1_BASE:
      if (q < kRbdrs) rbdr_[q].base = val;
      break;
    case NIC_QSET_RBDR_0_1_CFG:
      if (q < kRbdrs) {
        Rbdr& r = rbdr_[q];
        if (val & NIC_RBDR_CFG_RESET) {
          r = Rbdr{};
          break;
        }
        r.cfg = val;
        r.ena = val & NIC_RBDR_CFG_ENA;
        r.len = 8192u << FIELD_GET(NIC_RBDR_CFG_QSIZE, val);
        r.lines = uint32_t(FIELD_GET(NIC_RBDR_CFG_LINES, val));
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
      if (val & NIC_CQ_CFG_RESET) {
        c = Cq{};
        break;
      }
      c.cfg = val;
      c.ena = val & NIC_CQ_CFG_ENA;
      c.len = 1024u << FIELD_GET(NIC_CQ_CFG_QSIZE, val);
      break;
    }
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

bool Vnic::TakeBuffer(int rbdr, uint64_t* addr) {
  Rbdr& r = rbdr_[rbdr];
  if (!r.ena || !r.qcount) return false;
  if (!mock::DeviceRead(r.base + uint64_t(r.head) * NICVF_RBDR_DESC_SIZE, addr,
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
  if (!mock::DeviceWrite(c.base + uint64_t(c.tail) * NICVF_CQE_SIZE, cqe.data(),
                         NICVF_CQE_SIZE)) {
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
  w[0] = FIELD_PREP(CQE_W0_TYPE, CQE_TYPE_RX) |
         FIELD_PREP(CQE_RX_W0_RB_CNT, ptrs.size()) |
         FIELD_PREP(CQE_RX_W0_RQ_IDX, cq) | CQE_RX_W0_L2_PRESENT;
  w[1] = FIELD_PREP(CQE_RX_W1_PKT_LEN, total) |
         FIELD_PREP(CQE_RX_W1_ALIGN_PAD, align_pad);
  for (size_t i = 0; i < lens.size() && i < CQE_RX_MAX_RB; i++)
    w[CQE_RX_LEN_WORD + i / 4] |= uint64_t(lens[i]) << (16 * (i % 4));
  size_t first = cqe_rx2_ ? CQE_RX_PTR_WORD_RX2 : CQE_RX_PTR_WORD;
  for (size_t i = 0; i < ptrs.size() && i < CQE_RX_MAX_RB; i++)
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
  if (nbufs > CQE_RX_MAX_RB) {
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
  cqe[0] |= FIELD_PREP(CQE_RX_W0_ERR_LEVEL, opt.err_level) |
            FIELD_PREP(CQE_RX_W0_ERR_OPCODE, opt.err_opcode);
  if (opt.mutate) opt.mutate(cqe);
  res.posted = WriteCqe(cq, cqe);
  return res;
}

}  // namespace model
