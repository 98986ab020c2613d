// SPDX-License-Identifier: GPL-2.0-only
// Simulated PCI functions (the first is the one most tests have; an SQS
// test adds more, one VNIC each) and the driver's hold on each: enable,
// regions, BAR mappings, MSI-X vectors, IRQ handlers and their affinity
// hints are all accounted, so a probe that fails half way, or a remove,
// that leaves anything behind shows in Outstanding(). Function i's IRQs
// are kIrqBase + i * kIrqStride + vector. The functions share one
// struct device's DMA and IOMMU (mock/dma.cc): one domain for all.
#include <cstring>
#include <map>
#include <memory>
#include <vector>

#include "internal.h"

#include <linux/cpumask.h>

namespace mock {
namespace {

constexpr int kIrqBase = 100;
constexpr int kIrqStride = 32;

// The PCI function and what a driver holds of it
struct PciFunction {
  pci_dev pdev{};
  void* bar0 = nullptr;
  bool enabled = false, regions = false, bound = false;
  int bar_maps = 0;
  int vectors = 0;
  std::map<int, std::pair<irq_handler_t, void*>> irqs;
  pci_driver* driver = nullptr;
};

struct Pci {
  std::vector<std::unique_ptr<PciFunction>> fns;
  std::map<unsigned int, int> hints;  // affinity hints by IRQ: the CPU each names
  pci_driver* driver = nullptr;       // registered
};

void Report(const Pci& pci, Leaks& out) {
  size_t enabled = 0, regions = 0, maps = 0, vectors = 0, irqs = 0, bound = 0;
  for (const auto& f : pci.fns) {
    enabled += f->enabled;
    regions += f->regions;
    maps += size_t(f->bar_maps);
    vectors += size_t(f->vectors);
    irqs += f->irqs.size();
    bound += f->bound;
  }
  out.Add("PCI function enabled", enabled);
  out.Add("PCI regions requested", regions);
  out.Add("BAR mappings", maps);
  out.Add("MSI-X vectors", vectors);
  out.Add("IRQ handlers", irqs);
  out.Add("PCI driver bound", bound);
}

Owned<Pci> pci("pci", kOrderPci, Report);

int Index(const pci_dev* pdev) {
  for (size_t i = 0; i < pci->fns.size(); i++)
    if (&pci->fns[i]->pdev == pdev) return int(i);
  return -1;
}

PciFunction* Fn(struct pci_dev* pdev) {
  int i = Index(pdev);
  if (i < 0) {
    Violation("PCI call on a device that is not a simulated function");
    return nullptr;
  }
  return pci->fns[size_t(i)].get();
}

PciFunction* First() { return pci->fns.empty() ? nullptr : pci->fns[0].get(); }

int IrqBase(const PciFunction* f) {
  return kIrqBase + Index(&f->pdev) * kIrqStride;
}

// The function whose vectors `irq` is among
PciFunction* ByIrq(unsigned int irq) {
  for (auto& f : pci->fns) {
    int base = IrqBase(f.get());
    if (int(irq) >= base && int(irq) < base + f->vectors) return f.get();
  }
  return nullptr;
}

bool Matches(const pci_device_id* id, const pci_dev& d) {
  auto eq = [](uint32_t want, uint32_t have) {
    return want == PCI_ANY_ID || want == have;
  };
  return eq(id->vendor, d.vendor) && eq(id->device, d.device) &&
         eq(id->subvendor, d.subsystem_vendor) &&
         eq(id->subdevice, d.subsystem_device);
}

void TryProbe(PciFunction* f) {
  if (!f->driver || f->bound) return;
  for (const pci_device_id* id = f->driver->id_table; id->vendor; id++) {
    if (!Matches(id, f->pdev)) continue;
    f->bound = f->driver->probe(&f->pdev, id) == 0;
    return;
  }
}

}  // namespace

pci_dev* AddPciFunction(uint16_t device, uint16_t subdevice, uint8_t revision,
                        void* bar0) {
  if (pci->fns.size() * kIrqStride >= 1000) {
    Violation("more simulated PCI functions than the IRQ numbering holds");
    return nullptr;
  }
  pci->fns.push_back(std::make_unique<PciFunction>());
  PciFunction* f = pci->fns.back().get();
  pci_dev& d = f->pdev;
  d.dev = *Dev();
  d.vendor = PCI_VENDOR_ID_CAVIUM;
  d.device = device;
  d.subsystem_vendor = PCI_VENDOR_ID_CAVIUM;
  d.subsystem_device = subdevice;
  d.revision = revision;
  f->bar0 = bar0;
  // A driver already registered probes a function that appears
  f->driver = pci->driver;
  TryProbe(f);
  return &d;
}

int IrqHint(int vector) {
  PciFunction* f = First();
  return f ? IrqHint(&f->pdev, vector) : -1;
}

int IrqHint(pci_dev* pdev, int vector) {
  PciFunction* f = Fn(pdev);
  if (!f) return -1;
  auto it = pci->hints.find(unsigned(IrqBase(f) + vector));
  return it == pci->hints.end() ? -1 : it->second;
}

bool RaiseMsix(int vector) {
  PciFunction* f = First();
  return f && RaiseMsix(&f->pdev, vector);
}

bool RaiseMsix(pci_dev* pdev, int vector) {
  PciFunction* f = Fn(pdev);
  if (!f || vector < 0 || vector >= f->vectors) return false;
  auto it = f->irqs.find(IrqBase(f) + vector);
  if (it == f->irqs.end()) return false;
  it->second.first(unsigned(IrqBase(f) + vector), it->second.second);
  return true;
}

bool PciBound() { return First() && First()->bound; }

bool PciBound(pci_dev* pdev) {
  PciFunction* f = Fn(pdev);
  return f && f->bound;
}

void PciUnbind(pci_dev* pdev) {
  PciFunction* f = Fn(pdev);
  if (!f || !f->bound) return;
  f->driver->remove(&f->pdev);
  f->bound = false;
}

// Reboot or kexec: the driver's shutdown; the device stays bound
bool PciShutdown() {
  PciFunction* f = First();
  if (!f || !f->bound || !f->driver->shutdown) return false;
  f->driver->shutdown(&f->pdev);
  return true;
}

}  // namespace mock

using mock::pci;

extern "C" {

int pci_enable_device(struct pci_dev* pdev) {
  auto* f = mock::Fn(pdev);
  if (!f) return -ENODEV;
  if (f->enabled) mock::Violation("pci_enable_device twice");
  f->enabled = true;
  return 0;
}

void pci_disable_device(struct pci_dev* pdev) {
  auto* f = mock::Fn(pdev);
  if (!f) return;
  if (!f->enabled) mock::Violation("pci_disable_device of a disabled device");
  f->enabled = false;
}

void pci_set_master(struct pci_dev* pdev) { mock::Fn(pdev); }
void pci_clear_master(struct pci_dev* pdev) { mock::Fn(pdev); }

int pci_request_regions(struct pci_dev* pdev, const char* name) {
  (void)name;
  auto* f = mock::Fn(pdev);
  if (!f) return -ENODEV;
  if (!f->enabled) mock::Violation("pci_request_regions before enabling");
  if (f->regions) return -EBUSY;
  f->regions = true;
  return 0;
}

void pci_release_regions(struct pci_dev* pdev) {
  auto* f = mock::Fn(pdev);
  if (!f) return;
  if (!f->regions) mock::Violation("pci_release_regions without regions");
  f->regions = false;
}

void __iomem* pci_ioremap_bar(struct pci_dev* pdev, int bar) {
  auto* f = mock::Fn(pdev);
  if (!f || bar != 0 || !f->bar0) return nullptr;
  if (!f->regions) mock::Violation("BAR mapped without its region");
  f->bar_maps++;
  return f->bar0;
}

void iounmap(volatile void __iomem* addr) {
  mock::PciFunction* f = nullptr;
  for (auto& fn : pci->fns)
    if (fn->bar0 == addr && fn->bar_maps) f = fn.get();
  if (!f) {
    mock::Violation("iounmap of something never mapped");
    return;
  }
  f->bar_maps--;
}

int pci_alloc_irq_vectors(struct pci_dev* pdev, unsigned int min_vecs,
                          unsigned int max_vecs, unsigned int flags) {
  auto* f = mock::Fn(pdev);
  if (!f) return -ENODEV;
  if (!(flags & PCI_IRQ_MSIX) || f->vectors) return -EINVAL;
  const unsigned int have = 20;  // a ThunderX VF has 20 MSI-X vectors
  if (have < min_vecs) return -ENOSPC;
  f->vectors = int(max_vecs < have ? max_vecs : have);
  return f->vectors;
}

void pci_free_irq_vectors(struct pci_dev* pdev) {
  auto* f = mock::Fn(pdev);
  if (!f) return;
  if (!f->irqs.empty()) mock::Violation("MSI-X vectors freed with handlers still registered");
  f->vectors = 0;
}

int pci_irq_vector(struct pci_dev* pdev, unsigned int nr) {
  auto* f = mock::Fn(pdev);
  if (!f || int(nr) >= f->vectors) return -EINVAL;
  return mock::IrqBase(f) + int(nr);
}

int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
                const char* name, void* data) {
  (void)flags;
  (void)name;
  auto* f = mock::ByIrq(irq);
  if (!f) return -EINVAL;
  if (f->irqs.count(int(irq))) return -EBUSY;
  f->irqs[int(irq)] = {handler, data};
  return 0;
}

const void* free_irq(unsigned int irq, void* data) {
  auto* f = mock::ByIrq(irq);
  auto it = f ? f->irqs.find(int(irq)) : decltype(f->irqs.end()){};
  if (!f || it == f->irqs.end() || it->second.second != data) {
    mock::Violation("free_irq of an IRQ not requested");
    return nullptr;
  }
  f->irqs.erase(it);
  // As the kernel, which warns and leaks the mask
  if (pci->hints.count(irq)) mock::Violation("free_irq with an affinity hint still set");
  return nullptr;
}

static int SetHint(unsigned int irq, const struct cpumask* m) {
  auto* f = mock::ByIrq(irq);
  if (!f || !f->irqs.count(int(irq))) return -EINVAL;
  if (m)
    pci->hints[irq] = m->cpu;
  else
    pci->hints.erase(irq);
  return 0;
}

int irq_set_affinity_and_hint(unsigned int irq, const struct cpumask* m) {
  return SetHint(irq, m);
}

int irq_update_affinity_hint(unsigned int irq, const struct cpumask* m) {
  return SetHint(irq, m);
}

int pci_register_driver(struct pci_driver* drv) {
  pci->driver = drv;
  for (auto& f : pci->fns) {
    f->driver = drv;
    mock::TryProbe(f.get());
  }
  return 0;
}

// As the driver core: the functions' removes, the last bound first
void pci_unregister_driver(struct pci_driver* drv) {
  if (pci->driver != drv) return;
  for (auto it = pci->fns.rbegin(); it != pci->fns.rend(); ++it) {
    auto& f = *it;
    if (f->bound) drv->remove(&f->pdev);
    f->bound = false;
    f->driver = nullptr;
  }
  pci->driver = nullptr;
}

}  // extern "C"
