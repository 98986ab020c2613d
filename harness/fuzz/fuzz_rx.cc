// SPDX-License-Identifier: GPL-2.0-only
// libFuzzer target: the fuzzer is the device. Each input brings a CQ up
// (in the CQE_RX layout the input picks) beside the driver's RBDR on the
// simulated VNIC, then writes what a device could: real frames received
// into the buffers it takes from the RBDR, and completions of its own
// making, with buffer pointers that name posted buffers, point into them,
// or point anywhere, lengths and counts of any value, and bits flipped in
// any word. Between completions the driver polls with any budget and
// refills, and the fuzzer may make the next few calls of one kind fail
// (IOMMU translation, sk_buff, page_pool or page allocation, DMA mapping).
// Then every packet is read to its last byte, as the stack would, and
// freed, the CQ is torn down and the RBDR refilled, and the input fails
// if a mock saw the driver misuse an API or if any buffer is held by
// anyone but the RBDR: the pool's fragment references must equal the
// buffers posted.
//
// The device DMA-writes only into buffers it took from the RBDR, at the
// addresses the driver posted; a wrong address appears only in a CQE.
// Without a translating IOMMU nothing would stop DMA to a wrong address
// from landing in any host memory (the harness's own), so that rule is
// what lets the target run in every IOMMU mode (NICVF_FUZZ_IOMMU).
//
// Bringing the RBDR up fills 8191 buffers, which costs as much as a
// hundred inputs, so it is kept across inputs and rebuilt every
// kRbdrInputs of them (and when the device has taken too many buffers it
// never reported), with a full teardown that must leave nothing behind;
// the last one runs at exit.
//
// Input: byte 0 picks the layout (bit 0) and turns receive offloads off
// (bits 1-3: checksum, hash, VLAN); then records, each an opcode and its
// operands, read until the input ends (missing bytes read as zero).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "mock/mock.h"
#include "model/vnic.h"
#include "testlib/frame.h"
#include "testlib/rig.h"
#include "fuzz/fuzz_common.h"

extern "C" {
#include "nicvf_queues.h"
}

namespace {

using fuzz::Fail;
using fuzz::Hex;
using fuzz::Input;

// A frame: up to 255 of the input's bytes over a pattern frame to us
testlib::Bytes Frame(Input& in, size_t len) {
  testlib::Bytes f = testlib::PatternFrame(len, uint32_t(len));
  size_t given = in.Byte();
  for (size_t i = 0; i < len && i < given; i++) f[i] = in.Byte();
  return f;
}

// The receive side that outlives an input: the RBDR on the rig, whose CQ
// each input brings up and takes down again
struct Rx {
  testlib::RxRig rig;
  int inputs = 0;
};

constexpr int kRbdrInputs = 256;

Rx& R() {
  static Rx rx;
  return rx;
}

void Check(const char* when) {
  if (!mock::Violations().empty()) Fail(when, mock::Violations());
}

void TearDownRbdr() {
  Rx& rx = R();
  if (!rx.rig.rbdr_up()) return;
  rx.rig.Down();
  Check("API misuse at teardown");
  std::vector<std::string> left = mock::Outstanding();
  if (!left.empty()) Fail("left over after teardown", left);
  mock::Count().iommu_faults = 0;  // the device's own bad accesses
  mock::Log().clear();
}

void BringUpRbdr() {
  Rx& rx = R();
  rx.rig.NewVnic(true);
  if (rx.rig.UpRbdr(NICVF_RBDR_LEN_MIN, NICVF_RX_BUF_LEN_DEFAULT))
    Fail("RBDR bring-up failed", mock::Violations());
  rx.rig.EnableRbdr();
  rx.inputs = 0;
}

// Buffers in the posted set: the RBDR's, and any the device took and kept
size_t Posted(const nicvf_rbdr& rbdr) {
  size_t n = 0;
  for (size_t i = 0; i <= rbdr.posted.mask; i++) n += rbdr.posted.slot[i].key & 1;
  return n;
}

// Whether addr is in the driver's posted set (a scan: for rare paths only)
bool IsPosted(const nicvf_rbdr& rbdr, uint64_t addr) {
  for (size_t i = 0; i <= rbdr.posted.mask; i++)
    if (rbdr.posted.slot[i].key == (addr | 1)) return true;
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const mock::IommuMode mode = fuzz::ModeFromEnv("fuzz_rx");
  static bool machine = false;
  if (!machine) {
    mock::Reset(mode, 64u << 20);
    // The rig first, so that it outlives the teardown at exit
    R();
    atexit(TearDownRbdr);
    machine = true;
  }
  Rx& rx = R();
  testlib::RxRig& rig = rx.rig;
  if (rig.rbdr_up() &&
      (rx.inputs >= kRbdrInputs ||
       Posted(rig.rbdr()) > 2 * size_t(rig.rbdr().ring_len)))
    TearDownRbdr();
  if (!rig.rbdr_up()) BringUpRbdr();
  rx.inputs++;
  nicvf_rbdr& rbdr = rig.rbdr();

  Input in(data, size);
  uint8_t setup = in.Byte();
  model::Vnic* vnic = rig.vnic();
  vnic->set_cqe_rx2(setup & 1);  // and so the CQ's layout
  // Receive offloads on unless the input turns them off
  net_device& netdev = rig.netdev();
  netdev.features = 0;
  if (!(setup & 2)) netdev.features |= NETIF_F_RXCSUM;
  if (!(setup & 4)) netdev.features |= NETIF_F_RXHASH;
  if (!(setup & 8)) netdev.features |= NETIF_F_HW_VLAN_CTAG_RX;
  if (rig.AddCq(NICVF_CQ_LEN_MIN))
    Fail("CQ bring-up failed", mock::Violations());
  nicvf_cq& cq = rig.cq(0);

  // Every delivered packet is read to its last byte, as the stack would
  auto poll = [&](int budget) {
    nicvf_cq_poll(&cq, &rig.napi(), budget);
    for (sk_buff* skb : mock::Delivered()) mock::SkbBytes(skb);
    mock::FreeDelivered();
  };
  for (int rec = 0; rec < 64 && !in.empty(); rec++) {
    switch (in.Byte() % 5) {
      case 0: {  // the device receives a frame, perhaps then corrupts its CQE
        size_t len = 1 + in.U16() % 9700;
        model::RxOptions opt;
        opt.align_pad = in.Byte() % 8;
        testlib::Bytes frame = Frame(in, len);
        int flips = in.Byte() % 4;
        std::vector<std::pair<int, uint64_t>> f;
        for (int i = 0; i < flips; i++) f.push_back({in.Byte() % 16, in.U64()});
        opt.mutate = [f](model::Cqe& c) {
          for (const auto& x : f) c[x.first] ^= x.second;
        };
        vnic->Receive(0, frame, opt);
        break;
      }
      case 1: {  // a completion of the device's own making
        size_t n = in.Byte() % 16;
        std::vector<uint64_t> ptrs;
        std::vector<uint16_t> lens;
        for (size_t i = 0; i < n; i++) {
          uint8_t how = in.Byte();
          uint64_t addr = 0;
          if (how % 4 == 0) {
            addr = in.U64();  // anywhere
          } else if (vnic->TakeBuffer(0, &addr)) {
            // The device writes the buffer it took, at the address the
            // driver posted, then reports it: as it is, a little off, or
            // with bits flipped. Only the report is wrong: DMA to a wrong
            // address would, with no IOMMU or an identity domain, land
            // wherever it points in the harness's own memory. A buffer
            // still posted must take the write. One that is not was named
            // by an earlier completion before the device took it, and the
            // driver has had it back; it is still the pool's page, mapped
            // while the pool has it, so the write may fail but harms none.
            uint8_t fill[64];
            memset(fill, how, sizeof(fill));
            if (!mock::DeviceWrite(addr, fill, sizeof(fill)) &&
                IsPosted(rbdr, addr))
              Fail("a posted buffer the device cannot write",
                   {"address " + Hex(addr)});
            if (how % 4 == 2) addr += int8_t(in.Byte());
            if (how % 4 == 3) addr ^= uint64_t(in.Byte()) << (in.Byte() % 40);
          }
          ptrs.push_back(addr);
          lens.push_back(in.U16());
        }
        model::Cqe c = vnic->MakeCqeRx(0, ptrs, lens, in.Byte() % 8);
        int flips = in.Byte() % 4;
        for (int i = 0; i < flips; i++) {
          int w = in.Byte() % 16;
          c[w] ^= in.U64();
        }
        vnic->WriteCqe(0, c);
        break;
      }
      case 2:  // NAPI runs with whatever budget
        poll(in.Byte() % (NAPI_POLL_WEIGHT + 1));
        break;
      case 3:  // the refill work
        nicvf_rbdr_refill(&rbdr);
        break;
      case 4: {  // the next calls of one kind fail
        static const mock::Fault kinds[] = {
            mock::Fault::kIovaToPhys, mock::Fault::kSkbAlloc,
            mock::Fault::kPagePoolAlloc, mock::Fault::kPageAlloc,
            mock::Fault::kDmaMap};
        mock::FaultPlan plan;
        mock::Fault kind = kinds[in.Byte() % 5];
        plan.after = in.Byte() % 8;
        plan.every = 1;
        plan.limit = 1 + in.Byte() % 4;
        mock::InjectFaults(kind, plan);
        break;
      }
    }
  }
  mock::StopAllFaults();
  // Drain what is left, take the CQ down as close does, refill
  for (int i = 0; i < 1024 && vnic->CqCount(0); i++) poll(NAPI_POLL_WEIGHT);
  rig.StopCqs();
  rig.FreeCqs();
  nicvf_rbdr_refill(&rbdr);

  Check("API misuse");
  if (mock::SkbsOutstanding()) Fail("sk_buffs left", {});
  long refs = mock::PoolRefs(rbdr.pool);
  size_t posted = Posted(rbdr);
  if (refs != long(posted))
    Fail("pool references held by no posted buffer",
         {std::to_string(refs) + " references, " + std::to_string(posted) +
          " buffers posted"});
  return 0;
}
