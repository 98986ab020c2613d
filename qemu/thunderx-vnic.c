/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * thunderx-vnic: the ThunderX (CN88xx pass 2) NIC virtual function as a
 * PCI Express device, for running the nicvf driver in an arm64 guest.
 *
 * What the guest sees of the hardware:
 *   - IDs: vendor 0x177d (Cavium), device 0xa034 (the VF), subsystem
 *     0x177d:0xa134 (CN88xx VF), revision 8 (pass 2), class Ethernet.
 *   - BAR0: 64-bit memory, 2 MiB: the VF's register map (nic_reg.h): the
 *     VNIC registers below 0x10000 and the queue set above, each queue
 *     type at 0x10000 + type offset + queue index << 18, up to eight
 *     queues, so the last one ends below 0x200000.
 *   - BAR4: 64-bit memory, 1 MiB: MSI-X, 20 vectors, the table at 0 and
 *     the pending bits at 0xf0000.
 *
 * This first version has no model behind BAR0: reads return 0 and writes
 * are logged (-d unimp).  The device model shared with the host harness
 * (harness/model, C++) is to be called from here; vnic-cxx.cc is where C++
 * lives, and for now only proves it is linked in.
 *
 * Nothing the guest does may stop QEMU: bad accesses are logged as guest
 * errors and otherwise ignored.
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "hw/pci/pci.h"
#include "hw/pci/pcie.h"
#include "hw/pci/msix.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "net/net.h"
#include "qom/object.h"
#include "sysemu/sysemu.h"

#include "vnic-cxx.h"

#define TYPE_THUNDERX_VNIC "thunderx-vnic"
OBJECT_DECLARE_SIMPLE_TYPE(ThunderxVnicState, THUNDERX_VNIC)

#define VNIC_VENDOR_CAVIUM	0x177d
#define VNIC_DEVICE_VF		0xa034
#define VNIC_SUBSYS_88XX_VF	0xa134
#define VNIC_REVISION_88XX_P2	0x08

#define VNIC_REG_BAR		0
#define VNIC_REG_BAR_SIZE	(2 * MiB)
#define VNIC_MSIX_BAR		4
#define VNIC_MSIX_BAR_SIZE	(1 * MiB)
#define VNIC_MSIX_TABLE		0x000000
#define VNIC_MSIX_PBA		0x0f0000
#define VNIC_MSIX_VECTORS	20

struct ThunderxVnicState {
	PCIDevice parent_obj;

	MemoryRegion regs;	/* BAR0 */
	MemoryRegion msix;	/* BAR4: MSI-X table and PBA */

	NICConf conf;
	NICState *nic;
};

static uint64_t vnic_reg_read(void *opaque, hwaddr addr, unsigned size)
{
	return 0;
}

static void vnic_reg_write(void *opaque, hwaddr addr, uint64_t val,
			   unsigned size)
{
	qemu_log_mask(LOG_UNIMP,
		      "thunderx-vnic: BAR0 write 0x%06" HWADDR_PRIx
		      " <- 0x%016" PRIx64 " (%u bytes) ignored\n",
		      addr, val, size);
}

/*
 * The registers are 64 bits wide; the driver uses 64-bit accesses, and
 * 32-bit ones are accepted too.  Anything else (unaligned, bytes) is
 * refused by the memory core (a bus error for the guest, not for QEMU).
 */
static const MemoryRegionOps vnic_reg_ops = {
	.read = vnic_reg_read,
	.write = vnic_reg_write,
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

/* No receive path yet: frames from the netdev are dropped */
static ssize_t vnic_receive(NetClientState *nc, const uint8_t *buf,
			    size_t size)
{
	return size;
}

static NetClientInfo vnic_net_info = {
	.type = NET_CLIENT_DRIVER_NIC,
	.size = sizeof(NICState),
	.receive = vnic_receive,
};

static void vnic_realize(PCIDevice *pdev, Error **errp)
{
	ThunderxVnicState *s = THUNDERX_VNIC(pdev);
	DeviceState *dev = DEVICE(pdev);
	unsigned int v;
	int ret;

	memory_region_init_io(&s->regs, OBJECT(s), &vnic_reg_ops, s,
			      "thunderx-vnic-regs", VNIC_REG_BAR_SIZE);
	pci_register_bar(pdev, VNIC_REG_BAR,
			 PCI_BASE_ADDRESS_SPACE_MEMORY |
			 PCI_BASE_ADDRESS_MEM_TYPE_64, &s->regs);

	memory_region_init(&s->msix, OBJECT(s), "thunderx-vnic-msix",
			   VNIC_MSIX_BAR_SIZE);
	pci_register_bar(pdev, VNIC_MSIX_BAR,
			 PCI_BASE_ADDRESS_SPACE_MEMORY |
			 PCI_BASE_ADDRESS_MEM_TYPE_64, &s->msix);

	ret = pcie_endpoint_cap_init(pdev, 0);
	if (ret < 0) {
		error_setg(errp, "thunderx-vnic: no room for the PCIe capability");
		return;
	}

	ret = msix_init(pdev, VNIC_MSIX_VECTORS,
			&s->msix, VNIC_MSIX_BAR, VNIC_MSIX_TABLE,
			&s->msix, VNIC_MSIX_BAR, VNIC_MSIX_PBA, 0, errp);
	if (ret < 0) {
		return;
	}
	for (v = 0; v < VNIC_MSIX_VECTORS; v++) {
		msix_vector_use(pdev, v);
	}

	qemu_macaddr_default_if_unset(&s->conf.macaddr);
	s->nic = qemu_new_nic(&vnic_net_info, &s->conf,
			      object_get_typename(OBJECT(s)), dev->id,
			      &dev->mem_reentrancy_guard, s);
	qemu_format_nic_info_str(qemu_get_queue(s->nic), s->conf.macaddr.a);

	qemu_log_mask(LOG_UNIMP,
		      "thunderx-vnic: %s: no device model yet, BAR0 reads 0\n",
		      thunderx_vnic_cxx_banner());
}

static void vnic_exit(PCIDevice *pdev)
{
	ThunderxVnicState *s = THUNDERX_VNIC(pdev);

	if (s->nic) {
		qemu_del_nic(s->nic);
		s->nic = NULL;
	}
	msix_uninit(pdev, &s->msix, &s->msix);
}

/* What C++ code reports of itself (qom-get <path> cxx): the C++ link probe */
static char *vnic_get_cxx(Object *obj, Error **errp)
{
	return g_strdup(thunderx_vnic_cxx_banner());
}

static void vnic_instance_init(Object *obj)
{
	ThunderxVnicState *s = THUNDERX_VNIC(obj);

	device_add_bootindex_property(obj, &s->conf.bootindex, "bootindex",
				      "/ethernet-phy@0", DEVICE(obj));
}

/* No device state to migrate yet: refuse migration rather than lose it */
static const VMStateDescription vnic_vmstate = {
	.name = TYPE_THUNDERX_VNIC,
	.unmigratable = 1,
};

static Property vnic_properties[] = {
	DEFINE_NIC_PROPERTIES(ThunderxVnicState, conf),
	DEFINE_PROP_END_OF_LIST(),
};

static void vnic_class_init(ObjectClass *klass, void *data)
{
	DeviceClass *dc = DEVICE_CLASS(klass);
	PCIDeviceClass *pc = PCI_DEVICE_CLASS(klass);

	pc->realize = vnic_realize;
	pc->exit = vnic_exit;
	pc->vendor_id = VNIC_VENDOR_CAVIUM;
	pc->device_id = VNIC_DEVICE_VF;
	pc->subsystem_vendor_id = VNIC_VENDOR_CAVIUM;
	pc->subsystem_id = VNIC_SUBSYS_88XX_VF;
	pc->revision = VNIC_REVISION_88XX_P2;
	pc->class_id = PCI_CLASS_NETWORK_ETHERNET;

	dc->desc = "Cavium ThunderX NIC virtual function (CN88xx pass 2)";
	dc->vmsd = &vnic_vmstate;
	device_class_set_props(dc, vnic_properties);
	set_bit(DEVICE_CATEGORY_NETWORK, dc->categories);

	object_class_property_add_str(klass, "cxx", vnic_get_cxx, NULL);
}

static const TypeInfo vnic_info = {
	.name = TYPE_THUNDERX_VNIC,
	.parent = TYPE_PCI_DEVICE,
	.instance_size = sizeof(ThunderxVnicState),
	.instance_init = vnic_instance_init,
	.class_init = vnic_class_init,
	.interfaces = (InterfaceInfo[]) {
		{ INTERFACE_PCIE_DEVICE },
		{ }
	},
};

static void vnic_register_types(void)
{
	type_register_static(&vnic_info);
}

type_init(vnic_register_types)
