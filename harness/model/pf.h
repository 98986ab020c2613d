// SPDX-License-Identifier: GPL-2.0-only
// The PF's side of the mailbox, as the in-tree nicpf driver behaves: READY
// is answered with the VF's identity and MAC, RSS_SIZE with the table
// size, BGX_LINK_CHANGE with the link state, everything else with ACK.
// It can be told to stay silent or to NACK chosen messages. Message
// layouts are decoded here with their own offsets, independent of the
// driver's header.
#pragma once

#include <array>
#include <cstdint>
#include <set>
#include <vector>

#include "model/vnic.h"

namespace model {

class Pf {
 public:
  using Msg = Vnic::MbxMsg;

  // Message types, as nicpf numbers them.
  static constexpr uint8_t kReady = 0x01, kAck = 0x02, kNack = 0x03,
                           kQsCfg = 0x04, kRqCfg = 0x05, kSqCfg = 0x06,
                           kRqDropCfg = 0x07, kSetMac = 0x08,
                           kSetMaxFrs = 0x09, kCpiCfg = 0x0a,
                           kRssSize = 0x0b, kRssCfg = 0x0c,
                           kRssCfgCont = 0x0d, kRqBpCfg = 0x0e,
                           kLinkChange = 0x11, kCfgDone = 0xf0,
                           kShutdown = 0xf1;

  explicit Pf(Vnic* vnic);
  ~Pf();

  // Behaviour
  bool silent = false;             // answer nothing
  std::set<uint8_t> nack;          // answer these types with NACK
  int answer_with = -1;            // >= 0: answer everything with this type

  // What READY and the queries answer
  uint8_t vf_id = 3;
  uint8_t node = 0;
  bool tns_mode = false, sqs_mode = false, loopback = true;
  std::array<uint8_t, 6> mac = {0x02, 0x1f, 0xb7, 0x00, 0x00, 0x03};
  uint16_t rss_size = 64;
  bool link_up = false;
  uint8_t duplex = 0, mac_type = 0;
  uint32_t speed = 0;

  // Every message the VF sent, in order.
  std::vector<Msg> received;
  std::vector<uint8_t> Types() const;

  // An unsolicited message to the VF.
  void Send(const Msg& m) { vnic_->PfSend(m); }
  Msg LinkMsg() const;

  // Little-endian field readers for the tests.
  static uint64_t Le(const Msg& m, int off, int bytes);

 private:
  void OnMessage(const Msg& m);
  Vnic* vnic_;
};

}  // namespace model
