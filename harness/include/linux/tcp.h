/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: the TCP header of an sk_buff, and its length. */
#ifndef _LINUX_TCP_H
#define _LINUX_TCP_H
#include <linux/skbuff.h>

/* The data offset, in 32-bit words, is the high nibble of byte 12 */
static inline unsigned int tcp_hdrlen(const struct sk_buff *skb)
{
	return (skb->head[skb->transport_header + 12] >> 4) * 4;
}

/* Every header up to the TCP payload: L2, L3 and TCP with its options */
static inline int skb_tcp_all_headers(const struct sk_buff *skb)
{
	return skb_transport_offset(skb) + (int)tcp_hdrlen(skb);
}
#endif
