/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: the IPv4 header of an sk_buff. */
#ifndef _LINUX_IP_H
#define _LINUX_IP_H
#include <linux/skbuff.h>

#define IPPROTO_TCP 6
#define IPPROTO_UDP 17

struct iphdr {
	u8 version_ihl;
	u8 tos;
	__be16 tot_len;
	__be16 id;
	__be16 frag_off;
	u8 ttl;
	u8 protocol;
	u16 check;
	u32 saddr;
	u32 daddr;
};

static inline struct iphdr *ip_hdr(const struct sk_buff *skb)
{
	return (struct iphdr *)(skb->head + skb->network_header);
}
#endif
