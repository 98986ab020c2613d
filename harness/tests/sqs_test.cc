// SPDX-License-Identifier: GPL-2.0-only
// More than 8 queues: secondary queue sets (SQS), end to end in every
// IOMMU mode. The PF model is nicpf on a 48-CPU ThunderX (4 LMACs, so VFs
// 0-3 are primaries and the SQS slots start at VF 4), with SQS VFs of
// their own (a VNIC, a mailbox to the same PF, a PCI function the driver
// probes). The primary asks the PF for what its queues need, finds each
// VF it is lent by token, brings the queues up through that VF's BAR and
// mailbox, spreads RSS over all of them and gives each back, by the SQS
// VF's own SHUTDOWN, at close. A PF that lends fewer, an SQS VF that
// goes away while in use, and a queue set with only one kind of queue
// are handled without a lost buffer or mapping.
#include <map>
#include <memory>
#include <set>

#include "model/vnic_regs.h"
#include "tests/e2e_fixture.h"

namespace nicvf_test {
namespace {

using model::Pf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

constexpr uint8_t kPrimary = 1;   // VF 1 of 4 primaries
constexpr uint8_t kFirstSqs = 4;  // num_vf_en: the first SQS slot's VF

class SqsTest : public E2eFixture,
                public ::testing::WithParamInterface<mock::IommuMode> {
 protected:
  // One SQS VF of the PF, with the driver's probe of it to come
  struct SqsVf {
    std::unique_ptr<testlib::MockedVnic> vnic;
    std::unique_ptr<Pf> pf;
    pci_dev* pdev = nullptr;
  };

  // The primary and `sqs_vfs` SQS VFs, loaded with queues=`queues`, the
  // primary down. The PF lends `sqs_slots` SQS slots in all (nicpf:
  // TotalVFs - num_vf_en).
  void SetUpPf(int sqs_vfs, int sqs_slots = 20, unsigned queues = 2,
               uint8_t first_vf = kFirstSqs) {
    NewMachine(GetParam(), true, size_t(512) << 20);
    // The interface has a queue per CPU (rounded up to 8): 48 of them
    mock::SetOnlineCpus(48);
    pf_ = testlib::NewPf(vnic_.get());
    pf_->num_vf_en = kFirstSqs;
    pf_->online_cpus = 48;
    pf_->total_vfs = kFirstSqs + sqs_slots;
    pf_->vf_id = kPrimary;
    pf_->link_up = true;
    pf_->speed = 10000;
    pf_->duplex = 1;
    pdev_ = mock::AddPciFunction(kCn88xxPass2.device, kCn88xxPass2.subdevice,
                                 kCn88xxPass2.revision, vnic_->bar0());
    vnic_->deliver_irq = [](int vector) { mock::RaiseMsix(vector); };
    vnic_->loopback = true;
    for (int i = 0; i < sqs_vfs; i++) AddSqsVf(uint8_t(first_vf + i));
    mock::SetIdle([this] {
      vnic_->Tick();
      for (auto& s : sqs_) s.vnic->Tick();
    });
    Param(mock_param_queues) = queues;
    Param(mock_param_rbdr_len) = NICVF_RBDR_LEN_MIN;
    Param(mock_param_cq_len) = NICVF_CQ_LEN_MIN;
    Param(mock_param_sq_len) = NICVF_SQ_LEN_MIN;
    Load();
    nd_ = mock::Netdev();
    ASSERT_NE(nullptr, nd_);
    nic_ = Nic();
  }

  void AddSqsVf(uint8_t vf) {
    SqsVf s;
    s.vnic = std::make_unique<testlib::MockedVnic>(true);
    s.pf = testlib::NewPf(s.vnic.get());
    s.pf->JoinPf(pf_.get());
    s.pf->vf_id = vf;
    s.pdev = mock::AddPciFunction(kCn88xxPass2.device, kCn88xxPass2.subdevice,
                                  kCn88xxPass2.revision, s.vnic->bar0());
    pci_dev* pd = s.pdev;
    s.vnic->deliver_irq = [pd](int vector) { mock::RaiseMsix(pd, vector); };
    sqs_.push_back(std::move(s));
  }

  void TearDown() override {
    FreeDelivered();
    Unload();
    FreeDelivered();
    sqs_.clear();
    pf_.reset();
    vnic_.reset();
  }

  struct nicvf* SqsNic(size_t i) {
    auto* nd = static_cast<net_device*>(pci_get_drvdata(sqs_[i].pdev));
    return nd ? static_cast<struct nicvf*>(netdev_priv(nd)) : nullptr;
  }

  // A frame the primary's LMAC receives, to the queue set and receive
  // queue the PF's RSS table names: ours, or an SQS VF's
  void WireIn(const Bytes& f) {
    auto steer = [this](const model::Cqe& p) { return pf_->SelectQueue(p); };
    model::RxResult r = vnic_->ReceiveSteered(f, kPrimary, steer);
    if (r.elsewhere < 0) return;
    for (auto& s : sqs_)
      if (s.pf->vf_id == r.elsewhere >> 3) s.vnic->Receive(r.elsewhere & 7, f);
  }

  // n UDP flows from the primary's LMAC (Flows())
  std::map<int, int> WireFlows(int n) {
    return Flows(n, [this](const Bytes& f) { WireIn(f); });
  }

  // The queue sets (qset << 3 | rq) the PF's RSS table sends flows to
  std::set<int> PfTargets() const {
    std::set<int> t;
    for (unsigned i = 0; i < 1u << pf_->steer.hash_bits; i++)
      t.insert(pf_->steer.rssi[i]);
    return t;
  }

  int SlotsLent() const {
    int n = 0;
    for (bool u : pf_->shared().sqs_used) n += u;
    return n;
  }

  std::vector<SqsVf> sqs_;
};

// 20 queues: two SQS VFs lent, 8 + 8 + 4 queues, RSS over all 20, sends
// through the SQS VF's own send queues, counters per interface queue, and
// everything given back at close, so a second open gets the same again
TEST_P(SqsTest, TwentyQueuesBorrowTwoSecondaryQueueSets) {
  SetUpPf(3);
  for (size_t i = 0; i < sqs_.size(); i++) {
    ASSERT_TRUE(mock::PciBound(sqs_[i].pdev));
    // An SQS VF is no interface, but the PF has its token
    // and it ended any loan an earlier driver left
    EXPECT_THAT(sqs_[i].pf->Types(),
                ElementsAre(Pf::kReady, Pf::kNicvfPtr, Pf::kShutdown));
    EXPECT_EQ(SqsNic(i)->token, pf_->shared().nicvf[kFirstSqs + i]);
  }
  // Each VF has its net_device, but only the primary's is registered
  EXPECT_EQ(4u, mock::NetdevsAlive());
  EXPECT_EQ(nd_, mock::Netdev());
  ethtool_channels ch = mock::EthtoolGetChannels(nd_);
  EXPECT_EQ(32u, ch.max_rx);  // ours and three SQS VFs'
  EXPECT_EQ(32u, ch.max_tx);
  ASSERT_EQ(0, mock::EthtoolSetChannels(nd_, 20, 20));
  pf_->received.clear();
  Open();
  EXPECT_EQ(20u, nd_->real_num_rx_queues);
  EXPECT_EQ(20u, nd_->real_num_tx_queues);
  EXPECT_EQ(2, nic_->sqs_count);
  // The primary asked for two and was lent VFs 4 and 5, lowest first
  EXPECT_THAT(pf_->Types(), Contains(Pf::kAllocSqs));
  EXPECT_EQ(kFirstSqs, pf_->shared().vf_sqs[kPrimary][0]);
  EXPECT_EQ(kFirstSqs + 1, pf_->shared().vf_sqs[kPrimary][1]);
  EXPECT_EQ(2, SlotsLent());
  // Each SQS VF checked its loan from its side, then configured its own
  // queue set through its own mailbox; the third was not used
  for (int i = 0; i < 2; i++) {
    auto t = sqs_[size_t(i)].pf->Types();
    EXPECT_THAT(t, Contains(Pf::kPnicvfPtr)) << i;
    EXPECT_THAT(t, Contains(Pf::kQsCfg)) << i;
    EXPECT_THAT(t, Contains(Pf::kCfgDone)) << i;
    // nicpf would apply these to another LMAC: only the primary sends them
    EXPECT_THAT(t, Not(Contains(Pf::kCpiCfg))) << i;
    EXPECT_THAT(t, Not(Contains(Pf::kRssCfg))) << i;
    EXPECT_THAT(t, Not(Contains(Pf::kSetMaxFrs))) << i;
    EXPECT_EQ(8 * (i + 1), SqsNic(size_t(i))->qbase);
  }
  EXPECT_THAT(sqs_[2].pf->Types(),
              ElementsAre(Pf::kReady, Pf::kNicvfPtr, Pf::kShutdown));
  EXPECT_EQ(8, SqsNic(0)->rxqs);
  EXPECT_EQ(4, SqsNic(1)->rxqs);
  EXPECT_EQ(4, SqsNic(1)->txqs);
  EXPECT_TRUE(sqs_[1].vnic->CqEnabled(3));
  EXPECT_FALSE(sqs_[1].vnic->CqEnabled(4));
  // The PF's table names all 20 queues, in three queue sets
  std::set<int> want;
  for (int q = 0; q < 20; q++)
    want.insert((q < 8 ? kPrimary : q < 16 ? kFirstSqs : kFirstSqs + 1) << 3 |
                (q & 7));
  EXPECT_EQ(want, PfTargets());

  // Flows from the wire reach queues of every queue set, each counted
  // under the interface's queue number
  std::map<int, int> per_queue = WireFlows(400);
  for (auto& [q, n] : per_queue) {
    EXPECT_LT(q, 20);
    EXPECT_EQ(uint64_t(n), Stat("rxq" + std::to_string(q) + "_packets")) << q;
  }
  EXPECT_EQ(400, Frames(per_queue));
  EXPECT_TRUE(per_queue.count(3) && per_queue.count(12) && per_queue.count(19));
  EXPECT_EQ(400u, Stat("rx_packets"));

  // A send on queue 13 goes out of SQS 0's send queue 5, and its
  // completion comes back there
  Send(MakeFrame({}), 13);
  Settle();
  ASSERT_EQ(1u, sqs_[0].vnic->wire.size());
  EXPECT_EQ(1u, Stat("txq13_packets"));
  EXPECT_EQ(1u, Stat("tx_packets"));

  // Close: every SQS VF gave its slot back by its own SHUTDOWN
  mock::DevClose(nd_);
  EXPECT_EQ(0, SlotsLent());
  EXPECT_EQ(0, nic_->sqs_count);
  for (int i = 0; i < 2; i++) {
    EXPECT_THAT(sqs_[size_t(i)].pf->Types(), Contains(Pf::kShutdown)) << i;
    EXPECT_EQ(nullptr, SqsNic(size_t(i))->pnic) << i;
    EXPECT_FALSE(sqs_[size_t(i)].vnic->CqEnabled(0)) << i;
  }
  EXPECT_EQ(0u, mock::PoolsAlive());
  // The counters stay, and a second open is lent the same again (the PF
  // model would report a slot asked for while still lent)
  EXPECT_EQ(uint64_t(per_queue[12]), Stat("rxq12_packets"));
  EXPECT_EQ(400u, Stat("rx_packets"));
  Open();
  EXPECT_EQ(2, nic_->sqs_count);
  EXPECT_EQ(400, Frames(WireFlows(400)));
  EXPECT_EQ(800u, Stat("rx_packets"));
  mock::DevClose(nd_);
}

// The PF has fewer free SQS slots than the queues need (another primary,
// VF 2, has the first): the interface comes up with the queues it could
// get, says so, and tells the stack
TEST_P(SqsTest, ThePfLendsFewerThanAsked) {
  SetUpPf(2, 2);
  pf_->shared().sqs_used[0] = true;
  pf_->shared().pqs_vf[kFirstSqs] = 2;
  ASSERT_EQ(0, mock::EthtoolSetChannels(nd_, 24, 12));
  Open();
  EXPECT_EQ(1, nic_->sqs_count);
  EXPECT_TRUE(mock::Logged("1 of the 2 secondary queue sets asked of the PF are usable: 16 receive and 12 send queues"));
  EXPECT_EQ(16u, nd_->real_num_rx_queues);
  EXPECT_EQ(12u, nd_->real_num_tx_queues);
  // ethtool -l and -S show the queues there are; what -L asked stays for
  // the next open, and asking it again asks the PF again
  EXPECT_EQ(16u, mock::EthtoolGetChannels(nd_).rx_count);
  EXPECT_EQ(12u, mock::EthtoolGetChannels(nd_).tx_count);
  EXPECT_EQ(24, nic_->rxqs_cfg);
  int rx_names = 0, tx_names = 0;
  for (auto& [name, v] : mock::EthtoolStats(nd_)) {
    rx_names += name.rfind("rxq", 0) == 0 && name.find("_packets") != name.npos;
    tx_names += name.rfind("txq", 0) == 0 && name.find("_packets") != name.npos;
  }
  EXPECT_EQ(16, rx_names);
  EXPECT_EQ(12, tx_names);
  std::map<int, int> per_queue = WireFlows(200);
  ASSERT_FALSE(per_queue.empty());
  EXPECT_LT(per_queue.rbegin()->first, 16);  // the highest queue with frames
  EXPECT_EQ(200, Frames(per_queue));
  EXPECT_TRUE(per_queue.count(13));
  // Queue 11 is VF 5's (the one lent), send queue 3
  Send(MakeFrame({}), 11);
  Settle();
  EXPECT_TRUE(sqs_[0].vnic->wire.empty());
  EXPECT_EQ(1u, sqs_[1].vnic->wire.size());
  // The other primary gives its slot back: -L with the same counts asks
  // again, and gets both
  pf_->shared().sqs_used[0] = false;
  pf_->shared().pqs_vf[kFirstSqs] = 0;
  ASSERT_EQ(0, mock::EthtoolSetChannels(nd_, 24, 12));
  EXPECT_EQ(2, nic_->sqs_count);
  EXPECT_EQ(24u, nd_->real_num_rx_queues);
  EXPECT_EQ(12u, nd_->real_num_tx_queues);
  mock::DevClose(nd_);
  EXPECT_EQ(0, SlotsLent());
}

// The PF lends a VF this driver does not have (nobody drives VF 5): the
// queue sets before it are used, and the one nobody can give back is
// nicpf's to leak, not ours
TEST_P(SqsTest, AnSqsVfThatIsNotOursIsNotUsed) {
  // -L is held to the SQS VFs we have; queues= is not, and the PF lends
  // past them
  SetUpPf(1, 20, 24);
  // (-l's maximum: our VF's and one SQS VF's 16, but never below what
  // the stack has, 24 until the first open)
  ASSERT_EQ(24u, mock::EthtoolGetChannels(nd_).max_rx);
  Open();
  EXPECT_EQ(1, nic_->sqs_count);
  EXPECT_TRUE(mock::Logged("secondary queue set 1 from the PF is not a free VF of this driver"));
  EXPECT_EQ(16u, nd_->real_num_rx_queues);
  EXPECT_EQ(16u, nd_->real_num_tx_queues);
  std::map<int, int> per_queue = WireFlows(100);
  ASSERT_FALSE(per_queue.empty());
  EXPECT_LT(per_queue.rbegin()->first, 16);  // the highest queue with frames
  EXPECT_EQ(100, Frames(per_queue));
  mock::DevClose(nd_);
  // VF 4 gave its slot back; VF 5's stays lent until a driver of it says
  EXPECT_EQ(1, SlotsLent());
  Open();
  EXPECT_EQ(1u, pf_->sqs_leaked);
  mock::DevClose(nd_);
}

// nicpf on a host with 8 CPUs or fewer lends nothing (it answers with 0);
// a PF that refuses or never answers ALLOC_SQS is no worse: 8 queues
TEST_P(SqsTest, NoSecondaryQueueSetsMeansEightQueues) {
  SetUpPf(1);
  ASSERT_EQ(0, mock::EthtoolSetChannels(nd_, 16, 16));
  pf_->online_cpus = 8;
  Open();
  EXPECT_EQ(0, nic_->sqs_count);
  EXPECT_TRUE(mock::Logged("0 of the 1 secondary queue sets asked of the PF are usable: 8 receive and 8 send queues"));
  EXPECT_EQ(8u, nd_->real_num_rx_queues);
  ExpectOneFrameThrough(7);
  mock::DevClose(nd_);

  pf_->online_cpus = 48;
  pf_->nack.insert(Pf::kAllocSqs);
  Open();
  EXPECT_EQ(0, nic_->sqs_count);
  EXPECT_TRUE(mock::Logged("PF refused mailbox message ALLOC_SQS (0x12)"));
  ExpectOneFrameThrough(5);
  mock::DevClose(nd_);
  EXPECT_EQ(0, SlotsLent());
}

// An SQS VF unbound while its queues are in use: the interface is rebuilt
// without it, nothing of it is left running, and the PF has its slot back
TEST_P(SqsTest, AnSqsVfGoingAwayRebuildsTheInterfaceWithoutIt) {
  SetUpPf(2);
  ASSERT_EQ(0, mock::EthtoolSetChannels(nd_, 24, 24));
  Open();
  ASSERT_EQ(2, nic_->sqs_count);
  WireFlows(100);
  mock::PciUnbind(sqs_[1].pdev);
  EXPECT_TRUE(mock::Logged("secondary queue set VF 5 is going: rebuilding the queues without it"));
  EXPECT_TRUE(netif_running(nd_));
  EXPECT_EQ(1, nic_->sqs_count);
  EXPECT_EQ(16u, nd_->real_num_rx_queues);
  for (int q = 0; q < 8; q++) EXPECT_FALSE(sqs_[1].vnic->CqEnabled(q)) << q;
  EXPECT_FALSE(sqs_[1].vnic->int_enabled() & NICVF_INTR_MBOX);
  // Its slot is free again; the remaining queues carry traffic
  EXPECT_FALSE(pf_->shared().sqs_used[1]);
  mock::RunWork();
  std::map<int, int> per_queue = WireFlows(100);
  ASSERT_FALSE(per_queue.empty());
  EXPECT_LT(per_queue.rbegin()->first, 16);
  EXPECT_TRUE(per_queue.count(9));
  EXPECT_EQ(200u, Stat("rx_packets"));
  mock::DevClose(nd_);
  EXPECT_EQ(0, SlotsLent());
}

// Receive queues beyond the send queues and the other way round: a queue
// set may have only one kind. Without receive queues it has no RBDR, and
// a receive completion there (a device gone wrong) is dropped and counted
TEST_P(SqsTest, AQueueSetMayHaveOnlyOneKindOfQueue) {
  SetUpPf(1);
  ASSERT_EQ(0, mock::EthtoolSetChannels(nd_, 16, 4));
  Open();
  struct nicvf* s = SqsNic(0);
  EXPECT_EQ(8, s->rxqs);
  EXPECT_EQ(0, s->txqs);
  EXPECT_FALSE(sqs_[0].vnic->SqEnabled(0));
  EXPECT_EQ(100, Frames(WireFlows(100)));
  mock::DevClose(nd_);

  ASSERT_EQ(0, mock::EthtoolSetChannels(nd_, 4, 12));
  Open();
  EXPECT_EQ(0, s->rxqs);
  EXPECT_EQ(4, s->txqs);
  EXPECT_EQ(nullptr, s->rbdr.pool);
  EXPECT_EQ(0u, sqs_[0].vnic->RbdrCount(0));
  Send(MakeFrame({}), 10);
  Settle();
  EXPECT_EQ(1u, sqs_[0].vnic->wire.size());
  EXPECT_EQ(1u, Stat("txq10_packets"));
  // A receive completion on a CQ whose queue set posted no buffer
  model::Cqe cqe = sqs_[0].vnic->MakeCqeRx(2, {0x1000}, {60}, 0);
  ASSERT_TRUE(sqs_[0].vnic->WriteCqe(2, cqe));
  Settle();
  EXPECT_EQ(1u, Stat("rx_drop_addr_not_posted"));
  EXPECT_TRUE(mock::Delivered().empty());
  mock::DevClose(nd_);
}

// The PF's first free slot is a VF nobody drives (VF 4): it is skipped
// and stays lent (nicpf's to leak), the next is our queue set 1, and the
// RSS table names that one by its place in the PF's grant. The next open
// is lent two we drive.
TEST_P(SqsTest, AVfNobodyDrivesInTheGrantIsSkipped) {
  SetUpPf(2, 20, 2, kFirstSqs + 1);
  ASSERT_EQ(0, mock::EthtoolSetChannels(nd_, 24, 24));
  Open();
  EXPECT_EQ(1, nic_->sqs_count);
  EXPECT_EQ(1, SqsNic(0)->sqs_idx);
  EXPECT_EQ(8, SqsNic(0)->qbase);
  EXPECT_EQ(16u, nd_->real_num_rx_queues);
  std::set<int> want;
  for (int q = 0; q < 16; q++)
    want.insert((q < 8 ? kPrimary : kFirstSqs + 1) << 3 | (q & 7));
  EXPECT_EQ(want, PfTargets());
  std::map<int, int> per_queue = WireFlows(200);
  EXPECT_EQ(200, Frames(per_queue));
  EXPECT_TRUE(per_queue.count(10));
  mock::DevClose(nd_);
  EXPECT_EQ(1, SlotsLent());
  Open();
  EXPECT_EQ(2, nic_->sqs_count);
  EXPECT_EQ(24u, nd_->real_num_rx_queues);
  EXPECT_EQ(1u, pf_->sqs_leaked);
  mock::DevClose(nd_);
}

// A secondary queue set whose send queue will not stop at close: its VF
// keeps the rings (the device may still use them), sends no SHUTDOWN, so
// the PF lends it to nobody, and it is not taken again; the next open is
// lent another
TEST_P(SqsTest, AnSqsThatWillNotStopIsNotLentAgain) {
  SetUpPf(2);
  ASSERT_EQ(0, mock::EthtoolSetChannels(nd_, 16, 16));
  Open();
  ASSERT_EQ(1, nic_->sqs_count);
  sqs_[0].vnic->sq_stuck = true;
  sqs_[0].pf->received.clear();
  mock::DevClose(nd_);
  EXPECT_TRUE(mock::Logged("queue set did not stop"));
  EXPECT_TRUE(SqsNic(0)->sqs_stuck);
  EXPECT_THAT(sqs_[0].pf->Types(), Not(Contains(Pf::kShutdown)));
  EXPECT_TRUE(pf_->shared().sqs_used[0]);
  Open();
  EXPECT_EQ(1, nic_->sqs_count);
  EXPECT_EQ(SqsNic(1), nic_->snic[0]);
  ExpectOneFrameThrough(0);
  mock::DevClose(nd_);
  // Unbound, it lets the rings go once the device does
  sqs_[0].vnic->sq_stuck = false;
  mock::PciUnbind(sqs_[0].pdev);
  EXPECT_EQ(0, SlotsLent());
}

INSTANTIATE_TEST_SUITE_P(AllModes, SqsTest,
                         ::testing::ValuesIn(mock::AllIommuModes()), ModeName);

}  // namespace
}  // namespace nicvf_test
