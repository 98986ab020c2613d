/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ThunderX VNIC virtual function: the mailbox to the PF (nicvf_mbx.c).
 */
#ifndef NICVF_MBX_H
#define NICVF_MBX_H

#include <linux/bits.h>
#include <linux/interrupt.h>
#include <linux/types.h>
#include <kunit/visibility.h>

struct device;
struct nicvf;

/*
 * PF <-> VF mailbox.  A message is 16 bytes, two little-endian 64-bit
 * words in NIC_VF_PF_MAILBOX_0_1; byte 0 is the message type.  Writing the
 * second word raises the PF's interrupt; the PF answers in the same
 * registers and raises NICVF_INTR_MBOX.  The PF answers every request with
 * ACK, NACK or a reply of the request's own type.  Types and layouts are
 * those the in-tree PF driver (nicpf) speaks.
 */
#define NICVF_MBX_BYTES			16

#define NIC_MBOX_MSG_READY		0x01
#define NIC_MBOX_MSG_ACK		0x02
#define NIC_MBOX_MSG_NACK		0x03
#define NIC_MBOX_MSG_QS_CFG		0x04
#define NIC_MBOX_MSG_RQ_CFG		0x05
#define NIC_MBOX_MSG_SQ_CFG		0x06
#define NIC_MBOX_MSG_RQ_DROP_CFG	0x07
#define NIC_MBOX_MSG_SET_MAC		0x08
#define NIC_MBOX_MSG_SET_MAX_FRS	0x09
#define NIC_MBOX_MSG_CPI_CFG		0x0a
#define NIC_MBOX_MSG_RSS_SIZE		0x0b
#define NIC_MBOX_MSG_RSS_CFG		0x0c
#define NIC_MBOX_MSG_RSS_CFG_CONT	0x0d
#define NIC_MBOX_MSG_RQ_BP_CFG		0x0e
#define NIC_MBOX_MSG_RQ_SW_SYNC		0x0f
#define NIC_MBOX_MSG_BGX_STATS		0x10
#define NIC_MBOX_MSG_BGX_LINK_CHANGE	0x11
#define NIC_MBOX_MSG_ALLOC_SQS		0x12
#define NIC_MBOX_MSG_NICVF_PTR		0x13
#define NIC_MBOX_MSG_PNICVF_PTR		0x14
#define NIC_MBOX_MSG_SNICVF_PTR		0x15
#define NIC_MBOX_MSG_LOOPBACK		0x16
#define NIC_MBOX_MSG_RESET_STAT		0x17
#define NIC_MBOX_MSG_PFC		0x18
#define NIC_MBOX_MSG_PTP_CFG		0x19
#define NIC_MBOX_MSG_CFG_DONE		0xf0
#define NIC_MBOX_MSG_SHUTDOWN		0xf1
#define NIC_MBOX_MSG_RESET_XCAST	0xf2
#define NIC_MBOX_MSG_ADD_MCAST		0xf3
#define NIC_MBOX_MSG_SET_XCAST		0xf4

/* Byte offsets of the fields the VF sends or reads */
#define NICVF_MBX_VF_ID			1	/* most requests */
#define NICVF_MBX_QS_NUM		1	/* QS/RQ/SQ config */
#define NICVF_MBX_Q_NUM			2	/* RQ/SQ number, QS sqs_count */
#define NICVF_MBX_SQ_SQS_MODE		3
#define NICVF_MBX_CFG			8	/* QS/RQ/SQ config word */
#define NICVF_MBX_MAC			2	/* SET_MAC */
#define NICVF_MBX_MAX_FRS		2	/* SET_MAX_FRS, le16 */
#define NICVF_MBX_CPI_RQ_CNT		2
#define NICVF_MBX_CPI_ALG		3
#define NICVF_MBX_RSS_SIZE		2	/* RSS_SIZE reply, le16 */
#define NICVF_MBX_RSS_HASH_BITS		2
#define NICVF_MBX_RSS_TBL_LEN		3
#define NICVF_MBX_RSS_TBL_OFFSET	4
#define NICVF_MBX_RSS_TBL		5
#define NICVF_MBX_RSS_PER_MSG		8
#define NICVF_MBX_LOOPBACK_ENA		2	/* LOOPBACK, after the VF */
#define NICVF_MBX_PTP_ENA		1	/* PTP_CFG */
/* RESET_STAT: which counters, one bit each (nicpf's struct reset_stat_cfg) */
#define NICVF_MBX_RESET_RX_MASK		2	/* le16, VNIC RX_STAT 0-13 */
#define NICVF_MBX_RESET_TX_MASK		4	/* VNIC TX_STAT 0-4 */
/* BGX_STATS: the LMAC's counter (request and reply), the value le64 */
#define NICVF_MBX_BGX_STAT_RX		2	/* 1: receive, 0: send */
#define NICVF_MBX_BGX_STAT_IDX		3
#define NICVF_MBX_BGX_STAT_VALUE	8
#define NICVF_BGX_RX_STATS		11	/* CMRX_RX_STAT0..10 */
#define NICVF_BGX_TX_STATS		18	/* CMRX_TX_STAT0..17 */
/* PFC: get (answered with PFC) or set the LMAC's pause frames */
#define NICVF_MBX_PFC_GET		1
#define NICVF_MBX_PFC_RX		3
#define NICVF_MBX_PFC_TX		4
/* ALLOC_SQS: how many are asked for, and (reply) granted */
#define NICVF_MBX_SQS_COUNT		2
/* NICVF_PTR, PNICVF_PTR, SNICVF_PTR: which SQS, and a VF's token (le64) */
#define NICVF_MBX_PTR_SQS_MODE		2
#define NICVF_MBX_SQS_ID		3
#define NICVF_MBX_PTR			8
#define NICVF_MBX_XCAST_MODE		1	/* SET_XCAST */
#define NICVF_MBX_XCAST_ADDR		2	/* ADD_MCAST, le48 */
/* SET_XCAST modes: the BGX's DMAC filter for our LMAC */
#define NICVF_XCAST_BCAST		BIT(0)	/* broadcast accepted */
#define NICVF_XCAST_MCAST		BIT(1)	/* every address accepted */
#define NICVF_XCAST_MCAST_FILTER	BIT(2)	/* only the CAM's addresses */
/* READY reply */
#define NICVF_MBX_READY_NODE		2
#define NICVF_MBX_READY_FLAGS		3
#define NICVF_MBX_READY_TNS		BIT(0)
#define NICVF_MBX_READY_SQS		BIT(1)
#define NICVF_MBX_READY_LOOPBACK	BIT(2)
#define NICVF_MBX_READY_MAC		4
/* BGX_LINK_CHANGE reply */
#define NICVF_MBX_LINK_MAC_TYPE		1
#define NICVF_MBX_LINK_UP		2
#define NICVF_MBX_LINK_DUPLEX		3
#define NICVF_MBX_LINK_SPEED		4	/* le32, Mbit/s */
/* The LMAC types BGX_LINK_CHANGE reports that matter to us */
#define NICVF_MAC_SGMII			0
#define NICVF_MAC_RXAUI			2
#define NICVF_MAC_RGMII			5
#define NICVF_MAC_QSGMII		6

/* How long the PF has to answer one message */
#define NICVF_MBX_TIMEOUT_MS		2000

struct nicvf_mbx {
	u8 b[NICVF_MBX_BYTES];
};

void nicvf_mbx_init(struct nicvf *nic, struct device *dev,
		    void __iomem *regs);
irqreturn_t nicvf_mbx_intr(int irq, void *data);

int nicvf_mbx_ready(struct nicvf *nic);
int nicvf_mbx_simple(struct nicvf *nic, u8 msg);
int nicvf_mbx_qs_cfg(struct nicvf *nic, u64 cfg);
int nicvf_mbx_alloc_sqs(struct nicvf *nic, u8 want, u8 *granted);
int nicvf_mbx_nicvf_ptr(struct nicvf *nic);
int nicvf_mbx_snicvf_ptr(struct nicvf *nic, u8 sqs, u64 *token);
int nicvf_mbx_pnicvf_ptr(struct nicvf *nic, u64 *token);
int nicvf_mbx_rq_cfg(struct nicvf *nic, u8 msg, int rq, u64 cfg);
int nicvf_mbx_sq_cfg(struct nicvf *nic, int sq, u64 cfg);
int nicvf_mbx_set_mac(struct nicvf *nic, const u8 *mac);
int nicvf_mbx_set_max_frs(struct nicvf *nic, u16 max_frs);
int nicvf_mbx_cpi_cfg(struct nicvf *nic, u8 rq_cnt, u8 cpi_alg);
int nicvf_mbx_rss_size(struct nicvf *nic, u16 *size);
int nicvf_mbx_rss_cfg(struct nicvf *nic, u8 hash_bits, const u8 *tbl,
		      u16 len);
int nicvf_mbx_link(struct nicvf *nic);
int nicvf_mbx_loopback(struct nicvf *nic, bool on);
int nicvf_mbx_ptp_cfg(struct nicvf *nic, bool on);
int nicvf_mbx_reset_stats(struct nicvf *nic);
int nicvf_mbx_pfc_get(struct nicvf *nic, bool *rx, bool *tx);
int nicvf_mbx_pfc_set(struct nicvf *nic, bool rx, bool tx);
int nicvf_mbx_bgx_stat(struct nicvf *nic, bool rx, u8 idx, u64 *val);
int nicvf_mbx_add_mcast(struct nicvf *nic, const u8 *addr);
int nicvf_mbx_set_xcast(struct nicvf *nic, u8 mode);

/* For the tests: static (VISIBLE_IF_KUNIT) without KUnit */
#if IS_ENABLED(CONFIG_KUNIT)
const char *nicvf_mbx_name(u8 msg);
#endif

#endif /* NICVF_MBX_H */
