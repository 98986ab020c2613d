// SPDX-License-Identifier: GPL-2.0-only
/*
 * ThunderX VNIC virtual function driver: the mailbox to the PF and the
 * module entry points.
 *
 * The receive path lives in nicvf_queues.c.  PCI probe and the net_device
 * that drive it are added on top of it here.
 */

#include <linux/bitfield.h>
#include <linux/device.h>
#include <linux/ethtool.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/unaligned.h>

#include "nic_reg.h"
#include "nicvf.h"
#include "nicvf_queues.h"

#define DRV_NAME	"nicvf"

/* --- PF mailbox ------------------------------------------------------------ */

const char *nicvf_mbx_name(u8 msg)
{
	switch (msg) {
	case NIC_MBOX_MSG_READY:		return "READY";
	case NIC_MBOX_MSG_ACK:			return "ACK";
	case NIC_MBOX_MSG_NACK:			return "NACK";
	case NIC_MBOX_MSG_QS_CFG:		return "QS_CFG";
	case NIC_MBOX_MSG_RQ_CFG:		return "RQ_CFG";
	case NIC_MBOX_MSG_SQ_CFG:		return "SQ_CFG";
	case NIC_MBOX_MSG_RQ_DROP_CFG:		return "RQ_DROP_CFG";
	case NIC_MBOX_MSG_SET_MAC:		return "SET_MAC";
	case NIC_MBOX_MSG_SET_MAX_FRS:		return "SET_MAX_FRS";
	case NIC_MBOX_MSG_CPI_CFG:		return "CPI_CFG";
	case NIC_MBOX_MSG_RSS_SIZE:		return "RSS_SIZE";
	case NIC_MBOX_MSG_RSS_CFG:		return "RSS_CFG";
	case NIC_MBOX_MSG_RSS_CFG_CONT:		return "RSS_CFG_CONT";
	case NIC_MBOX_MSG_RQ_BP_CFG:		return "RQ_BP_CFG";
	case NIC_MBOX_MSG_RQ_SW_SYNC:		return "RQ_SW_SYNC";
	case NIC_MBOX_MSG_BGX_STATS:		return "BGX_STATS";
	case NIC_MBOX_MSG_BGX_LINK_CHANGE:	return "BGX_LINK_CHANGE";
	case NIC_MBOX_MSG_CFG_DONE:		return "CFG_DONE";
	case NIC_MBOX_MSG_SHUTDOWN:		return "SHUTDOWN";
	}
	return "unknown";
}

void nicvf_mbx_init(struct nicvf *nic, struct device *dev,
		    void __iomem *regs)
{
	nic->dev = dev;
	nic->regs = regs;
	mutex_init(&nic->mbx_lock);
	spin_lock_init(&nic->mbx_reply_lock);
	init_completion(&nic->mbx_done);
}

/* Whether @reply answers a request of type @req */
static bool nicvf_mbx_answers(u8 req, u8 reply)
{
	if (reply == NIC_MBOX_MSG_ACK || reply == NIC_MBOX_MSG_NACK)
		return true;
	switch (req) {
	case NIC_MBOX_MSG_READY:
	case NIC_MBOX_MSG_RSS_SIZE:
	case NIC_MBOX_MSG_BGX_STATS:
	case NIC_MBOX_MSG_BGX_LINK_CHANGE:
		return reply == req;
	}
	return false;
}

/*
 * Send @req and wait, at most NICVF_MBX_TIMEOUT_MS, for the PF's answer.
 * Returns 0 (the answer is copied to @reply if given), -EIO for a NACK or
 * -ETIMEDOUT; either failure is logged with the message's name.  Sleeps.
 */
int nicvf_mbx_send(struct nicvf *nic, const struct nicvf_mbx *req,
		   struct nicvf_mbx *reply)
{
	void __iomem *mbx = nic->regs + NIC_VF_PF_MAILBOX_0_1;
	u8 msg = req->b[0];
	unsigned long left;
	int err;

	mutex_lock(&nic->mbx_lock);
	spin_lock_irq(&nic->mbx_reply_lock);
	reinit_completion(&nic->mbx_done);
	nic->mbx_waiting = msg;
	nic->mbx_result = -ETIMEDOUT;
	spin_unlock_irq(&nic->mbx_reply_lock);

	writeq(get_unaligned_le64(&req->b[0]), mbx);
	/* Writing the second word raises the PF's interrupt */
	writeq(get_unaligned_le64(&req->b[8]), mbx + 8);

	left = wait_for_completion_timeout(&nic->mbx_done,
					   msecs_to_jiffies(NICVF_MBX_TIMEOUT_MS));

	spin_lock_irq(&nic->mbx_reply_lock);
	/* An answer may have come between the timeout and the lock */
	if (!left && try_wait_for_completion(&nic->mbx_done))
		left = 1;
	nic->mbx_waiting = 0;
	err = left ? nic->mbx_result : -ETIMEDOUT;
	if (!err && reply)
		*reply = nic->mbx_reply;
	spin_unlock_irq(&nic->mbx_reply_lock);
	mutex_unlock(&nic->mbx_lock);

	if (err == -ETIMEDOUT)
		dev_err(nic->dev,
			"PF did not answer mailbox message %s (%#04x) within %u ms\n",
			nicvf_mbx_name(msg), msg, NICVF_MBX_TIMEOUT_MS);
	else if (err)
		dev_err(nic->dev, "PF refused mailbox message %s (%#04x)\n",
			nicvf_mbx_name(msg), msg);
	return err;
}

static void nicvf_mbx_link_update(struct nicvf *nic, const struct nicvf_mbx *m)
{
	bool up = m->b[NICVF_MBX_LINK_UP];

	nic->mac_type = m->b[NICVF_MBX_LINK_MAC_TYPE];
	if (up == nic->link_up)
		return;
	nic->link_up = up;
	nic->duplex = m->b[NICVF_MBX_LINK_DUPLEX];
	nic->speed = get_unaligned_le32(&m->b[NICVF_MBX_LINK_SPEED]);
	if (up) {
		dev_info(nic->dev, "link up, %u Mbps %s duplex\n", nic->speed,
			 nic->duplex == DUPLEX_FULL ? "full" : "half");
		if (nic->netdev)
			netif_carrier_on(nic->netdev);
	} else {
		dev_info(nic->dev, "link down\n");
		if (nic->netdev)
			netif_carrier_off(nic->netdev);
	}
}

/* The mailbox interrupt: the PF has written a message for us */
irqreturn_t nicvf_mbx_intr(int irq, void *data)
{
	struct nicvf *nic = data;
	void __iomem *mbx = nic->regs + NIC_VF_PF_MAILBOX_0_1;
	struct nicvf_mbx m;
	unsigned long flags;
	bool answered = false;
	u8 msg;

	if (!(readq(nic->regs + NIC_VF_INT) & NICVF_INTR_MBOX))
		return IRQ_NONE;
	put_unaligned_le64(readq(mbx), &m.b[0]);
	put_unaligned_le64(readq(mbx + 8), &m.b[8]);
	/* Only once read: the PF may write its next message after this */
	writeq(NICVF_INTR_MBOX, nic->regs + NIC_VF_INT);
	msg = m.b[0];

	spin_lock_irqsave(&nic->mbx_reply_lock, flags);
	if (nic->mbx_waiting && nicvf_mbx_answers(nic->mbx_waiting, msg) &&
	    !completion_done(&nic->mbx_done)) {
		nic->mbx_reply = m;
		nic->mbx_result = msg == NIC_MBOX_MSG_NACK ? -EIO : 0;
		complete(&nic->mbx_done);
		answered = true;
	}
	spin_unlock_irqrestore(&nic->mbx_reply_lock, flags);

	/* Link state is taken whenever it comes */
	if (msg == NIC_MBOX_MSG_BGX_LINK_CHANGE) {
		nicvf_mbx_link_update(nic, &m);
	} else if (!answered) {
		nic->mbx_unsolicited++;
		dev_warn_ratelimited(nic->dev,
				     "mailbox message %s (%#04x) from PF that no request asked for\n",
				     nicvf_mbx_name(msg), msg);
	}
	return IRQ_HANDLED;
}

static void nicvf_mbx_new(struct nicvf_mbx *m, u8 msg)
{
	memset(m, 0, sizeof(*m));
	m->b[0] = msg;
}

/* READY: is the PF there, and who are we */
int nicvf_mbx_ready(struct nicvf *nic)
{
	struct nicvf_mbx req, rep;
	u8 flags;
	int err;

	nicvf_mbx_new(&req, NIC_MBOX_MSG_READY);
	err = nicvf_mbx_send(nic, &req, &rep);
	if (err)
		return err;
	if (rep.b[0] != NIC_MBOX_MSG_READY) {
		dev_err(nic->dev, "PF answered READY with %s\n",
			nicvf_mbx_name(rep.b[0]));
		return -EPROTO;
	}
	flags = rep.b[NICVF_MBX_READY_FLAGS];
	nic->vf_id = rep.b[NICVF_MBX_VF_ID] & 0x7f;
	nic->node = rep.b[NICVF_MBX_READY_NODE];
	nic->tns_mode = flags & NICVF_MBX_READY_TNS;
	nic->sqs_mode = flags & NICVF_MBX_READY_SQS;
	nic->loopback_supported = flags & NICVF_MBX_READY_LOOPBACK;
	memcpy(nic->pf_mac, &rep.b[NICVF_MBX_READY_MAC], ETH_ALEN);
	nic->link_up = false;
	nic->duplex = 0;
	nic->speed = 0;
	return 0;
}

/* A message that is only its type: CFG_DONE, SHUTDOWN */
int nicvf_mbx_simple(struct nicvf *nic, u8 msg)
{
	struct nicvf_mbx req;

	nicvf_mbx_new(&req, msg);
	return nicvf_mbx_send(nic, &req, NULL);
}

/*
 * The queue-set, receive and send queue messages share one layout: queue
 * set (our VF number), queue number, one more byte, and a config word.
 */
static int nicvf_mbx_cfg(struct nicvf *nic, u8 msg, u8 q, u8 b3, u64 cfg)
{
	struct nicvf_mbx req;

	nicvf_mbx_new(&req, msg);
	req.b[NICVF_MBX_QS_NUM] = nic->vf_id;
	req.b[NICVF_MBX_Q_NUM] = q;
	req.b[NICVF_MBX_SQ_SQS_MODE] = b3;
	put_unaligned_le64(cfg, &req.b[NICVF_MBX_CFG]);
	return nicvf_mbx_send(nic, &req, NULL);
}

/* QS_CFG: byte 2 counts secondary queue sets, of which we use none */
int nicvf_mbx_qs_cfg(struct nicvf *nic, u64 cfg)
{
	return nicvf_mbx_cfg(nic, NIC_MBOX_MSG_QS_CFG, 0, 0, cfg);
}

/* RQ_CFG, RQ_BP_CFG or RQ_DROP_CFG for receive queue @rq */
int nicvf_mbx_rq_cfg(struct nicvf *nic, u8 msg, int rq, u64 cfg)
{
	return nicvf_mbx_cfg(nic, msg, rq, 0, cfg);
}

int nicvf_mbx_sq_cfg(struct nicvf *nic, int sq, u64 cfg)
{
	return nicvf_mbx_cfg(nic, NIC_MBOX_MSG_SQ_CFG, sq, nic->sqs_mode, cfg);
}

int nicvf_mbx_set_mac(struct nicvf *nic, const u8 *mac)
{
	struct nicvf_mbx req;

	nicvf_mbx_new(&req, NIC_MBOX_MSG_SET_MAC);
	req.b[NICVF_MBX_VF_ID] = nic->vf_id;
	memcpy(&req.b[NICVF_MBX_MAC], mac, ETH_ALEN);
	return nicvf_mbx_send(nic, &req, NULL);
}

int nicvf_mbx_set_max_frs(struct nicvf *nic, u16 max_frs)
{
	struct nicvf_mbx req;

	nicvf_mbx_new(&req, NIC_MBOX_MSG_SET_MAX_FRS);
	req.b[NICVF_MBX_VF_ID] = nic->vf_id;
	put_unaligned_le16(max_frs, &req.b[NICVF_MBX_MAX_FRS]);
	return nicvf_mbx_send(nic, &req, NULL);
}

int nicvf_mbx_cpi_cfg(struct nicvf *nic, u8 rq_cnt, u8 cpi_alg)
{
	struct nicvf_mbx req;

	nicvf_mbx_new(&req, NIC_MBOX_MSG_CPI_CFG);
	req.b[NICVF_MBX_VF_ID] = nic->vf_id;
	req.b[NICVF_MBX_CPI_RQ_CNT] = rq_cnt;
	req.b[NICVF_MBX_CPI_ALG] = cpi_alg;
	return nicvf_mbx_send(nic, &req, NULL);
}

/* The size of the RSS indirection table the PF gives us */
int nicvf_mbx_rss_size(struct nicvf *nic, u16 *size)
{
	struct nicvf_mbx req, rep;
	int err;

	nicvf_mbx_new(&req, NIC_MBOX_MSG_RSS_SIZE);
	req.b[NICVF_MBX_VF_ID] = nic->vf_id;
	err = nicvf_mbx_send(nic, &req, &rep);
	if (err)
		return err;
	if (rep.b[0] != NIC_MBOX_MSG_RSS_SIZE) {
		dev_err(nic->dev, "PF answered RSS_SIZE with %s\n",
			nicvf_mbx_name(rep.b[0]));
		return -EPROTO;
	}
	*size = get_unaligned_le16(&rep.b[NICVF_MBX_RSS_SIZE]);
	return 0;
}

/* The indirection table, NICVF_MBX_RSS_PER_MSG entries to a message */
int nicvf_mbx_rss_cfg(struct nicvf *nic, u8 hash_bits, const u8 *tbl,
		      u16 len)
{
	struct nicvf_mbx req;
	u16 off, n;
	int err;

	/* Offsets travel in a byte */
	if (len > U8_MAX + 1)
		return -EINVAL;
	for (off = 0; off < len; off += n) {
		n = min_t(u16, len - off, NICVF_MBX_RSS_PER_MSG);
		nicvf_mbx_new(&req, off ? NIC_MBOX_MSG_RSS_CFG_CONT :
					  NIC_MBOX_MSG_RSS_CFG);
		req.b[NICVF_MBX_VF_ID] = nic->vf_id;
		req.b[NICVF_MBX_RSS_HASH_BITS] = hash_bits;
		req.b[NICVF_MBX_RSS_TBL_LEN] = n;
		req.b[NICVF_MBX_RSS_TBL_OFFSET] = off;
		memcpy(&req.b[NICVF_MBX_RSS_TBL], tbl + off, n);
		err = nicvf_mbx_send(nic, &req, NULL);
		if (err)
			return err;
	}
	return 0;
}

/* Ask the PF for the link state; the answer updates it (and the carrier) */
int nicvf_mbx_link(struct nicvf *nic)
{
	struct nicvf_mbx req;

	nicvf_mbx_new(&req, NIC_MBOX_MSG_BGX_LINK_CHANGE);
	return nicvf_mbx_send(nic, &req, NULL);
}

/* --- Receive side of the queue set ------------------------------------------ */

/*
 * Levels at which a receive queue applies backpressure and then drops.  A
 * CQ level measures emptiness and an RBDR level fullness, both in 256ths
 * of the ring: receive while more than 224/256 of the CQ is free and more
 * than 8/256 of the RBDR holds buffers; drop below 216/256 and 0.
 */
#define NICVF_RQ_CQ_PASS	224
#define NICVF_RQ_CQ_DROP	216
#define NICVF_RQ_RBDR_PASS	8
#define NICVF_RQ_RBDR_DROP	0

/* Receive queue @rq: completions to CQ @rq, buffers from RBDR 0 */
static int nicvf_rq_up(struct nicvf *nic, int rq)
{
	void __iomem *cfg = nicvf_qreg(nic->regs, NIC_QSET_RQ_0_7_CFG, rq);
	u8 qs = nic->vf_id;
	int err;

	writeq(0, cfg);
	err = nicvf_mbx_rq_cfg(nic, NIC_MBOX_MSG_RQ_CFG, rq,
			       NIC_PF_RQ_CFG_CACHING |
			       FIELD_PREP(NIC_PF_RQ_CFG_CQ_QS, qs) |
			       FIELD_PREP(NIC_PF_RQ_CFG_CQ_IDX, rq) |
			       FIELD_PREP(NIC_PF_RQ_CFG_CONT_QS, qs) |
			       FIELD_PREP(NIC_PF_RQ_CFG_START_QS, qs));
	if (err)
		return err;
	err = nicvf_mbx_rq_cfg(nic, NIC_MBOX_MSG_RQ_BP_CFG, rq,
			       NIC_PF_RQ_BP_RBDR_ENA | NIC_PF_RQ_BP_CQ_ENA |
			       FIELD_PREP(NIC_PF_RQ_BP_RBDR_PASS,
					  NICVF_RQ_RBDR_PASS) |
			       FIELD_PREP(NIC_PF_RQ_BP_CQ_PASS,
					  NICVF_RQ_CQ_PASS) |
			       FIELD_PREP(NIC_PF_RQ_BP_BPID, qs));
	if (err)
		return err;
	err = nicvf_mbx_rq_cfg(nic, NIC_MBOX_MSG_RQ_DROP_CFG, rq,
			       NIC_PF_RQ_DROP_RBDR_ENA | NIC_PF_RQ_DROP_CQ_ENA |
			       FIELD_PREP(NIC_PF_RQ_DROP_RBDR_PASS,
					  NICVF_RQ_RBDR_PASS) |
			       FIELD_PREP(NIC_PF_RQ_DROP_RBDR_DROP,
					  NICVF_RQ_RBDR_DROP) |
			       FIELD_PREP(NIC_PF_RQ_DROP_CQ_PASS,
					  NICVF_RQ_CQ_PASS) |
			       FIELD_PREP(NIC_PF_RQ_DROP_CQ_DROP,
					  NICVF_RQ_CQ_DROP));
	if (err)
		return err;
	if (!rq)
		writeq(NIC_RQ_GEN_LEN_L3 | NIC_RQ_GEN_LEN_L4 |
		       NIC_RQ_GEN_CSUM_L4 | NIC_RQ_GEN_CSUM_IP6_UDP0,
		       nicvf_qreg(nic->regs, NIC_QSET_RQ_GEN_CFG, 0));
	writeq(NIC_RQ_CFG_ENA, cfg);
	return 0;
}

/*
 * Stop every receive queue, then the RBDR and the CQs, then free them.
 * If the hardware will not let go of the RBDR, its buffers are kept (the
 * device could still write into them) and -EBUSY is returned: calling
 * again retries.
 */
int nicvf_rx_down(struct nicvf *nic)
{
	int i;

	/* The RBDR is the first thing up: without it, nothing is */
	if (!nic->rbdr.pool)
		return 0;
	for (i = 0; i < nic->rx_queues; i++)
		writeq(0, nicvf_qreg(nic->regs, NIC_QSET_RQ_0_7_CFG, i));
	/* Packets already in the pipeline are written out */
	if (nic->rx_queues)
		nicvf_mbx_simple(nic, NIC_MBOX_MSG_RQ_SW_SYNC);

	if (nicvf_rbdr_stop(&nic->rbdr)) {
		dev_err(nic->dev,
			"RBDR did not stop: keeping its buffers, the device may still write them\n");
		return -EBUSY;
	}
	for (i = 0; i < nic->rx_queues; i++) {
		nicvf_cq_stop(&nic->cq[i]);
		nicvf_cq_free(&nic->cq[i]);
	}
	nic->rx_queues = 0;
	nicvf_rbdr_free(&nic->rbdr);
	nicvf_mbx_qs_cfg(nic, 0);
	return 0;
}

/*
 * Bring up the queue set's receive side in the hardware's order: the
 * queue set, the RBDR, the CQs, then the receive queues that tie them.
 */
int nicvf_rx_up(struct nicvf *nic, int queues)
{
	int err, i;

	if (queues < 1 || queues > NICVF_MAX_QUEUES)
		return -EINVAL;
	if (nic->rbdr.pool)
		return -EBUSY;
	err = nicvf_mbx_qs_cfg(nic, NIC_PF_QS_CFG_ENA |
				    FIELD_PREP(NIC_PF_QS_CFG_VNIC, nic->vf_id));
	if (err)
		return err;
	err = nicvf_rbdr_init(&nic->rbdr, nic->dev, nic->regs, 0,
			      nic->rbdr_len, NICVF_RX_BUF_LEN_DEFAULT);
	if (err) {
		nicvf_mbx_qs_cfg(nic, 0);
		return err;
	}
	nicvf_rbdr_enable(&nic->rbdr);
	for (i = 0; i < queues; i++) {
		err = nicvf_cq_init(&nic->cq[i], nic->dev, nic->regs, i,
				    nic->cq_len, &nic->rbdr, nic->netdev,
				    nic->cqe_rx2);
		if (err)
			goto err_down;
		nic->rx_queues = i + 1;
		nicvf_cq_enable(&nic->cq[i]);
	}
	for (i = 0; i < queues; i++) {
		err = nicvf_rq_up(nic, i);
		if (err)
			goto err_down;
	}
	return 0;

err_down:
	nicvf_rx_down(nic);
	return err;
}

/* --- PCI --------------------------------------------------------------------- */

#define PCI_DEVICE_ID_THUNDER_NIC_VF		0xa034
#define PCI_DEVICE_ID_THUNDER_PASS1_NIC_VF	0x0011
#define PCI_SUBSYS_DEVID_88XX_PASS1_NIC_VF	0xa11e
#define PCI_SUBSYS_DEVID_88XX_NIC_VF		0xa134
#define PCI_SUBSYS_DEVID_81XX_NIC_VF		0xa234
#define PCI_SUBSYS_DEVID_83XX_NIC_VF		0xa334

/* The VNIC's DMA engine drives 48 address bits */
#define NICVF_DMA_BITS				48

static const struct pci_device_id nicvf_ids[] = {
	{ PCI_DEVICE_SUB(PCI_VENDOR_ID_CAVIUM,
			 PCI_DEVICE_ID_THUNDER_PASS1_NIC_VF,
			 PCI_VENDOR_ID_CAVIUM,
			 PCI_SUBSYS_DEVID_88XX_PASS1_NIC_VF) },
	{ PCI_DEVICE_SUB(PCI_VENDOR_ID_CAVIUM, PCI_DEVICE_ID_THUNDER_NIC_VF,
			 PCI_VENDOR_ID_CAVIUM, PCI_SUBSYS_DEVID_88XX_NIC_VF) },
	{ PCI_DEVICE_SUB(PCI_VENDOR_ID_CAVIUM, PCI_DEVICE_ID_THUNDER_NIC_VF,
			 PCI_VENDOR_ID_CAVIUM, PCI_SUBSYS_DEVID_81XX_NIC_VF) },
	{ PCI_DEVICE_SUB(PCI_VENDOR_ID_CAVIUM, PCI_DEVICE_ID_THUNDER_NIC_VF,
			 PCI_VENDOR_ID_CAVIUM, PCI_SUBSYS_DEVID_83XX_NIC_VF) },
	{ }
};
MODULE_DEVICE_TABLE(pci, nicvf_ids);

/*
 * Every chip but CN88xx pass 1 (revision below 8) inserts the CQE_RX2 word
 * into CQE_RX, moving the buffer pointers from word 6 to word 7.
 */
static bool nicvf_has_cqe_rx2(const struct pci_dev *pdev)
{
	return !(pdev->subsystem_device == PCI_SUBSYS_DEVID_88XX_PASS1_NIC_VF &&
		 pdev->revision < 8);
}

static void nicvf_mbx_irq_off(struct nicvf *nic)
{
	writeq(NICVF_INTR_MBOX, nic->regs + NIC_VF_ENA_W1C);
	if (nic->mbx_irq)
		free_irq(pci_irq_vector(nic->pdev, NICVF_INTR_ID_MISC), nic);
	nic->mbx_irq = false;
}

/* Vectors for every CQ, the RBDRs, the mailbox and queue-set errors */
static int nicvf_mbx_irq_on(struct nicvf *nic)
{
	int err;

	err = pci_alloc_irq_vectors(nic->pdev, NICVF_MSIX_VECTORS,
				    NICVF_MSIX_VECTORS, PCI_IRQ_MSIX);
	if (err < 0) {
		dev_err(nic->dev, "cannot allocate %d MSI-X vectors: %d\n",
			NICVF_MSIX_VECTORS, err);
		return err;
	}
	err = request_irq(pci_irq_vector(nic->pdev, NICVF_INTR_ID_MISC),
			  nicvf_mbx_intr, 0, DRV_NAME "-mbox", nic);
	if (err) {
		dev_err(nic->dev, "cannot request the mailbox interrupt: %d\n",
			err);
		pci_free_irq_vectors(nic->pdev);
		return err;
	}
	nic->mbx_irq = true;
	/* A message the PF left before we were listening is dropped */
	writeq(NICVF_INTR_MBOX, nic->regs + NIC_VF_INT);
	writeq(NICVF_INTR_MBOX, nic->regs + NIC_VF_ENA_W1S);
	return 0;
}

static int nicvf_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct net_device *netdev;
	void __iomem *regs;
	struct nicvf *nic;
	int err;

	err = pci_enable_device(pdev);
	if (err) {
		dev_err(dev, "cannot enable the PCI device: %d\n", err);
		return err;
	}
	err = pci_request_regions(pdev, DRV_NAME);
	if (err) {
		dev_err(dev, "cannot claim the PCI regions: %d\n", err);
		goto err_disable;
	}
	err = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(NICVF_DMA_BITS));
	if (err) {
		dev_err(dev, "no usable %d-bit DMA: %d\n", NICVF_DMA_BITS,
			err);
		goto err_regions;
	}
	pci_set_master(pdev);
	regs = pci_ioremap_bar(pdev, 0);
	if (!regs) {
		dev_err(dev, "cannot map BAR0\n");
		err = -ENOMEM;
		goto err_regions;
	}

	netdev = alloc_etherdev_mqs(sizeof(*nic), NICVF_MAX_QUEUES,
				    NICVF_MAX_QUEUES);
	if (!netdev) {
		err = -ENOMEM;
		goto err_unmap;
	}
	SET_NETDEV_DEV(netdev, dev);
	pci_set_drvdata(pdev, netdev);
	nic = netdev_priv(netdev);
	nic->pdev = pdev;
	nic->netdev = netdev;
	nic->cqe_rx2 = nicvf_has_cqe_rx2(pdev);
	nic->rbdr_len = NICVF_RBDR_LEN_DEFAULT;
	nic->cq_len = NICVF_CQ_LEN_DEFAULT;
	nicvf_mbx_init(nic, dev, regs);

	err = nicvf_mbx_irq_on(nic);
	if (err)
		goto err_free_netdev;

	err = nicvf_mbx_ready(nic);
	if (err) {
		dev_err(dev, "the PF did not take this VF (is nicpf loaded?): %d\n",
			err);
		goto err_irq;
	}
	if (is_valid_ether_addr(nic->pf_mac)) {
		eth_hw_addr_set(netdev, nic->pf_mac);
	} else {
		eth_hw_addr_random(netdev);
		dev_info(dev, "PF gave no MAC address; using a random one\n");
	}
	dev_info(dev, "VF %u on node %u, CQE_RX %s\n", nic->vf_id, nic->node,
		 nic->cqe_rx2 ? "with CQE_RX2" : "pass 1 layout");
	return 0;

err_irq:
	nicvf_mbx_irq_off(nic);
	pci_free_irq_vectors(pdev);
err_free_netdev:
	pci_set_drvdata(pdev, NULL);
	free_netdev(netdev);
err_unmap:
	iounmap(regs);
err_regions:
	pci_release_regions(pdev);
err_disable:
	pci_disable_device(pdev);
	return err;
}

static void nicvf_remove(struct pci_dev *pdev)
{
	struct net_device *netdev = pci_get_drvdata(pdev);
	struct nicvf *nic;
	void __iomem *regs;

	if (!netdev)
		return;
	nic = netdev_priv(netdev);
	regs = nic->regs;
	if (nicvf_rx_down(nic))
		dev_err(nic->dev,
			"leaving the receive buffers allocated: the hardware did not stop\n");
	nicvf_mbx_irq_off(nic);
	pci_free_irq_vectors(pdev);
	pci_set_drvdata(pdev, NULL);
	free_netdev(netdev);
	iounmap(regs);
	pci_release_regions(pdev);
	pci_disable_device(pdev);
}

static struct pci_driver nicvf_driver = {
	.name = DRV_NAME,
	.id_table = nicvf_ids,
	.probe = nicvf_probe,
	.remove = nicvf_remove,
};

/* --- module ------------------------------------------------------------------ */

static int __init nicvf_init_module(void)
{
	return pci_register_driver(&nicvf_driver);
}

static void __exit nicvf_cleanup_module(void)
{
	pci_unregister_driver(&nicvf_driver);
}

module_init(nicvf_init_module);
module_exit(nicvf_cleanup_module);

MODULE_AUTHOR("nicvf project");
MODULE_DESCRIPTION("Cavium/Marvell ThunderX NIC virtual function driver");
MODULE_LICENSE("GPL");
