// SPDX-License-Identifier: GPL-2.0-only
// libFuzzer target: the send side, with the fuzzer as both the stack and
// the device. Each input brings a send queue up on the simulated VNIC
// (with the TSO behaviour of the chip the input picks: none, one CQE per
// packet, or CN88xx pass 2's completing header, and a device that writes a
// CQE_SEND per TSO segment or not), paired with a CQ, then plays records:
//
// - the stack sends a packet: IPv4/IPv6, TCP/UDP, tagged or not, of any
//   length, split between head and fragments as the input says, with or
//   without a checksum request, and GSO requests of any MSS, type and
//   segment count (consistent or not), given to the driver whether or not
//   its ndo_features_check() would have let them by; the stack's own
//   rules hold (every header of a GSO packet in the head, a stopped queue
//   not called);
// - the device sends up to N of the packets it was rung for;
// - the device writes a CQE_SEND of its own: any entry, any status, bits
//   flipped; it never claims a packet done that it has not read (nothing
//   could stop the DMA that would follow; so NAPI takes what the CQ holds
//   before it and it at once, while the packet it names is the one the
//   guard saw), but repeats, late and
//   bogus completions, and an error CQE for a completing header's packet,
//   are all allowed;
// - NAPI polls with any budget; the next few DMA mappings fail.
//
// Then the device sends what is left and NAPI drains the CQ: every packet
// must have completed (BQL back to zero, the ring empty), unless the
// device itself stalled. The queue is stopped and freed, and the input
// fails if a mock saw API misuse, if an sk_buff or a DMA mapping is left,
// or if the counters disagree with what was sent.
//
// Input: byte 0: bits 0-1 the TSO mode, bit 2 the device's CQE per TSO
// segment, bit 3 the device sends at the doorbell; then records.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "fuzz/fuzz_common.h"
#include "kunit/vnic_hw.h"
#include "mock/mock.h"
#include "model/vnic.h"
#include "testlib/frame.h"
#include "testlib/rig.h"

extern "C" {
#include "nicvf_queues.h"
#include "nicvf_sq.h"
}

namespace {

using fuzz::Fail;
using fuzz::Input;

// What outlives an input: the machine's RBDR (a CQ needs one) and the
// net_device whose transmit queue the SQ feeds
struct Tx {
  testlib::RxRig rig;
  net_device* nd = nullptr;
};

Tx& T() {
  static Tx tx;
  return tx;
}

void Check(const char* when) {
  if (!mock::Violations().empty()) Fail(when, mock::Violations());
}

size_t Mappings() {
  return reinterpret_cast<mock_device*>(mock::Dev())->mappings.size();
}

void TearDown() {
  Tx& t = T();
  if (t.nd) free_netdev(t.nd);
  t.nd = nullptr;
  t.rig.Down();
  Check("API misuse at teardown");
  std::vector<std::string> left = mock::Outstanding();
  if (!left.empty()) Fail("left over after teardown", left);
}

// A packet as the stack would hand it over
sk_buff* Packet(Input& in, bool* gso) {
  uint8_t how = in.Byte();
  testlib::FrameSpec s;
  s.v6 = how & 1;
  s.proto = how & 2 ? 6 : 17;
  s.vlan = how & 4 ? int(in.Byte()) : -1;
  s.len = 15 + in.U16() % 9000;
  s.seed = in.Byte();
  testlib::Bytes f = testlib::MakeFrame(s);
  // The input's bytes over the start of the payload
  size_t hdrs = 14 + (s.vlan >= 0 ? 4 : 0) + (s.v6 ? 40 : 20) +
                (s.proto == 6 ? 20 : 8);
  size_t given = in.Byte() % 32;
  for (size_t i = 0; i < given && hdrs + i < f.size(); i++)
    f[hdrs + i] = in.Byte();
  size_t headlen = in.U16() % (f.size() + 1);
  size_t fraglen = 64 + in.U16() % 4096;
  *gso = s.proto == 6 && (how & 8) && f.size() > hdrs;
  // The stack's rules: a GSO packet's headers, and the field a checksum
  // request names, are in the head
  if (*gso || (how & 16)) headlen = std::max(headlen, std::min(hdrs, f.size()));
  // At most MAX_SKB_FRAGS fragments: what does not fit goes in the head
  size_t rest = f.size() - headlen;
  size_t frags = (rest + fraglen - 1) / fraglen;
  if (frags > MAX_SKB_FRAGS) fraglen = (rest + MAX_SKB_FRAGS - 1) / MAX_SKB_FRAGS;
  if (fraglen > PAGE_SIZE) {
    fraglen = PAGE_SIZE;
    headlen = f.size() - std::min(rest, size_t(MAX_SKB_FRAGS) * PAGE_SIZE);
  }
  if (headlen + 2 + 512 > PAGE_SIZE) return nullptr;  // no room for the head
  sk_buff* skb = mock::TxSkb(f, headlen, fraglen, 0);
  if (!skb) return nullptr;
  if (how & 16) {
    skb->ip_summed = CHECKSUM_PARTIAL;
    skb->csum_start = skb->transport_header;
    skb->csum_offset = s.proto == 6 ? 16 : 6;
  }
  if (*gso) {
    skb_shared_info* si = skb_shinfo(skb);
    si->gso_size = in.U16();
    if (!si->gso_size) si->gso_size = 1;
    size_t payload = f.size() - hdrs;
    si->gso_segs = uint16_t(how & 32 ? in.U16()
                                     : (payload + si->gso_size - 1) / si->gso_size);
    static const unsigned extra[] = {0, SKB_GSO_TCP_ECN, SKB_GSO_TCP_FIXEDID,
                                     SKB_GSO_DODGY, SKB_GSO_UDP_L4};
    si->gso_type = (how & 64 ? SKB_GSO_TCPV6 : SKB_GSO_TCPV4) |
                   extra[in.Byte() % 5];
    if (!(how & 128)) {  // the stack's own choices
      si->gso_type = (s.v6 ? SKB_GSO_TCPV6 : SKB_GSO_TCPV4) |
                     (si->gso_type & ~unsigned(SKB_GSO_TCPV4 | SKB_GSO_TCPV6));
      skb->ip_summed = CHECKSUM_PARTIAL;
      skb->csum_start = skb->transport_header;
      skb->csum_offset = 16;
    }
  }
  return skb;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const mock::IommuMode mode = fuzz::ModeFromEnv("fuzz_tx");
  static bool machine = false;
  Tx& t = T();
  if (!machine) {
    mock::Reset(mode, 64u << 20);
    t.rig.NewVnic(true);
    if (t.rig.UpRbdr(NICVF_RBDR_LEN_MIN, NICVF_RX_BUF_LEN_DEFAULT))
      Fail("RBDR bring-up failed", mock::Violations());
    t.rig.EnableRbdr();
    t.nd = alloc_etherdev_mqs(0, 1, 1);
    t.nd->running = true;
    t.nd->carrier = true;
    atexit(TearDown);
    machine = true;
  }
  testlib::MockedVnic* vnic = t.rig.vnic();
  net_device* nd = t.nd;

  Input in(data, size);
  uint8_t setup = in.Byte();
  const size_t maps_before = Mappings();
  nicvf_sq sq;
  if (nicvf_sq_init(&sq, mock::Dev(), vnic->bar0(), 0, NICVF_SQ_LEN_MIN, nd))
    Fail("SQ bring-up failed", mock::Violations());
  sq.tso = uint8_t(std::min(setup & 3, int(NICVF_TSO_HW_TAIL)));
  sq.cq_limit = uint8_t(NICVF_CQ_PIPELINE_RSVD * 256 / NICVF_CQ_LEN_MIN);
  vnic->tso_cqe_per_segment = setup & 4;
  vnic->tx_auto = setup & 8;
  vnic->loopback = false;
  if (t.rig.AddCq(NICVF_CQ_LEN_MIN))
    Fail("CQ bring-up failed", mock::Violations());
  nicvf_cq& cq = t.rig.cq(0);
  cq.sq = &sq;
  nicvf_sq_enable(&sq);
  netdev_queue* txq = &nd->tx[0];
  const uint32_t mask = sq.ring_len - 1;
  uint64_t given = 0, drops_seen = 0;

  auto poll = [&](int budget) {
    nicvf_cq_poll(&cq, &t.rig.napi(), budget);
    mock::FreeDelivered();  // (a bit flip can make a CQE_RX)
  };
  auto device_head = [&]() {
    return uint32_t(vnic->Read64(0x010828) >> 4) & mask;  // SQ_HEAD
  };
  for (int rec = 0; rec < 64 && !in.empty(); rec++) {
    switch (in.Byte() % 5) {
      case 0: {
        bool gso = false;
        bool more = in.Byte() & 1;
        sk_buff* skb = Packet(in, &gso);
        if (!skb) break;
        if (txq->stopped) {  // the stack holds it
          kfree_skb(skb);
          break;
        }
        given++;
        mock::SetXmitMore(more);
        netdev_tx_t r = nicvf_sq_xmit(&sq, skb);
        mock::SetXmitMore(false);
        if (r != NETDEV_TX_OK) {
          if (r != NETDEV_TX_BUSY || !txq->stopped)
            Fail("xmit refused a packet without stopping its queue", {});
          given--;
          kfree_skb(skb);
        }
        break;
      }
      case 1:
        vnic->ProcessSq(0, in.Byte() % 8);
        break;
      case 2: {
        // What the CQ holds first: the packet the guard below sees at the
        // head is then the one this CQE would complete
        for (int i = 0; i < 64 && vnic->CqCount(0); i++) poll(NAPI_POLL_WEIGHT);
        uint8_t how = in.Byte();
        uint32_t idx = how & 1 ? in.U16() : (sq.head + in.Byte() % 24) & mask;
        uint8_t status = how & 2 ? in.Byte() : 0;
        const nicvf_sq_ent& e = sq.ent[sq.head];
        uint32_t done_at = e.tail ? (sq.head + e.count - 1) & mask : sq.head;
        // Never "done" for a packet the device has not read
        if (e.skb && idx == done_at && device_head() == sq.head) break;
        model::Cqe c{};
        c[0] = uint64_t(VNIC_CQE_TYPE_SEND) << VNIC_CQE_TYPE_SHIFT |
               uint64_t(idx & 0xffff) << VNIC_CQE_SEND_SQE_PTR_SHIFT | status;
        if (how & 4) c[0] ^= uint64_t(in.Byte()) << (in.Byte() % 56);
        if (uint32_t(c[0] >> VNIC_CQE_TYPE_SHIFT & 0xf) != VNIC_CQE_TYPE_SEND)
          break;  // a flip made it another kind: the RX target's work
        uint32_t named = uint32_t(c[0] >> VNIC_CQE_SEND_SQE_PTR_SHIFT) & 0xffff;
        if (e.skb && named == done_at && device_head() == sq.head) break;
        // Taken at once: left in the CQ, it could name a packet sent after
        // it, which the device has not read
        vnic->WriteCqe(0, c);
        for (int i = 0; i < 64 && vnic->CqCount(0); i++) poll(NAPI_POLL_WEIGHT);
        break;
      }
      case 3:
        poll(in.Byte() % (NAPI_POLL_WEIGHT + 1));
        break;
      case 4: {
        mock::FaultPlan plan;
        plan.after = in.Byte() % 8;
        plan.every = 1;
        plan.limit = 1 + in.Byte() % 4;
        mock::InjectFaults(mock::Fault::kDmaMap, plan);
        break;
      }
    }
  }
  mock::StopAllFaults();
  // The stack's last packet rings for every one xmit_more held back
  // (a stopped queue rang when it stopped); the device sends the rest,
  // NAPI takes every completion
  if (sq.pending && !txq->stopped) {
    testlib::FrameSpec last;
    sk_buff* skb = mock::TxSkb(testlib::MakeFrame(last), 64, 64, 0);
    if (nicvf_sq_xmit(&sq, skb) != NETDEV_TX_OK) kfree_skb(skb);
    given++;
  }
  for (int i = 0; i < 256 && (vnic->SqPending(0) || vnic->CqCount(0)); i++) {
    vnic->ProcessSq(0);
    poll(NAPI_POLL_WEIGHT);
  }
  poll(NAPI_POLL_WEIGHT);
  nicvf_qstats st;
  nicvf_sq_stats(&sq, &st);
  for (int d = 0; d < NICVF_TX_DROP_NR; d++) drops_seen += st.tx_drops[d];
  bool stalled = vnic->SqPending(0) != 0;
  if (!stalled && (sq.head != sq.tail || txq->bql_inflight))
    Fail("packets the device sent never completed",
         {"head " + std::to_string(sq.head) + " tail " +
          std::to_string(sq.tail) + ", BQL " +
          std::to_string(txq->bql_inflight)});
  if (drops_seen > given) Fail("more drops than packets", {});
  if (nicvf_sq_stop(&sq)) Fail("SQ did not stop", {});
  nicvf_sq_free(&sq);
  t.rig.StopCqs();
  t.rig.FreeCqs();
  txq->stopped = false;
  txq->bql_inflight = 0;
  vnic->wire.clear();
  Check("API misuse");
  if (mock::SkbsOutstanding()) Fail("sk_buffs left", {});
  if (Mappings() != maps_before)
    Fail("DMA mappings left",
         {std::to_string(Mappings() - maps_before) + " mappings"});
  return 0;
}
