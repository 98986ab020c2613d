// SPDX-License-Identifier: GPL-2.0-only
// The harness's simulated kernel: physical memory with a struct page per
// frame, the page allocator, an IOMMU with real page tables and an IOVA
// allocator, the DMA API, page_pool, sk_buffs, NAPI delivery and MMIO.
// Everything is accounted for, so a test can ask whether anything is left.
//
// Each mock is a file of its own that owns its state and registers with
// the registry (mock/internal.h), which Reset() and Outstanding() ask.
// What the driver calls is defined under the kernel's own name, with the
// kernel's prototype, in the shim header the kernel declares it in
// (harness/include/, whose second line names the mock behind each); where
// the kernel has a macro or an inline over an internal function, the shim
// has the same. Only what the kernel has no name for, the harness's own
// hooks (mock_param_*, mock_module_init, mock_skb_violation, mock_usecs),
// is called mock_*.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

extern "C" {
#include <linux/device.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/jiffies.h>
#include <linux/pci.h>
#include <linux/workqueue.h>
#include <net/page_pool/types.h>
}

namespace mock {

enum class IommuMode {
  kNone,           // no IOMMU: dma-direct, bus address == physical address
  kIdentity,       // identity (passthrough) domain
  kIdentityNoFix,  // identity domain; IOMMU driver's iova_to_phys returns 0
  kTranslating,    // DMA domain: page tables; unmapped accesses terminated
  kTranslatingFault,  // DMA domain; unmapped accesses raise recorded faults
  // Identity domain with every streaming mapping bounced, as swiotlb=force:
  // the DMA address names a separate bounce buffer, copied to and from the
  // mapped memory on map, sync and unmap. Not in AllIommuModes(): the
  // receive path drops every packet here, by design.
  kBounce,
};

const char* ToString(IommuMode mode);
// Whether Reset() builds a machine whose device is not DMA-coherent: set
// by NICVF_HARNESS_DMA=noncoherent in the environment, or here. Then what
// the device writes to streamed memory reaches the CPU only through
// dma_sync_*_for_cpu() or unmap, and it reads what was there at map or
// dma_sync_*_for_device() time, as with a non-coherent arm64 device.
void SetNonCoherent(bool on);
bool NonCoherent();
std::vector<IommuMode> AllIommuModes();
bool IsTranslating(IommuMode mode);

struct Counters {
  uint64_t page_alloc = 0;
  uint64_t page_free = 0;
  uint64_t page_ref_atomic = 0;  // atomic ops on _refcount / pp_ref_count
  uint64_t dma_map = 0;
  uint64_t dma_unmap = 0;
  uint64_t dma_sync_cpu = 0;
  uint64_t dma_sync_dev = 0;
  uint64_t dma_alloc_coherent = 0;
  uint64_t iova_to_phys = 0;   // calls into the IOMMU driver
  uint64_t iommu_walks = 0;    // page-table walks (driver and device)
  uint64_t iommu_faults = 0;   // device accesses to unmapped IOVAs
  uint64_t pp_new_pages = 0;   // pages page_pool took from the allocator
  uint64_t pp_recycled = 0;    // pages page_pool reused from its ring
  uint64_t skb_alloc = 0;
  uint64_t skb_free = 0;
  uint64_t kmalloc = 0;
};

// One simulated IOMMU domain with real multi-level page tables whose
// granule is the CPU page size (4K: 4 levels of 512; 64K: 3 levels of 8192).
class Iommu {
 public:
  explicit Iommu(IommuMode mode);
  ~Iommu();
  IommuMode mode() const { return mode_; }
  iommu_domain* domain() { return mode_ == IommuMode::kNone ? nullptr : &domain_; }
  // Allocate IOVA space for [phys, phys + size) and map it; returns the IOVA.
  uint64_t Map(uint64_t phys, size_t size);
  // Unmap and free the IOVA range that Map() returned; false if unknown.
  bool Unmap(uint64_t iova, size_t size);
  // Page-table walk. Returns false for an unmapped IOVA.
  bool Translate(uint64_t iova, uint64_t* phys);
  size_t iova_ranges() const { return iova_.size(); }
  size_t mapped_pages() const { return mapped_pages_; }
  size_t levels() const { return levels_; }

 private:
  struct Table;
  uint64_t AllocIova(size_t size);
  uint64_t* Leaf(uint64_t iova, bool create);

  IommuMode mode_;
  iommu_domain domain_;
  unsigned bits_per_level_;
  unsigned levels_;
  Table* root_;
  std::map<uint64_t, size_t> iova_;  // start -> size
  // Ranges freed, by size, for reuse: Linux's IOVA rcache does the same,
  // so recycling a range is O(1) and not a search.
  std::unordered_map<size_t, std::vector<uint64_t>> freed_;
  uint64_t cursor_;
  size_t mapped_pages_ = 0;
};

struct Mapping {
  uint64_t phys;
  size_t size;
  int dir;
  bool coherent;
  struct page* bounce = nullptr;  // kBounce: the buffer the device sees
  unsigned bounce_order = 0;
};

}  // namespace mock

// The simulated DMA context behind struct device::mock.
struct mock_device {
  struct device dev;
  std::unique_ptr<mock::Iommu> iommu;
  std::map<uint64_t, mock::Mapping> mappings;  // DMA address -> mapping
};

namespace mock {

class MmioHandler {
 public:
  virtual ~MmioHandler() = default;
  virtual uint64_t Read64(uint64_t offset) = 0;
  virtual void Write64(uint64_t offset, uint64_t value) = 0;
};

// Start a fresh simulated machine: memory of mem_bytes, one device behind an
// IOMMU in the given mode; every mock starts afresh (mock/registry.cc).
// Everything from the previous machine must have been released
// (Outstanding() empty) or it is discarded.
void Reset(IommuMode mode, size_t mem_bytes = 128u << 20);
struct device* Dev();
Counters& Count();
// Everything still outstanding, as human-readable lines (empty: clean):
// what each mock reports to the registry.
std::vector<std::string> Outstanding();
// Misuse the mocks detected (bad unmap, refcount underflow...).
std::vector<std::string>& Violations();
std::vector<std::string>& Log();
// Whether any log line contains `text`.
bool Logged(const std::string& text);
void Violation(const std::string& what);

// The module's parameters (module_param). Reset() gives each back its
// default, the value it was built with.
struct ModuleParam {
  std::string name;
  void* addr;
  size_t size;
};
std::vector<ModuleParam> ModuleParams();

// What num_online_cpus() answers until the next Reset() (2 after it)
void SetOnlineCpus(unsigned int n);

// Physical memory.
uint64_t PhysBase();
size_t FramesInUse();
void* PhysToHost(uint64_t phys);  // nullptr when phys is not RAM
uint64_t PageToPhys(const struct page* page);

// The device's side of DMA: what an SMMU would do with its accesses.
// Returns false (and nothing is written/read) if any byte fails to
// translate; in kTranslatingFault mode that is recorded as a fault.
bool DeviceWrite(uint64_t iova, const void* src, size_t len);
bool DeviceRead(uint64_t iova, void* dst, size_t len);

// Called on every dma_sync_*_for_cpu(), after the mock's checks: lets a test
// act as a device that keeps writing once the driver has started reading.
std::function<void(uint64_t addr, size_t size)>& OnSyncForCpu();

// MMIO regions.
void MapMmio(void* base, size_t len, MmioHandler* handler);
void UnmapMmio(void* base);

// A simulated PCI function, with BAR0 at bar0; the first one added is the
// one the calls without a pci_dev mean. A registered driver probes it.
pci_dev* AddPciFunction(uint16_t device, uint16_t subdevice, uint8_t revision,
                        void* bar0);
// Deliver MSI-X vector `vector` of the function; false if no handler ran.
bool RaiseMsix(int vector);
bool RaiseMsix(pci_dev* pdev, int vector);
bool PciBound();
bool PciBound(pci_dev* pdev);
// The driver lets go of one function (a hot unplug, or a sysfs unbind)
void PciUnbind(pci_dev* pdev);
// The bound driver's pci_driver.shutdown (false if none); stays bound
bool PciShutdown();
// The CPU the affinity hint of MSI-X vector `vector` names, or -1
int IrqHint(int vector);
int IrqHint(pci_dev* pdev, int vector);
size_t NetdevsAlive();

// --- The networking core (mock/net.cc) ---------------------------------
// Poll every scheduled NAPI context, as the softirq would, until none is
// left or max_polls polls were made; returns the polls made.
// Whenever nothing is scheduled, time passes: the idle hook (a device's
// timers) runs, and polling goes on if it scheduled anything.
int RunNapi(int max_polls = 1 << 20);
void SetIdle(std::function<void()> idle);
size_t NapiScheduled();
// NAPI contexts and tasklets waiting for the softirq
size_t SoftirqPending();
// One run of the tasklets scheduled now (RunNapi() runs them until none
// is left); returns how many ran
int RunTasklets();
// Advance the simulated jiffies, then run every queued work item that is
// due (including ones queued meanwhile, if due); returns how many ran.
int RunWork(unsigned long advance_jiffies = 0);
size_t WorkQueued();
bool WorkIsQueued(const work_struct* work);
// The registered net_device, or nullptr.
net_device* Netdev();
// What the core does under the RTNL for `ip link set up/down`, `ip link set
// mtu`, `ip link set address` and `ethtool -K`; the core's own checks first.
int DevOpen(net_device* nd);
void DevClose(net_device* nd);
int ChangeMtu(net_device* nd, int mtu);
int SetMac(net_device* nd, const uint8_t* mac);
int SetFeatures(net_device* nd, netdev_features_t features);
// What the core does when flags or address lists change (ip link set
// promisc/allmulticast, ip maddr, a macvlan's address): the flags among
// IFF_PROMISC/ALLMULTI/BROADCAST/MULTICAST and both lists replaced, then
// ndo_set_rx_mode() under the address lists' lock if the device is up.
using Mac = std::array<uint8_t, 6>;
void SetRxMode(net_device* nd, unsigned int flags, const std::vector<Mac>& uc,
               const std::vector<Mac>& mc);
// The NAPI context netif_queue_set_napi() links queue q to, or nullptr
napi_struct* QueueNapi(net_device* nd, bool rx, int q);
// The CPU netif_set_xps_queue() last gave transmit queue q, or -1
int XpsCpu(net_device* nd, int q);
// ethtool -a and -A, under the RTNL as the core calls them
ethtool_pauseparam EthtoolGetPause(net_device* nd);
int EthtoolSetPause(net_device* nd, ethtool_pauseparam p);
// ethtool -d: the dump (a violation if get_regs writes past its length)
std::vector<uint64_t> EthtoolRegs(net_device* nd, uint32_t* version = nullptr);
// ethtool -c and -C; `msg` gets the extack message
ethtool_coalesce EthtoolGetCoalesce(net_device* nd);
int EthtoolSetCoalesce(net_device* nd, ethtool_coalesce c,
                       std::string* msg = nullptr);
// ethtool -G and -L, with the core's checks first (counts within the
// maxima the driver reports; -L not below the entries of a table -X set)
int EthtoolSetRing(net_device* nd, uint32_t rx, uint32_t tx,
                   std::string* msg = nullptr);
int EthtoolSetChannels(net_device* nd, uint32_t rx, uint32_t tx,
                       uint32_t combined = 0);
ethtool_channels EthtoolGetChannels(net_device* nd);
// ethtool -x and -X: the table and the key. A set checks each entry
// against ETHTOOL_GRXRINGS and marks the table the user's
// (IFF_RXFH_CONFIGURED), or with `default_table` puts the core's default
// back and clears the mark, as the core does.
struct Rxfh {
  int err = 0;
  uint8_t hfunc = 0;
  std::vector<uint32_t> indir;
  std::vector<uint8_t> key;
};
Rxfh EthtoolGetRxfh(net_device* nd);
int EthtoolSetRxfh(net_device* nd, const std::vector<uint32_t>& indir,
                   const std::vector<uint8_t>& key, uint8_t hfunc = 0,
                   bool default_table = false, std::string* msg = nullptr);
// ethtool -n/-N rx-flow-hash; `data` gets the RXH_* fields
int EthtoolGetRxfhFields(net_device* nd, uint32_t flow_type, uint64_t* data);
int EthtoolSetRxfhFields(net_device* nd, uint32_t flow_type, uint64_t data);
// ethtool msglvl
uint32_t EthtoolGetMsglevel(net_device* nd);
void EthtoolSetMsglevel(net_device* nd, uint32_t level);
// dev_queue_xmit() for one packet on queue skb->queue_mapping; `more` is
// what netdev_xmit_more() says. A stopped queue is not called (as the
// core requeues): NETDEV_TX_BUSY, and the skb stays the caller's.
// A GSO packet the device's features (netif_skb_features(): features,
// vlan_features, ndo_features_check()) do not cover is segmented first,
// as validate_xmit_skb() does, and each segment goes to the driver.
netdev_tx_t Xmit(net_device* nd, sk_buff* skb, bool more = false);
// GSO packets Xmit() segmented because the device could not
uint64_t SoftwareGsoPackets();
// skb_tx_timestamp() calls for packets that asked for a software
// timestamp (SKBTX_SW_TSTAMP), and what ethtool -T reports
uint64_t TxTimestamps();
uint32_t EthtoolTsInfo(net_device* nd);
// What netdev_xmit_more() answers, for a caller of ndo_start_xmit's own
void SetXmitMore(bool more);
rtnl_link_stats64 Stats64(net_device* nd);
// ethtool -S: name -> value, in the driver's order.
std::vector<std::pair<std::string, uint64_t>> EthtoolStats(net_device* nd);
uint64_t EthtoolStat(net_device* nd, const std::string& name);
// An sk_buff carrying `frame` as the stack would hand it to a driver:
// headlen bytes in the head, the rest in page fragments of frag_len
// bytes. Network and transport headers are set from the frame (Ethernet,
// optional 802.1Q, IPv4/IPv6, TCP/UDP).
sk_buff* TxSkb(const std::vector<uint8_t>& frame, size_t headlen,
               size_t frag_len, uint16_t queue);
// The bytes of a packet (head and fragments) from skb->data on.
std::vector<uint8_t> SkbBytes(const sk_buff* skb);
// --- Fault injection (mock/fault.cc) ------------------------------------
// Each kind is a call site the driver depends on; a plan decides which
// calls fail. Reset() clears every plan and count.
enum class Fault {
  kPageAlloc,      // alloc_pages() returns NULL (and all that uses it)
  kPagePoolAlloc,  // page_pool_alloc_frag()/_pages() returns NULL
  kDmaMap,         // dma_map_page()/_single() returns DMA_MAPPING_ERROR
  kIovaToPhys,     // iommu_iova_to_phys() returns 0
  kSkbAlloc,       // build_skb()/napi_build_skb() returns NULL
  kMailbox,        // the PF does not answer a message: the VF times out
  kKmalloc,        // kmalloc()/kzalloc()/kcalloc() return NULL
  kKvmalloc,       // kvmalloc()/kvzalloc()/kvcalloc() return NULL
  kDmaAllocCoherent,  // dma_alloc_coherent() returns NULL (the rings)
  kPagePoolCreate,    // page_pool_create() returns ERR_PTR(-ENOMEM)
  kCount
};
const char* ToString(Fault kind);
std::vector<Fault> AllFaults();

struct FaultPlan {
  uint64_t after = 0;    // calls that pass before the plan starts
  uint64_t every = 0;    // then every Nth call fails (1: all of them) ...
  uint32_t percent = 0;  // ... or each fails with this chance ...
  uint64_t seed = 0;     // ... drawn from a generator seeded with this
  int64_t limit = -1;    // at most this many failures (-1: no limit)
};
void InjectFaults(Fault kind, const FaultPlan& plan);
void StopFaults(Fault kind);
void StopAllFaults();
// Whether this call of `kind` fails; the call sites in the mocks ask.
bool ShouldFail(Fault kind);
uint64_t FaultCalls(Fault kind);     // calls seen since the plan was set
uint64_t FaultsInjected(Fault kind); // failures since Reset()
// While one lives, nothing fails: for what the simulated stack allocates
// on the test's behalf (TxSkb), which is not the driver's to survive.
class FaultPause {
 public:
  FaultPause();
  ~FaultPause();
  FaultPause(const FaultPause&) = delete;
  FaultPause& operator=(const FaultPause&) = delete;
};

// Shorthands: fail the next n page allocations; the n streaming DMA
// mappings that follow the next `after` ones. n == 0 stops.
void FailPageAllocs(int n);
void FailDmaMaps(int n, int after = 0);

// Free every delivered sk_buff, as the stack would; returns how many.
size_t FreeDelivered();

// sk_buffs handed to napi_gro_receive(), in order.
std::vector<sk_buff*>& Delivered();
size_t SkbsOutstanding();
size_t PoolsAlive();
// Fragment references held on a pool's pages by anyone but the pool.
long PoolRefs(page_pool* pool);
// Pages a pool owns: parked in its ring, being carved, or in flight.
size_t PoolPages(page_pool* pool);

}  // namespace mock
