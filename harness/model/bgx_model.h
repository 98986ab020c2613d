/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The BGX model's C API, for QEMU's thunderx-bgx device: the register file
 * of bgx.h (the block of LMACs thunder_bgx drives) behind plain calls.
 * The host maps BAR0 (NICVF_BGX_MODEL_BAR_SIZE) and passes its 64-bit
 * accesses here, except the MSI-X table and pending bits, which it maps
 * itself at NICVF_BGX_MODEL_MSIX_TABLE and NICVF_BGX_MODEL_MSIX_PBA.
 */
#ifndef NICVF_MODEL_BGX_MODEL_H
#define NICVF_MODEL_BGX_MODEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NICVF_BGX_MODEL_BAR_SIZE	(64ull << 20)
#define NICVF_BGX_MODEL_MSIX_TABLE	0x400000
#define NICVF_BGX_MODEL_MSIX_PBA	0x4f0000
#define NICVF_BGX_MODEL_MSIX_VECTORS	30
#define NICVF_BGX_MODEL_MAX_LMACS	4

/* LMAC types, as CMRX_CFG[10:8] holds them */
#define NICVF_BGX_SGMII		0
#define NICVF_BGX_XAUI		1
#define NICVF_BGX_RXAUI		2
#define NICVF_BGX_XFI		3
#define NICVF_BGX_XLAUI		4

struct nicvf_bgx_model;

/* `lmacs` LMACs (1..4) of `type`, links up.  NULL on bad arguments */
struct nicvf_bgx_model *nicvf_bgx_model_create(unsigned int lmacs,
					       unsigned int type);
void nicvf_bgx_model_destroy(struct nicvf_bgx_model *b);

uint64_t nicvf_bgx_model_mmio_read(struct nicvf_bgx_model *b, uint64_t offset);
void nicvf_bgx_model_mmio_write(struct nicvf_bgx_model *b, uint64_t offset,
				uint64_t value);

void nicvf_bgx_model_set_link(struct nicvf_bgx_model *b, unsigned int lmac,
			      int up);
/* Whether the LMAC passes received frames on (nicpf enables it) */
int nicvf_bgx_model_rx_enabled(const struct nicvf_bgx_model *b,
			       unsigned int lmac);

#ifdef __cplusplus
}
#endif

#endif /* NICVF_MODEL_BGX_MODEL_H */
