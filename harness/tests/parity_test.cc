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

INSTANTIATE_TEST_SUITE_P(AllModes, ParityTest,
                         ::testing::ValuesIn(mock::AllIommuModes()),
                         [](const ::testing::TestParamInfo<mock::IommuMode>& i) {
                           return std::string(mock::ToString(i.param));
                         });

}  // namespace
}  // namespace nicvf_test
