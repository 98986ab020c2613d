/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Harness shim (mock/skb.cc; skb_checksum_help() in mock/net.cc): sk_buff
 * with a head buffer, page fragments and the shared info at the end of the
 * head buffer, as the kernel lays it out; the mock tracks every sk_buff.
 */
#ifndef _LINUX_SKBUFF_H
#define _LINUX_SKBUFF_H
#include <asm/page.h>
#include <linux/atomic.h>
#include <linux/cache.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/types.h>

struct net_device;

#define MAX_SKB_FRAGS 17
#define NET_SKB_PAD 64
#define SKB_DATA_ALIGN(x) ALIGN((x), SMP_CACHE_BYTES)
#define SKB_TRUESIZE(x) ((x) + SKB_DATA_ALIGN(sizeof(struct sk_buff)) + \
			  SKB_DATA_ALIGN(sizeof(struct skb_shared_info)))

typedef struct skb_frag {
	struct page *page;
	unsigned int len;
	unsigned int offset;
} skb_frag_t;

struct sk_buff;

struct skb_shared_info {
	u8 flags;
	u8 meta_len;
	u8 nr_frags;
	u8 tx_flags;
	unsigned short gso_size;
	unsigned short gso_segs;
	struct sk_buff *frag_list;
	u64 hwtstamp;
	unsigned int gso_type;
	u32 tskey;
	atomic_t dataref;
	unsigned int xdp_frags_size;
	void *destructor_arg;
	skb_frag_t frags[MAX_SKB_FRAGS];
};

/* gso_type: what the stack asks the device (or itself) to segment */
enum {
	SKB_GSO_TCPV4 = 1 << 0,
	SKB_GSO_DODGY = 1 << 1,
	SKB_GSO_TCP_ECN = 1 << 2,
	SKB_GSO_TCP_FIXEDID = 1 << 3,
	SKB_GSO_TCPV6 = 1 << 4,
	SKB_GSO_UDP_L4 = 1 << 16,
};

enum {
	CHECKSUM_NONE = 0,
	CHECKSUM_UNNECESSARY = 1,
	CHECKSUM_COMPLETE = 2,
	CHECKSUM_PARTIAL = 3,
};

enum pkt_hash_types {
	PKT_HASH_TYPE_NONE,
	PKT_HASH_TYPE_L2,
	PKT_HASH_TYPE_L3,
	PKT_HASH_TYPE_L4,
};

struct sk_buff {
	struct sk_buff *next;
	struct net_device *dev;
	unsigned char *head;
	unsigned char *data;
	unsigned int len;
	unsigned int data_len;
	unsigned int truesize;
	unsigned int tail;		/* offsets from head */
	unsigned int end;
	u16 queue_mapping;
	u16 mac_header;
	__be16 protocol;
	u8 pkt_type;
	u8 pp_recycle;
	u8 ip_summed;
	u8 l4_hash;
	u8 sw_hash;
	u32 hash;
	__be16 vlan_proto;
	u16 vlan_tci;
	u8 vlan_present;
	u16 network_header;		/* offsets from head */
	u16 transport_header;
	u16 csum_start;			/* CHECKSUM_PARTIAL: from head */
	u16 csum_offset;		/* ... and where the result goes */
};

#ifdef __cplusplus
extern "C" {
#endif
void mock_skb_violation(const char *what);
#ifdef __cplusplus
}
#endif

static inline struct skb_shared_info *skb_shinfo(const struct sk_buff *skb)
{
	return (struct skb_shared_info *)(skb->head + skb->end);
}

/* tx_flags: the socket asked for a software transmit timestamp */
#define SKBTX_SW_TSTAMP	(1 << 1)

#ifdef __cplusplus
extern "C" {
#endif
void mock_skb_tx_timestamp(struct sk_buff *skb);
#ifdef __cplusplus
}
#endif

/* The stack takes the timestamp a socket asked for; the mock counts it */
static inline void skb_tx_timestamp(struct sk_buff *skb)
{
	if (skb_shinfo(skb)->tx_flags & SKBTX_SW_TSTAMP)
		mock_skb_tx_timestamp(skb);
}

static inline bool skb_is_gso(const struct sk_buff *skb)
{
	return skb_shinfo(skb)->gso_size;
}

static inline unsigned int skb_headlen(const struct sk_buff *skb)
{
	return skb->len - skb->data_len;
}

static inline unsigned char *skb_tail_pointer(const struct sk_buff *skb)
{
	return skb->head + skb->tail;
}

static inline void skb_reserve(struct sk_buff *skb, int len)
{
	skb->data += len;
	skb->tail += len;
}

static inline void *__skb_put(struct sk_buff *skb, unsigned int len)
{
	void *tmp = skb_tail_pointer(skb);

	if (skb->tail + len > skb->end)
		mock_skb_violation("skb_put beyond the end of the head buffer");
	skb->tail += len;
	skb->len += len;
	return tmp;
}

static inline void *__skb_pull(struct sk_buff *skb, unsigned int len)
{
	skb->len -= len;
	return skb->data += len;
}

static inline unsigned char *skb_mac_header(const struct sk_buff *skb)
{
	return skb->head + skb->mac_header;
}

static inline void skb_reset_mac_header(struct sk_buff *skb)
{
	skb->mac_header = (u16)(skb->data - skb->head);
}

static inline void skb_add_rx_frag(struct sk_buff *skb, int i,
				   struct page *page, int off, int size,
				   unsigned int truesize)
{
	skb_frag_t *frag;

	if (i < 0 || i >= MAX_SKB_FRAGS) {
		mock_skb_violation("skb_add_rx_frag beyond MAX_SKB_FRAGS");
		return;
	}
	if (off < 0 || size < 0 || (unsigned long)off + size > PAGE_SIZE)
		mock_skb_violation("skb_add_rx_frag outside its page");
	frag = &skb_shinfo(skb)->frags[i];
	frag->page = page;
	frag->offset = off;
	frag->len = size;
	skb_shinfo(skb)->nr_frags = i + 1;
	skb->len += size;
	skb->data_len += size;
	skb->truesize += truesize;
}

static inline void skb_mark_for_recycle(struct sk_buff *skb)
{
	skb->pp_recycle = 1;
}

static inline void skb_record_rx_queue(struct sk_buff *skb, u16 rx_queue)
{
	skb->queue_mapping = rx_queue + 1;
}

static inline u16 skb_get_rx_queue(const struct sk_buff *skb)
{
	return skb->queue_mapping - 1;
}

static inline u16 skb_get_queue_mapping(const struct sk_buff *skb)
{
	return skb->queue_mapping;
}

static inline int skb_network_offset(const struct sk_buff *skb)
{
	return (int)(skb->head + skb->network_header - skb->data);
}

/* As the kernel's, a transport header must have been set to be used */
#define SKB_HEADER_UNSET 0xffff

static inline int skb_transport_offset(const struct sk_buff *skb)
{
	if (skb->transport_header == SKB_HEADER_UNSET)
		mock_skb_violation("transport header used but never set");
	return (int)(skb->head + skb->transport_header - skb->data);
}

static inline void skb_set_hash(struct sk_buff *skb, u32 hash,
				enum pkt_hash_types type)
{
	skb->hash = hash;
	skb->l4_hash = type == PKT_HASH_TYPE_L4;
}

static inline struct page *skb_frag_page(const skb_frag_t *frag)
{
	return frag->page;
}

static inline unsigned int skb_frag_size(const skb_frag_t *frag)
{
	return frag->len;
}

static inline unsigned int skb_frag_off(const skb_frag_t *frag)
{
	return frag->offset;
}

#ifdef __cplusplus
extern "C" {
#endif
struct sk_buff *build_skb(void *data, unsigned int frag_size);
void kfree_skb(struct sk_buff *skb);
int skb_checksum_help(struct sk_buff *skb);
#ifdef __cplusplus
}
#endif

/* No per-CPU cache of sk_buffs here: the same allocation */
static inline struct sk_buff *napi_build_skb(void *data,
					     unsigned int frag_size)
{
	return build_skb(data, frag_size);
}

/*
 * Freeing, consumed or dropped, is the same here: the kernel's differ in
 * what they trace and in the caches they free into.
 */
static inline void consume_skb(struct sk_buff *skb)
{
	kfree_skb(skb);
}

static inline void dev_kfree_skb_any(struct sk_buff *skb)
{
	kfree_skb(skb);
}

static inline void napi_consume_skb(struct sk_buff *skb, int budget)
{
	(void)budget;
	kfree_skb(skb);
}

#define skb_frag_dma_map(dev, frag, off, size, dir)			\
	dma_map_page((dev), (frag)->page, (frag)->offset + (off), (size), (dir))
#endif
