// SPDX-License-Identifier: GPL-2.0-only
// What the real PF, the real silicon and the real kernel would do to the
// driver, end to end in every IOMMU mode: state left in the PF, the BGX
// and the rings by whoever had the VF before us, page_pool's sizing in
// pages, NAPI's budget rules, and the in-tree driver's errata and
// programming where they differ from what our own model would accept.
#include "tests/e2e_fixture.h"

namespace nicvf_test {
namespace {

using model::Pf;

class ParityTest : public E2eFixture,
                   public ::testing::WithParamInterface<mock::IommuMode> {
 protected:
  void SetUp() override { SetUpVf(GetParam()); }

  // Frames arrive from the wire on queue q (unpolled)
  void Arrive(int q, int n, uint32_t seed = 1) {
    for (int i = 0; i < n; i++) {
      FrameSpec s;
      s.seed = seed + uint32_t(i);
      ASSERT_TRUE(vnic_->Receive(q, MakeFrame(s)).posted) << i;
    }
  }
};

// page_pool's pool_size counts pages. After the stack has held several
// rings' worth of buffers and let them go, the pool keeps no more pages
// than it takes to refill the ring (plus those on it), not one per buffer.
TEST_P(ParityTest, PagePoolKeepsOnlyWhatTheRingNeeds) {
  Open();
  const uint32_t ring = nic_->rbdr.ring_len;
  const size_t per_page = PAGE_SIZE / nic_->rbdr.stride;
  const size_t ring_pages = (ring + per_page - 1) / per_page;
  // Three rings' worth held by the stack at once
  for (uint32_t n = 0; n < 3 * ring; n += 512) {
    Arrive(int(n / 512 % 2), 512, n);
    Settle();
  }
  ASSERT_GE(mock::Delivered().size(), size_t(3 * ring));
  EXPECT_GE(mock::PoolPages(nic_->rbdr.pool), 3 * ring_pages);
  FreeDelivered();
  // Parked in the pool's ring at most one ring's pages, the ring's own
  // (and a page being carved) besides
  EXPECT_LE(mock::PoolPages(nic_->rbdr.pool), 2 * ring_pages + 1);
  ExpectOneFrameThrough(0);
  mock::DevClose(nd_);
}

// Documentation/networking/napi.rst: send completions are reclaimed
// whatever the budget, and only received packets count against it. A
// budget of 0 is netpoll's: sends are freed up to the first received
// packet, which is left alone (no page_pool call from netpoll).
TEST_P(ParityTest, SendsAreReclaimedWhateverTheBudget) {
  Open();
  vnic_->loopback = false;
  napi_struct* napi = &nic_->qv[0].napi;
  // 40 send completions, then a received packet, then 8 more sends
  for (int i = 0; i < 40; i++) Send(MakeFrame({}), 0);
  Arrive(0, 1);
  for (int i = 0; i < 8; i++) Send(MakeFrame({}), 0);
  ASSERT_EQ(49u, vnic_->CqCount(0));
  EXPECT_EQ(0, napi->poll(napi, 0));
  EXPECT_EQ(40u, Stat("tx_packets"));
  EXPECT_EQ(9u, vnic_->CqCount(0));
  EXPECT_TRUE(mock::Delivered().empty());
  // A budget of one packet takes the packet and every send around it
  EXPECT_EQ(1, napi->poll(napi, 1));
  EXPECT_EQ(48u, Stat("tx_packets"));
  EXPECT_EQ(0u, vnic_->CqCount(0));
  EXPECT_EQ(1u, mock::Delivered().size());
  FreeDelivered();
  // More received packets than the budget: the poll says there is more
  Arrive(0, 5);
  EXPECT_EQ(3, napi->poll(napi, 3));
  EXPECT_EQ(2, napi->poll(napi, 3));
  EXPECT_EQ(5u, mock::Delivered().size());
  FreeDelivered();
  mock::DevClose(nd_);
}

// napi_disable() waits for ownership, not for the poll to return: a poll
// finishing on another CPU as close masks the CQ interrupts re-enables its
// own. Here that poll runs right after close's first mask; once close
// returns, no CQ interrupt may be left enabled or pending.
TEST_P(ParityTest, CloseRacingAPollLeavesNoCqInterruptOn) {
  Open();
  for (int i = 0; i < 4; i++) Send(MakeFrame({}), 0);
  ASSERT_GT(mock::NapiScheduled(), 0u);
  bool raced = false;
  vnic_->after_write = [&](uint64_t off) {
    if (off != NIC_VF_ENA_W1C || raced) return;
    raced = true;
    mock::RunNapi();
  };
  mock::DevClose(nd_);
  vnic_->after_write = nullptr;
  ASSERT_TRUE(raced);
  EXPECT_EQ(0u, vnic_->int_enabled() & NICVF_INTR_CQ_MASK);
  EXPECT_EQ(0u, vnic_->int_status() & NICVF_INTR_CQ_MASK);
  FreeDelivered();
}

// The BGX is the PF's: whatever an earlier driver of this VF set there
// survives its SHUTDOWN and our load. Here the in-tree nicvf ran before us
// (multicast filtered through a CAM holding its old MAC and one group)
// and left receive timestamping and internal loopback on. Open must put
// each in a known state: every address accepted, no timestamp before the
// packet, sent frames on the wire.
TEST_P(ParityTest, OpenResetsWhatAnEarlierDriverLeftInTheBgx) {
  const Pf::Mac old_mac = {0x02, 0x1f, 0xb7, 0x00, 0x00, 0x99};
  pf_->FilterLikeInTreeDriver({old_mac, {0x33, 0x33, 0, 0, 0, 1}});
  pf_->bgx.timestamp = true;
  pf_->bgx.loopback = true;
  Open();
  EXPECT_EQ(Pf::kDmacDefault, pf_->bgx.dmac_ctl);
  EXPECT_TRUE(pf_->bgx.cam.empty());
  EXPECT_FALSE(pf_->bgx.timestamp);
  EXPECT_FALSE(pf_->bgx.loopback);
  // A group joined later, and our own unicast, arrive byte for byte
  std::vector<Bytes> sent;
  for (int i = 0; i < 4; i++) {
    FrameSpec s;
    s.seed = uint32_t(100 + i);
    Bytes f = MakeFrame(s);
    if (i % 2) {
      const uint8_t group[6] = {0x33, 0x33, 0xff, 0x12, 0x34, uint8_t(i)};
      memcpy(f.data(), group, 6);
    }
    ASSERT_TRUE(vnic_->Receive(0, f).posted) << i;
    sent.push_back(f);
  }
  Settle();
  EXPECT_EQ(sent, Received());
  EXPECT_EQ(0u, pf_->rx_filtered);
  FreeDelivered();
  // What we send goes out to the wire, not back to us through the BGX
  vnic_->loopback = false;
  Send(MakeFrame({}), 0);
  Settle();
  EXPECT_EQ(1u, vnic_->wire.size());
  EXPECT_EQ(0u, vnic_->bgx_looped);
  EXPECT_TRUE(mock::Delivered().empty());
  mock::DevClose(nd_);
}

INSTANTIATE_TEST_SUITE_P(AllModes, ParityTest,
                         ::testing::ValuesIn(mock::AllIommuModes()),
                         [](const ::testing::TestParamInfo<mock::IommuMode>& i) {
                           return std::string(mock::ToString(i.param));
                         });

}  // namespace
}  // namespace nicvf_test
