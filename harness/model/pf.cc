// SPDX-License-Identifier: GPL-2.0-only
#include "pf.h"

#include "bgx.h"
#include "kunit/vnic_hw.h"
#include "vnic_regs.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace model {

namespace {

std::string Hex(uint8_t v) {
  char b[8];
  snprintf(b, sizeof(b), "%#04x", v);
  return b;
}

}  // namespace

Pf::Pf(Vnic* vnic) : vnic_(vnic), shared_(std::make_shared<Shared>()) {
  shared_->members.push_back(this);
  vnic_->on_vf_mailbox = [this](const Msg& m) { OnMessage(m); };
  // What the BGX does to frames between the wire and the VNIC
  vnic_->wire_rx = [this](const std::vector<uint8_t>& f) {
    if (f.size() >= 6 && Accepts(f.data())) {
      bgx.stats.Received(f.size());
      return true;
    }
    rx_filtered++;
    bgx.stats.Filtered(f.size());
    return false;
  };
  vnic_->bgx_tx = [this](const std::vector<uint8_t>& f) {
    bgx.stats.Sent(f.data(), f.size());
  };
  vnic_->bgx_rx_timestamp = [this] { return bgx.timestamp; };
  vnic_->bgx_loopback = [this] { return bgx.loopback; };
  vnic_->select_rq = [this](const Cqe& p) { return SelectRq(p); };
  vnic_->lmac_rx_enabled = [this] { return bgx.enabled; };
}

Pf::~Pf() {
  auto& m = shared_->members;
  m.erase(std::remove(m.begin(), m.end(), this), m.end());
  vnic_->on_vf_mailbox = nullptr;
  DetachBgx();
}

void Pf::JoinPf(Pf* pf) {
  auto& m = shared_->members;
  m.erase(std::remove(m.begin(), m.end(), this), m.end());
  shared_ = pf->shared_;
  shared_->members.push_back(this);
  num_vf_en = pf->num_vf_en;
  online_cpus = pf->online_cpus;
  total_vfs = pf->total_vfs;
}

Pf* Pf::MailboxOf(int vf) const {
  for (Pf* p : shared_->members)
    if (p->vf_id == vf) return p;
  return nullptr;
}

bool Pf::LentTo(int sqs, int vf) const {
  int slot = sqs - num_vf_en;
  return slot >= 0 && slot < kMaxVfs && shared_->sqs_used[size_t(slot)] &&
         shared_->pqs_vf[size_t(sqs)] == vf;
}

void Pf::DetachBgx() {
  vnic_->wire_rx = nullptr;
  vnic_->bgx_tx = nullptr;
  vnic_->bgx_rx_timestamp = nullptr;
  vnic_->bgx_loopback = nullptr;
  vnic_->select_rq = nullptr;
  vnic_->lmac_rx_enabled = nullptr;
}

int Pf::SelectQueue(const Cqe& parsed) const {
  if (!steer.configured) return -1;
  uint32_t tag;
  bool hashed = Vnic::RssHash(parsed, &tag);
  uint32_t idx = steer.hash_bits && hashed
                     ? tag & ((1u << steer.hash_bits) - 1) : 0;
  uint16_t e = steer.rssi[idx];
  return e == kOtherQset ? -1 : e;
}

int Pf::SelectRq(const Cqe& parsed) const {
  int e = SelectQueue(parsed);
  if (e < 0 || e >> 3 != vf_id) return -1;
  return e & 7;
}

uint64_t Pf::Le(const Msg& m, int off, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; i--) v = v << 8 | m[off + i];
  return v;
}

// As ether_addr_to_u64(): the first byte most significant
uint64_t Pf::MacU64(const uint8_t* m) {
  uint64_t v = 0;
  for (int i = 0; i < 6; i++) v = v << 8 | m[i];
  return v;
}

int Pf::NumSqsEn() const {
  // MAX_SQS_PER_VF_SINGLE_NODE, and only with more CPUs than queues
  constexpr int kSqsPerVf = 5;
  if (online_cpus <= 8) return 0;
  return std::min(total_vfs - num_vf_en, num_vf_en * kSqsPerVf);
}

std::vector<uint8_t> Pf::Types() const {
  std::vector<uint8_t> t;
  for (const Msg& m : received) t.push_back(m[0]);
  return t;
}

Pf::Msg Pf::LinkMsg() const {
  Msg r{};
  r[0] = kLinkChange;
  r[1] = mac_type;
  r[2] = link_up;
  r[3] = duplex;
  for (int i = 0; i < 4; i++) r[4 + i] = uint8_t(speed >> (8 * i));
  return r;
}

void Pf::FilterLikeInTreeDriver(const std::vector<Mac>& macs) {
  bgx.filters.clear();
  for (const Mac& m : macs) bgx.filters.push_back(MacU64(m.data()));
  ApplyXcast(kXcastBcast | kXcastMcastFilter);
}

bool Pf::Accepts(const uint8_t* dmac) const {
  uint64_t d = MacU64(dmac);
  bool in_cam = std::find(bgx.cam.begin(), bgx.cam.end(), d) != bgx.cam.end();
  return model::Bgx::DmacPasses(bgx.dmac_ctl, in_cam, dmac);
}

// bgx_set_xcast_mode(): broadcast as asked; multicast accepted, or
// filtered through the CAM (which then also decides unicast), or rejected
void Pf::ApplyXcast(uint8_t mode) {
  uint64_t c = bgx.dmac_ctl;
  c = mode & kXcastBcast ? c | kDmacBcast : c & ~kDmacBcast;
  c &= ~(kDmacCamAccept | 3ull << kDmacMcastShift);
  if (mode & kXcastMcast) {
    c |= 1ull << kDmacMcastShift;
  } else if (mode & kXcastMcastFilter) {
    c |= 2ull << kDmacMcastShift | kDmacCamAccept;
    bgx.cam = bgx.filters;
  }
  bgx.dmac_ctl = c;
}

void Pf::CheckVfIndex(const Msg& m, const char* what) {
  uint8_t vf = m[1];
  std::string name = std::string(what) + " (" + Hex(m[0]) + ")";
  if (Sqs())
    GuestError(name + " from SQS VF " + std::to_string(vf_id) +
               ": nicpf indexes its VF-to-LMAC map with it and "
               "reprograms another LMAC");
  else if (vf != vf_id)
    GuestError(name + " names VF " + std::to_string(vf) + " but VF " +
               std::to_string(vf_id) + " sent it: nicpf acts on VF " +
               std::to_string(vf));
}

void Pf::OnMessage(const Msg& m) {
  if (record_received) received.push_back(m);
  // A lost message or answer: the VF sees a mailbox timeout
  if (silent || (lose_message && lose_message())) return;
  Msg r{};
  Pf* to = this;
  if (answer_with >= 0) {
    r[0] = uint8_t(answer_with);
  } else if (nack.count(m[0])) {
    r[0] = kNack;
  } else if (AnswerSqs(m, &r, &to)) {
    if (!to || lose_answer.count(m[0])) return;
  } else if (!Answer(m, &r) || lose_answer.count(m[0])) {
    return;
  }
  to->vnic_->PfSend(r);
}

// nic_alloc_sqs(), nic_send_pnicvf(), nic_send_snicvf() and NICVF_PTR:
// true if `m` is one of them, with the answer in `r` for VF `*to` (null:
// a VF that has no mailbox here, where the answer is lost)
bool Pf::AnswerSqs(const Msg& m, Msg* r, Pf** to) {
  Shared& sh = *shared_;
  auto put64 = [r](uint64_t v) {
    for (int i = 0; i < 8; i++) (*r)[8 + i] = uint8_t(v >> (8 * i));
  };
  switch (m[0]) {
    case kNicvfPtr:
      // Kept by the sender's number, whatever the message says
      sh.nicvf[vf_id] = Le(m, 8, 8);
      (*r)[0] = kAck;
      return true;
    case kAllocSqs: {
      uint8_t vf = m[1], want = m[2];
      if (Sqs())
        GuestError("ALLOC_SQS from SQS VF " + std::to_string(vf_id));
      if (vf != vf_id) CheckVfIndex(m, "ALLOC_SQS");
      if (want > kMaxSqsPerVf)
        GuestError("ALLOC_SQS for " + std::to_string(want) +
                   " secondary queue sets: nicpf writes past vf_sqs");
      // A slot still lent is leaked: only that SQS VF's SHUTDOWN could
      // have freed it. A driver whose queue set there is off should have
      // sent it; one whose queue set is still on (rings that would not
      // stop) holds it on purpose, and a VF nobody drives never does
      for (int i = 0; i < kMaxSqsPerVf; i++) {
        int sqs = sh.vf_sqs[vf][size_t(i)];
        if (!LentTo(sqs, vf)) continue;
        Pf* held = MailboxOf(sqs);
        if (held && !held->qs_enabled)
          GuestError("ALLOC_SQS from VF " + std::to_string(vf) +
                     " while its SQS VF " + std::to_string(sqs) +
                     " is still lent: nicpf leaks it");
        else
          sqs_leaked++;
      }
      int alloc = 0, sqs_en = NumSqsEn();
      for (int i = 0; i < want && i < kMaxSqsPerVf; i++) {
        int slot = 0;
        while (slot < sqs_en && sh.sqs_used[size_t(slot)]) slot++;
        if (slot == sqs_en) break;
        sh.sqs_used[size_t(slot)] = true;
        sh.vf_sqs[vf][size_t(i)] = uint8_t(slot + num_vf_en);
        sh.pqs_vf[size_t(slot + num_vf_en)] = vf;
        alloc++;
      }
      (*r)[0] = kAllocSqs;
      (*r)[1] = vf;
      (*r)[2] = uint8_t(alloc);
      *to = MailboxOf(vf);
      return true;
    }
    case kSnicvfPtr: {
      uint8_t vf = m[1], i = m[3];
      if (vf != vf_id) CheckVfIndex(m, "SNICVF_PTR");
      uint64_t v = 0;
      if (i >= kMaxSqsPerVf)
        GuestError("SNICVF_PTR for SQS " + std::to_string(i) +
                   ": nicpf reads past vf_sqs");
      else
        v = sh.nicvf[sh.vf_sqs[vf][i]];
      *r = Msg{};
      (*r)[0] = kSnicvfPtr;
      (*r)[3] = i;
      put64(v);
      *to = MailboxOf(vf);
      return true;
    }
    case kPnicvfPtr:
      if (!LentTo(vf_id, sh.pqs_vf[vf_id]))
        GuestError("PNICVF_PTR from VF " + std::to_string(vf_id) +
                   ", which no primary has: nicpf answers with VF " +
                   std::to_string(sh.pqs_vf[vf_id]) + "'s value");
      *r = Msg{};
      (*r)[0] = kPnicvfPtr;
      put64(sh.nicvf[sh.pqs_vf[vf_id]]);
      return true;
  }
  return false;
}

// What nic_handle_mbx_intr() does with each message
bool Pf::Answer(const Msg& m, Msg* r) {
  bool sqs = Sqs();
  int nic_vfs = num_vf_en + NumSqsEn();
  (*r)[0] = kAck;
  if (vf_id >= nic_vfs)
    GuestError("a VF " + std::to_string(vf_id) +
               " that nicpf never enables sent " + Hex(m[0]));
  switch (m[0]) {
    case kReady:
      (*r)[0] = kReady;
      (*r)[1] = vf_id;
      (*r)[2] = node;
      // TNS is always bypass (0); sqs_mode; loopback only for primaries
      (*r)[3] = (sqs ? 2 : 0) | (sqs ? 0 : 4);
      if (!sqs) std::copy(mac.begin(), mac.end(), r->begin() + 4);
      return true;
    case kQsCfg:
      qs_enabled = Le(m, 8, 8) != 0;
      [[fallthrough]];
    case kRqCfg:
    case kRqBpCfg:
    case kRqDropCfg:
    case kSqCfg:
      // Register writes at the queue set the message names
      if (m[1] != vf_id)
        GuestError("queue configuration " + Hex(m[0]) + " names queue set " +
                   std::to_string(m[1]) + " from VF " + std::to_string(vf_id));
      // An SQS VF's queue set goes to the VNIC of the primary it is lent
      // to (QS_CFG), and its SQs to that primary's LMAC (SQ_CFG)
      if (sqs && (m[0] == kQsCfg || m[0] == kSqCfg) &&
          !LentTo(vf_id, shared_->pqs_vf[vf_id]) && Le(m, 8, 8))
        GuestError("queue configuration " + Hex(m[0]) + " from SQS VF " +
                   std::to_string(vf_id) +
                   " that no primary has: nicpf gives it to VF " +
                   std::to_string(shared_->pqs_vf[vf_id]));
      return true;
    case kSetMac:
      if (sqs) break;
      if (m[1] != vf_id) CheckVfIndex(m, "SET_MAC");
      std::copy(m.begin() + 2, m.begin() + 8, mac.begin());
      return true;
    case kSetMaxFrs:
      CheckVfIndex(m, "SET_MAX_FRS");
      // NIC_HW_MIN_FRS .. NIC_HW_MAX_FRS
      if (Le(m, 2, 2) < 64 || Le(m, 2, 2) > 9190) break;
      return true;
    case kCpiCfg:
      CheckVfIndex(m, "CPI_CFG");
      if (m[1] != vf_id) return true;
      // RSS index i -> queue i of this VF; RSS off until RSS_CFG
      steer.configured = true;
      steer.rq_cnt = m[2];
      steer.cpi_alg = m[3];
      steer.hash_bits = 0;
      for (unsigned i = 0; i < m[2] && i < steer.rssi.size(); i++)
        steer.rssi[i] = uint16_t(vf_id << 3 | (i & 7));
      return true;
    case kRssCfg:
    case kRssCfgCont: {
      CheckVfIndex(m, "RSS_CFG");
      if (m[1] != vf_id) return true;
      // hash_bits, tbl_len, tbl_offset, then up to 8 entries
      unsigned len = std::min<unsigned>(m[3], 8), off = m[4];
      if (off + len > rss_size)
        GuestError("RSS_CFG writes indirection entries " +
                   std::to_string(off) + ".." + std::to_string(off + len) +
                   " past the table of " + std::to_string(rss_size));
      for (unsigned i = 0; i < len && off + i < steer.rssi.size(); i++) {
        // nic_config_rss(): the queue set of SQS index e >> 3 of this VF
        uint8_t e = m[5 + i];
        unsigned svf = e >> 3;
        int qset = vf_id;
        if (svf > kMaxSqsPerVf) {
          GuestError("RSS_CFG entry " + std::to_string(e) +
                     ": nicpf reads past vf_sqs");
          qset = -1;
        } else if (svf) {
          qset = shared_->vf_sqs[vf_id][svf - 1];
          if (!LentTo(qset, vf_id))
            GuestError("RSS_CFG entry " + std::to_string(e) + " of VF " +
                       std::to_string(vf_id) + " names SQS " +
                       std::to_string(svf - 1) +
                       ", which it does not have: nicpf steers to VF " +
                       std::to_string(qset));
        }
        steer.rssi[off + i] =
            qset < 0 ? kOtherQset : uint16_t(qset << 3 | (e & 7));
      }
      steer.hash_bits = m[2] & 0xf;
      return true;
    }
    case kRssSize:
      (*r)[0] = kRssSize;
      (*r)[1] = vf_id;
      (*r)[2] = uint8_t(rss_size);
      (*r)[3] = uint8_t(rss_size >> 8);
      return true;
    case kBgxStats: {
      // nic_get_bgx_stats(): the LMAC's CMRX_RX_STAT(idx) or
      // CMRX_TX_STAT(idx), the value in the second word (receive 9 and
      // 10 are LMAC 0's in thunder_bgx; nothing counts them here).
      // thunder_bgx reads whatever register idx lands on, unchecked
      CheckVfIndex(m, "BGX_STATS");
      (*r)[0] = kBgxStats;
      (*r)[1] = m[1];
      (*r)[2] = m[2];
      (*r)[3] = m[3];
      bool rx = m[2];
      int n = rx ? BgxStats::kRx : BgxStats::kTx;
      uint64_t v = 0;
      if (m[3] < n)
        v = rx ? bgx.stats.rx[m[3]] : bgx.stats.tx[m[3]];
      else
        GuestError(std::string("BGX_STATS ") + (rx ? "RX" : "TX") +
                   " counter " + std::to_string(m[3]) +
                   ": thunder_bgx reads the BGX register it lands on");
      for (int i = 0; i < 8; i++) (*r)[8 + i] = uint8_t(v >> (8 * i));
      return true;
    }
    case kLinkChange:
      if (sqs) break;
      *r = LinkMsg();
      return true;
    case kLoopback:
      if (m[1] >= num_vf_en) break;
      if (m[1] != vf_id) CheckVfIndex(m, "LOOPBACK");
      bgx.loopback = m[2];
      return true;
    case kPfc:
      // nic_pause_frame(): an SQS VF gets no answer at all; a get is
      // answered with PFC and the register's bits as they are (TX_EN is
      // 2), a set writes them. An SGMII LMAC has no CBFC_CTL:
      // bgx_lmac_get_pfc() fills nothing, and nicpf sends its stack
      if (sqs) return false;
      if (m[1]) {
        *r = Msg{};
        (*r)[0] = kPfc;
        if (mac_type == kMacSgmii) {
          GuestError("PFC get on an SGMII LMAC: nicpf answers with "
                     "uninitialised stack");
          (*r)[2] = (*r)[3] = (*r)[4] = 0xa5;
        } else {
          (*r)[3] = uint8_t(bgx.cbfc_ctl & 1);
          (*r)[4] = uint8_t(bgx.cbfc_ctl & 2);
        }
      } else if (mac_type != kMacSgmii) {
        bgx.cbfc_ctl = (bgx.cbfc_ctl & ~3ull) | (m[3] ? 1 : 0) | (m[4] ? 2 : 0);
      }
      return true;
    case kResetStat: {
      // nic_reset_stat_counters(): the counters the masks select, of the
      // sender's VNIC; the masks at their struct reset_stat_cfg offsets
      uint64_t rx = Le(m, 2, 2), tx = m[4], rq = Le(m, 6, 2), sq = Le(m, 8, 2);
      for (int i = 0; i < 14; i++)
        if (rx >> i & 1) vnic_->PfWriteStat(VNIC_REG_RX_STAT_0_13 + 8 * i, 0);
      for (int i = 0; i < 5; i++)
        if (tx >> i & 1) vnic_->PfWriteStat(VNIC_REG_TX_STAT_0_4 + 8 * i, 0);
      for (int i = 0; i < 16; i++) {
        uint64_t at = (uint64_t(i >> 1) << VNIC_Q_NUM_SHIFT) + 8 * (i & 1);
        if (rq >> i & 1) vnic_->PfWriteStat(VNIC_REG_RQ_STAT_0_1 + at, 0);
        // nicpf ORs the SQ base into the RQ address it just built: with
        // both bits set it writes neither SQ counter
        if (sq >> i & 1 && !(rq >> i & 1))
          vnic_->PfWriteStat(VNIC_REG_SQ_STAT_0_1 + at, 0);
      }
      return true;
    }
    case kPtpCfg:
      // Ignored for SQS VFs, ACKed all the same
      if (!sqs) bgx.timestamp = m[1];
      return true;
    case kResetXcast:
      if (sqs) break;
      // This VF's filters go, the CAM is flushed, everything is accepted
      bgx.filters.clear();
      bgx.cam.clear();
      ApplyXcast(kXcastBcast | kXcastMcast);
      return true;
    case kAddMcast: {
      if (sqs) break;
      // The address in bits 16..63 of word 0; 0 is the LMAC's own
      uint64_t a = Le(m, 2, 6);
      if (!a) a = MacU64(mac.data());
      if (std::find(bgx.filters.begin(), bgx.filters.end(), a) ==
              bgx.filters.end() &&
          bgx.filters.size() < size_t(cam_entries))
        bgx.filters.push_back(a);
      return true;
    }
    case kSetXcast:
      if (sqs) break;
      ApplyXcast(m[1]);
      return true;
    case kCfgDone:
      if (!sqs) bgx.enabled = true;
      return true;
    case kShutdown:
      if (!sqs) bgx.enabled = false;
      // Only an SQS VF's own SHUTDOWN gives its slot back
      if (sqs && vf_id - num_vf_en < kMaxVfs) {
        shared_->sqs_used[size_t(vf_id - num_vf_en)] = false;
        shared_->pqs_vf[vf_id] = 0;
      }
      return true;
    default:
      // Unknown messages are logged by nicpf and ACKed
      return true;
  }
  (*r)[0] = kNack;
  return true;
}

}  // namespace model
