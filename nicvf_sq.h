/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ThunderX VNIC virtual function: the send queues (nicvf_sq.c), their
 * subdescriptor layouts and the CQE_SEND that completes a packet.
 */
#ifndef NICVF_SQ_H
#define NICVF_SQ_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>

#include "nicvf_queues.h"

/*
 * Send queue entries are 16 bytes.  A packet is a header subdescriptor
 * followed by one gather subdescriptor per buffer; the base must be
 * 128-byte aligned.
 */
#define NICVF_SQ_DESC_SIZE		16
/* Gathers a packet may use: the head and every fragment (fits the count) */
#define NICVF_SQ_MAX_GATHER		(MAX_SKB_FRAGS + 1)
/* What CN88xx pass 2 adds to a TSO packet: a header that completes it */
#define NICVF_SQ_TSO_TAIL		2
/* Entries the largest packet takes; below this free, the queue stops */
#define NICVF_SQ_MAX_DESC		(1 + NICVF_SQ_MAX_GATHER + NICVF_SQ_TSO_TAIL)
/* ... and it is woken once this many are free again */
#define NICVF_SQ_WAKE_DESC		(4 * NICVF_SQ_MAX_DESC)

/* Word 0 of every subdescriptor: its type */
#define SQ_W0_TYPE			GENMASK_ULL(63, 60)
#define SQ_DESC_TYPE_HEADER		0x1
#define SQ_DESC_TYPE_IMMEDIATE		0x3
#define SQ_DESC_TYPE_GATHER		0x4
/* Header subdescriptor, word 0 */
#define SQ_HDR_W0_TSO			BIT_ULL(59)
#define SQ_HDR_W0_POST_CQE		BIT_ULL(58)
#define SQ_HDR_W0_DONT_SEND		BIT_ULL(57)
#define SQ_HDR_W0_SUBDESC_CNT		GENMASK_ULL(55, 48)
#define SQ_HDR_W0_CSUM_L4		GENMASK_ULL(47, 46)
#define SQ_HDR_W0_CSUM_L3		BIT_ULL(45)
#define SQ_HDR_W0_L4_OFFSET		GENMASK_ULL(39, 32)
#define SQ_HDR_W0_L3_OFFSET		GENMASK_ULL(31, 24)
#define SQ_HDR_W0_TOT_LEN		GENMASK_ULL(19, 0)
#define SQ_CSUM_L4_UDP			0x1
#define SQ_CSUM_L4_TCP			0x2
#define SQ_CSUM_L4_SCTP			0x3
/* ... word 1: how TSO cuts the packet */
#define SQ_HDR_W1_INNER_L3_OFFSET	GENMASK_ULL(31, 24)
#define SQ_HDR_W1_TSO_START		GENMASK_ULL(23, 16)
#define SQ_HDR_W1_TSO_MAX_PAYSIZE	GENMASK_ULL(13, 0)
/* Immediate subdescriptor: its length; the bytes are word 1 */
#define SQ_IMM_W0_LEN			GENMASK_ULL(13, 0)
/* Gather subdescriptor: load type (0: plain load), size, and address */
#define SQ_GATHER_W0_LD_TYPE		GENMASK_ULL(59, 58)
#define SQ_GATHER_W0_SIZE		GENMASK_ULL(15, 0)
#define SQ_GATHER_W1_ADDR		GENMASK_ULL(48, 0)

/* CQE_SEND word 0: which send queue entry completed, and how */
#define CQE_SEND_W0_SQE_PTR		GENMASK_ULL(55, 40)
#define CQE_SEND_W0_SQ_QS		GENMASK_ULL(25, 19)
#define CQE_SEND_W0_SQ_IDX		GENMASK_ULL(18, 16)
#define CQE_SEND_W0_STATUS		GENMASK_ULL(7, 0)

/*
 * How the chip segments TCP.  CN88xx pass 2 writes a CQE_SEND for every
 * segment of a TSO header that asks for one, more than the CQ keeps room
 * for: there the header asks for none and the packet ends in a header the
 * hardware does not send (DONT_SEND, with a one-byte immediate), whose CQE
 * completes it.
 */
enum nicvf_tso {
	NICVF_TSO_NONE,			/* CN88xx pass 1: the stack segments */
	NICVF_TSO_HW,			/* CN81xx, CN83xx */
	NICVF_TSO_HW_TAIL,		/* CN88xx pass 2 */
};

/* How a gather entry's buffer is mapped */
enum nicvf_sq_map {
	NICVF_SQ_UNMAPPED,
	NICVF_SQ_MAP_SINGLE,		/* the skb's head */
	NICVF_SQ_MAP_PAGE,		/* a page fragment */
};

/* What one send queue entry holds, known only to software */
struct nicvf_sq_ent {
	struct sk_buff *skb;		/* header entry: the packet */
	dma_addr_t dma;			/* gather entry: its mapping */
	u32 len;			/* gather: mapped; header: wire bytes */
	u16 segs;			/* header entry: frames on the wire */
	u8 count;			/* header entry: entries that follow */
	u8 map:2;			/* gather entry: enum nicvf_sq_map */
	u8 tail:1;			/* header: the last entries complete it */
	u8 tso:1;			/* header: segmented by the hardware */
	u8 failed:1;			/* header: an error CQE came first */
};

struct nicvf_sq {
	u64 *desc;			/* ring, read by hardware */
	dma_addr_t desc_dma;
	u32 ring_len;
	u32 tail;			/* next entry xmit writes */
	u32 head;			/* oldest entry not completed */
	u32 pending;			/* entries written since the doorbell */
	u32 rung;			/* entries before this were rung in */
	u8 cq_limit;			/* SQ_CFG[CQ_LIMIT], set before enable */
	u8 tso;				/* enum nicvf_tso, set before use */
	atomic_t free;			/* entries xmit may use */
	struct nicvf_sq_ent *ent;
	int qidx;
	int nq;				/* the interface's send queue number */
	void __iomem *regs;
	struct device *dev;
	struct net_device *netdev;
	/* tx_drops, written under the queue's xmit lock */
	struct nicvf_qstats stats;
	struct u64_stats_sync syncp;
};

/* What one poll completed on a send queue, for BQL */
struct nicvf_sq_done {
	unsigned int packets;
	unsigned int bytes;
};

int nicvf_sq_init(struct nicvf_sq *sq, struct device *dev, void __iomem *regs,
		  int qidx, u32 ring_len, struct net_device *netdev);
void nicvf_sq_enable(struct nicvf_sq *sq);
netdev_tx_t nicvf_sq_xmit(struct nicvf_sq *sq, struct sk_buff *skb);
bool nicvf_sq_tso_fits(const struct sk_buff *skb);
void nicvf_sq_cqe(struct nicvf_cq *cq, const u64 *cqe, int budget,
		  struct nicvf_sq_done *done);
void nicvf_sq_completed(struct nicvf_sq *sq, struct nicvf_sq_done *done);
void nicvf_sq_link_up(struct nicvf_sq *sq);
int nicvf_sq_stop(struct nicvf_sq *sq);
void nicvf_sq_free(struct nicvf_sq *sq);

/* What the SQ counted: its drops (its completions count on the CQ) */
static inline void nicvf_sq_stats(const struct nicvf_sq *sq,
				  struct nicvf_qstats *out)
{
	nicvf_qstats_fetch(out, &sq->stats, &sq->syncp);
}

#endif /* NICVF_SQ_H */
