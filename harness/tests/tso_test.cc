// SPDX-License-Identifier: GPL-2.0-only
// TCP segmentation offload end to end, on each chip's way of doing it and
// in every IOMMU mode: CN88xx pass 2 (hardware TSO, the packet completed
// by a header the hardware does not send), CN81xx (hardware TSO, one
// CQE_SEND per packet) and CN88xx pass 1 (no TSO: the simulated stack
// segments, as the kernel's does for a device without the feature). The
// device model cuts what the driver asks it to and loops every segment
// back; each is checked here byte for byte against the packet it came from
// by a reader that shares nothing with the model's segmenter.
#include <tuple>

#include "tests/e2e_fixture.h"

extern "C" {
#include "nicvf_sq.h"
}

namespace nicvf_test {
namespace {

using testlib::kEthVlan;

constexpr size_t kEth = 14, kVlanTag = 4;
constexpr uint8_t kFin = 0x01, kPsh = 0x08, kAck = 0x10, kCwr = 0x80;

uint16_t Get16(const Bytes& b, size_t at) {
  return uint16_t(b[at] << 8 | b[at + 1]);
}
uint32_t Get32(const Bytes& b, size_t at) {
  return uint32_t(Get16(b, at)) << 16 | Get16(b, at + 2);
}
uint32_t OnesSum(const Bytes& b, size_t from, size_t to) {
  uint32_t s = 0;
  for (size_t i = from; i < to; i += 2)
    s += uint32_t(b[i] << 8 | (i + 1 < to ? b[i + 1] : 0));
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return s;
}

// Where a TCP packet's headers are: an optional 802.1Q tag, IPv4 or IPv6
// with `ext` bytes of extension headers, a TCP header of its own length
struct Layout {
  size_t l3, l4, hlen;
  bool v6;
};

Layout LayoutOf(const Bytes& f, size_t ext = 0) {
  Layout l{};
  l.l3 = kEth + (Get16(f, 12) == kEthVlan ? kVlanTag : 0);
  l.v6 = f[l.l3] >> 4 == 6;
  l.l4 = l.l3 + (l.v6 ? 40 + ext : (f[l.l3] & 0xf) * 4u);
  l.hlen = l.l4 + (f[l.l4 + 12] >> 4) * 4u;
  return l;
}

// A TCP frame of `payload` bytes after its headers, the flags given; the
// L4 checksum left to the device, as the stack leaves it
Bytes TcpFrame(bool v6, size_t payload, uint8_t flags, int vlan = -1,
               uint32_t seed = 7) {
  FrameSpec s;
  s.v6 = v6;
  s.proto = 6;
  s.len = kEth + (v6 ? 40 : 20) + 20 + payload;
  s.vlan = vlan;
  s.seed = seed;
  s.sport = 40000;
  s.dport = 5201;
  Bytes f = MakeFrame(s);
  Layout l = LayoutOf(f);
  f[l.l4 + 13] = flags;
  // A sequence number that wraps within the packet
  f[l.l4 + 4] = 0xff;
  f[l.l4 + 5] = 0xff;
  f[l.l4 + 6] = 0xf0;
  f[l.l4 + 7] = 0x00;
  if (!l.v6) {
    f[l.l3 + 4] = 0xff;  // an IP ID that wraps too
    f[l.l3 + 5] = 0xfe;
    f[l.l3 + 10] = f[l.l3 + 11] = 0;
    uint16_t c = uint16_t(~OnesSum(f, l.l3, l.l4));
    f[l.l3 + 10] = uint8_t(c >> 8);
    f[l.l3 + 11] = uint8_t(c);
  }
  f[l.l4 + 16] = f[l.l4 + 17] = 0;
  return f;
}

// The segments `f` must become at this MSS, read off the wire: each the
// original's headers with only the fields TSO owns changed, the payloads
// in order making up the original's, every checksum valid. Returns the
// bytes on the wire.
size_t ExpectSegmentsOf(const Bytes& f, const Layout& l, size_t mss,
                        const std::vector<Bytes>& wire) {
  size_t payload = f.size() - l.hlen;
  size_t nseg = payload ? (payload + mss - 1) / mss : 1;
  EXPECT_EQ(nseg, wire.size());
  Bytes data;
  size_t bytes = 0;
  for (size_t i = 0; i < wire.size(); i++) {
    const Bytes& g = wire[i];
    SCOPED_TRACE("segment " + std::to_string(i));
    bytes += g.size();
    if (g.size() < l.hlen) {
      ADD_FAILURE() << "segment shorter than the headers";
      continue;
    }
    bool last = i + 1 == nseg;
    EXPECT_EQ(last ? payload - i * mss : mss, g.size() - l.hlen);
    // L2 and the parts of L3/L4 no segment changes
    EXPECT_TRUE(std::equal(f.begin(), f.begin() + long(l.l3), g.begin()));
    if (l.v6) {
      EXPECT_EQ(g.size() - l.l3 - 40, Get16(g, l.l3 + 4));
      EXPECT_TRUE(std::equal(f.begin() + long(l.l3 + 6),
                             f.begin() + long(l.l4), g.begin() + long(l.l3 + 6)));
    } else {
      EXPECT_EQ(g.size() - l.l3, Get16(g, l.l3 + 2));
      EXPECT_EQ(uint16_t(Get16(f, l.l3 + 4) + i), Get16(g, l.l3 + 4));
      EXPECT_EQ(0xffffu, OnesSum(g, l.l3, l.l4)) << "IPv4 header checksum";
      EXPECT_TRUE(std::equal(f.begin() + long(l.l3 + 6),
                             f.begin() + long(l.l3 + 10),
                             g.begin() + long(l.l3 + 6)));
    }
    EXPECT_EQ(Get32(f, l.l4 + 4) + uint32_t(i * mss), Get32(g, l.l4 + 4));
    uint8_t want = f[l.l4 + 13];
    if (!last) want &= uint8_t(~(kFin | kPsh));
    if (i) want &= uint8_t(~kCwr);
    EXPECT_EQ(want, g[l.l4 + 13]) << "TCP flags";
    EXPECT_TRUE(std::equal(f.begin() + long(l.l4), f.begin() + long(l.l4 + 4),
                           g.begin() + long(l.l4)));
    EXPECT_TRUE(std::equal(f.begin() + long(l.l4 + 8),
                           f.begin() + long(l.l4 + 13),
                           g.begin() + long(l.l4 + 8)));
    EXPECT_TRUE(std::equal(f.begin() + long(l.l4 + 14),
                           f.begin() + long(l.l4 + 16),
                           g.begin() + long(l.l4 + 14)));
    EXPECT_TRUE(std::equal(f.begin() + long(l.l4 + 18),
                           f.begin() + long(l.hlen), g.begin() + long(l.l4 + 18)));
    // The TCP checksum over the pseudo header
    uint32_t ph = l.v6 ? OnesSum(g, l.l3 + 8, l.l3 + 40)
                       : OnesSum(g, l.l3 + 12, l.l3 + 20);
    uint32_t sum = ph + 6 + uint32_t(g.size() - l.l4) + OnesSum(g, l.l4, g.size());
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    EXPECT_EQ(0xffffu, sum) << "TCP checksum";
    data.insert(data.end(), g.begin() + long(l.hlen), g.end());
  }
  EXPECT_TRUE(std::equal(f.begin() + long(l.hlen), f.end(), data.begin(),
                         data.end()))
      << "the payloads do not make up the packet's";
  return bytes;
}

using TsoParam = std::tuple<mock::IommuMode, Chip>;

std::string TsoName(const ::testing::TestParamInfo<TsoParam>& info) {
  return std::string(mock::ToString(std::get<0>(info.param))) + "_" +
         std::get<1>(info.param).name;
}

class TsoTest : public E2eFixture,
                public ::testing::WithParamInterface<TsoParam> {
 protected:
  void SetUp() override {
    SetUpVf(std::get<0>(GetParam()), std::get<1>(GetParam()));
  }
  const Chip& ThisChip() const { return std::get<1>(GetParam()); }
  bool HwTso() const { return ThisChip().cqe_rx2; }
  bool TailHeader() const { return ThisChip().tso_cqe_per_segment; }

  // The packet as the stack hands a TSO packet to the driver: headlen
  // bytes in the head, the rest in fragments, gso_size the MSS
  sk_buff* TsoSkb(const Bytes& f, const Layout& l, size_t mss, uint16_t q,
                  size_t headlen = 0, size_t fraglen = 4096) {
    sk_buff* skb = mock::TxSkb(f, headlen ? headlen : l.hlen, fraglen, q);
    if (!skb) return nullptr;
    skb->transport_header = uint16_t(skb->network_header + (l.l4 - l.l3));
    skb_shared_info* si = skb_shinfo(skb);
    size_t payload = f.size() - l.hlen;
    si->gso_size = uint16_t(mss);
    si->gso_segs = uint16_t(payload ? (payload + mss - 1) / mss : 1);
    si->gso_type = l.v6 ? SKB_GSO_TCPV6 : SKB_GSO_TCPV4;
    skb->ip_summed = CHECKSUM_PARTIAL;
    skb->csum_start = skb->transport_header;
    skb->csum_offset = 16;
    return skb;
  }

  void SendTso(const Bytes& f, const Layout& l, size_t mss, uint16_t q = 0,
               size_t headlen = 0, size_t fraglen = 4096) {
    sk_buff* skb = TsoSkb(f, l, mss, q, headlen, fraglen);
    ASSERT_NE(nullptr, skb);
    ASSERT_EQ(NETDEV_TX_OK, mock::Xmit(nd_, skb));
  }

  uint64_t BqlInFlight() {
    uint64_t n = 0;
    for (unsigned q = 0; q < nd_->real_num_tx_queues; q++)
      n += nd_->tx[q].bql_inflight;
    return n;
  }
};

TEST_P(TsoTest, TheChipsWithTsoOfferItOnByDefault) {
  netdev_features_t tso = NETIF_F_TSO | NETIF_F_TSO6;
  EXPECT_EQ(HwTso() ? tso : 0, nd_->hw_features & tso);
  EXPECT_EQ(HwTso() ? tso : 0, nd_->features & tso);
  EXPECT_EQ(HwTso() ? tso : 0, nd_->vlan_features & tso);
}

TEST_P(TsoTest, SegmentsEveryByteOfIpv4AndIpv6Packets) {
  Open();
  struct Case {
    bool v6;
    size_t payload, mss, headlen;
    uint8_t flags;
  };
  // Full and short last segments, a packet of one segment, payload in the
  // head as well as the fragments (the stack keeps every header in the
  // head of a GSO packet), a 64K-class packet
  const Case cases[] = {
      {false, 1460 * 4, 1460, 0, kAck | kPsh},
      {false, 20000, 1460, 200, kAck | kPsh | kFin | kCwr},
      {true, 1440 * 3 + 17, 1440, 0, kAck | kPsh | kFin},
      {true, 900, 1440, 120, kAck},
      {false, 60000, 1460, 0, kAck | kPsh},
      {true, 30000, 536, 100, kAck | kCwr},
  };
  uint64_t packets = 0, bytes = 0, n = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::Message() << (c.v6 ? "IPv6" : "IPv4") << " payload "
                                    << c.payload << " mss " << c.mss);
    Bytes f = TcpFrame(c.v6, c.payload, c.flags, -1, uint32_t(++n));
    Layout l = LayoutOf(f);
    vnic_->wire.clear();
    SendTso(f, l, c.mss, uint16_t(n % 2), c.headlen);
    Settle();
    bytes += ExpectSegmentsOf(f, l, c.mss, vnic_->wire);
    packets += vnic_->wire.size();
    // Looped back: the stack gets each segment as it was on the wire
    std::vector<Bytes> got = Received();
    EXPECT_EQ(vnic_->wire, got);
    FreeDelivered();
  }
  const uint64_t tsos = std::size(cases);
  EXPECT_EQ(packets, Stat("tx_packets"));
  EXPECT_EQ(bytes, Stat("tx_bytes"));
  EXPECT_EQ(packets, mock::Stats64(nd_).tx_packets);
  EXPECT_EQ(HwTso() ? tsos : 0u, Stat("tx_tso"));
  EXPECT_EQ(HwTso() ? 0u : tsos, mock::SoftwareGsoPackets());
  EXPECT_EQ(HwTso() ? packets : 0u, vnic_->tso_segments);
  // The completing headers are the VNIC's drops (as the in-tree driver's
  // comment on its own counter says); ethtool's hw_tx_drop leaves them out
  EXPECT_EQ(TailHeader() ? tsos : 0u,
            vnic_->Read64(NIC_VNIC_TX_STAT_0_4 + 8 * NIC_VNIC_TX_DROP));
  EXPECT_EQ(0u, Stat("hw_tx_drop"));
  EXPECT_EQ(0u, Stat("tx_cqe_bogus"));
  EXPECT_EQ(0u, Stat("tx_errors"));
  EXPECT_EQ(0u, BqlInFlight());
  mock::DevClose(nd_);
}

TEST_P(TsoTest, TaggedPacketsKeepTheirTagInEverySegment) {
  Open();
  for (bool v6 : {false, true}) {
    Bytes f = TcpFrame(v6, 5000, kAck | kPsh, /*vlan=*/0x123);
    Layout l = LayoutOf(f);
    ASSERT_EQ(kEth + kVlanTag, l.l3);
    vnic_->wire.clear();
    SendTso(f, l, 1000);
    Settle();
    ExpectSegmentsOf(f, l, 1000, vnic_->wire);
    // Received with the tag stripped into the skb, as the feature says
    ASSERT_EQ(vnic_->wire.size(), mock::Delivered().size());
    for (sk_buff* skb : mock::Delivered()) EXPECT_EQ(0x123, skb->vlan_tci);
    FreeDelivered();
  }
  mock::DevClose(nd_);
}

TEST_P(TsoTest, BqlAndTheCountersSeeTheWireBytes) {
  Open();
  vnic_->tx_auto = false;
  Bytes f = TcpFrame(false, 10000, kAck);
  Layout l = LayoutOf(f);
  SendTso(f, l, 1460);
  const size_t nseg = (10000 + 1459) / 1460;
  const uint64_t wire_bytes = f.size() + (nseg - 1) * l.hlen;
  // One header entry, or the stack's segments: what the wire will carry
  EXPECT_EQ(wire_bytes, BqlInFlight());
  vnic_->tx_auto = true;
  for (int q = 0; q < 2; q++) vnic_->ProcessSq(q);
  Settle();
  EXPECT_EQ(0u, BqlInFlight());
  EXPECT_EQ(wire_bytes, Stat("tx_bytes"));
  EXPECT_EQ(nseg, Stat("tx_packets"));
  FreeDelivered();
  mock::DevClose(nd_);
}

TEST_P(TsoTest, WhatTheHardwareCannotCutTheStackSegments) {
  Open();
  // IPv6 with a destination options header: TSO_START would have to
  // cover it and the checksum request cannot name TCP
  Bytes f = TcpFrame(true, 4000, kAck | kPsh);
  const size_t l3 = kEth, ext = 8;
  Bytes opt = {6, 0, 1, 4, 0, 0, 0, 0};  // next TCP, PadN
  f.insert(f.begin() + long(l3 + 40), opt.begin(), opt.end());
  f[l3 + 6] = 60;
  uint16_t plen = uint16_t(Get16(f, l3 + 4) + ext);
  f[l3 + 4] = uint8_t(plen >> 8);
  f[l3 + 5] = uint8_t(plen);
  Layout l = LayoutOf(f, ext);
  sk_buff* skb = TsoSkb(f, l, 1000, 0);
  ASSERT_NE(nullptr, skb);
  netdev_features_t left =
      nd_->netdev_ops->ndo_features_check(skb, nd_, nd_->features);
  EXPECT_EQ(0u, left & NETIF_F_GSO_MASK);
  ASSERT_EQ(NETDEV_TX_OK, mock::Xmit(nd_, skb));
  Settle();
  EXPECT_EQ(1u, mock::SoftwareGsoPackets());
  ExpectSegmentsOf(f, l, 1000, vnic_->wire);
  EXPECT_EQ(0u, Stat("tx_tso"));
  EXPECT_EQ(0u, Stat("tx_drop_tso"));
  FreeDelivered();

  // An MSS beyond TSO_MAX_PAYSIZE's 14 bits goes back to the stack too
  Bytes big = TcpFrame(false, 40000, kAck);
  Layout bl = LayoutOf(big);
  sk_buff* wide = TsoSkb(big, bl, 16384, 0);
  ASSERT_NE(nullptr, wide);
  left = nd_->netdev_ops->ndo_features_check(wide, nd_, nd_->features);
  EXPECT_EQ(0u, left & NETIF_F_GSO_MASK);
  EXPECT_EQ(nd_->features & ~NETIF_F_GSO_MASK, left & ~NETIF_F_GSO_MASK)
      << "only segmentation is taken away";
  skb_shinfo(wide)->gso_size = 16383;
  left = nd_->netdev_ops->ndo_features_check(wide, nd_, nd_->features);
  EXPECT_EQ(nd_->features, left) << "16383 fits";
  // ... and so does a packet whose checksum is not left to the device
  // (netif_needs_gso() lets a CHECKSUM_UNNECESSARY one by)
  wide->ip_summed = CHECKSUM_UNNECESSARY;
  left = nd_->netdev_ops->ndo_features_check(wide, nd_, nd_->features);
  EXPECT_EQ(0u, left & NETIF_F_GSO_MASK);
  kfree_skb(wide);
  mock::DevClose(nd_);
}

TEST_P(TsoTest, AnUnfitPacketGivenToXmitAnywayIsDroppedAndCounted) {
  Open();
  Bytes f = TcpFrame(false, 40000, kAck);
  Layout l = LayoutOf(f);
  sk_buff* skb = TsoSkb(f, l, 16384, 0);
  ASSERT_NE(nullptr, skb);
  // Past ndo_features_check: straight into the driver
  ASSERT_EQ(NETDEV_TX_OK, nd_->netdev_ops->ndo_start_xmit(skb, nd_));
  Settle();
  EXPECT_EQ(1u, Stat("tx_drop_tso"));
  EXPECT_EQ(1u, mock::Stats64(nd_).tx_dropped);
  EXPECT_TRUE(vnic_->wire.empty());
  EXPECT_EQ(0u, BqlInFlight());
  // ... and the queue goes on
  SendTso(f, l, 1460);
  Settle();
  EXPECT_EQ((40000u + 1459) / 1460, vnic_->wire.size());
  FreeDelivered();
  mock::DevClose(nd_);
}

TEST_P(TsoTest, AFullQueueOfTsoPacketsStopsAndDrains) {
  // The stack's segments are plain packets: E2eTest's full-queue test
  // has those (and this mock does not requeue a packet's last segments)
  if (!HwTso()) GTEST_SKIP() << "no TSO packet reaches the queue";
  Open();
  vnic_->tx_auto = false;
  Bytes f = TcpFrame(false, 16 * 1460, kAck | kPsh);
  Layout l = LayoutOf(f);
  int sent = 0;
  // One fragment per segment: each packet takes 18 or 20 entries
  for (int i = 0; i < 4096 && !nd_->tx[0].stopped; i++) {
    sk_buff* skb = TsoSkb(f, l, 1460, 0, 0, 1460);
    ASSERT_NE(nullptr, skb);
    ASSERT_EQ(NETDEV_TX_OK, mock::Xmit(nd_, skb));
    sent++;
  }
  ASSERT_TRUE(nd_->tx[0].stopped) << "the queue never filled";
  vnic_->tx_auto = true;
  vnic_->ProcessSq(0);
  Settle();
  EXPECT_FALSE(nd_->tx[0].stopped);
  const uint64_t segs = uint64_t(sent) * 16;
  EXPECT_EQ(segs, Stat("tx_packets"));
  EXPECT_EQ(segs, mock::Delivered().size() + Stat("rx_drop_nomem"));
  EXPECT_EQ(0u, BqlInFlight());
  EXPECT_EQ(0u, Stat("tx_cqe_bogus"));
  FreeDelivered();
  mock::DevClose(nd_);
}

// CN88xx pass 2 only: the packet's own header posts no CQE_SEND, but the
// hardware posts one on an error; the packet stays until its completing
// header's CQE, then counts as one error, not as sent
TEST_P(TsoTest, AnErrorOnTheFirstHeaderWaitsForTheCompletingOne) {
  if (!TailHeader()) GTEST_SKIP() << "only CN88xx pass 2 ends a packet so";
  Open();
  vnic_->tx_auto = false;
  Bytes f = TcpFrame(true, 3000, kAck);
  Layout l = LayoutOf(f);
  uint32_t head = nic_->sq[0].tail;
  SendTso(f, l, 1440);
  const uint64_t inflight = BqlInFlight();
  ASSERT_GT(inflight, 0u);
  ASSERT_TRUE(vnic_->WriteCqeSend(0, head, 0x84));  // DATA_FAULT
  Settle();
  EXPECT_EQ(1u, Stat("tx_errors"));
  EXPECT_EQ(inflight, BqlInFlight()) << "freed while the device reads it";
  // A success naming that header is nothing we asked for
  ASSERT_TRUE(vnic_->WriteCqeSend(0, head, 0));
  Settle();
  EXPECT_EQ(1u, Stat("tx_cqe_bogus"));
  EXPECT_EQ(inflight, BqlInFlight());
  vnic_->tx_auto = true;
  vnic_->ProcessSq(0);
  Settle();
  EXPECT_EQ(0u, BqlInFlight());
  EXPECT_EQ(1u, Stat("tx_errors"));
  EXPECT_EQ(0u, Stat("tx_packets"));
  EXPECT_EQ(0u, Stat("tx_tso"));
  FreeDelivered();
  mock::DevClose(nd_);
}

INSTANTIATE_TEST_SUITE_P(
    AllModes, TsoTest,
    ::testing::Combine(::testing::ValuesIn(mock::AllIommuModes()),
                       ::testing::Values(kCn88xxPass2, kCn81xx, kCn88xxPass1)),
    TsoName);

}  // namespace
}  // namespace nicvf_test
