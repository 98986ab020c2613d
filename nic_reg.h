/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ThunderX VNIC virtual function: BAR0 register map.
 *
 * Offsets are relative to the start of the VF's BAR0.  Registers that exist
 * once per queue are given for queue 0; the register for queue N lives
 * NIC_QUEUE_STRIDE * N bytes further on (see nicvf_qreg()).
 */
#ifndef NIC_REG_H
#define NIC_REG_H

#include <linux/bits.h>

/* Per-queue registers repeat every 256 KiB (queue index in bits 18..20). */
#define NIC_Q_NUM_SHIFT			18
#define NIC_QUEUE_STRIDE		BIT_ULL(NIC_Q_NUM_SHIFT)

/* VF-wide configuration and the PF mailbox */
#define NIC_VNIC_CFG			0x000020
#define NIC_VF_PF_MAILBOX_0_1		0x000130
#define NIC_VF_PF_MAILBOX_WORDS		2

/* VF interrupt summary: status, set, enable clear, enable set */
#define NIC_VF_INT			0x000200
#define NIC_VF_INT_W1S			0x000220
#define NIC_VF_ENA_W1C			0x000240
#define NIC_VF_ENA_W1S			0x000260

/* Bits of the four VF interrupt registers above */
#define NICVF_INTR_CQ_SHIFT		0
#define NICVF_INTR_SQ_SHIFT		8
#define NICVF_INTR_RBDR_SHIFT		16
#define NICVF_INTR_CQ_MASK		GENMASK_ULL(7, 0)
#define NICVF_INTR_SQ_MASK		GENMASK_ULL(15, 8)
#define NICVF_INTR_RBDR_MASK		GENMASK_ULL(17, 16)
#define NICVF_INTR_PKT_DROP		BIT_ULL(20)
#define NICVF_INTR_TCP_TIMER		BIT_ULL(21)
#define NICVF_INTR_MBOX			BIT_ULL(22)
#define NICVF_INTR_QS_ERR		BIT_ULL(23)

/* Receive side scaling and VNIC statistics */
#define NIC_VNIC_RSS_CFG		0x0020e0
#define NIC_VNIC_RSS_KEY_0_4		0x002200
#define NIC_VNIC_TX_STAT_0_4		0x004000
#define NIC_VNIC_RX_STAT_0_13		0x004100
#define NIC_VNIC_TX_STATS		5
#define NIC_VNIC_RX_STATS		14
/* TX_STAT index of the packets the VNIC did not send */
#define NIC_VNIC_TX_DROP		4
/* RX_STAT indexes stats64 reads */
#define NIC_VNIC_RX_MCAST		3
#define NIC_VNIC_RX_RED			4
#define NIC_VNIC_RX_ORUN		6
#define NIC_VNIC_RX_FCS			8
#define NIC_VNIC_RX_L2ERR		9
/* RSS_CFG: which headers feed the hash; the key is 5 words */
#define NIC_RSS_IP_ENA			BIT_ULL(1)
#define NIC_RSS_TCP_ENA			BIT_ULL(2)
#define NIC_RSS_UDP_ENA			BIT_ULL(4)
#define NIC_RSS_L4ETC_ENA		BIT_ULL(5)	/* SCTP's ports */
#define NIC_RSS_KEY_WORDS		5

/* Queue set */
#define NIC_QSET_RQ_GEN_CFG		0x010010

/* Completion queues (8 per queue set) */
#define NIC_QSET_CQ_0_7_CFG		0x010400
#define NIC_QSET_CQ_0_7_CFG2		0x010408
#define NIC_QSET_CQ_0_7_THRESH		0x010410
#define NIC_QSET_CQ_0_7_BASE		0x010420
#define NIC_QSET_CQ_0_7_HEAD		0x010428
#define NIC_QSET_CQ_0_7_TAIL		0x010430
#define NIC_QSET_CQ_0_7_DOOR		0x010438
#define NIC_QSET_CQ_0_7_STATUS		0x010440
#define NIC_QSET_CQ_0_7_STATUS2		0x010448
#define NIC_QSET_CQ_0_7_DEBUG		0x010450

/* CQ_CFG fields */
#define NIC_CQ_CFG_AVG_CON		GENMASK_ULL(24, 16)
#define NIC_CQ_CFG_QSIZE		GENMASK_ULL(34, 32)
#define NIC_CQ_CFG_CACHING		BIT_ULL(40)
#define NIC_CQ_CFG_RESET		BIT_ULL(41)
#define NIC_CQ_CFG_ENA			BIT_ULL(42)
/*
 * CQ_CFG2[INT_TIMER_THR]: interrupt timer, in ticks of 16 coprocessor
 * clocks (as nicpf sets the tick); CQ_THRESH: CQE count
 */
#define NIC_CQ_CFG2_TIMER		GENMASK_ULL(7, 0)
#define NIC_CQ_THRESH			GENMASK_ULL(15, 0)
/* CQ_STATUS fields: valid CQE count and error flags */
#define NIC_CQ_STATUS_QCOUNT		GENMASK_ULL(15, 0)
#define NIC_CQ_STATUS_WR_FAULT		BIT_ULL(24)
#define NIC_CQ_STATUS_WR_DISABLE	BIT_ULL(25)
#define NIC_CQ_STATUS_WR_FULL		BIT_ULL(26)
#define NIC_CQ_STATUS_ERR		(NIC_CQ_STATUS_WR_FULL | \
					 NIC_CQ_STATUS_WR_DISABLE | \
					 NIC_CQ_STATUS_WR_FAULT)
/* CQ_HEAD/CQ_TAIL hold an entry index in units of 512-byte CQEs */
#define NIC_CQ_PTR_SHIFT		9
#define NIC_CQ_PTR_MASK			GENMASK_ULL(15, 0)

/* Receive queues */
#define NIC_QSET_RQ_0_7_CFG		0x010600
#define NIC_QSET_RQ_0_7_STAT_0_1	0x010700
#define NIC_RQ_CFG_TCP_ENA		BIT_ULL(0)
#define NIC_RQ_CFG_ENA			BIT_ULL(1)
/* RQ_GEN_CFG (queue 0 only): receive checks and VLAN stripping */
#define NIC_RQ_GEN_CSUM_IP6_UDP0	BIT_ULL(20)	/* accept zero UDP csum */
#define NIC_RQ_GEN_CSUM_L4		BIT_ULL(21)
#define NIC_RQ_GEN_LEN_L4		BIT_ULL(23)
#define NIC_RQ_GEN_LEN_L3		BIT_ULL(24)
#define NIC_RQ_GEN_VLAN_STRIP		BIT_ULL(25)

/*
 * Receive queue settings the PF writes for us (mailbox config words).
 * RQ_CFG: which CQ takes the completions and which RBDRs give buffers.
 */
#define NIC_PF_RQ_CFG_START_RBDR	BIT_ULL(0)
#define NIC_PF_RQ_CFG_START_QS		GENMASK_ULL(7, 1)
#define NIC_PF_RQ_CFG_CONT_RBDR		BIT_ULL(8)
#define NIC_PF_RQ_CFG_CONT_QS		GENMASK_ULL(15, 9)
#define NIC_PF_RQ_CFG_CQ_IDX		GENMASK_ULL(18, 16)
#define NIC_PF_RQ_CFG_CQ_QS		GENMASK_ULL(25, 19)
#define NIC_PF_RQ_CFG_CACHING		BIT_ULL(26)
/* RQ_BP_CFG: backpressure from RBDR and CQ levels */
#define NIC_PF_RQ_BP_BPID		GENMASK_ULL(7, 0)
#define NIC_PF_RQ_BP_CQ_PASS		GENMASK_ULL(15, 8)
#define NIC_PF_RQ_BP_RBDR_PASS		GENMASK_ULL(23, 16)
#define NIC_PF_RQ_BP_CQ_ENA		BIT_ULL(62)
#define NIC_PF_RQ_BP_RBDR_ENA		BIT_ULL(63)
/* RQ_DROP_CFG: random early drop between the pass and drop levels */
#define NIC_PF_RQ_DROP_CQ_DROP		GENMASK_ULL(15, 8)
#define NIC_PF_RQ_DROP_CQ_PASS		GENMASK_ULL(23, 16)
#define NIC_PF_RQ_DROP_RBDR_DROP	GENMASK_ULL(39, 32)
#define NIC_PF_RQ_DROP_RBDR_PASS	GENMASK_ULL(47, 40)
#define NIC_PF_RQ_DROP_CQ_ENA		BIT_ULL(62)
#define NIC_PF_RQ_DROP_RBDR_ENA		BIT_ULL(63)
/* QS_CFG: queue set enable and owning VNIC */
#define NIC_PF_QS_CFG_VNIC		GENMASK_ULL(6, 0)
#define NIC_PF_QS_CFG_ENA		BIT_ULL(31)

/* Send queues */
#define NIC_QSET_SQ_0_7_CFG		0x010800
#define NIC_QSET_SQ_0_7_THRESH		0x010810
#define NIC_QSET_SQ_0_7_BASE		0x010820
#define NIC_QSET_SQ_0_7_HEAD		0x010828
#define NIC_QSET_SQ_0_7_TAIL		0x010830
#define NIC_QSET_SQ_0_7_DOOR		0x010838
#define NIC_QSET_SQ_0_7_STATUS		0x010840
#define NIC_QSET_SQ_0_7_DEBUG		0x010848
#define NIC_QSET_SQ_0_7_STAT_0_1	0x010900
#define NIC_SQ_CFG_QSIZE		GENMASK_ULL(10, 8)
#define NIC_SQ_CFG_LDWB			BIT_ULL(16)
#define NIC_SQ_CFG_RESET		BIT_ULL(17)
#define NIC_SQ_CFG_ENA			BIT_ULL(19)
#define NIC_SQ_CFG_CQ_LIMIT		GENMASK_ULL(31, 24)
/* SQ_STATUS: set once the queue has stopped reading descriptors */
#define NIC_SQ_STATUS_STOPPED		BIT_ULL(21)
/* SQ_HEAD/SQ_TAIL hold an entry index in units of 16-byte entries */
#define NIC_SQ_PTR_SHIFT		4
/* SQ config word sent to the PF: the CQ (queue set, index) for its CQEs */
#define NIC_PF_SQ_CFG_CQ_IDX		GENMASK_ULL(2, 0)
#define NIC_PF_SQ_CFG_CQ_QS		GENMASK_ULL(9, 3)

/* Receive buffer descriptor rings (2 per queue set) */
#define NIC_QSET_RBDR_0_1_CFG		0x010c00
#define NIC_QSET_RBDR_0_1_THRESH	0x010c10
#define NIC_QSET_RBDR_0_1_BASE		0x010c20
#define NIC_QSET_RBDR_0_1_HEAD		0x010c28
#define NIC_QSET_RBDR_0_1_TAIL		0x010c30
#define NIC_QSET_RBDR_0_1_DOOR		0x010c38
#define NIC_QSET_RBDR_0_1_STATUS0	0x010c40
#define NIC_QSET_RBDR_0_1_STATUS1	0x010c48
#define NIC_QSET_RBDR_0_1_PREFETCH_STATUS 0x010c50

/* RBDR_CFG fields: buffer size in 128-byte lines, ring size, control */
#define NIC_RBDR_CFG_LINES		GENMASK_ULL(11, 0)
#define NIC_RBDR_CFG_AVG_CON		GENMASK_ULL(24, 16)
#define NIC_RBDR_CFG_QSIZE		GENMASK_ULL(35, 32)
#define NIC_RBDR_CFG_LDWB		BIT_ULL(42)
#define NIC_RBDR_CFG_RESET		BIT_ULL(43)
#define NIC_RBDR_CFG_ENA		BIT_ULL(44)
/* RBDR_THRESH: the RBDR interrupt fires when fewer buffers remain */
#define NIC_RBDR_THRESH			GENMASK_ULL(18, 0)
/* RBDR_STATUS0: number of buffers the hardware holds, FIFO state */
#define NIC_RBDR_STATUS0_QCOUNT		GENMASK_ULL(18, 0)
#define NIC_RBDR_STATUS0_FIFO_STATE	GENMASK_ULL(63, 62)
#define NIC_RBDR_FIFO_INACTIVE		0
#define NIC_RBDR_FIFO_ACTIVE		1
#define NIC_RBDR_FIFO_RESET		2
#define NIC_RBDR_FIFO_FAIL		3
/* PREFETCH_STATUS: the two halves match once the prefetcher is idle */
#define NIC_RBDR_PREFETCH_LO		GENMASK_ULL(31, 0)
#define NIC_RBDR_PREFETCH_HI		GENMASK_ULL(63, 32)
/* RBDR_HEAD/RBDR_TAIL hold an entry index in units of 8-byte entries */
#define NIC_RBDR_PTR_SHIFT		3
#define NIC_RBDR_PTR_MASK		GENMASK_ULL(18, 0)

/* MSI-X table in BAR4: one 16-byte entry per vector */
#define NIC_VF_MSIX_VECTOR_0_19_ADDR	0x000000
#define NIC_VF_MSIX_VECTOR_0_19_CTL	0x000008
#define NIC_VF_MSIX_PBA			0x0f0000
#define NIC_MSIX_VEC_SHIFT		4

/* MSI-X vector numbers of a VF */
#define NICVF_INTR_ID_CQ		0
#define NICVF_INTR_ID_SQ		8
#define NICVF_INTR_ID_RBDR		16
#define NICVF_INTR_ID_MISC		18
#define NICVF_INTR_ID_QS_ERR		19
#define NICVF_MSIX_VECTORS		20

#endif /* NIC_REG_H */
