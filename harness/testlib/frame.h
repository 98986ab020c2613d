// SPDX-License-Identifier: GPL-2.0-only
// Frames for the tests, the benchmark and the fuzz target, built and read
// back independently of the device model (which parses what it receives,
// and so must not be what checks it): the addresses they use, a builder
// for Ethernet frames (patterns, or IPv4/IPv6 TCP/UDP packets with real
// checksums) and a reader of the frame an sk_buff carries.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/pf.h"

struct sk_buff;

namespace testlib {

using Bytes = std::vector<uint8_t>;

// --- Addresses ---------------------------------------------------------------

// Ours: the MAC the PF model's firmware gives the VF in READY, which the
// model's DMAC filter passes; the rigs' own net_device has it too, so a
// frame to it is PACKET_HOST everywhere. (harness/fuzz/seeds.py writes
// its frames to the same address.)
inline constexpr const uint8_t* kOurMac = model::Pf::kFirmwareMac.data();
// The sender of every frame built here
inline constexpr uint8_t kPeerMac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x77};
inline constexpr uint8_t kBroadcastMac[6] = {0xff, 0xff, 0xff,
                                             0xff, 0xff, 0xff};

// EtherTypes
inline constexpr uint16_t kEthIpv4 = 0x0800, kEthIpv6 = 0x86dd,
                          kEthVlan = 0x8100, kEthLocal = 0x88b5;

// --- Building ----------------------------------------------------------------

// An Ethernet header (to dst from kPeerMac, of EtherType type), then bytes
// of a pattern drawn from seed: no packet the model's parser recognises
// unless type says IP. len is the whole frame; under 14 bytes, what fits
// of the header.
Bytes PatternFrame(size_t len, uint32_t seed, const uint8_t* dst = kOurMac,
                   uint16_t type = kEthIpv4);

struct FrameSpec {
  size_t len = 128;       // whole frame, without any VLAN tag
  bool v6 = false;
  uint8_t proto = 17;     // 17 UDP, 6 TCP
  uint16_t sport = 1000, dport = 2000;
  int vlan = -1;          // TCI, or none
  uint32_t seed = 1;      // the payload's pattern, and the addresses
  bool good_csum = true;
};

// An Ethernet/IP/UDP-or-TCP frame to kOurMac with valid checksums (unless
// told not), the payload a pattern drawn from the seed. At least the
// headers long, whatever len says.
Bytes MakeFrame(const FrameSpec& s);

// Whether the frame's IPv4 header and TCP/UDP checksums hold
bool ChecksumsHold(const Bytes& f);

// --- Reading -----------------------------------------------------------------

// The frame an sk_buff carries: from its Ethernet header (which the
// driver's eth_type_trans() pulled) through the head and every fragment
Bytes FrameBytes(const sk_buff* skb);

}  // namespace testlib
