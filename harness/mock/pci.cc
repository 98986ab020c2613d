// SPDX-License-Identifier: GPL-2.0-only
// One simulated PCI function and the driver's hold on it: enable, regions,
// BAR mappings, MSI-X vectors, IRQ handlers and net_devices are all
// accounted, so a probe that fails half way, or a remove, that leaves
// anything behind shows in Outstanding().
#include <cstring>

#include "state.h"

#include <linux/cpumask.h>

namespace mock {
namespace {

constexpr int kIrqBase = 100;

// Affinity hints by IRQ: the CPU each names
std::map<unsigned int, int> hints;

State::PciFunction* Fn(struct pci_dev* pdev) {
  State::PciFunction* f = S().pci.get();
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
  State::PciFunction* f = S().pci.get();
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
  State& s = S();
  s.pci = std::make_unique<State::PciFunction>();
  pci_dev& d = s.pci->pdev;
  d.dev = *Dev();
  d.vendor = PCI_VENDOR_ID_CAVIUM;
  d.device = device;
  d.subsystem_vendor = PCI_VENDOR_ID_CAVIUM;
  d.subsystem_device = subdevice;
  d.revision = revision;
  s.pci->bar0 = bar0;
  hints.clear();
  return &d;
}

int IrqHint(int vector) {
  auto it = hints.find(unsigned(kIrqBase + vector));
  return it == hints.end() ? -1 : it->second;
}

bool RaiseMsix(int vector) {
  State::PciFunction* f = S().pci.get();
  if (!f || vector < 0 || vector >= f->vectors) return false;
  auto it = f->irqs.find(kIrqBase + vector);
  if (it == f->irqs.end()) return false;
  it->second.first(kIrqBase + vector, it->second.second);
  return true;
}

bool PciBound() { return S().pci && S().pci->bound; }

// Reboot or kexec: the driver's shutdown; the device stays bound
bool PciShutdown() {
  State::PciFunction* f = S().pci.get();
  if (!f || !f->bound || !f->driver->shutdown) return false;
  f->driver->shutdown(&f->pdev);
  return true;
}
size_t NetdevsAlive() { return S().netdevs.size(); }

}  // namespace mock

using mock::S;

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
  auto* f = S().pci.get();
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
  auto* f = S().pci.get();
  if (!f || int(irq) < mock::kIrqBase || int(irq) >= mock::kIrqBase + f->vectors)
    return -EINVAL;
  if (f->irqs.count(int(irq))) return -EBUSY;
  f->irqs[int(irq)] = {handler, data};
  return 0;
}

const void* free_irq(unsigned int irq, void* data) {
  auto* f = S().pci.get();
  auto it = f ? f->irqs.find(int(irq)) : decltype(f->irqs.end()){};
  if (!f || it == f->irqs.end() || it->second.second != data) {
    mock::Violation("free_irq of an IRQ not requested");
    return nullptr;
  }
  f->irqs.erase(it);
  // As the kernel, which warns and leaks the mask
  if (mock::hints.count(irq)) mock::Violation("free_irq with an affinity hint still set");
  return nullptr;
}

static const struct cpumask* Cpu(int cpu) {
  static struct cpumask masks[64];
  if (cpu < 0 || cpu >= 64) return nullptr;
  masks[cpu].cpu = cpu;
  return &masks[cpu];
}

const struct cpumask* cpumask_of(int cpu) { return Cpu(cpu); }

unsigned int cpumask_local_spread(unsigned int i, int node) {
  (void)node;
  return i % unsigned(mock_online_cpus);
}

static int SetHint(unsigned int irq, const struct cpumask* m) {
  auto* f = S().pci.get();
  if (!f || !f->irqs.count(int(irq))) return -EINVAL;
  if (m)
    mock::hints[irq] = m->cpu;
  else
    mock::hints.erase(irq);
  return 0;
}

int irq_set_affinity_and_hint(unsigned int irq, const struct cpumask* m) {
  return SetHint(irq, m);
}

int irq_update_affinity_hint(unsigned int irq, const struct cpumask* m) {
  return SetHint(irq, m);
}

int pci_register_driver(struct pci_driver* drv) {
  auto* f = S().pci.get();
  if (f) {
    f->driver = drv;
    mock::TryProbe();
  }
  return 0;
}

void pci_unregister_driver(struct pci_driver* drv) {
  auto* f = S().pci.get();
  if (!f || f->driver != drv) return;
  if (f->bound) drv->remove(&f->pdev);
  f->bound = false;
  f->driver = nullptr;
}

struct net_device* alloc_etherdev_mqs(int sizeof_priv, unsigned int txqs,
                                      unsigned int rxqs) {
  auto* nd = static_cast<net_device*>(calloc(1, sizeof(net_device)));
  nd->priv = calloc(1, size_t(sizeof_priv));
  nd->num_tx_queues = txqs;
  nd->num_rx_queues = rxqs;
  nd->real_num_tx_queues = txqs;
  nd->real_num_rx_queues = rxqs;
  nd->tx = static_cast<netdev_queue*>(calloc(txqs, sizeof(netdev_queue)));
  for (unsigned int i = 0; i < txqs; i++) nd->tx[i].dev = nd;
  nd->min_mtu = 68;
  nd->max_mtu = 1500;
  nd->mtu = 1500;
  memset(nd->broadcast, 0xff, 6);
  S().netdevs.insert(nd);
  return nd;
}

void free_netdev(struct net_device* dev) {
  if (!S().netdevs.erase(dev)) {
    mock::Violation("free_netdev of a net_device never allocated");
    return;
  }
  if (dev->registered) mock::Violation("free_netdev of a registered net_device");
  free(dev->tx);
  free(dev->priv);
  free(dev);
}

void eth_hw_addr_set(struct net_device* dev, const u8* addr) {
  memcpy(dev->perm_addr, addr, 6);
  dev->dev_addr = dev->perm_addr;
  dev->addr_assign_type = NET_ADDR_PERM;
}

void eth_hw_addr_random(struct net_device* dev) {
  static uint32_t x = 0x12345;
  for (int i = 0; i < 6; i++) {
    x = x * 1103515245u + 12345u;
    dev->perm_addr[i] = uint8_t(x >> 16);
  }
  dev->perm_addr[0] = (dev->perm_addr[0] & 0xfe) | 0x02;  // local, unicast
  dev->dev_addr = dev->perm_addr;
  dev->addr_assign_type = NET_ADDR_RANDOM;
}

}  // extern "C"
