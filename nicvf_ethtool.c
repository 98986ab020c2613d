// SPDX-License-Identifier: GPL-2.0-only
/*
 * ThunderX VNIC virtual function driver: the counters, and ethtool.
 *
 * Each queue pair counts in a struct nicvf_qstats: its CQ what it
 * completes, its SQ what it drops.  The interface's primary VF keeps what
 * the queues counted before they were last torn down, in the same shape,
 * for every queue number including those of secondary queue sets, so
 * counters survive close, open, reset and a different SQS VF next time.
 * A secondary queue set's counters are read and kept under its primary's
 * stats_lock.  The stack's totals and ethtool -S are
 * both read from one sum of them; ethtool -S names and reads its values
 * through tables of names and offsets, which its strings and its values
 * both walk.
 */

#include <linux/bitfield.h>
#include <linux/ethtool.h>
#include <linux/io.h>
#include <linux/linkmode.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/spinlock.h>

#include "nicvf_compat.h"
#include "nicvf.h"

/* --- The counters --------------------------------------------------------- */

/* Add every counter of @q to @sum */
static void nicvf_qstats_add(struct nicvf_qstats *sum,
			     const struct nicvf_qstats *q)
{
	const u64 *from = (const u64 *)q;
	u64 *to = (u64 *)sum;
	unsigned int i;

	for (i = 0; i < NICVF_QSTATS_WORDS; i++)
		to[i] += from[i];
}

/*
 * The interface's queue pair @q (stats_lock held): what it counted
 * before, and what the queue set that has it now counts
 */
static void nicvf_qstats_read_locked(struct nicvf *nic, int q,
				     struct nicvf_qstats *out)
{
	int qs = q / NICVF_MAX_QUEUES, i = q % NICVF_MAX_QUEUES;
	struct nicvf_qstats live;
	struct nicvf *set;

	*out = nic->base[q];
	set = qs <= nic->sqs_count ? nicvf_qset(nic, qs) : NULL;
	if (set && set->stats_live && i < set->queues) {
		nicvf_cq_stats(&set->cq[i], &live);
		nicvf_qstats_add(out, &live);
		if (i < set->txqs) {
			nicvf_sq_stats(&set->sq[i], &live);
			nicvf_qstats_add(out, &live);
		}
	}
}

static void nicvf_qstats_read(struct nicvf *nic, int q,
			      struct nicvf_qstats *out)
{
	spin_lock_bh(&nic->stats_lock);
	nicvf_qstats_read_locked(nic, q, out);
	spin_unlock_bh(&nic->stats_lock);
}

/* The sum of every queue pair the interface has had */
static void nicvf_qstats_sum(struct nicvf *nic, struct nicvf_qstats *sum)
{
	struct nicvf_qstats one;
	int i;

	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < NICVF_MAX_QUEUES_ALL; i++) {
		nicvf_qstats_read(nic, i, &one);
		nicvf_qstats_add(sum, &one);
	}
}

/* Every queue's counters are initialised: they count from now */
void nicvf_stats_start(struct nicvf *nic)
{
	struct nicvf *p = nicvf_primary(nic);

	spin_lock_bh(&p->stats_lock);
	nic->stats_live = true;
	spin_unlock_bh(&p->stats_lock);
}

/* What @nic's RBDR's refills counted goes into @p's totals (stats_lock) */
static void nicvf_rbdr_fills_keep(struct nicvf *p, struct nicvf *nic)
{
	p->base_rbdr_alloc_fail += nic->rbdr.alloc_fail;
	p->base_rbdr_post_fail += nic->rbdr.post_fail;
	/* An RBDR that fails to come up next counts anew */
	nic->rbdr.alloc_fail = 0;
	nic->rbdr.post_fail = 0;
}

/*
 * The queues are stopped and going away: keep what they counted, in the
 * primary's totals.  Readers see either the old totals with the live
 * counters or the new ones without, never both.
 */
void nicvf_stats_save(struct nicvf *nic)
{
	struct nicvf *p = nicvf_primary(nic);
	struct nicvf_qstats q;
	int i;

	spin_lock_bh(&p->stats_lock);
	for (i = 0; i < NICVF_MAX_QUEUES; i++) {
		nicvf_qstats_read_locked(p, nic->qbase + i, &q);
		p->base[nic->qbase + i] = q;
	}
	if (nic->stats_live && nic->rbdr.pool) {
		p->base_rx_unresolved +=
			atomic_long_read(&nic->rbdr.rx_unresolved);
		nicvf_rbdr_fills_keep(p, nic);
		/* (adds the pool's counts to the base) */
		page_pool_get_stats(nic->rbdr.pool, &p->base_pp);
	}
	nic->stats_live = false;
	nic->queues = 0;
	nic->rxqs = 0;
	nic->txqs = 0;
	spin_unlock_bh(&p->stats_lock);
}

/* The RBDR failed at its first fill: what the fill counted counts all the same */
void nicvf_stats_save_rbdr(struct nicvf *nic)
{
	struct nicvf *p = nicvf_primary(nic);

	spin_lock_bh(&p->stats_lock);
	nicvf_rbdr_fills_keep(p, nic);
	spin_unlock_bh(&p->stats_lock);
}

/* The VNIC's counters count for us from the RESET_STAT at open */
void nicvf_hw_stats_start(struct nicvf *nic)
{
	spin_lock_bh(&nic->stats_lock);
	nic->hw_live = true;
	spin_unlock_bh(&nic->stats_lock);
}

/*
 * The VNIC's counters into @rx and @tx: from before the last close, and
 * since open.  @rx and @tx may be the base itself (stats_lock held).
 */
static void nicvf_hw_stats_locked(struct nicvf *nic, u64 *rx, u64 *tx)
{
	bool live = nic->hw_live;
	int i;

	for (i = 0; i < NIC_VNIC_RX_STATS; i++)
		rx[i] = nic->base_hw_rx[i] + (live ?
			readq(nic->regs + NIC_VNIC_RX_STAT_0_13 + 8 * i) : 0);
	for (i = 0; i < NIC_VNIC_TX_STATS; i++)
		tx[i] = nic->base_hw_tx[i] + (live ?
			readq(nic->regs + NIC_VNIC_TX_STAT_0_4 + 8 * i) : 0);
}

static void nicvf_hw_stats_read(struct nicvf *nic, u64 *rx, u64 *tx)
{
	spin_lock_bh(&nic->stats_lock);
	nicvf_hw_stats_locked(nic, rx, tx);
	spin_unlock_bh(&nic->stats_lock);
}

/* At close, once the LMAC stopped: what the VNIC counted is kept */
void nicvf_hw_stats_save(struct nicvf *nic)
{
	spin_lock_bh(&nic->stats_lock);
	nicvf_hw_stats_locked(nic, nic->base_hw_rx, nic->base_hw_tx);
	nic->hw_live = false;
	spin_unlock_bh(&nic->stats_lock);
}

void nicvf_get_stats64(struct net_device *netdev,
		       struct rtnl_link_stats64 *st)
{
	u64 rx[NIC_VNIC_RX_STATS], tx[NIC_VNIC_TX_STATS];
	struct nicvf_qstats sum;
	int d;

	nicvf_qstats_sum(netdev_priv(netdev), &sum);
	nicvf_hw_stats_read(netdev_priv(netdev), rx, tx);
	/* What the hardware saw and dropped before any of it reached us */
	st->multicast = rx[NIC_VNIC_RX_MCAST];
	st->rx_missed_errors = rx[NIC_VNIC_RX_RED] + rx[NIC_VNIC_RX_ORUN];
	st->rx_crc_errors = rx[NIC_VNIC_RX_FCS];
	st->rx_frame_errors = rx[NIC_VNIC_RX_L2ERR];
	st->rx_packets = sum.rx_packets;
	st->rx_bytes = sum.rx_bytes;
	/* A receive error is the hardware's verdict; the rest are drops */
	st->rx_errors = sum.rx_drops[NICVF_RX_DROP_CQE_ERR];
	for (d = 1; d < NICVF_RX_DROP_NR; d++)
		if (d != NICVF_RX_DROP_CQE_ERR)
			st->rx_dropped += sum.rx_drops[d];
	st->tx_packets = sum.tx_packets;
	st->tx_bytes = sum.tx_bytes;
	st->tx_errors = sum.tx_errors;
	for (d = 0; d < NICVF_TX_DROP_NR; d++)
		st->tx_dropped += sum.tx_drops[d];
}

/* --- ethtool -S ----------------------------------------------------------- */

/* What ethtool -S reports of the whole device, read at once */
struct nicvf_stats {
	struct nicvf_qstats sum;	/* of every queue pair */
	u64 rx_unresolved;
	u64 rbdr_alloc_fail;
	u64 rbdr_post_fail;
	u64 rbdr_refill_retries;
	u64 qs_errors;
	u64 tx_timeouts;
	u64 mbx_unsolicited;
	u64 mbx_timeouts;
	u64 mbx_nacks;
	u64 hw_rx[NIC_VNIC_RX_STATS];
	u64 hw_tx[NIC_VNIC_TX_STATS];
};

/* One counter ethtool -S reports: its name, and where its value is */
struct nicvf_stat {
	const char *name;
	unsigned int offset;
};

#define NICVF_STAT(n, m)	{ .name = (n), \
				  .offset = offsetof(struct nicvf_stats, m) }
#define NICVF_RX_DROP_STAT(r)	NICVF_STAT(nicvf_rx_drop_names[NICVF_RX_DROP_##r], \
					   sum.rx_drops[NICVF_RX_DROP_##r])
#define NICVF_TX_DROP_STAT(r)	NICVF_STAT(nicvf_tx_drop_names[NICVF_TX_DROP_##r], \
					   sum.tx_drops[NICVF_TX_DROP_##r])

/* The device's counters, in struct nicvf_stats, in the order reported */
static const struct nicvf_stat nicvf_stats_table[] = {
	NICVF_STAT("rx_packets", sum.rx_packets),
	NICVF_STAT("rx_bytes", sum.rx_bytes),
	NICVF_STAT("tx_packets", sum.tx_packets),
	NICVF_STAT("tx_bytes", sum.tx_bytes),
	NICVF_STAT("tx_errors", sum.tx_errors),
	NICVF_STAT("tx_cqe_bogus", sum.tx_cqe_bogus),
	NICVF_STAT("tx_tso", sum.tx_tso),
	NICVF_STAT("rx_unresolved", rx_unresolved),
	NICVF_STAT("rbdr_alloc_fail", rbdr_alloc_fail),
	NICVF_STAT("rbdr_post_fail", rbdr_post_fail),
	NICVF_STAT("rbdr_refill_retries", rbdr_refill_retries),
	NICVF_STAT("qs_errors", qs_errors),
	NICVF_STAT("tx_timeouts", tx_timeouts),
	NICVF_STAT("mbx_unsolicited", mbx_unsolicited),
	NICVF_STAT("mbx_timeouts", mbx_timeouts),
	NICVF_STAT("mbx_nacks", mbx_nacks),
	NICVF_RX_DROP_STAT(CQE_ERR),
	NICVF_RX_DROP_STAT(RB_CNT),
	NICVF_RX_DROP_STAT(RB_LEN),
	NICVF_RX_DROP_STAT(ADDR_UNMAPPED),
	NICVF_RX_DROP_STAT(ADDR_FOREIGN),
	NICVF_RX_DROP_STAT(ADDR_NOT_POSTED),
	NICVF_RX_DROP_STAT(NOMEM),
	NICVF_TX_DROP_STAT(MAP),
	NICVF_TX_DROP_STAT(CSUM),
	NICVF_TX_DROP_STAT(RUNT),
	NICVF_TX_DROP_STAT(TSO),
	/* The VNIC's own, as NIC_VNIC_RX_STAT(0..13) and TX_STAT(0..4) */
	NICVF_STAT("hw_rx_bytes", hw_rx[0]),
	NICVF_STAT("hw_rx_ucast", hw_rx[1]),
	NICVF_STAT("hw_rx_bcast", hw_rx[2]),
	NICVF_STAT("hw_rx_mcast", hw_rx[3]),
	NICVF_STAT("hw_rx_red", hw_rx[4]),
	NICVF_STAT("hw_rx_red_bytes", hw_rx[5]),
	NICVF_STAT("hw_rx_overrun", hw_rx[6]),
	NICVF_STAT("hw_rx_overrun_bytes", hw_rx[7]),
	NICVF_STAT("hw_rx_fcs_errors", hw_rx[8]),
	NICVF_STAT("hw_rx_l2_errors", hw_rx[9]),
	NICVF_STAT("hw_rx_drop_bcast", hw_rx[10]),
	NICVF_STAT("hw_rx_drop_mcast", hw_rx[11]),
	NICVF_STAT("hw_rx_drop_l3_bcast", hw_rx[12]),
	NICVF_STAT("hw_rx_drop_l3_mcast", hw_rx[13]),
	NICVF_STAT("hw_tx_bytes", hw_tx[0]),
	NICVF_STAT("hw_tx_ucast", hw_tx[1]),
	NICVF_STAT("hw_tx_bcast", hw_tx[2]),
	NICVF_STAT("hw_tx_mcast", hw_tx[3]),
	NICVF_STAT("hw_tx_drop", hw_tx[NIC_VNIC_TX_DROP]),
};

#define NICVF_QSTAT(n, m)	{ .name = (n), \
				  .offset = offsetof(struct nicvf_qstats, m) }

/*
 * Each queue's, in struct nicvf_qstats, for every queue the interface
 * uses, after the device's: each name takes the queue's number
 */
static const struct nicvf_stat nicvf_rxqstats_table[] = {
	NICVF_QSTAT("rxq%d_packets", rx_packets),
	NICVF_QSTAT("rxq%d_bytes", rx_bytes),
};

static const struct nicvf_stat nicvf_txqstats_table[] = {
	NICVF_QSTAT("txq%d_packets", tx_packets),
	NICVF_QSTAT("txq%d_bytes", tx_bytes),
};

#define NICVF_QSTATS_NR	(ARRAY_SIZE(nicvf_rxqstats_table))
static_assert(ARRAY_SIZE(nicvf_txqstats_table) == NICVF_QSTATS_NR);

/* The value of @stat in @s, a struct nicvf_stats or nicvf_qstats */
static u64 nicvf_stat_value(const void *s, const struct nicvf_stat *stat)
{
	return *(const u64 *)((const u8 *)s + stat->offset);
}

/* The names of @table's counters for queues 0..@queues-1 */
static void nicvf_qstats_strings(u8 **data, const struct nicvf_stat *table,
				 int queues)
{
	unsigned int i;
	int q;

	for (q = 0; q < queues; q++)
		for (i = 0; i < NICVF_QSTATS_NR; i++)
			ethtool_sprintf(data, table[i].name, q);
}

/* Their values, each queue's read as it comes */
static u64 *nicvf_qstats_values(u64 *data, const struct nicvf_stat *table,
				struct nicvf *nic, int queues)
{
	struct nicvf_qstats one;
	unsigned int i;
	int q;

	for (q = 0; q < queues; q++) {
		nicvf_qstats_read(nic, q, &one);
		for (i = 0; i < NICVF_QSTATS_NR; i++)
			*data++ = nicvf_stat_value(&one, &table[i]);
	}
	return data;
}

/* A queue set that has an RBDR counting now (stats_lock held), or NULL */
static struct nicvf *nicvf_live_rbdr(struct nicvf *nic, int qs)
{
	struct nicvf *set = nicvf_qset(nic, qs);

	return set->stats_live && set->rbdr.pool ? set : NULL;
}

/* The RBDRs' counters: from before their last teardown, and since */
static void nicvf_rbdr_stats_read(struct nicvf *nic, struct nicvf_stats *s)
{
	struct nicvf *set;
	int qs;

	spin_lock_bh(&nic->stats_lock);
	s->rx_unresolved = nic->base_rx_unresolved;
	s->rbdr_alloc_fail = nic->base_rbdr_alloc_fail;
	s->rbdr_post_fail = nic->base_rbdr_post_fail;
	for (qs = 0; qs <= nic->sqs_count; qs++) {
		set = nicvf_live_rbdr(nic, qs);
		if (!set)
			continue;
		s->rx_unresolved += atomic_long_read(&set->rbdr.rx_unresolved);
		s->rbdr_alloc_fail += READ_ONCE(set->rbdr.alloc_fail);
		s->rbdr_post_fail += READ_ONCE(set->rbdr.post_fail);
	}
	spin_unlock_bh(&nic->stats_lock);
}

/*
 * The LMAC's counters are the PF's: one mailbox round trip each, asked
 * for while the interface is up (the PF may not be there otherwise).
 * What was not answered keeps its last value.
 */
static void nicvf_bgx_stats_update(struct nicvf *nic)
{
	int i;

	if (!READ_ONCE(nic->if_up))
		return;
	for (i = 0; i < NICVF_BGX_RX_STATS; i++)
		if (nicvf_mbx_bgx_stat(nic, true, i, &nic->bgx_rx[i]))
			return;
	for (i = 0; i < NICVF_BGX_TX_STATS; i++)
		if (nicvf_mbx_bgx_stat(nic, false, i, &nic->bgx_tx[i]))
			return;
}

/* page_pool's counters of every pool the RBDRs had */
static void nicvf_pp_stats_read(struct nicvf *nic, struct page_pool_stats *pp)
{
	struct nicvf *set;
	int qs;

	spin_lock_bh(&nic->stats_lock);
	*pp = nic->base_pp;
	for (qs = 0; qs <= nic->sqs_count; qs++) {
		set = nicvf_live_rbdr(nic, qs);
		if (set)
			page_pool_get_stats(set->rbdr.pool, pp);
	}
	spin_unlock_bh(&nic->stats_lock);
}

static int nicvf_get_sset_count(struct net_device *netdev, int sset)
{
	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	/* The queues the stack has (fewer than asked if the PF lent fewer) */
	return ARRAY_SIZE(nicvf_stats_table) +
	       NICVF_BGX_RX_STATS + NICVF_BGX_TX_STATS +
	       page_pool_ethtool_stats_get_count() +
	       (netdev->real_num_rx_queues + netdev->real_num_tx_queues) *
	       NICVF_QSTATS_NR;
}

static void nicvf_get_strings(struct net_device *netdev, u32 sset, u8 *data)
{
	unsigned int i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < ARRAY_SIZE(nicvf_stats_table); i++)
		ethtool_puts(&data, nicvf_stats_table[i].name);
	/* The in-tree driver's names: CMRX_RX_STAT(n), CMRX_TX_STAT(n) */
	for (i = 0; i < NICVF_BGX_RX_STATS; i++)
		ethtool_sprintf(&data, "bgx_rxstat%u", i);
	for (i = 0; i < NICVF_BGX_TX_STATS; i++)
		ethtool_sprintf(&data, "bgx_txstat%u", i);
	data = page_pool_ethtool_stats_get_strings(data);
	nicvf_qstats_strings(&data, nicvf_rxqstats_table,
			     netdev->real_num_rx_queues);
	nicvf_qstats_strings(&data, nicvf_txqstats_table,
			     netdev->real_num_tx_queues);
}

/*
 * The VNIC counts each CN88xx pass 2 completing header it does not send
 * as a drop: those of the primary's own queues, which the VNIC's counters
 * are (one that has not completed yet may still be counted)
 */
static u64 nicvf_hw_tx_drops(struct nicvf *nic, u64 hw)
{
	struct nicvf_qstats one;
	u64 tails = 0;
	int q;

	for (q = 0; q < NICVF_MAX_QUEUES; q++) {
		nicvf_qstats_read(nic, q, &one);
		tails += one.tx_tails;
	}
	return hw - min(tails, hw);
}

static void nicvf_get_ethtool_stats(struct net_device *netdev,
				    struct ethtool_stats *stats, u64 *data)
{
	struct nicvf *nic = netdev_priv(netdev);
	struct page_pool_stats pp;
	struct nicvf_stats s;
	unsigned int i;

	nicvf_qstats_sum(nic, &s.sum);
	nicvf_rbdr_stats_read(nic, &s);
	s.rbdr_refill_retries = READ_ONCE(nic->refill_retries);
	s.qs_errors = READ_ONCE(nic->qs_errors);
	s.tx_timeouts = READ_ONCE(nic->tx_timeouts);
	s.mbx_unsolicited = READ_ONCE(nic->mbx_unsolicited);
	s.mbx_timeouts = READ_ONCE(nic->mbx_timeouts);
	s.mbx_nacks = READ_ONCE(nic->mbx_nacks);
	nicvf_hw_stats_read(nic, s.hw_rx, s.hw_tx);
	s.hw_tx[NIC_VNIC_TX_DROP] = nicvf_hw_tx_drops(nic,
						      s.hw_tx[NIC_VNIC_TX_DROP]);

	for (i = 0; i < ARRAY_SIZE(nicvf_stats_table); i++)
		*data++ = nicvf_stat_value(&s, &nicvf_stats_table[i]);
	nicvf_bgx_stats_update(nic);
	for (i = 0; i < NICVF_BGX_RX_STATS; i++)
		*data++ = nic->bgx_rx[i];
	for (i = 0; i < NICVF_BGX_TX_STATS; i++)
		*data++ = nic->bgx_tx[i];
	nicvf_pp_stats_read(nic, &pp);
	data = page_pool_ethtool_stats_get(data, &pp);
	data = nicvf_qstats_values(data, nicvf_rxqstats_table, nic,
				   netdev->real_num_rx_queues);
	nicvf_qstats_values(data, nicvf_txqstats_table, nic,
			    netdev->real_num_tx_queues);
}

/* --- The other ethtool operations ----------------------------------------- */

static void nicvf_get_drvinfo(struct net_device *netdev,
			      struct ethtool_drvinfo *info)
{
	struct nicvf *nic = netdev_priv(netdev);

	strscpy(info->driver, DRV_NAME, sizeof(info->driver));
	strscpy(info->version, DRV_VERSION, sizeof(info->version));
	strscpy(info->bus_info, pci_name(nic->pdev), sizeof(info->bus_info));
}

static u32 nicvf_get_msglevel(struct net_device *netdev)
{
	struct nicvf *nic = netdev_priv(netdev);

	return nic->msg_enable;
}

static void nicvf_set_msglevel(struct net_device *netdev, u32 level)
{
	struct nicvf *nic = netdev_priv(netdev);
	struct nicvf *set;
	int qs, q;

	nic->msg_enable = level;
	/* The CQs log their drops by their own copy (RTNL keeps them up) */
	for (qs = 0; qs <= nic->sqs_count; qs++) {
		set = nicvf_qset(nic, qs);
		set->msg_enable = level;
		for (q = 0; q < set->queues; q++)
			WRITE_ONCE(set->cq[q].msg_enable, level);
	}
}

/*
 * The largest send queue a CQ of the largest size takes: a full SQ's
 * completions must fit in the part of the CQ below the PF's drop level.
 */
#define NICVF_SQ_LEN_USABLE	(NICVF_CQ_LEN_MAX / 4)

static void nicvf_get_ringparam(struct net_device *netdev,
				struct ethtool_ringparam *ring,
				struct kernel_ethtool_ringparam *kring,
				struct netlink_ext_ack *extack)
{
	struct nicvf *nic = netdev_priv(netdev);

	/*
	 * Receive is the completion queue, as the in-tree driver has it;
	 * counts leave out the entry each ring keeps empty.
	 */
	ring->rx_max_pending = NICVF_CQ_LEN_MAX - 1;
	ring->rx_pending = nic->cq_len - 1;
	ring->tx_max_pending = NICVF_SQ_LEN_USABLE - 1;
	ring->tx_pending = nic->sq_len - 1;
}

/*
 * A ring of @count entries as -G names it: the length less the entry kept
 * empty, as -g shows it, or the length itself.  0 if neither is a power of
 * 2 within [@min, @max].
 */
static u32 nicvf_ring_len(u32 count, u32 min, u32 max)
{
	u32 len = is_power_of_2(count) ? count : count + 1;

	return is_power_of_2(len) && len >= min && len <= max ? len : 0;
}

static int nicvf_set_ringparam(struct net_device *netdev,
			       struct ethtool_ringparam *ring,
			       struct kernel_ethtool_ringparam *kring,
			       struct netlink_ext_ack *extack)
{
	struct nicvf *nic = netdev_priv(netdev);
	u32 cq_len, sq_len;

	if (!nic->cqe_rx2) {
		NL_SET_ERR_MSG_MOD(extack,
				   "CN88xx pass 1 keeps its rings at 1023 entries (erratum)");
		return -EOPNOTSUPP;
	}
	cq_len = nicvf_ring_len(ring->rx_pending, NICVF_CQ_LEN_MIN,
				NICVF_CQ_LEN_MAX);
	if (!cq_len) {
		NL_SET_ERR_MSG_MOD(extack,
				   "rx must be a power of 2 less 1 (or the power of 2) from 1023 to 65535");
		return -EINVAL;
	}
	sq_len = nicvf_ring_len(ring->tx_pending, NICVF_SQ_LEN_MIN,
				NICVF_SQ_LEN_USABLE);
	if (!sq_len) {
		NL_SET_ERR_MSG_MOD(extack,
				   "tx must be a power of 2 less 1 (or the power of 2) from 1023 to 16383");
		return -EINVAL;
	}
	if (cq_len < 4 * sq_len) {
		NL_SET_ERR_MSG_MOD(extack,
				   "rx must be at least 4 times tx: send completions share the receive ring");
		return -EINVAL;
	}
	if (cq_len == nic->cq_len && sq_len == nic->sq_len)
		return 0;
	return nicvf_reconfigure(nic, cq_len, sq_len, nic->rxqs_cfg,
				 nic->txqs_cfg, extack);
}

/*
 * Receive and send queues, as many of each as asked: the in-tree driver's
 * rx and tx counts.  CQ i serves receive queue i and send queue i, so the
 * queues of one number share an interrupt.
 */
static void nicvf_get_channels(struct net_device *netdev,
			       struct ethtool_channels *ch)
{
	int max = nicvf_max_queues(netdev_priv(netdev));

	/* Never below what there is (queues= may ask past the SQS VFs) */
	ch->max_rx = max_t(u32, max, netdev->real_num_rx_queues);
	ch->max_tx = max_t(u32, max, netdev->real_num_tx_queues);
	/* The stack's: fewer than asked while the PF lends fewer queue sets */
	ch->rx_count = netdev->real_num_rx_queues;
	ch->tx_count = netdev->real_num_tx_queues;
}

static int nicvf_set_channels(struct net_device *netdev,
			      struct ethtool_channels *ch)
{
	struct nicvf *nic = netdev_priv(netdev);

	/* The core holds each count to its maximum, combined to none */
	if (!ch->rx_count || !ch->tx_count || ch->combined_count ||
	    ch->other_count || ch->rx_count > NICVF_MAX_QUEUES_ALL ||
	    ch->tx_count > NICVF_MAX_QUEUES_ALL)
		return -EINVAL;
	/* The same again is no change, unless the PF lent fewer: ask again */
	if (ch->rx_count == nic->rxqs_cfg && ch->tx_count == nic->txqs_cfg &&
	    ch->rx_count == netdev->real_num_rx_queues &&
	    ch->tx_count == netdev->real_num_tx_queues)
		return 0;
	return nicvf_reconfigure(nic, nic->cq_len, nic->sq_len, ch->rx_count,
				 ch->tx_count, NULL);
}

/*
 * ethtool -n/-N rx-flow-hash: the VNIC hashes the IP addresses of every
 * IP packet, and the ports of TCP, UDP and SCTP where RSS_CFG says.
 * @l4 gets the RSS_CFG bit of @flow_type's ports (0: it has none).
 */
static int nicvf_rss_flow(u32 flow_type, u64 *l4)
{
	switch (flow_type) {
	case TCP_V4_FLOW:
	case TCP_V6_FLOW:
		*l4 = NIC_RSS_TCP_ENA;
		return 0;
	case UDP_V4_FLOW:
	case UDP_V6_FLOW:
		*l4 = NIC_RSS_UDP_ENA;
		return 0;
	case SCTP_V4_FLOW:
	case SCTP_V6_FLOW:
		*l4 = NIC_RSS_L4ETC_ENA;
		return 0;
	case IPV4_FLOW:
	case IPV6_FLOW:
		*l4 = 0;
		return 0;
	}
	return -EINVAL;
}

#define NICVF_RXH_IP	(RXH_IP_SRC | RXH_IP_DST)
#define NICVF_RXH_L4	(RXH_L4_B_0_1 | RXH_L4_B_2_3)

static int nicvf_get_rxnfc(struct net_device *netdev,
			   struct ethtool_rxnfc *info, u32 *rules)
{
	struct nicvf *nic = netdev_priv(netdev);
	u64 l4;

	switch (info->cmd) {
	case ETHTOOL_GRXRINGS:
		info->data = netdev->real_num_rx_queues;
		return 0;
	case ETHTOOL_GRXFH:
		if (nicvf_rss_flow(info->flow_type, &l4))
			return -EINVAL;
		info->data = NICVF_RXH_IP;
		if (nic->rss_cfg & l4)
			info->data |= NICVF_RXH_L4;
		return 0;
	}
	return -EOPNOTSUPP;
}

static int nicvf_set_rxnfc(struct net_device *netdev,
			   struct ethtool_rxnfc *info)
{
	struct nicvf *nic = netdev_priv(netdev);
	u64 l4;

	if (info->cmd != ETHTOOL_SRXFH)
		return -EOPNOTSUPP;
	if (nicvf_rss_flow(info->flow_type, &l4))
		return -EINVAL;
	/* The addresses are always hashed; the ports both or neither */
	if (info->data == NICVF_RXH_IP)
		nic->rss_cfg &= ~l4;
	else if (l4 && info->data == (NICVF_RXH_IP | NICVF_RXH_L4))
		nic->rss_cfg |= l4;
	else
		return -EINVAL;
	/* Down, open writes it */
	if (nic->queues)
		writeq(nic->rss_cfg, nic->regs + NIC_VNIC_RSS_CFG);
	return 0;
}

static u32 nicvf_get_rxfh_key_size(struct net_device *netdev)
{
	return NICVF_RSS_KEY_BYTES;
}

/* The PF's table size: asked for at the first call, if open has not */
static u32 nicvf_get_rxfh_indir_size(struct net_device *netdev)
{
	int size = nicvf_rss_size(netdev_priv(netdev));

	return size > 0 ? size : 0;
}

static int nicvf_get_rxfh(struct net_device *netdev,
			  struct ethtool_rxfh_param *rxfh)
{
	struct nicvf *nic = netdev_priv(netdev);
	int size, i;

	rxfh->hfunc = ETH_RSS_HASH_TOP;
	if (rxfh->key)
		memcpy(rxfh->key, nic->rss_key, sizeof(nic->rss_key));
	if (rxfh->indir) {
		size = nicvf_rss_size(nic);
		if (size < 0)
			return size;
		for (i = 0; i < size; i++)
			rxfh->indir[i] = nic->rss_indir[i];
	}
	return 0;
}

/*
 * A new table or key: kept for every open after, and at once to the VNIC
 * and the PF while up.  The core checked the table's entries against the
 * receive queues there are (ETHTOOL_GRXRINGS).
 */
static int nicvf_set_rxfh(struct net_device *netdev,
			  struct ethtool_rxfh_param *rxfh,
			  struct netlink_ext_ack *extack)
{
	struct nicvf *nic = netdev_priv(netdev);
	int size, i;

	if (rxfh->hfunc != ETH_RSS_HASH_NO_CHANGE &&
	    rxfh->hfunc != ETH_RSS_HASH_TOP) {
		NL_SET_ERR_MSG_MOD(extack, "the VNIC hashes by Toeplitz only");
		return -EOPNOTSUPP;
	}
	size = nicvf_rss_size(nic);
	if (size <= 0) {
		NL_SET_ERR_MSG_MOD(extack, "the PF gives this VF no RSS table");
		return size ? size : -EOPNOTSUPP;
	}
	if (rxfh->indir)
		for (i = 0; i < size; i++)
			nic->rss_indir[i] = rxfh->indir[i];
	if (rxfh->key)
		memcpy(nic->rss_key, rxfh->key, sizeof(nic->rss_key));
	if (!nic->queues)
		return 0;
	return nicvf_rss_write(nic);
}

/* What an SGMII LMAC autonegotiates, and so supports and advertises */
static const int nicvf_sgmii_modes[] = {
	ETHTOOL_LINK_MODE_Autoneg_BIT,
	ETHTOOL_LINK_MODE_10baseT_Half_BIT,
	ETHTOOL_LINK_MODE_10baseT_Full_BIT,
	ETHTOOL_LINK_MODE_100baseT_Half_BIT,
	ETHTOOL_LINK_MODE_100baseT_Full_BIT,
	ETHTOOL_LINK_MODE_1000baseT_Half_BIT,
	ETHTOOL_LINK_MODE_1000baseT_Full_BIT,
};

/*
 * What the LMAC is, as the PF reports it: SGMII is copper with
 * autonegotiation up to 1G; 10G is fibre but RXAUI (twisted pair); 40G
 * is fibre (CR4).  Nothing is known before the first link answer.
 */
static int nicvf_get_link_ksettings(struct net_device *netdev,
				    struct ethtool_link_ksettings *cmd)
{
	unsigned long *supported = cmd->link_modes.supported;
	struct nicvf *nic = netdev_priv(netdev);
	unsigned int i;

	cmd->base.port = PORT_OTHER;
	cmd->base.autoneg = AUTONEG_DISABLE;
	cmd->base.speed = SPEED_UNKNOWN;
	cmd->base.duplex = DUPLEX_UNKNOWN;
	if (!netif_carrier_ok(netdev))
		return 0;
	cmd->base.speed = nic->speed;
	cmd->base.duplex = nic->duplex;
	switch (nic->speed) {
	case SPEED_1000:
	case SPEED_100:
	case SPEED_10:
		cmd->base.port = PORT_MII;
		cmd->base.autoneg = AUTONEG_ENABLE;
		for (i = 0; i < ARRAY_SIZE(nicvf_sgmii_modes); i++) {
			linkmode_set_bit(nicvf_sgmii_modes[i], supported);
			linkmode_set_bit(nicvf_sgmii_modes[i],
					 cmd->link_modes.advertising);
		}
		linkmode_set_bit(ETHTOOL_LINK_MODE_MII_BIT, supported);
		linkmode_set_bit(ETHTOOL_LINK_MODE_TP_BIT, supported);
		break;
	case SPEED_10000:
		if (nic->mac_type == NICVF_MAC_RXAUI) {
			cmd->base.port = PORT_TP;
			linkmode_set_bit(ETHTOOL_LINK_MODE_TP_BIT, supported);
		} else {
			cmd->base.port = PORT_FIBRE;
			linkmode_set_bit(ETHTOOL_LINK_MODE_FIBRE_BIT, supported);
		}
		linkmode_set_bit(ETHTOOL_LINK_MODE_10000baseT_Full_BIT,
				 supported);
		break;
	case SPEED_40000:
		cmd->base.port = PORT_FIBRE;
		linkmode_set_bit(ETHTOOL_LINK_MODE_FIBRE_BIT, supported);
		linkmode_set_bit(ETHTOOL_LINK_MODE_40000baseCR4_Full_BIT,
				 supported);
		break;
	}
	return 0;
}

/*
 * ethtool -d: the VF's own registers and each queue's, whichever are in
 * use (reading them has no effect), a u64 each in the order below.
 */
static const u32 nicvf_regs_vf[] = {
	NIC_VNIC_CFG, NIC_VF_PF_MAILBOX_0_1, NIC_VF_PF_MAILBOX_0_1 + 8,
	NIC_VF_INT, NIC_VF_ENA_W1S, NIC_VNIC_RSS_CFG, NIC_QSET_RQ_GEN_CFG,
};

static const u32 nicvf_regs_q[] = {
	NIC_QSET_CQ_0_7_CFG, NIC_QSET_CQ_0_7_CFG2, NIC_QSET_CQ_0_7_THRESH,
	NIC_QSET_CQ_0_7_BASE, NIC_QSET_CQ_0_7_HEAD, NIC_QSET_CQ_0_7_TAIL,
	NIC_QSET_CQ_0_7_STATUS, NIC_QSET_CQ_0_7_STATUS2, NIC_QSET_CQ_0_7_DEBUG,
	NIC_QSET_RQ_0_7_CFG, NIC_QSET_RQ_0_7_STAT_0_1,
	NIC_QSET_RQ_0_7_STAT_0_1 + 8,
	NIC_QSET_SQ_0_7_CFG, NIC_QSET_SQ_0_7_THRESH, NIC_QSET_SQ_0_7_BASE,
	NIC_QSET_SQ_0_7_HEAD, NIC_QSET_SQ_0_7_TAIL, NIC_QSET_SQ_0_7_STATUS,
	NIC_QSET_SQ_0_7_DEBUG, NIC_QSET_SQ_0_7_STAT_0_1,
	NIC_QSET_SQ_0_7_STAT_0_1 + 8,
};

static const u32 nicvf_regs_rbdr[] = {
	NIC_QSET_RBDR_0_1_CFG, NIC_QSET_RBDR_0_1_THRESH, NIC_QSET_RBDR_0_1_BASE,
	NIC_QSET_RBDR_0_1_HEAD, NIC_QSET_RBDR_0_1_TAIL,
	NIC_QSET_RBDR_0_1_STATUS0, NIC_QSET_RBDR_0_1_STATUS1,
	NIC_QSET_RBDR_0_1_PREFETCH_STATUS,
};

#define NICVF_REGS_NR	(ARRAY_SIZE(nicvf_regs_vf) + \
			 NIC_VNIC_RX_STATS + NIC_VNIC_TX_STATS + \
			 NIC_RSS_KEY_WORDS + \
			 NICVF_MAX_QUEUES * ARRAY_SIZE(nicvf_regs_q) + \
			 NICVF_RBDRS * ARRAY_SIZE(nicvf_regs_rbdr))

static int nicvf_get_regs_len(struct net_device *netdev)
{
	return NICVF_REGS_NR * sizeof(u64);
}

static void nicvf_get_regs(struct net_device *netdev,
			   struct ethtool_regs *regs, void *p)
{
	struct nicvf *nic = netdev_priv(netdev);
	u64 *out = p;
	unsigned int i;
	int q;

	regs->version = 1;
	for (i = 0; i < ARRAY_SIZE(nicvf_regs_vf); i++)
		*out++ = readq(nic->regs + nicvf_regs_vf[i]);
	for (i = 0; i < NIC_RSS_KEY_WORDS; i++)
		*out++ = readq(nic->regs + NIC_VNIC_RSS_KEY_0_4 + 8 * i);
	for (i = 0; i < NIC_VNIC_TX_STATS; i++)
		*out++ = readq(nic->regs + NIC_VNIC_TX_STAT_0_4 + 8 * i);
	for (i = 0; i < NIC_VNIC_RX_STATS; i++)
		*out++ = readq(nic->regs + NIC_VNIC_RX_STAT_0_13 + 8 * i);
	for (q = 0; q < NICVF_MAX_QUEUES; q++)
		for (i = 0; i < ARRAY_SIZE(nicvf_regs_q); i++)
			*out++ = readq(nicvf_qreg(nic->regs, nicvf_regs_q[i], q));
	for (q = 0; q < NICVF_RBDRS; q++)
		for (i = 0; i < ARRAY_SIZE(nicvf_regs_rbdr); i++)
			*out++ = readq(nicvf_qreg(nic->regs, nicvf_regs_rbdr[i],
						  q));
}

/*
 * ethtool -c/-C: each CQ interrupts once rx-frames CQEs (received
 * packets and send completions alike) wait, or rx-usecs after the first.
 */
#define NICVF_COAL_USECS_MAX	\
	(FIELD_MAX(NIC_CQ_CFG2_TIMER) / NICVF_CQ_TICKS_PER_US)
#define NICVF_COAL_FRAMES_MAX	(NICVF_CQ_LEN_MIN - 1)

static int nicvf_get_coalesce(struct net_device *netdev,
			      struct ethtool_coalesce *ec,
			      struct kernel_ethtool_coalesce *kec,
			      struct netlink_ext_ack *extack)
{
	struct nicvf *nic = netdev_priv(netdev);

	ec->rx_coalesce_usecs = nic->cq_timer / NICVF_CQ_TICKS_PER_US;
	ec->rx_max_coalesced_frames = nic->cq_thresh;
	return 0;
}

static int nicvf_set_coalesce(struct net_device *netdev,
			      struct ethtool_coalesce *ec,
			      struct kernel_ethtool_coalesce *kec,
			      struct netlink_ext_ack *extack)
{
	struct nicvf *nic = netdev_priv(netdev);
	struct nicvf *set;
	int qs, q;

	/* The timer is what empties a quiet queue: never off */
	if (ec->rx_coalesce_usecs < 1 ||
	    ec->rx_coalesce_usecs > NICVF_COAL_USECS_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "rx-usecs must be 1 to 6");
		return -EINVAL;
	}
	if (ec->rx_max_coalesced_frames > NICVF_COAL_FRAMES_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "rx-frames must be 0 to 1023");
		return -EINVAL;
	}
	if (ec->rx_max_coalesced_frames && !nic->cqe_rx2) {
		NL_SET_ERR_MSG_MOD(extack,
				   "CN88xx pass 1 has no CQE count threshold: rx-frames must be 0");
		return -EINVAL;
	}
	nic->cq_timer = ec->rx_coalesce_usecs * NICVF_CQ_TICKS_PER_US;
	nic->cq_thresh = ec->rx_max_coalesced_frames;
	/* The running queues at once; the next open's from the settings */
	for (qs = 0; qs <= nic->sqs_count; qs++) {
		set = nicvf_qset(nic, qs);
		set->cq_timer = nic->cq_timer;
		set->cq_thresh = nic->cq_thresh;
		for (q = 0; q < set->queues; q++)
			nicvf_cq_coalesce(&set->cq[q], nic->cq_timer,
					  nic->cq_thresh);
	}
	return 0;
}

/* Pause frames are the SMU's: 10G and 40G LMACs, never autonegotiated */
static bool nicvf_pause_supported(const struct nicvf *nic)
{
	return nic->mac_type != NICVF_MAC_SGMII &&
	       nic->mac_type != NICVF_MAC_RGMII &&
	       nic->mac_type != NICVF_MAC_QSGMII;
}

/*
 * The LMAC's type comes with the link answers, which count while the
 * interface is up: before that there is nothing to ask about.  What the
 * PF last said is kept, so that a failed read does not make ethtool -A,
 * which reads first, change the other direction.
 */
static void nicvf_get_pauseparam(struct net_device *netdev,
				 struct ethtool_pauseparam *pause)
{
	struct nicvf *nic = netdev_priv(netdev);
	bool rx, tx;

	pause->autoneg = AUTONEG_DISABLE;
	if (!READ_ONCE(nic->if_up) || !nicvf_pause_supported(nic))
		return;
	if (!nicvf_mbx_pfc_get(nic, &rx, &tx)) {
		nic->pause_rx = rx;
		nic->pause_tx = tx;
	}
	pause->rx_pause = nic->pause_rx;
	pause->tx_pause = nic->pause_tx;
}

static int nicvf_set_pauseparam(struct net_device *netdev,
				struct ethtool_pauseparam *pause)
{
	struct nicvf *nic = netdev_priv(netdev);
	int err;

	if (!READ_ONCE(nic->if_up))
		return -ENETDOWN;
	if (!nicvf_pause_supported(nic) || pause->autoneg)
		return -EOPNOTSUPP;
	err = nicvf_mbx_pfc_set(nic, pause->rx_pause, pause->tx_pause);
	if (err)
		return err;
	nic->pause_rx = pause->rx_pause;
	nic->pause_tx = pause->tx_pause;
	return 0;
}

/* 6.1 hands get_rxfh and set_rxfh their arguments one by one */
NICVF_RXFH_OPS(nicvf_get_rxfh, nicvf_set_rxfh);

const struct ethtool_ops nicvf_ethtool_ops = {
	.supported_coalesce_params = ETHTOOL_COALESCE_RX_USECS |
				     ETHTOOL_COALESCE_RX_MAX_FRAMES,
	.get_regs_len		= nicvf_get_regs_len,
	.get_regs		= nicvf_get_regs,
	.get_coalesce		= nicvf_get_coalesce,
	.set_coalesce		= nicvf_set_coalesce,
	.get_drvinfo		= nicvf_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	/* Software transmit timestamps: xmit calls skb_tx_timestamp() */
	.get_ts_info		= ethtool_op_get_ts_info,
	.get_link_ksettings	= nicvf_get_link_ksettings,
	.get_ringparam		= nicvf_get_ringparam,
	.set_ringparam		= nicvf_set_ringparam,
	.get_pauseparam		= nicvf_get_pauseparam,
	.set_pauseparam		= nicvf_set_pauseparam,
	.get_channels		= nicvf_get_channels,
	.set_channels		= nicvf_set_channels,
	.get_msglevel		= nicvf_get_msglevel,
	.set_msglevel		= nicvf_set_msglevel,
	.get_rxnfc		= nicvf_get_rxnfc,
	.set_rxnfc		= nicvf_set_rxnfc,
	.get_rxfh_key_size	= nicvf_get_rxfh_key_size,
	.get_rxfh_indir_size	= nicvf_get_rxfh_indir_size,
	.get_rxfh		= NICVF_GET_RXFH(nicvf_get_rxfh),
	.set_rxfh		= NICVF_SET_RXFH(nicvf_set_rxfh),
	.get_strings		= nicvf_get_strings,
	.get_sset_count		= nicvf_get_sset_count,
	.get_ethtool_stats	= nicvf_get_ethtool_stats,
};
