/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * thunderx-vnic: the ThunderX NIC virtual function as a PCI Express
 * device, for running nicvf drivers in an arm64 guest.
 *
 * The VNIC's behaviour is not written here.  It is the device model the
 * host harness tests (harness/model: registers and their side effects,
 * the RBDR/CQ/RQ/SQ engines, the receive parser, interrupts, and the PF's
 * side of the mailbox as nicpf answers it), called through its C API
 * (vnic_model.h).  This file is the QEMU host of that model:
 *   - BAR0 accesses go to the model; 32-bit accesses are merged into the
 *     64-bit registers the model decodes;
 *   - the model's DMA is PCI DMA, through the IOMMU when the machine has
 *     one (virt,iommu=smmuv3), so a fault is what the SMMU says; it does
 *     not depend on Bus Master Enable (see vnic_config_write());
 *   - its interrupts are MSI-X vectors (20, in BAR4);
 *   - its sent frames go to the netdev, and the netdev's frames are
 *     received as from the wire: the PF's CPI/RSS programming picks the
 *     receive queue;
 *   - the CQ timers (CQ_CFG2) run on QEMU's virtual clock while a CQ has
 *     entries with its timer on;
 *   - what the model calls a guest error is logged with
 *     qemu_log_mask(LOG_GUEST_ERROR) (-d guest_errors).
 * Everything runs under the BQL: MMIO, the netdev's receive and timers.
 *
 * What the guest sees of the function:
 *   - IDs: vendor 0x177d (Cavium), the VF device and subsystem of the chip
 *     the "chip" property names, class Ethernet:
 *       cn88xx (default)  device 0xa034 subsystem 0xa134 revision 0x08
 *       cn88xx-pass1      device 0x0011 subsystem 0xa11e revision 0x00
 *       cn81xx            device 0xa034 subsystem 0xa234 revision 0x08
 *       cn83xx            device 0xa034 subsystem 0xa334 revision 0x08
 *     CN88xx pass 1 writes CQE_RX without CQE_RX2 (buffer pointers from
 *     word 6), the others with it (from word 7).  CN88xx pass 2 posts a
 *     CQE_SEND per segment of a TSO packet whose header asks for one, the
 *     later chips one per packet.
 *   - BAR0: 64-bit memory, 2 MiB: the VF's register map.
 *   - BAR4: 64-bit memory, 1 MiB: MSI-X, 20 vectors, the table at 0 and
 *     the pending bits at 0xf0000.
 *
 *   - BAR2, only with bench=on: 4 KiB, the benchmark's traffic source
 *     and sink (not the hardware's: no driver uses it; see below).
 *
 * Properties: mac and netdev (the LMAC's MAC, which READY gives the
 * driver, and the wire), vf (the VF number), node, primary-vfs and pf-cpus
 * (VF numbers from primary-vfs on are secondary queue sets, which nicpf
 * makes only when its host has more than 8 CPUs: pf-cpus, by default the
 * machine's), link, speed (Mb/s) and duplex: the LMAC's link
 * as the PF reports it when the VF asks.  The netdev's own link (the
 * monitor's set_link) takes the LMAC down and up too.
 *
 * As a VF of a thunderx-nicpf (created by its SR-IOV when nicpf enables
 * it, not on the command line): its BARs are the SR-IOV capability's, its
 * chip is the PF's, and its mailbox messages go to that PF, whose answers
 * come back (vnic_model.h's vf_to_pf): nicpf answers the VF driver.
 *
 * bench=on turns the device into a benchmark's rig: sent frames go to a
 * sink (completed and counted, their data never read) instead of the
 * netdev, and BAR2 drives the model's traffic source (vnic_model.h), 64-bit
 * registers:
 *   0x00 frame length (bytes in the buffers; no FCS)
 *   0x08 flows (UDP source ports 10000.. used in turn, for RSS)
 *   0x10 destination IPv4 address << 32 | source address
 *   0x18 destination UDP port
 *   0x20 write: start sending that many frames; read: frames left
 *   0x28 frames sent, 0x30 of them dropped, 0x38 CQEs not yet consumed
 *   0x40 frames sunk, 0x48 bytes sunk
 *
 * Nothing the guest does may stop QEMU: bad programming is logged as a
 * guest error and handled as the model says the hardware does.
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "qemu/range.h"
#include "qemu/timer.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "hw/pci/pci.h"
#include "hw/pci/pcie.h"
#include "hw/pci/msix.h"
#include "hw/pci/pcie_sriov.h"
#include "hw/boards.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "net/net.h"
#include "qom/object.h"
#include "sysemu/dma.h"
#include "sysemu/sysemu.h"

#include "thunderx.h"
#include "vnic_model.h"

#define TYPE_THUNDERX_VNIC "thunderx-vnic"
OBJECT_DECLARE_SIMPLE_TYPE(ThunderxVnicState, THUNDERX_VNIC)

#define VNIC_VENDOR_CAVIUM	0x177d

#define VNIC_REG_BAR		0
#define VNIC_REG_BAR_SIZE	(2 * MiB)
#define VNIC_BENCH_BAR		2
#define VNIC_BENCH_BAR_SIZE	(4 * KiB)
#define VNIC_MSIX_BAR		4
#define VNIC_MSIX_BAR_SIZE	(1 * MiB)
#define VNIC_MSIX_TABLE		0x000000
#define VNIC_MSIX_PBA		0x0f0000
#define VNIC_MSIX_VECTORS	20

/* How long a CQ timer runs before it raises the CQ interrupt */
#define VNIC_CQ_TIMER_NS	(20 * SCALE_US)

QEMU_BUILD_BUG_ON(VNIC_REG_BAR_SIZE != VNIC_MODEL_BAR_SIZE);

struct vnic_chip {
	const char *name;
	uint16_t device_id;
	uint16_t subsystem_id;
	uint8_t revision;
	bool cqe_rx2;
	bool tso_cqe_per_segment;
};

static const struct vnic_chip vnic_chips[] = {
	{ "cn88xx",       0xa034, 0xa134, 0x08, true,  true },
	{ "cn88xx-pass1", 0x0011, 0xa11e, 0x00, false, false },
	{ "cn81xx",       0xa034, 0xa234, 0x08, true,  false },
	{ "cn83xx",       0xa034, 0xa334, 0x08, true,  false },
};

struct ThunderxVnicState {
	PCIDevice parent_obj;

	MemoryRegion regs;	/* BAR0 */
	MemoryRegion msix;	/* BAR4: MSI-X table and PBA */
	MemoryRegion bench;	/* BAR2, with bench=on */

	NICConf conf;
	NICState *nic;

	struct nicvf_model *model;
	QEMUTimer *cq_timer;
	const struct vnic_chip *chip;

	/* properties */
	char *chip_name;
	uint8_t vf;
	uint8_t node;
	uint8_t primary_vfs;
	uint16_t pf_cpus;
	bool link;
	uint32_t speed;
	bool full_duplex;
	bool bench_rig;

	/* the source's parameters, as BAR2 last had them */
	struct nicvf_model_source source;

	/* frames the model did not take from the netdev (filtered, no
	 * buffer, CQ full, steered to another queue set) */
	uint64_t rx_dropped;
};

/* --- The model's host callbacks ------------------------------------------ */

static int vnic_dma_read(void *opaque, uint64_t addr, void *buf, size_t len)
{
	ThunderxVnicState *s = opaque;

	return pci_dma_read(PCI_DEVICE(s), addr, buf, len) == MEMTX_OK ? 0 : -1;
}

static int vnic_dma_write(void *opaque, uint64_t addr, const void *buf,
			  size_t len)
{
	ThunderxVnicState *s = opaque;

	return pci_dma_write(PCI_DEVICE(s), addr, buf, len) == MEMTX_OK ? 0 : -1;
}

static void vnic_msix_notify(void *opaque, unsigned int vector)
{
	ThunderxVnicState *s = opaque;

	if (vector < VNIC_MSIX_VECTORS) {
		msix_notify(PCI_DEVICE(s), vector);
	}
}

static void vnic_send_frame(void *opaque, unsigned int sq, const uint8_t *buf,
			    size_t len)
{
	ThunderxVnicState *s = opaque;
	PCIDevice *pdev = PCI_DEVICE(s);

	/* A VF's sends are the PF's to schedule onto an LMAC */
	if (pci_is_vf(pdev)) {
		thunderx_nicpf_send(pcie_sriov_get_pf(pdev), s->vf, sq, buf, len);
		return;
	}
	qemu_send_packet(qemu_get_queue(s->nic), buf, len);
}

static uint64_t vnic_now_ns(void *opaque)
{
	return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

static void vnic_guest_error(void *opaque, const char *msg)
{
	ThunderxVnicState *s = opaque;
	DeviceState *dev = DEVICE(s);

	qemu_log_mask(LOG_GUEST_ERROR, "thunderx-vnic %s (VF %u): %s\n",
		      dev->id ? dev->id : "", s->vf, msg);
}

/* After anything that may leave CQ entries waiting: run their timer */
static void vnic_arm_timer(ThunderxVnicState *s)
{
	if (nicvf_model_timer_pending(s->model) && !timer_pending(s->cq_timer)) {
		timer_mod(s->cq_timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
			  VNIC_CQ_TIMER_NS);
	}
}

static void vnic_cq_timer(void *opaque)
{
	ThunderxVnicState *s = opaque;

	nicvf_model_tick(s->model);
	vnic_arm_timer(s);
}

/* --- BAR0 ----------------------------------------------------------------- */

static uint64_t vnic_reg_read(void *opaque, hwaddr addr, unsigned size)
{
	ThunderxVnicState *s = opaque;
	uint64_t reg = nicvf_model_mmio_read(s->model, addr & ~7ULL);

	return thunderx_reg_read_half(reg, addr, size);
}

static void vnic_reg_write(void *opaque, hwaddr addr, uint64_t val,
			   unsigned size)
{
	ThunderxVnicState *s = opaque;

	if (size == 4) {
		uint64_t reg = nicvf_model_mmio_read(s->model, addr & ~7ULL);

		val = thunderx_reg_write_half(reg, addr, val, size);
	}
	nicvf_model_mmio_write(s->model, addr & ~7ULL, val);
	vnic_arm_timer(s);
}

/*
 * The registers are 64 bits wide; drivers use 64-bit accesses, 32-bit
 * ones are accepted too.  Anything else (unaligned, bytes) is refused by
 * the memory core: a bus error for the guest, not for QEMU.
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

/* --- BAR2: the benchmark's source and sink -------------------------------- */

enum {
	VNIC_BENCH_LEN = 0x00,
	VNIC_BENCH_FLOWS = 0x08,
	VNIC_BENCH_IPS = 0x10,
	VNIC_BENCH_PORT = 0x18,
	VNIC_BENCH_COUNT = 0x20,
	VNIC_BENCH_SENT = 0x28,
	VNIC_BENCH_DROPPED = 0x30,
	VNIC_BENCH_CQ_PENDING = 0x38,
	VNIC_BENCH_SINK_FRAMES = 0x40,
	VNIC_BENCH_SINK_BYTES = 0x48,
};

static uint64_t vnic_bench_read(void *opaque, hwaddr addr, unsigned size)
{
	ThunderxVnicState *s = opaque;
	struct nicvf_model_bench st;

	nicvf_model_bench_status(s->model, &st);
	switch (addr) {
	case VNIC_BENCH_LEN:
		return s->source.len;
	case VNIC_BENCH_FLOWS:
		return s->source.flows;
	case VNIC_BENCH_IPS:
		return (uint64_t)s->source.dst_ip << 32 | s->source.src_ip;
	case VNIC_BENCH_PORT:
		return s->source.dst_port;
	case VNIC_BENCH_COUNT:
		return st.src_left;
	case VNIC_BENCH_SENT:
		return st.src_sent;
	case VNIC_BENCH_DROPPED:
		return st.src_dropped;
	case VNIC_BENCH_CQ_PENDING:
		return st.cq_pending;
	case VNIC_BENCH_SINK_FRAMES:
		return st.sink_frames;
	case VNIC_BENCH_SINK_BYTES:
		return st.sink_bytes;
	default:
		return 0;
	}
}

static void vnic_bench_write(void *opaque, hwaddr addr, uint64_t val,
			     unsigned size)
{
	ThunderxVnicState *s = opaque;

	switch (addr) {
	case VNIC_BENCH_LEN:
		s->source.len = val;
		break;
	case VNIC_BENCH_FLOWS:
		s->source.flows = val;
		break;
	case VNIC_BENCH_IPS:
		s->source.dst_ip = val >> 32;
		s->source.src_ip = (uint32_t)val;
		break;
	case VNIC_BENCH_PORT:
		s->source.dst_port = val;
		break;
	case VNIC_BENCH_COUNT:
		s->source.count = val;
		if (nicvf_model_source_start(s->model, &s->source)) {
			vnic_guest_error(s, "bench source: length or flows out of range");
		}
		vnic_arm_timer(s);
		break;
	default:
		vnic_guest_error(s, "bench: write to an offset BAR2 does not decode");
		break;
	}
}

static const MemoryRegionOps vnic_bench_ops = {
	.read = vnic_bench_read,
	.write = vnic_bench_write,
	.endianness = DEVICE_LITTLE_ENDIAN,
	.valid = {
		.min_access_size = 8,
		.max_access_size = 8,
	},
	.impl = {
		.min_access_size = 8,
		.max_access_size = 8,
	},
};

/* --- The wire ------------------------------------------------------------- */

static ssize_t vnic_receive(NetClientState *nc, const uint8_t *buf,
			    size_t size)
{
	ThunderxVnicState *s = qemu_get_nic_opaque(nc);

	if (!nicvf_model_receive_wire(s->model, buf, size)) {
		s->rx_dropped++;
	}
	vnic_arm_timer(s);
	/* Taken either way: the hardware drops what it has no room for */
	return size;
}

static void vnic_push_link(ThunderxVnicState *s)
{
	bool up = s->link && !qemu_get_queue(s->nic)->link_down;

	nicvf_model_set_link(s->model, up, up ? s->speed : 0, s->full_duplex);
}

static void vnic_link_status_changed(NetClientState *nc)
{
	vnic_push_link(qemu_get_nic_opaque(nc));
}

static NetClientInfo vnic_net_info = {
	.type = NET_CLIENT_DRIVER_NIC,
	.size = sizeof(NICState),
	.receive = vnic_receive,
	.link_status_changed = vnic_link_status_changed,
};

/* --- The device ------------------------------------------------------------ */

/*
 * The VF's DMA and MSI-X do not wait for Bus Master Enable: the vendor's
 * drivers (nicvf, nicpf, thunder_bgx) never call pci_set_master(), and
 * they ran on the silicon for years.  QEMU gates a function's DMA and MSI
 * writes on the bit, so keep its bus-master window open whatever the
 * guest writes to the command register.
 */
static void vnic_config_write(PCIDevice *pdev, uint32_t addr, uint32_t val,
			      int len)
{
	pci_default_write_config(pdev, addr, val, len);
	if (range_covers_byte(addr, len, PCI_COMMAND)) {
		memory_region_set_enabled(&pdev->bus_master_enable_region, true);
	}
}

/* A VF of a thunderx-nicpf: its mailbox messages go to that PF */
static void vnic_vf_to_pf(void *opaque, uint64_t w0, uint64_t w1)
{
	ThunderxVnicState *s = opaque;

	thunderx_nicpf_from_vf(pcie_sriov_get_pf(PCI_DEVICE(s)),
			       pcie_sriov_vf_number(PCI_DEVICE(s)), w0, w1);
}

int thunderx_vnic_receive_steered(PCIDevice *vf, const uint8_t *buf,
				  size_t len,
				  int (*steer)(void *opaque, int hashed,
					       uint32_t hash),
				  void *opaque, int *elsewhere)
{
	ThunderxVnicState *s = THUNDERX_VNIC(vf);
	int ret;

	if (!s->model) {
		return 0;
	}
	ret = nicvf_model_receive_steered(s->model, buf, len, steer, opaque,
					  elsewhere);
	if (ret == 0) {
		s->rx_dropped++;
	}
	vnic_arm_timer(s);
	return ret;
}

void thunderx_vnic_receive(PCIDevice *vf, unsigned int rq, const uint8_t *buf,
			   size_t len)
{
	ThunderxVnicState *s = THUNDERX_VNIC(vf);

	if (!s->model) {
		return;
	}
	if (!nicvf_model_receive(s->model, rq, buf, len)) {
		s->rx_dropped++;
	}
	vnic_arm_timer(s);
}

void thunderx_vnic_pf_answer(PCIDevice *vf, uint64_t w0, uint64_t w1)
{
	ThunderxVnicState *s = THUNDERX_VNIC(vf);

	if (s->model) {
		nicvf_model_pf_answer(s->model, w0, w1);
	}
}

void thunderx_vnic_pf_write(PCIDevice *vf, uint64_t offset, uint64_t value)
{
	ThunderxVnicState *s = THUNDERX_VNIC(vf);

	if (s->model && nicvf_model_pf_write(s->model, offset, value)) {
		vnic_guest_error(s, "the PF wrote a VF register it has no window onto");
	}
}

static bool vnic_new_model(ThunderxVnicState *s, Error **errp)
{
	struct nicvf_model_host host = {
		.opaque = s,
		.dma_read = vnic_dma_read,
		.dma_write = vnic_dma_write,
		.msix_notify = vnic_msix_notify,
		.send_frame = vnic_send_frame,
		.now_ns = vnic_now_ns,
		.guest_error = vnic_guest_error,
		.vf_to_pf = pci_is_vf(PCI_DEVICE(s)) ? vnic_vf_to_pf : NULL,
	};
	struct nicvf_model_config cfg = {
		.cqe_rx2 = s->chip->cqe_rx2,
		.tso_cqe_per_segment = s->chip->tso_cqe_per_segment,
		.vf_id = s->vf,
		.node = s->node,
		.primary_vfs = s->primary_vfs,
		.pf_cpus = s->pf_cpus ? s->pf_cpus : current_machine->smp.cpus,
	};

	memcpy(cfg.mac, s->conf.macaddr.a, sizeof(cfg.mac));
	s->model = nicvf_model_create(&host, &cfg);
	if (!s->model) {
		error_setg(errp, "thunderx-vnic: the device model refused its configuration");
		return false;
	}
	nicvf_model_set_sink(s->model, s->bench_rig);
	return true;
}

static void vnic_realize(PCIDevice *pdev, Error **errp)
{
	ThunderxVnicState *s = THUNDERX_VNIC(pdev);
	DeviceState *dev = DEVICE(pdev);
	unsigned int v;
	int ret;

	/*
	 * A VF that a thunderx-nicpf's SR-IOV made: its chip is the PF's, its
	 * number the VF's, and its mailbox is that PF's (QEMU creates VFs with
	 * default properties)
	 */
	if (pci_is_vf(pdev)) {
		PCIDevice *pf = pcie_sriov_get_pf(pdev);

		if (!thunderx_nicpf_is(pf)) {
			error_setg(errp, "thunderx-vnic: a VF of something that is not a thunderx-nicpf");
			return;
		}
		g_free(s->chip_name);
		s->chip_name = g_strdup(thunderx_nicpf_chip(pf));
		s->vf = pcie_sriov_vf_number(pdev);
		s->bench_rig = false;
	}
	s->chip = s->chip_name ? NULL : &vnic_chips[0];
	for (v = 0; s->chip_name && v < ARRAY_SIZE(vnic_chips); v++) {
		if (!strcmp(s->chip_name, vnic_chips[v].name)) {
			s->chip = &vnic_chips[v];
		}
	}
	if (!s->chip) {
		error_setg(errp, "thunderx-vnic: unknown chip '%s' (cn88xx, cn88xx-pass1, cn81xx, cn83xx)",
			   s->chip_name);
		return;
	}
	if (s->primary_vfs == 0) {
		error_setg(errp, "thunderx-vnic: primary-vfs must be at least 1");
		return;
	}
	pci_config_set_device_id(pdev->config, s->chip->device_id);
	pci_set_word(pdev->config + PCI_SUBSYSTEM_ID, s->chip->subsystem_id);
	pci_config_set_revision(pdev->config, s->chip->revision);

	memory_region_init_io(&s->regs, OBJECT(s), &vnic_reg_ops, s,
			      "thunderx-vnic-regs", VNIC_REG_BAR_SIZE);
	if (pci_is_vf(pdev)) {
		pcie_sriov_vf_register_bar(pdev, VNIC_REG_BAR, &s->regs);
	} else {
		pci_register_bar(pdev, VNIC_REG_BAR,
				 PCI_BASE_ADDRESS_SPACE_MEMORY |
				 PCI_BASE_ADDRESS_MEM_TYPE_64, &s->regs);
	}

	if (s->bench_rig) {
		memory_region_init_io(&s->bench, OBJECT(s), &vnic_bench_ops, s,
				      "thunderx-vnic-bench", VNIC_BENCH_BAR_SIZE);
		pci_register_bar(pdev, VNIC_BENCH_BAR,
				 PCI_BASE_ADDRESS_SPACE_MEMORY |
				 PCI_BASE_ADDRESS_MEM_TYPE_64, &s->bench);
	}

	memory_region_init(&s->msix, OBJECT(s), "thunderx-vnic-msix",
			   VNIC_MSIX_BAR_SIZE);
	if (pci_is_vf(pdev)) {
		pcie_sriov_vf_register_bar(pdev, VNIC_MSIX_BAR, &s->msix);
	} else {
		pci_register_bar(pdev, VNIC_MSIX_BAR,
				 PCI_BASE_ADDRESS_SPACE_MEMORY |
				 PCI_BASE_ADDRESS_MEM_TYPE_64, &s->msix);
	}

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

	s->cq_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, vnic_cq_timer, s);
	if (!vnic_new_model(s, errp)) {
		return;
	}
	vnic_push_link(s);
}

static void vnic_exit(PCIDevice *pdev)
{
	ThunderxVnicState *s = THUNDERX_VNIC(pdev);

	if (s->cq_timer) {
		timer_free(s->cq_timer);
		s->cq_timer = NULL;
	}
	if (s->nic) {
		qemu_del_nic(s->nic);
		s->nic = NULL;
	}
	nicvf_model_destroy(s->model);
	s->model = NULL;
	msix_uninit(pdev, &s->msix, &s->msix);
}

/*
 * A machine reset resets the PF with the VF: a new model, with nothing
 * kept from the last boot.  (The function has no FLR: a VF driver's
 * unload and the next one's load see the state the hardware keeps.)
 */
static void vnic_reset(DeviceState *dev)
{
	ThunderxVnicState *s = THUNDERX_VNIC(dev);

	if (!s->model) {
		return;
	}
	timer_del(s->cq_timer);
	nicvf_model_destroy(s->model);
	s->model = NULL;
	if (vnic_new_model(s, &error_abort)) {
		vnic_push_link(s);
	}
}

static void vnic_get_rx_dropped(Object *obj, Visitor *v, const char *name,
				void *opaque, Error **errp)
{
	ThunderxVnicState *s = THUNDERX_VNIC(obj);

	visit_type_uint64(v, name, &s->rx_dropped, errp);
}

static void vnic_instance_init(Object *obj)
{
	ThunderxVnicState *s = THUNDERX_VNIC(obj);

	device_add_bootindex_property(obj, &s->conf.bootindex, "bootindex",
				      "/ethernet-phy@0", DEVICE(obj));
	object_property_add(obj, "rx-dropped", "uint64", vnic_get_rx_dropped,
			    NULL, NULL, NULL);
}

/* The model's state is not migrated: refuse migration rather than lose it */
static const VMStateDescription vnic_vmstate = {
	.name = TYPE_THUNDERX_VNIC,
	.unmigratable = 1,
};

static Property vnic_properties[] = {
	DEFINE_NIC_PROPERTIES(ThunderxVnicState, conf),
	DEFINE_PROP_STRING("chip", ThunderxVnicState, chip_name),
	DEFINE_PROP_UINT8("vf", ThunderxVnicState, vf, 0),
	DEFINE_PROP_UINT8("node", ThunderxVnicState, node, 0),
	DEFINE_PROP_UINT8("primary-vfs", ThunderxVnicState, primary_vfs, 8),
	DEFINE_PROP_UINT16("pf-cpus", ThunderxVnicState, pf_cpus, 0),
	DEFINE_PROP_BOOL("link", ThunderxVnicState, link, true),
	DEFINE_PROP_UINT32("speed", ThunderxVnicState, speed, 10000),
	DEFINE_PROP_BOOL("full-duplex", ThunderxVnicState, full_duplex, true),
	DEFINE_PROP_BOOL("bench", ThunderxVnicState, bench_rig, false),
	DEFINE_PROP_END_OF_LIST(),
};

static void vnic_class_init(ObjectClass *klass, void *data)
{
	DeviceClass *dc = DEVICE_CLASS(klass);
	PCIDeviceClass *pc = PCI_DEVICE_CLASS(klass);

	pc->realize = vnic_realize;
	pc->exit = vnic_exit;
	pc->config_write = vnic_config_write;
	pc->vendor_id = VNIC_VENDOR_CAVIUM;
	pc->device_id = vnic_chips[0].device_id;
	pc->subsystem_vendor_id = VNIC_VENDOR_CAVIUM;
	pc->subsystem_id = vnic_chips[0].subsystem_id;
	pc->revision = vnic_chips[0].revision;
	pc->class_id = PCI_CLASS_NETWORK_ETHERNET;

	dc->desc = "Cavium ThunderX NIC virtual function";
	dc->vmsd = &vnic_vmstate;
	dc->reset = vnic_reset;
	device_class_set_props(dc, vnic_properties);
	set_bit(DEVICE_CATEGORY_NETWORK, dc->categories);
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
