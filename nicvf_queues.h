/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ThunderX VNIC virtual function: what every ring shares (register access,
 * sizes, the per-queue counters), and the receive side: the receive buffer
 * descriptor ring (RBDR, nicvf_queues.c) and the completion queues (CQs)
 * with the CQE layouts.  The send queues are in nicvf_sq.h.
 *
 * Descriptors are arrays of 64-bit words in CPU byte order; every field is
 * given as a word index and a GENMASK_ULL() inside that word, so no layout
 * depends on how the compiler orders bitfields.
 */
#ifndef NICVF_QUEUES_H
#define NICVF_QUEUES_H

#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/dma-mapping.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>

#include "nic_reg.h"

struct iommu_domain;
struct nicvf_sq;
struct page_pool;

/* --- Every ring ----------------------------------------------------------- */

/* Offset of per-queue register @reg for queue @qidx within BAR0 */
static inline void __iomem *nicvf_qreg(void __iomem *regs, u64 reg, int qidx)
{
	return (u8 __iomem *)regs + reg + ((u64)qidx << NIC_Q_NUM_SHIFT);
}

/* How long the hardware gets to let go of a ring when it is stopped */
#define NICVF_STOP_POLL_US		1000
#define NICVF_STOP_TIMEOUT_US		100000

/*
 * Ring sizes: what the hardware accepts (a power of 2, MIN << QSIZE with
 * QSIZE 0..6 in the ring's CFG register) and the module parameters'
 * defaults.
 */
#define NICVF_RBDR_LEN_MIN		8192
#define NICVF_RBDR_LEN_MAX		(8192 << 6)
#define NICVF_RBDR_LEN_DEFAULT		8192
#define NICVF_CQ_LEN_MIN		1024
#define NICVF_CQ_LEN_MAX		(1024 << 6)
#define NICVF_CQ_LEN_DEFAULT		4096
#define NICVF_SQ_LEN_MIN		1024
#define NICVF_SQ_LEN_MAX		(1024 << 6)
#define NICVF_SQ_LEN_DEFAULT		1024

/* --- The counters of a queue pair ----------------------------------------- */

/*
 * Why a received packet was dropped; each reason has its own counter.
 * NICVF_RX_PASS (0) means not dropped and has no counter of its own.
 */
enum nicvf_rx_drop {
	NICVF_RX_PASS,
	NICVF_RX_DROP_CQE_ERR,		/* CQE reports a receive error */
	NICVF_RX_DROP_RB_CNT,		/* buffer count 0 or above maximum */
	NICVF_RX_DROP_RB_LEN,		/* buffer length beyond a buffer */
	NICVF_RX_DROP_ADDR_UNMAPPED,	/* IOVA translates to nothing */
	NICVF_RX_DROP_ADDR_FOREIGN,	/* address is not one of our buffers */
	NICVF_RX_DROP_ADDR_NOT_POSTED,	/* our buffer, but not on the ring */
	NICVF_RX_DROP_NOMEM,		/* no sk_buff could be built */
	NICVF_RX_DROP_NR,
};

/* Why a packet handed to us for sending was dropped */
enum nicvf_tx_drop {
	NICVF_TX_DROP_MAP,		/* a buffer could not be DMA-mapped */
	NICVF_TX_DROP_CSUM,		/* checksum could not be completed */
	NICVF_TX_DROP_RUNT,		/* no more than an Ethernet header */
	NICVF_TX_DROP_TSO,		/* TSO the hardware cannot do */
	NICVF_TX_DROP_NR,
};

/* The ethtool -S names of the drop reasons (NICVF_RX_PASS has none) */
extern const char nicvf_rx_drop_names[NICVF_RX_DROP_NR][ETH_GSTRING_LEN];
extern const char nicvf_tx_drop_names[NICVF_TX_DROP_NR][ETH_GSTRING_LEN];

/*
 * The counters of one queue pair.  The CQ counts what it completes
 * (received packets and their drops, send completions), the SQ what it
 * drops at transmit, each under its own u64_stats_sync as the one context
 * that writes them; the device keeps what they counted across teardown in
 * the same shape, and ethtool and the stack read sums of it.  Every member
 * is a u64 counter: they are copied and summed as an array of u64.
 */
struct nicvf_qstats {
	u64 rx_packets;
	u64 rx_bytes;
	u64 rx_drops[NICVF_RX_DROP_NR];
	u64 tx_packets;			/* frames on the wire, TSO's segments */
	u64 tx_bytes;			/* ... and their bytes */
	u64 tx_errors;			/* CQE_SEND with a nonzero status */
	u64 tx_cqe_bogus;		/* CQE_SEND naming no packet we sent */
	u64 tx_tso;			/* packets the hardware segmented */
	u64 tx_tails;			/* completing headers: VNIC TX drops */
	u64 tx_drops[NICVF_TX_DROP_NR];
};

#define NICVF_QSTATS_WORDS	(sizeof(struct nicvf_qstats) / sizeof(u64))

/* Copy @live, which one context at a time counts under @syncp, to @out */
static inline void nicvf_qstats_fetch(struct nicvf_qstats *out,
				      const struct nicvf_qstats *live,
				      const struct u64_stats_sync *syncp)
{
	const u64 *from = (const u64 *)live;
	u64 *to = (u64 *)out;
	unsigned int start, i;

	do {
		start = u64_stats_fetch_begin(syncp);
		for (i = 0; i < NICVF_QSTATS_WORDS; i++)
			to[i] = READ_ONCE(from[i]);
	} while (u64_stats_fetch_retry(syncp, start));
}

/* --- The receive buffer descriptor ring ----------------------------------- */

/* Receive buffer descriptor ring entry: one 64-bit buffer address */
#define NICVF_RBDR_DESC_SIZE		8
/* Buffer addresses and sizes are in units of 128-byte lines */
#define NICVF_RCV_BUF_ALIGN		128
/* The RBDR interrupt asks for buffers once fewer than this remain */
#define NICVF_RBDR_THRESH(len)		((len) / 2)

/*
 * Receive buffer geometry.  Each buffer is one page_pool fragment:
 *
 *   | headroom | hardware area (buf_len) ...  | skb_shared_info |
 *   ^ fragment start                          stride bytes later ^
 *
 * The RBDR entry is the DMA address of the hardware area; the first buffer
 * of a packet starts align_pad bytes into it.
 */
#define NICVF_RX_HEADROOM		128
#define NICVF_RX_BUF_LEN_DEFAULT	1536

/*
 * Set of buffer addresses currently posted to the RBDR and not yet reported
 * back: an open-addressed hash of DMA addresses, each with the page it was
 * posted on.  One refill context inserts; any number of receive contexts
 * claim entries with cmpxchg, so each posted buffer is handed out at most
 * once, however often the device names it.
 */
struct nicvf_posted_slot {
	u64 key;
	struct page *page;
};

struct nicvf_posted {
	struct nicvf_posted_slot *slot;
	u32 mask;
};

struct nicvf_rbdr {
	u64 *desc;			/* ring entries, read by hardware */
	dma_addr_t desc_dma;
	u32 ring_len;
	u32 tail;			/* next entry software fills */
	u32 buf_len;			/* hardware area of a buffer */
	u32 stride;			/* bytes of page per buffer */
	int qidx;
	void __iomem *regs;		/* VF BAR0 */
	struct device *dev;
	struct page_pool *pool;
	/* translating IOMMU domain of @dev, or NULL for identity / none */
	struct iommu_domain *domain;
	struct nicvf_posted posted;
	spinlock_t lock;		/* serialises refill (page_pool alloc) */
	u64 alloc_fail;
	u64 post_fail;
	/* claimed, but the address did not lead back to its page */
	atomic_long_t rx_unresolved;
};

int nicvf_rbdr_init(struct nicvf_rbdr *rbdr, struct device *dev,
		    void __iomem *regs, int qidx, u32 ring_len, u32 buf_len,
		    struct net_device *netdev);
void nicvf_rbdr_enable(struct nicvf_rbdr *rbdr);
int nicvf_rbdr_stop(struct nicvf_rbdr *rbdr);
int nicvf_rbdr_refill_some(struct nicvf_rbdr *rbdr, u32 max);
int nicvf_rbdr_refill(struct nicvf_rbdr *rbdr);
bool nicvf_rbdr_low(struct nicvf_rbdr *rbdr);
void nicvf_rbdr_free(struct nicvf_rbdr *rbdr);
unsigned int nicvf_rbdr_posted_count(const struct nicvf_rbdr *rbdr);

/* --- Completion queues ---------------------------------------------------- */

/* Completion queue entries are 512 bytes; base must be 512-byte aligned */
#define NICVF_CQE_SIZE			512
#define NICVF_CQE_WORDS			(NICVF_CQE_SIZE / 8)
/*
 * CQ interrupt timer: 80 ticks (of 8 bits' worth).  A tick is 16
 * coprocessor clocks (nicpf's NIC_PF_INTR_TIMER_CFG): about 25 ns, so
 * about 2 us; the VF cannot know the clock, so ethtool's microseconds are
 * that approximation.
 */
#define NICVF_CQ_TIMER			80
#define NICVF_CQ_TICKS_PER_US		40
/*
 * The CQ interrupt fires once more CQEs than this are waiting, or when the
 * timer runs out with any waiting: half a NAPI poll's worth, so a busy
 * queue takes one interrupt per poll and a quiet one waits ~2 us at most.
 * CN88xx pass 1 has only the timer: 0 there.
 */
#define NICVF_CQ_THRESH			(NAPI_POLL_WEIGHT / 2)
#define NICVF_CQ_THRESH_FOR(cqe_rx2)	((cqe_rx2) ? NICVF_CQ_THRESH : 0)
/*
 * CQEs the hardware may write anyway once a CQ's levels say stop (its
 * pipeline): a send queue stops taking packets while fewer than this
 * many of its CQ's entries are free, so no CQE_SEND meets a full CQ.
 */
#define NICVF_CQ_PIPELINE_RSVD		544

/* Word 0 of every CQE: its type */
#define CQE_W0_TYPE			GENMASK_ULL(63, 60)
enum nicvf_cqe_type {
	CQE_TYPE_INVALID	= 0x0,
	CQE_TYPE_RX		= 0x2,
	CQE_TYPE_RX_SPLIT	= 0x3,
	CQE_TYPE_RX_TCP		= 0x4,
	CQE_TYPE_SEND		= 0x8,
	CQE_TYPE_SEND_PTP	= 0x9,
};

/* CQE_RX word 0: parse results and error code */
#define CQE_RX_W0_ERR_OPCODE		GENMASK_ULL(7, 0)
#define CQE_RX_W0_ERR_LEVEL		GENMASK_ULL(10, 8)
#define CQE_RX_W0_L2_PRESENT		BIT_ULL(11)
#define CQE_RX_W0_L3_TYPE		GENMASK_ULL(15, 12)
#define CQE_RX_W0_L4_TYPE		GENMASK_ULL(19, 16)
#define CQE_RX_W0_VLAN2_STRIPPED	BIT_ULL(20)
#define CQE_RX_W0_VLAN2_FOUND		BIT_ULL(21)
#define CQE_RX_W0_VLAN_STRIPPED		BIT_ULL(22)
#define CQE_RX_W0_VLAN_FOUND		BIT_ULL(23)
#define CQE_RX_W0_RB_CNT		GENMASK_ULL(27, 24)
#define CQE_RX_W0_RSS_ALG		GENMASK_ULL(35, 32)
#define CQE_RX_W0_RQ_IDX		GENMASK_ULL(50, 48)
#define CQE_RX_W0_RQ_QS			GENMASK_ULL(57, 51)
#define CQE_RX_W0_STDN_FAULT		BIT_ULL(59)
/* CQE_RX word 1: lengths, header offsets and the first buffer's pad */
#define CQE_RX_W1_CHAN			GENMASK_ULL(11, 0)
#define CQE_RX_W1_ALIGN_PAD		GENMASK_ULL(15, 13)
#define CQE_RX_W1_CQ_PKT_LEN		GENMASK_ULL(23, 16)
#define CQE_RX_W1_L4_PTR		GENMASK_ULL(31, 24)
#define CQE_RX_W1_L3_PTR		GENMASK_ULL(39, 32)
#define CQE_RX_W1_L2_PTR		GENMASK_ULL(47, 40)
#define CQE_RX_W1_PKT_LEN		GENMASK_ULL(63, 48)
/* CQE_RX word 2: VLAN tag (in network byte order) and RSS hash */
#define CQE_RX_W2_VLAN2_PTR		GENMASK_ULL(7, 0)
#define CQE_RX_W2_VLAN_PTR		GENMASK_ULL(15, 8)
#define CQE_RX_W2_VLAN_TCI		GENMASK_ULL(31, 16)
#define CQE_RX_W2_RSS_TAG		GENMASK_ULL(63, 32)
/*
 * CQE_RX words 3..5: the 16-bit length of each buffer, four to a word with
 * buffer 0 in the least significant bits of word 3.
 */
#define CQE_RX_LEN_WORD			3
#define CQE_RX_LENS_PER_WORD		4
#define CQE_RX_LEN_BITS			16
/*
 * Buffer addresses follow: from word 6 on CN88xx pass 1, from word 7 on
 * later silicon, which inserts the CQE_RX2 word at word 6.
 */
#define CQE_RX_PTR_WORD			6
#define CQE_RX_PTR_WORD_RX2		7
#define CQE_RX_MAX_RB			12

enum nicvf_cqe_rx_err_level {
	CQE_RX_ERRLVL_RE	= 0x0,
	CQE_RX_ERRLVL_L2	= 0x1,
	CQE_RX_ERRLVL_L3	= 0x2,
	CQE_RX_ERRLVL_L4	= 0x3,
};

enum nicvf_cqe_rx_l3_type {
	CQE_RX_L3_NONE		= 0x0,
	CQE_RX_L3_GRH		= 0x1,
	CQE_RX_L3_IPV4		= 0x4,
	CQE_RX_L3_IPV4_OPTIONS	= 0x5,
	CQE_RX_L3_IPV6		= 0x6,
	CQE_RX_L3_IPV6_OPTIONS	= 0x7,
	CQE_RX_L3_ET_STOP	= 0xd,
	CQE_RX_L3_OTHER		= 0xe,
};

enum nicvf_cqe_rx_l4_type {
	CQE_RX_L4_NONE		= 0x0,
	CQE_RX_L4_IPSEC_ESP	= 0x1,
	CQE_RX_L4_IPFRAG	= 0x2,
	CQE_RX_L4_IPCOMP	= 0x3,
	CQE_RX_L4_TCP		= 0x4,
	CQE_RX_L4_UDP		= 0x5,
	CQE_RX_L4_SCTP		= 0x6,
	CQE_RX_L4_GRE		= 0x7,
	CQE_RX_L4_ROCE_BTH	= 0x8,
	CQE_RX_L4_OTHER		= 0xe,
};

enum nicvf_cqe_rx_rss_alg {
	CQE_RX_RSS_NONE		= 0x0,
	CQE_RX_RSS_PORT		= 0x1,
	CQE_RX_RSS_IP		= 0x2,
	CQE_RX_RSS_TCP_IP	= 0x3,
	CQE_RX_RSS_UDP_IP	= 0x4,
	CQE_RX_RSS_SCTP_IP	= 0x5,
	CQE_RX_RSS_GRE_IP	= 0x6,
	CQE_RX_RSS_ROCE		= 0x7,
};

/* The CQE_RX word holding the length of buffer @idx (0..CQE_RX_MAX_RB - 1) */
static inline unsigned int nicvf_cqe_rx_len_word(unsigned int idx)
{
	return CQE_RX_LEN_WORD + idx / CQE_RX_LENS_PER_WORD;
}

/* The length of buffer @idx, taken from its length word @word */
static inline unsigned int nicvf_cqe_rx_len(u64 word, unsigned int idx)
{
	return (word >> ((idx % CQE_RX_LENS_PER_WORD) * CQE_RX_LEN_BITS)) &
	       0xffff;
}

struct nicvf_cq {
	void *desc;			/* CQE ring, written by hardware */
	dma_addr_t desc_dma;
	u32 ring_len;
	u32 head;			/* next entry software reads */
	int qidx;
	int nq;				/* the interface's receive queue number */
	bool cqe_rx2;			/* CQE_RX carries the CQE_RX2 word */
	u16 timer;			/* CQ_CFG2 interrupt timer, in ticks */
	u16 thresh;			/* CQ_THRESH: CQEs that interrupt */
	u32 msg_enable;			/* NETIF_MSG_RX_ERR, _TX_ERR: log drops */
	void __iomem *regs;
	struct device *dev;
	struct net_device *netdev;
	struct nicvf_rbdr *rbdr;	/* NULL: the queue set receives nothing */
	struct nicvf_sq *sq;		/* whose completions come here */
	/* rx_* and the send completions, written only by the CQ's poll */
	struct nicvf_qstats stats;
	struct u64_stats_sync syncp;
};

int nicvf_cq_init(struct nicvf_cq *cq, struct device *dev,
		  void __iomem *regs, int qidx, u32 ring_len,
		  struct nicvf_rbdr *rbdr, struct net_device *netdev,
		  bool cqe_rx2);
void nicvf_cq_enable(struct nicvf_cq *cq);
void nicvf_cq_coalesce(struct nicvf_cq *cq, u16 timer, u16 thresh);
int nicvf_cq_poll(struct nicvf_cq *cq, struct napi_struct *napi, int budget);
void nicvf_cq_stop(struct nicvf_cq *cq);
void nicvf_cq_free(struct nicvf_cq *cq);

/* What the CQ counted; the send queue's drops are not among it */
static inline void nicvf_cq_stats(const struct nicvf_cq *cq,
				  struct nicvf_qstats *out)
{
	nicvf_qstats_fetch(out, &cq->stats, &cq->syncp);
}

#endif /* NICVF_QUEUES_H */
