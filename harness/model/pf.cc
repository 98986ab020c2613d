// SPDX-License-Identifier: GPL-2.0-only
#include "model/pf.h"

namespace model {

Pf::Pf(Vnic* vnic) : vnic_(vnic) {
  vnic_->on_vf_mailbox = [this](const Msg& m) { OnMessage(m); };
}

Pf::~Pf() { vnic_->on_vf_mailbox = nullptr; }

uint64_t Pf::Le(const Msg& m, int off, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; i--) v = v << 8 | m[off + i];
  return v;
}

std::vector<uint8_t> Pf::Types() const {
  std::vector<uint8_t> t;
  for (const Msg& m : received) t.push_back(m[0]);
  return t;
}

Pf::Msg Pf::LinkMsg() const {
  Msg r{};
  r[0] = kLinkChange;
  r[1] = mac_type;
  r[2] = link_up;
  r[3] = duplex;
  for (int i = 0; i < 4; i++) r[4 + i] = uint8_t(speed >> (8 * i));
  return r;
}

void Pf::OnMessage(const Msg& m) {
  received.push_back(m);
  // A lost message or answer: the VF sees a mailbox timeout
  if (silent || mock::ShouldFail(mock::Fault::kMailbox)) return;
  Msg r{};
  if (answer_with >= 0) {
    r[0] = uint8_t(answer_with);
  } else if (nack.count(m[0])) {
    r[0] = kNack;
  } else if (m[0] == kReady) {
    r[0] = kReady;
    r[1] = vf_id;
    r[2] = node;
    r[3] = (tns_mode ? 1 : 0) | (sqs_mode ? 2 : 0) | (loopback ? 4 : 0);
    for (int i = 0; i < 6; i++) r[4 + i] = mac[i];
  } else if (m[0] == kRssSize) {
    r[0] = kRssSize;
    r[1] = vf_id;
    r[2] = uint8_t(rss_size);
    r[3] = uint8_t(rss_size >> 8);
  } else if (m[0] == kLinkChange) {
    r = LinkMsg();
  } else {
    r[0] = kAck;
  }
  vnic_->PfSend(r);
}

}  // namespace model
