// SPDX-License-Identifier: GPL-2.0-only
// The NIC PF model (model/nic_pf.h) through its C API, as nicpf (Linux
// 6.12 nic_main.c) drives it, and a VF model whose mailbox goes to it
// instead of the model's own nicpf (vnic_model.h's vf_to_pf).
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "kunit/vnic_hw.h"
#include "model/nic_pf_model.h"
#include "model/vnic_model.h"
#include "model/vnic_regs.h"

namespace {

constexpr uint64_t kMboxInt = 0x410, kMboxEnaW1s = 0x470, kMboxEnaW1c = 0x450,
                   kSwSyncRxDone = 0x490008;
uint64_t Mailbox(int vf) { return 0x20002030 + (uint64_t(vf) << 21); }

struct PfHost {
  std::vector<unsigned> vectors;
  struct Answer {
    unsigned vf;
    uint64_t w0, w1;
  };
  std::vector<Answer> answers;
  struct StatWrite {
    unsigned vf;
    uint64_t off, value;
  };
  std::vector<StatWrite> stats;
};

class NicPfModel : public ::testing::Test {
 public:  // the nicpf stand-ins below write through Wr()
  void Make(int pass1,
            nicvf_pf_model_family family = NICVF_PF_MODEL_CN88XX) {
    h_.opaque = &host_;
    h_.msix_notify = [](void* o, unsigned v) {
      static_cast<PfHost*>(o)->vectors.push_back(v);
    };
    h_.to_vf = [](void* o, unsigned vf, uint64_t w0, uint64_t w1) {
      static_cast<PfHost*>(o)->answers.push_back({vf, w0, w1});
    };
    h_.vf_stat_write = [](void* o, unsigned vf, uint64_t off, uint64_t v) {
      static_cast<PfHost*>(o)->stats.push_back({vf, off, v});
    };
    nicvf_pf_model_config cfg{};
    cfg.family = family;
    cfg.pass1 = pass1;
    cfg.total_vfs = 128;
    p_ = nicvf_pf_model_create(&h_, &cfg);
    ASSERT_NE(nullptr, p_);
  }
  void TearDown() override { nicvf_pf_model_destroy(p_); }
  uint64_t Rd(uint64_t o) { return nicvf_pf_model_mmio_read(p_, o); }
  void Wr(uint64_t o, uint64_t v) { nicvf_pf_model_mmio_write(p_, o, v); }
  PfHost host_;
  nicvf_pf_model_host h_{};
  nicvf_pf_model* p_ = nullptr;
};

// A VF's message: its words in its mailbox, its bit set, the mailbox
// vector of its half raised where enabled, once per message; nicpf
// clears the bit by writing it
TEST_F(NicPfModel, AVfMessageRaisesTheMailboxVectorOfItsHalf) {
  Make(0);
  nicvf_pf_model_from_vf(p_, 3, 0x0101, 0x2222);
  EXPECT_TRUE(host_.vectors.empty());  // not enabled yet
  EXPECT_EQ(1ull << 3, Rd(kMboxInt));
  Wr(kMboxEnaW1s, ~0ull);  // pending and newly enabled: delivered
  ASSERT_EQ(1u, host_.vectors.size());
  EXPECT_EQ(8u, host_.vectors[0]);
  EXPECT_EQ(0x0101u, Rd(Mailbox(3)));
  EXPECT_EQ(0x2222u, Rd(Mailbox(3) + 8));
  // A second VF's message while the first is still pending: its own MSI-X
  nicvf_pf_model_from_vf(p_, 5, 0x0101, 0);
  EXPECT_EQ(2u, host_.vectors.size());
  Wr(kMboxInt, 1ull << 3);
  EXPECT_EQ(1ull << 5, Rd(kMboxInt));
  // VFs 64-127: the second register and vector 9
  Wr(kMboxEnaW1s + 8, ~0ull);
  nicvf_pf_model_from_vf(p_, 70, 0x0101, 0);
  EXPECT_EQ(9u, host_.vectors.back());
  EXPECT_EQ(1ull << 6, Rd(kMboxInt + 8));
  // Disabled: set, not raised
  Wr(kMboxEnaW1c, 1ull << 7);
  nicvf_pf_model_from_vf(p_, 7, 0x0101, 0);
  EXPECT_EQ(3u, host_.vectors.size());
  EXPECT_EQ(0u, Rd(kMboxEnaW1s) & (1ull << 7));
  // nicpf's receive sync completes at once
  EXPECT_EQ(1u, Rd(kSwSyncRxDone) & 1);
}

// nicpf answers second word first (CN88xx pass 1: first word first); the
// VF gets the pair when the last-written word is written
TEST_F(NicPfModel, TheAnswerGoesToTheVfOnTheWordNicpfWritesLast) {
  Make(0);
  Wr(Mailbox(2) + 8, 0xbbbb);
  EXPECT_TRUE(host_.answers.empty());
  Wr(Mailbox(2), 0x0002);
  ASSERT_EQ(1u, host_.answers.size());
  EXPECT_EQ(2u, host_.answers[0].vf);
  EXPECT_EQ(0x0002u, host_.answers[0].w0);
  EXPECT_EQ(0xbbbbu, host_.answers[0].w1);
}

TEST_F(NicPfModel, Pass1AnswersFirstWordFirst) {
  Make(1);
  Wr(Mailbox(9), 0x0002);
  EXPECT_TRUE(host_.answers.empty());
  Wr(Mailbox(9) + 8, 0xcccc);
  ASSERT_EQ(1u, host_.answers.size());
  EXPECT_EQ(9u, host_.answers[0].vf);
  EXPECT_EQ(0xccccu, host_.answers[0].w1);
}

// RESET_STAT_COUNTER as nicpf does it: zeroes through its window onto the
// VF (0x20000000 + vf << 21), which reach the VF's registers (the VNIC
// counters at the VF's offsets, the RQ/SQ ones at 0x10600/0x10d00 for the
// VF's 0x10700/0x10900, as nic_reg.h has them); other window registers
// (the queue set's configuration) stay the PF's
TEST_F(NicPfModel, StatisticsWritesInAVfWindowReachThatVf) {
  Make(0);
  const uint64_t win = 0x20000000 + (uint64_t(6) << 21);
  Wr(win + 0x4100 + 8 * 13, 0);               // RX_STAT 13
  Wr(win + 0x4000 + 8 * 4, 0);                // TX_STAT 4
  Wr(win + 0x10600 + (uint64_t(7) << 18) + 8, 0);  // RQ 7 STAT 1
  Wr(win + 0x10d00 + (uint64_t(2) << 18), 0);      // SQ 2 STAT 0
  Wr(win + 0x10400, 0x1234);                  // the PF's RQ 0 CFG: its own
  Wr(win + 0x4100 + 8 * 14, 0);               // past RX_STAT 13
  ASSERT_EQ(4u, host_.stats.size());
  EXPECT_EQ(6u, host_.stats[0].vf);
  EXPECT_EQ(0x4100u + 8 * 13, host_.stats[0].off);
  EXPECT_EQ(0x4020u, host_.stats[1].off);
  EXPECT_EQ(0x10708u + (7u << 18), host_.stats[2].off);
  EXPECT_EQ(0x10900u + (2u << 18), host_.stats[3].off);
  EXPECT_EQ(0x1234u, Rd(win + 0x10400));
}

// The data path's tables (nic_reg.h), index << 3 added, and a queue set's
// registers in its window
constexpr uint64_t kPfCfg = 0x0, kCpiCfg = 0x200000, kMpiCfg = 0x210000,
                   kRssiRq = 0x220000, kChanRxCfg = 0x420000,
                   kTl2Lmac = 0x540000, kTl3Chan = 0x620000,
                   kTl4Cfg = 0x800000;
uint64_t QsetCfg(int qs) { return 0x20010000 + (uint64_t(qs) << 21); }
uint64_t SqCfg2(int qs, int sq) {
  return 0x20010c08 + (uint64_t(qs) << 21) + (uint64_t(sq) << 18);
}

// What nicpf writes for a VF's CPI_CFG (CPI algorithm NONE) and RSS_CFG
// on CN88xx (nic_config_cpi(), nic_config_rss()): 16 channels per LMAC,
// 128 per BGX, 2048/128 CPIs and 256 RSS indexes per VNIC; pass 1 keeps
// the VNIC and RSS fields in the CPI table, later chips in the MPI table
struct Nicpf88 {
  NicPfModel* t;
  bool pass1;
  uint64_t Idx() const { return pass1 ? kCpiCfg : kMpiCfg; }
  void CpiCfg(int vf, int bgx, int lmac, int rq_cnt) {
    uint64_t chan = uint64_t(lmac) * 16 + uint64_t(bgx) * 128;
    uint64_t cpi = uint64_t(vf) * 16, rssi = uint64_t(vf) * 256;
    t->Wr(kChanRxCfg + chan * 8, cpi << 48);
    for (int r = 0; r < rq_cnt; r++)
      t->Wr(kRssiRq + (rssi + r) * 8, uint64_t(vf) << 3 | r);
    t->Wr(Idx() + cpi * 8, uint64_t(vf) << 24 | rssi);
    if (!pass1) t->Wr(kCpiCfg + cpi * 8, 0);  // padd 0, MPI_ALG 0
  }
  void RssCfg(int vf, int hash_bits, const std::vector<uint8_t>& tbl) {
    uint64_t rssi = uint64_t(vf) * 256, cpi = uint64_t(vf) * 16;
    for (size_t i = 0; i < tbl.size(); i++)
      t->Wr(kRssiRq + (rssi + i) * 8, uint64_t(vf) << 3 | (tbl[i] & 7));
    uint64_t v = t->Rd(Idx() + cpi * 8) & ~(0xfull << 20);
    t->Wr(Idx() + cpi * 8, v | uint64_t(hash_bits) << 20);
  }
};

// A frame on an LMAC goes where nicpf's CPI_CFG and RSS_CFG programming
// say, read from the tables at each frame: the VNIC of the channel's CPI,
// its RSS index base, then the hash's low bits into the indirection table
TEST_F(NicPfModel, ReceiveFollowsTheChannelCpiAndRssTables) {
  for (int pass1 = 0; pass1 < 2; pass1++) {
    SCOPED_TRACE(pass1 ? "pass 1" : "pass 2");
    Make(pass1);
    Nicpf88 nicpf{this, pass1 != 0};
    Wr(kPfCfg, 0x3);
    Wr(QsetCfg(2), 1ull << 31 | 2);  // QS_CFG: enabled, VNIC 2
    nicpf.CpiCfg(2, 0, 2, 4);        // VF 2 on LMAC 2, 4 queues
    nicvf_pf_model_rx rx{};
    ASSERT_EQ(0, nicvf_pf_model_rx_channel(p_, 0, 2, &rx));
    EXPECT_EQ(2u, rx.vnic);
    EXPECT_EQ(512u, rx.rssi_base);
    EXPECT_EQ(0u, rx.hash_bits);
    // RSS off: every frame to the first entry, the hash or not
    EXPECT_EQ(2 << 3 | 0, nicvf_pf_model_rx_queue(p_, &rx, 1, 0xffff));
    // RSS_CFG: 2 bits, entries 3 2 1 0
    nicpf.RssCfg(2, 2, {3, 2, 1, 0});
    ASSERT_EQ(0, nicvf_pf_model_rx_channel(p_, 0, 2, &rx));
    EXPECT_EQ(2u, rx.hash_bits);
    for (uint32_t h = 0; h < 8; h++)
      EXPECT_EQ(int(2 << 3 | (3 - (h & 3))),
                nicvf_pf_model_rx_queue(p_, &rx, 1, h));
    EXPECT_EQ(2 << 3 | 3, nicvf_pf_model_rx_queue(p_, &rx, 0, 3));  // no hash
    // LMAC 1's channel was never programmed: it reads as after reset,
    // CPI 0, VNIC 0, whose queue set is off: dropped and counted
    ASSERT_EQ(0, nicvf_pf_model_rx_channel(p_, 0, 1, &rx));
    EXPECT_EQ(0u, rx.vnic);
    EXPECT_EQ(-1, nicvf_pf_model_rx_queue(p_, &rx, 0, 0));
    nicvf_pf_model_counters c{};
    nicvf_pf_model_get_counters(p_, &c);
    EXPECT_EQ(1u, c.rx_qset_off);
    // The NIC turned off: nothing comes in at all
    Wr(kPfCfg, 0);
    EXPECT_EQ(-1, nicvf_pf_model_rx_channel(p_, 0, 2, &rx));
    nicvf_pf_model_get_counters(p_, &c);
    EXPECT_EQ(1u, c.rx_nic_off);
    nicvf_pf_model_destroy(p_);
    p_ = nullptr;
  }
}

// A send goes to the LMAC the scheduler chain names, as nic_tx_channel_cfg()
// programs it: on CN88xx the SQ's TL4 (SQ_CFG2), which names the SQ back,
// feeds TL3 tl4 / 4 (1024 TL4s over 256 TL3s) whose channel is the
// LMAC's; on CN81xx TL2 (TL3 / 4)'s TL2_LMAC names the LMAC
TEST_F(NicPfModel, SendFollowsTheSchedulerToTheLmac) {
  Make(0);
  // VF 1 on LMAC 3 of BGX 0, SQ 5: TL4 3 * 8 + 5 = 29, TL3 7, channel 48
  Wr(SqCfg2(1, 5), 29);
  Wr(kTl4Cfg + 29 * 8, 1ull << 27 | 5ull << 24 | 0x100);
  Wr(kTl3Chan + 7 * 8, 48);
  unsigned bgx = 9, lmac = 9;
  ASSERT_EQ(0, nicvf_pf_model_tx_lmac(p_, 1, 5, &bgx, &lmac));
  EXPECT_EQ(0u, bgx);
  EXPECT_EQ(3u, lmac);
  // A TL4 that serves another SQ: this one is not scheduled
  Wr(SqCfg2(1, 6), 29);
  EXPECT_EQ(-1, nicvf_pf_model_tx_lmac(p_, 1, 6, &bgx, &lmac));
  // An SQ nicpf never configured reads TL4 0, which names VF 0's SQ 0
  EXPECT_EQ(-1, nicvf_pf_model_tx_lmac(p_, 4, 0, &bgx, &lmac));
  nicvf_pf_model_counters c{};
  nicvf_pf_model_get_counters(p_, &c);
  EXPECT_EQ(2u, c.tx_unscheduled);
  // BGX 1, LMAC 0: channel 128
  Wr(SqCfg2(4, 0), 512);
  Wr(kTl4Cfg + 512 * 8, 4ull << 27);
  Wr(kTl3Chan + 128 * 8, 128);
  ASSERT_EQ(0, nicvf_pf_model_tx_lmac(p_, 4, 0, &bgx, &lmac));
  EXPECT_EQ(1u, bgx);
  EXPECT_EQ(0u, lmac);
  nicvf_pf_model_destroy(p_);

  // CN81xx: TL4 vnic * 8 + sq, 1024 TL4s over 64 TL3s, TL2 = TL3 / 4
  Make(0, NICVF_PF_MODEL_CN81XX);
  Wr(SqCfg2(2, 1), 17);
  Wr(kTl4Cfg + 17 * 8, 2ull << 27 | 1ull << 24);
  Wr(kTl2Lmac + 0 * 8, 1 + 4 * 1);  // TL3 1, TL2 0: LMAC 1 of BGX 1
  ASSERT_EQ(0, nicvf_pf_model_tx_lmac(p_, 2, 1, &bgx, &lmac));
  EXPECT_EQ(1u, bgx);
  EXPECT_EQ(1u, lmac);
}

// A VF whose PF is the host's: its mailbox write goes out whole (the
// model's own nicpf answers nothing), and the answer comes back into its
// mailbox registers with the mailbox interrupt
TEST(VnicWithAPf, TheMailboxGoesToThePfAndTheAnswerComesBack) {
  struct Seen {
    std::vector<std::pair<uint64_t, uint64_t>> sent;
    std::vector<unsigned> vectors;
  } seen;
  nicvf_model_host h{};
  h.opaque = &seen;
  h.vf_to_pf = [](void* o, uint64_t w0, uint64_t w1) {
    static_cast<Seen*>(o)->sent.emplace_back(w0, w1);
  };
  h.msix_notify = [](void* o, unsigned v) {
    static_cast<Seen*>(o)->vectors.push_back(v);
  };
  nicvf_model_config cfg{};
  cfg.cqe_rx2 = 1;
  nicvf_model* m = nicvf_model_create(&h, &cfg);
  ASSERT_NE(nullptr, m);
  nicvf_model_mmio_write(m, VNIC_REG_VF_ENA_W1S, VNIC_INT_MBOX);
  nicvf_model_mmio_write(m, VNIC_REG_VF_PF_MAILBOX_0_1, 0x01);  // READY
  nicvf_model_mmio_write(m, VNIC_REG_VF_PF_MAILBOX_0_1 + 8, 0);
  ASSERT_EQ(1u, seen.sent.size());
  EXPECT_EQ(0x01u, seen.sent[0].first);
  EXPECT_TRUE(seen.vectors.empty());  // nobody answered yet
  nicvf_model_pf_answer(m, 0x0301, 0x1234);  // READY back, VF 3
  EXPECT_EQ(0x0301u, nicvf_model_mmio_read(m, VNIC_REG_VF_PF_MAILBOX_0_1));
  EXPECT_EQ(0x1234u, nicvf_model_mmio_read(m, VNIC_REG_VF_PF_MAILBOX_0_1 + 8));
  EXPECT_NE(0u, nicvf_model_mmio_read(m, VNIC_REG_VF_INT) & VNIC_INT_MBOX);
  EXPECT_FALSE(seen.vectors.empty());
  // The PF zeroes a statistics register through its window; nothing else
  // can be written that way
  nicvf_model_mmio_write(m, VNIC_REG_RX_STAT_0_13, 77);
  ASSERT_EQ(77u, nicvf_model_mmio_read(m, VNIC_REG_RX_STAT_0_13));
  EXPECT_EQ(0, nicvf_model_pf_write(m, VNIC_REG_RX_STAT_0_13, 0));
  EXPECT_EQ(0u, nicvf_model_mmio_read(m, VNIC_REG_RX_STAT_0_13));
  EXPECT_EQ(-1, nicvf_model_pf_write(m, VNIC_REG_CQ_CFG, 0));
  nicvf_model_destroy(m);
}

}  // namespace
