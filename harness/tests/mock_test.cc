// SPDX-License-Identifier: GPL-2.0-only
// The mocks themselves: a test that relies on a mock is only as good as it.
#include <algorithm>
#include <cstring>
#include <functional>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mock/mock.h"
#include "tests/modes.h"

extern "C" {
#include <linux/cpumask.h>
#include <linux/etherdevice.h>
#include <linux/interrupt.h>
#include <linux/pci.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/page_pool/helpers.h>
}

namespace {

using mock::IommuMode;
using nicvf_test::ModeName;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using ::testing::UnorderedElementsAreArray;

TEST(MockIommu, PageTablesHaveTheLevelsOfTheGranule) {
  mock::Iommu mmu(IommuMode::kTranslating);
  EXPECT_EQ(PAGE_SHIFT == 12 ? 4u : 3u, mmu.levels());
}

TEST(MockIommu, MapTranslateUnmap) {
  mock::Reset(IommuMode::kTranslating);
  mock::Iommu mmu(IommuMode::kTranslating);
  uint64_t phys = mock::PhysBase() + 5 * PAGE_SIZE;
  uint64_t iova = mmu.Map(phys, 3 * PAGE_SIZE);
  ASSERT_NE(0u, iova);
  EXPECT_EQ(0u, iova % PAGE_SIZE);
  EXPECT_LT(iova, 1ull << 32);
  uint64_t out = 0;
  ASSERT_TRUE(mmu.Translate(iova + 2 * PAGE_SIZE + 77, &out));
  EXPECT_EQ(phys + 2 * PAGE_SIZE + 77, out);
  EXPECT_FALSE(mmu.Translate(iova + 3 * PAGE_SIZE, &out));
  EXPECT_FALSE(mmu.Translate(iova - 1, &out));
  EXPECT_EQ(3u, mmu.mapped_pages());
  EXPECT_FALSE(mmu.Unmap(iova, PAGE_SIZE));  // wrong size
  EXPECT_TRUE(mmu.Unmap(iova, 3 * PAGE_SIZE));
  EXPECT_FALSE(mmu.Translate(iova, &out));
  EXPECT_EQ(0u, mmu.iova_ranges());
}

TEST(MockIommu, IovasDoNotOverlapAndUnmapFreesTheRange) {
  mock::Reset(IommuMode::kTranslating);
  mock::Iommu mmu(IommuMode::kTranslating);
  std::vector<uint64_t> iovas;
  for (int i = 0; i < 100; i++) iovas.push_back(mmu.Map(mock::PhysBase(), PAGE_SIZE * (1 + i % 3)));
  std::sort(iovas.begin(), iovas.end());
  for (size_t i = 1; i < iovas.size(); i++) EXPECT_GE(iovas[i] - iovas[i - 1], PAGE_SIZE);
  EXPECT_TRUE(mmu.Unmap(iovas[0], PAGE_SIZE * 1) || mmu.Unmap(iovas[0], PAGE_SIZE * 2) ||
              mmu.Unmap(iovas[0], PAGE_SIZE * 3));
  EXPECT_EQ(99u, mmu.iova_ranges());
}

TEST(MockIommu, IdentityWithoutTheFixReturnsZero) {
  mock::Reset(IommuMode::kIdentityNoFix);
  iommu_domain* d = iommu_get_domain_for_dev(mock::Dev());
  ASSERT_NE(nullptr, d);
  EXPECT_EQ(IOMMU_DOMAIN_IDENTITY, d->type);
  EXPECT_EQ(0u, iommu_iova_to_phys(d, mock::PhysBase()));
  mock::Reset(IommuMode::kIdentity);
  d = iommu_get_domain_for_dev(mock::Dev());
  EXPECT_EQ(mock::PhysBase() + 64, iommu_iova_to_phys(d, mock::PhysBase() + 64));
  mock::Reset(IommuMode::kNone);
  EXPECT_EQ(nullptr, iommu_get_domain_for_dev(mock::Dev()));
}

class MockDma : public ::testing::TestWithParam<IommuMode> {};

TEST_P(MockDma, DeviceSeesWhatTheDriverMapped) {
  mock::Reset(GetParam());
  struct page* pg = alloc_pages(GFP_KERNEL, 0);
  dma_addr_t dma = dma_map_page_attrs(mock::Dev(), pg, 256, 1024, DMA_FROM_DEVICE, 0);
  ASSERT_NE(DMA_MAPPING_ERROR, dma);
  EXPECT_EQ(mock::IsTranslating(GetParam()), dma != mock::PageToPhys(pg) + 256);
  const char msg[] = "written by the device";
  ASSERT_TRUE(mock::DeviceWrite(dma + 10, msg, sizeof(msg)));
  dma_sync_single_for_cpu(mock::Dev(), dma, 1024, DMA_FROM_DEVICE);
  EXPECT_STREQ(msg, static_cast<char*>(page_address(pg)) + 266);
  dma_unmap_page_attrs(mock::Dev(), dma, 1024, DMA_FROM_DEVICE, 0);
  if (mock::IsTranslating(GetParam())) {
    EXPECT_FALSE(mock::DeviceWrite(dma + 10, msg, sizeof(msg)));
  }
  put_page(pg);
  mock::Count().iommu_faults = 0;
}

TEST_P(MockDma, BadUnmapIsAViolation) {
  mock::Reset(GetParam());
  dma_unmap_page_attrs(mock::Dev(), 0x1234000, 4096, DMA_FROM_DEVICE, 0);
  EXPECT_EQ(1u, mock::Violations().size());
  mock::Violations().clear();  // seen, and nothing else may be left
}

TEST_P(MockDma, CoherentMemoryIsZeroedAndReachable) {
  mock::Reset(GetParam());
  dma_addr_t h;
  auto* p = static_cast<uint64_t*>(dma_alloc_coherent(mock::Dev(), 3 * PAGE_SIZE, &h, GFP_KERNEL));
  ASSERT_NE(nullptr, p);
  EXPECT_EQ(0u, p[100]);
  uint64_t v = 0xabcdef;
  ASSERT_TRUE(mock::DeviceWrite(h + 8 * 1000, &v, 8));
  EXPECT_EQ(v, p[1000]);
  dma_free_coherent(mock::Dev(), 3 * PAGE_SIZE, p, h);
}

INSTANTIATE_TEST_SUITE_P(AllModes, MockDma, ::testing::ValuesIn(mock::AllIommuModes()),
                         ModeName);

// A pool for the simulated device, DMA-mapping its pages.
page_pool* MakePool(unsigned size, unsigned flags = PP_FLAG_DMA_MAP) {
  page_pool_params pp{};
  pp.pool_size = size;
  pp.dev = mock::Dev();
  pp.dma_dir = DMA_FROM_DEVICE;
  pp.flags = flags;
  pp.max_len = PAGE_SIZE;
  return page_pool_create(&pp);
}

TEST(MockPagePool, FragmentsShareAPageThatIsMappedOnce) {
  mock::Reset(IommuMode::kTranslating);
  page_pool* pool = MakePool(64, PP_FLAG_DMA_MAP | PP_FLAG_DMA_SYNC_DEV);
  ASSERT_FALSE(IS_ERR(pool));
  unsigned per = PAGE_SIZE / 1024, off;
  std::vector<struct page*> got;
  for (unsigned i = 0; i < per + 1; i++) {
    got.push_back(page_pool_alloc_frag(pool, &off, 1024, GFP_KERNEL));
    EXPECT_EQ((i % per) * 1024, off);
  }
  EXPECT_EQ(got[0], got[per - 1]);
  EXPECT_NE(got[0], got[per]);
  EXPECT_EQ(2u, mock::Count().dma_map);
  // Returning every fragment of the first page recycles it, still mapped.
  for (unsigned i = 0; i < per; i++) page_pool_put_full_page(pool, got[i], false);
  EXPECT_EQ(0u, mock::Count().dma_unmap);
  page_pool_put_full_page(pool, got[per], false);
  page_pool_destroy(pool);
  EXPECT_EQ(2u, mock::Count().dma_unmap);
}

TEST(MockPagePool, OverReleaseIsAViolation) {
  mock::Reset(IommuMode::kNone);
  page_pool* pool = MakePool(4);
  struct page* pg = page_pool_alloc_pages(pool, GFP_KERNEL);
  page_pool_put_full_page(pool, pg, false);
  page_pool_put_full_page(pool, pg, false);
  EXPECT_EQ(1u, mock::Violations().size());
  mock::Violations().clear();  // seen, and nothing else may be left
  page_pool_destroy(pool);
}

TEST(MockSkb, FreeingReturnsPoolPagesToThePool) {
  mock::Reset(IommuMode::kIdentity);
  page_pool* pool = MakePool(4);
  unsigned off;
  struct page* a = page_pool_alloc_frag(pool, &off, 2048, GFP_KERNEL);
  struct page* b = page_pool_alloc_frag(pool, &off, 2048, GFP_KERNEL);
  sk_buff* skb = build_skb(page_address(a), 2048);
  skb_mark_for_recycle(skb);
  skb_add_rx_frag(skb, 0, b, int(off), 100, 2048);
  EXPECT_EQ(1, skb_shinfo(skb)->nr_frags);
  kfree_skb(skb);
  page_pool_destroy(pool);
}

// --- Non-coherent DMA ----------------------------------------------------------

class MockNonCoherent : public ::testing::TestWithParam<IommuMode> {
 protected:
  void SetUp() override {
    was_ = mock::NonCoherent();
    mock::Reset(GetParam());
    mock::SetNonCoherent(true);
    pg_ = alloc_pages(GFP_KERNEL, 0);
    cpu_ = static_cast<char*>(page_address(pg_));
    memset(cpu_, '.', PAGE_SIZE);
  }
  void TearDown() override {
    put_page(pg_);
    mock::SetNonCoherent(was_);
  }
  std::string Cpu(size_t off, size_t n) { return std::string(cpu_ + off, n); }
  std::string Dev(dma_addr_t addr, size_t n) {
    std::string s(n, 0);
    EXPECT_TRUE(mock::DeviceRead(addr, s.data(), n));
    return s;
  }
  bool was_ = false;
  struct page* pg_ = nullptr;
  char* cpu_ = nullptr;
};

TEST_P(MockNonCoherent, DeviceWritesReachTheCpuOnlyWhereSyncedOrAtUnmap) {
  dma_addr_t dma = dma_map_page(mock::Dev(), pg_, 0, 1024, DMA_FROM_DEVICE);
  ASSERT_NE(DMA_MAPPING_ERROR, dma);
  ASSERT_TRUE(mock::DeviceWrite(dma + 100, "abcdefgh", 8));
  EXPECT_EQ("........", Cpu(100, 8));    // still the CPU's stale view
  EXPECT_EQ("abcdefgh", Dev(dma + 100, 8));  // the device reads RAM
  dma_sync_single_range_for_cpu(mock::Dev(), dma, 100, 4, DMA_FROM_DEVICE);
  EXPECT_EQ("abcd....", Cpu(100, 8));
  dma_unmap_page(mock::Dev(), dma, 1024, DMA_FROM_DEVICE);
  EXPECT_EQ("abcdefgh", Cpu(100, 8));
}

TEST_P(MockNonCoherent, DeviceReadsWhatWasThereAtMapOrSyncForDevice) {
  memcpy(cpu_ + 8, "before", 6);
  dma_addr_t dma = dma_map_page(mock::Dev(), pg_, 0, 64, DMA_TO_DEVICE);
  ASSERT_NE(DMA_MAPPING_ERROR, dma);
  memcpy(cpu_ + 8, "after!", 6);  // still in the CPU's cache
  EXPECT_EQ("before", Dev(dma + 8, 6));
  dma_sync_single_range_for_device(mock::Dev(), dma, 0, 64, DMA_TO_DEVICE);
  EXPECT_EQ("after!", Dev(dma + 8, 6));
  dma_unmap_page(mock::Dev(), dma, 64, DMA_TO_DEVICE);
  EXPECT_EQ("after!", Cpu(8, 6));
}

TEST_P(MockNonCoherent, UnsyncedDeviceWritesAreLostToACleanOrASkippedSync) {
  dma_addr_t dma = dma_map_page(mock::Dev(), pg_, 0, 256, DMA_FROM_DEVICE);
  ASSERT_TRUE(mock::DeviceWrite(dma, "lost", 4));
  dma_sync_single_range_for_device(mock::Dev(), dma, 0, 256, DMA_FROM_DEVICE);
  dma_sync_single_for_cpu(mock::Dev(), dma, 256, DMA_FROM_DEVICE);
  EXPECT_EQ("....", Cpu(0, 4));
  ASSERT_TRUE(mock::DeviceWrite(dma, "gone", 4));
  dma_unmap_page_attrs(mock::Dev(), dma, 256, DMA_FROM_DEVICE,
                       DMA_ATTR_SKIP_CPU_SYNC);
  EXPECT_EQ("....", Cpu(0, 4));
}

TEST_P(MockNonCoherent, CoherentMemoryNeedsNoSync) {
  dma_addr_t handle;
  void* ring = dma_alloc_coherent(mock::Dev(), 4096, &handle, GFP_KERNEL);
  ASSERT_NE(nullptr, ring);
  ASSERT_TRUE(mock::DeviceWrite(handle + 8, "cqe", 3));
  EXPECT_EQ(0, memcmp(static_cast<char*>(ring) + 8, "cqe", 3));
  dma_free_coherent(mock::Dev(), 4096, ring, handle);
}

INSTANTIATE_TEST_SUITE_P(AllModes, MockNonCoherent,
                         ::testing::ValuesIn(mock::AllIommuModes()), ModeName);

// --- Fault injection -----------------------------------------------------------

std::string FailurePattern(mock::Fault kind, int calls) {
  std::string out;
  for (int i = 0; i < calls; i++) out += mock::ShouldFail(kind) ? 'x' : '.';
  return out;
}

TEST(MockFault, EveryNthAfterTheFirstCallsUpToALimit) {
  mock::Reset(IommuMode::kNone);
  mock::InjectFaults(mock::Fault::kSkbAlloc, {.after = 2, .every = 3, .limit = 2});
  EXPECT_EQ("....x..x......", FailurePattern(mock::Fault::kSkbAlloc, 14));
  EXPECT_EQ(2u, mock::FaultsInjected(mock::Fault::kSkbAlloc));
  EXPECT_EQ(14u, mock::FaultCalls(mock::Fault::kSkbAlloc));
  // Other kinds are untouched
  EXPECT_EQ("....", FailurePattern(mock::Fault::kDmaMap, 4));
}

TEST(MockFault, SeededPlansReplayAndDifferBySeed) {
  mock::Reset(IommuMode::kNone);
  mock::InjectFaults(mock::Fault::kDmaMap, {.percent = 30, .seed = 7});
  std::string a = FailurePattern(mock::Fault::kDmaMap, 200);
  mock::InjectFaults(mock::Fault::kDmaMap, {.percent = 30, .seed = 7});
  EXPECT_EQ(a, FailurePattern(mock::Fault::kDmaMap, 200));
  mock::InjectFaults(mock::Fault::kDmaMap, {.percent = 30, .seed = 8});
  EXPECT_NE(a, FailurePattern(mock::Fault::kDmaMap, 200));
  size_t failed = size_t(std::count(a.begin(), a.end(), 'x'));
  EXPECT_GT(failed, 30u);
  EXPECT_LT(failed, 90u);
}

TEST(MockFault, EachKindFailsItsCallSite) {
  mock::Reset(IommuMode::kTranslating);
  mock::InjectFaults(mock::Fault::kPageAlloc, {.every = 1, .limit = 1});
  EXPECT_EQ(nullptr, alloc_pages(GFP_KERNEL, 0));
  struct page* pg = alloc_pages(GFP_KERNEL, 0);
  ASSERT_NE(nullptr, pg);

  mock::InjectFaults(mock::Fault::kDmaMap, {.every = 1, .limit = 1});
  EXPECT_EQ(DMA_MAPPING_ERROR,
            dma_map_page(mock::Dev(), pg, 0, PAGE_SIZE, DMA_FROM_DEVICE));
  dma_addr_t dma = dma_map_page(mock::Dev(), pg, 0, PAGE_SIZE, DMA_FROM_DEVICE);
  ASSERT_NE(DMA_MAPPING_ERROR, dma);

  iommu_domain* d = iommu_get_domain_for_dev(mock::Dev());
  mock::InjectFaults(mock::Fault::kIovaToPhys, {.every = 1, .limit = 1});
  EXPECT_EQ(0u, iommu_iova_to_phys(d, dma));
  EXPECT_EQ(mock::PageToPhys(pg), iommu_iova_to_phys(d, dma));
  dma_unmap_page(mock::Dev(), dma, PAGE_SIZE, DMA_FROM_DEVICE);

  mock::InjectFaults(mock::Fault::kSkbAlloc, {.every = 1, .limit = 1});
  EXPECT_EQ(nullptr, build_skb(page_address(pg), PAGE_SIZE));
  sk_buff* skb = build_skb(page_address(pg), PAGE_SIZE);
  ASSERT_NE(nullptr, skb);
  kfree_skb(skb);  // puts the page

  page_pool_params pp{};
  pp.pool_size = 16;
  pp.dev = mock::Dev();
  pp.dma_dir = DMA_FROM_DEVICE;
  pp.flags = PP_FLAG_DMA_MAP;
  page_pool* pool = page_pool_create(&pp);
  unsigned off;
  mock::InjectFaults(mock::Fault::kPagePoolAlloc, {.every = 1, .limit = 1});
  EXPECT_EQ(nullptr, page_pool_alloc_frag(pool, &off, 2048, GFP_ATOMIC));
  struct page* frag = page_pool_alloc_frag(pool, &off, 2048, GFP_ATOMIC);
  ASSERT_NE(nullptr, frag);
  page_pool_put_full_page(pool, frag, false);
  page_pool_destroy(pool);

  for (mock::Fault kind : {mock::Fault::kPageAlloc, mock::Fault::kDmaMap,
                           mock::Fault::kIovaToPhys, mock::Fault::kSkbAlloc,
                           mock::Fault::kPagePoolAlloc})
    EXPECT_EQ(1u, mock::FaultsInjected(kind)) << mock::ToString(kind);
}

TEST(MockFault, NothingFailsWhileAPauseLives) {
  mock::Reset(IommuMode::kNone);
  mock::InjectFaults(mock::Fault::kPageAlloc, {.every = 1});
  {
    mock::FaultPause pause;
    EXPECT_EQ("...", FailurePattern(mock::Fault::kPageAlloc, 3));
  }
  EXPECT_EQ("xxx", FailurePattern(mock::Fault::kPageAlloc, 3));
  mock::StopAllFaults();
  EXPECT_EQ("...", FailurePattern(mock::Fault::kPageAlloc, 3));
}

// --- Reset and the registry ---------------------------------------------------

TEST(MockReset, RestoresEveryModuleParameter) {
  mock::Reset(IommuMode::kNone);
  std::vector<mock::ModuleParam> params = mock::ModuleParams();
  std::vector<std::string> names;
  std::vector<std::vector<uint8_t>> defaults;
  for (const mock::ModuleParam& p : params) {
    names.push_back(p.name);
    auto* bytes = static_cast<uint8_t*>(p.addr);
    defaults.emplace_back(bytes, bytes + p.size);
    memset(p.addr, 0x5a, p.size);
  }
  EXPECT_THAT(names, UnorderedElementsAre("queues", "rbdr_len", "cq_len", "sq_len", "debug"));
  mock::Reset(IommuMode::kNone);
  for (size_t i = 0; i < params.size(); i++) {
    auto* bytes = static_cast<uint8_t*>(params[i].addr);
    EXPECT_EQ(defaults[i], std::vector<uint8_t>(bytes, bytes + params[i].size))
        << params[i].name;
  }
}

TEST(MockReset, RestoresTheOnlineCpus) {
  mock::Reset(IommuMode::kNone);
  EXPECT_EQ(2u, num_online_cpus());
  mock::SetOnlineCpus(5);
  EXPECT_EQ(5u, num_online_cpus());
  mock::Reset(IommuMode::kNone);
  EXPECT_EQ(2u, num_online_cpus());
}

// Each mock's report to the registry: what a test holds of it shows in
// Outstanding() as that mock's lines, and nothing once it is released.
class MockRegistry : public ::testing::Test {
 protected:
  void SetUp() override { mock::Reset(IommuMode::kTranslating); }

  void ExpectReported(const std::vector<std::string>& lines,
                      const std::function<void()>& release) {
    EXPECT_THAT(mock::Outstanding(), UnorderedElementsAreArray(lines));
    release();
    EXPECT_THAT(mock::Outstanding(), IsEmpty());
    EXPECT_THAT(mock::Violations(), IsEmpty());
  }
};

TEST_F(MockRegistry, ReportsPagesAllocated) {
  struct page* pg = alloc_pages(GFP_KERNEL, 1);
  ASSERT_NE(nullptr, pg);
  ExpectReported({"pages allocated: 2", "pages with a reference count: 1"},
                 [&] { __free_pages(pg, 1); });
}

TEST_F(MockRegistry, ReportsDmaMappingsAndTheirIovas) {
  struct page* pg = alloc_pages(GFP_KERNEL, 0);
  dma_addr_t dma = dma_map_page(mock::Dev(), pg, 0, PAGE_SIZE, DMA_TO_DEVICE);
  ASSERT_NE(DMA_MAPPING_ERROR, dma);
  ExpectReported({"pages allocated: 1", "pages with a reference count: 1",
                  "DMA mappings: 1", "IOVA ranges: 1", "IOMMU-mapped pages: 1"},
                 [&] {
                   dma_unmap_page(mock::Dev(), dma, PAGE_SIZE, DMA_TO_DEVICE);
                   put_page(pg);
                 });
}

TEST_F(MockRegistry, ReportsSkbsAndThoseDelivered) {
  struct page* pg = alloc_pages(GFP_KERNEL, 0);
  sk_buff* skb = build_skb(page_address(pg), PAGE_SIZE);
  ASSERT_NE(nullptr, skb);
  napi_struct napi{};
  napi_gro_receive(&napi, skb);
  ExpectReported({"pages allocated: 1", "pages with a reference count: 1",
                  "sk_buffs: 1", "sk_buffs delivered and not freed: 1"},
                 [] { EXPECT_EQ(1u, mock::FreeDelivered()); });
}

TEST_F(MockRegistry, ReportsKmallocAndKvmallocBlocks) {
  void* k = kmalloc(100, GFP_KERNEL);
  void* kv = kvzalloc(100, GFP_KERNEL);
  ExpectReported({"kmalloc blocks: 1", "kvmalloc blocks: 1"}, [&] {
    kfree(k);
    kvfree(kv);
  });
}

TEST_F(MockRegistry, ReportsPagePools) {
  page_pool* pool = MakePool(4);
  ASSERT_FALSE(IS_ERR(pool));
  ExpectReported({"page pools: 1"}, [&] { page_pool_destroy(pool); });
}

TEST_F(MockRegistry, ReportsMmioRegions) {
  struct Zero : mock::MmioHandler {
    uint64_t Read64(uint64_t) override { return 0; }
    void Write64(uint64_t, uint64_t) override {}
  } zero;
  uint64_t bar[8];
  mock::MapMmio(bar, sizeof(bar), &zero);
  ExpectReported({"MMIO regions: 1"}, [&] { mock::UnmapMmio(bar); });
}

irqreturn_t NoIrq(int, void*) { return IRQ_NONE; }
int ProbeOk(pci_dev*, const pci_device_id*) { return 0; }
void RemoveNothing(pci_dev*) {}

TEST_F(MockRegistry, ReportsWhatADriverHoldsOfThePciFunction) {
  static const pci_device_id ids[] = {
      {PCI_DEVICE_SUB(PCI_VENDOR_ID_CAVIUM, 0xa034, PCI_ANY_ID, PCI_ANY_ID)}, {}};
  pci_driver drv{};
  drv.name = "registry-test";
  drv.id_table = ids;
  drv.probe = ProbeOk;
  drv.remove = RemoveNothing;
  uint64_t bar0[8];
  pci_dev* pdev = mock::AddPciFunction(0xa034, 0xa134, 8, bar0);
  ASSERT_EQ(0, pci_register_driver(&drv));
  ASSERT_EQ(0, pci_enable_device(pdev));
  ASSERT_EQ(0, pci_request_regions(pdev, "registry-test"));
  ASSERT_EQ(static_cast<void*>(bar0), pci_ioremap_bar(pdev, 0));
  ASSERT_EQ(2, pci_alloc_irq_vectors(pdev, 1, 2, PCI_IRQ_MSIX));
  int irq = pci_irq_vector(pdev, 0);
  ASSERT_EQ(0, request_irq(unsigned(irq), NoIrq, 0, "registry-test", nullptr));
  ExpectReported({"PCI function enabled: 1", "PCI regions requested: 1",
                  "BAR mappings: 1", "MSI-X vectors: 2", "IRQ handlers: 1",
                  "PCI driver bound: 1"},
                 [&] {
                   free_irq(unsigned(irq), nullptr);
                   pci_free_irq_vectors(pdev);
                   iounmap(bar0);
                   pci_release_regions(pdev);
                   pci_disable_device(pdev);
                   pci_unregister_driver(&drv);
                 });
}

int PollNothing(napi_struct*, int) { return 0; }
void RunNothing(tasklet_struct*) {}

TEST_F(MockRegistry, ReportsTheNetworkingCoresHold) {
  net_device* nd = alloc_etherdev_mqs(0, 1, 1);
  napi_struct napi;
  netif_napi_add(nd, &napi, PollNothing);
  tasklet_struct t;
  tasklet_setup(&t, RunNothing);
  tasklet_hi_schedule(&t);
  rtnl_lock();
  ExpectReported({"net_devices: 1", "NAPI contexts not deleted: 1",
                  "tasklets scheduled: 1", "RTNL held: 1"},
                 [&] {
                   rtnl_unlock();
                   tasklet_kill(&t);
                   netif_napi_del(&napi);
                   free_netdev(nd);
                 });
}

void WorkNothing(work_struct*) {}

TEST_F(MockRegistry, ReportsWorkQueued) {
  work_struct w;
  INIT_WORK(&w, WorkNothing);
  ASSERT_TRUE(schedule_work(&w));
  ExpectReported({"work items queued: 1"}, [&] { EXPECT_TRUE(cancel_work_sync(&w)); });
}

}  // namespace
