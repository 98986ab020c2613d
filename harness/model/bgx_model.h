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

#include <stddef.h>
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

/* A frame from LMAC `lmac`'s wire: 1 if the LMAC passes it to the NIC,
 * 0 if it drops it (off, filtered by DMAC, too short) */
int nicvf_bgx_model_rx(struct nicvf_bgx_model *b, unsigned int lmac,
		       const uint8_t *frame, size_t len);

/* A frame the NIC sends on LMAC `lmac`: where it goes */
enum nicvf_bgx_tx {
	NICVF_BGX_TX_WIRE,
	NICVF_BGX_TX_LOOPBACK,	/* back to the LMAC's receive side */
	NICVF_BGX_TX_DROPPED,	/* the LMAC does not send */
};
/* The frame counts in the LMAC's CMRX_TX_STAT unless dropped */
enum nicvf_bgx_tx nicvf_bgx_model_tx(struct nicvf_bgx_model *b,
				     unsigned int lmac, const uint8_t *frame,
				     size_t len);

struct nicvf_bgx_model_counters {
	uint64_t rx_off, rx_filtered, rx_runts, tx_off, looped;
};
void nicvf_bgx_model_get_counters(const struct nicvf_bgx_model *b,
				  struct nicvf_bgx_model_counters *c);

#ifdef __cplusplus
}
#endif

#endif /* NICVF_MODEL_BGX_MODEL_H */
