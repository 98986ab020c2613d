/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim (mock/pci.cc): one simulated PCI function, resources accounted. */
#ifndef _LINUX_PCI_H
#define _LINUX_PCI_H
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/types.h>

#define PCI_VENDOR_ID_CAVIUM 0x177d
#define PCI_ANY_ID (~0u)
#define PCI_IRQ_MSIX (1u << 2)

struct pci_device_id {
	u32 vendor, device;
	u32 subvendor, subdevice;
	u32 class_id, class_mask;
	unsigned long driver_data;
};

#define PCI_DEVICE_SUB(vend, dev, subvend, subdev) \
	.vendor = (vend), .device = (dev), \
	.subvendor = (subvend), .subdevice = (subdev)
#define MODULE_DEVICE_TABLE(type, name)

struct pci_dev {
	struct device dev;
	u16 vendor, device;
	u16 subsystem_vendor, subsystem_device;
	u8 revision;
	void *drvdata;
};

struct pci_driver {
	const char *name;
	const struct pci_device_id *id_table;
	int (*probe)(struct pci_dev *pdev, const struct pci_device_id *id);
	void (*remove)(struct pci_dev *pdev);
	void (*shutdown)(struct pci_dev *pdev);
};

static inline const char *pci_name(const struct pci_dev *pdev)
{
	(void)pdev;
	return "0002:01:00.1";
}

static inline void pci_set_drvdata(struct pci_dev *pdev, void *data)
{
	pdev->drvdata = data;
}

static inline void *pci_get_drvdata(struct pci_dev *pdev)
{
	return pdev->drvdata;
}

#ifdef __cplusplus
extern "C" {
#endif
int pci_enable_device(struct pci_dev *pdev);
void pci_disable_device(struct pci_dev *pdev);
void pci_set_master(struct pci_dev *pdev);
void pci_clear_master(struct pci_dev *pdev);
int pci_request_regions(struct pci_dev *pdev, const char *name);
void pci_release_regions(struct pci_dev *pdev);
void __iomem *pci_ioremap_bar(struct pci_dev *pdev, int bar);
void iounmap(volatile void __iomem *addr);
int pci_alloc_irq_vectors(struct pci_dev *pdev, unsigned int min_vecs,
			  unsigned int max_vecs, unsigned int flags);
void pci_free_irq_vectors(struct pci_dev *pdev);
int pci_irq_vector(struct pci_dev *pdev, unsigned int nr);
int pci_register_driver(struct pci_driver *drv);
void pci_unregister_driver(struct pci_driver *drv);
#ifdef __cplusplus
}
#endif
#endif
