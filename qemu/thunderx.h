/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the ThunderX devices tell each other: a VF (thunderx-vnic) that
 * thunderx-nicpf's SR-IOV created sends its mailbox messages to that PF,
 * and the PF hands its answers to the VF.
 */
#ifndef HW_NET_THUNDERX_H
#define HW_NET_THUNDERX_H

#include "hw/pci/pci.h"

#define TYPE_THUNDERX_NICPF "thunderx-nicpf"

/* Whether `pf` is a thunderx-nicpf, and the chip it was told to be */
bool thunderx_nicpf_is(PCIDevice *pf);
const char *thunderx_nicpf_chip(PCIDevice *pf);

/* thunderx-nicpf.c: VF `vf` of `pf` wrote its mailbox */
void thunderx_nicpf_from_vf(PCIDevice *pf, unsigned int vf, uint64_t w0,
			    uint64_t w1);

/* thunderx-vnic.c: the PF's answer for the VF */
void thunderx_vnic_pf_answer(PCIDevice *vf, uint64_t w0, uint64_t w1);
/* thunderx-vnic.c: the PF wrote a statistics register of the VF's */
void thunderx_vnic_pf_write(PCIDevice *vf, uint64_t offset, uint64_t value);

#endif /* HW_NET_THUNDERX_H */
