// SPDX-License-Identifier: GPL-2.0-only
/*
 * ThunderX VNIC virtual function driver: the counters, and ethtool.
 *
 * The device keeps what its queues counted before they were last torn
 * down, so counters survive close, open and reset.
 */

#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/spinlock.h>

#include "nicvf_compat.h"
#include "nicvf.h"

/* --- The counters --------------------------------------------------------- */

static void nicvf_qstats_read(struct nicvf *nic, int q,
			      struct nicvf_qstats *out)
{
	struct nicvf_rx_stats rx;
	struct nicvf_tx_stats tx;
	u64 drops[NICVF_TX_DROP_NR];
	int i;

	spin_lock_bh(&nic->stats_lock);
	*out = nic->base[q];
	if (nic->stats_live && q < nic->queues) {
		nicvf_cq_rx_stats(&nic->cq[q], &rx);
		nicvf_cq_tx_stats(&nic->cq[q], &tx);
		nicvf_sq_drops(&nic->sq[q], drops);
		out->rx_packets += rx.packets;
		out->rx_bytes += rx.bytes;
		for (i = 0; i < NICVF_RX_DROP_NR; i++)
			out->rx_drops[i] += rx.drops[i];
		out->tx_packets += tx.packets;
		out->tx_bytes += tx.bytes;
		out->tx_errors += tx.errors;
		out->tx_bogus += tx.bogus;
		for (i = 0; i < NICVF_TX_DROP_NR; i++)
			out->tx_drops[i] += drops[i];
	}
	spin_unlock_bh(&nic->stats_lock);
}

static void nicvf_rbdr_stats_read(struct nicvf *nic,
				  struct nicvf_rbdr_stats *out)
{
	spin_lock_bh(&nic->stats_lock);
	*out = nic->rbdr_base;
	if (nic->stats_live) {
		out->alloc_fail += READ_ONCE(nic->rbdr.alloc_fail);
		out->post_fail += READ_ONCE(nic->rbdr.post_fail);
		out->unresolved += atomic_long_read(&nic->rbdr.rx_unresolved);
	}
	spin_unlock_bh(&nic->stats_lock);
}

/*
 * The queues are stopped and going away: keep what they counted.  Readers
 * see either the old totals with the live counters or the new ones
 * without, never both.
 */
void nicvf_stats_save(struct nicvf *nic)
{
	struct nicvf_qstats q[NICVF_MAX_QUEUES];
	struct nicvf_rbdr_stats rb;
	int i;

	for (i = 0; i < NICVF_MAX_QUEUES; i++)
		nicvf_qstats_read(nic, i, &q[i]);
	nicvf_rbdr_stats_read(nic, &rb);
	spin_lock_bh(&nic->stats_lock);
	memcpy(nic->base, q, sizeof(q));
	nic->rbdr_base = rb;
	nic->stats_live = false;
	nic->queues = 0;
	/* Counted in the totals now; an RBDR that fails to come up counts anew */
	nic->rbdr.alloc_fail = 0;
	nic->rbdr.post_fail = 0;
	spin_unlock_bh(&nic->stats_lock);
}

/* Every queue's counters into @q (may be NULL), and their sum into @sum */
static void nicvf_qstats_total(struct nicvf *nic, struct nicvf_qstats *q,
			       struct nicvf_qstats *sum)
{
	struct nicvf_qstats one;
	int i, d;

	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < NICVF_MAX_QUEUES; i++) {
		nicvf_qstats_read(nic, i, &one);
		if (q)
			q[i] = one;
		sum->rx_packets += one.rx_packets;
		sum->rx_bytes += one.rx_bytes;
		sum->tx_packets += one.tx_packets;
		sum->tx_bytes += one.tx_bytes;
		sum->tx_errors += one.tx_errors;
		sum->tx_bogus += one.tx_bogus;
		for (d = 0; d < NICVF_RX_DROP_NR; d++)
			sum->rx_drops[d] += one.rx_drops[d];
		for (d = 0; d < NICVF_TX_DROP_NR; d++)
			sum->tx_drops[d] += one.tx_drops[d];
	}
}

void nicvf_get_stats64(struct net_device *netdev,
		       struct rtnl_link_stats64 *st)
{
	struct nicvf_qstats sum;
	int d;

	nicvf_qstats_total(netdev_priv(netdev), NULL, &sum);
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

static const char * const nicvf_stat_names[] = {
	"rx_packets", "rx_bytes", "tx_packets", "tx_bytes", "tx_errors",
	"tx_cqe_bogus", "rx_unresolved", "rbdr_alloc_fail", "rbdr_post_fail",
	"rbdr_refill_retries", "qs_errors", "tx_timeouts", "mbx_unsolicited",
	"mbx_timeouts", "mbx_nacks",
};

static const char * const nicvf_queue_stat_names[] = {
	"rxq%d_packets", "rxq%d_bytes", "txq%d_packets", "txq%d_bytes",
};

#define NICVF_NSTATS	(ARRAY_SIZE(nicvf_stat_names) + NICVF_RX_DROP_NR - 1 + \
			 NICVF_TX_DROP_NR)

static int nicvf_get_sset_count(struct net_device *netdev, int sset)
{
	struct nicvf *nic = netdev_priv(netdev);

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return NICVF_NSTATS +
	       nic->queues_cfg * ARRAY_SIZE(nicvf_queue_stat_names);
}

static void nicvf_get_strings(struct net_device *netdev, u32 sset, u8 *data)
{
	struct nicvf *nic = netdev_priv(netdev);
	unsigned int i;
	int q;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < ARRAY_SIZE(nicvf_stat_names); i++)
		ethtool_puts(&data, nicvf_stat_names[i]);
	for (i = 1; i < NICVF_RX_DROP_NR; i++)
		ethtool_puts(&data, nicvf_rx_drop_names[i]);
	for (i = 0; i < NICVF_TX_DROP_NR; i++)
		ethtool_puts(&data, nicvf_tx_drop_names[i]);
	for (q = 0; q < nic->queues_cfg; q++)
		for (i = 0; i < ARRAY_SIZE(nicvf_queue_stat_names); i++)
			ethtool_sprintf(&data, nicvf_queue_stat_names[i], q);
}

static void nicvf_get_ethtool_stats(struct net_device *netdev,
				    struct ethtool_stats *stats, u64 *data)
{
	struct nicvf *nic = netdev_priv(netdev);
	struct nicvf_qstats q[NICVF_MAX_QUEUES], sum;
	struct nicvf_rbdr_stats rb;
	int i, d;

	nicvf_qstats_total(nic, q, &sum);
	nicvf_rbdr_stats_read(nic, &rb);

	*data++ = sum.rx_packets;
	*data++ = sum.rx_bytes;
	*data++ = sum.tx_packets;
	*data++ = sum.tx_bytes;
	*data++ = sum.tx_errors;
	*data++ = sum.tx_bogus;
	*data++ = rb.unresolved;
	*data++ = rb.alloc_fail;
	*data++ = rb.post_fail;
	*data++ = READ_ONCE(nic->refill_retries);
	*data++ = READ_ONCE(nic->qs_errors);
	*data++ = READ_ONCE(nic->tx_timeouts);
	*data++ = READ_ONCE(nic->mbx_unsolicited);
	*data++ = READ_ONCE(nic->mbx_timeouts);
	*data++ = READ_ONCE(nic->mbx_nacks);
	for (d = 1; d < NICVF_RX_DROP_NR; d++)
		*data++ = sum.rx_drops[d];
	for (d = 0; d < NICVF_TX_DROP_NR; d++)
		*data++ = sum.tx_drops[d];
	for (i = 0; i < nic->queues_cfg; i++) {
		*data++ = q[i].rx_packets;
		*data++ = q[i].rx_bytes;
		*data++ = q[i].tx_packets;
		*data++ = q[i].tx_bytes;
	}
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
	ring->tx_max_pending = NICVF_SQ_LEN_MAX - 1;
	ring->tx_pending = nic->sq_len - 1;
}

static void nicvf_get_channels(struct net_device *netdev,
			       struct ethtool_channels *ch)
{
	struct nicvf *nic = netdev_priv(netdev);

	ch->max_combined = NICVF_MAX_QUEUES;
	ch->combined_count = nic->queues_cfg;
}

static int nicvf_get_link_ksettings(struct net_device *netdev,
				    struct ethtool_link_ksettings *cmd)
{
	struct nicvf *nic = netdev_priv(netdev);

	if (netif_carrier_ok(netdev)) {
		cmd->base.speed = nic->speed;
		cmd->base.duplex = nic->duplex;
	} else {
		cmd->base.speed = SPEED_UNKNOWN;
		cmd->base.duplex = DUPLEX_UNKNOWN;
	}
	cmd->base.port = PORT_OTHER;
	cmd->base.autoneg = AUTONEG_DISABLE;
	return 0;
}

const struct ethtool_ops nicvf_ethtool_ops = {
	.get_drvinfo		= nicvf_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= nicvf_get_link_ksettings,
	.get_ringparam		= nicvf_get_ringparam,
	.get_channels		= nicvf_get_channels,
	.get_strings		= nicvf_get_strings,
	.get_sset_count		= nicvf_get_sset_count,
	.get_ethtool_stats	= nicvf_get_ethtool_stats,
};
