// SPDX-License-Identifier: GPL-2.0-only
// The receive path when streaming DMA bounces (swiotlb=force): the address
// the device reports names a bounce buffer, not the page we posted. The
// driver must drop and count every packet, leave the bounce buffers alone,
// and still give every posted buffer back to the pool.
#include "tests/rx_fixture.h"

namespace nicvf_test {
namespace {

class RxBounceTest : public RxFixture {
 protected:
  void SetUp() override { Start(IommuMode::kBounce); }

  long Unresolved() { return atomic_long_read(&rbdr_.rx_unresolved); }
};

TEST_F(RxBounceTest, PostedAddressesAreNotThePagesPhysicalAddresses) {
  // What makes this mode: the DMA address is the bounce buffer's
  uint64_t addr = rbdr_.desc[0];
  ASSERT_NE(nullptr, mock::PhysToHost(addr));
  struct page* pg = virt_to_page(mock::PhysToHost(addr));
  EXPECT_FALSE(page_pool_page_is_pp(pg));
  // ... and the driver said so when it set the ring up
  EXPECT_TRUE(mock::Logged("does not resolve to its page"));
  EXPECT_TRUE(mock::Logged("counted as rx_drop_addr_foreign"));
}

TEST_F(RxBounceTest, EveryPacketIsDroppedCountedAndItsBuffersReturned) {
  const std::vector<size_t> sizes = {60, 1500, 3000, 9000};
  size_t buffers = 0;
  std::vector<std::vector<uint8_t>> written;
  std::vector<uint64_t> addrs;
  for (size_t i = 0; i < sizes.size(); i++) {
    auto res = vnic_->Receive(0, PatternFrame(sizes[i], uint32_t(i)));
    ASSERT_TRUE(res.posted);
    buffers += res.buffers.size();
    for (uint64_t a : res.buffers) {
      addrs.push_back(a);
      auto* p = static_cast<uint8_t*>(mock::PhysToHost(a));
      written.emplace_back(p, p + 256);
    }
  }
  EXPECT_TRUE(Poll().empty());
  EXPECT_EQ(sizes.size(), Drops(NICVF_RX_DROP_ADDR_FOREIGN));
  EXPECT_EQ(sizes.size(), TotalDrops());
  EXPECT_EQ(0u, Stats().rx_packets);
  EXPECT_EQ(long(buffers), Unresolved());
  // The bounce buffers the device wrote were read only through their
  // struct page: their bytes are as the device left them.
  for (size_t i = 0; i < addrs.size(); i++) {
    auto* p = static_cast<uint8_t*>(mock::PhysToHost(addrs[i]));
    EXPECT_EQ(0, memcmp(written[i].data(), p, written[i].size())) << i;
  }
  // Every consumed buffer went back to the pool: refill tops the ring up
  // and the posted set is full again.
  Refill();
  EXPECT_EQ(rbdr_.ring_len - 1, nicvf_rbdr_posted_count(&rbdr_));
  expected_unresolved_ = Unresolved();
}

TEST_F(RxBounceTest, RingWrapsWithoutLeakingBuffers) {
  // Three times round the ring: without the buffers coming back, refill
  // would run out of the pool's pages or the posted set would fill.
  uint64_t n = 0;
  for (uint32_t round = 0; round < 3 * rbdr_.ring_len / 256; round++) {
    for (int i = 0; i < 256; i++, n++)
      ASSERT_TRUE(vnic_->Receive(0, PatternFrame(64, uint32_t(i))).posted);
    EXPECT_TRUE(Poll().empty());
    Refill();
  }
  EXPECT_EQ(n, Drops(NICVF_RX_DROP_ADDR_FOREIGN));
  EXPECT_EQ(long(n), Unresolved());
  expected_unresolved_ = Unresolved();
}

TEST_F(RxBounceTest, NeverPostedAndUnmappedAddressesAreStillRefusedAsSuch) {
  uint64_t buf;
  ASSERT_TRUE(vnic_->TakeBuffer(0, &buf));
  // Reported twice: the second report is not ours any more
  ASSERT_TRUE(vnic_->WriteCqe(0, vnic_->MakeCqeRx(0, {buf}, {100}, 0)));
  ASSERT_TRUE(vnic_->WriteCqe(0, vnic_->MakeCqeRx(0, {buf}, {100}, 0)));
  // Outside memory
  ASSERT_TRUE(vnic_->WriteCqe(0, vnic_->MakeCqeRx(0, {0x10000080}, {100}, 0)));
  EXPECT_TRUE(Poll().empty());
  EXPECT_EQ(3u, Drops(NICVF_RX_DROP_ADDR_FOREIGN));
  EXPECT_EQ(1, Unresolved());  // only the claimed one
  expected_unresolved_ = 1;
}

}  // namespace
}  // namespace nicvf_test
