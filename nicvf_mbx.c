// SPDX-License-Identifier: GPL-2.0-only
/*
 * ThunderX VNIC virtual function driver: the mailbox to the PF.  One
 * request at a time is sent and its answer awaited; the mailbox interrupt
 * takes the PF's answers, and the link state whenever the PF sends it.
 * The rest of the message API builds each request the VF makes.
 */

#include <linux/completion.h>
#include <linux/device.h>
#include <linux/ethtool.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/spinlock.h>
#include <kunit/visibility.h>

#include "nic_reg.h"
#include "nicvf_compat.h"
#include "nicvf.h"

/* --- Sending and receiving ------------------------------------------------ */

VISIBLE_IF_KUNIT const char *nicvf_mbx_name(u8 msg)
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
	case NIC_MBOX_MSG_ALLOC_SQS:		return "ALLOC_SQS";
	case NIC_MBOX_MSG_NICVF_PTR:		return "NICVF_PTR";
	case NIC_MBOX_MSG_PNICVF_PTR:		return "PNICVF_PTR";
	case NIC_MBOX_MSG_SNICVF_PTR:		return "SNICVF_PTR";
	case NIC_MBOX_MSG_CFG_DONE:		return "CFG_DONE";
	case NIC_MBOX_MSG_SHUTDOWN:		return "SHUTDOWN";
	case NIC_MBOX_MSG_LOOPBACK:		return "LOOPBACK";
	case NIC_MBOX_MSG_RESET_STAT:		return "RESET_STAT";
	case NIC_MBOX_MSG_PFC:			return "PFC";
	case NIC_MBOX_MSG_PTP_CFG:		return "PTP_CFG";
	case NIC_MBOX_MSG_RESET_XCAST:		return "RESET_XCAST";
	case NIC_MBOX_MSG_ADD_MCAST:		return "ADD_MCAST";
	case NIC_MBOX_MSG_SET_XCAST:		return "SET_XCAST";
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
	case NIC_MBOX_MSG_PFC:
	case NIC_MBOX_MSG_BGX_LINK_CHANGE:
	case NIC_MBOX_MSG_ALLOC_SQS:
	case NIC_MBOX_MSG_PNICVF_PTR:
	case NIC_MBOX_MSG_SNICVF_PTR:
		return reply == req;
	}
	return false;
}

/*
 * Send @req and wait, at most NICVF_MBX_TIMEOUT_MS, for the PF's answer.
 * Returns 0 (the answer is copied to @reply if given), -EIO for a NACK or
 * -ETIMEDOUT; either failure is logged with the message's name.  Sleeps.
 */
static int nicvf_mbx_send(struct nicvf *nic, const struct nicvf_mbx *req,
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
	if (err == -ETIMEDOUT)
		nic->mbx_timeouts++;
	else if (err)
		nic->mbx_nacks++;
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

/*
 * Link down stopped the send queues: start again those with room for the
 * largest packet (a queue stopped because it was full is woken by its
 * completions, as before).
 */

static void nicvf_mbx_link_update(struct nicvf *nic, const struct nicvf_mbx *m)
{
	bool up = m->b[NICVF_MBX_LINK_UP];
	struct nicvf *qs;
	int q;

	/*
	 * Only while the interface is open: a late answer to a poll that
	 * timed out must not queue a link event on a closed or dying device.
	 */
	if (!READ_ONCE(nic->if_up))
		return;
	nic->mac_type = m->b[NICVF_MBX_LINK_MAC_TYPE];
	if (up == nic->link_up)
		return;
	nic->link_up = up;
	nic->duplex = m->b[NICVF_MBX_LINK_DUPLEX];
	nic->speed = get_unaligned_le32(&m->b[NICVF_MBX_LINK_SPEED]);
	if (up) {
		if (netif_msg_link(nic))
			dev_info(nic->dev, "link up, %u Mbps %s duplex\n",
				 nic->speed,
				 nic->duplex == DUPLEX_FULL ? "full" : "half");
		if (nic->netdev) {
			netif_carrier_on(nic->netdev);
			for (q = 0; q < nic->tx_all; q++) {
				qs = nicvf_qset(nic, q / NICVF_MAX_QUEUES);
				if (qs)
					nicvf_sq_link_up(&qs->sq[q % NICVF_MAX_QUEUES]);
			}
		}
	} else {
		if (netif_msg_link(nic))
			dev_info(nic->dev, "link down\n");
		if (nic->netdev) {
			netif_tx_stop_all_queues(nic->netdev);
			netif_carrier_off(nic->netdev);
		}
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
		/* Only this handler writes it */
		WRITE_ONCE(nic->mbx_unsolicited, nic->mbx_unsolicited + 1);
		dev_warn_ratelimited(nic->dev,
				     "mailbox message %s (%#04x) from PF that no request asked for\n",
				     nicvf_mbx_name(msg), msg);
	}
	return IRQ_HANDLED;
}

/* --- The messages --------------------------------------------------------- */

static void nicvf_mbx_new(struct nicvf_mbx *m, u8 msg)
{
	memset(m, 0, sizeof(*m));
	m->b[0] = msg;
}

/*
 * A request the PF answers with a message of the request's own type
 * (not ACK): -EPROTO, logged, for any other answer.
 */
static int nicvf_mbx_query(struct nicvf *nic, const struct nicvf_mbx *req,
			   struct nicvf_mbx *rep)
{
	int err = nicvf_mbx_send(nic, req, rep);

	if (err)
		return err;
	if (rep->b[0] != req->b[0]) {
		dev_err(nic->dev, "PF answered %s with %s\n",
			nicvf_mbx_name(req->b[0]), nicvf_mbx_name(rep->b[0]));
		return -EPROTO;
	}
	return 0;
}

/* READY: is the PF there, and who are we */
int nicvf_mbx_ready(struct nicvf *nic)
{
	struct nicvf_mbx req, rep;
	u8 flags;
	int err;

	nicvf_mbx_new(&req, NIC_MBOX_MSG_READY);
	err = nicvf_mbx_query(nic, &req, &rep);
	if (err)
		return err;
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

/* QS_CFG: byte 2 counts the secondary queue sets in use (nicpf ignores it) */
int nicvf_mbx_qs_cfg(struct nicvf *nic, u64 cfg)
{
	return nicvf_mbx_cfg(nic, NIC_MBOX_MSG_QS_CFG, nic->sqs_count, 0, cfg);
}

/*
 * Ask for @want secondary queue sets.  nicpf answers with the number it
 * could give (there is no NACK for too few), in a message it addresses to
 * the VF the request names, so the request must name us.
 */
int nicvf_mbx_alloc_sqs(struct nicvf *nic, u8 want, u8 *granted)
{
	struct nicvf_mbx req, rep;
	int err;

	nicvf_mbx_new(&req, NIC_MBOX_MSG_ALLOC_SQS);
	req.b[NICVF_MBX_VF_ID] = nic->vf_id;
	req.b[NICVF_MBX_SQS_COUNT] = want;
	err = nicvf_mbx_query(nic, &req, &rep);
	if (err)
		return err;
	*granted = rep.b[NICVF_MBX_SQS_COUNT];
	return 0;
}

/* Tell the PF our token, which it hands to the primary that borrows us */
int nicvf_mbx_nicvf_ptr(struct nicvf *nic)
{
	struct nicvf_mbx req;

	nicvf_mbx_new(&req, NIC_MBOX_MSG_NICVF_PTR);
	req.b[NICVF_MBX_VF_ID] = nic->vf_id;
	req.b[NICVF_MBX_PTR_SQS_MODE] = nic->sqs_mode;
	put_unaligned_le64(nic->token, &req.b[NICVF_MBX_PTR]);
	return nicvf_mbx_send(nic, &req, NULL);
}

/* The token of the VF the PF gave us as our secondary queue set @sqs */
int nicvf_mbx_snicvf_ptr(struct nicvf *nic, u8 sqs, u64 *token)
{
	struct nicvf_mbx req, rep;
	int err;

	nicvf_mbx_new(&req, NIC_MBOX_MSG_SNICVF_PTR);
	req.b[NICVF_MBX_VF_ID] = nic->vf_id;
	req.b[NICVF_MBX_SQS_ID] = sqs;
	err = nicvf_mbx_query(nic, &req, &rep);
	if (err)
		return err;
	if (rep.b[NICVF_MBX_SQS_ID] != sqs) {
		dev_err(nic->dev, "PF answered SNICVF_PTR %u for %u\n",
			rep.b[NICVF_MBX_SQS_ID], sqs);
		return -EPROTO;
	}
	*token = get_unaligned_le64(&rep.b[NICVF_MBX_PTR]);
	return 0;
}

/* SQS VF: the token of the primary the PF lent us to */
int nicvf_mbx_pnicvf_ptr(struct nicvf *nic, u64 *token)
{
	struct nicvf_mbx req, rep;
	int err;

	nicvf_mbx_new(&req, NIC_MBOX_MSG_PNICVF_PTR);
	req.b[NICVF_MBX_VF_ID] = nic->vf_id;
	err = nicvf_mbx_query(nic, &req, &rep);
	if (err)
		return err;
	*token = get_unaligned_le64(&rep.b[NICVF_MBX_PTR]);
	return 0;
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
	err = nicvf_mbx_query(nic, &req, &rep);
	if (err)
		return err;
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

/* BGX internal loopback of our LMAC (only where READY said it may) */
int nicvf_mbx_loopback(struct nicvf *nic, bool on)
{
	struct nicvf_mbx req;

	nicvf_mbx_new(&req, NIC_MBOX_MSG_LOOPBACK);
	req.b[NICVF_MBX_VF_ID] = nic->vf_id;
	req.b[NICVF_MBX_LOOPBACK_ENA] = on;
	return nicvf_mbx_send(nic, &req, NULL);
}

/* Receive timestamping: on, the BGX puts 8 bytes before every frame */
int nicvf_mbx_ptp_cfg(struct nicvf *nic, bool on)
{
	struct nicvf_mbx req;

	nicvf_mbx_new(&req, NIC_MBOX_MSG_PTP_CFG);
	req.b[NICVF_MBX_PTP_ENA] = on;
	return nicvf_mbx_send(nic, &req, NULL);
}

/*
 * The LMAC's pause frames (BGX_SMUX_CBFC_CTL), on 10G and 40G LMACs
 * only: for an SGMII one nicpf answers a get with its uninitialised
 * stack.
 */
int nicvf_mbx_pfc_get(struct nicvf *nic, bool *rx, bool *tx)
{
	struct nicvf_mbx req, rep;
	int err;

	nicvf_mbx_new(&req, NIC_MBOX_MSG_PFC);
	req.b[NICVF_MBX_PFC_GET] = 1;
	err = nicvf_mbx_query(nic, &req, &rep);
	if (err)
		return err;
	/* The register's bits as they are: TX_EN answers 2 */
	*rx = rep.b[NICVF_MBX_PFC_RX];
	*tx = rep.b[NICVF_MBX_PFC_TX];
	return 0;
}

int nicvf_mbx_pfc_set(struct nicvf *nic, bool rx, bool tx)
{
	struct nicvf_mbx req;

	nicvf_mbx_new(&req, NIC_MBOX_MSG_PFC);
	req.b[NICVF_MBX_PFC_RX] = rx;
	req.b[NICVF_MBX_PFC_TX] = tx;
	return nicvf_mbx_send(nic, &req, NULL);
}

/*
 * One of our LMAC's BGX counters.  nicpf reads the register @idx lands
 * on without a bound: only the counters there are may be asked for.
 */
int nicvf_mbx_bgx_stat(struct nicvf *nic, bool rx, u8 idx, u64 *val)
{
	struct nicvf_mbx req, rep;
	int err;

	if (idx >= (rx ? NICVF_BGX_RX_STATS : NICVF_BGX_TX_STATS))
		return -EINVAL;
	nicvf_mbx_new(&req, NIC_MBOX_MSG_BGX_STATS);
	req.b[NICVF_MBX_VF_ID] = nic->vf_id;
	req.b[NICVF_MBX_BGX_STAT_RX] = rx;
	req.b[NICVF_MBX_BGX_STAT_IDX] = idx;
	err = nicvf_mbx_query(nic, &req, &rep);
	if (err)
		return err;
	if (rep.b[NICVF_MBX_BGX_STAT_RX] != rx ||
	    rep.b[NICVF_MBX_BGX_STAT_IDX] != idx) {
		dev_err(nic->dev, "PF answered BGX_STATS %s %u for %s %u\n",
			rx ? "RX" : "TX", idx,
			rep.b[NICVF_MBX_BGX_STAT_RX] ? "RX" : "TX",
			rep.b[NICVF_MBX_BGX_STAT_IDX]);
		return -EPROTO;
	}
	*val = get_unaligned_le64(&rep.b[NICVF_MBX_BGX_STAT_VALUE]);
	return 0;
}

/*
 * Zero the VNIC's receive and send counters.  Not the per-queue ones:
 * nicpf 6.12 ORs the SQ counters' address into the RQ counters' when a
 * queue's bit is set in both masks, and so writes neither SQ counter.
 */
int nicvf_mbx_reset_stats(struct nicvf *nic)
{
	struct nicvf_mbx req;

	nicvf_mbx_new(&req, NIC_MBOX_MSG_RESET_STAT);
	put_unaligned_le16(GENMASK(NIC_VNIC_RX_STATS - 1, 0),
			   &req.b[NICVF_MBX_RESET_RX_MASK]);
	req.b[NICVF_MBX_RESET_TX_MASK] = GENMASK(NIC_VNIC_TX_STATS - 1, 0);
	return nicvf_mbx_send(nic, &req, NULL);
}

/*
 * One address for the BGX's DMAC CAM (any address: the CAM decides
 * unicast too once SET_XCAST filters).  nicpf takes it as the 48-bit
 * number ether_addr_to_u64() makes, in bits 16-63 of the first word; it
 * keeps the list until RESET_XCAST and writes it to the CAM at SET_XCAST.
 */
int nicvf_mbx_add_mcast(struct nicvf *nic, const u8 *addr)
{
	struct nicvf_mbx req;
	int i;

	/* addr[0] is the number's top byte, the last one sent */
	nicvf_mbx_new(&req, NIC_MBOX_MSG_ADD_MCAST);
	for (i = 0; i < ETH_ALEN; i++)
		req.b[NICVF_MBX_XCAST_ADDR + i] = addr[ETH_ALEN - 1 - i];
	return nicvf_mbx_send(nic, &req, NULL);
}

int nicvf_mbx_set_xcast(struct nicvf *nic, u8 mode)
{
	struct nicvf_mbx req;

	nicvf_mbx_new(&req, NIC_MBOX_MSG_SET_XCAST);
	req.b[NICVF_MBX_XCAST_MODE] = mode;
	return nicvf_mbx_send(nic, &req, NULL);
}
