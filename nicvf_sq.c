// SPDX-License-Identifier: GPL-2.0-only
/*
 * ThunderX VNIC virtual function: the send queues.
 *
 * Send queues (SQs) are plain rings: each packet is a header entry and one
 * gather entry per buffer, mapped at transmit and unmapped when its CQE_SEND
 * arrives on the CQ paired with the SQ.  What each entry holds is kept in
 * memory the device cannot write, and completions are taken only in ring
 * order, so a CQE_SEND can free nothing but the oldest packet in flight.
 */

#include <linux/atomic.h>
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/log2.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <kunit/visibility.h>

#include "nicvf_queues.h"
#include "nicvf_sq.h"

/* --- Drop reasons --------------------------------------------------------- */

const char nicvf_tx_drop_names[NICVF_TX_DROP_NR][ETH_GSTRING_LEN] = {
	[NICVF_TX_DROP_MAP]		= "tx_drop_map",
	[NICVF_TX_DROP_CSUM]		= "tx_drop_csum",
	[NICVF_TX_DROP_RUNT]		= "tx_drop_runt",
	[NICVF_TX_DROP_TSO]		= "tx_drop_tso",
};
EXPORT_SYMBOL_IF_KUNIT(nicvf_tx_drop_names);

/* --- Setting up ----------------------------------------------------------- */

int nicvf_sq_init(struct nicvf_sq *sq, struct device *dev, void __iomem *regs,
		  int qidx, u32 ring_len, struct net_device *netdev)
{
	if (!is_power_of_2(ring_len) || ring_len < NICVF_SQ_LEN_MIN ||
	    ring_len > NICVF_SQ_LEN_MAX)
		return -EINVAL;

	memset(sq, 0, sizeof(*sq));
	sq->ent = kvcalloc(ring_len, sizeof(*sq->ent), GFP_KERNEL);
	if (!sq->ent)
		return -ENOMEM;
	/* Page aligned, more than the 128 bytes the base needs */
	sq->desc = dma_alloc_coherent(dev, (size_t)ring_len * NICVF_SQ_DESC_SIZE,
				      &sq->desc_dma, GFP_KERNEL);
	if (!sq->desc) {
		kvfree(sq->ent);
		sq->ent = NULL;
		return -ENOMEM;
	}
	sq->ring_len = ring_len;
	/* One entry stays empty: a full ring would look like an empty one */
	atomic_set(&sq->free, ring_len - 1);
	sq->qidx = qidx;
	sq->nq = qidx;
	sq->regs = regs;
	sq->dev = dev;
	sq->netdev = netdev;
	u64_stats_init(&sq->syncp);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(nicvf_sq_init);

/*
 * Point the queue, reset beforehand (nicvf_sq_stop() or a queue-set
 * quiesce, before the PF was told of it), at the ring and enable it
 */
void nicvf_sq_enable(struct nicvf_sq *sq)
{
	void __iomem *cfg = nicvf_qreg(sq->regs, NIC_QSET_SQ_0_7_CFG, sq->qidx);

	writeq(sq->desc_dma,
	       nicvf_qreg(sq->regs, NIC_QSET_SQ_0_7_BASE, sq->qidx));
	writeq(NIC_SQ_CFG_ENA |
	       FIELD_PREP(NIC_SQ_CFG_CQ_LIMIT, sq->cq_limit) |
	       FIELD_PREP(NIC_SQ_CFG_QSIZE,
			  ilog2(sq->ring_len) - ilog2(NICVF_SQ_LEN_MIN)), cfg);
}
EXPORT_SYMBOL_IF_KUNIT(nicvf_sq_enable);

/* --- Transmit ------------------------------------------------------------- */

static void nicvf_sq_unmap(struct nicvf_sq *sq, struct nicvf_sq_ent *e)
{
	if (e->map == NICVF_SQ_MAP_PAGE)
		dma_unmap_page(sq->dev, e->dma, e->len, DMA_TO_DEVICE);
	else if (e->map == NICVF_SQ_MAP_SINGLE)
		dma_unmap_single(sq->dev, e->dma, e->len, DMA_TO_DEVICE);
	memset(e, 0, sizeof(*e));
}

/* Ring the doorbell for every entry written since the last time */
static void nicvf_sq_ring(struct nicvf_sq *sq)
{
	/*
	 * The device may complete these entries, and another CPU poll the
	 * completion, before writeq() returns: they count as rung first.
	 * The release lets that poll see them fully written; writeq orders
	 * them before the doorbell for the device.
	 */
	smp_store_release(&sq->rung, sq->tail);
	writeq(sq->pending, nicvf_qreg(sq->regs, NIC_QSET_SQ_0_7_DOOR,
				       sq->qidx));
	sq->pending = 0;
}

static void nicvf_sq_drop(struct nicvf_sq *sq, struct sk_buff *skb,
			  int reason)
{
	u64_stats_update_begin(&sq->syncp);
	sq->stats.tx_drops[reason]++;
	u64_stats_update_end(&sq->syncp);
	dev_kfree_skb_any(skb);
	/* Packets queued before this one still need their doorbell */
	if (sq->pending && !netdev_xmit_more())
		nicvf_sq_ring(sq);
}

/*
 * The header's checksum request for @skb: 0 if the hardware can do what
 * the stack asked (including nothing), -EOPNOTSUPP if software must.
 */
static int nicvf_sq_csum(struct sk_buff *skb, u64 *hdr)
{
	u64 csum = 0;
	int l3, l4;
	u8 proto;

	/* Only then are the network and transport headers known to be set */
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return 0;
	l3 = skb_network_offset(skb);
	l4 = skb_transport_offset(skb);
	switch (vlan_get_protocol(skb)) {
	case htons(ETH_P_IP):
		/* The IPv4 header checksum is recomputed as well */
		csum |= SQ_HDR_W0_CSUM_L3;
		proto = ip_hdr(skb)->protocol;
		break;
	case htons(ETH_P_IPV6):
		proto = ipv6_hdr(skb)->nexthdr;
		break;
	default:
		return -EOPNOTSUPP;
	}
	switch (proto) {
	case IPPROTO_TCP:
		csum |= FIELD_PREP(SQ_HDR_W0_CSUM_L4, SQ_CSUM_L4_TCP);
		break;
	case IPPROTO_UDP:
		csum |= FIELD_PREP(SQ_HDR_W0_CSUM_L4, SQ_CSUM_L4_UDP);
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (l3 < 0 || l4 < 0 || l3 > FIELD_MAX(SQ_HDR_W0_L3_OFFSET) ||
	    l4 > FIELD_MAX(SQ_HDR_W0_L4_OFFSET))
		return -EOPNOTSUPP;
	*hdr |= csum | FIELD_PREP(SQ_HDR_W0_L3_OFFSET, l3) |
		FIELD_PREP(SQ_HDR_W0_L4_OFFSET, l4);
	return 0;
}

static void nicvf_sq_gather(struct nicvf_sq *sq, u32 idx, dma_addr_t dma,
			    u32 len, enum nicvf_sq_map map)
{
	struct nicvf_sq_ent *e = &sq->ent[idx];

	sq->desc[idx * 2] = FIELD_PREP(SQ_W0_TYPE, SQ_DESC_TYPE_GATHER) |
			    FIELD_PREP(SQ_GATHER_W0_SIZE, len);
	sq->desc[idx * 2 + 1] = FIELD_PREP(SQ_GATHER_W1_ADDR, dma);
	e->dma = dma;
	e->len = len;
	e->map = map;
}

/*
 * Whether the hardware can segment @skb, a GSO packet: TCP over IPv4 or
 * IPv6 (the checksum request names the protocol after the IP header) with
 * its checksum left to the device, headers that fit TSO_START, an MSS that
 * fits TSO_MAX_PAYSIZE.  The stack segments
 * what fails (nicvf_features_check()).
 */
bool nicvf_sq_tso_fits(const struct sk_buff *skb)
{
	const struct skb_shared_info *si = skb_shinfo(skb);
	unsigned int hlen;
	u8 proto;

	/* TCP right after the IP header: no IPv6 extension headers */
	if (si->gso_type & SKB_GSO_TCPV4)
		proto = ip_hdr(skb)->protocol;
	else if (si->gso_type & SKB_GSO_TCPV6)
		proto = ipv6_hdr(skb)->nexthdr;
	else
		return false;
	/*
	 * A tag the stack still holds goes into the data before xmit: its 4
	 * bytes count
	 */
	hlen = skb_tcp_all_headers(skb) +
	       (skb_vlan_tag_present(skb) ? VLAN_HLEN : 0);
	return proto == IPPROTO_TCP && skb->ip_summed == CHECKSUM_PARTIAL &&
	       si->gso_size && hlen <= FIELD_MAX(SQ_HDR_W1_TSO_START) &&
	       si->gso_size <= FIELD_MAX(SQ_HDR_W1_TSO_MAX_PAYSIZE) &&
	       skb_network_offset(skb) >= 2;
}
EXPORT_SYMBOL_IF_KUNIT(nicvf_sq_tso_fits);

/*
 * The header's TSO request for @skb, a GSO packet whose checksum request
 * nicvf_sq_csum() made: the headers' length, -EOPNOTSUPP if this queue
 * cannot segment it.  The inner L3 offset names the ethertype before the
 * IP header, as the in-tree driver has it for a packet not tunnelled.
 */
static int nicvf_sq_tso(struct nicvf_sq *sq, struct sk_buff *skb, u64 *hdr,
			u64 *hdr1)
{
	unsigned int hlen;

	if (sq->tso == NICVF_TSO_NONE || !nicvf_sq_tso_fits(skb))
		return -EOPNOTSUPP;
	hlen = skb_tcp_all_headers(skb);
	*hdr |= SQ_HDR_W0_TSO;
	*hdr1 = FIELD_PREP(SQ_HDR_W1_TSO_MAX_PAYSIZE, skb_shinfo(skb)->gso_size) |
		FIELD_PREP(SQ_HDR_W1_TSO_START, hlen) |
		FIELD_PREP(SQ_HDR_W1_INNER_L3_OFFSET,
			   skb_network_offset(skb) - 2);
	return hlen;
}

/*
 * CN88xx pass 2: after the gathers at @idx, a header the hardware does not
 * send, whose CQE_SEND completes the packet, and the one byte it carries
 */
static void nicvf_sq_tso_tail(struct nicvf_sq *sq, u32 idx)
{
	u32 mask = sq->ring_len - 1;

	sq->desc[idx * 2] = FIELD_PREP(SQ_W0_TYPE, SQ_DESC_TYPE_HEADER) |
			    SQ_HDR_W0_POST_CQE | SQ_HDR_W0_DONT_SEND |
			    FIELD_PREP(SQ_HDR_W0_SUBDESC_CNT, 1) |
			    FIELD_PREP(SQ_HDR_W0_TOT_LEN, 1);
	sq->desc[idx * 2 + 1] = 0;
	idx = (idx + 1) & mask;
	sq->desc[idx * 2] = FIELD_PREP(SQ_W0_TYPE, SQ_DESC_TYPE_IMMEDIATE) |
			    FIELD_PREP(SQ_IMM_W0_LEN, 1);
	sq->desc[idx * 2 + 1] = 0;
}

/*
 * Queue @skb: a header entry and a gather per buffer, each buffer mapped
 * for the device (and on CN88xx pass 2 a TSO packet's completing header).
 * Called with the queue's xmit lock held.  The queue is stopped while it
 * could not take the largest packet, so NETDEV_TX_BUSY is only a guard.
 * BQL and the counters see what goes on the wire: a TSO packet's segments,
 * each with its own copy of the headers.
 */
netdev_tx_t nicvf_sq_xmit(struct nicvf_sq *sq, struct sk_buff *skb)
{
	struct netdev_queue *txq = netdev_get_tx_queue(sq->netdev, sq->nq);
	u32 mask = sq->ring_len - 1, hdr_idx = sq->tail, idx = sq->tail;
	unsigned int nfrags, headlen, bytes, i, ngather = 0, segs = 1;
	struct nicvf_sq_ent *he;
	u64 hdr = 0, hdr1 = 0;
	bool tail = false;
	dma_addr_t dma;
	int need, hlen;

	/* The hardware cannot send these; the in-tree driver drops them too */
	if (unlikely(skb->len <= ETH_HLEN)) {
		nicvf_sq_drop(sq, skb, NICVF_TX_DROP_RUNT);
		return NETDEV_TX_OK;
	}
	if (skb_is_gso(skb)) {
		/* The stack gave us only what nicvf_features_check() let by */
		if (unlikely(nicvf_sq_csum(skb, &hdr))) {
			nicvf_sq_drop(sq, skb, NICVF_TX_DROP_TSO);
			return NETDEV_TX_OK;
		}
		hlen = nicvf_sq_tso(sq, skb, &hdr, &hdr1);
		if (unlikely(hlen < 0)) {
			nicvf_sq_drop(sq, skb, NICVF_TX_DROP_TSO);
			return NETDEV_TX_OK;
		}
		/* From the packet: gso_segs is the stack's word for it */
		segs = max(DIV_ROUND_UP(skb->len - hlen,
					skb_shinfo(skb)->gso_size), 1U);
		bytes = skb->len + (segs - 1) * hlen;
		tail = sq->tso == NICVF_TSO_HW_TAIL;
	} else {
		if (nicvf_sq_csum(skb, &hdr) && skb_checksum_help(skb)) {
			nicvf_sq_drop(sq, skb, NICVF_TX_DROP_CSUM);
			return NETDEV_TX_OK;
		}
		bytes = skb->len;
	}

	nfrags = skb_shinfo(skb)->nr_frags;
	headlen = skb_headlen(skb);
	need = 1 + !!headlen + nfrags + (tail ? NICVF_SQ_TSO_TAIL : 0);
	/*
	 * Pairs with the release in nicvf_sq_cqe(): entries counted free
	 * are seen cleared before they are written again.
	 */
	if (unlikely(atomic_read_acquire(&sq->free) < need)) {
		netif_tx_stop_queue(txq);
		/* The stack retries this one later: send what is queued now */
		if (sq->pending)
			nicvf_sq_ring(sq);
		return NETDEV_TX_BUSY;
	}

	if (headlen) {
		dma = dma_map_single(sq->dev, skb->data, headlen,
				     DMA_TO_DEVICE);
		if (dma_mapping_error(sq->dev, dma))
			goto err_map;
		idx = (idx + 1) & mask;
		nicvf_sq_gather(sq, idx, dma, headlen, NICVF_SQ_MAP_SINGLE);
		ngather++;
	}
	for (i = 0; i < nfrags; i++) {
		const skb_frag_t *frag = &skb_shinfo(skb)->frags[i];

		dma = skb_frag_dma_map(sq->dev, frag, 0, skb_frag_size(frag),
				       DMA_TO_DEVICE);
		if (dma_mapping_error(sq->dev, dma))
			goto err_map;
		idx = (idx + 1) & mask;
		nicvf_sq_gather(sq, idx, dma, skb_frag_size(frag),
				NICVF_SQ_MAP_PAGE);
		ngather++;
	}
	if (tail) {
		idx = (idx + 1) & mask;
		nicvf_sq_tso_tail(sq, idx);
		idx = (idx + 1) & mask;
	}

	hdr |= FIELD_PREP(SQ_W0_TYPE, SQ_DESC_TYPE_HEADER) |
	       FIELD_PREP(SQ_HDR_W0_SUBDESC_CNT, ngather) |
	       FIELD_PREP(SQ_HDR_W0_TOT_LEN, skb->len);
	if (!tail)
		hdr |= SQ_HDR_W0_POST_CQE;
	sq->desc[hdr_idx * 2] = hdr;
	sq->desc[hdr_idx * 2 + 1] = hdr1;
	he = &sq->ent[hdr_idx];
	he->skb = skb;
	he->count = need - 1;
	he->len = bytes;
	he->segs = segs;
	he->tail = tail;
	he->tso = !!(hdr & SQ_HDR_W0_TSO);
	sq->tail = (idx + 1) & mask;
	sq->pending += need;
	atomic_sub(need, &sq->free);
	skb_tx_timestamp(skb);

	if (unlikely(atomic_read(&sq->free) < NICVF_SQ_MAX_DESC)) {
		netif_tx_stop_queue(txq);
		/* A completion that freed entries before the stop is seen */
		smp_mb__after_atomic();
		if (atomic_read(&sq->free) >= NICVF_SQ_WAKE_DESC)
			netif_tx_start_queue(txq);
	}
	/* Once the doorbell rings, the skb may be freed under us */
	if (__netdev_tx_sent_queue(txq, bytes, netdev_xmit_more()))
		nicvf_sq_ring(sq);
	return NETDEV_TX_OK;

err_map:
	for (i = 1; i <= ngather; i++)
		nicvf_sq_unmap(sq, &sq->ent[(hdr_idx + i) & mask]);
	nicvf_sq_drop(sq, skb, NICVF_TX_DROP_MAP);
	return NETDEV_TX_OK;
}
EXPORT_SYMBOL_IF_KUNIT(nicvf_sq_xmit);

/* --- Completions ---------------------------------------------------------- */

/*
 * A CQE_SEND: free the packet it names.  Only the oldest packet in flight
 * can complete (the hardware sends in order), and only once its doorbell
 * has rung, so a CQE naming anything else, or a queue without packets the
 * device was given, is counted and ignored.  A packet that ends in a
 * completing header (CN88xx pass 2 TSO) is freed by that header's CQE; an
 * error CQE for its first header only marks it failed, as the hardware
 * still reads the rest.
 */
void nicvf_sq_cqe(struct nicvf_cq *cq, const u64 *cqe, int budget,
		  struct nicvf_sq_done *done)
{
	struct nicvf_sq *sq = cq->sq;
	u64 w0 = READ_ONCE(cqe[0]);
	u32 idx = FIELD_GET(CQE_SEND_W0_SQE_PTR, w0);
	u8 status = FIELD_GET(CQE_SEND_W0_STATUS, w0);
	u32 mask, i, count, head;
	struct nicvf_sq_ent *e;
	struct sk_buff *skb;

	if (!sq)
		goto bogus;
	head = sq->head;
	e = &sq->ent[head];
	mask = sq->ring_len - 1;
	/* Pairs with the release in nicvf_sq_ring(): entries written first */
	if (head == smp_load_acquire(&sq->rung) || !e->skb)
		goto bogus;
	if (e->tail && idx == head && status) {
		e->failed = 1;
		goto error;
	}
	if (idx != (e->tail ? (head + e->count - 1) & mask : head))
		goto bogus;
	skb = e->skb;
	count = e->count;
	done->packets += e->segs;
	done->bytes += e->len;
	u64_stats_update_begin(&cq->syncp);
	cq->stats.tx_tails += e->tail;
	if (e->failed) {
		/* Counted at its first error CQE */
	} else if (status) {
		cq->stats.tx_errors++;
	} else {
		cq->stats.tx_packets += e->segs;
		cq->stats.tx_bytes += e->len;
		cq->stats.tx_tso += e->tso;
	}
	u64_stats_update_end(&cq->syncp);
	for (i = 0; i <= count; i++)
		nicvf_sq_unmap(sq, &sq->ent[(head + i) & mask]);
	sq->head = (head + count + 1) & mask;
	napi_consume_skb(skb, budget);
	/*
	 * The entries were cleared with plain stores: publish them only after
	 * (a plain atomic_add() is unordered), or xmit on another CPU could
	 * write a slot and then see it zeroed.
	 */
	atomic_add_return_release(count + 1, &sq->free);
	if (status)
		goto warn;
	return;

bogus:
	u64_stats_update_begin(&cq->syncp);
	cq->stats.tx_cqe_bogus++;
	u64_stats_update_end(&cq->syncp);
	return;
error:
	u64_stats_update_begin(&cq->syncp);
	cq->stats.tx_errors++;
	u64_stats_update_end(&cq->syncp);
warn:
	if (READ_ONCE(cq->msg_enable) & NETIF_MSG_TX_ERR)
		dev_warn_ratelimited(sq->dev, "SQ%d: send failed, status %#x\n",
				     sq->qidx, status);
}

void nicvf_sq_completed(struct nicvf_sq *sq, struct nicvf_sq_done *done)
{
	struct netdev_queue *txq = netdev_get_tx_queue(sq->netdev, sq->nq);

	netdev_tx_completed_queue(txq, done->packets, done->bytes);
	/* Pairs with the barrier in nicvf_sq_xmit() after stopping */
	smp_mb__after_atomic();
	/* Not while the link is down: link up starts the queue again */
	if (unlikely(netif_tx_queue_stopped(txq)) &&
	    netif_running(sq->netdev) && netif_carrier_ok(sq->netdev) &&
	    atomic_read(&sq->free) >= NICVF_SQ_WAKE_DESC)
		netif_tx_wake_queue(txq);
}

/*
 * Link down stopped the queue: start it again if it has room for the
 * largest packet (a queue stopped because it was full is woken by its
 * completions, as before).
 */
void nicvf_sq_link_up(struct nicvf_sq *sq)
{
	struct netdev_queue *txq = netdev_get_tx_queue(sq->netdev, sq->nq);

	if (netif_tx_queue_stopped(txq) &&
	    atomic_read(&sq->free) >= NICVF_SQ_WAKE_DESC)
		netif_tx_wake_queue(txq);
}

/* --- Stopping and freeing ------------------------------------------------- */

/*
 * Disable the queue and wait for the hardware to stop reading it, then
 * reset it.  -ETIMEDOUT if it does not stop: the device may still read
 * the packets' buffers, so the caller must keep them mapped.
 */
int nicvf_sq_stop(struct nicvf_sq *sq)
{
	void __iomem *cfg = nicvf_qreg(sq->regs, NIC_QSET_SQ_0_7_CFG, sq->qidx);
	u64 val;
	int err;

	writeq(0, cfg);
	err = readq_poll_timeout(nicvf_qreg(sq->regs, NIC_QSET_SQ_0_7_STATUS,
					    sq->qidx),
				 val, val & NIC_SQ_STATUS_STOPPED,
				 NICVF_STOP_POLL_US, NICVF_STOP_TIMEOUT_US);
	if (err) {
		dev_err(sq->dev, "SQ%d did not stop (status %#llx)\n",
			sq->qidx, val);
		return err;
	}
	writeq(NIC_SQ_CFG_RESET, cfg);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(nicvf_sq_stop);

/* Free every packet still queued, and the ring: call with the queue stopped */
void nicvf_sq_free(struct nicvf_sq *sq)
{
	u32 i;

	if (!sq->desc)
		return;
	/* Buffers are unmapped before the packets that own them are freed */
	for (i = 0; i < sq->ring_len; i++)
		if (sq->ent[i].map)
			nicvf_sq_unmap(sq, &sq->ent[i]);
	for (i = 0; i < sq->ring_len; i++) {
		if (sq->ent[i].skb)
			dev_kfree_skb_any(sq->ent[i].skb);
		sq->ent[i].skb = NULL;
	}
	netdev_tx_reset_queue(netdev_get_tx_queue(sq->netdev, sq->nq));
	kvfree(sq->ent);
	sq->ent = NULL;
	dma_free_coherent(sq->dev, (size_t)sq->ring_len * NICVF_SQ_DESC_SIZE,
			  sq->desc, sq->desc_dma);
	sq->desc = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(nicvf_sq_free);
