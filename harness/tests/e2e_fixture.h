// SPDX-License-Identifier: GPL-2.0-only
// Shared by the end-to-end and fault-injection suites: frames built and
// checked independently of the model, and a fixture that brings the whole
// VF up with two queues and loopback.
#pragma once
#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/vf_fixture.h"

extern "C" {
extern void* mock_param_queues;
extern void* mock_param_rbdr_len;
extern void* mock_param_cq_len;
extern void* mock_param_sq_len;
extern const char* mock_param_desc_queues;
extern const char* mock_param_desc_rbdr_len;
extern const char* mock_param_desc_cq_len;
extern const char* mock_param_desc_sq_len;
}

namespace nicvf_test {

using Bytes = std::vector<uint8_t>;

// A module parameter; mock::Reset() (in Start()) sets each back to its
// default, so a test sets them after Start() and before Load().
inline unsigned& Param(void* p) { return *static_cast<unsigned*>(p); }

// --- Frames, built and checked independently of the model ------------------

inline uint16_t Fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return uint16_t(sum);
}

inline uint32_t Sum(const Bytes& b, size_t from, size_t to) {
  uint32_t s = 0;
  for (size_t i = from; i < to; i += 2)
    s += uint32_t(b[i] << 8 | (i + 1 < to ? b[i + 1] : 0));
  return s;
}

inline void Put16(Bytes& b, size_t at, uint16_t v) {
  b[at] = uint8_t(v >> 8);
  b[at + 1] = uint8_t(v);
}

struct FrameSpec {
  size_t len = 128;       // whole frame, without any VLAN tag
  bool v6 = false;
  uint8_t proto = 17;     // 17 UDP, 6 TCP
  uint16_t sport = 1000, dport = 2000;
  int vlan = -1;          // TCI, or none
  uint32_t seed = 1;
  bool good_csum = true;
};

inline constexpr uint8_t kOurMac[6] = {0x02, 0x1f, 0xb7, 0x00, 0x00, 0x03};

// An Ethernet/IP/UDP-or-TCP frame with valid checksums (unless told not).
inline Bytes MakeFrame(const FrameSpec& s) {
  size_t l3 = 14, l4 = l3 + (s.v6 ? 40 : 20);
  size_t l4hdr = s.proto == 6 ? 20 : 8;
  Bytes f(std::max(s.len, l4 + l4hdr), 0);
  memcpy(f.data(), kOurMac, 6);
  const uint8_t src[6] = {0x02, 0, 0, 0, 0, 0x77};
  memcpy(f.data() + 6, src, 6);
  Put16(f, 12, s.v6 ? 0x86dd : 0x0800);
  uint32_t x = s.seed * 2654435761u + 7;
  for (size_t i = l4 + l4hdr; i < f.size(); i++) {
    x = x * 1103515245u + 12345;
    f[i] = uint8_t(x >> 16);
  }
  size_t l4len = f.size() - l4;
  if (s.v6) {
    f[l3] = 0x60;
    Put16(f, l3 + 4, uint16_t(l4len));
    f[l3 + 6] = s.proto;
    f[l3 + 7] = 64;
    for (int i = 0; i < 16; i++) f[l3 + 8 + i] = uint8_t(0x20 + i + s.seed);
    for (int i = 0; i < 16; i++) f[l3 + 24 + i] = uint8_t(0x30 + i);
  } else {
    f[l3] = 0x45;
    Put16(f, l3 + 2, uint16_t(f.size() - l3));
    f[l3 + 8] = 64;
    f[l3 + 9] = s.proto;
    const uint8_t a[8] = {10, 0, 0, uint8_t(s.seed), 10, 0, 0, 2};
    memcpy(&f[l3 + 12], a, 8);
    Put16(f, l3 + 10, uint16_t(~Fold(Sum(f, l3, l4))));
  }
  Put16(f, l4, s.sport);
  Put16(f, l4 + 2, s.dport);
  if (s.proto == 17) Put16(f, l4 + 4, uint16_t(l4len));
  else f[l4 + 12] = 0x50;
  // The L4 checksum over the pseudo header
  uint32_t ph = s.v6 ? Sum(f, l3 + 8, l3 + 40) : Sum(f, l3 + 12, l3 + 20);
  ph += s.proto + uint32_t(l4len);
  size_t at = l4 + (s.proto == 6 ? 16 : 6);
  uint16_t c = uint16_t(~Fold(ph + Sum(f, l4, f.size())));
  if (s.proto == 17 && !c) c = 0xffff;
  Put16(f, at, s.good_csum ? c : uint16_t(c ^ 0x5a5a));
  if (s.vlan >= 0) {
    uint8_t tag[4] = {0x81, 0x00, uint8_t(s.vlan >> 8), uint8_t(s.vlan)};
    f.insert(f.begin() + 12, tag, tag + 4);
  }
  return f;
}

// Whether the frame's IPv4 header and TCP/UDP checksums hold
inline bool ChecksumsHold(const Bytes& f) {
  size_t l3 = 14;
  bool v6 = f[12] == 0x86 && f[13] == 0xdd;
  if (!v6 && Fold(Sum(f, l3, l3 + 20)) != 0xffff) return false;
  size_t l4 = l3 + (v6 ? 40 : 20);
  uint8_t proto = v6 ? f[l3 + 6] : f[l3 + 9];
  uint32_t ph = v6 ? Sum(f, l3 + 8, l3 + 40) : Sum(f, l3 + 12, l3 + 20);
  ph += proto + uint32_t(f.size() - l4);
  return Fold(ph + Sum(f, l4, f.size())) == 0xffff;
}

// The frame an sk_buff carries, from its Ethernet header on
inline Bytes RxBytes(const sk_buff* skb) {
  Bytes out(skb_mac_header(skb), skb->data);
  Bytes rest = mock::SkbBytes(skb);
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

// --- Fixture -----------------------------------------------------------------

// Two queues, small rings, link up, the device looping sends back
class E2eFixture : public VfFixture {
 protected:
  void SetUpVf(mock::IommuMode mode) {
    Start(mode);
    Param(mock_param_queues) = 2;
    Param(mock_param_rbdr_len) = NICVF_RBDR_LEN_MIN;
    Param(mock_param_cq_len) = NICVF_CQ_LEN_DEFAULT;
    Param(mock_param_sq_len) = NICVF_SQ_LEN_MIN;
    pf_->link_up = true;
    pf_->speed = 10000;
    pf_->duplex = 1;
    vnic_->loopback = true;
    Load();
    ASSERT_TRUE(mock::PciBound());
    nd_ = mock::Netdev();
    ASSERT_NE(nullptr, nd_);
    nic_ = Nic();
  }

  // ip link set up, and the first link poll
  void Open() {
    ASSERT_EQ(0, mock::DevOpen(nd_));
    mock::RunWork();
    ASSERT_TRUE(netif_carrier_ok(nd_));
  }

  // Send one frame on queue q: head of headlen bytes, the rest in frags
  void Send(const Bytes& frame, uint16_t q, size_t headlen = 256,
            size_t fraglen = 1024, bool partial = false) {
    sk_buff* skb = mock::TxSkb(frame, headlen, fraglen, q);
    ASSERT_NE(nullptr, skb);
    if (partial) {
      skb->ip_summed = CHECKSUM_PARTIAL;
      skb->csum_start = skb->transport_header;
      uint8_t proto = frame[12] == 0x86 ? frame[20] : frame[23];
      skb->csum_offset = proto == 6 ? 16 : 6;
    }
    ASSERT_EQ(NETDEV_TX_OK, mock::Xmit(nd_, skb));
  }

  // The softirq, the device's timers and the workqueue until nothing is
  // left to do
  void Settle() {
    mock::RunNapi();
    for (int i = 0; i < 100 && (mock::SoftirqPending() || mock::RunWork()); i++)
      mock::RunNapi();
  }

  // Traffic still flows: one minimal frame sent on queue q comes back
  // through the loopback and is delivered, then freed
  void ExpectOneFrameThrough(uint16_t q) {
    Send(MakeFrame({}), q);
    Settle();
    EXPECT_EQ(1u, mock::Delivered().size());
    FreeDelivered();
  }

  std::vector<Bytes> Received() {
    std::vector<Bytes> out;
    for (sk_buff* skb : mock::Delivered()) out.push_back(RxBytes(skb));
    return out;
  }

  uint64_t Stat(const std::string& name) { return mock::EthtoolStat(nd_, name); }

  // A device that keeps working while the driver reconfigures it: after
  // every stride-th register write the driver makes, until `quota` frames
  // have arrived, a frame arrives on each queue and each send queue sends
  // one more packet, for as long as the queues are enabled.
  void KeepBusy(int stride = 1, uint32_t quota = UINT32_MAX) {
    busy_writes_ = 0;
    busy_arrived_ = 0;
    vnic_->after_write = [this, stride, quota](uint64_t) {
      if (++busy_writes_ % stride || busy_arrived_ >= quota) return;
      for (int q = 0; q < 2; q++) {
        FrameSpec s;
        s.seed = 1000000 + busy_frames_++;
        busy_arrived_ += vnic_->Receive(q, MakeFrame(s)).posted;
        vnic_->ProcessSq(q, 1);
      }
    };
  }

  // The device idle again; returns the frames that arrived meanwhile.
  uint32_t StopBusy() {
    vnic_->after_write = nullptr;
    return busy_arrived_;
  }

  int busy_writes_ = 0;
  uint32_t busy_arrived_ = 0, busy_frames_ = 0;

  net_device* nd_ = nullptr;
  struct nicvf* nic_ = nullptr;
};

}  // namespace nicvf_test
