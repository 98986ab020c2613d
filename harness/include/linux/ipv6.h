/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: the IPv6 header of an sk_buff. */
#ifndef _LINUX_IPV6_H
#define _LINUX_IPV6_H
#include <linux/skbuff.h>

struct ipv6hdr {
	u8 priority_version;
	u8 flow_lbl[3];
	__be16 payload_len;
	u8 nexthdr;
	u8 hop_limit;
	u8 saddr[16];
	u8 daddr[16];
};

static inline struct ipv6hdr *ipv6_hdr(const struct sk_buff *skb)
{
	return (struct ipv6hdr *)(skb->head + skb->network_header);
}
#endif
