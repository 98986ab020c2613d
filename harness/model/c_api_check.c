/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Built, not run, by the harness: the C API's header and the register and
 * descriptor headers compile as C, and the model links with nothing but
 * itself and the C++ standard library, as a QEMU device will use it.
 */
#include "kunit/vnic_hw.h"
#include "vnic_model.h"
#include "vnic_regs.h"

static int no_dma(void *opaque, uint64_t addr, void *buf, size_t len)
{
	(void)opaque; (void)addr; (void)buf; (void)len;
	return -1;
}

int main(void)
{
	struct nicvf_model_host host = { .dma_read = no_dma };
	struct nicvf_model_config cfg = { .cqe_rx2 = 1, .vf_id = 3 };
	struct nicvf_model *m = nicvf_model_create(&host, &cfg);

	nicvf_model_mmio_write(m, VNIC_REG_VF_ENA_W1S, VNIC_INT_MBOX);
	int ok = nicvf_model_mmio_read(m, VNIC_REG_VF_ENA_W1S) == VNIC_INT_MBOX &&
		 VNIC_CQE_BYTES == 512;
	nicvf_model_destroy(m);
	return !ok;
}
