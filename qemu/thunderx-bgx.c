/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * thunderx-bgx: the ThunderX BGX (the block of LMACs between the wire and
 * the NIC) as a PCI Express device, for the in-tree thunder_bgx driver.
 *
 * Its registers are the model's (harness/model/bgx.h, through
 * bgx_model.h): what firmware leaves (the LMAC count and types), the PCS
 * resets thunder_bgx waits for, and the link as it polls it.  This file is
 * the QEMU host:
 *   - IDs: vendor 0x177d, device 0xa026, the subsystem of the chip the
 *     "chip" property names (cn88xx a126, cn81xx a226, cn83xx a326);
 *   - BAR0: 64-bit memory, 64 MiB, the LMACs' pages (lmac << 20) with the
 *     MSI-X table (30 vectors) at 0x400000 and its pending bits at
 *     0x4f0000, where the hardware has them.  thunder_bgx derives the
 *     BGX's number from BAR0 address bits 24-25: a 64 MiB BAR is 64 MiB
 *     aligned, so this is BGX 0 (one per machine);
 *   - the firmware's description of the LMACs: a child node of the PCIe
 *     host bridge's device-tree node, for this function, with one node per
 *     LMAC holding its local-mac-address (mac, mac+1, ...): thunder_bgx
 *     reads MAC addresses from there and nowhere else.  It is added
 *     before the machine's device tree is finished (a machine-init-done
 *     notifier, which runs before the board's own).
 *   - the LMACs' wires: netdev0..netdev3.  A frame from LMAC k's netdev
 *     that the LMAC passes (enabled, its DMAC filter) goes to the
 *     machine's thunderx-nicpf, which steers it; what the NIC sends on
 *     LMAC k goes to that netdev, or back to the LMAC's receive side when
 *     thunder_bgx put it in internal loopback.  A netdev's link is the
 *     LMAC's (with the link property).
 * Properties: lmacs (1..4), lmac-type (xfi, xaui, rxaui, xlaui, sgmii), mac,
 * link (every LMAC's), chip, netdev0..netdev3.
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "hw/boards.h"
#include "hw/pci/pci.h"
#include "hw/pci/pcie.h"
#include "hw/pci/msix.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "net/net.h"
#include "qom/object.h"
#include "sysemu/device_tree.h"
#include "sysemu/sysemu.h"

#include "bgx_model.h"
#include "thunderx.h"

OBJECT_DECLARE_SIMPLE_TYPE(ThunderxBgxState, THUNDERX_BGX)

#define BGX_VENDOR_CAVIUM	0x177d
#define BGX_DEVICE_ID		0xa026

struct bgx_chip {
	const char *name;
	uint16_t subsystem_id;
};

static const struct bgx_chip bgx_chips[] = {
	{ "cn88xx", 0xa126 },
	{ "cn81xx", 0xa226 },
	{ "cn83xx", 0xa326 },
};

static const char *const bgx_types[] = {
	[NICVF_BGX_SGMII] = "sgmii",
	[NICVF_BGX_XAUI] = "xaui",
	[NICVF_BGX_RXAUI] = "rxaui",
	[NICVF_BGX_XFI] = "xfi",
	[NICVF_BGX_XLAUI] = "xlaui",
};

struct ThunderxBgxState {
	PCIDevice parent_obj;

	MemoryRegion bar0;	/* container: the registers, MSI-X over them */
	MemoryRegion regs;

	struct nicvf_bgx_model *model;
	const struct bgx_chip *chip;
	unsigned int type;
	Notifier machine_done;

	/* properties */
	char *chip_name;
	char *type_name;
	uint8_t lmacs;
	MACAddr mac;
	bool link;
	NICConf conf[NICVF_BGX_MODEL_MAX_LMACS];	/* netdev0..3 */

	NICState *nic[NICVF_BGX_MODEL_MAX_LMACS];
	PCIDevice *pf;		/* the machine's thunderx-nicpf, once found */
};

static uint64_t bgx_reg_read(void *opaque, hwaddr addr, unsigned size)
{
	ThunderxBgxState *s = opaque;
	uint64_t reg = nicvf_bgx_model_mmio_read(s->model, addr & ~7ULL);

	return thunderx_reg_read_half(reg, addr, size);
}

static void bgx_reg_write(void *opaque, hwaddr addr, uint64_t val,
			  unsigned size)
{
	ThunderxBgxState *s = opaque;

	if (size == 4) {
		uint64_t reg = nicvf_bgx_model_mmio_read(s->model, addr & ~7ULL);

		val = thunderx_reg_write_half(reg, addr, val, size);
	}
	nicvf_bgx_model_mmio_write(s->model, addr & ~7ULL, val);
}

static const MemoryRegionOps bgx_reg_ops = {
	.read = bgx_reg_read,
	.write = bgx_reg_write,
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

/* --- The wires ------------------------------------------------------------ */

/* One NIC PF per machine, on-chip beside the BGX: found once, by type */
static PCIDevice *bgx_pf(ThunderxBgxState *s)
{
	if (!s->pf) {
		Object *o = object_resolve_path_type("", TYPE_THUNDERX_NICPF,
						     NULL);

		s->pf = o ? PCI_DEVICE(o) : NULL;
	}
	return s->pf;
}

static int bgx_lmac_of(ThunderxBgxState *s, NetClientState *nc)
{
	unsigned int l;

	for (l = 0; l < s->lmacs; l++) {
		if (s->nic[l] && qemu_get_queue(s->nic[l]) == nc) {
			return l;
		}
	}
	return -1;
}

static void bgx_lmac_receive(ThunderxBgxState *s, unsigned int lmac,
			     const uint8_t *buf, size_t len)
{
	PCIDevice *pf;

	if (!nicvf_bgx_model_rx(s->model, lmac, buf, len)) {
		return;		/* off or filtered: counted by the model */
	}
	pf = bgx_pf(s);
	if (pf) {
		thunderx_nicpf_receive(pf, 0, lmac, buf, len);
	}
}

static ssize_t bgx_receive(NetClientState *nc, const uint8_t *buf,
			   size_t size)
{
	ThunderxBgxState *s = qemu_get_nic_opaque(nc);
	int l = bgx_lmac_of(s, nc);

	if (l >= 0 && s->model) {
		bgx_lmac_receive(s, l, buf, size);
	}
	/* Taken either way: what the LMAC does not pass is dropped */
	return size;
}

void thunderx_bgx_send(PCIDevice *dev, unsigned int lmac, const uint8_t *buf,
		       size_t len)
{
	ThunderxBgxState *s = THUNDERX_BGX(dev);

	if (lmac >= s->lmacs || !s->model) {
		return;
	}
	switch (nicvf_bgx_model_tx(s->model, lmac, buf, len)) {
	case NICVF_BGX_TX_WIRE:
		qemu_send_packet(qemu_get_queue(s->nic[lmac]), buf, len);
		break;
	case NICVF_BGX_TX_LOOPBACK:
		bgx_lmac_receive(s, lmac, buf, len);
		break;
	default:
		break;
	}
}

static void bgx_push_link(ThunderxBgxState *s, unsigned int lmac)
{
	bool up = s->link && !(s->nic[lmac] &&
			       qemu_get_queue(s->nic[lmac])->link_down);

	nicvf_bgx_model_set_link(s->model, lmac, up);
}

static void bgx_link_status_changed(NetClientState *nc)
{
	ThunderxBgxState *s = qemu_get_nic_opaque(nc);
	int l = bgx_lmac_of(s, nc);

	if (l >= 0 && s->model) {
		bgx_push_link(s, l);
	}
}

static NetClientInfo bgx_net_info = {
	.type = NET_CLIENT_DRIVER_NIC,
	.size = sizeof(NICState),
	.receive = bgx_receive,
	.link_status_changed = bgx_link_status_changed,
};

/*
 * The LMACs' firmware description: under the PCIe host bridge's node, a
 * node whose reg is this function's (bus << 16 | devfn << 8, then zeros),
 * with a child per LMAC in order.  Without it thunder_bgx gives every
 * LMAC a zero MAC.
 */
static void bgx_add_fdt_node(Notifier *n, void *data)
{
	ThunderxBgxState *s = container_of(n, ThunderxBgxState, machine_done);
	PCIDevice *pdev = PCI_DEVICE(s);
	MachineState *ms = MACHINE(qdev_get_machine());
	g_auto(GStrv) hosts = NULL;
	g_autofree char *node = NULL;
	unsigned int l;

	if (!ms->fdt) {
		return;
	}
	hosts = qemu_fdt_node_path(ms->fdt, NULL, "pci-host-ecam-generic",
				   NULL);
	if (!hosts || !hosts[0] || pci_dev_bus_num(pdev) != 0) {
		warn_report("thunderx-bgx: no device-tree node for the PCIe host bridge's bus 0: the LMACs get no MAC");
		return;
	}
	node = g_strdup_printf("%s/bgx@%x,%x", hosts[0], PCI_SLOT(pdev->devfn),
			       PCI_FUNC(pdev->devfn));
	qemu_fdt_add_subnode(ms->fdt, node);
	qemu_fdt_setprop_cells(ms->fdt, node, "reg",
			       pci_dev_bus_num(pdev) << 16 | pdev->devfn << 8,
			       0, 0, 0, 0);
	qemu_fdt_setprop_cell(ms->fdt, node, "#address-cells", 1);
	qemu_fdt_setprop_cell(ms->fdt, node, "#size-cells", 0);
	/*
	 * thunder_bgx gives LMAC k the MAC of the node's k-th child, and a
	 * node added goes before its siblings: add them last LMAC first
	 */
	for (l = s->lmacs; l-- > 0;) {
		g_autofree char *lmac = g_strdup_printf("%s/%s@%u", node,
							bgx_types[s->type], l);
		uint8_t mac[6];

		memcpy(mac, s->mac.a, sizeof(mac));
		mac[5] += l;
		qemu_fdt_add_subnode(ms->fdt, lmac);
		qemu_fdt_setprop_cell(ms->fdt, lmac, "reg", l);
		qemu_fdt_setprop(ms->fdt, lmac, "local-mac-address", mac,
				 sizeof(mac));
	}
}

static bool bgx_new_model(ThunderxBgxState *s, Error **errp)
{
	unsigned int l;

	s->model = nicvf_bgx_model_create(s->lmacs, s->type);
	if (!s->model) {
		error_setg(errp, "thunderx-bgx: lmacs must be 1 to %d",
			   NICVF_BGX_MODEL_MAX_LMACS);
		return false;
	}
	for (l = 0; l < s->lmacs; l++) {
		bgx_push_link(s, l);
	}
	return true;
}

static void bgx_realize(PCIDevice *pdev, Error **errp)
{
	ThunderxBgxState *s = THUNDERX_BGX(pdev);
	unsigned int i;
	int ret;

	s->chip = s->chip_name ? NULL : &bgx_chips[0];
	for (i = 0; s->chip_name && i < ARRAY_SIZE(bgx_chips); i++) {
		if (!strcmp(s->chip_name, bgx_chips[i].name)) {
			s->chip = &bgx_chips[i];
		}
	}
	if (!s->chip) {
		error_setg(errp, "thunderx-bgx: unknown chip '%s' (cn88xx, cn81xx, cn83xx)",
			   s->chip_name);
		return;
	}
	s->type = ARRAY_SIZE(bgx_types);
	for (i = 0; i < ARRAY_SIZE(bgx_types); i++) {
		if (!strcmp(s->type_name ? s->type_name : "xfi", bgx_types[i])) {
			s->type = i;
		}
	}
	if (s->type == ARRAY_SIZE(bgx_types)) {
		error_setg(errp, "thunderx-bgx: unknown lmac-type '%s' (sgmii, xaui, rxaui, xfi, xlaui)",
			   s->type_name);
		return;
	}
	if (s->lmacs < 1 || s->lmacs > NICVF_BGX_MODEL_MAX_LMACS) {
		error_setg(errp, "thunderx-bgx: lmacs must be 1 to %d",
			   NICVF_BGX_MODEL_MAX_LMACS);
		return;
	}
	for (i = 0; i < NICVF_BGX_MODEL_MAX_LMACS; i++) {
		if (i >= s->lmacs && s->conf[i].peers.ncs[0]) {
			error_setg(errp, "thunderx-bgx: netdev%u is for an LMAC this BGX does not have",
				   i);
			return;
		}
	}
	for (i = 0; i < s->lmacs; i++) {
		s->nic[i] = qemu_new_nic(&bgx_net_info, &s->conf[i],
					 object_get_typename(OBJECT(s)),
					 DEVICE(s)->id,
					 &DEVICE(s)->mem_reentrancy_guard, s);
	}
	if (!bgx_new_model(s, errp)) {
		return;
	}
	pci_set_word(pdev->config + PCI_SUBSYSTEM_ID, s->chip->subsystem_id);

	memory_region_init(&s->bar0, OBJECT(s), "thunderx-bgx-bar0",
			   NICVF_BGX_MODEL_BAR_SIZE);
	memory_region_init_io(&s->regs, OBJECT(s), &bgx_reg_ops, s,
			      "thunderx-bgx-regs", NICVF_BGX_MODEL_BAR_SIZE);
	memory_region_add_subregion_overlap(&s->bar0, 0, &s->regs, -1);
	pci_register_bar(pdev, 0, PCI_BASE_ADDRESS_SPACE_MEMORY |
			 PCI_BASE_ADDRESS_MEM_TYPE_64, &s->bar0);

	ret = pcie_endpoint_cap_init(pdev, 0);
	if (ret < 0) {
		error_setg(errp, "thunderx-bgx: no room for the PCIe capability");
		return;
	}
	ret = msix_init(pdev, NICVF_BGX_MODEL_MSIX_VECTORS,
			&s->bar0, 0, NICVF_BGX_MODEL_MSIX_TABLE,
			&s->bar0, 0, NICVF_BGX_MODEL_MSIX_PBA, 0, errp);
	if (ret < 0) {
		return;
	}
	for (i = 0; i < NICVF_BGX_MODEL_MSIX_VECTORS; i++) {
		msix_vector_use(pdev, i);
	}

	qemu_macaddr_default_if_unset(&s->mac);
	s->machine_done.notify = bgx_add_fdt_node;
	qemu_add_machine_init_done_notifier(&s->machine_done);
}

static void bgx_exit(PCIDevice *pdev)
{
	ThunderxBgxState *s = THUNDERX_BGX(pdev);
	unsigned int l;

	qemu_remove_machine_init_done_notifier(&s->machine_done);
	for (l = 0; l < NICVF_BGX_MODEL_MAX_LMACS; l++) {
		if (s->nic[l]) {
			qemu_del_nic(s->nic[l]);
			s->nic[l] = NULL;
		}
	}
	nicvf_bgx_model_destroy(s->model);
	s->model = NULL;
	msix_uninit(pdev, &s->bar0, &s->bar0);
}

/* A machine reset is a chip reset: what firmware left, nothing since */
static void bgx_reset(DeviceState *dev)
{
	ThunderxBgxState *s = THUNDERX_BGX(dev);

	if (!s->model) {
		return;
	}
	nicvf_bgx_model_destroy(s->model);
	s->model = NULL;
	bgx_new_model(s, &error_abort);
}

static const VMStateDescription bgx_vmstate = {
	.name = TYPE_THUNDERX_BGX,
	.unmigratable = 1,
};

static Property bgx_properties[] = {
	DEFINE_PROP_STRING("chip", ThunderxBgxState, chip_name),
	DEFINE_PROP_STRING("lmac-type", ThunderxBgxState, type_name),
	DEFINE_PROP_UINT8("lmacs", ThunderxBgxState, lmacs, 4),
	DEFINE_PROP_MACADDR("mac", ThunderxBgxState, mac),
	DEFINE_PROP_BOOL("link", ThunderxBgxState, link, true),
	DEFINE_PROP_NETDEV("netdev0", ThunderxBgxState, conf[0].peers),
	DEFINE_PROP_NETDEV("netdev1", ThunderxBgxState, conf[1].peers),
	DEFINE_PROP_NETDEV("netdev2", ThunderxBgxState, conf[2].peers),
	DEFINE_PROP_NETDEV("netdev3", ThunderxBgxState, conf[3].peers),
	DEFINE_PROP_END_OF_LIST(),
};

static void bgx_class_init(ObjectClass *klass, void *data)
{
	DeviceClass *dc = DEVICE_CLASS(klass);
	PCIDeviceClass *pc = PCI_DEVICE_CLASS(klass);

	pc->realize = bgx_realize;
	pc->exit = bgx_exit;
	pc->vendor_id = BGX_VENDOR_CAVIUM;
	pc->device_id = BGX_DEVICE_ID;
	pc->subsystem_vendor_id = BGX_VENDOR_CAVIUM;
	pc->subsystem_id = bgx_chips[0].subsystem_id;
	pc->revision = 0x08;
	pc->class_id = PCI_CLASS_NETWORK_ETHERNET;

	dc->desc = "Cavium ThunderX BGX (LMACs)";
	dc->vmsd = &bgx_vmstate;
	dc->reset = bgx_reset;
	device_class_set_props(dc, bgx_properties);
	set_bit(DEVICE_CATEGORY_NETWORK, dc->categories);
}

static const TypeInfo bgx_info = {
	.name = TYPE_THUNDERX_BGX,
	.parent = TYPE_PCI_DEVICE,
	.instance_size = sizeof(ThunderxBgxState),
	.class_init = bgx_class_init,
	.interfaces = (InterfaceInfo[]) {
		{ INTERFACE_PCIE_DEVICE },
		{ }
	},
};

static void bgx_register_types(void)
{
	type_register_static(&bgx_info);
}

type_init(bgx_register_types)
