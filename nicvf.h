/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ThunderX VNIC virtual function: the device, and what its files call of
 * one another beyond the rings (nicvf_queues.h, nicvf_sq.h) and the
 * mailbox (nicvf_mbx.h).
 */
#ifndef NICVF_H
#define NICVF_H

#include <linux/completion.h>
#include <linux/etherdevice.h>
#include <linux/interrupt.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include "nicvf_compat.h"
#include "nicvf_mbx.h"
#include "nicvf_queues.h"
#include "nicvf_sq.h"

#define DRV_NAME	"nicvf"
/* The release: dkms.conf's PACKAGE_VERSION must match (make check) */
#define DRV_VERSION	"1.0.0"

/* Receive and send queues of one queue set */
#define NICVF_MAX_QUEUES		8
/*
 * Secondary queue sets (SQS) a primary VF may borrow from the PF, as
 * nicpf counts them (MAX_SQS_PER_VF), and the queues of an interface that
 * has them all
 */
#define NICVF_MAX_SQS			11
#define NICVF_MAX_QUEUES_ALL		(NICVF_MAX_QUEUES * (1 + NICVF_MAX_SQS))
/* Receive buffer rings of a queue set (we use the first) */
#define NICVF_RBDRS			2
/* The largest RSS indirection table nicpf gives a VF (CN88xx: 256) */
#define NICVF_RSS_MAX			256
#define NICVF_RSS_KEY_BYTES		(NIC_RSS_KEY_WORDS * 8)

/* Frame sizes the PF accepts in SET_MAX_FRS (it adds L2 header and FCS) */
#define NICVF_MIN_MTU			64
#define NICVF_MAX_MTU			9190

/* What is logged unless the debug parameter or ethtool msglvl says */
#define NICVF_MSG_DEFAULT	(NETIF_MSG_DRV | NETIF_MSG_PROBE | NETIF_MSG_LINK)

/* Transmit watchdog */
#define NICVF_TX_TIMEOUT		(50 * HZ)

/* How often the link is asked for; how soon a failed refill is retried */
#define NICVF_LINK_POLL_MS		2000
#define NICVF_REFILL_RETRY_MS		10
/* Buffers one run of the refill tasklet posts before letting others run */
#define NICVF_REFILL_BATCH		256

/*
 * The BGX's DMAC filter for our LMAC.  nicpf keeps a list of addresses
 * per LMAC (RESET_XCAST empties it and accepts everything, ADD_MCAST
 * grows it, SET_XCAST writes it to the CAM and sets the mode).  While
 * the CAM filters, unicast and multicast alike pass only if listed, so
 * the list is our own address, the secondary unicast ones and the
 * multicast groups.  The CAM's 32 entries are shared by the BGX's LMACs:
 * 8 is all an LMAC is sure of, and nicpf drops, unannounced, an address
 * that does not fit; a longer list accepts every address instead.
 */
#define NICVF_CAM_ENTRIES		8

struct nicvf_rx_filter {
	u8 mode;			/* NICVF_XCAST_* */
	u8 count;			/* of @addr, when the CAM filters */
	u8 addr[NICVF_CAM_ENTRIES][ETH_ALEN];
};

/* One CQ's interrupt and NAPI context */
struct nicvf_qvec {
	struct napi_struct napi;
	struct nicvf *nic;
	int idx;
	bool irq;			/* handler registered */
	char irq_name[IFNAMSIZ + 16];
};

struct nicvf {
	struct pci_dev *pdev;
	bool cqe_rx2;			/* CQE_RX carries the CQE_RX2 word */
	u8 tso;				/* enum nicvf_tso: the chip's TSO */
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
	 * Secondary queue sets.  The PF tells each VF's driver of the others
	 * only by the 64-bit value that VF sent it in NICVF_PTR: ours is a
	 * random token, never an address, and a value the PF hands back is
	 * only ever looked up among the SQS VFs we drive (nicvf_sqs_list).
	 */
	u64 token;
	bool token_ok;			/* the PF took it */
	bool sqs_stuck;			/* SQS: rings that would not stop */
	struct list_head sqs_node;	/* an SQS VF on nicvf_sqs_list */
	struct nicvf *pnic;		/* SQS: the primary using our queues */
	u8 sqs_idx;			/* SQS: its index in the PF's grant */
	int qbase;			/* the interface's number of our queue 0 */
	struct nicvf *snic[NICVF_MAX_SQS];	/* primary: SQS in use */
	int sqs_count;			/* of @snic */
	int rx_all;			/* primary: the interface's queues up */
	int tx_all;

	/*
	 * The queue set: one RBDR shared by the receive queues, and @queues
	 * pairs of CQ (taking receive and send completions), receive queue
	 * and send queue.
	 */
	struct nicvf_rbdr rbdr;
	struct nicvf_cq cq[NICVF_MAX_QUEUES];
	struct nicvf_sq sq[NICVF_MAX_QUEUES];
	struct nicvf_qvec qv[NICVF_MAX_QUEUES];
	bool qs_on;			/* the queue set is up (or would not stop) */
	int queues;			/* CQs up, or 0 */
	int rxqs;			/* receive queues up: CQs 0..rxqs-1 */
	int txqs;			/* send queues up: CQs 0..txqs-1 */
	int rxqs_cfg;			/* what the interface asks (ethtool -L) */
	int txqs_cfg;
	u32 rbdr_len;
	u32 cq_len;
	u32 sq_len;
	u16 cq_timer;			/* ethtool -C: each CQ's interrupt */
	u16 cq_thresh;
	int xps_set;			/* send queues given the default XPS */
	/* RSS as ethtool -x shows it, written to the VNIC and PF at open */
	u16 rss_size;			/* the PF's table size, 0: not known yet */
	u8 rss_indir[NICVF_RSS_MAX];	/* the interface's queue of each entry */
	u8 rss_key[NICVF_RSS_KEY_BYTES];
	u64 rss_cfg;			/* NIC_VNIC_RSS_CFG: what is hashed */
	bool rbdr_irq;			/* handlers registered */
	bool qs_err_irq;
	char rbdr_irq_name[IFNAMSIZ + 16];
	char qs_err_irq_name[IFNAMSIZ + 16];

	struct delayed_work link_work;	/* asks the PF for the link state */
	struct tasklet_struct refill_tasklet;	/* tops up the RBDR */
	struct delayed_work refill_work;	/* retries it when memory was short */
	bool refill_on;			/* the RBDR interrupt may refill */
	struct work_struct reset_work;	/* queue-set error, transmit timeout */

	/* The receive filter: the stack's lists, sent from a work item */
	struct work_struct rx_mode_work;
	struct mutex filter_lock;	/* the fields below */
	bool filter_on;			/* open: changes go to the PF */
	bool filter_ok;			/* the PF has @filter */
	struct nicvf_rx_filter filter;

	/* Counters from before the last teardown (nicvf_ethtool.c), events */
	spinlock_t stats_lock;		/* base vs. queues coming and going */
	bool stats_live;		/* the queues' own counters count */
	/* primary: every queue the interface had, SQS ones included */
	struct nicvf_qstats base[NICVF_MAX_QUEUES_ALL];
	u64 base_rx_unresolved;		/* the RBDR's */
	u64 base_rbdr_alloc_fail;
	u64 base_rbdr_post_fail;
	u64 refill_retries;
	/* The VNIC's counters: zeroed at open, kept here at close */
	bool hw_live;
	u64 base_hw_rx[NIC_VNIC_RX_STATS];
	u64 base_hw_tx[NIC_VNIC_TX_STATS];
	/* The BGX's, as the PF last answered for them (RTNL) */
	u64 bgx_rx[NICVF_BGX_RX_STATS];
	u64 bgx_tx[NICVF_BGX_TX_STATS];
	/* page_pool's counters of the RBDR's pools before the current one */
	struct page_pool_stats base_pp;
	u64 qs_errors;
	u64 tx_timeouts;
	u32 msg_enable;			/* NETIF_MSG_*: ethtool msglvl */

	/* Link, as the PF last reported it, taken only while open */
	bool if_up;
	bool link_up;
	u8 duplex;
	u32 speed;
	u8 mac_type;
	/* Pause frames as the PF last reported or took them (RTNL) */
	bool pause_rx;
	bool pause_tx;
};

/* nicvf_ethtool.c: ethtool, and the counters the stack and ethtool read */
extern const struct ethtool_ops nicvf_ethtool_ops;
void nicvf_get_stats64(struct net_device *netdev,
		       struct rtnl_link_stats64 *st);
void nicvf_stats_start(struct nicvf *nic);
void nicvf_stats_save(struct nicvf *nic);
void nicvf_stats_save_rbdr(struct nicvf *nic);
void nicvf_hw_stats_start(struct nicvf *nic);
void nicvf_hw_stats_save(struct nicvf *nic);

/* nicvf_main.c: the queue sets of an interface (0: the primary's own) */
static inline struct nicvf *nicvf_qset(struct nicvf *nic, int qs)
{
	return qs ? nic->snic[qs - 1] : nic;
}

/* The interface a queue set serves: its primary's, or its own */
static inline struct nicvf *nicvf_primary(struct nicvf *nic)
{
	return nic->pnic ?: nic;
}

/* How many receive and send queues ethtool -L may ask for now */
int nicvf_max_queues(struct nicvf *nic);

/* nicvf_main.c: RSS, for ethtool -x/-X */
int nicvf_rss_size(struct nicvf *nic);
int nicvf_rss_write(struct nicvf *nic);
/* ethtool -G and -L: the interface, if up, is rebuilt with the new settings */
int nicvf_reconfigure(struct nicvf *nic, u32 cq_len, u32 sq_len, int rxqs,
		      int txqs, struct netlink_ext_ack *extack);

/* nicvf_main.c, for the tests: static (VISIBLE_IF_KUNIT) without KUnit */
#if IS_ENABLED(CONFIG_KUNIT)
int nicvf_qs_up(struct nicvf *nic, int rxqs, int txqs);
int nicvf_qs_down(struct nicvf *nic);
#endif

#endif /* NICVF_H */
