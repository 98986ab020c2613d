// SPDX-License-Identifier: GPL-2.0-only
// The error paths of ring setup and transmit, each one made to run: every
// allocation the queue set makes fails in turn (the rings' coherent memory,
// the kvcalloc'd posted set and send-queue state, the page_pool itself),
// the posted set fills up under a device that keeps buffers, and the
// transmit path finds too few free entries. Each must fail with its error,
// leave nothing behind (compared with what was there before, and the
// harness's check after every test), and the interface must work once the
// fault is gone.
#include <cstdio>

#include "tests/e2e_fixture.h"

extern "C" {
#include <linux/slab.h>
#include <net/page_pool/helpers.h>
}

namespace nicvf_test {
namespace {

using mock::Fault;
using model::Pf;
using ::testing::IsEmpty;

// Fail only the nth call of `kind` from now on
void FailNth(Fault kind, uint64_t nth) {
  mock::InjectFaults(kind, {.after = nth - 1, .every = 1, .limit = 1});
}

// Count the calls of `kind` from now on without failing any
void CountCalls(Fault kind) {
  mock::InjectFaults(kind, {.after = UINT64_MAX / 2, .every = 1});
}

// --- The mocks: each new kind fails its own call sites, and only them ------

TEST(UnwindMocks, AllocationFaultsFailTheirCallSitesOnly) {
  mock::Reset(mock::IommuMode::kTranslating);
  // kmalloc and its kin, not the kvmalloc family
  mock::InjectFaults(Fault::kKmalloc, {.every = 1});
  EXPECT_EQ(nullptr, kmalloc(64, GFP_KERNEL));
  EXPECT_EQ(nullptr, kzalloc(64, GFP_KERNEL));
  EXPECT_EQ(nullptr, kcalloc(4, 16, GFP_KERNEL));
  void* kv = kvcalloc(4, 16, GFP_KERNEL);
  EXPECT_NE(nullptr, kv);
  kvfree(kv);
  mock::StopAllFaults();

  mock::InjectFaults(Fault::kKvmalloc, {.every = 1});
  EXPECT_EQ(nullptr, kvcalloc(4, 16, GFP_KERNEL));
  EXPECT_EQ(nullptr, kvzalloc(64, GFP_KERNEL));
  EXPECT_EQ(nullptr, kvmalloc(64, GFP_KERNEL));
  void* k = kmalloc(64, GFP_KERNEL);
  EXPECT_NE(nullptr, k);
  kvfree(k);  // kvfree takes kmalloc's memory too
  mock::StopAllFaults();

  dma_addr_t dma = 0;
  FailNth(Fault::kDmaAllocCoherent, 1);
  EXPECT_EQ(nullptr, dma_alloc_coherent(mock::Dev(), 8192, &dma, GFP_KERNEL));
  void* ring = dma_alloc_coherent(mock::Dev(), 8192, &dma, GFP_KERNEL);
  ASSERT_NE(nullptr, ring);
  dma_free_coherent(mock::Dev(), 8192, ring, dma);

  page_pool_params pp{};
  pp.pool_size = 16;
  pp.dev = mock::Dev();
  pp.dma_dir = DMA_FROM_DEVICE;
  pp.flags = PP_FLAG_DMA_MAP;
  FailNth(Fault::kPagePoolCreate, 1);
  page_pool* pool = page_pool_create(&pp);
  ASSERT_TRUE(IS_ERR(pool));
  EXPECT_EQ(-ENOMEM, PTR_ERR(pool));
  pool = page_pool_create(&pp);
  ASSERT_FALSE(IS_ERR(pool));
  page_pool_destroy(pool);

  EXPECT_EQ(3u, mock::FaultsInjected(Fault::kKmalloc));
  EXPECT_EQ(3u, mock::FaultsInjected(Fault::kKvmalloc));
  EXPECT_EQ(1u, mock::FaultsInjected(Fault::kDmaAllocCoherent));
  EXPECT_EQ(1u, mock::FaultsInjected(Fault::kPagePoolCreate));
  EXPECT_EQ(0u, mock::FaultsInjected(Fault::kPageAlloc));
}

TEST(UnwindMocks, KvmallocMemoryFreedWithKfreeIsReported) {
  mock::Reset(mock::IommuMode::kNone);
  void* p = kvzalloc(128, GFP_KERNEL);
  ASSERT_NE(nullptr, p);
  EXPECT_THAT(mock::Outstanding(), ::testing::Contains("kvmalloc blocks: 1"));
  kfree(p);
  ASSERT_EQ(1u, mock::Violations().size());
  EXPECT_NE(std::string::npos, mock::Violations()[0].find("use kvfree"));
  mock::Violations().clear();
}

// --- The ring constructors, called directly ----------------------------------

struct InitFault {
  const char* name;
  Fault kind;
  uint64_t nth;
};

void PrintTo(const InitFault& c, std::ostream* os) { *os << c.name; }

// A machine with a VNIC for its registers; what is outstanding before the
// call is what must be outstanding after a failed one.
class UnwindInit : public ::testing::TestWithParam<InitFault> {
 protected:
  void SetUp() override {
    mock::Reset(mock::IommuMode::kTranslating);
    vnic_ = std::make_unique<testlib::MockedVnic>(true);
    vnic_->parse_rx = false;
    netdev_ = alloc_etherdev_mqs(0, 1, 1);
    netdev_->dev_addr = kOurMac;
    napi_.dev = netdev_;
    before_ = mock::Outstanding();
  }

  void TearDown() override {
    mock::StopAllFaults();
    mock::FreeDelivered();
    free_netdev(netdev_);
    vnic_.reset();
  }

  void Inject() {
    const InitFault& c = GetParam();
    FailNth(c.kind, c.nth);
  }

  void ExpectFaultFiredAndNothingLeft() {
    mock::StopAllFaults();
    EXPECT_EQ(1u, mock::FaultsInjected(GetParam().kind));
    EXPECT_EQ(before_, mock::Outstanding());
    EXPECT_THAT(mock::Violations(), IsEmpty());
  }

  // With the faults gone: an RBDR and a CQ come up and one frame arrives
  void ExpectReceiveWorks() {
    nicvf_rbdr rbdr{};
    nicvf_cq cq{};
    ASSERT_EQ(0, nicvf_rbdr_init(&rbdr, mock::Dev(), vnic_->bar0(), 0,
                                 NICVF_RBDR_LEN_MIN, NICVF_RX_BUF_LEN_DEFAULT, nullptr));
    ASSERT_EQ(0, nicvf_cq_init(&cq, mock::Dev(), vnic_->bar0(), 0,
                               NICVF_CQ_LEN_MIN, &rbdr, netdev_, true));
    nicvf_cq_enable(&cq);
    nicvf_rbdr_enable(&rbdr);
    Bytes frame = MakeFrame({.len = 300});
    ASSERT_TRUE(vnic_->Receive(0, frame).posted);
    EXPECT_EQ(1, nicvf_cq_poll(&cq, &napi_, 64));
    ASSERT_EQ(1u, mock::Delivered().size());
    EXPECT_EQ(frame, FrameBytes(mock::Delivered()[0]));
    mock::FreeDelivered();
    nicvf_cq_free(&cq);
    nicvf_rbdr_free(&rbdr);
  }

  std::unique_ptr<testlib::MockedVnic> vnic_;
  net_device* netdev_ = nullptr;
  napi_struct napi_{};
  std::vector<std::string> before_;
};

class UnwindRbdrInit : public UnwindInit {};

TEST_P(UnwindRbdrInit, FailsWithEnomemAndFreesWhatItHadSetUp) {
  nicvf_rbdr rbdr{};
  Inject();
  EXPECT_EQ(-ENOMEM, nicvf_rbdr_init(&rbdr, mock::Dev(), vnic_->bar0(), 0,
                                     NICVF_RBDR_LEN_MIN,
                                     NICVF_RX_BUF_LEN_DEFAULT, nullptr));
  // Nothing is left for a later free to find, or to free twice (asserted:
  // the free below would follow a stale pointer)
  ASSERT_EQ(nullptr, rbdr.desc);
  ASSERT_EQ(nullptr, rbdr.posted.slot);
  ASSERT_EQ(nullptr, rbdr.pool);
  nicvf_rbdr_free(&rbdr);
  ExpectFaultFiredAndNothingLeft();
  ExpectReceiveWorks();
}

INSTANTIATE_TEST_SUITE_P(
    Unwind, UnwindRbdrInit,
    ::testing::Values(
        InitFault{"Ring", Fault::kDmaAllocCoherent, 1},
        InitFault{"PostedSet", Fault::kKvmalloc, 1},
        InitFault{"PagePool", Fault::kPagePoolCreate, 1},
        // The pool is up and partly filled when a buffer cannot be had
        InitFault{"FirstFill", Fault::kPagePoolAlloc, 1000}),
    [](const ::testing::TestParamInfo<InitFault>& i) {
      return std::string(i.param.name);
    });

class UnwindSqInit : public UnwindInit {};

TEST_P(UnwindSqInit, FailsWithEnomemAndFreesWhatItHadSetUp) {
  nicvf_sq sq{};
  Inject();
  EXPECT_EQ(-ENOMEM, nicvf_sq_init(&sq, mock::Dev(), vnic_->bar0(), 0,
                                   NICVF_SQ_LEN_MIN, netdev_));
  ASSERT_EQ(nullptr, sq.ent);
  ASSERT_EQ(nullptr, sq.desc);
  nicvf_sq_free(&sq);
  ExpectFaultFiredAndNothingLeft();
  // And up, enabled, stopped and freed with the faults gone
  ASSERT_EQ(0, nicvf_sq_init(&sq, mock::Dev(), vnic_->bar0(), 0,
                             NICVF_SQ_LEN_MIN, netdev_));
  nicvf_sq_enable(&sq);
  EXPECT_TRUE(vnic_->SqEnabled(0));
  EXPECT_EQ(0, nicvf_sq_stop(&sq));
  nicvf_sq_free(&sq);
  ExpectReceiveWorks();
}

INSTANTIATE_TEST_SUITE_P(
    Unwind, UnwindSqInit,
    ::testing::Values(InitFault{"Entries", Fault::kKvmalloc, 1},
                      InitFault{"Ring", Fault::kDmaAllocCoherent, 1}),
    [](const ::testing::TestParamInfo<InitFault>& i) {
      return std::string(i.param.name);
    });

class UnwindCqInit : public UnwindInit {};

TEST_P(UnwindCqInit, FailsWithEnomem) {
  nicvf_cq cq{};
  Inject();
  EXPECT_EQ(-ENOMEM, nicvf_cq_init(&cq, mock::Dev(), vnic_->bar0(), 0,
                                   NICVF_CQ_LEN_MIN, nullptr, netdev_, true));
  ASSERT_EQ(nullptr, cq.desc);
  nicvf_cq_free(&cq);
  ExpectFaultFiredAndNothingLeft();
  ExpectReceiveWorks();
}

INSTANTIATE_TEST_SUITE_P(
    Unwind, UnwindCqInit,
    ::testing::Values(InitFault{"Ring", Fault::kDmaAllocCoherent, 1}),
    [](const ::testing::TestParamInfo<InitFault>& i) {
      return std::string(i.param.name);
    });

// --- Open: every allocation of the queue set fails in turn ------------------

class UnwindFixture : public E2eFixture {
 protected:
  void TearDown() override {
    mock::StopAllFaults();
    E2eFixture::TearDown();
  }

  size_t Received(uint8_t type) const {
    size_t n = 0;
    for (const Pf::Msg& m : pf_->received) n += m[0] == type;
    return n;
  }
};

// The allocations a two-queue open makes, in the order it makes them
struct OpenStep {
  const char* name;
  Fault kind;
  uint64_t nth;
  // Where the open had got to: receive and send queues configured at the PF
  size_t rq_cfgs, sq_cfgs;
};

void PrintTo(const OpenStep& c, std::ostream* os) { *os << c.name; }

std::vector<OpenStep> OpenSteps() {
  return {
      {"RbdrRing", Fault::kDmaAllocCoherent, 1, 0, 0},
      {"PostedSet", Fault::kKvmalloc, 1, 0, 0},
      {"PagePool", Fault::kPagePoolCreate, 1, 0, 0},
      {"RbdrFill", Fault::kPagePoolAlloc, 4000, 0, 0},
      {"Cq0Ring", Fault::kDmaAllocCoherent, 2, 0, 0},
      {"Cq1Ring", Fault::kDmaAllocCoherent, 3, 0, 0},
      {"Sq0Entries", Fault::kKvmalloc, 2, 2, 0},
      {"Sq0Ring", Fault::kDmaAllocCoherent, 4, 2, 0},
      {"Sq1Entries", Fault::kKvmalloc, 3, 2, 1},
      {"Sq1Ring", Fault::kDmaAllocCoherent, 5, 2, 1},
  };
}

class UnwindOpenTest : public UnwindFixture {};

// The cases below name every allocation an open makes: if this fails, the
// driver allocates something new at open, and OpenSteps() needs a case.
TEST_F(UnwindOpenTest, OpenMakesTheAllocationsTheCasesName) {
  SetUpVf(mock::IommuMode::kTranslating);
  for (Fault kind : {Fault::kKmalloc, Fault::kKvmalloc,
                     Fault::kDmaAllocCoherent, Fault::kPagePoolCreate})
    CountCalls(kind);
  Open();
  EXPECT_EQ(0u, mock::FaultCalls(Fault::kKmalloc));
  EXPECT_EQ(3u, mock::FaultCalls(Fault::kKvmalloc));
  EXPECT_EQ(5u, mock::FaultCalls(Fault::kDmaAllocCoherent));
  EXPECT_EQ(1u, mock::FaultCalls(Fault::kPagePoolCreate));
  mock::DevClose(nd_);
}

class UnwindOpenStepTest : public UnwindFixture,
                           public ::testing::WithParamInterface<OpenStep> {};

TEST_P(UnwindOpenStepTest, OpenFailsWithEnomemUnwindsAndWorksLater) {
  const OpenStep& c = GetParam();
  SetUpVf(mock::IommuMode::kTranslating);
  const std::vector<std::string> before = mock::Outstanding();
  pf_->received.clear();
  FailNth(c.kind, c.nth);

  EXPECT_EQ(-ENOMEM, mock::DevOpen(nd_));
  ASSERT_EQ(1u, mock::FaultsInjected(c.kind)) << "the open never got there";
  EXPECT_FALSE(netif_running(nd_));
  EXPECT_TRUE(mock::Logged("cannot bring the interface up: -12"));
  // It failed where the case says, and told the PF the queue set is off
  EXPECT_EQ(c.rq_cfgs, Received(Pf::kRqCfg));
  EXPECT_EQ(c.sq_cfgs, Received(Pf::kSqCfg));
  ASSERT_FALSE(pf_->received.empty());
  EXPECT_EQ(Pf::kQsCfg, pf_->received.back()[0]);
  EXPECT_EQ(0u, Pf::Le(pf_->received.back(), 8, 8));
  // Nothing of the queue set is left, in the driver or the device
  EXPECT_EQ(before, mock::Outstanding());
  EXPECT_EQ(0, nic_->queues);
  EXPECT_EQ(nullptr, nic_->rbdr.pool);
  for (int q = 0; q < 2; q++) {
    EXPECT_EQ(nullptr, nic_->cq[q].desc) << q;
    EXPECT_EQ(nullptr, nic_->sq[q].desc) << q;
    EXPECT_EQ(nullptr, nic_->sq[q].ent) << q;
    EXPECT_FALSE(vnic_->SqEnabled(q)) << q;
    EXPECT_FALSE(vnic_->CqEnabled(q)) << q;
  }

  mock::StopAllFaults();
  Open();
  ExpectOneFrameThrough(0);
  ExpectOneFrameThrough(1);
  mock::DevClose(nd_);
}

INSTANTIATE_TEST_SUITE_P(Unwind, UnwindOpenStepTest,
                         ::testing::ValuesIn(OpenSteps()),
                         [](const ::testing::TestParamInfo<OpenStep>& i) {
                           return std::string(i.param.name);
                         });

// A queue-set error resets the queue set with close and open under the
// RTNL; when that open runs out of memory the interface is still up as far
// as the stack knows, with nothing under it. The stack's packets are not
// taken, nothing is left allocated, and a close and an open bring it back.
TEST_F(UnwindOpenTest, ResetWhoseOpenFailsLeavesNothingAndRecovers) {
  SetUpVf(mock::IommuMode::kTranslating);
  const std::vector<std::string> before = mock::Outstanding();
  Open();
  ExpectOneFrameThrough(0);
  FailNth(Fault::kPagePoolCreate, 1);
  vnic_->RaiseQsErr();
  mock::RunWork();
  ASSERT_EQ(1u, mock::FaultsInjected(Fault::kPagePoolCreate));
  EXPECT_TRUE(mock::Logged("resetting the queue set"));
  EXPECT_TRUE(mock::Logged("cannot bring the interface up: -12"));
  EXPECT_TRUE(mock::Logged("reset failed"));
  EXPECT_TRUE(netif_running(nd_));
  EXPECT_FALSE(netif_carrier_ok(nd_));
  EXPECT_EQ(before, mock::Outstanding());
  EXPECT_EQ(1u, Stat("qs_errors"));
  // The stack still sends: every queue is stopped, so it keeps the packet
  sk_buff* skb = mock::TxSkb(MakeFrame({}), 64, 1024, 0);
  EXPECT_EQ(NETDEV_TX_BUSY, mock::Xmit(nd_, skb));
  kfree_skb(skb);
  // Nor does time bring anything back to life
  mock::RunWork(msecs_to_jiffies(10 * NICVF_LINK_POLL_MS));
  EXPECT_EQ(before, mock::Outstanding());

  mock::StopAllFaults();
  mock::DevClose(nd_);
  EXPECT_EQ(before, mock::Outstanding());
  Open();
  ExpectOneFrameThrough(0);
  ExpectOneFrameThrough(1);
  mock::DevClose(nd_);
}

// --- The posted set full ------------------------------------------------------

class UnwindRingTest : public UnwindFixture {};

// A device that takes buffers from the RBDR and never reports them (one
// that drops packets after fetching their buffers) leaves their addresses
// live in the posted set: each refill posts new buffers beside them, until
// a run of live slots is longer than an insert may probe. That buffer
// cannot be posted: it goes back to the pool, post_fail counts it and the
// refill retries later. Close must still free every buffer the set holds.
TEST_F(UnwindRingTest, PostedSetFullCountsPostFailAndLeaksNothing) {
  SetUpVf(mock::IommuMode::kTranslating);
  const std::vector<std::string> before = mock::Outstanding();
  Open();
  const uint32_t full = nic_->rbdr.ring_len - 1;
  uint64_t lost = 0, addr;
  for (int round = 0; round < 64 && !Stat("rbdr_post_fail"); round++) {
    for (int i = 0; i < 1024 && vnic_->TakeBuffer(0, &addr); i++) lost++;
    Settle();
    mock::RunWork(msecs_to_jiffies(NICVF_REFILL_RETRY_MS));
    Settle();
  }
  printf("[unwind] posted set full after the device kept %llu buffers "
         "(%u slots); rbdr_post_fail %llu, refill retries %llu\n",
         (unsigned long long)lost, nic_->rbdr.posted.mask + 1,
         (unsigned long long)Stat("rbdr_post_fail"),
         (unsigned long long)Stat("rbdr_refill_retries"));
  const uint64_t post_fail = Stat("rbdr_post_fail");
  ASSERT_GT(post_fail, 0u);
  EXPECT_EQ(0u, Stat("rbdr_alloc_fail"));  // memory was never short
  EXPECT_GT(Stat("rbdr_refill_retries"), 0u);
  EXPECT_LT(vnic_->RbdrCount(0), full);  // the refill came up short
  // Posted: what the ring holds and what the device kept, nothing else;
  // and the pool's pages are referenced for exactly those buffers, so the
  // one that could not be posted went back
  const unsigned posted = nicvf_rbdr_posted_count(&nic_->rbdr);
  EXPECT_EQ(vnic_->RbdrCount(0) + lost, posted);
  EXPECT_EQ(long(posted), mock::PoolRefs(nic_->rbdr.pool));

  // Packets still arrive on what the ring holds
  ExpectOneFrameThrough(0);
  // Close gives back every buffer, the kept ones too; the count survives
  mock::DevClose(nd_);
  EXPECT_EQ(before, mock::Outstanding());
  EXPECT_EQ(post_fail, Stat("rbdr_post_fail"));

  // A new open has a new set: the ring fills and traffic flows
  Open();
  Settle();
  EXPECT_EQ(full, vnic_->RbdrCount(0));
  EXPECT_EQ(full, nicvf_rbdr_posted_count(&nic_->rbdr));
  ExpectOneFrameThrough(1);
  EXPECT_EQ(post_fail, Stat("rbdr_post_fail"));
  mock::DevClose(nd_);
}

// --- Transmit: too few free entries -------------------------------------------

class UnwindXmitTest : public UnwindFixture {
 protected:
  // Queue 0 full: packets of three entries until the driver stops it; the
  // one the stack could not hand over is returned, still the stack's.
  sk_buff* FillQueue0() {
    for (uint32_t i = 0; i < 2000; i++) {
      sk_buff* skb = mock::TxSkb(MakeFrame({.seed = i}), 64, 1024, 0);
      if (mock::Xmit(nd_, skb) == NETDEV_TX_BUSY) return skb;
    }
    ADD_FAILURE() << "queue 0 never stopped";
    return nullptr;
  }

  // The device sends everything doorbelled and the completions are taken
  void Drain() {
    vnic_->ProcessSq(0);
    Settle();
  }

  sk_buff* FindDelivered(const Bytes& frame) {
    for (sk_buff* skb : mock::Delivered())
      if (FrameBytes(skb) == frame) return skb;
    return nullptr;
  }

  uint64_t TxDrops() {
    return Stat("tx_drop_map") + Stat("tx_drop_csum");
  }
};

// A stack that calls a stopped queue anyway (the stopped state set aside)
// with a packet larger than what is free: NETDEV_TX_BUSY, and the packet is
// left exactly as it came, for the stack to hand over again later.
TEST_F(UnwindXmitTest, BusyLeavesThePacketToTheStack) {
  SetUpVf(mock::IommuMode::kTranslating);
  Open();
  vnic_->tx_auto = false;
  sk_buff* refused = FillQueue0();
  ASSERT_NE(nullptr, refused);
  ASSERT_TRUE(netif_tx_queue_stopped(&nd_->tx[0]));
  const int free_entries = atomic_read(&nic_->sq[0].free);
  ASSERT_LT(free_entries, NICVF_SQ_MAX_DESC);

  // The head and every fragment: the largest packet there is
  Bytes big_frame = MakeFrame({.len = 64 + MAX_SKB_FRAGS * 64, .seed = 77});
  sk_buff* big = mock::TxSkb(big_frame, 64, 64, 0);
  ASSERT_EQ(MAX_SKB_FRAGS, skb_shinfo(big)->nr_frags);
  const uint64_t maps = mock::Count().dma_map, unmaps = mock::Count().dma_unmap;
  const size_t skbs = mock::SkbsOutstanding();
  const uint32_t doorbelled = vnic_->SqPending(0);
  const unsigned bql = nd_->tx[0].bql_inflight;
  const uint64_t drops = TxDrops();

  EXPECT_EQ(NETDEV_TX_BUSY, nd_->netdev_ops->ndo_start_xmit(big, nd_));
  // Not freed, not changed, not mapped, not queued, not counted
  ASSERT_EQ(skbs, mock::SkbsOutstanding()) << "the busy packet was freed";
  EXPECT_EQ(big_frame, mock::SkbBytes(big));
  EXPECT_EQ(maps, mock::Count().dma_map);
  EXPECT_EQ(unmaps, mock::Count().dma_unmap);
  EXPECT_EQ(free_entries, atomic_read(&nic_->sq[0].free));
  EXPECT_EQ(doorbelled, vnic_->SqPending(0));
  EXPECT_EQ(bql, nd_->tx[0].bql_inflight);
  EXPECT_EQ(drops, TxDrops());
  EXPECT_TRUE(netif_tx_queue_stopped(&nd_->tx[0]));

  // Completions wake the queue; the stack hands both packets over again
  Drain();
  ASSERT_FALSE(netif_tx_queue_stopped(&nd_->tx[0]));
  mock::FreeDelivered();
  Bytes refused_frame = mock::SkbBytes(refused);
  ASSERT_EQ(NETDEV_TX_OK, mock::Xmit(nd_, refused));
  ASSERT_EQ(NETDEV_TX_OK, mock::Xmit(nd_, big));
  Drain();
  ASSERT_EQ(2u, mock::Delivered().size());
  EXPECT_NE(nullptr, FindDelivered(big_frame));
  EXPECT_NE(nullptr, FindDelivered(refused_frame));
  EXPECT_EQ(drops, TxDrops());
  FreeDelivered();
  vnic_->tx_auto = true;
  ExpectOneFrameThrough(0);
  mock::DevClose(nd_);
}

// Packets queued under xmit_more wait for a doorbell the next packet was
// to ring; if that one is refused busy, the driver rings it then. The
// driver does not get there by itself (every transmit that leaves fewer
// than NICVF_SQ_MAX_DESC entries free stops the queue and rings at once),
// so the test takes the free count down by hand, as if completions lagged.
TEST_F(UnwindXmitTest, BusyRingsWhatIsPending) {
  SetUpVf(mock::IommuMode::kTranslating);
  Open();
  vnic_->tx_auto = false;
  std::vector<Bytes> frames;
  for (uint32_t i = 0; i < 4; i++)
    frames.push_back(MakeFrame({.len = 128, .seed = 100 + i}));
  for (int i = 0; i < 3; i++)
    ASSERT_EQ(NETDEV_TX_OK,
              mock::Xmit(nd_, mock::TxSkb(frames[i], 64, 1024, 0), true));
  const uint32_t entries = 3 * 3;  // header, head, one fragment each
  ASSERT_EQ(entries, nic_->sq[0].pending);
  ASSERT_EQ(0u, vnic_->SqPending(0));  // no doorbell yet

  const int saved = atomic_read(&nic_->sq[0].free);
  atomic_set(&nic_->sq[0].free, 2);
  sk_buff* last = mock::TxSkb(frames[3], 64, 1024, 0);
  const size_t skbs = mock::SkbsOutstanding();
  EXPECT_EQ(NETDEV_TX_BUSY, mock::Xmit(nd_, last, true));
  EXPECT_EQ(entries, vnic_->SqPending(0));  // the three were rung
  EXPECT_EQ(0u, nic_->sq[0].pending);
  EXPECT_TRUE(netif_tx_queue_stopped(&nd_->tx[0]));
  ASSERT_EQ(skbs, mock::SkbsOutstanding()) << "the busy packet was freed";
  EXPECT_EQ(frames[3], mock::SkbBytes(last));
  atomic_set(&nic_->sq[0].free, saved);

  // The three go out and complete, which wakes the queue for the fourth
  Drain();
  ASSERT_FALSE(netif_tx_queue_stopped(&nd_->tx[0]));
  ASSERT_EQ(NETDEV_TX_OK, mock::Xmit(nd_, last));
  Drain();
  ASSERT_EQ(4u, mock::Delivered().size());
  for (const Bytes& f : frames) EXPECT_NE(nullptr, FindDelivered(f));
  EXPECT_EQ(uint64_t(NICVF_SQ_LEN_MIN - 1), uint64_t(atomic_read(&nic_->sq[0].free)));
  FreeDelivered();
  vnic_->tx_auto = true;
  ExpectOneFrameThrough(0);
  mock::DevClose(nd_);
}

// The same doorbell on the other early return, reached without help: the
// last packet of a batch cannot be mapped, is dropped, and the ones queued
// before it under xmit_more still go out.
TEST_F(UnwindXmitTest, DropRingsWhatIsPending) {
  SetUpVf(mock::IommuMode::kTranslating);
  Open();
  vnic_->tx_auto = false;
  std::vector<Bytes> frames;
  for (uint32_t i = 0; i < 3; i++)
    frames.push_back(MakeFrame({.len = 128, .seed = 200 + i}));
  for (int i = 0; i < 2; i++)
    ASSERT_EQ(NETDEV_TX_OK,
              mock::Xmit(nd_, mock::TxSkb(frames[i], 64, 1024, 0), true));
  ASSERT_EQ(0u, vnic_->SqPending(0));
  sk_buff* last = mock::TxSkb(frames[2], 64, 1024, 0);
  const size_t skbs = mock::SkbsOutstanding();
  mock::FailDmaMaps(1, 1);  // its fragment: the head is mapped, then undone
  EXPECT_EQ(NETDEV_TX_OK, mock::Xmit(nd_, last));
  mock::FailDmaMaps(0);
  EXPECT_EQ(1u, mock::FaultsInjected(Fault::kDmaMap));
  EXPECT_EQ(1u, Stat("tx_drop_map"));
  EXPECT_EQ(skbs - 1, mock::SkbsOutstanding());  // the driver freed it
  EXPECT_EQ(2u * 3, vnic_->SqPending(0));         // the two were rung
  EXPECT_EQ(0u, nic_->sq[0].pending);
  Drain();
  ASSERT_EQ(2u, mock::Delivered().size());
  EXPECT_NE(nullptr, FindDelivered(frames[0]));
  EXPECT_NE(nullptr, FindDelivered(frames[1]));
  FreeDelivered();
  vnic_->tx_auto = true;
  ExpectOneFrameThrough(0);
  mock::DevClose(nd_);
}

}  // namespace
}  // namespace nicvf_test
