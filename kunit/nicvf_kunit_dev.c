// SPDX-License-Identifier: GPL-2.0-only
/*
 * The device the nicvf KUnit suite plays the hardware for: a PCI driver
 * that binds qemu's pci-testdev (behind the SMMU, so it has the IOMMU
 * domain the boot mode gives it), and the boot mode, as a parameter.
 *
 * This is a module of its own, loaded before the suite's, because 6.1 runs
 * a module's KUnit suites before that module's parameters are parsed and
 * its sysfs directory exists: a PCI driver registered from the suite
 * itself would have no module kobject to link to, and its mode= would
 * still be the default.  Unloading this module unbinds the device, and
 * DMA-API debugging then reports any mapping the suite left behind.
 */

#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/pci.h>

#include "nicvf_kunit_dev.h"

static char *mode = "translate";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "How the guest was booted: translate, identity or bounce");

static struct pci_dev *nk_dev;

struct pci_dev *nk_dev_pdev(void)
{
	return nk_dev;
}
EXPORT_SYMBOL_GPL(nk_dev_pdev);

const char *nk_dev_mode(void)
{
	return mode;
}
EXPORT_SYMBOL_GPL(nk_dev_mode);

static int nk_dev_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int err = pci_enable_device(pdev);

	if (err)
		return err;
	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (err) {
		pci_disable_device(pdev);
		return err;
	}
	pci_set_master(pdev);
	nk_dev = pdev;
	return 0;
}

static void nk_dev_remove(struct pci_dev *pdev)
{
	nk_dev = NULL;
	pci_disable_device(pdev);
}

/* qemu's pci-testdev: a device with nothing to drive, behind the SMMU */
static const struct pci_device_id nk_dev_ids[] = {
	{ PCI_DEVICE(PCI_VENDOR_ID_REDHAT, 0x0005) },
	{ }
};

static struct pci_driver nk_dev_driver = {
	.name = "nicvf_kunit_dev",
	.id_table = nk_dev_ids,
	.probe = nk_dev_probe,
	.remove = nk_dev_remove,
};

static int __init nk_dev_init(void)
{
	int err = pci_register_driver(&nk_dev_driver);

	if (err)
		return err;
	if (!nk_dev) {
		pci_unregister_driver(&nk_dev_driver);
		pr_err("nicvf_kunit_dev: no pci-testdev (1b36:0005) to bind\n");
		return -ENODEV;
	}
	return 0;
}
module_init(nk_dev_init);

static void __exit nk_dev_exit(void)
{
	pci_unregister_driver(&nk_dev_driver);
}
module_exit(nk_dev_exit);

MODULE_DESCRIPTION("The device of the nicvf KUnit suite");
MODULE_LICENSE("GPL");
