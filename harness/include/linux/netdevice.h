/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim: net_device and NAPI; delivery is captured by mock/net.cc. */
#ifndef _LINUX_NETDEVICE_H
#define _LINUX_NETDEVICE_H
#include <linux/device.h>
#include <linux/skbuff.h>
#include <linux/types.h>

#define IFNAMSIZ 16
#define MAX_ADDR_LEN 32

struct net_device {
	char name[IFNAMSIZ];
	const unsigned char *dev_addr;
	unsigned char broadcast[MAX_ADDR_LEN];
	unsigned int mtu;
	struct device *dev_parent;
	bool carrier;
	unsigned int num_tx_queues, num_rx_queues;
	unsigned char perm_addr[MAX_ADDR_LEN];
	unsigned char addr_assign_type;
	void *priv;
};

#define NET_ADDR_PERM 0
#define NET_ADDR_RANDOM 1
#define SET_NETDEV_DEV(net, pdev) ((net)->dev_parent = (pdev))

#ifdef __cplusplus
extern "C" {
#endif
struct net_device *alloc_etherdev_mqs(int sizeof_priv, unsigned int txqs,
				      unsigned int rxqs);
void free_netdev(struct net_device *dev);
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

struct napi_struct {
	struct net_device *dev;
	int weight;
	int index;
};

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
gro_result_t mock_napi_gro_receive(struct napi_struct *napi,
				   struct sk_buff *skb);
#ifdef __cplusplus
}
#endif

#define napi_gro_receive(napi, skb) mock_napi_gro_receive((napi), (skb))
#endif
