// SPDX-License-Identifier: GPL-2.0-only
// One simulated PCI function and the driver's hold on it: enable, regions,
// BAR mappings, MSI-X vectors, IRQ handlers and their affinity hints are
// all accounted, so a probe that fails half way, or a remove, that leaves
// anything behind shows in Outstanding().
#include <cstring>
#include <map>

#include "internal.h"

#include <linux/cpumask.h>

namespace mock {
namespace {

constexpr int kIrqBase = 100;

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
  std::unique_ptr<PciFunction> fn;
  std::map<unsigned int, int> hints;  // affinity hints by IRQ: the CPU each names
};

void Report(const Pci& pci, Leaks& out) {
  const PciFunction* f = pci.fn.get();
  if (!f) return;
  out.Add("PCI function enabled", f->enabled);
  out.Add("PCI regions requested", f->regions);
  out.Add("BAR mappings", size_t(f->bar_maps));
  out.Add("MSI-X vectors", size_t(f->vectors));
  out.Add("IRQ handlers", f->irqs.size());
  out.Add("PCI driver bound", f->bound);
}

Owned<Pci> pci("pci", kOrderPci, Report);

PciFunction* Fn(struct pci_dev* pdev) {
  PciFunction* f = pci->fn.get();
  if (!f || &f->pdev != pdev) {
    Violation("PCI call on a device that is not the simulated function");
    return nullptr;
  }
  return f;
}

bool Matches(const pci_device_id* id, const pci_dev& d) {
  auto eq = [](uint32_t want, uint32_t have) {
    return want == PCI_ANY_ID || want == have;
  };
  return eq(id->vendor, d.vendor) && eq(id->device, d.device) &&
         eq(id->subvendor, d.subsystem_vendor) &&
         eq(id->subdevice, d.subsystem_device);
}

void TryProbe() {
  PciFunction* f = pci->fn.get();
  if (!f || !f->driver || f->bound) return;
  for (const pci_device_id* id = f->driver->id_table; id->vendor; id++) {
    if (!Matches(id, f->pdev)) continue;
    f->bound = f->driver->probe(&f->pdev, id) == 0;
    return;
  }
}

}  // namespace

pci_dev* AddPciFunction(uint16_t device, uint16_t subdevice, uint8_t revision,
                        void* bar0) {
  pci->fn = std::make_unique<PciFunction>();
  pci_dev& d = pci->fn->pdev;
  d.dev = *Dev();
  d.vendor = PCI_VENDOR_ID_CAVIUM;
  d.device = device;
  d.subsystem_vendor = PCI_VENDOR_ID_CAVIUM;
  d.subsystem_device = subdevice;
  d.revision = revision;
  pci->fn->bar0 = bar0;
  pci->hints.clear();
  return &d;
}

int IrqHint(int vector) {
  auto it = pci->hints.find(unsigned(kIrqBase + vector));
  return it == pci->hints.end() ? -1 : it->second;
}

bool RaiseMsix(int vector) {
  PciFunction* f = pci->fn.get();
  if (!f || vector < 0 || vector >= f->vectors) return false;
  auto it = f->irqs.find(kIrqBase + vector);
  if (it == f->irqs.end()) return false;
  it->second.first(kIrqBase + vector, it->second.second);
  return true;
}

bool PciBound() { return pci->fn && pci->fn->bound; }

// Reboot or kexec: the driver's shutdown; the device stays bound
bool PciShutdown() {
  PciFunction* f = pci->fn.get();
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
  auto* f = pci->fn.get();
  if (!f || addr != f->bar0 || !f->bar_maps) {
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
  return mock::kIrqBase + int(nr);
}

int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
                const char* name, void* data) {
  (void)flags;
  (void)name;
  auto* f = pci->fn.get();
  if (!f || int(irq) < mock::kIrqBase || int(irq) >= mock::kIrqBase + f->vectors)
    return -EINVAL;
  if (f->irqs.count(int(irq))) return -EBUSY;
  f->irqs[int(irq)] = {handler, data};
  return 0;
}

const void* free_irq(unsigned int irq, void* data) {
  auto* f = pci->fn.get();
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
  auto* f = pci->fn.get();
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
  auto* f = pci->fn.get();
  if (f) {
    f->driver = drv;
    mock::TryProbe();
  }
  return 0;
}

void pci_unregister_driver(struct pci_driver* drv) {
  auto* f = pci->fn.get();
  if (!f || f->driver != drv) return;
  if (f->bound) drv->remove(&f->pdev);
  f->bound = false;
  f->driver = nullptr;
}

}  // extern "C"
