/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _LINUX_ETHERDEVICE_H
#define _LINUX_ETHERDEVICE_H
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#define ETH_ALEN 6
#define ETH_HLEN 14
#define ETH_P_8021Q 0x8100

enum {
	PACKET_HOST = 0,
	PACKET_BROADCAST = 1,
	PACKET_MULTICAST = 2,
	PACKET_OTHERHOST = 3,
};

#ifdef __cplusplus
extern "C" {
#endif
__be16 mock_eth_type_trans(struct sk_buff *skb, struct net_device *dev);
#ifdef __cplusplus
}
#endif

#define eth_type_trans(skb, dev) mock_eth_type_trans((skb), (dev))
#endif
