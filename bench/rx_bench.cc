// SPDX-License-Identifier: GPL-2.0-only
// Packet-rate benchmarks of the receive path: our nicvf_queues.c and the
// upstream algorithm (baseline.c), each driving the same simulated VNIC
// through the same mocked kernel (page allocator, page_pool, DMA API,
// IOMMU with page tables, sk_buffs).
//
// Each iteration the device model receives a batch of frames (taking RBDR
// buffers, writing the bytes through the IOMMU, writing CQE_RX entries)
// with the timer paused; then, timed, the driver polls every CQ, the stack
// frees the sk_buffs (returning the buffers), and the RBDR is refilled.
// So the figure is the driver's cost plus the kernel services it calls,
// and excludes the device model's own work.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "mock/mock.h"
#include "model/vnic.h"
#include "testlib/frame.h"
#include "testlib/rig.h"

extern "C" {
#include "baseline.h"
#include "nicvf_queues.h"
}

namespace {

enum class Impl { kOurs, kBaseline };

constexpr uint32_t kRingLen = 8192;
constexpr uint32_t kCqLen = 4096;
constexpr int kBatch = 256;  // packets per iteration
constexpr int kMaxQueues = 8;  // receive queues sharing the RBDR, at most

const char* Name(Impl i) { return i == Impl::kOurs ? "ours" : "baseline"; }

const char* ModeName(mock::IommuMode m) {
  switch (m) {
    case mock::IommuMode::kNone: return "none";
    case mock::IommuMode::kIdentity: return "identity";
    default: return "translating";
  }
}

// One simulated machine: a VNIC, an RBDR shared by `queues` CQs, and the
// driver (ours, on the harness's rig, or the baseline) bound to them.
class Rig {
 public:
  Rig(Impl impl, mock::IommuMode mode, int queues, size_t frame)
      : impl_(impl), queues_(queues) {
    rig_.NewMachine(mode, true, size_t(512) << 20);
    rig_.netdev().mtu = 9000;
    rig_.napi().weight = NAPI_POLL_WEIGHT;
    if (impl_ == Impl::kOurs) {
      testlib::RxConfig cfg;
      cfg.ring_len = kRingLen;
      cfg.cq_len = kCqLen;
      cfg.cqs = queues_;
      ok_ = !rig_.Up(cfg);
    } else {
      ok_ = !bl_rbdr_init(&bl_rbdr_, mock::Dev(), rig_.vnic()->bar0(),
                          kRingLen);
      for (int q = 0; ok_ && q < queues_; q++) {
        bl_cq_[q].rbdr = &bl_rbdr_;
        ok_ = !rig_.InitCq(&bl_cq_[q].ring, q, kCqLen, nullptr);
        bl_cqs_ += ok_;
      }
      if (ok_) bl_rbdr_enable(&bl_rbdr_);
    }
    frame_ = testlib::PatternFrame(frame, 0);
  }

  ~Rig() {
    rig_.StopCqs();
    for (int q = 0; q < bl_cqs_; q++) {
      nicvf_cq_stop(&bl_cq_[q].ring);
      nicvf_cq_free(&bl_cq_[q].ring);
    }
    if (impl_ == Impl::kBaseline) bl_rbdr_free(&bl_rbdr_);
    rig_.Down();
  }

  bool ok() const { return ok_; }

  // The device: n frames, spread over the queues. Returns how many posted.
  int Deliver(int n) {
    int posted = 0;
    for (int i = 0; i < n; i++)
      posted += rig_.vnic()->Receive(i % queues_, frame_).posted;
    return posted;
  }

  // The driver: NAPI on every queue, the stack consuming, then refill.
  // Not inlined, so callgrind can count exactly this (--toggle-collect).
  __attribute__((noinline)) void Poll() {
    for (int q = 0; q < queues_; q++) {
      if (impl_ == Impl::kOurs) {
        rig_.Drain(q);
      } else {
        while (bl_cq_poll(&bl_cq_[q], &rig_.napi(), NAPI_POLL_WEIGHT) ==
               NAPI_POLL_WEIGHT) {
        }
      }
    }
    delivered_ += mock::FreeDelivered();
    if (impl_ == Impl::kOurs)
      nicvf_rbdr_refill(&rig_.rbdr());
    else
      bl_rbdr_refill(&bl_rbdr_);
  }

  uint64_t delivered() const { return delivered_; }

 private:
  Impl impl_;
  int queues_;
  bool ok_ = false;
  testlib::RxRig rig_;
  bl_rbdr bl_rbdr_{};
  bl_cq bl_cq_[kMaxQueues]{};
  int bl_cqs_ = 0;
  testlib::Bytes frame_;
  uint64_t delivered_ = 0;
};

// acc += now - then, for the counters the benchmark reports
void Accumulate(mock::Counters& acc, const mock::Counters& now,
                const mock::Counters& then) {
  acc.dma_map += now.dma_map - then.dma_map;
  acc.dma_unmap += now.dma_unmap - then.dma_unmap;
  acc.iova_to_phys += now.iova_to_phys - then.iova_to_phys;
  acc.page_alloc += now.page_alloc - then.page_alloc;
  acc.page_ref_atomic += now.page_ref_atomic - then.page_ref_atomic;
}

void BM_Rx(benchmark::State& st, Impl impl, mock::IommuMode mode, int queues,
           size_t frame) {
  Rig rig(impl, mode, queues, frame);
  if (!rig.ok()) {
    st.SkipWithError("setup failed");
    return;
  }
  // Settle the pools (first pages, page cache) before measuring
  for (int i = 0; i < 8; i++) {
    rig.Deliver(kBatch);
    rig.Poll();
  }
  uint64_t start = rig.delivered();
  mock::Counters acc;
  rig.Deliver(kBatch);
  mock::Counters snap = mock::Count();
  for (auto _ : st) {
    rig.Poll();
    st.PauseTiming();
    Accumulate(acc, mock::Count(), snap);
    rig.Deliver(kBatch);
    snap = mock::Count();
    st.ResumeTiming();
  }
  double pkts = double(rig.delivered() - start);
  if (pkts < 1) {
    st.SkipWithError("no packet received");
    return;
  }
  if (!mock::Violations().empty()) {
    st.SkipWithError(mock::Violations().front().c_str());
    return;
  }
  st.SetItemsProcessed(int64_t(pkts));
  st.SetBytesProcessed(int64_t(pkts * double(frame)));
  using C = benchmark::Counter;
  st.counters["time_per_pkt"] = C(pkts, C::kIsRate | C::kInvert);  // seconds
  st.counters["dma_map_per_pkt"] = double(acc.dma_map) / pkts;
  st.counters["dma_unmap_per_pkt"] = double(acc.dma_unmap) / pkts;
  st.counters["iova_to_phys_per_pkt"] = double(acc.iova_to_phys) / pkts;
  st.counters["page_alloc_per_pkt"] = double(acc.page_alloc) / pkts;
  st.counters["page_ref_atomic_per_pkt"] =
      double(acc.page_ref_atomic) / pkts;
}

void RegisterAll() {
  const size_t frames[] = {64, 128, 256, 512, 1024, 1518, 9000};
  const mock::IommuMode modes[] = {mock::IommuMode::kNone,
                                   mock::IommuMode::kIdentity,
                                   mock::IommuMode::kTranslating};
  for (int queues : {1, 8})
    for (mock::IommuMode mode : modes)
      for (size_t frame : frames)
        for (Impl impl : {Impl::kOurs, Impl::kBaseline}) {
          std::string name = std::string("rx/") + Name(impl) + "/" +
                             ModeName(mode) + "/" + std::to_string(queues) +
                             "q/" + std::to_string(frame);
          benchmark::RegisterBenchmark(name.c_str(), BM_Rx, impl, mode,
                                       queues, frame)
              ->UseRealTime();
        }
}

}  // namespace

int main(int argc, char** argv) {
  RegisterAll();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
