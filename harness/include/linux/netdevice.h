/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Harness shim (mock/net.cc; napi_gro_receive() in mock/skb.cc): net_device,
 * its transmit queues with BQL accounting, NAPI, and the core calls a
 * driver makes.  The mock is the networking core's side: open, close,
 * transmit, the softirq that polls NAPI.
 */
#ifndef _LINUX_NETDEVICE_H
#define _LINUX_NETDEVICE_H
#include <sys/socket.h>

#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/ethtool.h>
#include <linux/skbuff.h>
#include <linux/types.h>

#define IFNAMSIZ 16
#define MAX_ADDR_LEN 32

typedef u64 netdev_features_t;
#define NETIF_F_SG		BIT_ULL(0)
#define NETIF_F_IP_CSUM		BIT_ULL(1)
#define NETIF_F_IPV6_CSUM	BIT_ULL(2)
#define NETIF_F_RXCSUM		BIT_ULL(3)
#define NETIF_F_RXHASH		BIT_ULL(4)
#define NETIF_F_HW_VLAN_CTAG_RX	BIT_ULL(5)
#define NETIF_F_LOOPBACK	BIT_ULL(6)
#define NETIF_F_TSO		BIT_ULL(7)
#define NETIF_F_TSO6		BIT_ULL(8)
/* Every segmentation offload (the kernel's has more) */
#define NETIF_F_GSO_MASK	(NETIF_F_TSO | NETIF_F_TSO6)

typedef enum netdev_tx {
	NETDEV_TX_OK = 0x00,
	NETDEV_TX_BUSY = 0x10,
} netdev_tx_t;

struct net_device;

/* A transmit queue: stopped by the driver, and bytes in flight for BQL */
struct napi_struct;

struct netdev_queue {
	struct net_device *dev;
	struct napi_struct *napi;	/* netif_queue_set_napi() */
	bool stopped;
	unsigned long long bql_inflight;
	unsigned long long wakes;
};

struct rtnl_link_stats64 {
	u64 rx_packets;
	u64 tx_packets;
	u64 rx_bytes;
	u64 tx_bytes;
	u64 rx_errors;
	u64 tx_errors;
	u64 rx_dropped;
	u64 tx_dropped;
	u64 multicast;
	u64 rx_crc_errors;
	u64 rx_frame_errors;
	u64 rx_missed_errors;
};

struct net_device_ops {
	int (*ndo_open)(struct net_device *dev);
	int (*ndo_stop)(struct net_device *dev);
	netdev_tx_t (*ndo_start_xmit)(struct sk_buff *skb,
				      struct net_device *dev);
	void (*ndo_get_stats64)(struct net_device *dev,
				struct rtnl_link_stats64 *stats);
	int (*ndo_change_mtu)(struct net_device *dev, int new_mtu);
	int (*ndo_set_mac_address)(struct net_device *dev, void *addr);
	int (*ndo_validate_addr)(struct net_device *dev);
	int (*ndo_set_features)(struct net_device *dev,
				netdev_features_t features);
	void (*ndo_tx_timeout)(struct net_device *dev, unsigned int txqueue);
	netdev_features_t (*ndo_features_check)(struct sk_buff *skb,
						struct net_device *dev,
						netdev_features_t features);
	void (*ndo_set_rx_mode)(struct net_device *dev);
};

/* dev->flags and dev->priv_flags the driver reads or sets */
#define IFF_BROADCAST		0x2
#define IFF_PROMISC		0x100
#define IFF_ALLMULTI		0x200
#define IFF_MULTICAST		0x1000
#define IFF_UNICAST_FLT		(1u << 15)
#define IFF_RXFH_CONFIGURED	(1u << 19)

#define netif_is_rxfh_configured(dev) \
	(!!((dev)->priv_flags & IFF_RXFH_CONFIGURED))

/* What a driver's msg_enable may ask to log, as the kernel's */
enum {
	NETIF_MSG_DRV		= 0x0001,
	NETIF_MSG_PROBE		= 0x0002,
	NETIF_MSG_LINK		= 0x0004,
	NETIF_MSG_TIMER		= 0x0008,
	NETIF_MSG_IFDOWN	= 0x0010,
	NETIF_MSG_IFUP		= 0x0020,
	NETIF_MSG_RX_ERR	= 0x0040,
	NETIF_MSG_TX_ERR	= 0x0080,
};

#define netif_msg_link(p)	((p)->msg_enable & NETIF_MSG_LINK)
#define netif_msg_rx_err(p)	((p)->msg_enable & NETIF_MSG_RX_ERR)
#define netif_msg_tx_err(p)	((p)->msg_enable & NETIF_MSG_TX_ERR)

/*
 * The unicast and multicast address lists: an array here (the kernel's is
 * a list), filled by mock::SetRxMode() and walked by the same macros.
 */
struct netdev_hw_addr {
	unsigned char addr[MAX_ADDR_LEN];
};

struct netdev_hw_addr_list {
	struct netdev_hw_addr *addrs;
	int count;
};

#define netdev_hw_addr_list_count(l) ((l)->count)
#define netdev_uc_count(dev) netdev_hw_addr_list_count(&(dev)->uc)
#define netdev_mc_count(dev) netdev_hw_addr_list_count(&(dev)->mc)
#define netdev_hw_addr_list_for_each(ha, l) \
	for ((ha) = (l)->addrs; (ha) < (l)->addrs + (l)->count; (ha)++)
#define netdev_for_each_uc_addr(ha, dev) \
	netdev_hw_addr_list_for_each(ha, &(dev)->uc)
#define netdev_for_each_mc_addr(ha, dev) \
	netdev_hw_addr_list_for_each(ha, &(dev)->mc)

/* The most queues of either kind the mock keeps per-queue state for */
#define MOCK_NETDEV_QUEUES 128

struct net_device {
	char name[IFNAMSIZ];
	const unsigned char *dev_addr;
	unsigned char broadcast[MAX_ADDR_LEN];
	unsigned int mtu;
	unsigned int min_mtu;
	unsigned int max_mtu;
	struct device *dev_parent;
	bool carrier;
	unsigned int num_tx_queues, num_rx_queues;
	unsigned int real_num_tx_queues, real_num_rx_queues;
	struct netdev_queue *tx;
	unsigned char perm_addr[MAX_ADDR_LEN];
	unsigned char addr_assign_type;
	const struct net_device_ops *netdev_ops;
	const struct ethtool_ops *ethtool_ops;
	netdev_features_t features, hw_features, vlan_features;
	int watchdog_timeo;
	bool registered;
	bool running;			/* __LINK_STATE_START */
	unsigned int flags, priv_flags;
	int xps_cpu[MOCK_NETDEV_QUEUES];	/* mock: each queue's XPS CPU, or 0 */
	struct napi_struct *rx_napi[MOCK_NETDEV_QUEUES];	/* netif_queue_set_napi() */
	struct netdev_hw_addr_list uc, mc;
	void *priv;
};

#define NET_ADDR_PERM 0
#define NET_ADDR_RANDOM 1
#define SET_NETDEV_DEV(net, pdev) ((net)->dev_parent = (pdev))

#define netdev_err(nd, ...) dev_err((nd)->dev_parent, __VA_ARGS__)
#define netdev_warn(nd, ...) dev_warn((nd)->dev_parent, __VA_ARGS__)
#define netdev_info(nd, ...) dev_info((nd)->dev_parent, __VA_ARGS__)


#ifdef __cplusplus
extern "C" {
#endif
struct net_device *alloc_etherdev_mqs(int sizeof_priv, unsigned int txqs,
				      unsigned int rxqs);
void free_netdev(struct net_device *dev);
int register_netdev(struct net_device *dev);
void unregister_netdev(struct net_device *dev);
int netif_set_real_num_tx_queues(struct net_device *dev, unsigned int n);
int netif_set_real_num_rx_queues(struct net_device *dev, unsigned int n);
void netdev_rss_key_fill(void *buffer, size_t len);
/* True while mock::Xmit() sends all but the last packet of a batch */
bool netdev_xmit_more(void);
void netdev_tx_completed_queue(struct netdev_queue *q, unsigned int pkts,
			       unsigned int bytes);
/* The netdev netlink family's queue -> NAPI links: under the RTNL */
enum netdev_queue_type {
	NETDEV_QUEUE_TYPE_RX,
	NETDEV_QUEUE_TYPE_TX,
};
void netif_queue_set_napi(struct net_device *dev, unsigned int queue_index,
			  enum netdev_queue_type type, struct napi_struct *napi);
/* XPS: the CPUs that send on transmit queue @index (mock::XpsCpu()) */
int netif_set_xps_queue(struct net_device *dev, const struct cpumask *mask,
			u16 index);
/* The address lists' lock: a spinlock, so nothing may sleep under it */
void netif_addr_lock_bh(struct net_device *dev);
void netif_addr_unlock_bh(struct net_device *dev);
/* might_sleep(): a violation under a spinlock the mock tracks */
void mock_might_sleep(const char *what);
#ifdef __cplusplus
}
#endif

static inline void *netdev_priv(const struct net_device *dev)
{
	return dev->priv;
}

static inline void netif_carrier_on(struct net_device *dev)
{
	dev->carrier = true;
}

static inline void netif_carrier_off(struct net_device *dev)
{
	dev->carrier = false;
}

static inline bool netif_carrier_ok(const struct net_device *dev)
{
	return dev->carrier;
}

static inline bool netif_running(const struct net_device *dev)
{
	return dev->running;
}

static inline struct netdev_queue *netdev_get_tx_queue(const struct net_device *dev,
							unsigned int i)
{
	return &dev->tx[i];
}

static inline void netif_tx_stop_queue(struct netdev_queue *q)
{
	q->stopped = true;
}

static inline void netif_tx_start_queue(struct netdev_queue *q)
{
	q->stopped = false;
}

static inline void netif_tx_wake_queue(struct netdev_queue *q)
{
	q->stopped = false;
	q->wakes++;
}

static inline bool netif_tx_queue_stopped(const struct netdev_queue *q)
{
	return q->stopped;
}

static inline void netif_tx_disable(struct net_device *dev)
{
	unsigned int i;

	for (i = 0; i < dev->num_tx_queues; i++)
		dev->tx[i].stopped = true;
}

static inline void netif_tx_start_all_queues(struct net_device *dev)
{
	unsigned int i;

	for (i = 0; i < dev->num_tx_queues; i++)
		dev->tx[i].stopped = false;
}

static inline void netif_tx_stop_all_queues(struct net_device *dev)
{
	netif_tx_disable(dev);
}

/* BQL: bytes handed to the device and not yet completed */
static inline void netdev_tx_sent_queue(struct netdev_queue *q,
					unsigned int bytes)
{
	q->bql_inflight += bytes;
}

static inline bool __netdev_tx_sent_queue(struct netdev_queue *q,
					  unsigned int bytes, bool xmit_more)
{
	netdev_tx_sent_queue(q, bytes);
	return xmit_more ? q->stopped : true;
}

static inline void netdev_tx_reset_queue(struct netdev_queue *q)
{
	q->bql_inflight = 0;
}

/* NAPI: scheduling marks a context; mock::RunNapi() polls, as the softirq */
struct napi_struct {
	struct net_device *dev;
	int weight;
	int index;
	int (*poll)(struct napi_struct *napi, int budget);
	bool added, enabled, sched, missed, completed;
	int irq;			/* netif_napi_set_irq() */
};

static inline void netif_napi_set_irq(struct napi_struct *napi, int irq)
{
	napi->irq = irq;
}

typedef enum gro_result {
	GRO_MERGED,
	GRO_MERGED_FREE,
	GRO_HELD,
	GRO_NORMAL,
	GRO_CONSUMED,
} gro_result_t;

#define NAPI_POLL_WEIGHT 64

#ifdef __cplusplus
extern "C" {
#endif
/* mock/skb.cc: delivered sk_buffs are kept for the test */
gro_result_t napi_gro_receive(struct napi_struct *napi, struct sk_buff *skb);
void netif_napi_add(struct net_device *dev, struct napi_struct *napi,
		    int (*poll)(struct napi_struct *, int));
void netif_napi_del(struct napi_struct *napi);
/* Without the grace period: call synchronize_net() once after a batch */
void __netif_napi_del(struct napi_struct *napi);
static inline void synchronize_net(void)
{
}
void napi_enable(struct napi_struct *napi);
void napi_disable(struct napi_struct *napi);
bool napi_schedule_prep(struct napi_struct *napi);
void __napi_schedule(struct napi_struct *napi);
bool napi_complete_done(struct napi_struct *napi, int work_done);
#ifdef __cplusplus
}
#endif

static inline void napi_schedule(struct napi_struct *napi)
{
	if (napi_schedule_prep(napi))
		__napi_schedule(napi);
}

#endif
