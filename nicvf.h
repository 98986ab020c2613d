/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ThunderX VNIC virtual function: the device and its mailbox to the PF.
 */
#ifndef NICVF_H
#define NICVF_H

#include <linux/completion.h>
#include <linux/etherdevice.h>
#include <linux/interrupt.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "nicvf_queues.h"

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
#define NIC_MBOX_MSG_LOOPBACK		0x16
#define NIC_MBOX_MSG_PTP_CFG		0x19
#define NIC_MBOX_MSG_CFG_DONE		0xf0
#define NIC_MBOX_MSG_SHUTDOWN		0xf1
#define NIC_MBOX_MSG_RESET_XCAST	0xf2

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

/* How long the PF has to answer one message */
#define NICVF_MBX_TIMEOUT_MS		2000

struct nicvf_mbx {
	u8 b[NICVF_MBX_BYTES];
};

/* Receive and send queues of one queue set */
#define NICVF_MAX_QUEUES		8
#define NICVF_RBDR_LEN_DEFAULT		8192
#define NICVF_CQ_LEN_DEFAULT		4096

/* Frame sizes the PF accepts in SET_MAX_FRS (it adds L2 header and FCS) */
#define NICVF_MIN_MTU			64
#define NICVF_MAX_MTU			9190

/* Transmit watchdog */
#define NICVF_TX_TIMEOUT		(50 * HZ)

/* How often the link is asked for; how soon a failed refill is retried */
#define NICVF_LINK_POLL_MS		2000
#define NICVF_REFILL_RETRY_MS		10
/* Buffers one run of the refill tasklet posts before letting others run */
#define NICVF_REFILL_BATCH		256

/* One CQ's interrupt and NAPI context */
struct nicvf_qvec {
	struct napi_struct napi;
	struct nicvf *nic;
	int idx;
	bool irq;			/* handler registered */
	char irq_name[IFNAMSIZ + 16];
};

/*
 * Counters of one queue pair, kept across close and open: what the queues
 * counted before they were last torn down.
 */
struct nicvf_qstats {
	u64 rx_packets;
	u64 rx_bytes;
	u64 rx_drops[NICVF_RX_DROP_NR];
	u64 tx_packets;
	u64 tx_bytes;
	u64 tx_errors;
	u64 tx_bogus;
	u64 tx_drops[NICVF_TX_DROP_NR];
};

/* Receive buffer ring counters, likewise */
struct nicvf_rbdr_stats {
	u64 alloc_fail;
	u64 post_fail;
	u64 unresolved;
};

struct nicvf {
	struct pci_dev *pdev;
	bool cqe_rx2;			/* CQE_RX carries the CQE_RX2 word */
	bool mbx_irq;			/* mailbox handler registered */
	struct device *dev;
	struct net_device *netdev;
	void __iomem *regs;		/* BAR0 */

	/* Mailbox: one request at a time, answered from the interrupt */
	struct mutex mbx_lock;
	spinlock_t mbx_reply_lock;	/* the fields below */
	struct completion mbx_done;
	u8 mbx_waiting;			/* type of the request, 0: none */
	int mbx_result;
	struct nicvf_mbx mbx_reply;
	u64 mbx_unsolicited;		/* answers nobody waited for */
	u64 mbx_timeouts;		/* requests the PF did not answer */
	u64 mbx_nacks;			/* requests the PF refused */

	/* What the PF said in READY */
	u8 vf_id;
	u8 node;
	bool tns_mode;
	bool sqs_mode;
	bool loopback_supported;
	u8 pf_mac[ETH_ALEN];

	/*
	 * The queue set: one RBDR shared by the receive queues, and @queues
	 * pairs of CQ (taking receive and send completions), receive queue
	 * and send queue.
	 */
	struct nicvf_rbdr rbdr;
	struct nicvf_cq cq[NICVF_MAX_QUEUES];
	struct nicvf_sq sq[NICVF_MAX_QUEUES];
	struct nicvf_qvec qv[NICVF_MAX_QUEUES];
	int queues;			/* pairs up, or 0 */
	int queues_cfg;			/* pairs the interface uses */
	u32 rbdr_len;
	u32 cq_len;
	u32 sq_len;
	bool rbdr_irq;			/* handlers registered */
	bool qs_err_irq;
	char rbdr_irq_name[IFNAMSIZ + 16];
	char qs_err_irq_name[IFNAMSIZ + 16];

	struct delayed_work link_work;	/* asks the PF for the link state */
	struct tasklet_struct refill_tasklet;	/* tops up the RBDR */
	struct delayed_work refill_work;	/* retries it when memory was short */
	bool refill_on;			/* the RBDR interrupt may refill */
	struct work_struct reset_work;	/* queue-set error, transmit timeout */

	/* Counters from before the last teardown, and events */
	spinlock_t stats_lock;		/* base vs. queues coming and going */
	bool stats_live;		/* the queues' own counters count */
	struct nicvf_qstats base[NICVF_MAX_QUEUES];
	struct nicvf_rbdr_stats rbdr_base;
	u64 refill_retries;
	u64 qs_errors;
	u64 tx_timeouts;

	/* Link, as the PF last reported it, taken only while open */
	bool if_up;
	bool link_up;
	u8 duplex;
	u32 speed;
	u8 mac_type;
};

void nicvf_mbx_init(struct nicvf *nic, struct device *dev,
		    void __iomem *regs);
int nicvf_mbx_send(struct nicvf *nic, const struct nicvf_mbx *req,
		   struct nicvf_mbx *reply);
irqreturn_t nicvf_mbx_intr(int irq, void *data);
const char *nicvf_mbx_name(u8 msg);

int nicvf_mbx_ready(struct nicvf *nic);
int nicvf_mbx_simple(struct nicvf *nic, u8 msg);
int nicvf_mbx_qs_cfg(struct nicvf *nic, u64 cfg);
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

int nicvf_qs_up(struct nicvf *nic, int queues);
int nicvf_qs_down(struct nicvf *nic);
void nicvf_qstats_read(struct nicvf *nic, int q, struct nicvf_qstats *out);

#endif /* NICVF_H */
