// SPDX-License-Identifier: GPL-2.0-only
// The PF's side of the mailbox, as the in-tree nicpf driver (Linux 6.12
// nic_main.c) and its BGX driver (thunder_bgx.c) behave, read from their
// code rather than from what our VF expects:
//
// - VF numbers below num_vf_en are primary VFs, one per LMAC. When the
//   PF's host has more than 8 CPUs nicpf enables further VFs as secondary
//   queue sets (SQS): READY tells them sqs_mode, gives them no MAC and no
//   loopback, and nicpf NACKs SET_MAC, BGX_LINK_CHANGE, LOOPBACK and the
//   xcast messages from them, and leaves PFC unanswered.
// - nicpf trusts the VF number inside CPI_CFG, SET_MAX_FRS, RSS_CFG and
//   BGX_STATS and indexes its VF-to-LMAC map with it unchecked; for an SQS
//   VF (or a number that is not the sender's) it reprograms some other
//   interface's channel. The model answers as nicpf does and records each
//   such message as a guest error (Host::GuestError(): the harness's
//   mock::Violations()).
// - Secondary queue sets (nic_alloc_sqs() and the pointer messages): the
//   PF keeps, for all its VFs (Shared), the 64-bit value each VF sent in
//   NICVF_PTR, which SQS slots are lent, to whom (pqs_vf) and which VF is
//   a primary's i-th SQS (vf_sqs, never cleared). ALLOC_SQS lends the
//   lowest free slots, and it and SNICVF_PTR answer in the mailbox of the
//   VF the message names; only an SQS VF's own SHUTDOWN frees its slot.
//   RSS entries name (SQS index << 3 | rq), which nicpf turns into
//   qset << 3 | rq through vf_sqs; QS_CFG from an SQS VF gives its
//   queues to the VNIC of the primary it is lent to (VNIC 0 if none).
//   The model records as guest errors what nicpf would get wrong: a slot
//   asked for again while still lent (leaked), an unlent SQS VF
//   configuring its queue set, an RSS entry naming an SQS the VF was not
//   lent, and indexes past nicpf's arrays.
// - The BGX's state belongs to the PF, not to the VF driver: the DMAC
//   filter (RX_DMAC_CTL and the CAM), internal loopback and receive
//   timestamping persist across VF driver unloads and SHUTDOWN, and they
//   act on the frames the VNIC receives (filter, 8-byte timestamp prefix)
//   and sends (looped back instead of reaching the wire).
//
// It can also be told to stay silent or to NACK chosen messages. Message
// layouts are decoded here with their own offsets, independent of the
// driver's header.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "bgx.h"
#include "vnic.h"

namespace model {

class Pf {
 public:
  using Msg = Vnic::MbxMsg;
  using Mac = std::array<uint8_t, 6>;

  // Message types, as nicpf numbers them.
  static constexpr uint8_t kReady = 0x01, kAck = 0x02, kNack = 0x03,
                           kQsCfg = 0x04, kRqCfg = 0x05, kSqCfg = 0x06,
                           kRqDropCfg = 0x07, kSetMac = 0x08,
                           kSetMaxFrs = 0x09, kCpiCfg = 0x0a,
                           kRssSize = 0x0b, kRssCfg = 0x0c,
                           kRssCfgCont = 0x0d, kRqBpCfg = 0x0e,
                           kRqSwSync = 0x0f, kBgxStats = 0x10,
                           kLinkChange = 0x11, kAllocSqs = 0x12,
                           kNicvfPtr = 0x13, kPnicvfPtr = 0x14,
                           kSnicvfPtr = 0x15, kLoopback = 0x16,
                           kResetStat = 0x17,
                           kPfc = 0x18, kPtpCfg = 0x19, kCfgDone = 0xf0,
                           kShutdown = 0xf1, kResetXcast = 0xf2,
                           kAddMcast = 0xf3, kSetXcast = 0xf4;

  // SET_XCAST mode bits (BGX_XCAST_*)
  static constexpr uint8_t kXcastBcast = 1, kXcastMcast = 2,
                           kXcastMcastFilter = 4;
  // BGX_CMR_RX_DMAC_CTL: broadcast accept, multicast mode (0 reject,
  // 1 accept, 2 CAM filter), CAM accept (1: accept on a CAM match, else
  // reject on a match)
  static constexpr uint64_t kDmacBcast = 1, kDmacCamAccept = 8;
  static constexpr unsigned kDmacMcastShift = 1;
  // What thunder_bgx programs when it enables an LMAC
  static constexpr uint64_t kDmacDefault = 0x3;

  // nicpf's bookkeeping of its VFs' secondary queue sets, one per PF
  static constexpr int kMaxVfs = 128, kMaxSqsPerVf = 11;
  struct Shared {
    std::array<uint64_t, kMaxVfs> nicvf{};    // NICVF_PTR of each VF
    std::array<bool, kMaxVfs> sqs_used{};     // by slot: VF - num_vf_en
    std::array<uint8_t, kMaxVfs> pqs_vf{};    // the primary an SQS VF is lent to
    std::array<std::array<uint8_t, kMaxSqsPerVf>, kMaxVfs> vf_sqs{};
    std::vector<Pf*> members;                 // the VFs' mailboxes
  };

  explicit Pf(Vnic* vnic);
  ~Pf();
  // Another VF of the same PF: from now on this mailbox shares `pf`'s
  // bookkeeping and takes its configuration (num_vf_en, online_cpus,
  // total_vfs, as they are now), and answers addressed to a VF go to that
  // VF's mailbox
  void JoinPf(Pf* pf);
  Shared& shared() { return *shared_; }
  // The VNIC's frames no longer pass this PF's BGX and steering (a real
  // PF's host has its own); the mailbox stays
  void DetachBgx();

  // Behaviour
  bool silent = false;             // answer nothing
  std::set<uint8_t> nack;          // answer these types with NACK
  std::set<uint8_t> lose_answer;   // act on these, but the answer is lost
  int answer_with = -1;            // >= 0: answer everything with this type
  // Fault injection, the harness's knob (not the host's: real PFs do not
  // lose messages on request): asked for each message unless silent; true
  // and the message goes unanswered, so the VF times out.
  std::function<bool()> lose_message;

  // The PF's configuration, as nicpf works it out at probe: one primary
  // VF per LMAC, and SQS VFs only when its host has more than 8 CPUs.
  int num_vf_en = 8;               // primary VFs (LMACs)
  int online_cpus = 2;             // CPUs of the host nicpf runs on
  int total_vfs = 128;             // the PF's SR-IOV TotalVFs
  int NumSqsEn() const;            // as nic_num_sqs_en() (one node)
  bool Sqs() const { return vf_id >= num_vf_en; }

  // The VF this mailbox belongs to, and what READY tells it
  uint8_t vf_id = 3;
  uint8_t node = 0;
  // The LMAC's MAC (firmware's, then whatever SET_MAC stored)
  static constexpr Mac kFirmwareMac = {0x02, 0x1f, 0xb7, 0x00, 0x00, 0x03};
  Mac mac = kFirmwareMac;
  uint16_t rss_size = 64;
  bool link_up = false;
  // The LMAC's type as BGX_LINK_CHANGE reports it (thunder_bgx's
  // BGX_MODE_*): XFI, a 10G LMAC
  static constexpr uint8_t kMacSgmii = 0, kMacXfi = 3;
  uint8_t duplex = 0, mac_type = kMacXfi;
  uint32_t speed = 0;

  // The BGX LMAC's state, kept across VF drivers
  struct Bgx {
    uint64_t dmac_ctl = kDmacDefault;
    std::vector<uint64_t> cam;     // programmed CAM entries (48-bit DMACs)
    std::vector<uint64_t> filters; // ADD_MCAST list, applied by SET_XCAST
    bool loopback = false;         // internal loopback
    bool timestamp = false;        // pkind skips an 8-byte RX timestamp
    bool enabled = false;          // LMAC RX/TX on (CFG_DONE .. SHUTDOWN)
    BgxStats stats;                // CMRX_RX/TX_STAT, as BGX_STATS reads them
    // BGX_SMUX_CBFC_CTL's RX_EN (bit 0) and TX_EN (bit 1): pause frames
    // received and sent, on as thunder_bgx leaves a 10G/40G LMAC
    uint64_t cbfc_ctl = 3;
  } bgx;
  // CAM entries of this LMAC: thunder_bgx gives each LMAC of a BGX an
  // equal share of the 32 (8 with 4 LMACs); an ADD_MCAST beyond them is
  // ACKed and dropped
  int cam_entries = 8;
  // The BGX as the in-tree nicvf leaves it after IFF_MULTICAST without
  // ALLMULTI: multicast through the CAM, which holds `macs`
  void FilterLikeInTreeDriver(const std::vector<Mac>& macs);
  // Whether the BGX passes a frame with this destination MAC
  bool Accepts(const uint8_t* dmac) const;
  uint64_t rx_filtered = 0;        // frames the DMAC filter dropped

  // The receive channel's steering, as nicpf programs it for this VF
  // (nic_config_cpi(), nic_config_rss()): CPI_CFG maps RSS indexes
  // 0..rq_cnt-1 to the VF's queues and turns RSS off; RSS_CFG fills the
  // indirection table and sets its size (hash_bits). Each entry is
  // qset << 3 | rq; kOtherQset where it names a secondary queue set.
  // Persistent PF state: it survives the VF driver.
  static constexpr uint16_t kOtherQset = 0xffff;
  struct Steering {
    bool configured = false;       // no CPI_CFG yet: the channel is off
    uint8_t rq_cnt = 0, cpi_alg = 0, hash_bits = 0;
    std::array<uint16_t, 256> rssi{};  // qset << 3 | rq
  } steer;
  // The receive queue of this VF a parsed frame goes to (-1: elsewhere)
  int SelectRq(const Cqe& parsed) const;
  // The queue set and receive queue (qset << 3 | rq) it goes to, -1: none
  int SelectQueue(const Cqe& parsed) const;

  // SQS slots nicpf leaked: lent to this VF again while an earlier loan
  // to it of a VF nobody drives was never given back
  uint64_t sqs_leaked = 0;
  // This VF's queue set, as its last QS_CFG left it
  bool qs_enabled = false;

  // Every message the VF sent, in order.
  std::vector<Msg> received;
  bool record_received = true;     // off: nothing kept (a long-running host)
  std::vector<uint8_t> Types() const;

  // An unsolicited message to the VF.
  void Send(const Msg& m) { vnic_->PfSend(m); }
  Msg LinkMsg() const;

  // Little-endian field readers for the tests.
  static uint64_t Le(const Msg& m, int off, int bytes);
  static uint64_t MacU64(const uint8_t* m);

 private:
  void OnMessage(const Msg& m);
  // nicpf's answer: false for none at all
  bool Answer(const Msg& m, Msg* r);
  // A message whose VF number nicpf takes as an index into its map
  void CheckVfIndex(const Msg& m, const char* what);
  void ApplyXcast(uint8_t mode);
  // The secondary queue set messages; an answer may go to another VF
  bool AnswerSqs(const Msg& m, Msg* r, Pf** to);
  // Whether SQS VF `sqs` is lent to primary `vf` now
  bool LentTo(int sqs, int vf) const;
  // Where an answer goes: the mailbox of VF `vf` of this PF (null: none)
  Pf* MailboxOf(int vf) const;
  // What nicpf does wrong with what the VF sent, told to the host
  void GuestError(const std::string& what) { vnic_->host()->GuestError(what); }
  Vnic* vnic_;
  std::shared_ptr<Shared> shared_;
};

}  // namespace model
