// SPDX-License-Identifier: GPL-2.0-only
// Internal: the one simulated machine the mocks share.
#pragma once

#include <map>
#include <memory>
#include <set>

#include "mock.h"

namespace mock {

}  // namespace mock
struct mock_page_pool;
namespace mock {

struct State {
  // Physical memory: frames at PhysBase() upwards, host memory at host.
  uint8_t* host = nullptr;
  size_t host_len = 0;
  size_t nframes = 0;
  std::vector<struct page> pages;
  std::vector<uint8_t> frame_used;  // 0 free, else order + 1 of its block head
  size_t frames_in_use = 0;
  size_t search_hint = 0;

  mock_device device;
  Counters counters;
  std::vector<std::string> violations;
  std::vector<std::string> log;
  struct Kmalloc {
    size_t size;
    bool kv;  // from the kvmalloc family: only kvfree() may free it
  };
  std::unordered_map<const void*, Kmalloc> kmallocs;
  struct Mmio {
    size_t len;
    MmioHandler* handler;
  };
  std::map<uintptr_t, Mmio> mmio;
  std::vector<sk_buff*> delivered;
  std::set<sk_buff*> skbs;
  std::set<mock_page_pool*> pools;
  std::function<void(uint64_t, size_t)> on_sync_for_cpu;

  // The PCI function and what a driver holds of it (mock/pci.cc)
  struct PciFunction {
    pci_dev pdev{};
    void* bar0 = nullptr;
    bool enabled = false, regions = false, bound = false;
    int bar_maps = 0;
    int vectors = 0;
    std::map<int, std::pair<irq_handler_t, void*>> irqs;
    pci_driver* driver = nullptr;
  };
  std::unique_ptr<PciFunction> pci;
  std::set<net_device*> netdevs;

  // The networking core (mock/net.cc)
  std::set<napi_struct*> napis;           // added and not deleted
  std::vector<napi_struct*> napi_runq;    // scheduled, in order
  std::vector<tasklet_struct*> tasklets;  // scheduled, in order
  std::function<void()> idle;  // the device's timers, when the CPU idles
  std::map<work_struct*, unsigned long> works;  // queued -> due jiffies
  work_struct* running_work = nullptr;
  bool rtnl = false;
  // Fault injection (mock/fault.cc)
  struct FaultState {
    bool active = false;
    FaultPlan plan;
    uint64_t calls = 0, failed = 0, injected = 0;
    uint64_t rng = 0;
  };
  FaultState faults[size_t(Fault::kCount)];
  int faults_paused = 0;

  // Non-coherent DMA (mock/dma.cc): host memory is the CPU's view; where
  // RAM under a streaming mapping differs from it, RAM's bytes are here.
  bool noncoherent = false;
  struct Shadow {
    std::vector<uint8_t> data, valid;  // valid: the byte differs, use data
  };
  std::unordered_map<uint64_t, int> streaming;  // pfn -> mappings over it
  std::unordered_map<uint64_t, Shadow> shadow;  // pfn -> RAM's bytes

  ~State();
};

// The device's side of non-coherent memory (mock/dma.cc): copy n bytes at
// phys (one page at most; host is where the CPU sees them) to or from RAM.
void DeviceStore(uint64_t phys, uint8_t* host, const uint8_t* src, size_t n);
void DeviceLoad(uint64_t phys, const uint8_t* host, uint8_t* dst, size_t n);

}  // namespace mock
