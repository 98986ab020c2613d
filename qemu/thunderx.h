/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the ThunderX devices tell each other: a VF (thunderx-vnic) that
 * thunderx-nicpf's SR-IOV created sends its mailbox messages to that PF,
 * and the PF hands its answers to the VF; the VF's sent frames go to the
 * PF, which schedules them onto an LMAC of the BGX (thunderx-bgx), and
 * what an LMAC receives goes to the PF, which steers it to a VF's queue.
 */
#ifndef HW_NET_THUNDERX_H
#define HW_NET_THUNDERX_H

#include "hw/pci/pci.h"

#define TYPE_THUNDERX_NICPF "thunderx-nicpf"
#define TYPE_THUNDERX_BGX "thunderx-bgx"

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

/* thunderx-nicpf.c: a frame LMAC `lmac` of BGX `bgx` passed to the NIC */
void thunderx_nicpf_receive(PCIDevice *pf, unsigned int bgx,
			    unsigned int lmac, const uint8_t *buf, size_t len);
/* thunderx-nicpf.c: VF `vf` sends a frame from its SQ `sq` */
void thunderx_nicpf_send(PCIDevice *pf, unsigned int vf, unsigned int sq,
			 const uint8_t *buf, size_t len);

/* thunderx-bgx.c: the NIC sends a frame on LMAC `lmac` */
void thunderx_bgx_send(PCIDevice *bgx, unsigned int lmac, const uint8_t *buf,
		       size_t len);

/*
 * thunderx-vnic.c: a frame the PF's channel gives the VF; steer() answers
 * with the queue set and RQ for the parser's hash (vnic_model.h's
 * nicvf_model_receive_steered()).  2 and *elsewhere set if that queue set
 * is another VF's, for thunderx_vnic_receive() there
 */
int thunderx_vnic_receive_steered(PCIDevice *vf, const uint8_t *buf,
				  size_t len,
				  int (*steer)(void *opaque, int hashed,
					       uint32_t hash),
				  void *opaque, int *elsewhere);
/* thunderx-vnic.c: a frame for the VF's RQ `rq` */
void thunderx_vnic_receive(PCIDevice *vf, unsigned int rq, const uint8_t *buf,
			   size_t len);

/* thunderx-vnic.c: the PF's answer for the VF */
void thunderx_vnic_pf_answer(PCIDevice *vf, uint64_t w0, uint64_t w1);
/* thunderx-vnic.c: the PF wrote a statistics register of the VF's */
void thunderx_vnic_pf_write(PCIDevice *vf, uint64_t offset, uint64_t value);

#endif /* HW_NET_THUNDERX_H */
