// SPDX-License-Identifier: GPL-2.0-only
// Traffic on a bad day: one kind of call the driver depends on fails, every
// Nth time or by a seeded draw, while packets flow both ways, the stack is
// slow to free what it received and the interface is cycled. Nothing may
// crash or leak (the fixture's teardown), every packet the device completed
// is delivered or counted as a drop, every packet handed to the driver is
// sent or counted, and once the faults stop everything works again.
#include <cstdio>
#include <deque>

#include "tests/e2e_fixture.h"

namespace nicvf_test {
namespace {

using mock::Fault;
using mock::FaultPlan;

struct FaultCase {
  const char* name;
  Fault kind;
  FaultPlan plan;
};

void PrintTo(const FaultCase& c, std::ostream* os) { *os << c.name; }

class FaultFixture : public E2eFixture {
 protected:
  void SetUp() override {
    SetUpVf(mock::IommuMode::kTranslating);
    Open();
    // Jumbo frames: packets of several buffers, partly claimed on failure
    ASSERT_EQ(0, mock::ChangeMtu(nd_, 4000));
  }

  void TearDown() override {
    mock::StopAllFaults();
    held_.clear();  // the fixture frees every delivered sk_buff
    E2eFixture::TearDown();
  }

  uint64_t RxDrops() {
    uint64_t n = 0;
    for (int d = 1; d < NICVF_RX_DROP_NR; d++) n += Stat(nicvf_rx_drop_names[d]);
    return n;
  }

  uint64_t TxDrops() {
    uint64_t n = 0;
    for (int d = 0; d < NICVF_TX_DROP_NR; d++) n += Stat(nicvf_tx_drop_names[d]);
    return n;
  }

  Bytes Frame(uint32_t n) {
    FrameSpec s;
    s.seed = n;
    s.len = 60 + (n * 2654435761u >> 7) % 3900;
    s.proto = n % 2 ? 6 : 17;
    s.v6 = n % 3 == 0;
    return MakeFrame(s);
  }

  // Frames both ways on both queues, then the softirq, and the works with
  // time enough for a refill retry. The stack keeps what it received for a
  // few rounds, so the pool has to find new pages.
  void Round(int frames) {
    for (int i = 0; i < frames; i++) {
      Bytes f = Frame(next_++);
      uint16_t q = uint16_t(i % 2);
      sk_buff* skb = mock::TxSkb(f, 128, 1024, q);
      ASSERT_NE(nullptr, skb);
      if (mock::Xmit(nd_, skb) == NETDEV_TX_OK) {
        xmit_ok_++;
      } else {
        kfree_skb(skb);  // the queue was stopped: the stack keeps it
      }
      vnic_->Receive(q, f);
    }
    Settle();
    mock::RunWork(msecs_to_jiffies(NICVF_REFILL_RETRY_MS));
    Settle();
    delivered_ += mock::Delivered().size();
    held_.emplace_back();
    held_.back().swap(mock::Delivered());
    while (held_.size() > 3) {
      for (sk_buff* skb : held_.front()) kfree_skb(skb);
      held_.pop_front();
    }
  }

  void FreeHeld() {
    for (auto& round : held_)
      for (sk_buff* skb : round) kfree_skb(skb);
    held_.clear();
  }

  // Every completed packet delivered or dropped and counted; every packet
  // the driver took sent or counted.
  void ExpectConservation() {
    EXPECT_EQ(vnic_->rx_cqes, delivered_ + RxDrops());
    EXPECT_EQ(xmit_ok_, Stat("tx_packets") + TxDrops() + Stat("tx_errors"));
  }

  // Faults gone: the ring fills again and packets of every shape go
  // through, byte for byte.
  void ExpectRecovery() {
    mock::StopAllFaults();
    FreeHeld();
    if (!netif_running(nd_)) {
      ASSERT_EQ(0, mock::DevOpen(nd_));
    }
    mock::RunWork(msecs_to_jiffies(NICVF_REFILL_RETRY_MS));
    Settle();
    EXPECT_EQ(nic_->rbdr.ring_len - 1, vnic_->RbdrCount(0));
    mock::FreeDelivered();
    uint64_t drops = RxDrops() + TxDrops();
    std::vector<Bytes> want;
    for (int i = 0; i < 16; i++) {
      want.push_back(Frame(next_++));
      Send(want.back(), uint16_t(i % 2), 128, 1024);
      ASSERT_TRUE(vnic_->Receive(i % 2, want.back()).posted);
      want.push_back(want.back());
    }
    Settle();
    std::vector<Bytes> got = Received();
    std::sort(got.begin(), got.end());
    std::sort(want.begin(), want.end());
    EXPECT_EQ(want, got);
    EXPECT_EQ(drops, RxDrops() + TxDrops());
    mock::FreeDelivered();
    mock::DevClose(nd_);
  }

  // What the faults did, for the record (make check's log)
  void Report(Fault kind, int opens_failed) {
    printf("[fault] %-14s injected %6llu of %7llu calls; rx %llu delivered, "
           "%llu dropped; tx %llu sent, %llu dropped; rbdr_alloc_fail %llu, "
           "refill retries %llu, unresolved %llu, mbx timeouts %llu; "
           "opens failed %d\n",
           mock::ToString(kind),
           (unsigned long long)mock::FaultsInjected(kind),
           (unsigned long long)mock::FaultCalls(kind),
           (unsigned long long)delivered_, (unsigned long long)RxDrops(),
           (unsigned long long)Stat("tx_packets"),
           (unsigned long long)TxDrops(),
           (unsigned long long)Stat("rbdr_alloc_fail"),
           (unsigned long long)Stat("rbdr_refill_retries"),
           (unsigned long long)Stat("rx_unresolved"),
           (unsigned long long)Stat("mbx_timeouts"), opens_failed);
  }

  std::deque<std::vector<sk_buff*>> held_;
  uint32_t next_ = 1;
  uint64_t xmit_ok_ = 0, delivered_ = 0;
};

class FaultTest : public FaultFixture,
                  public ::testing::WithParamInterface<FaultCase> {};

TEST_P(FaultTest, TrafficSurvivesCountsAndRecovers) {
  const FaultCase& c = GetParam();
  mock::InjectFaults(c.kind, c.plan);
  // Enough rounds for the device to take the RBDR below its threshold
  // more than once, so refills run under the faults too
  for (int r = 0; r < 40; r++) Round(64);
  uint64_t injected = mock::FaultsInjected(c.kind);
  EXPECT_GT(injected, 0u) << "the plan never fired";
  ExpectConservation();
  switch (c.kind) {
    case Fault::kPageAlloc:
    case Fault::kPagePoolAlloc:
      EXPECT_GT(Stat("rbdr_alloc_fail"), 0u);
      break;
    case Fault::kDmaMap:
      EXPECT_GT(Stat("tx_drop_map") + Stat("rbdr_alloc_fail"), 0u);
      break;
    case Fault::kIovaToPhys:
      // Every failed translation is a claimed buffer that did not resolve
      EXPECT_EQ(injected, Stat("rx_unresolved"));
      EXPECT_GT(Stat("rx_drop_addr_unmapped"), 0u);
      break;
    case Fault::kSkbAlloc:
      // build_skb is called once per packet that got that far
      EXPECT_EQ(injected, Stat("rx_drop_nomem"));
      break;
    default:
      FAIL() << "no expectation for " << mock::ToString(c.kind);
  }

  // Cycling the interface under the same faults: each open works or fails
  // with an error, and what it set up is undone
  mock::DevClose(nd_);
  int failed = 0;
  for (int i = 0; i < 3; i++) {
    int err = mock::DevOpen(nd_);
    if (err) {
      EXPECT_LT(err, 0);
      EXPECT_FALSE(netif_running(nd_));
      failed++;
      continue;
    }
    Round(16);
    mock::DevClose(nd_);
  }
  Report(c.kind, failed);
  ExpectRecovery();
}

std::vector<FaultCase> Cases() {
  return {
      {"PageAllocEvery3", Fault::kPageAlloc, {.every = 3}},
      {"PageAllocSeeded", Fault::kPageAlloc, {.percent = 40, .seed = 11}},
      {"PagePoolAllocEvery97", Fault::kPagePoolAlloc, {.every = 97}},
      {"PagePoolAllocSeeded", Fault::kPagePoolAlloc, {.percent = 2, .seed = 12}},
      {"DmaMapEvery5", Fault::kDmaMap, {.every = 5}},
      {"DmaMapSeeded", Fault::kDmaMap, {.percent = 15, .seed = 13}},
      {"IovaToPhysEvery7", Fault::kIovaToPhys, {.every = 7}},
      {"IovaToPhysSeeded", Fault::kIovaToPhys, {.percent = 10, .seed = 14}},
      {"SkbAllocEvery4", Fault::kSkbAlloc, {.every = 4}},
      {"SkbAllocSeeded", Fault::kSkbAlloc, {.percent = 20, .seed = 15}},
  };
}

INSTANTIATE_TEST_SUITE_P(Faults, FaultTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<FaultCase>& i) {
                           return std::string(i.param.name);
                         });

// --- The mailbox: a PF that does not answer some messages ---------------------

class MailboxFaultTest : public FaultFixture,
                         public ::testing::WithParamInterface<FaultCase> {};

TEST_P(MailboxFaultTest, TimeoutsAreCountedAndNothingIsLeftHalfDone) {
  const FaultCase& c = GetParam();
  ASSERT_TRUE(netif_carrier_ok(nd_));
  mock::InjectFaults(Fault::kMailbox, c.plan);
  // Link polls time out now and then; the carrier keeps its last known
  // state and traffic is not disturbed
  for (int i = 0; i < 20; i++) {
    mock::RunWork(msecs_to_jiffies(NICVF_LINK_POLL_MS));
    Round(8);
  }
  EXPECT_TRUE(netif_carrier_ok(nd_));
  EXPECT_GT(mock::FaultsInjected(Fault::kMailbox), 0u);
  ExpectConservation();

  // Close (SHUTDOWN may go unanswered) and open, which sends a dozen
  // messages: an open either works or fails with -ETIMEDOUT and unwinds
  mock::DevClose(nd_);
  int failed = 0;
  for (int i = 0; i < 10; i++) {
    int err = mock::DevOpen(nd_);
    if (err) {
      EXPECT_EQ(-ETIMEDOUT, err);
      EXPECT_FALSE(netif_running(nd_));
      failed++;
      continue;
    }
    Round(8);
    mock::DevClose(nd_);
  }
  EXPECT_GT(failed, 0);
  // Every message lost is one timeout the driver counted and logged
  EXPECT_EQ(mock::FaultsInjected(Fault::kMailbox), Stat("mbx_timeouts"));
  EXPECT_TRUE(mock::Logged("PF did not answer mailbox message"));
  Report(Fault::kMailbox, failed);
  ExpectRecovery();
}

INSTANTIATE_TEST_SUITE_P(
    Faults, MailboxFaultTest,
    ::testing::Values(FaultCase{"Every5", Fault::kMailbox, {.every = 5}},
                      FaultCase{"Seeded", Fault::kMailbox,
                                {.percent = 25, .seed = 16}}),
    [](const ::testing::TestParamInfo<FaultCase>& i) {
      return std::string(i.param.name);
    });

}  // namespace
}  // namespace nicvf_test
