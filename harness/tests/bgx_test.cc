// SPDX-License-Identifier: GPL-2.0-only
// The BGX model (model/bgx.h) through its C API, driven the way the
// in-tree thunder_bgx driver (Linux 6.12) probes an LMAC, enables it and
// polls its link: what that driver reads back and waits for must come out
// as the hardware gives it, or its probe fails or its link never comes up.
#include <gtest/gtest.h>

#include <cstring>

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

namespace {

constexpr uint64_t kDmacCtl = 0xe8, kDmacCam = 0x200;
constexpr uint64_t kCmrEn = 1ull << 15, kRxEn = 1ull << 14, kTxEn = 1ull << 13;

class BgxDataPath : public BgxModel {
 protected:
  int Rx(int lmac, const uint8_t (&dmac)[6]) {
    uint8_t f[60] = {};
    memcpy(f, dmac, 6);
    return nicvf_bgx_model_rx(b_, unsigned(lmac), f, sizeof(f));
  }
  // A frame of `len` bytes to `dmac` sent on LMAC `lmac`
  nicvf_bgx_tx Tx(int lmac, const uint8_t* dmac, size_t len = 60) {
    std::vector<uint8_t> f(len);
    memcpy(f.data(), dmac, 6);
    return nicvf_bgx_model_tx(b_, unsigned(lmac), f.data(), f.size());
  }
  uint64_t RxStat(int lmac, int i) { return Rd(lmac, 0x70 + 8 * uint64_t(i)); }
  uint64_t TxStat(int lmac, int i) { return Rd(lmac, 0x600 + 8 * uint64_t(i)); }
};

// An LMAC passes frames on only while thunder_bgx has it enabled
// (CMRX_CFG CMR_EN with DATA_PKT_RX_EN / DATA_PKT_TX_EN), and its
// internal loopback (SPUX_CONTROL1[LOOPBACK] on XFI) turns sends around
TEST_F(BgxDataPath, TheLmacPassesFramesOnlyWhileEnabled) {
  Make(2, NICVF_BGX_XFI);
  const uint8_t uc[6] = {0x02, 0, 0, 0, 0, 1};
  EXPECT_EQ(0, Rx(0, uc));
  EXPECT_EQ(NICVF_BGX_TX_DROPPED, Tx(0, uc));
  Modify(0, kCmrCfg, kCmrEn | kRxEn | kTxEn);
  Wr(0, kDmacCtl, 0x3);  // what bgx_lmac_enable() leaves
  EXPECT_EQ(1, Rx(0, uc));
  EXPECT_EQ(0, Rx(1, uc));      // LMAC 1 is still off
  EXPECT_EQ(0, Rx(3, uc));      // no LMAC 3 at all
  EXPECT_EQ(NICVF_BGX_TX_WIRE, Tx(0, uc));
  Modify(0, kSpuControl1, 1ull << 14);
  EXPECT_EQ(NICVF_BGX_TX_LOOPBACK, Tx(0, uc));
  uint8_t runt[10] = {};
  EXPECT_EQ(0, nicvf_bgx_model_rx(b_, 0, runt, sizeof(runt)));
  nicvf_bgx_model_counters c{};
  nicvf_bgx_model_get_counters(b_, &c);
  EXPECT_EQ(3u, c.rx_off);
  EXPECT_EQ(1u, c.rx_runts);
  EXPECT_EQ(1u, c.tx_off);
  EXPECT_EQ(1u, c.looped);
}

// The DMAC filter as bgx_set_xcast_mode() and bgx_add_dmac_addr() program
// it: broadcast by bit 0, multicast by mode (reject, accept, CAM), and
// the CAM entries (enable bit 48, LMAC in bits 49-50) accept on a match
// when bit 3 says so; another LMAC's entry does not count
TEST_F(BgxDataPath, TheDmacFilterIsTheCtlRegisterAndTheCam) {
  Make(2, NICVF_BGX_SGMII);
  Modify(1, kCmrCfg, kCmrEn | kRxEn);
  const uint8_t bc[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  const uint8_t mc[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};
  const uint8_t own[6] = {0x02, 0x1f, 0xb7, 0x00, 0x00, 0x01};
  const uint8_t other[6] = {0x02, 0x1f, 0xb7, 0x00, 0x00, 0x09};
  Wr(1, kDmacCtl, 0);  // everything off but unicast outside the CAM
  EXPECT_EQ(0, Rx(1, bc));
  EXPECT_EQ(0, Rx(1, mc));
  EXPECT_EQ(1, Rx(1, other));
  auto cam = [](const uint8_t (&m)[6], int lmac) {
    uint64_t v = 0;
    for (int i = 0; i < 6; i++) v = v << 8 | m[i];
    return v | 1ull << 48 | uint64_t(lmac) << 49;
  };
  // Broadcast, multicast by the CAM, the CAM accepting: LMAC 1's own MAC
  // and the group in the CAM (an entry of LMAC 0's does not count)
  Wr(1, kDmacCtl, 1 | 2 << 1 | 8);
  nicvf_bgx_model_mmio_write(b_, kDmacCam + 8 * 8, cam(own, 1));
  nicvf_bgx_model_mmio_write(b_, kDmacCam + 8 * 9, cam(mc, 0));
  EXPECT_EQ(1, Rx(1, bc));
  EXPECT_EQ(1, Rx(1, own));
  EXPECT_EQ(0, Rx(1, other));
  EXPECT_EQ(0, Rx(1, mc));
  nicvf_bgx_model_mmio_write(b_, kDmacCam + 8 * 9, cam(mc, 1));
  EXPECT_EQ(1, Rx(1, mc));
  nicvf_bgx_model_counters c{};
  nicvf_bgx_model_get_counters(b_, &c);
  EXPECT_EQ(4u, c.rx_filtered);
}

// CMRX_RX_STAT and CMRX_TX_STAT count what the LMAC moved, as on the
// wire (padded to 60, FCS included), what thunder_bgx's
// bgx_get_rx_stats()/bgx_get_tx_stats() read for nicpf's BGX_STATS; a
// write of 0 clears one, and turning CMR_EN off clears the LMAC's
TEST_F(BgxDataPath, TheCountersCountWhatTheLmacMoved) {
  Make(2, NICVF_BGX_XFI);
  Modify(0, kCmrCfg, kCmrEn | kRxEn | kTxEn);
  Modify(1, kCmrCfg, kCmrEn | kRxEn | kTxEn);
  Wr(0, kDmacCtl, 1 | 2 << 1 | 8);  // broadcast, and the (empty) CAM
  const uint8_t uc[6] = {0x02, 0, 0, 0, 0, 1};
  const uint8_t bc[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  const uint8_t mc[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};
  EXPECT_EQ(1, Rx(0, bc));
  EXPECT_EQ(0, Rx(0, uc));
  EXPECT_EQ(0, Rx(0, mc));
  EXPECT_EQ(1u, RxStat(0, 0));
  EXPECT_EQ(64u, RxStat(0, 1));
  EXPECT_EQ(2u, RxStat(0, 4));
  EXPECT_EQ(128u, RxStat(0, 5));
  EXPECT_EQ(0u, RxStat(1, 0));  // LMAC 1 saw nothing
  ASSERT_EQ(NICVF_BGX_TX_WIRE, Tx(0, uc, 60));
  ASSERT_EQ(NICVF_BGX_TX_WIRE, Tx(0, bc, 100));
  ASSERT_EQ(NICVF_BGX_TX_WIRE, Tx(0, mc, 1514));
  ASSERT_EQ(NICVF_BGX_TX_WIRE, Tx(0, uc, 9000));
  EXPECT_EQ(4u, TxStat(0, 5));
  EXPECT_EQ(64u + 104 + 1518 + 9004, TxStat(0, 4));
  EXPECT_EQ(1u, TxStat(0, 7));   // 64
  EXPECT_EQ(1u, TxStat(0, 8));   // 65-127
  EXPECT_EQ(1u, TxStat(0, 12));  // 1024-1518
  EXPECT_EQ(1u, TxStat(0, 13));  // more
  EXPECT_EQ(1u, TxStat(0, 14));
  EXPECT_EQ(1u, TxStat(0, 15));
  Wr(0, 0x600 + 8 * 5, 0);
  EXPECT_EQ(0u, TxStat(0, 5));
  EXPECT_EQ(1u, RxStat(0, 0));
  Wr(0, kCmrCfg, Rd(0, kCmrCfg) & ~kCmrEn);
  EXPECT_EQ(0u, RxStat(0, 0));
  EXPECT_EQ(0u, TxStat(0, 4));
}

}  // namespace
