/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VNIC's BAR0 registers as the device model decodes them: offsets of
 * queue set 0 (queue q's register is at offset + (q << VNIC_Q_NUM_SHIFT)),
 * the pointer shifts of the ring registers, and the interrupt causes of
 * NIC_VF_INT.  The model's own copy, beside kunit/vnic_hw.h's descriptor
 * layouts, so that the model builds without the driver's headers (and a
 * QEMU device can include it from C).
 *
 * Caveat: the offsets were transcribed from the driver's nic_reg.h when
 * the model stopped including it, not re-derived from the hardware
 * manual; a wrong offset there would be wrong here too.  The register
 * fields the model honours are its own (hw:: in vnic.cc).
 *
 * Values only, no types or functions, and no kernel headers.
 */
#ifndef NICVF_MODEL_VNIC_REGS_H
#define NICVF_MODEL_VNIC_REGS_H

#define VNIC_Q_NUM_SHIFT		18	/* queue index in the offset */

/* VF-wide */
#define VNIC_REG_VF_PF_MAILBOX_0_1	0x000130ULL	/* two words */
#define VNIC_REG_VF_INT			0x000200ULL	/* W1C */
#define VNIC_REG_VF_INT_W1S		0x000220ULL
#define VNIC_REG_VF_ENA_W1C		0x000240ULL
#define VNIC_REG_VF_ENA_W1S		0x000260ULL
#define VNIC_REG_RSS_CFG		0x0020e0ULL
#define VNIC_REG_RSS_KEY_0_4		0x002200ULL	/* 5 words: a 40-byte key */
#define VNIC_REG_TX_STAT_0_4		0x004000ULL	/* 5 counters */
#define VNIC_REG_RX_STAT_0_13		0x004100ULL	/* 14 counters */
/* Their indexes: octets, then unicast, broadcast, multicast frames */
#define VNIC_STAT_OCTS			0
#define VNIC_STAT_UCAST			1
#define VNIC_STAT_BCAST			2
#define VNIC_STAT_MCAST			3
#define VNIC_RX_STAT_RED		4	/* frames dropped at RED levels */
#define VNIC_RX_STAT_RED_OCTS		5
#define VNIC_TX_STAT_DROP		4
#define VNIC_REG_RQ_STAT_0_1		0x010700ULL	/* octets, packets */
#define VNIC_REG_SQ_STAT_0_1		0x010900ULL	/* octets, packets */

/* Queue set */
#define VNIC_REG_RQ_GEN_CFG		0x010010ULL

/* Completion queues 0..7 */
#define VNIC_REG_CQ_CFG			0x010400ULL
#define VNIC_REG_CQ_CFG2		0x010408ULL
#define VNIC_REG_CQ_THRESH		0x010410ULL
#define VNIC_REG_CQ_BASE		0x010420ULL
#define VNIC_REG_CQ_HEAD		0x010428ULL
#define VNIC_REG_CQ_TAIL		0x010430ULL
#define VNIC_REG_CQ_DOOR		0x010438ULL
#define VNIC_REG_CQ_STATUS		0x010440ULL
#define VNIC_CQ_PTR_SHIFT		9
#define VNIC_CQ_THRESH_MASK		0xffffULL	/* CQ_THRESH[15:0] */
#define VNIC_CQ_CFG2_TIMER_MASK		0xffULL	/* CQ_CFG2[7:0] INT_TIMER_THR */

/* Receive queues 0..7 */
#define VNIC_REG_RQ_CFG			0x010600ULL

/* Send queues 0..7 */
#define VNIC_REG_SQ_CFG			0x010800ULL
#define VNIC_REG_SQ_BASE		0x010820ULL
#define VNIC_REG_SQ_HEAD		0x010828ULL
#define VNIC_REG_SQ_TAIL		0x010830ULL
#define VNIC_REG_SQ_DOOR		0x010838ULL
#define VNIC_REG_SQ_STATUS		0x010840ULL
#define VNIC_SQ_PTR_SHIFT		4

/* Receive buffer descriptor rings 0..1 */
#define VNIC_REG_RBDR_CFG		0x010c00ULL
#define VNIC_REG_RBDR_THRESH		0x010c10ULL
#define VNIC_REG_RBDR_BASE		0x010c20ULL
#define VNIC_REG_RBDR_HEAD		0x010c28ULL
#define VNIC_REG_RBDR_TAIL		0x010c30ULL
#define VNIC_REG_RBDR_DOOR		0x010c38ULL
#define VNIC_REG_RBDR_STATUS0		0x010c40ULL
#define VNIC_REG_RBDR_PREFETCH_STATUS	0x010c50ULL
#define VNIC_RBDR_PTR_SHIFT		3
#define VNIC_RBDR_THRESH_MASK		0x7ffffULL	/* RBDR_THRESH[18:0] */

/* NIC_VF_INT causes */
#define VNIC_INT_CQ_SHIFT		0	/* bits 7:0, CQ q */
#define VNIC_INT_RBDR_SHIFT		16	/* bits 17:16, RBDR r */
#define VNIC_INT_MBOX			(1ULL << 22)

#endif /* NICVF_MODEL_VNIC_REGS_H */
