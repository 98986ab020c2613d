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

enum nicvf_pf_model_family {
	NICVF_PF_MODEL_CN88XX,
	NICVF_PF_MODEL_CN81XX,
	NICVF_PF_MODEL_CN83XX,
};

struct nicvf_pf_model_config {
	enum nicvf_pf_model_family family;
	int pass1;		/* CN88xx pass 1 (nicpf writes its answers
				 * first word first, CPI not MPI tables) */
	unsigned int total_vfs;	/* the PF's SR-IOV TotalVFs */
};

struct nicvf_pf_model *nicvf_pf_model_create(const struct nicvf_pf_model_host *host,
					     const struct nicvf_pf_model_config *cfg);
void nicvf_pf_model_destroy(struct nicvf_pf_model *p);

uint64_t nicvf_pf_model_mmio_read(struct nicvf_pf_model *p, uint64_t offset);
void nicvf_pf_model_mmio_write(struct nicvf_pf_model *p, uint64_t offset,
			       uint64_t value);

/* VF `vf` wrote its mailbox */
void nicvf_pf_model_from_vf(struct nicvf_pf_model *p, unsigned int vf,
			    uint64_t w0, uint64_t w1);

/*
 * The data path as the PF's registers program it (nic_pf.h).  A frame
 * LMAC `lmac` of BGX `bgx` received goes to the VNIC that
 * nicvf_pf_model_rx_channel() names, whose parser hashes it; then
 * nicvf_pf_model_rx_queue() gives the queue set and RQ (qset << 3 | rq),
 * or -1 to drop it.  Returns -1 when the NIC is off.
 */
struct nicvf_pf_model_rx {
	unsigned int vnic;
	uint32_t rssi_base;
	unsigned int hash_bits;
};

int nicvf_pf_model_rx_channel(struct nicvf_pf_model *p, unsigned int bgx,
			      unsigned int lmac, struct nicvf_pf_model_rx *rx);
int nicvf_pf_model_rx_queue(struct nicvf_pf_model *p,
			    const struct nicvf_pf_model_rx *rx, int hashed,
			    uint32_t hash);
/* The BGX and LMAC that SQ `sq` of queue set `qset` sends to: 0, or -1 if
 * the PF has not scheduled that SQ */
int nicvf_pf_model_tx_lmac(struct nicvf_pf_model *p, unsigned int qset,
			   unsigned int sq, unsigned int *bgx,
			   unsigned int *lmac);

struct nicvf_pf_model_counters {
	uint64_t rx_nic_off, rx_qset_off, tx_unscheduled, cpi_alg_other;
};
void nicvf_pf_model_get_counters(const struct nicvf_pf_model *p,
				 struct nicvf_pf_model_counters *c);

#ifdef __cplusplus
}
#endif

#endif /* NICVF_MODEL_NIC_PF_MODEL_H */
