/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * thunderx-nicpf: the ThunderX NIC physical function, for the in-tree
 * nicpf driver, with SR-IOV: its VFs are thunderx-vnic functions.
 *
 * Its registers are the model's (harness/model/nic_pf.h, through
 * nic_pf_model.h); this file is the QEMU host:
 *   - IDs: vendor 0x177d, device 0xa01e, the subsystem and revision of
 *     the chip the "chip" property names, from which nicpf tells the chips
 *     apart: cn88xx (a11e, revision 8: pass 2), cn88xx-pass1 (a11e,
 *     revision 0), cn81xx (a21e), cn83xx (a31e);
 *   - BAR0: 64-bit memory, 1 GiB: the PF's registers and a 2 MiB window
 *     per VF; BAR4: 64-bit, 1 MiB, MSI-X with the 10 vectors nicpf takes
 *     (8 and 9: the mailboxes of VFs 0-63 and 64-127), the pending bits
 *     at 0xf0000;
 *   - SR-IOV: 128 VFs at most (TotalVFs = InitialVFs, as Linux requires
 *     without VF migration), VF offset 1 and stride 1, so the PF must be
 *     function 0 of a slot low enough for its VFs' numbers to stay on
 *     bus 0; each VF a thunderx-vnic of the same chip (VF device a034, or
 *     0011 on pass 1) with a 2 MiB BAR0 and a 1 MiB BAR4, created when
 *     nicpf enables SR-IOV;
 *   - the mailbox: a VF's message reaches the model (and its vector); the
 *     model's answer goes to that VF 1 ms later (nicpf_to_vf());
 *   - a write to a VF's statistics registers in its window of BAR0 (what
 *     nicpf's RESET_STAT_COUNTER does) reaches that VF's registers;
 *   - the data path, as nicpf programmed the model's registers: a VF's
 *     send goes to the LMAC its SQ is scheduled onto (of the machine's
 *     thunderx-bgx, BGX 0), and a frame an LMAC passes on goes to the VF
 *     its channel's CPI names, which parses and hashes it, and then to
 *     the queue set and RQ of the RSS index for that hash, which may be
 *     another VF's.  What the registers drop, the model counts.
 * Like the VF, its DMA and MSI-X do not wait for Bus Master Enable, which
 * nicpf never sets.
 */

#include "qemu/osdep.h"
#include "qemu/module.h"
#include "qemu/timer.h"
#include "qemu/range.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "hw/pci/pci.h"
#include "hw/pci/pcie.h"
#include "hw/pci/pcie_sriov.h"
#include "hw/pci/msix.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "qom/object.h"

#include "nic_pf_model.h"
#include "thunderx.h"

OBJECT_DECLARE_SIMPLE_TYPE(ThunderxNicpfState, THUNDERX_NICPF)

#define NICPF_VENDOR_CAVIUM	0x177d
#define NICPF_DEVICE_ID		0xa01e
#define NICPF_MSIX_BAR		4
#define NICPF_MSIX_BAR_SIZE	(1 * MiB)
#define NICPF_MSIX_PBA		0xf0000
#define NICPF_SRIOV_CAP		0x100
#define NICPF_VF_BAR0_SIZE	(2 * MiB)
#define NICPF_VF_BAR4_SIZE	(1 * MiB)
#define NICPF_ANSWER_DELAY_NS	(1000 * 1000)

struct nicpf_chip {
	const char *name;
	uint16_t subsystem_id;
	uint8_t revision;
	uint16_t vf_device_id;
	enum nicvf_pf_model_family family;
};

static const struct nicpf_chip nicpf_chips[] = {
	{ "cn88xx",       0xa11e, 0x08, 0xa034, NICVF_PF_MODEL_CN88XX },
	{ "cn88xx-pass1", 0xa11e, 0x00, 0x0011, NICVF_PF_MODEL_CN88XX },
	{ "cn81xx",       0xa21e, 0x08, 0xa034, NICVF_PF_MODEL_CN81XX },
	{ "cn83xx",       0xa31e, 0x08, 0xa034, NICVF_PF_MODEL_CN83XX },
};

struct ThunderxNicpfState {
	PCIDevice parent_obj;

	MemoryRegion regs;	/* BAR0 */
	MemoryRegion msix;	/* BAR4 */

	struct nicvf_pf_model *model;
	const struct nicpf_chip *chip;

	char *chip_name;
	uint16_t total_vfs;

	QEMUTimer *answer_timer;
	struct {
		bool pending;
		uint64_t w0, w1;
	} answer[NICVF_PF_MODEL_MAX_VFS];	/* answers on their way */

	PCIDevice *bgx;		/* the machine's thunderx-bgx, once found */
	uint64_t tx_no_lmac;	/* sends to no LMAC of that BGX */
	uint64_t rx_no_vf;	/* frames for a VF SR-IOV has not made */
};

static void nicpf_msix_notify(void *opaque, unsigned int vector)
{
	ThunderxNicpfState *s = opaque;

	if (vector < NICVF_PF_MODEL_MSIX_VECTORS) {
		msix_notify(PCI_DEVICE(s), vector);
	}
}

static void nicpf_deliver(ThunderxNicpfState *s, unsigned int vf)
{
	PCIDevice *v = pcie_sriov_get_vf_at_index(PCI_DEVICE(s), vf);

	s->answer[vf].pending = false;
	/* (an answer for a VF that SR-IOV has not created goes nowhere) */
	if (v) {
		thunderx_vnic_pf_answer(v, s->answer[vf].w0, s->answer[vf].w1);
	}
}

static void nicpf_answer_timer(void *opaque)
{
	ThunderxNicpfState *s = opaque;
	unsigned int vf;

	for (vf = 0; vf < NICVF_PF_MODEL_MAX_VFS; vf++) {
		if (s->answer[vf].pending) {
			nicpf_deliver(s, vf);
		}
	}
}

/*
 * The PF's answer reaches the VF a little later (NICPF_ANSWER_DELAY_NS),
 * as on the silicon, where nicpf's interrupt handler has cleared the
 * VF's NIC_PF_MAILBOX_INT bit long before the VF driver reacts.  nicpf
 * clears it after answering: a VF that sent its next message in between
 * would have it cleared unseen.  Under TCG the VF's vCPU can do just that
 * while the PF's is descheduled; the delay keeps the silicon's order.
 */
static void nicpf_to_vf(void *opaque, unsigned int vf, uint64_t w0,
			uint64_t w1)
{
	ThunderxNicpfState *s = opaque;

	if (vf >= NICVF_PF_MODEL_MAX_VFS) {
		return;
	}
	if (s->answer[vf].pending) {
		nicpf_deliver(s, vf);	/* keep the order of two answers */
	}
	s->answer[vf].w0 = w0;
	s->answer[vf].w1 = w1;
	s->answer[vf].pending = true;
	if (!timer_pending(s->answer_timer)) {
		timer_mod(s->answer_timer,
			  qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
			  NICPF_ANSWER_DELAY_NS);
	}
}

static void nicpf_vf_stat_write(void *opaque, unsigned int vf,
				uint64_t offset, uint64_t value)
{
	PCIDevice *v = pcie_sriov_get_vf_at_index(PCI_DEVICE(opaque), vf);

	if (v) {
		thunderx_vnic_pf_write(v, offset, value);
	}
}

static bool nicpf_new_model(ThunderxNicpfState *s, Error **errp)
{
	struct nicvf_pf_model_host host = {
		.opaque = s,
		.msix_notify = nicpf_msix_notify,
		.to_vf = nicpf_to_vf,
		.vf_stat_write = nicpf_vf_stat_write,
	};

	struct nicvf_pf_model_config cfg = {
		.family = s->chip->family,
		.pass1 = s->chip->revision < 8 && s->chip->subsystem_id == 0xa11e,
		.total_vfs = s->total_vfs,
	};

	s->model = nicvf_pf_model_create(&host, &cfg);
	if (!s->model) {
		error_setg(errp, "thunderx-nicpf: the PF model refused its configuration");
		return false;
	}
	return true;
}

bool thunderx_nicpf_is(PCIDevice *pf)
{
	return pf && object_dynamic_cast(OBJECT(pf), TYPE_THUNDERX_NICPF);
}

const char *thunderx_nicpf_chip(PCIDevice *pf)
{
	return THUNDERX_NICPF(pf)->chip->name;
}

void thunderx_nicpf_from_vf(PCIDevice *pf, unsigned int vf, uint64_t w0,
			    uint64_t w1)
{
	nicvf_pf_model_from_vf(THUNDERX_NICPF(pf)->model, vf, w0, w1);
}

/* One BGX per machine, on-chip beside the NIC: found once, by type */
static PCIDevice *nicpf_bgx(ThunderxNicpfState *s)
{
	if (!s->bgx) {
		Object *o = object_resolve_path_type("", TYPE_THUNDERX_BGX, NULL);

		s->bgx = o ? PCI_DEVICE(o) : NULL;
	}
	return s->bgx;
}

void thunderx_nicpf_send(PCIDevice *pf, unsigned int vf, unsigned int sq,
			 const uint8_t *buf, size_t len)
{
	ThunderxNicpfState *s = THUNDERX_NICPF(pf);
	unsigned int bgx, lmac;

	if (nicvf_pf_model_tx_lmac(s->model, vf, sq, &bgx, &lmac)) {
		return;		/* not scheduled: counted by the model */
	}
	if (bgx != 0 || !nicpf_bgx(s)) {
		s->tx_no_lmac++;
		return;
	}
	thunderx_bgx_send(s->bgx, lmac, buf, len);
}

struct nicpf_steer {
	ThunderxNicpfState *s;
	struct nicvf_pf_model_rx rx;
};

static int nicpf_steer(void *opaque, int hashed, uint32_t hash)
{
	struct nicpf_steer *st = opaque;

	return nicvf_pf_model_rx_queue(st->s->model, &st->rx, hashed, hash);
}

void thunderx_nicpf_receive(PCIDevice *pf, unsigned int bgx,
			    unsigned int lmac, const uint8_t *buf, size_t len)
{
	ThunderxNicpfState *s = THUNDERX_NICPF(pf);
	struct nicpf_steer st = { .s = s };
	PCIDevice *vf;
	int to = -1;

	if (nicvf_pf_model_rx_channel(s->model, bgx, lmac, &st.rx)) {
		return;		/* the NIC is off: counted by the model */
	}
	vf = pcie_sriov_get_vf_at_index(pf, st.rx.vnic);
	if (!vf) {
		s->rx_no_vf++;
		return;
	}
	if (thunderx_vnic_receive_steered(vf, buf, len, nicpf_steer, &st,
					  &to) != 2) {
		return;
	}
	/* The RSS index names a queue set of another VF's (an SQS) */
	vf = pcie_sriov_get_vf_at_index(pf, to >> 3);
	if (!vf) {
		s->rx_no_vf++;
		return;
	}
	thunderx_vnic_receive(vf, to & 7, buf, len);
}

static uint64_t nicpf_reg_read(void *opaque, hwaddr addr, unsigned size)
{
	ThunderxNicpfState *s = opaque;
	uint64_t reg = nicvf_pf_model_mmio_read(s->model, addr & ~7ULL);

	return thunderx_reg_read_half(reg, addr, size);
}

static void nicpf_reg_write(void *opaque, hwaddr addr, uint64_t val,
			    unsigned size)
{
	ThunderxNicpfState *s = opaque;

	if (size == 4) {
		uint64_t reg = nicvf_pf_model_mmio_read(s->model, addr & ~7ULL);

		val = thunderx_reg_write_half(reg, addr, val, size);
	}
	nicvf_pf_model_mmio_write(s->model, addr & ~7ULL, val);
}

static const MemoryRegionOps nicpf_reg_ops = {
	.read = nicpf_reg_read,
	.write = nicpf_reg_write,
	.endianness = DEVICE_LITTLE_ENDIAN,
	.valid = {
		.min_access_size = 4,
		.max_access_size = 8,
	},
	.impl = {
		.min_access_size = 4,
		.max_access_size = 8,
	},
};

static void nicpf_config_write(PCIDevice *pdev, uint32_t addr, uint32_t val,
			       int len)
{
	pci_default_write_config(pdev, addr, val, len);
	if (range_covers_byte(addr, len, PCI_COMMAND)) {
		memory_region_set_enabled(&pdev->bus_master_enable_region, true);
	}
}

static void nicpf_realize(PCIDevice *pdev, Error **errp)
{
	ThunderxNicpfState *s = THUNDERX_NICPF(pdev);
	unsigned int i;
	int ret;

	s->chip = s->chip_name ? NULL : &nicpf_chips[0];
	for (i = 0; s->chip_name && i < ARRAY_SIZE(nicpf_chips); i++) {
		if (!strcmp(s->chip_name, nicpf_chips[i].name)) {
			s->chip = &nicpf_chips[i];
		}
	}
	if (!s->chip) {
		error_setg(errp, "thunderx-nicpf: unknown chip '%s' (cn88xx, cn88xx-pass1, cn81xx, cn83xx)",
			   s->chip_name);
		return;
	}
	/* nicpf divides by zero below 32 VFs on CN88xx and CN83xx */
	if (s->total_vfs < 32 || s->total_vfs > NICVF_PF_MODEL_MAX_VFS) {
		error_setg(errp, "thunderx-nicpf: total-vfs must be 32 to %d",
			   NICVF_PF_MODEL_MAX_VFS);
		return;
	}
	if (PCI_FUNC(pdev->devfn) != 0 ||
	    pdev->devfn + s->total_vfs > PCI_DEVFN(31, 7)) {
		error_setg(errp, "thunderx-nicpf: must be function 0 of a slot that leaves its %u VFs room on the bus",
			   s->total_vfs);
		return;
	}
	if (!nicpf_new_model(s, errp)) {
		return;
	}
	s->answer_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, nicpf_answer_timer, s);
	object_property_add_uint64_ptr(OBJECT(s), "tx-no-lmac", &s->tx_no_lmac,
				       OBJ_PROP_FLAG_READ);
	object_property_add_uint64_ptr(OBJECT(s), "rx-no-vf", &s->rx_no_vf,
				       OBJ_PROP_FLAG_READ);
	pci_set_word(pdev->config + PCI_SUBSYSTEM_ID, s->chip->subsystem_id);
	pci_config_set_revision(pdev->config, s->chip->revision);

	memory_region_init_io(&s->regs, OBJECT(s), &nicpf_reg_ops, s,
			      "thunderx-nicpf-regs", NICVF_PF_MODEL_BAR_SIZE);
	pci_register_bar(pdev, 0, PCI_BASE_ADDRESS_SPACE_MEMORY |
			 PCI_BASE_ADDRESS_MEM_TYPE_64, &s->regs);
	memory_region_init(&s->msix, OBJECT(s), "thunderx-nicpf-msix",
			   NICPF_MSIX_BAR_SIZE);
	pci_register_bar(pdev, NICPF_MSIX_BAR, PCI_BASE_ADDRESS_SPACE_MEMORY |
			 PCI_BASE_ADDRESS_MEM_TYPE_64, &s->msix);

	ret = pcie_endpoint_cap_init(pdev, 0);
	if (ret < 0) {
		error_setg(errp, "thunderx-nicpf: no room for the PCIe capability");
		return;
	}
	ret = msix_init(pdev, NICVF_PF_MODEL_MSIX_VECTORS,
			&s->msix, NICPF_MSIX_BAR, 0,
			&s->msix, NICPF_MSIX_BAR, NICPF_MSIX_PBA, 0, errp);
	if (ret < 0) {
		return;
	}
	for (i = 0; i < NICVF_PF_MODEL_MSIX_VECTORS; i++) {
		msix_vector_use(pdev, i);
	}

	pcie_sriov_pf_init(pdev, NICPF_SRIOV_CAP, "thunderx-vnic",
			   s->chip->vf_device_id, s->total_vfs, s->total_vfs,
			   1, 1);
	pcie_sriov_pf_init_vf_bar(pdev, 0, PCI_BASE_ADDRESS_SPACE_MEMORY |
				  PCI_BASE_ADDRESS_MEM_TYPE_64,
				  NICPF_VF_BAR0_SIZE);
	pcie_sriov_pf_init_vf_bar(pdev, 4, PCI_BASE_ADDRESS_SPACE_MEMORY |
				  PCI_BASE_ADDRESS_MEM_TYPE_64,
				  NICPF_VF_BAR4_SIZE);
}

static void nicpf_exit(PCIDevice *pdev)
{
	ThunderxNicpfState *s = THUNDERX_NICPF(pdev);

	pcie_sriov_pf_exit(pdev);
	timer_free(s->answer_timer);
	s->answer_timer = NULL;
	nicvf_pf_model_destroy(s->model);
	s->model = NULL;
	msix_uninit(pdev, &s->msix, &s->msix);
}

/* A machine reset: the VFs go, the PF's registers are new */
static void nicpf_reset(DeviceState *dev)
{
	ThunderxNicpfState *s = THUNDERX_NICPF(dev);

	if (!s->model) {
		return;
	}
	pcie_sriov_pf_disable_vfs(PCI_DEVICE(dev));
	timer_del(s->answer_timer);
	memset(s->answer, 0, sizeof(s->answer));
	nicvf_pf_model_destroy(s->model);
	s->model = NULL;
	nicpf_new_model(s, &error_abort);
}

static const VMStateDescription nicpf_vmstate = {
	.name = TYPE_THUNDERX_NICPF,
	.unmigratable = 1,
};

static Property nicpf_properties[] = {
	DEFINE_PROP_STRING("chip", ThunderxNicpfState, chip_name),
	DEFINE_PROP_UINT16("total-vfs", ThunderxNicpfState, total_vfs, 128),
	DEFINE_PROP_END_OF_LIST(),
};

static void nicpf_class_init(ObjectClass *klass, void *data)
{
	DeviceClass *dc = DEVICE_CLASS(klass);
	PCIDeviceClass *pc = PCI_DEVICE_CLASS(klass);

	pc->realize = nicpf_realize;
	pc->exit = nicpf_exit;
	pc->config_write = nicpf_config_write;
	pc->vendor_id = NICPF_VENDOR_CAVIUM;
	pc->device_id = NICPF_DEVICE_ID;
	pc->subsystem_vendor_id = NICPF_VENDOR_CAVIUM;
	pc->subsystem_id = nicpf_chips[0].subsystem_id;
	pc->revision = nicpf_chips[0].revision;
	pc->class_id = PCI_CLASS_NETWORK_ETHERNET;

	dc->desc = "Cavium ThunderX NIC physical function";
	dc->vmsd = &nicpf_vmstate;
	dc->reset = nicpf_reset;
	device_class_set_props(dc, nicpf_properties);
	set_bit(DEVICE_CATEGORY_NETWORK, dc->categories);
}

static const TypeInfo nicpf_info = {
	.name = TYPE_THUNDERX_NICPF,
	.parent = TYPE_PCI_DEVICE,
	.instance_size = sizeof(ThunderxNicpfState),
	.class_init = nicpf_class_init,
	.interfaces = (InterfaceInfo[]) {
		{ INTERFACE_PCIE_DEVICE },
		{ }
	},
};

static void nicpf_register_types(void)
{
	type_register_static(&nicpf_info);
}

type_init(nicpf_register_types)
