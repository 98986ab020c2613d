/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The NIC PF model's C API (nic_pf.h), for QEMU's thunderx-nicpf: BAR0's
 * registers, and the mailbox between the PF and its VFs.  The host maps
 * BAR0 (NICVF_PF_MODEL_BAR_SIZE) and MSI-X (NICVF_PF_MODEL_MSIX_VECTORS,
 * in BAR4), hands each VF's mailbox write to nicvf_pf_model_from_vf(),
 * and delivers what to_vf() gives to that VF (nicvf_model_pf_answer()).
 */
#ifndef NICVF_MODEL_NIC_PF_MODEL_H
#define NICVF_MODEL_NIC_PF_MODEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NICVF_PF_MODEL_BAR_SIZE		(1ull << 30)
#define NICVF_PF_MODEL_MSIX_VECTORS	10
#define NICVF_PF_MODEL_MAX_VFS		128

struct nicvf_pf_model_host {
	void *opaque;
	void (*msix_notify)(void *opaque, unsigned int vector);
	/* the PF's answer to VF `vf` */
	void (*to_vf)(void *opaque, unsigned int vf, uint64_t w0, uint64_t w1);
	/* the PF wrote one of VF `vf`'s statistics registers (offset in the
	 * VF's BAR0): for nicvf_model_pf_write() on that VF (may be NULL) */
	void (*vf_stat_write)(void *opaque, unsigned int vf, uint64_t offset,
			      uint64_t value);
};

struct nicvf_pf_model;

/* pass1: CN88xx pass 1 (nicpf writes its answers first word first) */
struct nicvf_pf_model *nicvf_pf_model_create(const struct nicvf_pf_model_host *host,
					     int pass1);
void nicvf_pf_model_destroy(struct nicvf_pf_model *p);

uint64_t nicvf_pf_model_mmio_read(struct nicvf_pf_model *p, uint64_t offset);
void nicvf_pf_model_mmio_write(struct nicvf_pf_model *p, uint64_t offset,
			       uint64_t value);

/* VF `vf` wrote its mailbox */
void nicvf_pf_model_from_vf(struct nicvf_pf_model *p, unsigned int vf,
			    uint64_t w0, uint64_t w1);

#ifdef __cplusplus
}
#endif

#endif /* NICVF_MODEL_NIC_PF_MODEL_H */
