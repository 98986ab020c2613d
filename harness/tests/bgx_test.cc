// SPDX-License-Identifier: GPL-2.0-only
// The BGX model (model/bgx.h) through its C API, driven the way the
// in-tree thunder_bgx driver (Linux 6.12) probes an LMAC, enables it and
// polls its link: what that driver reads back and waits for must come out
// as the hardware gives it, or its probe fails or its link never comes up.
#include <gtest/gtest.h>

#include "model/bgx_model.h"

namespace {

// Offsets within an LMAC's page (thunder_bgx.h's names)
constexpr uint64_t kCmrCfg = 0x00, kCmrRxLmacs = 0x468, kSpuControl1 = 0x10000,
                   kSpuStatus1 = 0x10008, kSpuStatus2 = 0x10020,
                   kSpuBrStatus1 = 0x10030, kSpuBrPmdCrtl = 0x10068,
                   kSmuRxCtl = 0x20048, kSmuCtl = 0x20200, kPcsMrCtl = 0x30000,
                   kPcsMrStatus = 0x30008, kPcsAnResults = 0x30020;

class BgxModel : public ::testing::Test {
 protected:
  void TearDown() override { nicvf_bgx_model_destroy(b_); }
  void Make(unsigned lmacs, unsigned type) {
    b_ = nicvf_bgx_model_create(lmacs, type);
    ASSERT_NE(nullptr, b_);
  }
  uint64_t Rd(int lmac, uint64_t off) {
    return nicvf_bgx_model_mmio_read(b_, uint64_t(lmac) << 20 | off);
  }
  void Wr(int lmac, uint64_t off, uint64_t v) {
    nicvf_bgx_model_mmio_write(b_, uint64_t(lmac) << 20 | off, v);
  }
  void Modify(int lmac, uint64_t off, uint64_t bits) {
    Wr(lmac, off, Rd(lmac, off) | bits);
  }
  // The driver's XFI link poll: force the latching-low receive link bit,
  // then link up iff it stays set and the SMU sees no fault
  bool PollXfi(int lmac) {
    Modify(lmac, kSpuStatus1, 1ull << 2);
    return (Rd(lmac, kSpuStatus1) & (1ull << 2)) && !(Rd(lmac, kSmuRxCtl) & 3);
  }
  // What it checks on a link's way up: PCS out of reset, block lock, the
  // receive fault (latching high) cleared by writing it, SMU idle
  bool CheckXfi(int lmac) {
    if (Rd(lmac, kSpuControl1) & (1ull << 15)) return false;
    if (!(Rd(lmac, kSpuBrStatus1) & 1)) return false;
    if (Rd(lmac, kSpuStatus2) & (1ull << 10)) Modify(lmac, kSpuStatus2, 1ull << 10);
    if (Rd(lmac, kSpuStatus2) & (1ull << 10)) return false;
    return (Rd(lmac, kSmuCtl) & 3) == 3 && !(Rd(lmac, kSmuRxCtl) & 3);
  }
  nicvf_bgx_model* b_ = nullptr;
};

// What the probe finds: the LMAC count firmware left, LMAC 0's type for
// all, no training; the PCS resets it starts complete, so it goes on
TEST_F(BgxModel, TheProbeFindsTheLmacsAndItsResetsComplete) {
  Make(4, NICVF_BGX_XFI);
  EXPECT_EQ(4u, Rd(0, kCmrRxLmacs) & 7);
  EXPECT_EQ(unsigned(NICVF_BGX_XFI), (Rd(0, kCmrCfg) >> 8) & 7);
  EXPECT_EQ(0u, Rd(0, kSpuBrPmdCrtl) & 2);
  for (int l = 0; l < 4; l++) {
    // (the driver rewrites CMRX_CFG with type and lanes, then resets)
    Wr(l, kCmrCfg, uint64_t(NICVF_BGX_XFI) << 8 | 0xe4);
    Modify(l, kSpuControl1, 1ull << 15);
    EXPECT_EQ(0u, Rd(l, kSpuControl1) & (1ull << 15));
    Modify(l, kPcsMrCtl, 1ull << 15 | 1ull << 9 | 1ull << 12);
    EXPECT_EQ(1ull << 12, Rd(l, kPcsMrCtl));  // AN_EN kept, resets done
  }
  // Not receiving until nicpf enables the LMAC (CMR_EN, DATA_PKT_RX_EN)
  EXPECT_FALSE(nicvf_bgx_model_rx_enabled(b_, 1));
  Modify(1, kCmrCfg, 1ull << 15 | 1ull << 14 | 1ull << 13);
  EXPECT_TRUE(nicvf_bgx_model_rx_enabled(b_, 1));
  EXPECT_FALSE(nicvf_bgx_model_rx_enabled(b_, 0));
  // Out of range: refused
  EXPECT_EQ(nullptr, nicvf_bgx_model_create(0, NICVF_BGX_XFI));
  EXPECT_EQ(nullptr, nicvf_bgx_model_create(5, NICVF_BGX_XFI));
}

// The XFI link as the driver polls it, through a cable pull: down at the
// next poll, with a receive fault latched that the way up must clear
TEST_F(BgxModel, AnXfiLinkGoesDownAndUpAsTheDriverPollsIt) {
  Make(2, NICVF_BGX_XFI);
  EXPECT_TRUE(PollXfi(0));
  EXPECT_TRUE(CheckXfi(0));
  nicvf_bgx_model_set_link(b_, 0, 0);
  EXPECT_FALSE(PollXfi(0));
  EXPECT_EQ(1u, Rd(0, kSmuRxCtl) & 3);  // local fault
  EXPECT_TRUE(PollXfi(1));              // the other LMAC's link is its own
  nicvf_bgx_model_set_link(b_, 0, 1);
  // The receive fault latched while it was down: set until written
  EXPECT_NE(0u, Rd(0, kSpuStatus2) & (1ull << 10));
  EXPECT_TRUE(PollXfi(0));
  EXPECT_TRUE(CheckXfi(0));
  EXPECT_EQ(0u, Rd(0, kSpuStatus2) & (1ull << 10));
}

// The receive link bit latches low: after a drop it stays clear, even with
// the link back, until the driver writes it
TEST_F(BgxModel, TheReceiveLinkBitLatchesLow) {
  Make(1, NICVF_BGX_XFI);
  nicvf_bgx_model_set_link(b_, 0, 0);
  nicvf_bgx_model_set_link(b_, 0, 1);
  EXPECT_EQ(0u, Rd(0, kSpuStatus1) & (1ull << 2));
  Modify(0, kSpuStatus1, 1ull << 2);
  EXPECT_NE(0u, Rd(0, kSpuStatus1) & (1ull << 2));
}

// SGMII: the PCS reports link, autonegotiation complete, 1000 full
TEST_F(BgxModel, SgmiiReportsItsLinkThroughThePcs) {
  Make(1, NICVF_BGX_SGMII);
  EXPECT_EQ(unsigned(NICVF_BGX_SGMII), (Rd(0, kCmrCfg) >> 8) & 7);
  EXPECT_EQ(1ull << 2 | 1ull << 5, Rd(0, kPcsMrStatus) & (1ull << 2 | 1ull << 5));
  EXPECT_EQ(2u, (Rd(0, kPcsAnResults) >> 3) & 3);
  EXPECT_EQ(1u, (Rd(0, kPcsAnResults) >> 1) & 1);
  nicvf_bgx_model_set_link(b_, 0, 0);
  EXPECT_EQ(0u, Rd(0, kPcsMrStatus) & (1ull << 2));
}

}  // namespace
