/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: the 802.1Q tag of an sk_buff. */
#ifndef _LINUX_IF_VLAN_H
#define _LINUX_IF_VLAN_H
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#define VLAN_HLEN 4

/* A tag the stack holds beside the data (hardware acceleration's) */
static inline bool skb_vlan_tag_present(const struct sk_buff *skb)
{
	return skb->vlan_present;
}

static inline void __vlan_hwaccel_put_tag(struct sk_buff *skb,
					  __be16 vlan_proto, u16 vlan_tci)
{
	skb->vlan_proto = vlan_proto;
	skb->vlan_tci = vlan_tci;
	skb->vlan_present = 1;
}

/* The protocol past any in-band 802.1Q tag */
static inline __be16 vlan_get_protocol(const struct sk_buff *skb)
{
	__be16 proto = skb->protocol;

	if (proto == htons(ETH_P_8021Q) &&
	    skb->len >= (unsigned int)skb->mac_header - (skb->data - skb->head) + 18)
		memcpy(&proto, skb->head + skb->mac_header + 16, sizeof(proto));
	return proto;
}

/*
 * The rule the core applies to every driver: a packet with two in-band
 * tags keeps no offload but scatter-gather (the kernel's keeps a few more
 * this harness has no flags for)
 */
static inline netdev_features_t vlan_features_check(struct sk_buff *skb,
						    netdev_features_t features)
{
	const u8 *mac = skb->head + skb->mac_header;
	__be16 inner = skb->protocol;

	/* skb_vlan_tagged_multi(): a held tag over an in-band one, or two */
	if (!skb_vlan_tag_present(skb)) {
		if (skb->protocol != htons(ETH_P_8021Q) || skb_headlen(skb) < 18)
			return features;
		memcpy(&inner, mac + 16, sizeof(inner));
	}
	if (inner == htons(ETH_P_8021Q))
		features &= NETIF_F_SG;
	return features;
}
#endif
