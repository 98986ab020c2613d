/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The KUnit suite's device, from nicvf_kunit_dev.ko: qemu's pci-testdev,
 * bound by that module's PCI driver, and how the guest was booted.
 */
#ifndef NICVF_KUNIT_DEV_H
#define NICVF_KUNIT_DEV_H

struct pci_dev;

/* The bound pci-testdev, or NULL if there was none to bind */
struct pci_dev *nk_dev_pdev(void);
/* The boot mode /init was told: "translate", "identity" or "bounce" */
const char *nk_dev_mode(void);

#endif
