// SPDX-License-Identifier: GPL-2.0-only
// The receive path against the simulated VNIC, in every IOMMU mode.
#include "tests/rx_fixture.h"

#include <set>

namespace nicvf_test {
namespace {

using ::testing::ElementsAreArray;
using ::testing::ValuesIn;

// --- Geometry and bring-up --------------------------------------------------

TEST_P(RxTest, RingIsFilledAtBringUp) {
  EXPECT_EQ(rbdr_.ring_len - 1, vnic_->RbdrCount(0));
  EXPECT_EQ(rbdr_.ring_len - 1, nicvf_rbdr_posted_count(&rbdr_));
  EXPECT_EQ(NICVF_RX_BUF_LEN_DEFAULT, vnic_->BufLen(0));
}

TEST_P(RxTest, BuffersAreCarvedSeveralToAPageAndAligned) {
  // 2048-byte fragments: 2 to a 4K page, 32 to a 64K page.
  EXPECT_EQ(2048u, rbdr_.stride);
  EXPECT_EQ(PAGE_SIZE / 2048, PAGE_SIZE / rbdr_.stride);
  std::set<uint64_t> seen;
  std::set<uint64_t> pages;
  for (uint32_t i = 0; i + 1 < rbdr_.ring_len; i++) {
    uint64_t a = rbdr_.desc[i];
    EXPECT_EQ(0u, a % NICVF_RCV_BUF_ALIGN) << i;
    EXPECT_TRUE(seen.insert(a).second) << "buffer posted twice: " << a;
    pages.insert(a & PAGE_MASK);
  }
  // Fragments of a page are posted together, so the pages used are the
  // minimum needed.
  EXPECT_EQ((rbdr_.ring_len - 1 + PAGE_SIZE / 2048 - 1) / (PAGE_SIZE / 2048),
            pages.size());
  EXPECT_EQ(pages.size(), mock::Count().dma_map);
}

TEST_P(RxTest, OnlyATranslatingDomainIsKeptForResolution) {
  EXPECT_EQ(translating(), rbdr_.domain != nullptr);
}

// --- Delivery ----------------------------------------------------------------

TEST_P(RxTest, SingleBufferFramesAreByteExact) {
  const std::vector<size_t> sizes = {60, 64, 65, 128, 256, 512, 1024, 1500, 1518, 1536};
  for (size_t i = 0; i < sizes.size(); i++)
    ASSERT_TRUE(vnic_->Receive(0, PatternFrame(sizes[i], uint32_t(i))).posted);
  auto skbs = Poll();
  ASSERT_EQ(sizes.size(), skbs.size());
  for (size_t i = 0; i < sizes.size(); i++) {
    SCOPED_TRACE(sizes[i]);
    EXPECT_THAT(FrameBytes(skbs[i]), ElementsAreArray(PatternFrame(sizes[i], uint32_t(i))));
    EXPECT_EQ(sizes[i] - ETH_HLEN, skbs[i]->len);
    EXPECT_EQ(0, skb_shinfo(skbs[i])->nr_frags);
    EXPECT_EQ(0, skbs[i]->data_len);
    EXPECT_EQ(0x0008, skbs[i]->protocol);  // ETH_P_IP in network order
    EXPECT_EQ(PACKET_HOST, skbs[i]->pkt_type);
    EXPECT_EQ(0, skb_get_rx_queue(skbs[i]));
    EXPECT_EQ(1, skbs[i]->pp_recycle);
    EXPECT_EQ(HeadTruesize(), skbs[i]->truesize);
  }
  EXPECT_EQ(sizes.size(), Stats().rx_packets);
  EXPECT_EQ(0u, TotalDrops());
  Free(&skbs);
}

TEST_P(RxTest, JumboFramesBecomeHeadPlusFrags) {
  const std::vector<size_t> sizes = {1537, 2000, 3072, 3073, 4000, 8192, 9000, 9216, 9600};
  for (size_t i = 0; i < sizes.size(); i++)
    ASSERT_TRUE(vnic_->Receive(0, PatternFrame(sizes[i], uint32_t(100 + i))).posted);
  auto skbs = Poll();
  ASSERT_EQ(sizes.size(), skbs.size());
  for (size_t i = 0; i < sizes.size(); i++) {
    SCOPED_TRACE(sizes[i]);
    const sk_buff* skb = skbs[i];
    size_t nbufs = (sizes[i] + 1535) / 1536;
    EXPECT_THAT(FrameBytes(skb), ElementsAreArray(PatternFrame(sizes[i], uint32_t(100 + i))));
    EXPECT_EQ(sizes[i] - ETH_HLEN, skb->len);
    EXPECT_EQ(1536u - ETH_HLEN, skb_headlen(skb));
    ASSERT_EQ(int(nbufs - 1), skb_shinfo(skb)->nr_frags);
    for (int f = 0; f < skb_shinfo(skb)->nr_frags; f++) {
      const skb_frag_t* fr = &skb_shinfo(skb)->frags[f];
      size_t expect = f + 2 < int(nbufs) ? 1536 : sizes[i] - 1536 * (nbufs - 1);
      EXPECT_EQ(expect, skb_frag_size(fr));
      // Each fragment's data starts at a buffer's hardware area.
      EXPECT_EQ(NICVF_RX_HEADROOM, skb_frag_off(fr) % rbdr_.stride);
      EXPECT_TRUE(page_pool_page_is_pp(skb_frag_page(fr)));
    }
    EXPECT_EQ(HeadTruesize() + rbdr_.stride * (nbufs - 1), skb->truesize);
  }
  Free(&skbs);
}

TEST_P(RxTest, AlignPadIsReservedInTheHead) {
  for (unsigned pad = 0; pad < 8; pad++) {
    model::RxOptions opt;
    opt.align_pad = pad;
    ASSERT_TRUE(vnic_->Receive(0, PatternFrame(300 + pad, pad), opt).posted);
    ASSERT_TRUE(vnic_->Receive(0, PatternFrame(5000 + pad, pad), opt).posted);
  }
  auto skbs = Poll();
  ASSERT_EQ(16u, skbs.size());
  for (unsigned pad = 0; pad < 8; pad++) {
    SCOPED_TRACE(pad);
    const sk_buff* small = skbs[2 * pad];
    const sk_buff* big = skbs[2 * pad + 1];
    EXPECT_THAT(FrameBytes(small), ElementsAreArray(PatternFrame(300 + pad, pad)));
    EXPECT_THAT(FrameBytes(big), ElementsAreArray(PatternFrame(5000 + pad, pad)));
    EXPECT_EQ(NICVF_RX_HEADROOM + pad, size_t(skb_mac_header(small) - small->head));
    EXPECT_EQ(1536u - pad - ETH_HLEN, skb_headlen(big));
  }
  Free(&skbs);
}

TEST_P(RxTest, SkbsFromManyPacketsShareNoBytes) {
  // Hold every skb while more arrive: no two may overlap in memory.
  std::vector<sk_buff*> held;
  for (int round = 0; round < 4; round++) {
    for (int i = 0; i < 200; i++)
      ASSERT_TRUE(vnic_->Receive(0, PatternFrame(64 + (i * 37) % 3000, round * 1000 + i)).posted);
    auto skbs = Poll();
    held.insert(held.end(), skbs.begin(), skbs.end());
    Refill();
  }
  std::set<std::pair<uintptr_t, uintptr_t>> ranges;
  for (const sk_buff* skb : held) {
    ranges.insert({uintptr_t(skb->head), uintptr_t(skb->head) + rbdr_.stride});
    for (int f = 0; f < skb_shinfo(skb)->nr_frags; f++) {
      auto* p = static_cast<uint8_t*>(page_address(skb_shinfo(skb)->frags[f].page));
      uintptr_t start = uintptr_t(p) + skb_shinfo(skb)->frags[f].offset - NICVF_RX_HEADROOM;
      ranges.insert({start, start + rbdr_.stride});
    }
  }
  uintptr_t prev_end = 0;
  for (auto& r : ranges) {
    EXPECT_LE(prev_end, r.first);
    prev_end = r.second;
  }
  for (int round = 0, k = 0; round < 4; round++)
    for (int i = 0; i < 200; i++, k++)
      EXPECT_THAT(FrameBytes(held[k]), ElementsAreArray(PatternFrame(64 + (i * 37) % 3000, round * 1000 + i)));
  Free(&held);
}

TEST_P(RxTest, BroadcastAndOtherHostFramesAreClassified) {
  auto b = PatternFrame(100, 1);
  memset(b.data(), 0xff, 6);
  auto o = PatternFrame(100, 2);
  o[5] = 0x77;
  ASSERT_TRUE(vnic_->Receive(0, b).posted);
  ASSERT_TRUE(vnic_->Receive(0, o).posted);
  auto skbs = Poll();
  ASSERT_EQ(2u, skbs.size());
  EXPECT_EQ(PACKET_BROADCAST, skbs[0]->pkt_type);
  EXPECT_EQ(PACKET_OTHERHOST, skbs[1]->pkt_type);
  Free(&skbs);
}

TEST_P(RxTest, BudgetIsHonouredAndTheRestWaits) {
  for (int i = 0; i < 10; i++) ASSERT_TRUE(vnic_->Receive(0, PatternFrame(60, i)).posted);
  EXPECT_EQ(4, nicvf_cq_poll(&cq_[0], &napi_, 4));
  EXPECT_EQ(4u, mock::Delivered().size());
  EXPECT_EQ(6u, vnic_->CqCount(0));
  EXPECT_EQ(6, nicvf_cq_poll(&cq_[0], &napi_, 64));
  EXPECT_EQ(0u, vnic_->CqCount(0));
  EXPECT_EQ(0, nicvf_cq_poll(&cq_[0], &napi_, 64));
  auto skbs = Poll();
  for (int i = 0; i < 10; i++) EXPECT_THAT(FrameBytes(skbs[i]), ElementsAreArray(PatternFrame(60, i)));
  Free(&skbs);
}

TEST_P(RxTest, NonReceiveCompletionsAreSkipped) {
  model::Cqe send{};
  send[0] = FIELD_PREP(CQE_W0_TYPE, CQE_TYPE_SEND);
  ASSERT_TRUE(vnic_->WriteCqe(0, send));
  ASSERT_TRUE(vnic_->Receive(0, PatternFrame(80, 9)).posted);
  // Both consumed; only the received packet counts against the budget
  EXPECT_EQ(1, nicvf_cq_poll(&cq_[0], &napi_, 64));
  auto skbs = Poll();
  ASSERT_EQ(1u, skbs.size());
  EXPECT_EQ(0u, vnic_->CqCount(0));
  EXPECT_THAT(FrameBytes(skbs[0]), ElementsAreArray(PatternFrame(80, 9)));
  Free(&skbs);
}

TEST_P(RxTest, RefillTopsTheRingBackUp) {
  for (int i = 0; i < 500; i++) ASSERT_TRUE(vnic_->Receive(0, PatternFrame(3000, i)).posted);
  EXPECT_EQ(rbdr_.ring_len - 1 - 1000, vnic_->RbdrCount(0));
  auto skbs = Poll();
  EXPECT_EQ(rbdr_.ring_len - 1 - 1000, nicvf_rbdr_posted_count(&rbdr_));
  Refill();
  EXPECT_EQ(rbdr_.ring_len - 1, nicvf_rbdr_posted_count(&rbdr_));
  Free(&skbs);
}

TEST_P(RxTest, RingWrapsManyTimes) {
  // Five times round the RBDR and far more round the CQ.
  for (int round = 0; round < 40; round++) {
    for (int i = 0; i < 1000; i++)
      ASSERT_TRUE(vnic_->Receive(0, PatternFrame(60 + (i % 1400), i)).posted) << round;
    auto skbs = Poll();
    ASSERT_EQ(1000u, skbs.size());
    EXPECT_THAT(FrameBytes(skbs[999]), ElementsAreArray(PatternFrame(60 + 999 % 1400, 999)));
    Free(&skbs);
    Refill();
  }
  EXPECT_EQ(40000u, Stats().rx_packets);
  EXPECT_EQ(0u, vnic_->doorbell_errors);
}

TEST_P(RxTest, HardwareWithoutBuffersDropsAndRecoversAfterRefill) {
  uint32_t n = 0;
  while (vnic_->Receive(0, PatternFrame(9000, n)).posted) {
    n++;
    if (vnic_->CqCount(0) > 900) Free(&*std::make_unique<std::vector<sk_buff*>>(Poll()));
  }
  EXPECT_EQ(1u, vnic_->drops_no_buffer);
  EXPECT_LT(vnic_->RbdrCount(0), 6u);
  auto skbs = Poll();
  Free(&skbs);
  Refill();
  ASSERT_TRUE(vnic_->Receive(0, PatternFrame(9000, 77)).posted);
  skbs = Poll();
  ASSERT_EQ(1u, skbs.size());
  EXPECT_THAT(FrameBytes(skbs[0]), ElementsAreArray(PatternFrame(9000, 77)));
  Free(&skbs);
}

TEST_P(RxTest, StatsCountPacketsAndBytes) {
  size_t bytes = 0;
  for (int i = 0; i < 30; i++) {
    size_t len = 60 + i * 300;
    bytes += len;
    ASSERT_TRUE(vnic_->Receive(0, PatternFrame(len, i)).posted);
  }
  auto skbs = Poll();
  EXPECT_EQ(30u, Stats().rx_packets);
  EXPECT_EQ(bytes, Stats().rx_bytes);
  Free(&skbs);
}

// --- Resolution --------------------------------------------------------------

TEST_P(RxTest, IommuIsAskedOnlyForTranslatingDomains) {
  for (int i = 0; i < 20; i++) ASSERT_TRUE(vnic_->Receive(0, PatternFrame(4000, i)).posted);
  uint64_t before = mock::Count().iova_to_phys;
  auto skbs = Poll();
  ASSERT_EQ(20u, skbs.size());
  // 3 buffers per 4000-byte frame: one walk each when translating.
  EXPECT_EQ(translating() ? 60u : 0u, mock::Count().iova_to_phys - before);
  Free(&skbs);
}

TEST_P(RxTest, SteadyStateMapsEachPageOnce) {
  // Warm up until every page the pool will use has been through it once.
  auto run = [&](int packets) {
    for (int done = 0; done < packets; done += 512) {
      for (int i = 0; i < 512; i++) ASSERT_TRUE(vnic_->Receive(0, PatternFrame(64, i)).posted);
      auto skbs = Poll();
      ASSERT_EQ(512u, skbs.size());
      Free(&skbs);
      Refill();
    }
  };
  run(3 * 8192);
  uint64_t maps = mock::Count().dma_map, unmaps = mock::Count().dma_unmap;
  uint64_t news = mock::Count().pp_new_pages;
  run(100352);  // 100k packets, in whole batches
  uint64_t steady_maps = mock::Count().dma_map - maps;
  RecordProperty("dma_map_per_100k_steady", std::to_string(steady_maps));
  RecordProperty("dma_map_total", std::to_string(mock::Count().dma_map));
  EXPECT_EQ(0u, steady_maps);
  EXPECT_EQ(0u, mock::Count().dma_unmap - unmaps);
  EXPECT_EQ(news, mock::Count().pp_new_pages);
  // Every mapping ever made was for a distinct pool page.
  EXPECT_EQ(mock::Count().pp_new_pages, mock::Count().dma_map);
  EXPECT_GT(mock::Count().pp_recycled, 100000u / (PAGE_SIZE / 2048));
}

TEST_P(RxTest, HeldSkbsKeepTheirPagesOutOfThePool) {
  for (int i = 0; i < 300; i++) ASSERT_TRUE(vnic_->Receive(0, PatternFrame(1000, i)).posted);
  auto held = Poll();
  for (int r = 0; r < 20; r++) {
    for (int i = 0; i < 400; i++) ASSERT_TRUE(vnic_->Receive(0, PatternFrame(1000, 5000 + i)).posted);
    auto skbs = Poll();
    Free(&skbs);
    Refill();
  }
  // The held packets were not overwritten by buffers recycled under them.
  for (int i = 0; i < 300; i++) EXPECT_THAT(FrameBytes(held[i]), ElementsAreArray(PatternFrame(1000, i)));
  Free(&held);
}

// --- Malformed completions -------------------------------------------------

// The drop reason for an address that is not RAM (or, translating, not mapped).
int AbsentReason(bool translating) {
  return translating ? NICVF_RX_DROP_ADDR_UNMAPPED : NICVF_RX_DROP_ADDR_FOREIGN;
}

TEST_P(RxTest, ZeroAddressIsDropped) {
  model::RxOptions opt;
  size_t first = vnic_->cqe_rx2() ? CQE_RX_PTR_WORD_RX2 : CQE_RX_PTR_WORD;
  opt.mutate = [&](model::Cqe& c) { c[first] = 0; };
  ASSERT_TRUE(vnic_->Receive(0, PatternFrame(100, 1), opt).posted);
  EXPECT_TRUE(Poll().empty());
  EXPECT_EQ(1u, Drops(NICVF_RX_DROP_ADDR_FOREIGN));
  EXPECT_EQ(1u, TotalDrops());
  // The buffer the device really used is still ours: freed at teardown.
  EXPECT_EQ(rbdr_.ring_len - 1, nicvf_rbdr_posted_count(&rbdr_));
}

TEST_P(RxTest, AddressOutsideMemoryIsDropped) {
  const uint64_t addrs[] = {0x80, 0x1000, mock::PhysBase() - 0x1000 + 128,
                            mock::PhysBase() + (1ull << 40), ~0ull & ~127ull};
  for (uint64_t a : addrs) {
    model::Cqe c = vnic_->MakeCqeRx(0, {a}, {100}, 0);
    ASSERT_TRUE(vnic_->WriteCqe(0, c));
  }
  EXPECT_TRUE(Poll().empty());
  EXPECT_EQ(5u, Drops(AbsentReason(translating())));
  EXPECT_EQ(5u, TotalDrops());
}

TEST_P(RxTest, UnmappedIovaIsDroppedWithoutTouchingMemory) {
  // An address in the IOVA window that nothing is mapped at: unmapped when
  // translating; below simulated RAM (so not ours) otherwise.
  model::Cqe c = vnic_->MakeCqeRx(0, {0x10000080}, {200}, 0);
  ASSERT_TRUE(vnic_->WriteCqe(0, c));
  EXPECT_TRUE(Poll().empty());
  EXPECT_EQ(1u, Drops(AbsentReason(translating())));
}

TEST_P(RxTest, PageThatIsNotThePoolsIsDropped) {
  struct page* pg = alloc_pages(GFP_KERNEL, 0);
  ASSERT_NE(nullptr, pg);
  dma_addr_t dma = dma_map_page_attrs(mock::Dev(), pg, 0, PAGE_SIZE, DMA_FROM_DEVICE, 0);
  memset(page_address(pg), 0x5a, PAGE_SIZE);
  model::Cqe c = vnic_->MakeCqeRx(0, {dma + NICVF_RX_HEADROOM}, {100}, 0);
  ASSERT_TRUE(vnic_->WriteCqe(0, c));
  EXPECT_TRUE(Poll().empty());
  EXPECT_EQ(1u, Drops(NICVF_RX_DROP_ADDR_FOREIGN));
  // Nothing was written to or freed from the foreign page.
  EXPECT_EQ(1, page_ref_count(pg));
  for (size_t i = 0; i < PAGE_SIZE; i++) ASSERT_EQ(0x5a, static_cast<uint8_t*>(page_address(pg))[i]);
  dma_unmap_page_attrs(mock::Dev(), dma, PAGE_SIZE, DMA_FROM_DEVICE, 0);
  put_page(pg);
}

TEST_P(RxTest, AddressInsideABufferButNotItsStartIsDropped) {
  uint64_t buf;
  ASSERT_TRUE(vnic_->TakeBuffer(0, &buf));
  const uint64_t wrong[] = {buf + 8, buf + 128, buf - NICVF_RX_HEADROOM, buf + 2048 - 128};
  for (uint64_t a : wrong) ASSERT_TRUE(vnic_->WriteCqe(0, vnic_->MakeCqeRx(0, {a}, {100}, 0)));
  EXPECT_TRUE(Poll().empty());
  EXPECT_EQ(4u, Drops(NICVF_RX_DROP_ADDR_FOREIGN));
  // The real buffer is still posted, and still claimable once.
  ASSERT_TRUE(vnic_->WriteCqe(0, vnic_->MakeCqeRx(0, {buf}, {60}, 0)));
  auto skbs = Poll();
  EXPECT_EQ(1u, skbs.size());
  Free(&skbs);
}

TEST_P(RxTest, BufferReportedTwiceIsDeliveredOnce) {
  auto res = vnic_->Receive(0, PatternFrame(500, 3));
  ASSERT_TRUE(res.posted);
  ASSERT_TRUE(vnic_->WriteCqe(0, vnic_->MakeCqeRx(0, res.buffers, {500}, 0)));
  auto skbs = Poll();
  ASSERT_EQ(1u, skbs.size());
  EXPECT_EQ(1u, Drops(NICVF_RX_DROP_ADDR_NOT_POSTED));
  EXPECT_THAT(FrameBytes(skbs[0]), ElementsAreArray(PatternFrame(500, 3)));
  Free(&skbs);
  // And again once the first skb is gone and the buffer is back in the pool.
  ASSERT_TRUE(vnic_->WriteCqe(0, vnic_->MakeCqeRx(0, res.buffers, {500}, 0)));
  EXPECT_TRUE(Poll().empty());
  EXPECT_EQ(2u, Drops(NICVF_RX_DROP_ADDR_NOT_POSTED));
}

TEST_P(RxTest, ErrorCompletionsAreDroppedAndTheirBuffersReturned) {
  const std::pair<unsigned, unsigned> errs[] = {{CQE_RX_ERRLVL_RE, 0x07},
                                                {CQE_RX_ERRLVL_L2, 0x25},
                                                {CQE_RX_ERRLVL_L3, 0x42},
                                                {CQE_RX_ERRLVL_L4, 0x62},
                                                {CQE_RX_ERRLVL_RE, 0x70}};
  for (auto& e : errs) {
    model::RxOptions opt;
    opt.err_level = e.first;
    opt.err_opcode = e.second;
    ASSERT_TRUE(vnic_->Receive(0, PatternFrame(4000, 1), opt).posted);
  }
  EXPECT_TRUE(Poll().empty());
  EXPECT_EQ(5u, Drops(NICVF_RX_DROP_CQE_ERR));
  EXPECT_EQ(5u, TotalDrops());
  EXPECT_EQ(rbdr_.ring_len - 1 - 15, nicvf_rbdr_posted_count(&rbdr_));
  // The 15 buffers went back to the pool: only posted buffers hold pages.
  EXPECT_EQ(long(rbdr_.ring_len - 1 - 15), mock::PoolRefs(rbdr_.pool));
  Refill();
  EXPECT_EQ(long(rbdr_.ring_len - 1), mock::PoolRefs(rbdr_.pool));
}

TEST_P(RxTest, ZeroBufferCountIsDropped) {
  model::RxOptions opt;
  opt.mutate = [](model::Cqe& c) { c[0] &= ~CQE_RX_W0_RB_CNT; };
  ASSERT_TRUE(vnic_->Receive(0, PatternFrame(100, 1), opt).posted);
  EXPECT_TRUE(Poll().empty());
  EXPECT_EQ(1u, Drops(NICVF_RX_DROP_RB_CNT));
}

TEST_P(RxTest, BufferCountAboveMaximumIsDroppedAndNamedBuffersReturned) {
  unsigned used = 0;
  for (unsigned cnt = 13; cnt <= 15; cnt++) {
    used += (1000 * cnt + 1535) / 1536;
    model::RxOptions opt;
    opt.mutate = [cnt](model::Cqe& c) {
      c[0] = (c[0] & ~CQE_RX_W0_RB_CNT) | FIELD_PREP(CQE_RX_W0_RB_CNT, cnt);
    };
    ASSERT_TRUE(vnic_->Receive(0, PatternFrame(1000 * cnt, cnt), opt).posted);
  }
  EXPECT_TRUE(Poll().empty());
  EXPECT_EQ(3u, Drops(NICVF_RX_DROP_RB_CNT));
  EXPECT_EQ(rbdr_.ring_len - 1 - used, nicvf_rbdr_posted_count(&rbdr_));
  EXPECT_EQ(long(rbdr_.ring_len - 1 - used), mock::PoolRefs(rbdr_.pool));
}

TEST_P(RxTest, OversizeLengthsAreDropped) {
  struct Case {
    size_t frame;
    unsigned pad;
    unsigned buf;
    uint16_t len;
  } cases[] = {
      {100, 0, 0, 1537},   // one buffer, longer than a buffer
      {100, 4, 0, 1533},   // pad + length beyond the buffer
      {100, 0, 0, 0xffff},
      {4000, 0, 1, 1600},  // a later buffer overflowing
      {100, 0, 0, 10},     // shorter than an Ethernet header
  };
  for (const Case& c : cases) {
    model::RxOptions opt;
    opt.align_pad = c.pad;
    opt.mutate = [&c](model::Cqe& q) {
      unsigned w = CQE_RX_LEN_WORD + c.buf / 4, s = 16 * (c.buf % 4);
      q[w] = (q[w] & ~(0xffffull << s)) | (uint64_t(c.len) << s);
    };
    ASSERT_TRUE(vnic_->Receive(0, PatternFrame(c.frame, 1), opt).posted);
  }
  EXPECT_TRUE(Poll().empty());
  EXPECT_EQ(5u, Drops(NICVF_RX_DROP_RB_LEN));
  EXPECT_EQ(5u, TotalDrops());
  EXPECT_EQ(rbdr_.ring_len - 1 - 7, nicvf_rbdr_posted_count(&rbdr_));
  EXPECT_EQ(long(rbdr_.ring_len - 1 - 7), mock::PoolRefs(rbdr_.pool));
}

TEST_P(RxTest, OneBadBufferDropsThePacketAndReturnsTheRest) {
  uint64_t news = mock::Count().pp_new_pages;
  model::RxOptions opt;
  size_t first = vnic_->cqe_rx2() ? CQE_RX_PTR_WORD_RX2 : CQE_RX_PTR_WORD;
  opt.mutate = [first](model::Cqe& c) { c[first + 2] += 64; };
  auto res = vnic_->Receive(0, PatternFrame(6000, 1), opt);
  ASSERT_TRUE(res.posted);
  ASSERT_EQ(4u, res.buffers.size());
  EXPECT_TRUE(Poll().empty());
  EXPECT_EQ(1u, Drops(NICVF_RX_DROP_ADDR_FOREIGN));
  // Three buffers were claimed and returned; the misreported one is still
  // posted as far as the driver knows.
  EXPECT_EQ(rbdr_.ring_len - 1 - 3, nicvf_rbdr_posted_count(&rbdr_));
  EXPECT_EQ(long(rbdr_.ring_len - 1 - 3), mock::PoolRefs(rbdr_.pool));
  // The good buffers can never be claimed again through this completion.
  ASSERT_TRUE(vnic_->WriteCqe(0, vnic_->MakeCqeRx(0, {res.buffers[0]}, {100}, 0)));
  EXPECT_TRUE(Poll().empty());
  EXPECT_EQ(1u, Drops(NICVF_RX_DROP_ADDR_NOT_POSTED));
  EXPECT_EQ(news, mock::Count().pp_new_pages);
}

TEST_P(RxTest, GarbageCompletionsNeverCrashOrLeak) {
  uint64_t x = 0x9e3779b97f4a7c15ull;
  auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  size_t first = vnic_->cqe_rx2() ? CQE_RX_PTR_WORD_RX2 : CQE_RX_PTR_WORD;
  for (int i = 0; i < 300; i++) {
    model::Cqe c{};
    for (auto& w : c) w = next();
    c[0] = (c[0] & ~CQE_W0_TYPE) | FIELD_PREP(CQE_W0_TYPE, CQE_TYPE_RX);
    // Half of them name real posted buffers, with random lengths and pad.
    if (i % 2) {
      for (size_t b = 0; b < 12; b++) {
        uint64_t a;
        if (b < 3 && vnic_->TakeBuffer(0, &a)) c[first + b] = a;
      }
    }
    ASSERT_TRUE(vnic_->WriteCqe(0, c));
    if (i % 50 == 49) {
      auto skbs = Poll();
      Free(&skbs);
    }
  }
  auto skbs = Poll();
  Free(&skbs);
  EXPECT_EQ(300u, Stats().rx_packets + TotalDrops());
  // Whatever was claimed went back: only still-posted buffers hold pages.
  EXPECT_EQ(long(nicvf_rbdr_posted_count(&rbdr_)), mock::PoolRefs(rbdr_.pool));
}

TEST_P(RxTest, DeviceRewritingTheCompletionAfterValidationIsIgnored) {
  // A device that keeps writing the entry while the driver reads it must
  // not get an unvalidated length or address used.
  uint32_t idx = cq_[0].head;
  ASSERT_TRUE(vnic_->Receive(0, PatternFrame(700, 5)).posted);
  ASSERT_TRUE(vnic_->Receive(0, PatternFrame(4000, 6)).posted);
  int syncs = 0;
  mock::OnSyncForCpu() = [&](uint64_t, size_t) {
    if (syncs++) return;
    uint64_t lens = 0xffffffffffffffffull, ptr = mock::PhysBase() + 128;
    for (uint32_t e = idx; e < idx + 2; e++) {
      uint64_t base = cq_[0].desc_dma + uint64_t(e) * NICVF_CQE_SIZE;
      for (int w = 3; w < 6; w++) ASSERT_TRUE(mock::DeviceWrite(base + 8 * w, &lens, 8));
      for (int w = 6; w < 19; w++) ASSERT_TRUE(mock::DeviceWrite(base + 8 * w, &ptr, 8));
    }
  };
  auto skbs = Poll();
  mock::OnSyncForCpu() = nullptr;
  // The first packet was read before the rewrite; the second was rewritten
  // before the driver saw it and is refused as a whole.
  ASSERT_EQ(1u, skbs.size());
  EXPECT_THAT(FrameBytes(skbs[0]), ElementsAreArray(PatternFrame(700, 5)));
  EXPECT_EQ(1u, TotalDrops());
  Free(&skbs);
}

// --- Teardown ------------------------------------------------------------------

TEST_P(RxTest, TeardownReclaimsBuffersTheDeviceTookButNeverReported) {
  uint64_t a;
  for (int i = 0; i < 777; i++) ASSERT_TRUE(vnic_->TakeBuffer(0, &a));
  for (int i = 0; i < 50; i++) ASSERT_TRUE(vnic_->Receive(0, PatternFrame(3000, i)).posted);
  // Completions are never polled either: the fixture frees and checks.
  EXPECT_EQ(rbdr_.ring_len - 1, nicvf_rbdr_posted_count(&rbdr_));
}

TEST_P(RxTest, TeardownWithSkbsStillInTheStack) {
  for (int i = 0; i < 100; i++) ASSERT_TRUE(vnic_->Receive(0, PatternFrame(2000, i)).posted);
  auto skbs = Poll();
  // Free the queues first, as on interface down with packets in flight;
  // the pool lives until the last page comes back.
  FreeCqs();
  FreeRbdr();
  EXPECT_EQ(1u, mock::PoolsAlive());
  for (int i = 0; i < 100; i++) EXPECT_THAT(FrameBytes(skbs[i]), ElementsAreArray(PatternFrame(2000, i)));
  Free(&skbs);
  EXPECT_EQ(0u, mock::PoolsAlive());
}

INSTANTIATE_TEST_SUITE_P(AllModes, RxTest, ValuesIn(mock::AllIommuModes()), ModeName);

// --- Configurations beyond the default ---------------------------------------

class RxConfigTest : public RxFixture,
                     public ::testing::WithParamInterface<IommuMode> {};

TEST_P(RxConfigTest, EveryBufferCountFromOneToTheMaximum) {
  // 768-byte buffers so that a 9216-byte frame needs all 12.
  RxConfig cfg;
  cfg.buf_len = 768;
  Start(GetParam(), cfg);
  for (unsigned n = 1; n <= CQE_RX_MAX_RB; n++)
    ASSERT_TRUE(vnic_->Receive(0, PatternFrame(768 * n, n)).posted) << n;
  ASSERT_FALSE(vnic_->Receive(0, PatternFrame(768 * 12 + 1, 99)).posted);
  EXPECT_EQ(1u, vnic_->drops_too_long);
  auto skbs = Poll();
  ASSERT_EQ(12u, skbs.size());
  for (unsigned n = 1; n <= CQE_RX_MAX_RB; n++) {
    SCOPED_TRACE(n);
    EXPECT_EQ(int(n - 1), skb_shinfo(skbs[n - 1])->nr_frags);
    EXPECT_THAT(FrameBytes(skbs[n - 1]), ElementsAreArray(PatternFrame(768 * n, n)));
  }
  Free(&skbs);
}

TEST_P(RxConfigTest, Pass1CqeLayoutPointersFromWordSix) {
  RxConfig cfg;
  cfg.cqe_rx2 = false;
  Start(GetParam(), cfg);
  for (int i = 0; i < 10; i++) ASSERT_TRUE(vnic_->Receive(0, PatternFrame(60 + 1000 * i, i)).posted);
  auto skbs = Poll();
  ASSERT_EQ(10u, skbs.size());
  for (int i = 0; i < 10; i++) EXPECT_THAT(FrameBytes(skbs[i]), ElementsAreArray(PatternFrame(60 + 1000 * i, i)));
  Free(&skbs);
}

TEST_P(RxConfigTest, LayoutMismatchIsCaughtNotTrusted) {
  // A driver told the wrong layout reads the CQE_RX2 word as a pointer:
  // every packet must be dropped and counted, never delivered as garbage.
  RxConfig cfg;
  cfg.cqe_rx2 = true;
  Start(GetParam(), cfg);
  cq_[0].cqe_rx2 = false;
  for (int i = 0; i < 5; i++) ASSERT_TRUE(vnic_->Receive(0, PatternFrame(100, i)).posted);
  EXPECT_TRUE(Poll().empty());
  EXPECT_EQ(5u, TotalDrops());
}

TEST_P(RxConfigTest, EightQueuesShareOneRbdr) {
  RxConfig cfg;
  cfg.cqs = 8;
  Start(GetParam(), cfg);
  for (int i = 0; i < 800; i++) ASSERT_TRUE(vnic_->Receive(i % 8, PatternFrame(64 + i * 11, i)).posted);
  for (int q = 0; q < 8; q++) {
    auto skbs = Poll(q);
    ASSERT_EQ(100u, skbs.size());
    for (int k = 0; k < 100; k++) {
      int i = k * 8 + q;
      EXPECT_EQ(q, skb_get_rx_queue(skbs[k]));
      EXPECT_THAT(FrameBytes(skbs[k]), ElementsAreArray(PatternFrame(64 + i * 11, i)));
    }
    EXPECT_EQ(100u, Stats(q).rx_packets);
    Free(&skbs);
  }
  Refill();
}

TEST_P(RxConfigTest, LargerRingsWork) {
  RxConfig cfg;
  cfg.ring_len = NICVF_RBDR_LEN_MIN * 2;
  cfg.cq_len = NICVF_CQ_LEN_MIN * 4;
  Start(GetParam(), cfg);
  EXPECT_EQ(cfg.ring_len - 1, vnic_->RbdrCount(0));
  for (int i = 0; i < 4000; i++) ASSERT_TRUE(vnic_->Receive(0, PatternFrame(60, i)).posted);
  auto skbs = Poll();
  EXPECT_EQ(4000u, skbs.size());
  Free(&skbs);
  Refill();
}

INSTANTIATE_TEST_SUITE_P(AllModes, RxConfigTest, ValuesIn(mock::AllIommuModes()), ModeName);

// --- Parameter checking --------------------------------------------------------

TEST(RxInit, RejectsSizesTheHardwareCannotTake) {
  mock::Reset(IommuMode::kNone);
  testlib::MockedVnic vnic(true);
  nicvf_rbdr rbdr{};
  nicvf_cq cq{};
  EXPECT_EQ(-EINVAL, nicvf_rbdr_init(&rbdr, mock::Dev(), vnic.bar0(), 0, 8191, 1536, nullptr));
  EXPECT_EQ(-EINVAL, nicvf_rbdr_init(&rbdr, mock::Dev(), vnic.bar0(), 0, 4096, 1536, nullptr));
  EXPECT_EQ(-EINVAL, nicvf_rbdr_init(&rbdr, mock::Dev(), vnic.bar0(), 0, 8192, 1500, nullptr));
  EXPECT_EQ(-EINVAL, nicvf_rbdr_init(&rbdr, mock::Dev(), vnic.bar0(), 0, 8192, 0, nullptr));
  // A buffer that does not fit in a page with its headroom and shared info.
  EXPECT_EQ(-EINVAL, nicvf_rbdr_init(&rbdr, mock::Dev(), vnic.bar0(), 0, 8192,
                                     ALIGN(PAGE_SIZE, 128), nullptr));
  EXPECT_EQ(-EINVAL, nicvf_cq_init(&cq, mock::Dev(), vnic.bar0(), 0, 1000, nullptr, nullptr, true));
  EXPECT_EQ(-EINVAL, nicvf_cq_init(&cq, mock::Dev(), vnic.bar0(), 0, 512, nullptr, nullptr, true));
}

TEST(RxInit, RbdrConfigRegisterDescribesTheRing) {
  mock::Reset(IommuMode::kTranslating);
  testlib::MockedVnic vnic(true);
  nicvf_rbdr rbdr{};
  ASSERT_EQ(0, nicvf_rbdr_init(&rbdr, mock::Dev(), vnic.bar0(), 1, 16384, 1024, nullptr));
  nicvf_rbdr_enable(&rbdr);
  uint64_t cfg = vnic.Read64(NIC_QSET_RBDR_0_1_CFG + NIC_QUEUE_STRIDE);
  EXPECT_TRUE(cfg & NIC_RBDR_CFG_ENA);
  EXPECT_EQ(1u, FIELD_GET(NIC_RBDR_CFG_QSIZE, cfg));
  EXPECT_EQ(8u, FIELD_GET(NIC_RBDR_CFG_LINES, cfg));
  EXPECT_EQ(rbdr.desc_dma, vnic.Read64(NIC_QSET_RBDR_0_1_BASE + NIC_QUEUE_STRIDE));
  EXPECT_EQ(16383u, vnic.RbdrCount(1));
  nicvf_rbdr_free(&rbdr);
  // Nothing but the VNIC's registers, which go with it
  EXPECT_THAT(mock::Outstanding(), ::testing::ElementsAre("MMIO regions: 1"));
}

}  // namespace
}  // namespace nicvf_test
