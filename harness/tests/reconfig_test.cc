// SPDX-License-Identifier: GPL-2.0-only
// Changing the interface at run time, end to end in every IOMMU mode:
// ring lengths (ethtool -G) and queue counts (-L) rebuild the queue set
// and keep every counter, buffer and mapping; RSS's table and key (-x/-X)
// and hashed headers (-n/-N rx-flow-hash) reach the VNIC and the PF's
// steering; the message level (msglvl) decides what is logged; page_pool's
// counters show in ethtool -S across pools.
#include <map>

#include "model/vnic_regs.h"
#include "tests/e2e_fixture.h"

namespace nicvf_test {
namespace {

using model::Pf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

class ReconfigTest : public E2eModesFixture {
 protected:
  // n UDP (or TCP) flows from the wire (Flows())
  std::map<int, int> WireFlows(int n, uint8_t proto = 17,
                               uint16_t dport = 2000) {
    return Flows(n, [this](const Bytes& f) { vnic_->ReceiveWire(f); }, proto,
                 dport);
  }

  // The queues the PF's RSS table sends this VF's flows to
  std::set<int> PfTableQueues() const {
    std::set<int> qs;
    for (unsigned i = 0; i < 1u << pf_->steer.hash_bits; i++)
      qs.insert(pf_->steer.rssi[i] & 7);
    return qs;
  }

  // The ring lengths the VNIC was given (CQ_CFG[34:32], SQ_CFG[10:8]:
  // 1K << n entries)
  uint32_t CqLen(int q) {
    return 1024u << ((vnic_->Read64(VNIC_REG_CQ_CFG +
                                    (uint64_t(q) << VNIC_Q_NUM_SHIFT)) >> 32) & 7);
  }
  uint32_t SqLen(int q) {
    return 1024u << ((vnic_->Read64(VNIC_REG_SQ_CFG +
                                    (uint64_t(q) << VNIC_Q_NUM_SHIFT)) >> 8) & 7);
  }

  // The key as the VNIC's RSS_KEY registers hold it (little endian words)
  std::vector<uint8_t> VnicKey() {
    std::vector<uint8_t> key;
    for (int w = 0; w < NIC_RSS_KEY_WORDS; w++) {
      uint64_t v = vnic_->Read64(VNIC_REG_RSS_KEY_0_4 + 8 * uint64_t(w));
      for (int b = 0; b < 8; b++) key.push_back(uint8_t(v >> (8 * b)));
    }
    return key;
  }
};

// --- ethtool -G -----------------------------------------------------------

// Up, new lengths rebuild the rings: traffic flows on them, the counters
// carry on, and every page and mapping of the old rings went back
TEST_P(ReconfigTest, RingLengthsChangeWhileUpAndKeepTheCounters) {
  Open();
  ExpectOneFrameThrough(0);
  ExpectOneFrameThrough(1);
  uint64_t rx = Stat("rx_packets"), tx = Stat("tx_packets");
  ASSERT_EQ(2u, rx);
  std::string msg;
  ASSERT_EQ(0, mock::EthtoolSetRing(nd_, 8191, 2047, &msg)) << msg;
  EXPECT_EQ(8192u, nic_->cq_len);
  EXPECT_EQ(2048u, nic_->sq_len);
  EXPECT_TRUE(netif_running(nd_));
  mock::RunWork();
  ASSERT_TRUE(netif_carrier_ok(nd_));
  // The VNIC has rings of the new lengths
  EXPECT_EQ(8192u, CqLen(0));
  EXPECT_EQ(8192u, CqLen(1));
  EXPECT_EQ(2048u, SqLen(1));
  ethtool_ringparam ring = {};
  nd_->ethtool_ops->get_ringparam(nd_, &ring, nullptr, nullptr);
  EXPECT_EQ(8191u, ring.rx_pending);
  EXPECT_EQ(2047u, ring.tx_pending);
  ExpectOneFrameThrough(0);
  EXPECT_EQ(rx + 1, Stat("rx_packets"));
  EXPECT_EQ(tx + 1, Stat("tx_packets"));
  EXPECT_EQ(rx + 1, mock::Stats64(nd_).rx_packets);
  // The powers of 2 themselves are taken too; the same again is no change
  pf_->received.clear();
  ASSERT_EQ(0, mock::EthtoolSetRing(nd_, 4096, 1024));
  EXPECT_EQ(4096u, nic_->cq_len);
  EXPECT_EQ(1024u, nic_->sq_len);
  pf_->received.clear();
  ASSERT_EQ(0, mock::EthtoolSetRing(nd_, 4095, 1023));
  EXPECT_TRUE(pf_->received.empty());
  mock::DevClose(nd_);
  EXPECT_EQ(0u, mock::PoolsAlive());
}

// Down, the lengths wait for the next open and nothing is asked of the PF
TEST_P(ReconfigTest, RingLengthsChangeWhileDownForTheNextOpen) {
  pf_->received.clear();
  ASSERT_EQ(0, mock::EthtoolSetRing(nd_, 16383, 4095));
  EXPECT_TRUE(pf_->received.empty());
  EXPECT_FALSE(netif_running(nd_));
  Open();
  EXPECT_EQ(16384u, CqLen(1));
  EXPECT_EQ(4096u, SqLen(1));
  ExpectOneFrameThrough(1);
  mock::DevClose(nd_);
}

// What the hardware cannot take is refused with the range in the
// message, and nothing changes
TEST_P(ReconfigTest, RingLengthsOutOfRangeAreRefusedWithTheRange) {
  Open();
  std::string msg;
  EXPECT_EQ(-EINVAL, mock::EthtoolSetRing(nd_, 5000, 1023, &msg));
  EXPECT_THAT(msg, HasSubstr("from 1023 to 65535"));
  EXPECT_EQ(-EINVAL, mock::EthtoolSetRing(nd_, 511, 1023, &msg));
  EXPECT_THAT(msg, HasSubstr("rx must be"));
  EXPECT_EQ(-EINVAL, mock::EthtoolSetRing(nd_, 65535, 1500, &msg));
  EXPECT_THAT(msg, HasSubstr("from 1023 to 16383"));
  // Send completions share the CQ: it must take four SQs' worth
  EXPECT_EQ(-EINVAL, mock::EthtoolSetRing(nd_, 4095, 2047, &msg));
  EXPECT_THAT(msg, HasSubstr("at least 4 times tx"));
  // Past what -g reports as the maximum: the core's own refusal
  EXPECT_EQ(-EINVAL, mock::EthtoolSetRing(nd_, 65535, 16384));
  EXPECT_EQ(uint32_t(NICVF_CQ_LEN_DEFAULT), nic_->cq_len);
  EXPECT_EQ(uint32_t(NICVF_SQ_LEN_MIN), nic_->sq_len);
  ExpectOneFrameThrough(0);
  mock::DevClose(nd_);
}

// New lengths that do not come up (no memory for the rings) give way
// to the old ones: the interface is up as it was, the error reported
TEST_P(ReconfigTest, RingLengthsThatFailToComeUpLeaveTheOldOnes) {
  Open();
  ExpectOneFrameThrough(0);
  // No memory for the first ring of the new set; enough for the old
  mock::InjectFaults(mock::Fault::kDmaAllocCoherent, {0, 1, 0, 0, 1});
  std::string msg;
  EXPECT_EQ(-ENOMEM, mock::EthtoolSetRing(nd_, 8191, 1023, &msg));
  EXPECT_THAT(msg, HasSubstr("old ones are back"));
  mock::StopAllFaults();
  EXPECT_EQ(uint32_t(NICVF_CQ_LEN_DEFAULT), nic_->cq_len);
  EXPECT_TRUE(netif_running(nd_));
  EXPECT_EQ(2, nic_->queues);
  mock::RunWork();
  ASSERT_TRUE(netif_carrier_ok(nd_));
  ExpectOneFrameThrough(0);
  EXPECT_EQ(2u, Stat("rx_packets"));
  mock::DevClose(nd_);
  EXPECT_EQ(0u, mock::PoolsAlive());
}

// --- ethtool -L -----------------------------------------------------------

// Receive and send queues are counted apart: CQ i serves whichever of RQ
// i and SQ i there are. The PF's table spreads over the receive queues
TEST_P(ReconfigTest, ChannelsSetReceiveAndSendQueuesApart) {
  Open();
  ExpectOneFrameThrough(1);
  ASSERT_EQ(0, mock::EthtoolSetChannels(nd_, 4, 1));
  mock::RunWork();
  EXPECT_EQ(4u, nd_->real_num_rx_queues);
  EXPECT_EQ(1u, nd_->real_num_tx_queues);
  EXPECT_EQ(4, nic_->queues);
  EXPECT_EQ(4, nic_->rxqs);
  EXPECT_EQ(1, nic_->txqs);
  ethtool_channels ch = mock::EthtoolGetChannels(nd_);
  EXPECT_EQ(4u, ch.rx_count);
  EXPECT_EQ(1u, ch.tx_count);
  EXPECT_EQ(4, pf_->steer.rq_cnt);
  EXPECT_EQ((std::set<int>{0, 1, 2, 3}), PfTableQueues());
  // Every receive queue takes flows; sends go out on the one send queue
  std::map<int, int> per_queue = WireFlows(64);
  EXPECT_EQ(4u, per_queue.size());
  EXPECT_EQ(nullptr, mock::QueueNapi(nd_, false, 1));
  EXPECT_NE(nullptr, mock::QueueNapi(nd_, true, 3));
  ExpectOneFrameThrough(0);
  // ethtool -S: four receive queues, one send queue, the totals kept
  std::vector<std::string> names;
  for (const auto& kv : mock::EthtoolStats(nd_)) names.push_back(kv.first);
  EXPECT_THAT(names, Contains(std::string("rxq3_packets")));
  EXPECT_THAT(names, Contains(std::string("txq0_packets")));
  EXPECT_THAT(names, Not(Contains(std::string("txq1_packets"))));
  EXPECT_EQ(66u, Stat("rx_packets"));
  EXPECT_EQ(2u, Stat("tx_packets"));

  // More send queues than receive queues: CQ 2 has a send queue only
  ASSERT_EQ(0, mock::EthtoolSetChannels(nd_, 1, 3));
  mock::RunWork();
  EXPECT_EQ(3, nic_->queues);
  EXPECT_EQ((std::set<int>{0}), PfTableQueues());
  Send(MakeFrame({}), 2);
  Settle();
  EXPECT_EQ(1u, mock::Delivered().size());
  FreeDelivered();
  EXPECT_EQ(3u, Stat("tx_packets"));
  EXPECT_EQ(1u, Stat("txq2_packets"));
  // The core's XPS maps: the dropped queue's went, the new ones have one
  EXPECT_GE(mock::XpsCpu(nd_, 2), 0);
  mock::DevClose(nd_);
  EXPECT_EQ(0u, mock::PoolsAlive());
}

TEST_P(ReconfigTest, ChannelsOutOfRangeAreRefused) {
  EXPECT_EQ(-EINVAL, mock::EthtoolSetChannels(nd_, 0, 2));
  EXPECT_EQ(-EINVAL, mock::EthtoolSetChannels(nd_, 2, 0));
  EXPECT_EQ(-EINVAL, mock::EthtoolSetChannels(nd_, NICVF_MAX_QUEUES + 1, 1));
  EXPECT_EQ(-EINVAL, mock::EthtoolSetChannels(nd_, 1, 1, 1));
  EXPECT_EQ(2, nic_->rxqs_cfg);
  EXPECT_EQ(2, nic_->txqs_cfg);
  // Down: taken for the next open
  ASSERT_EQ(0, mock::EthtoolSetChannels(nd_, NICVF_MAX_QUEUES, 1));
  EXPECT_EQ(0, nic_->queues);
  Open();
  EXPECT_EQ(NICVF_MAX_QUEUES, nic_->rxqs);
  EXPECT_EQ(1, nic_->txqs);
  mock::DevClose(nd_);
}

// --- ethtool -x/-X --------------------------------------------------------

// The table is the PF's size, spread evenly; a table set goes to the PF at
// once and stays across close, open and -L (which cannot go below it)
TEST_P(ReconfigTest, TheIndirectionTableIsThePfsAndStaysSet) {
  mock::Rxfh r = mock::EthtoolGetRxfh(nd_);
  ASSERT_EQ(0, r.err);
  ASSERT_EQ(size_t(pf_->rss_size), r.indir.size());
  EXPECT_EQ(ETH_RSS_HASH_TOP, r.hfunc);
  EXPECT_EQ(size_t(NICVF_RSS_KEY_BYTES), r.key.size());
  Open();
  r = mock::EthtoolGetRxfh(nd_);
  for (size_t i = 0; i < r.indir.size(); i++) EXPECT_EQ(i % 2, r.indir[i]);
  EXPECT_EQ((std::set<int>{0, 1}), PfTableQueues());

  // Everything to queue 1
  std::vector<uint32_t> all1(r.indir.size(), 1);
  ASSERT_EQ(0, mock::EthtoolSetRxfh(nd_, all1, {}));
  EXPECT_EQ((std::set<int>{1}), PfTableQueues());
  EXPECT_EQ((std::map<int, int>{{1, 32}}), WireFlows(32));
  mock::DevClose(nd_);
  Open();
  EXPECT_EQ((std::set<int>{1}), PfTableQueues());
  EXPECT_EQ(all1, mock::EthtoolGetRxfh(nd_).indir);
  // The core keeps -L from dropping queue 1 under the table
  EXPECT_EQ(-EINVAL, mock::EthtoolSetChannels(nd_, 1, 2));
  // Entries past the receive queues are the core's to refuse
  std::vector<uint32_t> bad(r.indir.size(), 2);
  EXPECT_EQ(-EINVAL, mock::EthtoolSetRxfh(nd_, bad, {}));
  // ethtool -X default: the even spread, and -L may follow it again
  ASSERT_EQ(0, mock::EthtoolSetRxfh(nd_, {}, {}, 0, true));
  ASSERT_EQ(0, mock::EthtoolSetChannels(nd_, 3, 2));
  mock::RunWork();
  EXPECT_EQ((std::set<int>{0, 1, 2}), PfTableQueues());
  mock::DevClose(nd_);
}

// The key is written to the VNIC's RSS_KEY registers, and the hash the
// VNIC computes (the skb's) follows it
TEST_P(ReconfigTest, TheKeyIsTheVnicsAndMovesTheHash) {
  Open();
  std::vector<uint8_t> key = mock::EthtoolGetRxfh(nd_).key;
  EXPECT_EQ(key, VnicKey());
  FrameSpec s;
  vnic_->ReceiveWire(MakeFrame(s));
  Settle();
  ASSERT_EQ(1u, mock::Delivered().size());
  uint32_t before = mock::Delivered()[0]->hash;
  FreeDelivered();
  std::vector<uint8_t> other(key.size());
  for (size_t i = 0; i < other.size(); i++) other[i] = uint8_t(0x11 * i + 3);
  ASSERT_EQ(0, mock::EthtoolSetRxfh(nd_, {}, other));
  EXPECT_EQ(other, mock::EthtoolGetRxfh(nd_).key);
  EXPECT_EQ(other, VnicKey());
  vnic_->ReceiveWire(MakeFrame(s));
  Settle();
  ASSERT_EQ(1u, mock::Delivered().size());
  EXPECT_NE(before, mock::Delivered()[0]->hash);
  FreeDelivered();
  // The key stays for every open after
  mock::DevClose(nd_);
  Open();
  EXPECT_EQ(other, mock::EthtoolGetRxfh(nd_).key);
  // The VNIC hashes by Toeplitz only
  std::string msg;
  EXPECT_EQ(-EOPNOTSUPP,
            mock::EthtoolSetRxfh(nd_, {}, {}, ETH_RSS_HASH_XOR, false, &msg));
  EXPECT_THAT(msg, HasSubstr("Toeplitz"));
  mock::DevClose(nd_);
}

// --- ethtool -n/-N rx-flow-hash -------------------------------------------

// TCP, UDP and SCTP hash their ports unless told not: then flows that
// differ only in ports share a queue. IP flows hash the addresses only
TEST_P(ReconfigTest, FlowHashFieldsFollowRxFlowHash) {
  Open();
  uint64_t data = 0;
  const uint64_t ip = RXH_IP_SRC | RXH_IP_DST;
  const uint64_t l4 = RXH_L4_B_0_1 | RXH_L4_B_2_3;
  for (uint32_t flow : {TCP_V4_FLOW, TCP_V6_FLOW, UDP_V4_FLOW, UDP_V6_FLOW}) {
    ASSERT_EQ(0, mock::EthtoolGetRxfhFields(nd_, flow, &data));
    EXPECT_EQ(ip | l4, data) << flow;
  }
  ASSERT_EQ(0, mock::EthtoolGetRxfhFields(nd_, SCTP_V4_FLOW, &data));
  EXPECT_EQ(ip, data);
  ASSERT_EQ(0, mock::EthtoolGetRxfhFields(nd_, IPV6_FLOW, &data));
  EXPECT_EQ(ip, data);
  EXPECT_EQ(-EINVAL, mock::EthtoolGetRxfhFields(nd_, ETHER_FLOW, &data));
  // 32 UDP flows by port over 2 queues: both take some
  EXPECT_EQ(2u, WireFlows(32).size());

  ASSERT_EQ(0, mock::EthtoolSetRxfhFields(nd_, UDP_V4_FLOW, ip));
  EXPECT_EQ(0u, vnic_->Read64(VNIC_REG_RSS_CFG) & NIC_RSS_UDP_ENA);
  ASSERT_EQ(0, mock::EthtoolGetRxfhFields(nd_, UDP_V6_FLOW, &data));
  EXPECT_EQ(ip, data);
  EXPECT_EQ(1u, WireFlows(32).size());
  // TCP still hashes its ports
  EXPECT_EQ(2u, WireFlows(32, 6).size());
  // Kept across close and open
  mock::DevClose(nd_);
  Open();
  EXPECT_EQ(1u, WireFlows(32).size());
  ASSERT_EQ(0, mock::EthtoolSetRxfhFields(nd_, UDP_V4_FLOW, ip | l4));
  EXPECT_EQ(2u, WireFlows(32).size());
  ASSERT_EQ(0, mock::EthtoolSetRxfhFields(nd_, SCTP_V6_FLOW, ip | l4));
  EXPECT_NE(0u, vnic_->Read64(VNIC_REG_RSS_CFG) & NIC_RSS_L4ETC_ENA);

  // The addresses always, the ports both halves or neither
  EXPECT_EQ(-EINVAL, mock::EthtoolSetRxfhFields(nd_, TCP_V4_FLOW, l4));
  EXPECT_EQ(-EINVAL,
            mock::EthtoolSetRxfhFields(nd_, TCP_V4_FLOW, ip | RXH_L4_B_0_1));
  EXPECT_EQ(-EINVAL, mock::EthtoolSetRxfhFields(nd_, IPV4_FLOW, ip | l4));
  EXPECT_EQ(-EINVAL,
            mock::EthtoolSetRxfhFields(nd_, UDP_V4_FLOW, ip | RXH_L2DA));
  EXPECT_EQ(-EINVAL, mock::EthtoolSetRxfhFields(nd_, ETHER_FLOW, ip));
  ASSERT_EQ(0, mock::EthtoolGetRxfhFields(nd_, TCP_V4_FLOW, &data));
  EXPECT_EQ(ip | l4, data);
  mock::DevClose(nd_);
}

// --- msglvl ---------------------------------------------------------------

// Drops and send errors are logged only when asked for (rx_err, tx_err);
// the level reaches queues that are up and those that come up later
TEST_P(ReconfigTest, TheMessageLevelDecidesWhatIsLogged) {
  EXPECT_EQ(uint32_t(NETIF_MSG_DRV | NETIF_MSG_PROBE | NETIF_MSG_LINK),
            mock::EthtoolGetMsglevel(nd_));
  Open();
  auto zero_buffers = [](model::Cqe& c) { c[0] &= ~(0xfull << 24); };
  ASSERT_TRUE(vnic_->Receive(0, MakeFrame({}), {0, 0, 0, zero_buffers}).posted);
  Settle();
  EXPECT_EQ(1u, Stat("rx_drop_rb_cnt"));
  EXPECT_FALSE(mock::Logged("received packet dropped"));

  mock::EthtoolSetMsglevel(nd_, NETIF_MSG_RX_ERR | NETIF_MSG_TX_ERR);
  EXPECT_EQ(uint32_t(NETIF_MSG_RX_ERR | NETIF_MSG_TX_ERR),
            mock::EthtoolGetMsglevel(nd_));
  ASSERT_TRUE(vnic_->Receive(1, MakeFrame({}), {0, 0, 0, zero_buffers}).posted);
  Settle();
  EXPECT_TRUE(mock::Logged("CQ1: received packet dropped: rx_drop_rb_cnt"));
  // Link messages are off now
  mock::DevClose(nd_);
  mock::Log().clear();
  Open();
  EXPECT_FALSE(mock::Logged("link up"));
  // The queues that came up have the level too: a send the VNIC fails
  vnic_->tx_auto = false;
  Send(MakeFrame({}), 0);
  ASSERT_TRUE(vnic_->WriteCqeSend(0, 0, 0x11));
  Settle();
  vnic_->tx_auto = true;
  EXPECT_EQ(1u, Stat("tx_errors"));
  EXPECT_TRUE(mock::Logged("SQ0: send failed, status 0x11"));
  mock::DevClose(nd_);
}

// --- page_pool's counters -------------------------------------------------

// ethtool -S shows page_pool's counters, the kernel's names, summed over
// every pool the RBDR had: a close and open adds, never restarts
TEST_P(ReconfigTest, PagePoolCountersAreSummedOverPools) {
  std::vector<std::string> names;
  for (const auto& kv : mock::EthtoolStats(nd_)) names.push_back(kv.first);
  for (const char* name :
       {"rx_pp_alloc_fast", "rx_pp_alloc_slow", "rx_pp_alloc_slow_ho",
        "rx_pp_alloc_empty", "rx_pp_alloc_refill", "rx_pp_alloc_waive",
        "rx_pp_recycle_cached", "rx_pp_recycle_cache_full",
        "rx_pp_recycle_ring", "rx_pp_recycle_ring_full",
        "rx_pp_recycle_released_ref"})
    EXPECT_THAT(names, Contains(std::string(name)));
  EXPECT_EQ(0u, Stat("rx_pp_alloc_slow"));
  Open();
  // The first fill: every page new from the page allocator
  uint64_t slow = Stat("rx_pp_alloc_slow");
  EXPECT_GT(slow, 0u);
  EXPECT_EQ(slow, Stat("rx_pp_alloc_empty"));
  ExpectOneFrameThrough(0);
  mock::DevClose(nd_);
  EXPECT_EQ(slow, Stat("rx_pp_alloc_slow"));
  Open();
  EXPECT_EQ(2 * slow, Stat("rx_pp_alloc_slow"));
  mock::DevClose(nd_);
}

INSTANTIATE_TEST_SUITE_P(AllModes, ReconfigTest,
                         ::testing::ValuesIn(mock::AllIommuModes()), ModeName);

}  // namespace
}  // namespace nicvf_test
