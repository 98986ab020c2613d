// SPDX-License-Identifier: GPL-2.0-only
// The whole VF end to end, in every IOMMU mode: modprobe, the interface
// brought up through the PF mailbox, packets sent through the send queues
// (read by the device model through the IOMMU) and looped back or received
// from the wire, interrupts delivered to the handlers the driver registered
// and NAPI run as the softirq would, then close and remove. The fixture's
// teardown requires that nothing is outstanding after any of it.
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/e2e_fixture.h"

namespace nicvf_test {
namespace {

using model::Pf;
using ::testing::Contains;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

// PACKAGE_VERSION from the dkms.conf beside the driver's sources
std::string DkmsVersion() {
  std::ifstream f(NICVF_SOURCE_DIR "/dkms.conf");
  std::stringstream text;
  text << f.rdbuf();
  std::smatch m;
  const std::string s = text.str();
  if (!std::regex_search(s, m, std::regex("^PACKAGE_VERSION=\"([^\"]+)\"",
                                          std::regex::multiline)))
    return "(no PACKAGE_VERSION in dkms.conf)";
  return m[1];
}

class E2eTest : public E2eModesFixture {
 protected:
};

TEST_P(E2eTest, SendsAndReceivesPacketsOfEverySize) {
  Open();
  const size_t sizes[] = {60, 64, 128, 256, 512, 1024, 1514};
  std::map<int, std::vector<Bytes>> sent;
  uint64_t bytes = 0;
  const int n = 700;
  for (int i = 0; i < n; i++) {
    FrameSpec s;
    s.len = sizes[i % 7];
    s.seed = uint32_t(i);
    s.proto = i % 3 ? 17 : 6;
    s.v6 = i % 5 == 0;
    Bytes f = MakeFrame(s);
    uint16_t q = uint16_t(i % 2);
    // Heads of every shape: all linear, split, header-only
    size_t head = i % 4 == 0 ? f.size() : i % 4 == 1 ? 14 : 100;
    Send(f, q, head, 300 + i % 500);
    sent[q].push_back(f);
    bytes += f.size();
    if (i % 32 == 31) Settle();
  }
  Settle();

  // Not IP (no transport header): sent as it is
  Bytes arp = MakeFrame({});
  arp[12] = 0x08;
  arp[13] = 0x06;
  Send(arp, 0);
  sent[0].push_back(arp);
  bytes += arp.size();
  Settle();

  EXPECT_EQ(size_t(n) + 1, vnic_->wire.size());
  EXPECT_EQ(0u, vnic_->tx_errors);
  std::map<int, std::vector<Bytes>> got;
  for (sk_buff* skb : mock::Delivered()) {
    got[skb_get_rx_queue(skb)].push_back(FrameBytes(skb));
    bool ip = skb->protocol != htons(0x0806);
    EXPECT_EQ(ip ? CHECKSUM_UNNECESSARY : CHECKSUM_NONE, skb->ip_summed);
    EXPECT_EQ(ip, skb->l4_hash);
  }
  EXPECT_EQ(sent, got);
  // Every sent skb was freed by its CQE_SEND: only the received are live
  EXPECT_EQ(mock::Delivered().size(), mock::SkbsOutstanding());
  for (int q = 0; q < 2; q++) EXPECT_EQ(0u, nd_->tx[q].bql_inflight);

  rtnl_link_stats64 st = mock::Stats64(nd_);
  EXPECT_EQ(uint64_t(n) + 1, st.rx_packets);
  EXPECT_EQ(uint64_t(n) + 1, st.tx_packets);
  EXPECT_EQ(bytes, st.rx_bytes);
  EXPECT_EQ(bytes, st.tx_bytes);
  EXPECT_EQ(0u, st.rx_dropped + st.rx_errors + st.tx_dropped + st.tx_errors);
  EXPECT_EQ(uint64_t(n / 2) + 1, Stat("rxq0_packets"));
  EXPECT_EQ(uint64_t(n / 2), Stat("txq1_packets"));
  FreeDelivered();
  mock::DevClose(nd_);
}

TEST_P(E2eTest, JumboFramesAfterAnMtuChangeThroughThePf) {
  Open();
  pf_->received.clear();
  ASSERT_EQ(0, mock::ChangeMtu(nd_, 9000));
  ASSERT_EQ(1u, pf_->received.size());
  EXPECT_EQ(Pf::kSetMaxFrs, pf_->received[0][0]);
  EXPECT_EQ(9000u, Pf::Le(pf_->received[0], 2, 2));
  EXPECT_EQ(9000u, nd_->mtu);

  FrameSpec s;
  s.len = 9014;
  Bytes f = MakeFrame(s);
  Send(f, 1, 200, 4000);
  Settle();
  ASSERT_EQ(1u, mock::Delivered().size());
  EXPECT_EQ(f, FrameBytes(mock::Delivered()[0]));
  EXPECT_GT(skb_shinfo(mock::Delivered()[0])->nr_frags, 4);

  // Beyond what the PF takes: refused by the core; a NACK keeps the MTU
  EXPECT_EQ(-EINVAL, mock::ChangeMtu(nd_, NICVF_MAX_MTU + 1));
  pf_->nack = {Pf::kSetMaxFrs};
  EXPECT_EQ(-EIO, mock::ChangeMtu(nd_, 4000));
  EXPECT_EQ(9000u, nd_->mtu);
  pf_->nack.clear();
  EXPECT_EQ(0, mock::ChangeMtu(nd_, 1500));
  FreeDelivered();
  mock::DevClose(nd_);
}

TEST_P(E2eTest, SilentPfFailsOpenWithinTheMailboxTimeout) {
  pf_->silent = true;
  unsigned long t0 = jiffies;
  EXPECT_EQ(-ETIMEDOUT, mock::DevOpen(nd_));
  EXPECT_FALSE(netif_running(nd_));
  EXPECT_LE(jiffies - t0, msecs_to_jiffies(2 * NICVF_MBX_TIMEOUT_MS));
  EXPECT_TRUE(mock::Logged("PF did not answer mailbox message QS_CFG"));
  EXPECT_TRUE(mock::Logged("cannot bring the interface up"));
  EXPECT_EQ(0u, mock::PoolsAlive());
  // The PF comes back: the interface opens
  pf_->silent = false;
  Open();
  mock::DevClose(nd_);
}

TEST_P(E2eTest, PfNackAtAnyStepOfOpenUnwindsAndOpenLaterWorks) {
  const uint8_t steps[] = {Pf::kQsCfg,    Pf::kRqCfg,   Pf::kRqBpCfg,
                           Pf::kRqDropCfg, Pf::kSqCfg,  Pf::kCpiCfg,
                           Pf::kRssSize,  Pf::kRssCfg,  Pf::kSetMac,
                           Pf::kResetXcast, Pf::kResetStat, Pf::kPtpCfg,
                           Pf::kLoopback,
                           Pf::kSetMaxFrs, Pf::kCfgDone};
  for (uint8_t step : steps) {
    SCOPED_TRACE(nicvf_mbx_name(step));
    pf_->nack = {step};
    EXPECT_EQ(-EIO, mock::DevOpen(nd_));
    EXPECT_FALSE(netif_running(nd_));
    EXPECT_EQ(0u, mock::PoolsAlive());
    EXPECT_EQ(0, nic_->queues);
    EXPECT_EQ(0u, mock::WorkQueued());
    EXPECT_EQ(nullptr, nic_->sq[0].desc);
  }
  pf_->nack.clear();
  Open();
  ExpectOneFrameThrough(0);
  mock::DevClose(nd_);
}

TEST_P(E2eTest, OpenTellsThePfEverythingAndCloseShutsDown) {
  pf_->received.clear();
  Open();
  std::vector<uint8_t> types = pf_->Types();
  for (uint8_t t : {Pf::kQsCfg, Pf::kRqCfg, Pf::kSqCfg, Pf::kCpiCfg,
                    Pf::kRssSize, Pf::kRssCfg, Pf::kSetMac, Pf::kSetMaxFrs,
                    Pf::kCfgDone, Pf::kLinkChange})
    EXPECT_THAT(types, Contains(t)) << nicvf_mbx_name(t);
  // CFG_DONE once everything else is set up; the link poll after it
  auto done = std::find(types.begin(), types.end(), Pf::kCfgDone);
  EXPECT_EQ(Pf::kLinkChange, *(done + 1));
  // RSS: the whole table, spread over both queues
  const Pf::Msg* rss = nullptr;
  for (const Pf::Msg& m : pf_->received)
    if (m[0] == Pf::kRssCfg) rss = &m;
  ASSERT_NE(nullptr, rss);
  EXPECT_EQ(6, (*rss)[2]);  // hash bits for 64 entries
  EXPECT_EQ(0, (*rss)[5]);
  EXPECT_EQ(1, (*rss)[6]);
  // The MAC the PF gave, and the frame size for the MTU
  for (const Pf::Msg& m : pf_->received) {
    if (m[0] == Pf::kSetMac) {
      EXPECT_TRUE(std::equal(pf_->mac.begin(), pf_->mac.end(), m.begin() + 2));
    }
    if (m[0] == Pf::kSetMaxFrs) {
      EXPECT_EQ(1500u, Pf::Le(m, 2, 2));
    }
  }
  pf_->received.clear();
  mock::DevClose(nd_);
  ASSERT_FALSE(pf_->received.empty());
  EXPECT_EQ(Pf::kShutdown, pf_->received[0][0]);
  EXPECT_EQ(Pf::kQsCfg, pf_->received.back()[0]);
  EXPECT_FALSE(netif_carrier_ok(nd_));
  EXPECT_EQ(0u, vnic_->int_enabled() & ~uint64_t(NICVF_INTR_MBOX));
}

TEST_P(E2eTest, RemoveWithTrafficInFlightReleasesEverything) {
  Open();
  vnic_->tx_auto = false;
  for (int i = 0; i < 40; i++) {
    FrameSpec s;
    s.seed = uint32_t(i);
    s.len = 200 + size_t(i) * 30;
    Send(MakeFrame(s), uint16_t(i % 2), 64, 200);
    // ... and packets from the wire nobody polls
    ASSERT_TRUE(vnic_->Receive(i % 2, MakeFrame(s)).posted);
  }
  // Half the sends processed by the device, their completions not polled
  vnic_->ProcessSq(0, 10);
  EXPECT_GT(vnic_->SqPending(1), 0u);
  // TearDown removes the driver with all of this outstanding
}

TEST_P(E2eTest, HundredOpenCloseCyclesWithTraffic) {
  for (int cycle = 0; cycle < 100; cycle++) {
    Open();
    for (int i = 0; i < 4; i++) {
      FrameSpec s;
      s.seed = uint32_t(cycle * 4 + i);
      Send(MakeFrame(s), uint16_t(i % 2));
    }
    Settle();
    FreeDelivered();
    mock::DevClose(nd_);
    ASSERT_EQ(0u, mock::PoolsAlive());
  }
  // Counters survive close
  rtnl_link_stats64 st = mock::Stats64(nd_);
  EXPECT_EQ(400u, st.rx_packets);
  EXPECT_EQ(400u, st.tx_packets);
}

// A device that keeps working while the driver closes or is removed: after
// every register write the driver makes, a frame arrives on each queue and
// the device sends one more packet from each send queue, for as long as
// the queues are enabled. Nothing may be left behind when close returns.
TEST_P(E2eTest, CloseAndRemoveWhileTheDeviceKeepsReceivingAndSending) {
  Open();
  vnic_->tx_auto = false;
  for (int i = 0; i < 32; i++) {
    FrameSpec s;
    s.seed = uint32_t(i);
    s.len = 100 + size_t(i) * 40;
    Send(MakeFrame(s), uint16_t(i % 2), 64, 256);
  }
  KeepBusy();
  mock::DevClose(nd_);
  EXPECT_GT(StopBusy(), 0u);
  // Once the stack lets go of what close still delivered
  FreeDelivered();
  EXPECT_EQ(0u, mock::PoolsAlive());
  EXPECT_TRUE(mock::Dev()->mock->mappings.empty());
  EXPECT_EQ(0u, nd_->tx[0].bql_inflight + nd_->tx[1].bql_inflight);

  // It comes back and works, and is removed just as busy
  vnic_->tx_auto = true;
  Open();
  ExpectOneFrameThrough(1);
  vnic_->tx_auto = false;
  for (int i = 0; i < 8; i++) Send(MakeFrame({}), uint16_t(i % 2));
  KeepBusy();
  Unload();
  EXPECT_GT(StopBusy(), 0u);
}

TEST_P(E2eTest, ChecksumOffloadOnSendAndVerdictOnReceive) {
  Open();
  for (bool v6 : {false, true}) {
    for (uint8_t proto : {uint8_t(6), uint8_t(17)}) {
      FrameSpec s;
      s.v6 = v6;
      s.proto = proto;
      s.len = 700;
      Bytes f = MakeFrame(s);
      Bytes blank = f;  // the stack leaves the L4 checksum to the device
      size_t at = 14 + (v6 ? 40 : 20) + (proto == 6 ? 16 : 6);
      blank[at] = blank[at + 1] = 0;
      Send(blank, 0, 100, 256, /*partial=*/true);
    }
  }
  Settle();
  ASSERT_EQ(4u, vnic_->wire.size());
  for (const Bytes& w : vnic_->wire) EXPECT_TRUE(ChecksumsHold(w));
  ASSERT_EQ(4u, mock::Delivered().size());
  for (sk_buff* skb : mock::Delivered())
    EXPECT_EQ(CHECKSUM_UNNECESSARY, skb->ip_summed);
  FreeDelivered();

  // From the wire: a bad L4 checksum is dropped and counted...
  FrameSpec bad;
  bad.good_csum = false;
  ASSERT_TRUE(vnic_->Receive(0, MakeFrame(bad)).posted);
  Settle();
  EXPECT_TRUE(mock::Delivered().empty());
  EXPECT_EQ(1u, Stat("rx_drop_cqe_err"));
  EXPECT_EQ(1u, mock::Stats64(nd_).rx_errors);
  // ... unless receive checksumming is off: then it is the stack's
  ASSERT_EQ(0, mock::SetFeatures(nd_, nd_->features & ~NETIF_F_RXCSUM));
  ASSERT_TRUE(vnic_->Receive(0, MakeFrame(bad)).posted);
  Settle();
  ASSERT_EQ(1u, mock::Delivered().size());
  EXPECT_EQ(CHECKSUM_NONE, mock::Delivered()[0]->ip_summed);
  FreeDelivered();
  mock::DevClose(nd_);
}

// skb_tx_timestamp() for every packet sent, so a socket that asked for a
// software transmit timestamp gets one (and ethtool -T says so); a packet
// dropped before the device has it gets none
TEST_P(E2eTest, SoftwareTransmitTimestampsAndEthtoolSaysSo) {
  EXPECT_TRUE(mock::EthtoolTsInfo(nd_) & SOF_TIMESTAMPING_TX_SOFTWARE);
  Open();
  for (int i = 0; i < 3; i++) {
    sk_buff* skb = mock::TxSkb(MakeFrame({}), 64, 256, 0);
    ASSERT_NE(nullptr, skb);
    if (i != 1) skb_shinfo(skb)->tx_flags |= SKBTX_SW_TSTAMP;
    ASSERT_EQ(NETDEV_TX_OK, mock::Xmit(nd_, skb));
  }
  EXPECT_EQ(2u, mock::TxTimestamps());
  // A runt is dropped before it is queued: no timestamp
  sk_buff* runt = mock::TxSkb(Bytes(14, 0xee), 14, 0, 0);
  ASSERT_NE(nullptr, runt);
  skb_shinfo(runt)->tx_flags |= SKBTX_SW_TSTAMP;
  ASSERT_EQ(NETDEV_TX_OK, mock::Xmit(nd_, runt));
  EXPECT_EQ(2u, mock::TxTimestamps());
  EXPECT_EQ(1u, Stat("tx_drop_runt"));
  Settle();
  FreeDelivered();
  mock::DevClose(nd_);
}

TEST_P(E2eTest, VlanTagStrippedIntoTheSkbWhileTheFeatureIsOn) {
  Open();
  FrameSpec s;
  s.vlan = 0x2123;  // priority 1, VLAN 0x123
  Bytes tagged = MakeFrame(s);
  FrameSpec plain = s;
  plain.vlan = -1;
  ASSERT_TRUE(vnic_->Receive(1, tagged).posted);
  Settle();
  ASSERT_EQ(1u, mock::Delivered().size());
  sk_buff* skb = mock::Delivered()[0];
  EXPECT_TRUE(skb->vlan_present);
  EXPECT_EQ(0x2123, skb->vlan_tci);
  EXPECT_EQ(htons(ETH_P_8021Q), skb->vlan_proto);
  EXPECT_EQ(MakeFrame(plain), FrameBytes(skb));
  EXPECT_EQ(1, skb_get_rx_queue(skb));
  FreeDelivered();

  ASSERT_EQ(0, mock::SetFeatures(nd_, nd_->features & ~NETIF_F_HW_VLAN_CTAG_RX));
  ASSERT_TRUE(vnic_->Receive(1, tagged).posted);
  Settle();
  ASSERT_EQ(1u, mock::Delivered().size());
  EXPECT_FALSE(mock::Delivered()[0]->vlan_present);
  EXPECT_EQ(tagged, FrameBytes(mock::Delivered()[0]));
  FreeDelivered();
  mock::DevClose(nd_);
}

TEST_P(E2eTest, RssHashAndTypeFromTheCqe) {
  Open();
  FrameSpec tcp, udp, other;
  tcp.proto = 6;
  udp.sport = 4321;
  other.proto = 47;  // GRE: hashed on addresses only
  for (const FrameSpec& s : {tcp, udp, other})
    ASSERT_TRUE(vnic_->Receive(0, MakeFrame(s)).posted);
  Settle();
  ASSERT_EQ(3u, mock::Delivered().size());
  EXPECT_TRUE(mock::Delivered()[0]->l4_hash);
  EXPECT_TRUE(mock::Delivered()[1]->l4_hash);
  EXPECT_FALSE(mock::Delivered()[2]->l4_hash);
  for (sk_buff* skb : mock::Delivered()) EXPECT_NE(0u, skb->hash);
  EXPECT_NE(mock::Delivered()[0]->hash, mock::Delivered()[1]->hash);
  FreeDelivered();
  // Turned off: no hash
  ASSERT_EQ(0, mock::SetFeatures(nd_, nd_->features & ~NETIF_F_RXHASH));
  ASSERT_TRUE(vnic_->Receive(0, MakeFrame(tcp)).posted);
  Settle();
  ASSERT_EQ(1u, mock::Delivered().size());
  EXPECT_EQ(0u, mock::Delivered()[0]->hash);
  FreeDelivered();
  mock::DevClose(nd_);
}

TEST_P(E2eTest, FullSendQueueStopsAndCompletionsWakeIt) {
  Open();
  vnic_->tx_auto = false;
  int sent = 0;
  for (; sent < 2000; sent++) {
    FrameSpec s;
    s.seed = uint32_t(sent);
    sk_buff* skb = mock::TxSkb(MakeFrame(s), 64, 1024, 0);
    if (mock::Xmit(nd_, skb) == NETDEV_TX_BUSY) {
      kfree_skb(skb);
      break;
    }
  }
  // Three entries a packet (header, head, one fragment); stopped once the
  // largest packet might not fit, with one entry always left empty
  const int per = 3, room = NICVF_SQ_LEN_MIN - 1;
  EXPECT_TRUE(netif_tx_queue_stopped(&nd_->tx[0]));
  EXPECT_GT(sent * per, room - NICVF_SQ_MAX_DESC);
  EXPECT_LE(sent * per, room);
  EXPECT_GT(nd_->tx[0].bql_inflight, 0u);
  EXPECT_EQ(vnic_->SqPending(0), uint32_t(per * sent));

  EXPECT_EQ(sent, vnic_->ProcessSq(0));
  Settle();
  EXPECT_FALSE(netif_tx_queue_stopped(&nd_->tx[0]));
  EXPECT_GE(nd_->tx[0].wakes, 1u);
  EXPECT_EQ(0u, nd_->tx[0].bql_inflight);
  EXPECT_EQ(uint64_t(sent), Stat("txq0_packets"));
  FreeDelivered();
  mock::DevClose(nd_);
}

TEST_P(E2eTest, SendCompletionNamingNoPacketIsCountedAndIgnored) {
  Open();
  vnic_->tx_auto = false;
  // Nothing in flight
  ASSERT_TRUE(vnic_->WriteCqeSend(0, 7));
  Settle();
  EXPECT_EQ(1u, Stat("tx_cqe_bogus"));
  // Two in flight: a completion for the second before the first
  Send(MakeFrame({}), 0);
  Send(MakeFrame({}), 0);
  uint32_t second = 2;  // header of the second packet (2 entries each)
  ASSERT_TRUE(vnic_->WriteCqeSend(0, second));
  Settle();
  EXPECT_EQ(2u, Stat("tx_cqe_bogus"));
  EXPECT_EQ(0u, Stat("tx_packets"));
  EXPECT_EQ(2u + mock::Delivered().size(), mock::SkbsOutstanding());
  // The real completions still work
  EXPECT_EQ(2, vnic_->ProcessSq(0));
  Settle();
  EXPECT_EQ(2u, Stat("tx_packets"));
  // Written but not rung in (more to come): not the device's yet
  ASSERT_EQ(NETDEV_TX_OK,
            mock::Xmit(nd_, mock::TxSkb(MakeFrame({}), 64, 1024, 0), true));
  EXPECT_EQ(0u, vnic_->SqPending(0));
  ASSERT_TRUE(vnic_->WriteCqeSend(0, 4));
  Settle();
  EXPECT_EQ(3u, Stat("tx_cqe_bogus"));
  Send(MakeFrame({}), 0);  // rings both
  EXPECT_EQ(2, vnic_->ProcessSq(0));
  Settle();
  EXPECT_EQ(4u, Stat("tx_packets"));
  EXPECT_EQ(mock::Delivered().size(), mock::SkbsOutstanding());
  FreeDelivered();
  mock::DevClose(nd_);
}

TEST_P(E2eTest, MappingFailureOnSendDropsCountsAndUnwinds) {
  Open();
  FrameSpec s;
  s.len = 1400;
  // The head maps, the first fragment does not
  sk_buff* skb = mock::TxSkb(MakeFrame(s), 100, 500, 1);
  uint64_t maps = mock::Count().dma_map;
  mock::FailDmaMaps(1, 1);
  ASSERT_EQ(NETDEV_TX_OK, mock::Xmit(nd_, skb));
  EXPECT_EQ(maps + 2, mock::Count().dma_map);
  EXPECT_EQ(1u, Stat("tx_drop_map"));
  EXPECT_EQ(1u, mock::Stats64(nd_).tx_dropped);
  EXPECT_EQ(0u, nd_->tx[1].bql_inflight);
  // The next packet goes through
  Send(MakeFrame(s), 1);
  Settle();
  EXPECT_EQ(1u, mock::Delivered().size());
  EXPECT_EQ(1u, Stat("tx_packets"));
  FreeDelivered();
  mock::DevClose(nd_);
}

TEST_P(E2eTest, RbdrLowRefillsAndRetriesWhileMemoryIsShort) {
  Open();
  uint32_t ring = nic_->rbdr.ring_len;
  // No memory (the stack holds every received page) from the start
  mock::FailPageAllocs(1 << 30);
  // Take buffers until the RBDR crosses its threshold
  size_t received = 0;
  while (vnic_->RbdrCount(0) >= ring / 2) {
    ASSERT_TRUE(vnic_->Receive(int(received % 2), MakeFrame({})).posted);
    received++;
  }
  // The refill tasklet, scheduled from the RBDR interrupt, which is off
  EXPECT_TRUE(nic_->refill_tasklet.scheduled);
  EXPECT_EQ(0u, vnic_->int_enabled() & BIT_ULL(NICVF_INTR_RBDR_SHIFT));
  // It runs with the softirqs, finds no memory, and leaves a retry for
  // later; the interrupt stays off
  mock::RunNapi();
  EXPECT_EQ(1u, Stat("rbdr_refill_retries"));
  EXPECT_TRUE(mock::WorkIsQueued(&nic_->refill_work.work));
  EXPECT_FALSE(nic_->refill_tasklet.scheduled);
  EXPECT_LT(vnic_->RbdrCount(0), ring - 1);  // what was left of a page, at most
  FreeDelivered();
  // Memory again: the retry starts the tasklet, which fills the ring in
  // batches (others get their turn in between) and re-arms the interrupt
  mock::FailPageAllocs(0);
  EXPECT_EQ(1, mock::RunWork(msecs_to_jiffies(NICVF_REFILL_RETRY_MS)));
  EXPECT_TRUE(nic_->refill_tasklet.scheduled);
  EXPECT_EQ(0u, vnic_->int_enabled() & BIT_ULL(NICVF_INTR_RBDR_SHIFT));
  mock::RunNapi();
  EXPECT_EQ(ring - 1, vnic_->RbdrCount(0));
  EXPECT_NE(0u, vnic_->int_enabled() & BIT_ULL(NICVF_INTR_RBDR_SHIFT));
  EXPECT_GE(Stat("rbdr_alloc_fail"), 1u);
  // Traffic still flows
  ExpectOneFrameThrough(0);
  mock::DevClose(nd_);
}

// A refill posts NICVF_REFILL_BATCH buffers a run and schedules itself
// again, so a ring drained to empty is not refilled in one long stretch
TEST_P(E2eTest, RefillTaskletPostsInBatches) {
  Open();
  uint32_t ring = nic_->rbdr.ring_len;
  // Both CQs full: all but one buffer taken, nothing polled
  for (uint32_t i = 0; i < ring - 2; i++)
    ASSERT_TRUE(vnic_->Receive(int(i % 2), MakeFrame({})).posted) << i;
  ASSERT_EQ(1u, vnic_->RbdrCount(0));
  EXPECT_EQ(1, mock::RunTasklets());  // the refill's first run
  EXPECT_EQ(1u + NICVF_REFILL_BATCH, vnic_->RbdrCount(0));
  EXPECT_TRUE(nic_->refill_tasklet.scheduled);
  EXPECT_EQ(0u, vnic_->int_enabled() & BIT_ULL(NICVF_INTR_RBDR_SHIFT));
  Settle();
  EXPECT_EQ(ring - 2, mock::Delivered().size());
  EXPECT_FALSE(nic_->refill_tasklet.scheduled);
  FreeDelivered();
  Settle();
  EXPECT_EQ(ring - 1, vnic_->RbdrCount(0));
  ExpectOneFrameThrough(0);
  mock::DevClose(nd_);
}

TEST_P(E2eTest, QueueSetErrorResetsTheQueueSet) {
  Open();
  // Completions pending when the reset starts
  for (int i = 0; i < 8; i++) Send(MakeFrame({}), uint16_t(i % 2));
  vnic_->Tick();  // fewer than CQ_THRESH: the timer raises the interrupt
  ASSERT_GT(mock::NapiScheduled(), 0u);
  pf_->received.clear();
  vnic_->RaiseQsErr();
  EXPECT_EQ(0u, vnic_->int_enabled() & NICVF_INTR_QS_ERR);
  mock::RunWork();  // the reset, and the link poll the new open queues
  ASSERT_TRUE(mock::Logged("resetting the queue set"));
  // Those completions were taken before the queues stopped: none woke a
  // queue being torn down
  for (int q = 0; q < 2; q++) EXPECT_EQ(0u, nd_->tx[q].wakes);
  FreeDelivered();
  Settle();
  EXPECT_TRUE(mock::Logged("resetting the queue set"));
  EXPECT_EQ(1u, Stat("qs_errors"));
  std::vector<uint8_t> t = pf_->Types();
  ASSERT_FALSE(t.empty());
  EXPECT_EQ(Pf::kShutdown, t.front());
  EXPECT_THAT(t, Contains(Pf::kCfgDone));
  EXPECT_TRUE(netif_running(nd_));
  EXPECT_NE(0u, vnic_->int_enabled() & NICVF_INTR_QS_ERR);
  ExpectOneFrameThrough(1);
  mock::DevClose(nd_);
}

TEST_P(E2eTest, LinkFollowsThePfsAnswersToThePoll) {
  Open();
  EXPECT_TRUE(mock::Logged("link up, 10000 Mbps full duplex"));
  ethtool_link_ksettings ks = {};
  nd_->ethtool_ops->get_link_ksettings(nd_, &ks);
  EXPECT_EQ(10000u, ks.base.speed);
  pf_->link_up = false;
  mock::RunWork(msecs_to_jiffies(NICVF_LINK_POLL_MS));
  EXPECT_FALSE(netif_carrier_ok(nd_));
  EXPECT_EQ(0u, nd_->ethtool_ops->get_link(nd_));
  pf_->link_up = true;
  mock::RunWork(msecs_to_jiffies(NICVF_LINK_POLL_MS));
  EXPECT_TRUE(netif_carrier_ok(nd_));
  mock::DevClose(nd_);
  EXPECT_EQ(0u, mock::WorkQueued());
}

TEST_P(E2eTest, MacChangeGoesToThePfWhileUpAndAtTheNextOpen) {
  const uint8_t mac1[6] = {0x02, 0xaa, 0, 0, 0, 1};
  const uint8_t mac2[6] = {0x02, 0xaa, 0, 0, 0, 2};
  const uint8_t mcast[6] = {0x01, 0, 0x5e, 0, 0, 1};
  Open();
  pf_->received.clear();
  ASSERT_EQ(0, mock::SetMac(nd_, mac1));
  ASSERT_EQ(1u, pf_->received.size());
  EXPECT_TRUE(std::equal(mac1, mac1 + 6, pf_->received[0].begin() + 2));
  EXPECT_EQ(0, memcmp(nd_->dev_addr, mac1, 6));
  pf_->nack = {Pf::kSetMac};
  EXPECT_EQ(-EIO, mock::SetMac(nd_, mac2));
  EXPECT_EQ(0, memcmp(nd_->dev_addr, mac1, 6));
  pf_->nack.clear();
  EXPECT_EQ(-EADDRNOTAVAIL, mock::SetMac(nd_, mcast));
  mock::DevClose(nd_);
  // Down: taken now, told at open
  pf_->received.clear();
  ASSERT_EQ(0, mock::SetMac(nd_, mac2));
  EXPECT_TRUE(pf_->received.empty());
  Open();
  bool told = false;
  for (const Pf::Msg& m : pf_->received)
    told |= m[0] == Pf::kSetMac && std::equal(mac2, mac2 + 6, m.begin() + 2);
  EXPECT_TRUE(told);
  mock::DevClose(nd_);
}

TEST_P(E2eTest, EthtoolReportsRingsChannelsAndEveryDropReason) {
  std::vector<std::string> names;
  for (const auto& kv : mock::EthtoolStats(nd_)) names.push_back(kv.first);
  for (int d = 1; d < NICVF_RX_DROP_NR; d++)
    EXPECT_THAT(names, Contains(std::string(nicvf_rx_drop_names[d])));
  for (int d = 0; d < NICVF_TX_DROP_NR; d++)
    EXPECT_THAT(names, Contains(std::string(nicvf_tx_drop_names[d])));
  EXPECT_THAT(names, Contains(std::string("rxq1_packets")));
  EXPECT_EQ(names.size(), std::set<std::string>(names.begin(), names.end()).size());

  ethtool_ringparam ring = {};
  nd_->ethtool_ops->get_ringparam(nd_, &ring, nullptr, nullptr);
  // Receive is the completion queue, as the in-tree driver reports it
  EXPECT_EQ(NICVF_CQ_LEN_DEFAULT - 1, ring.rx_pending);
  EXPECT_EQ(NICVF_SQ_LEN_MIN - 1, ring.tx_pending);
  EXPECT_EQ(uint32_t(NICVF_CQ_LEN_MAX - 1), ring.rx_max_pending);
  ethtool_channels ch = {};
  nd_->ethtool_ops->get_channels(nd_, &ch);
  // Receive and send queues apart, as the in-tree driver reports them
  EXPECT_EQ(2u, ch.rx_count);
  EXPECT_EQ(2u, ch.tx_count);
  EXPECT_EQ(0u, ch.combined_count);
  EXPECT_EQ(uint32_t(NICVF_MAX_QUEUES), ch.max_rx);
  EXPECT_EQ(uint32_t(NICVF_MAX_QUEUES), ch.max_tx);
  EXPECT_EQ(0u, ch.max_combined);
  ethtool_drvinfo info = {};
  nd_->ethtool_ops->get_drvinfo(nd_, &info);
  EXPECT_STREQ("nicvf", info.driver);
  // ethtool -i reports the release DKMS installs under
  EXPECT_EQ(DkmsVersion(), info.version);
  EXPECT_EQ(2u, nd_->real_num_tx_queues);

  // A drop shows under its own name
  Open();
  ASSERT_TRUE(vnic_->Receive(0, MakeFrame({}), {0, 0, 0, [](model::Cqe& c) {
                                  c[0] &= ~(0xfull << 24);  // zero buffers
                                }}).posted);
  Settle();
  EXPECT_EQ(1u, Stat("rx_drop_rb_cnt"));
  EXPECT_EQ(1u, mock::Stats64(nd_).rx_dropped);
  mock::DevClose(nd_);
}

INSTANTIATE_TEST_SUITE_P(AllModes, E2eTest,
                         ::testing::ValuesIn(mock::AllIommuModes()), ModeName);

// --- A thousand cycles -----------------------------------------------------

class CycleTest : public E2eFixture {
 protected:
  void SetUp() override { SetUpVf(mock::IommuMode::kTranslating); }
};

// Open and close a thousand times with traffic in every state at close:
// sends queued and not processed, processed and not completed, frames
// received and not polled, and every other cycle a device still working
// while the queues are torn down. After each close nothing of the queues
// is left; at the end the counters add up and the unload leaves nothing.
// (A thousand with the platform's 64K pages, where a cycle maps some 300
// pages; with 4K pages each cycle maps 8191, and a hundred are run.)
TEST_F(CycleTest, OpenCloseCyclesUnderTrafficLeaveNothing) {
  const int cycles = PAGE_SIZE >= 65536 ? 1000 : 100;
  uint32_t seed = 0;
  uint64_t sent = 0;
  for (int cycle = 0; cycle < cycles; cycle++) {
    Open();
    vnic_->tx_auto = false;
    for (int i = 0; i < 6; i++) {
      FrameSpec s;
      s.seed = ++seed;
      s.len = 60 + (seed * 97) % 1400;
      Send(MakeFrame(s), uint16_t(i % 2), 64, 512);
      sent++;
      vnic_->Receive(i % 2, MakeFrame(s));
    }
    vnic_->ProcessSq(0, 2);  // some sent, their completions not polled
    if (cycle % 3 == 0) mock::RunNapi(1);
    // A quota, else each CQ doorbell of close's last poll brings more
    if (cycle % 2) KeepBusy(1 + cycle % 7, 64);
    mock::DevClose(nd_);
    StopBusy();
    vnic_->tx_auto = true;
    FreeDelivered();
    ASSERT_EQ(0u, mock::PoolsAlive()) << "cycle " << cycle;
    ASSERT_TRUE(mock::Dev()->mock->mappings.empty()) << "cycle " << cycle;
    ASSERT_EQ(0u, mock::SkbsOutstanding()) << "cycle " << cycle;
    ASSERT_THAT(mock::Violations(), ::testing::IsEmpty()) << "cycle " << cycle;
  }
  // Every packet handed to the driver was sent, or freed at a close
  EXPECT_LE(Stat("tx_packets"), sent);
  EXPECT_GT(Stat("tx_packets"), 0u);
  EXPECT_GT(Stat("rx_packets"), 0u);
  Open();
  ExpectOneFrameThrough(0);
  mock::DevClose(nd_);
}

// --- Module parameters ---------------------------------------------------------

class ParamTest : public VfFixture {};

TEST_F(ParamTest, EveryParameterIsDescribed) {
  for (const char* d : {mock_param_desc_queues, mock_param_desc_rbdr_len,
                        mock_param_desc_cq_len, mock_param_desc_sq_len}) {
    ASSERT_NE(nullptr, d);
    EXPECT_GT(strlen(d), 20u);
    EXPECT_THAT(d, HasSubstr("default"));
  }
}

TEST_F(ParamTest, OutOfRangeValuesFallBackToDefaultsWithAWarning) {
  Start(mock::IommuMode::kNone);
  Param(mock_param_sq_len) = 1000;
  Param(mock_param_rbdr_len) = 1u << 30;
  Param(mock_param_queues) = 100;
  Load();
  ASSERT_NE(nullptr, Nic());
  EXPECT_EQ(uint32_t(NICVF_SQ_LEN_DEFAULT), Nic()->sq_len);
  EXPECT_EQ(uint32_t(NICVF_RBDR_LEN_DEFAULT), Nic()->rbdr_len);
  // (as many queues as CPUs, rounded up to 8: 2 CPUs)
  EXPECT_EQ(NICVF_MAX_QUEUES, Nic()->rxqs_cfg);
  EXPECT_TRUE(mock::Logged("sq_len=1000 is not a power of 2"));
  EXPECT_TRUE(mock::Logged("queues=100 is more than 8"));
}

TEST_F(ParamTest, CompletionQueueIsKeptFourTimesTheSendQueue) {
  Start(mock::IommuMode::kNone);
  Param(mock_param_sq_len) = 4096;
  Param(mock_param_cq_len) = 4096;
  Load();
  ASSERT_NE(nullptr, Nic());
  EXPECT_EQ(4096u, Nic()->sq_len);
  EXPECT_EQ(16384u, Nic()->cq_len);
  EXPECT_TRUE(mock::Logged("cq_len=4096 is less than 4 times sq_len=4096"));
}

TEST_F(ParamTest, QueuesDefaultToOnePerOnlineCpu) {
  Start(mock::IommuMode::kNone);
  mock::SetOnlineCpus(3);
  Load();
  ASSERT_NE(nullptr, Nic());
  EXPECT_EQ(3, Nic()->rxqs_cfg);
  EXPECT_EQ(3u, mock::Netdev()->real_num_tx_queues);
}

}  // namespace
}  // namespace nicvf_test
