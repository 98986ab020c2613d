/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim (mock/net.cc; eth_type_trans() in mock/skb.cc): Ethernet devices. */
#ifndef _LINUX_ETHERDEVICE_H
#define _LINUX_ETHERDEVICE_H
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#define ETH_ALEN 6
#define ETH_HLEN 14
#define ETH_P_8021Q 0x8100
#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD

enum {
	PACKET_HOST = 0,
	PACKET_BROADCAST = 1,
	PACKET_MULTICAST = 2,
	PACKET_OTHERHOST = 3,
};

static inline bool is_valid_ether_addr(const u8 *a)
{
	/* not multicast, not all zero */
	return !(a[0] & 1) && (a[0] | a[1] | a[2] | a[3] | a[4] | a[5]);
}

static inline void ether_addr_copy(u8 *dst, const u8 *src)
{
	memcpy(dst, src, ETH_ALEN);
}

#ifdef __cplusplus
extern "C" {
#endif
/* Copies @addr into storage the net_device owns (mock/net.cc) */
void eth_hw_addr_set(struct net_device *dev, const u8 *addr);
/* mock/skb.cc */
__be16 eth_type_trans(struct sk_buff *skb, struct net_device *dev);
void eth_hw_addr_random(struct net_device *dev);
int eth_validate_addr(struct net_device *dev);
#ifdef __cplusplus
}
#endif
#endif
