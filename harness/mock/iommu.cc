// SPDX-License-Identifier: GPL-2.0-only
// A simulated IOMMU domain: an IOVA allocator and real multi-level page
// tables walked both for the driver's iommu_iova_to_phys() and for every
// device access, as an SMMU would.
#include <array>

#include "internal.h"

namespace mock {

const char* ToString(IommuMode mode) {
  switch (mode) {
    case IommuMode::kNone: return "NoIommu";
    case IommuMode::kIdentity: return "Identity";
    case IommuMode::kIdentityNoFix: return "IdentityNoFix";
    case IommuMode::kTranslating: return "Translating";
    case IommuMode::kTranslatingFault: return "TranslatingFault";
    case IommuMode::kBounce: return "Bounce";
  }
  return "?";
}

std::vector<IommuMode> AllIommuModes() {
  return {IommuMode::kNone, IommuMode::kIdentity, IommuMode::kIdentityNoFix,
          IommuMode::kTranslating, IommuMode::kTranslatingFault};
}

bool IsTranslating(IommuMode mode) {
  return mode == IommuMode::kTranslating ||
         mode == IommuMode::kTranslatingFault;
}

namespace {
constexpr unsigned kIovaBits = 48;
constexpr uint64_t kValid = 1;
// IOVAs are handed out top-down from 4 GiB, as the kernel's DMA layer does
// for PCI devices.
constexpr uint64_t kIovaTop = 1ull << 32;
}  // namespace

struct Iommu::Table {
  std::vector<uint64_t> leaf;           // at the last level: phys | kValid
  std::vector<std::unique_ptr<Table>> next;
};

Iommu::Iommu(IommuMode mode) : mode_(mode), root_(nullptr), cursor_(kIovaTop) {
  switch (mode) {
    case IommuMode::kNone:
      domain_.type = IOMMU_DOMAIN_BLOCKED;
      break;
    case IommuMode::kIdentity:
    case IommuMode::kIdentityNoFix:
    case IommuMode::kBounce:
      domain_.type = IOMMU_DOMAIN_IDENTITY;
      break;
    case IommuMode::kTranslating:
    case IommuMode::kTranslatingFault:
      domain_.type = IOMMU_DOMAIN_DMA;
      break;
  }
  bits_per_level_ = PAGE_SHIFT - 3;  // 8-byte descriptors fill one granule
  levels_ = (kIovaBits - PAGE_SHIFT + bits_per_level_ - 1) / bits_per_level_;
  root_ = new Table();
}

Iommu::~Iommu() { delete root_; }

uint64_t* Iommu::Leaf(uint64_t iova, bool create) {
  Table* t = root_;
  unsigned shift = PAGE_SHIFT + bits_per_level_ * (levels_ - 1);
  for (unsigned level = 0; level + 1 < levels_; level++) {
    size_t idx = (iova >> shift) & ((1ull << bits_per_level_) - 1);
    if (t->next.empty()) {
      if (!create) return nullptr;
      t->next.resize(size_t(1) << bits_per_level_);
    }
    if (!t->next[idx]) {
      if (!create) return nullptr;
      t->next[idx] = std::make_unique<Table>();
    }
    t = t->next[idx].get();
    shift -= bits_per_level_;
  }
  size_t idx = (iova >> PAGE_SHIFT) & ((1ull << bits_per_level_) - 1);
  if (t->leaf.empty()) {
    if (!create) return nullptr;
    t->leaf.assign(size_t(1) << bits_per_level_, 0);
  }
  return &t->leaf[idx];
}

uint64_t Iommu::AllocIova(size_t size) {
  auto fits = [&](uint64_t start) {
    auto it = iova_.lower_bound(start);
    if (it != iova_.end() && it->first < start + size) return false;
    if (it != iova_.begin()) {
      --it;
      if (it->first + it->second > start) return false;
    }
    return true;
  };
  // A range of this size freed earlier; the search below may have handed
  // it out again since, so it must still be free.
  auto cached = freed_.find(size);
  while (cached != freed_.end() && !cached->second.empty()) {
    uint64_t iova = cached->second.back();
    cached->second.pop_back();
    if (fits(iova)) return iova;
  }
  // Try just below the last allocation, else first fit from the top.
  if (cursor_ >= size + PAGE_SIZE && fits(cursor_ - size)) {
    cursor_ -= size;
    return cursor_;
  }
  uint64_t top = kIovaTop;
  for (auto it = iova_.rbegin(); it != iova_.rend(); ++it) {
    uint64_t end = it->first + it->second;
    if (top >= end + size) return top - size;
    top = it->first;
  }
  if (top >= size + PAGE_SIZE) return top - size;
  return 0;
}

uint64_t Iommu::Map(uint64_t phys, size_t size) {
  size = ALIGN(size, PAGE_SIZE);
  uint64_t iova = AllocIova(size);
  if (!iova) return 0;
  iova_[iova] = size;
  for (size_t off = 0; off < size; off += PAGE_SIZE) {
    uint64_t* e = Leaf(iova + off, true);
    *e = (phys + off) | kValid;
    mapped_pages_++;
  }
  return iova;
}

bool Iommu::Unmap(uint64_t iova, size_t size) {
  size = ALIGN(size, PAGE_SIZE);
  auto it = iova_.find(iova);
  if (it == iova_.end() || it->second != size) return false;
  for (size_t off = 0; off < size; off += PAGE_SIZE) {
    uint64_t* e = Leaf(iova + off, false);
    if (e && (*e & kValid)) {
      *e = 0;
      mapped_pages_--;
    }
  }
  iova_.erase(it);
  freed_[size].push_back(iova);
  return true;
}

bool Iommu::Translate(uint64_t iova, uint64_t* phys) {
  Count().iommu_walks++;
  if (iova >> kIovaBits) return false;
  uint64_t* e = Leaf(iova, false);
  if (!e || !(*e & kValid)) return false;
  *phys = (*e & ~uint64_t(kValid)) + (iova & (PAGE_SIZE - 1));
  return true;
}

namespace {

struct Chunk {
  uint64_t phys;
  uint8_t* host;
  size_t len;
};

// Device-side translation of [iova, iova + len) into chunks of a page.
bool DeviceChunks(uint64_t iova, size_t len, std::vector<Chunk>* chunks) {
  Iommu& mmu = *Device().iommu;
  while (len) {
    size_t n = std::min<size_t>(len, PAGE_SIZE - (iova & (PAGE_SIZE - 1)));
    uint64_t phys = iova;
    if (IsTranslating(mmu.mode()) && !mmu.Translate(iova, &phys)) {
      if (mmu.mode() == IommuMode::kTranslatingFault) Count().iommu_faults++;
      return false;
    }
    void* host = PhysToHost(phys);
    if (!host || !PhysToHost(phys + n - 1)) return false;
    chunks->push_back({phys, static_cast<uint8_t*>(host), n});
    iova += n;
    len -= n;
  }
  return true;
}

}  // namespace

bool DeviceWrite(uint64_t iova, const void* src, size_t len) {
  std::vector<Chunk> chunks;
  if (!DeviceChunks(iova, len, &chunks)) return false;
  auto p = static_cast<const uint8_t*>(src);
  for (const Chunk& c : chunks) {
    DeviceStore(c.phys, c.host, p, c.len);
    p += c.len;
  }
  return true;
}

bool DeviceRead(uint64_t iova, void* dst, size_t len) {
  std::vector<Chunk> chunks;
  if (!DeviceChunks(iova, len, &chunks)) return false;
  auto p = static_cast<uint8_t*>(dst);
  for (const Chunk& c : chunks) {
    DeviceLoad(c.phys, c.host, p, c.len);
    p += c.len;
  }
  return true;
}

}  // namespace mock

extern "C" {

struct iommu_domain* iommu_get_domain_for_dev(struct device* dev) {
  return dev->mock->iommu->domain();
}

phys_addr_t iommu_iova_to_phys(struct iommu_domain* domain, dma_addr_t iova) {
  mock::Count().iova_to_phys++;
  if (mock::ShouldFail(mock::Fault::kIovaToPhys)) return 0;
  mock::Iommu& mmu = *mock::Device().iommu;
  if (domain != mmu.domain()) {
    mock::Violation("iommu_iova_to_phys on a domain that is not the device's");
    return 0;
  }
  switch (mmu.mode()) {
    case mock::IommuMode::kIdentity:
    case mock::IommuMode::kBounce:
      return iova;
    case mock::IommuMode::kIdentityNoFix:
      return 0;  // an IOMMU driver without the identity-domain fix
    case mock::IommuMode::kTranslating:
    case mock::IommuMode::kTranslatingFault: {
      uint64_t phys;
      return mmu.Translate(iova, &phys) ? phys : 0;
    }
    case mock::IommuMode::kNone:
      break;
  }
  mock::Violation("iommu_iova_to_phys without an IOMMU domain");
  return 0;
}

}  // extern "C"
