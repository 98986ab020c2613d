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
 protected:
  void Make(int pass1) {
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
    p_ = nicvf_pf_model_create(&h_, pass1);
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
