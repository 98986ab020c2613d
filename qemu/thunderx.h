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

/*
 * The devices' registers are 64 bits wide; a 32-bit access is to one half
 * (drivers use 64-bit accesses, 32-bit ones are accepted too): the value
 * it reads of register `reg`, and the register a write of `val` leaves,
 * the other half as it reads now
 */
static inline uint64_t thunderx_reg_read_half(uint64_t reg, hwaddr addr,
					      unsigned int size)
{
	if (size == 4) {
		return (addr & 4) ? reg >> 32 : (uint32_t)reg;
	}
	return reg;
}

static inline uint64_t thunderx_reg_write_half(uint64_t reg, hwaddr addr,
					       uint64_t val, unsigned int size)
{
	if (size == 4) {
		return (addr & 4) ? (reg & 0xffffffffULL) | (val << 32)
				  : (reg & ~0xffffffffULL) | (uint32_t)val;
	}
	return val;
}

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
