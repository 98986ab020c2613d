// SPDX-License-Identifier: GPL-2.0-only
/*
 * The model's register map (vnic_regs.h) is the vendor's: compiled, never
 * linked, against nic_reg.h of the in-tree driver (Linux's
 * drivers/net/ethernet/cavium/thunder, from Debian's linux-source) by
 * scripts/qemu.sh before it builds the model into QEMU.  Our driver's
 * nic_reg.h and the model were written by the same hands; this header was
 * not.
 */
#include <stdint.h>

/* What the vendor's header needs of the kernel's types */
typedef uint64_t u64;
typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;

#include "nic_reg.h"
#include "vnic_regs.h"

#define SAME(ours, vendor) \
	_Static_assert((ours) == (vendor), #ours " is not the vendor's " #vendor)

SAME(VNIC_Q_NUM_SHIFT, NIC_Q_NUM_SHIFT);
SAME(VNIC_REG_VF_PF_MAILBOX_0_1, NIC_VF_PF_MAILBOX_0_1);
SAME(VNIC_REG_VF_INT, NIC_VF_INT);
SAME(VNIC_REG_VF_INT_W1S, NIC_VF_INT_W1S);
SAME(VNIC_REG_VF_ENA_W1C, NIC_VF_ENA_W1C);
SAME(VNIC_REG_VF_ENA_W1S, NIC_VF_ENA_W1S);
SAME(VNIC_REG_RSS_CFG, NIC_VNIC_RSS_CFG);
SAME(VNIC_REG_RSS_KEY_0_4, NIC_VNIC_RSS_KEY_0_4);
SAME(VNIC_REG_RQ_GEN_CFG, NIC_QSET_RQ_GEN_CFG);
SAME(VNIC_REG_CQ_CFG, NIC_QSET_CQ_0_7_CFG);
SAME(VNIC_REG_CQ_CFG2, NIC_QSET_CQ_0_7_CFG2);
SAME(VNIC_REG_CQ_THRESH, NIC_QSET_CQ_0_7_THRESH);
SAME(VNIC_REG_CQ_BASE, NIC_QSET_CQ_0_7_BASE);
SAME(VNIC_REG_CQ_HEAD, NIC_QSET_CQ_0_7_HEAD);
SAME(VNIC_REG_CQ_TAIL, NIC_QSET_CQ_0_7_TAIL);
SAME(VNIC_REG_CQ_DOOR, NIC_QSET_CQ_0_7_DOOR);
SAME(VNIC_REG_CQ_STATUS, NIC_QSET_CQ_0_7_STATUS);
SAME(VNIC_REG_RQ_CFG, NIC_QSET_RQ_0_7_CFG);
SAME(VNIC_REG_SQ_CFG, NIC_QSET_SQ_0_7_CFG);
SAME(VNIC_REG_SQ_BASE, NIC_QSET_SQ_0_7_BASE);
SAME(VNIC_REG_SQ_HEAD, NIC_QSET_SQ_0_7_HEAD);
SAME(VNIC_REG_SQ_TAIL, NIC_QSET_SQ_0_7_TAIL);
SAME(VNIC_REG_SQ_DOOR, NIC_QSET_SQ_0_7_DOOR);
SAME(VNIC_REG_SQ_STATUS, NIC_QSET_SQ_0_7_STATUS);
SAME(VNIC_REG_RBDR_CFG, NIC_QSET_RBDR_0_1_CFG);
SAME(VNIC_REG_RBDR_THRESH, NIC_QSET_RBDR_0_1_THRESH);
SAME(VNIC_REG_RBDR_BASE, NIC_QSET_RBDR_0_1_BASE);
SAME(VNIC_REG_RBDR_HEAD, NIC_QSET_RBDR_0_1_HEAD);
SAME(VNIC_REG_RBDR_TAIL, NIC_QSET_RBDR_0_1_TAIL);
SAME(VNIC_REG_RBDR_DOOR, NIC_QSET_RBDR_0_1_DOOR);
SAME(VNIC_REG_RBDR_STATUS0, NIC_QSET_RBDR_0_1_STATUS0);
SAME(VNIC_REG_RBDR_PREFETCH_STATUS, NIC_QSET_RBDR_0_1_PREFETCH_STATUS);
/* The MSI-X layout the QEMU device gives BAR4 */
SAME(0x0f0000, NIC_VF_MSIX_PBA);
