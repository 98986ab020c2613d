// SPDX-License-Identifier: GPL-2.0-only
#include "testlib/frame.h"

#include <algorithm>
#include <cstring>

#include "mock/mock.h"

namespace testlib {
namespace {

constexpr size_t kEthHlen = 14;

uint16_t Fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return uint16_t(sum);
}

uint32_t Sum(const Bytes& b, size_t from, size_t to) {
  uint32_t s = 0;
  for (size_t i = from; i < to; i += 2)
    s += uint32_t(b[i] << 8 | (i + 1 < to ? b[i + 1] : 0));
  return s;
}

void Put16(Bytes& b, size_t at, uint16_t v) {
  b[at] = uint8_t(v >> 8);
  b[at + 1] = uint8_t(v);
}

// f[from..] from a generator seeded with seed
void Fill(Bytes& f, size_t from, uint32_t seed) {
  uint32_t x = seed * 2654435761u + 12345;
  for (size_t i = from; i < f.size(); i++) {
    x = x * 1103515245u + 12345;
    f[i] = uint8_t(x >> 16);
  }
}

// What fits of the Ethernet header at the start of f
void EthHeader(Bytes& f, const uint8_t* dst, uint16_t type) {
  uint8_t h[kEthHlen];
  memcpy(h, dst, 6);
  memcpy(h + 6, kPeerMac, 6);
  h[12] = uint8_t(type >> 8);
  h[13] = uint8_t(type);
  memcpy(f.data(), h, std::min(f.size(), kEthHlen));
}

}  // namespace

Bytes PatternFrame(size_t len, uint32_t seed, const uint8_t* dst,
                   uint16_t type) {
  Bytes f(len);
  Fill(f, kEthHlen, seed);
  EthHeader(f, dst, type);
  return f;
}

Bytes MakeFrame(const FrameSpec& s) {
  size_t l3 = kEthHlen, l4 = l3 + (s.v6 ? 40 : 20);
  size_t l4hdr = s.proto == 6 ? 20 : 8;
  Bytes f(std::max(s.len, l4 + l4hdr), 0);
  EthHeader(f, kOurMac, s.v6 ? kEthIpv6 : kEthIpv4);
  Fill(f, l4 + l4hdr, s.seed);
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
    uint8_t tag[4] = {uint8_t(kEthVlan >> 8), uint8_t(kEthVlan),
                      uint8_t(s.vlan >> 8), uint8_t(s.vlan)};
    f.insert(f.begin() + 12, tag, tag + 4);
  }
  return f;
}

bool ChecksumsHold(const Bytes& f) {
  size_t l3 = kEthHlen;
  bool v6 = f[12] == 0x86 && f[13] == 0xdd;
  if (!v6 && Fold(Sum(f, l3, l3 + 20)) != 0xffff) return false;
  size_t l4 = l3 + (v6 ? 40 : 20);
  uint8_t proto = v6 ? f[l3 + 6] : f[l3 + 9];
  uint32_t ph = v6 ? Sum(f, l3 + 8, l3 + 40) : Sum(f, l3 + 12, l3 + 20);
  ph += proto + uint32_t(f.size() - l4);
  return Fold(ph + Sum(f, l4, f.size())) == 0xffff;
}

Bytes FrameBytes(const sk_buff* skb) {
  Bytes out(skb_mac_header(skb), skb->data);
  Bytes rest = mock::SkbBytes(skb);
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

}  // namespace testlib
