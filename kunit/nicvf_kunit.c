// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the nicvf receive path in a real kernel: real page_pool,
 * sk_buffs, DMA API and IOMMU (qemu's SMMUv3), arm64 with 64K pages.
 *
 * nicvf_kunit_dev.ko binds qemu's pci-testdev, which sits behind the SMMU,
 * so the device has the IOMMU domain the boot mode gives it.  The driver's
 * RBDR and CQ are set up for that device; a register file in memory stands
 * in for BAR0.  The test plays the hardware: it takes the addresses the
 * driver posted in the RBDR, writes packet bytes where the device's DMA
 * would land (through the SMMU's translation of each address), writes
 * CQE_RX entries, and lets the driver's receive function run from NAPI.
 * Received sk_buffs are caught by a packet handler on the test's
 * net_device.  For the send path the test reads the send queue as the
 * device would, fetching every gather buffer through the SMMU, and answers
 * with CQE_SENDs.
 *
 * The guest is booted in one of three modes, passed to nicvf_kunit_dev.ko
 * as mode=:
 *   translate  default translating (DMA) domain
 *   identity   iommu.passthrough=1
 *   bounce     iommu.passthrough=1 swiotlb=force: streaming DMA goes
 *              through bounce buffers, so the address the device writes to
 *              is not the page the driver posted, and the driver drops and
 *              counts every packet without touching the bounce buffers
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/iommu.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/skbuff.h>
#include <linux/swiotlb.h>
#include <linux/tcp.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>
#include <net/ipv6.h>
#include <net/sch_generic.h>

#include "nic_reg.h"
#include "nicvf_compat.h"
#include "nicvf_queues.h"
#include "nicvf_sq.h"
/*
 * The descriptors as the hardware writes and reads them, spelled out
 * independently of the driver's header so that a wrong field there shows
 * up as a failure; the harness's device model shares them.
 */
#include "vnic_hw.h"
#include "nicvf_kunit_dev.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* 6.1's KUnit compares memory only by hand */
#ifndef KUNIT_EXPECT_MEMEQ
#define KUNIT_EXPECT_MEMEQ(test, left, right, size) \
	KUNIT_EXPECT_EQ(test, memcmp(left, right, size), 0)
#endif

/* How the guest was booted (nicvf_kunit_dev.ko's mode=), from suite init */
static const char *mode = "translate";

#define NK_RBDR_LEN		8192
#define NK_CQ_LEN		1024
#define NK_CQS			2
#define NK_REGS_SIZE		(NK_CQS * NIC_QUEUE_STRIDE)
#define NK_ETH_P		ETH_P_802_EX1
#define NK_POLL_TIMEOUT		(30 * HZ)

static struct pci_dev *nk_pdev;

/* A completion queue, its NAPI context and the hardware's view of it */
struct nk_q {
	struct nk_ctx *ctx;
	int qidx;
	struct nicvf_cq cq;
	struct napi_struct napi;
	struct completion polled;
	bool up;
	u32 tail;			/* next CQE to write */
	u32 pending;			/* written and not acknowledged */
};

struct nk_ctx {
	struct kunit *test;
	struct device *dev;
	struct iommu_domain *domain;	/* translating domain, or NULL */
	void *regs;			/* stand-in for BAR0 */
	struct net_device *netdev;
	struct packet_type pt;
	struct sk_buff_head rxq;
	struct nicvf_rbdr rbdr;
	struct nk_q q[NK_CQS];		/* all sharing the RBDR */
	struct nicvf_sq sq;		/* completing on the first CQ */
	bool sq_up;
	atomic_t tx_freed;		/* sent sk_buffs destroyed */
	bool rbdr_up;
	bool cqe_rx2;
	/* the hardware's side of the RBDR */
	u32 hw_head;			/* next RBDR entry to take */
	u32 hw_avail;			/* entries rung in and not taken */
};

static bool nk_bounce(void)
{
	return !strcmp(mode, "bounce");
}

static void __iomem *nk_reg(struct nk_ctx *ctx, u64 off)
{
	return (void __iomem __force *)(ctx->regs + off);
}

static void __iomem *nk_qreg(struct nk_q *q, u64 off)
{
	return nk_reg(q->ctx, off + (u64)q->qidx * NIC_QUEUE_STRIDE);
}

/* --- the hardware ---------------------------------------------------------- */

/* The RBDR doorbell adds entries; the register itself reads back nothing */
static void nk_rbdr_doorbell(struct nk_ctx *ctx)
{
	void __iomem *door = nk_reg(ctx, NIC_QSET_RBDR_0_1_DOOR);

	ctx->hw_avail += readq(door);
	writeq(0, door);
	writeq(ctx->hw_avail, nk_reg(ctx, NIC_QSET_RBDR_0_1_STATUS0));
}

static bool nk_take(struct nk_ctx *ctx, u64 *addr)
{
	if (!ctx->hw_avail)
		return false;
	*addr = READ_ONCE(ctx->rbdr.desc[ctx->hw_head]);
	ctx->hw_head = (ctx->hw_head + 1) % NK_RBDR_LEN;
	ctx->hw_avail--;
	writeq(ctx->hw_avail, nk_reg(ctx, NIC_QSET_RBDR_0_1_STATUS0));
	return true;
}

/*
 * Where a device write of @len bytes at @addr lands: through the SMMU's
 * page tables in a translating domain, at @addr itself otherwise.  NULL if
 * the access would fault.
 */
static void *nk_dma_target(struct nk_ctx *ctx, u64 addr, size_t len)
{
	phys_addr_t phys = addr;

	if (ctx->domain)
		phys = iommu_iova_to_phys(ctx->domain, addr);
	if (!phys || !pfn_valid(PHYS_PFN(phys)) ||
	    offset_in_page(phys) + len > PAGE_SIZE)
		return NULL;
	return phys_to_virt(phys);
}

static void nk_write_cqe(struct nk_q *q, const u64 *w, int nwords)
{
	u64 *cqe = q->cq.desc + (size_t)q->tail * VNIC_CQE_BYTES;

	memset(cqe, 0, VNIC_CQE_BYTES);
	memcpy(cqe, w, nwords * sizeof(*w));
	q->tail = (q->tail + 1) % NK_CQ_LEN;
	q->pending++;
	/* Entries first, then the count that covers them */
	writeq(q->pending, nk_qreg(q, NIC_QSET_CQ_0_7_STATUS));
}

/* Write a CQE_RX naming @n buffers at @ptrs holding @lens bytes */
static void nk_cqe_rx_q(struct nk_q *q, const u64 *ptrs, const u16 *lens,
			unsigned int n)
{
	u64 w[VNIC_CQE_RX_PTR_WORD_RX2 + VNIC_CQE_RX_MAX_BUFS] = { 0 };
	bool rx2 = q->ctx->cqe_rx2;
	unsigned int i, total = 0, first;

	first = rx2 ? VNIC_CQE_RX_PTR_WORD_RX2 : VNIC_CQE_RX_PTR_WORD_PASS1;
	for (i = 0; i < n; i++) {
		total += lens[i];
		w[VNIC_CQE_RX_LEN_WORD + i / 4] |= (u64)lens[i] << (16 * (i % 4));
		w[first + i] = ptrs[i];
	}
	w[0] = VNIC_CQE_TYPE_RX << VNIC_CQE_TYPE_SHIFT |
	       (u64)n << VNIC_CQE_RX_RB_CNT_SHIFT | VNIC_CQE_RX_L2_PRESENT;
	w[1] = (u64)(total & 0xffff) << VNIC_CQE_RX_PKT_LEN_SHIFT;
	/* Later silicon fills word 6 with CQE_RX2: never a pointer */
	if (rx2)
		w[VNIC_CQE_RX_PTR_WORD_PASS1] = 0x0000c0de00000000ULL | n;
	nk_write_cqe(q, w, first + n);
}

/* ... on the first CQ */
static void nk_cqe_rx(struct nk_ctx *ctx, const u64 *ptrs, const u16 *lens,
		      unsigned int n)
{
	nk_cqe_rx_q(&ctx->q[0], ptrs, lens, n);
}

/* What the device did with one buffer, to check it was left alone */
struct nk_buf {
	u64 addr;
	void *target;
	int refs;			/* of the target's page, before */
	u16 len;
};

/*
 * Receive @len bytes of @frame as the hardware would: take buffers, write
 * the bytes through the IOMMU, then the CQE.  Returns the buffer count.
 */
static unsigned int nk_receive(struct nk_ctx *ctx, const u8 *frame,
			       size_t len, struct nk_buf *bufs)
{
	struct kunit *test = ctx->test;
	u32 buf_len = ctx->rbdr.buf_len;
	u64 ptrs[VNIC_CQE_RX_MAX_BUFS];
	u16 lens[VNIC_CQE_RX_MAX_BUFS];
	unsigned int n = 0;
	size_t done = 0;

	while (done < len) {
		size_t chunk = min_t(size_t, len - done, buf_len);
		void *to;

		KUNIT_ASSERT_LT(test, n, VNIC_CQE_RX_MAX_BUFS);
		KUNIT_ASSERT_TRUE_MSG(test, nk_take(ctx, &ptrs[n]),
				      "RBDR ran dry");
		to = nk_dma_target(ctx, ptrs[n], chunk);
		KUNIT_ASSERT_NOT_NULL_MSG(test, to,
					  "device write to %#llx would fault",
					  ptrs[n]);
		memcpy(to, frame + done, chunk);
		lens[n] = chunk;
		if (bufs) {
			bufs[n].addr = ptrs[n];
			bufs[n].target = to;
			bufs[n].refs = page_ref_count(virt_to_page(to));
			bufs[n].len = chunk;
		}
		done += chunk;
		n++;
	}
	nk_cqe_rx(ctx, ptrs, lens, n);
	return n;
}

/* --- the driver's side ------------------------------------------------------ */

static int nk_poll(struct napi_struct *napi, int budget)
{
	struct nk_q *q = container_of(napi, struct nk_q, napi);
	void __iomem *door = nk_qreg(q, NIC_QSET_CQ_0_7_DOOR);
	int want = min_t(int, q->pending, budget);
	int done;

	/*
	 * The register file has no side effects, so the driver is asked for
	 * no more than is pending; the doorbell is then applied by hand.
	 */
	done = nicvf_cq_poll(&q->cq, napi, want);
	q->pending -= min_t(u64, readq(door), q->pending);
	writeq(0, door);
	writeq(q->pending, nk_qreg(q, NIC_QSET_CQ_0_7_STATUS));
	if (done < budget) {
		napi_complete_done(napi, done);
		complete(&q->polled);
	}
	return done;
}

static void nk_napi_wait(struct nk_q *q)
{
	struct kunit *test = q->ctx->test;

	KUNIT_ASSERT_GT_MSG(test,
			    wait_for_completion_timeout(&q->polled,
							NK_POLL_TIMEOUT),
			    0, "NAPI of CQ%d did not finish", q->qidx);
	KUNIT_EXPECT_EQ(test, q->pending, 0);
}

/* Run the first CQ's NAPI until every written CQE has been consumed */
static void nk_napi(struct nk_ctx *ctx)
{
	struct nk_q *q = &ctx->q[0];

	reinit_completion(&q->polled);
	local_bh_disable();
	napi_schedule(&q->napi);
	local_bh_enable();
	nk_napi_wait(q);
}

static int nk_rcv(struct sk_buff *skb, struct net_device *dev,
		  struct packet_type *pt, struct net_device *orig)
{
	struct nk_ctx *ctx = container_of(pt, struct nk_ctx, pt);

	skb_queue_tail(&ctx->rxq, skb);
	return NET_RX_SUCCESS;
}

static void nk_refill(struct nk_ctx *ctx)
{
	struct kunit *test = ctx->test;

	writeq(ctx->hw_avail, nk_reg(ctx, NIC_QSET_RBDR_0_1_STATUS0));
	KUNIT_EXPECT_EQ(test, nicvf_rbdr_refill(&ctx->rbdr), 0);
	nk_rbdr_doorbell(ctx);
	KUNIT_EXPECT_EQ(test, ctx->hw_avail, NK_RBDR_LEN - 1);
	KUNIT_EXPECT_EQ(test, nicvf_rbdr_posted_count(&ctx->rbdr),
			NK_RBDR_LEN - 1);
}

static void nk_up_cq(struct nk_ctx *ctx, int qidx)
{
	struct kunit *test = ctx->test;
	struct nk_q *q = &ctx->q[qidx];

	KUNIT_ASSERT_EQ(test, nicvf_cq_init(&q->cq, ctx->dev, nk_reg(ctx, 0),
					    qidx, NK_CQ_LEN, &ctx->rbdr,
					    ctx->netdev, ctx->cqe_rx2), 0);
	q->up = true;
	nicvf_cq_enable(&q->cq);
}

/* The RBDR and the first CQ, up and filled */
static void nk_up(struct nk_ctx *ctx, bool cqe_rx2)
{
	struct kunit *test = ctx->test;

	ctx->cqe_rx2 = cqe_rx2;
	KUNIT_ASSERT_EQ(test, nicvf_rbdr_init(&ctx->rbdr, ctx->dev,
					      nk_reg(ctx, 0), 0, NK_RBDR_LEN,
					      NICVF_RX_BUF_LEN_DEFAULT, NULL), 0);
	ctx->rbdr_up = true;
	nk_up_cq(ctx, 0);
	nicvf_rbdr_enable(&ctx->rbdr);
	nk_rbdr_doorbell(ctx);
	KUNIT_ASSERT_EQ(test, ctx->hw_avail, NK_RBDR_LEN - 1);
}

static void nk_sq_down(struct nk_ctx *ctx)
{
	if (ctx->sq_up) {
		/* The register file cannot stop by itself: say it has */
		writeq(NIC_SQ_STATUS_STOPPED,
		       nk_reg(ctx, NIC_QSET_SQ_0_7_STATUS));
		KUNIT_EXPECT_EQ(ctx->test, nicvf_sq_stop(&ctx->sq), 0);
		nicvf_sq_free(&ctx->sq);
		ctx->q[0].cq.sq = NULL;
	}
	ctx->sq_up = false;
}

static void nk_down(struct nk_ctx *ctx)
{
	int i;

	nk_sq_down(ctx);

	for (i = 0; i < NK_CQS; i++) {
		if (ctx->q[i].up)
			nicvf_cq_free(&ctx->q[i].cq);
		ctx->q[i].up = false;
	}
	if (ctx->rbdr_up)
		nicvf_rbdr_free(&ctx->rbdr);
	ctx->rbdr_up = false;
}

/*
 * Free the CQ and RBDR, and require the pool to have nothing left out: a
 * page of the pool's own taken first keeps the pool alive through
 * page_pool_destroy(), so its counters can still be read, and it must then
 * be the only page in flight.  Every case ends here, so a buffer lost on
 * any path fails the case that lost it.
 */
static void nk_down_checked(struct nk_ctx *ctx)
{
	struct kunit *test = ctx->test;
	struct page_pool *pool = ctx->rbdr_up ? ctx->rbdr.pool : NULL;
	struct page *anchor = NULL;
	unsigned int off;
	s32 inflight;

	if (pool) {
		if (!nk_bounce())
			KUNIT_EXPECT_EQ(test,
					atomic_long_read(&ctx->rbdr.rx_unresolved),
					0);
		/*
		 * A fragment the size of a page: one reference, counted as
		 * a fragment on 6.1 too, whose put_full_page expects that
		 */
		spin_lock_bh(&ctx->rbdr.lock);
		anchor = page_pool_dev_alloc_frag(pool, &off, PAGE_SIZE);
		spin_unlock_bh(&ctx->rbdr.lock);
		KUNIT_EXPECT_NOT_NULL(test, anchor);
	}
	nk_down(ctx);
	if (!anchor)
		return;
	inflight = READ_ONCE(pool->pages_state_hold_cnt) -
		   atomic_read(&pool->pages_state_release_cnt);
	KUNIT_EXPECT_EQ_MSG(test, inflight, 1,
			    "pool pages still out after teardown, counting the test's one");
	page_pool_put_full_page(pool, anchor, false);
}

static struct nicvf_qstats nk_stats(struct nk_ctx *ctx)
{
	struct nicvf_qstats s;

	nicvf_cq_stats(&ctx->q[0].cq, &s);
	return s;
}

static u64 nk_drops(struct nk_ctx *ctx)
{
	struct nicvf_qstats s = nk_stats(ctx);
	u64 n = 0;
	int i;

	for (i = 0; i < NICVF_RX_DROP_NR; i++)
		n += s.rx_drops[i];
	return n;
}

/* A broadcast frame of our test protocol with a pattern from @seed */
static u8 *nk_frame(struct kunit *test, size_t len, u32 seed)
{
	u8 *f = kunit_kmalloc(test, len, GFP_KERNEL);
	u32 x = seed * 2654435761u + 12345;
	size_t i;

	KUNIT_ASSERT_NOT_NULL(test, f);
	for (i = 0; i < len; i++) {
		x = x * 1103515245u + 12345;
		f[i] = x >> 16;
	}
	eth_broadcast_addr(f);
	f[12] = NK_ETH_P >> 8;
	f[13] = NK_ETH_P & 0xff;
	return f;
}

/* The sk_buff carries exactly @frame: header, head and fragments */
static void nk_expect_frame(struct kunit *test, struct sk_buff *skb,
			    const u8 *frame, size_t len, u32 buf_len)
{
	u8 *got;

	KUNIT_ASSERT_EQ(test, skb->len + ETH_HLEN, len);
	KUNIT_EXPECT_EQ(test, ntohs(skb->protocol), NK_ETH_P);
	KUNIT_EXPECT_EQ(test, (int)skb->pkt_type, PACKET_BROADCAST);
	KUNIT_EXPECT_EQ(test, skb_headlen(skb) + ETH_HLEN,
			min_t(size_t, len, buf_len));
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->nr_frags,
			(int)DIV_ROUND_UP(len, buf_len) - 1);
	KUNIT_EXPECT_TRUE(test, skb->pp_recycle);
	KUNIT_EXPECT_MEMEQ(test, skb_mac_header(skb), frame, ETH_HLEN);
	got = kunit_kmalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, got);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, 0, got, skb->len), 0);
	KUNIT_EXPECT_MEMEQ(test, got, frame + ETH_HLEN, skb->len);
}

/*
 * Receive frames of @sizes and check the outcome the boot mode calls for:
 * byte-exact sk_buffs, or (bounce) every packet dropped and counted with
 * the bounce buffers the device wrote left as they were.
 */
static void nk_rx_sizes(struct kunit *test, const size_t *sizes,
			unsigned int count)
{
	struct nk_ctx *ctx = test->priv;
	struct nk_buf *bufs;
	u8 **frames, **seen;
	unsigned int i, j, nbufs = 0;
	struct sk_buff *skb;

	frames = kunit_kcalloc(test, count, sizeof(*frames), GFP_KERNEL);
	bufs = kunit_kcalloc(test, count * VNIC_CQE_RX_MAX_BUFS, sizeof(*bufs),
			     GFP_KERNEL);
	seen = kunit_kcalloc(test, count * VNIC_CQE_RX_MAX_BUFS, sizeof(*seen),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, frames);
	KUNIT_ASSERT_NOT_NULL(test, bufs);
	KUNIT_ASSERT_NOT_NULL(test, seen);

	for (i = 0; i < count; i++) {
		frames[i] = nk_frame(test, sizes[i], i);
		nbufs += nk_receive(ctx, frames[i], sizes[i], bufs + nbufs);
	}
	for (j = 0; j < nbufs; j++) {
		seen[j] = kunit_kmalloc(test, bufs[j].len, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, seen[j]);
		memcpy(seen[j], bufs[j].target, bufs[j].len);
	}
	nk_napi(ctx);

	if (nk_bounce()) {
		KUNIT_EXPECT_EQ(test, skb_queue_len(&ctx->rxq), 0);
		KUNIT_EXPECT_EQ(test,
				nk_stats(ctx).rx_drops[NICVF_RX_DROP_ADDR_FOREIGN],
				count);
		KUNIT_EXPECT_EQ(test, nk_drops(ctx), count);
		KUNIT_EXPECT_EQ(test, nk_stats(ctx).rx_packets, 0);
		KUNIT_EXPECT_EQ(test,
				atomic_long_read(&ctx->rbdr.rx_unresolved),
				nbufs);
		for (j = 0; j < nbufs; j++) {
			struct page *slot = virt_to_page(bufs[j].target);

			KUNIT_EXPECT_FALSE(test, page_pool_page_is_pp(slot));
			KUNIT_EXPECT_EQ(test, page_ref_count(slot),
					bufs[j].refs);
			KUNIT_EXPECT_MEMEQ(test, bufs[j].target, seen[j],
					   bufs[j].len);
		}
	} else {
		KUNIT_EXPECT_EQ(test, skb_queue_len(&ctx->rxq), count);
		KUNIT_EXPECT_EQ(test, nk_drops(ctx), 0);
		KUNIT_EXPECT_EQ(test, nk_stats(ctx).rx_packets, count);
		for (i = 0; i < count; i++) {
			skb = skb_dequeue(&ctx->rxq);
			KUNIT_ASSERT_NOT_NULL(test, skb);
			nk_expect_frame(test, skb, frames[i], sizes[i],
					ctx->rbdr.buf_len);
			kfree_skb(skb);
		}
	}
	/* Every buffer came back or is in an sk_buff: the ring fills again */
	nk_refill(ctx);
}

/* --- cases ------------------------------------------------------------------ */

/* The guest was booted the way the run asked, and the device is behind it */
static void nk_boot_mode(struct kunit *test)
{
	struct nk_ctx *ctx = test->priv;
	struct iommu_domain *dom = iommu_get_domain_for_dev(ctx->dev);

	KUNIT_ASSERT_NOT_NULL_MSG(test, dom, "device has no IOMMU domain");
	if (!strcmp(mode, "translate")) {
		KUNIT_EXPECT_TRUE(test, dom->type & __IOMMU_DOMAIN_PAGING);
		KUNIT_EXPECT_NE(test, dom->type, IOMMU_DOMAIN_IDENTITY);
		KUNIT_EXPECT_FALSE(test, is_swiotlb_force_bounce(ctx->dev));
	} else if (!strcmp(mode, "identity")) {
		KUNIT_EXPECT_EQ(test, dom->type, IOMMU_DOMAIN_IDENTITY);
		KUNIT_EXPECT_FALSE(test, is_swiotlb_force_bounce(ctx->dev));
	} else if (!strcmp(mode, "bounce")) {
		KUNIT_EXPECT_EQ(test, dom->type, IOMMU_DOMAIN_IDENTITY);
		KUNIT_EXPECT_TRUE(test, is_swiotlb_force_bounce(ctx->dev));
	} else {
		KUNIT_FAIL(test, "unknown mode '%s'", mode);
	}
	KUNIT_EXPECT_EQ(test, PAGE_SIZE, SZ_64K);
}

struct nk_layout {
	bool cqe_rx2;
	const char *name;
};

static const struct nk_layout nk_layouts[] = {
	{ .cqe_rx2 = false, .name = "cqe_rx_pass1" },
	{ .cqe_rx2 = true, .name = "cqe_rx2" },
};

static void nk_layout_desc(const struct nk_layout *l, char *desc)
{
	strscpy(desc, l->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(nk_layout, nk_layouts, nk_layout_desc);

static void nk_up_param(struct kunit *test)
{
	const struct nk_layout *l = test->param_value;

	nk_up(test->priv, l ? l->cqe_rx2 : true);
}

static void nk_rx_single_buffer(struct kunit *test)
{
	static const size_t sizes[] = { 60, 64, 65, 128, 512, 1024, 1514, 1536 };

	nk_up_param(test);
	nk_rx_sizes(test, sizes, ARRAY_SIZE(sizes));
}

static void nk_rx_multi_buffer(struct kunit *test)
{
	/* Up to the most buffers a CQE_RX can name: 12 x 1536 */
	static const size_t sizes[] = { 1537, 3000, 3072, 4500, 9000, 9600,
					12 * 1536 };

	nk_up_param(test);
	nk_rx_sizes(test, sizes, ARRAY_SIZE(sizes));
}

/*
 * The driver resolves the reported address to the page it posted: through
 * the SMMU's page tables in a translating domain, as the physical address
 * in an identity domain.  The sk_buff's bytes sit in exactly that page.
 */
static void nk_rx_domain_resolves(struct kunit *test)
{
	struct nk_ctx *ctx = test->priv;
	struct nk_buf buf;
	struct sk_buff *skb;
	phys_addr_t want;
	u8 *frame;

	nk_up(ctx, true);
	frame = nk_frame(test, 300, 7);
	KUNIT_ASSERT_EQ(test, nk_receive(ctx, frame, 300, &buf), 1);
	if (ctx->domain) {
		want = iommu_iova_to_phys(ctx->domain, buf.addr);
		KUNIT_ASSERT_NE(test, want, 0);
		/* A translating domain really translates */
		KUNIT_EXPECT_NE(test, want, (phys_addr_t)buf.addr);
	} else {
		want = buf.addr;
	}
	KUNIT_EXPECT_EQ(test, virt_to_phys(buf.target), want);
	nk_napi(ctx);

	skb = skb_dequeue(&ctx->rxq);
	if (nk_bounce()) {
		/* The address names swiotlb's slot, never one of our pages */
		KUNIT_EXPECT_NULL(test, skb);
		KUNIT_EXPECT_FALSE(test,
				   page_pool_page_is_pp(virt_to_page(buf.target)));
		KUNIT_EXPECT_EQ(test,
				nk_stats(ctx).rx_drops[NICVF_RX_DROP_ADDR_FOREIGN],
				1);
	} else {
		KUNIT_ASSERT_NOT_NULL(test, skb);
		KUNIT_EXPECT_EQ(test, virt_to_phys(skb_mac_header(skb)), want);
		KUNIT_EXPECT_PTR_EQ(test, virt_to_page(skb->head),
				    phys_to_page(want));
		KUNIT_EXPECT_TRUE(test, page_pool_page_is_pp(phys_to_page(want)));
		nk_expect_frame(test, skb, frame, 300, ctx->rbdr.buf_len);
		kfree_skb(skb);
	}
	nk_refill(ctx);
}

/*
 * A CQE naming a page the driver never posted (mapped for the device, so
 * the address is valid, but not the pool's), and one naming a buffer that
 * was already reported: both dropped and counted; the foreign page is not
 * written, not freed, not referenced.
 */
static void nk_rx_never_posted(struct kunit *test)
{
	struct nk_ctx *ctx = test->priv;
	struct page *page;
	dma_addr_t dma;
	struct nk_buf buf;
	u8 *frame;
	u64 ptr;
	u16 len = 200;
	int i;

	nk_up(ctx, true);
	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	memset(page_address(page), 0x5a, PAGE_SIZE);
	dma = dma_map_page(ctx->dev, page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(ctx->dev, dma));

	ptr = dma + NICVF_RX_HEADROOM;
	nk_cqe_rx(ctx, &ptr, &len, 1);
	nk_napi(ctx);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&ctx->rxq), 0);
	KUNIT_EXPECT_EQ(test, nk_stats(ctx).rx_drops[NICVF_RX_DROP_ADDR_FOREIGN],
			1);
	KUNIT_EXPECT_EQ(test, nicvf_rbdr_posted_count(&ctx->rbdr),
			NK_RBDR_LEN - 1);
	KUNIT_EXPECT_EQ(test, page_ref_count(page), 1);
	dma_unmap_page(ctx->dev, dma, PAGE_SIZE, DMA_FROM_DEVICE);
	for (i = 0; i < PAGE_SIZE; i++)
		if (((u8 *)page_address(page))[i] != 0x5a)
			break;
	KUNIT_EXPECT_EQ_MSG(test, i, (int)PAGE_SIZE,
			    "foreign page written at %d", i);
	__free_page(page);

	/* A buffer reported twice is delivered (or dropped) once */
	frame = nk_frame(test, 200, 3);
	KUNIT_ASSERT_EQ(test, nk_receive(ctx, frame, 200, &buf), 1);
	nk_cqe_rx(ctx, &buf.addr, &len, 1);
	nk_napi(ctx);
	if (nk_bounce()) {
		KUNIT_EXPECT_EQ(test, skb_queue_len(&ctx->rxq), 0);
		KUNIT_EXPECT_EQ(test,
				nk_stats(ctx).rx_drops[NICVF_RX_DROP_ADDR_FOREIGN],
				3);
	} else {
		KUNIT_EXPECT_EQ(test, skb_queue_len(&ctx->rxq), 1);
		KUNIT_EXPECT_EQ(test,
				nk_stats(ctx).rx_drops[NICVF_RX_DROP_ADDR_NOT_POSTED],
				1);
		KUNIT_EXPECT_EQ(test, nk_drops(ctx), 2);
	}
	skb_queue_purge(&ctx->rxq);
	nk_refill(ctx);
}

/*
 * An IOVA with nothing mapped at it: a translating domain's walk finds no
 * page (unmapped); without translation the address is outside memory
 * (foreign).  Dropped, counted, and the ring untouched.
 */
static void nk_rx_unmapped_iova(struct kunit *test)
{
	struct nk_ctx *ctx = test->priv;
	struct page *page;
	dma_addr_t dma;
	u64 ptr[2];
	u16 len = 100;
	int reason;

	nk_up(ctx, true);
	if (ctx->domain) {
		/* An IOVA that was mapped a moment ago */
		page = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, page);
		dma = dma_map_page(ctx->dev, page, 0, PAGE_SIZE,
				   DMA_FROM_DEVICE);
		KUNIT_ASSERT_FALSE(test, dma_mapping_error(ctx->dev, dma));
		dma_unmap_page(ctx->dev, dma, PAGE_SIZE, DMA_FROM_DEVICE);
		__free_page(page);
		KUNIT_ASSERT_EQ(test, iommu_iova_to_phys(ctx->domain, dma), 0);
		ptr[0] = dma + NICVF_RX_HEADROOM;
		/* and one never mapped: the bottom of the IOVA space */
		ptr[1] = SZ_1M + NICVF_RX_HEADROOM;
		KUNIT_ASSERT_EQ(test, iommu_iova_to_phys(ctx->domain, ptr[1]),
				0);
		reason = NICVF_RX_DROP_ADDR_UNMAPPED;
	} else {
		ptr[0] = BIT_ULL(47) + NICVF_RX_HEADROOM;
		ptr[1] = BIT_ULL(51) + NICVF_RX_HEADROOM;
		KUNIT_ASSERT_FALSE(test, pfn_valid(PHYS_PFN(ptr[0])));
		KUNIT_ASSERT_FALSE(test, pfn_valid(PHYS_PFN(ptr[1])));
		reason = NICVF_RX_DROP_ADDR_FOREIGN;
	}
	nk_cqe_rx(ctx, &ptr[0], &len, 1);
	nk_cqe_rx(ctx, &ptr[1], &len, 1);
	nk_napi(ctx);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&ctx->rxq), 0);
	KUNIT_EXPECT_EQ(test, nk_stats(ctx).rx_drops[reason], 2);
	KUNIT_EXPECT_EQ(test, nk_drops(ctx), 2);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&ctx->rbdr.rx_unresolved), 0);
	KUNIT_EXPECT_EQ(test, nicvf_rbdr_posted_count(&ctx->rbdr),
			NK_RBDR_LEN - 1);
}

static void nk_kick(void *info)
{
	struct nk_q *q = info;

	/* From an interrupt, as the driver's MSI-X handler will */
	napi_schedule(&q->napi);
}

/* A frame that carries @idx in its first payload bytes */
static u8 *nk_frame_idx(struct kunit *test, size_t len, u32 idx)
{
	u8 *f = nk_frame(test, len, idx);

	put_unaligned_le32(idx, f + ETH_HLEN);
	return f;
}

/*
 * Two CQs share the RBDR, as receive queues do, and their NAPI contexts
 * run at once on two CPUs, each told of the same buffers by its own CQEs
 * (a device reporting every buffer twice, on two queues), while refill
 * posts new buffers into the posted set being claimed from.  Each buffer
 * is delivered exactly once in all (bounce: claimed once and dropped), the
 * other report is dropped and counted, and the ring refills completely.
 *
 * Under bounce buffering a claimed buffer goes straight back to the pool,
 * so the refill may post it anew at its old address before the device's
 * second report of it is read; that report then claims the new buffer,
 * all a CQE carrying being the address.  How often depends on timing, so
 * there the check is that no buffer is lost: each is still posted or was
 * claimed and returned.
 */
static void nk_rx_concurrent_claims(struct kunit *test)
{
	struct nk_ctx *ctx = test->priv;
	const unsigned int n = 768, len = 100;
	struct nicvf_qstats st[NK_CQS];
	unsigned long *seen;
	long unresolved;
	unsigned int i, cpu[NK_CQS];
	struct sk_buff *skb;
	u16 lens = len;
	u64 *addr;
	u8 **frames;

	KUNIT_ASSERT_GE_MSG(test, num_online_cpus(), NK_CQS,
			    "the guest needs %d CPUs", NK_CQS);
	nk_up(ctx, true);
	nk_up_cq(ctx, 1);
	addr = kunit_kcalloc(test, n, sizeof(*addr), GFP_KERNEL);
	frames = kunit_kcalloc(test, n, sizeof(*frames), GFP_KERNEL);
	seen = kunit_kcalloc(test, BITS_TO_LONGS(n), sizeof(*seen), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, addr);
	KUNIT_ASSERT_NOT_NULL(test, frames);
	KUNIT_ASSERT_NOT_NULL(test, seen);

	for (i = 0; i < n; i++) {
		void *to;

		frames[i] = nk_frame_idx(test, len, i);
		KUNIT_ASSERT_TRUE(test, nk_take(ctx, &addr[i]));
		to = nk_dma_target(ctx, addr[i], len);
		KUNIT_ASSERT_NOT_NULL(test, to);
		memcpy(to, frames[i], len);
	}
	for (i = 0; i < n; i++) {
		nk_cqe_rx_q(&ctx->q[0], &addr[i], &lens, 1);
		nk_cqe_rx_q(&ctx->q[1], &addr[i], &lens, 1);
	}

	cpu[0] = cpumask_first(cpu_online_mask);
	cpu[1] = cpumask_next(cpu[0], cpu_online_mask);
	for (i = 0; i < NK_CQS; i++)
		reinit_completion(&ctx->q[i].polled);
	for (i = 0; i < NK_CQS; i++)
		smp_call_function_single(cpu[i], nk_kick, &ctx->q[i], 0);
	/* Refill meanwhile: the hardware has taken n buffers */
	writeq(ctx->hw_avail, nk_reg(ctx, NIC_QSET_RBDR_0_1_STATUS0));
	KUNIT_EXPECT_EQ(test, nicvf_rbdr_refill(&ctx->rbdr), 0);
	for (i = 0; i < NK_CQS; i++)
		nk_napi_wait(&ctx->q[i]);
	nk_rbdr_doorbell(ctx);
	KUNIT_EXPECT_EQ(test, ctx->hw_avail, NK_RBDR_LEN - 1);

	for (i = 0; i < NK_CQS; i++)
		nicvf_cq_stats(&ctx->q[i].cq, &st[i]);
	if (nk_bounce()) {
		KUNIT_EXPECT_EQ(test, skb_queue_len(&ctx->rxq), 0);
		KUNIT_EXPECT_EQ(test,
				st[0].rx_drops[NICVF_RX_DROP_ADDR_FOREIGN] +
				st[1].rx_drops[NICVF_RX_DROP_ADDR_FOREIGN], 2 * n);
		unresolved = atomic_long_read(&ctx->rbdr.rx_unresolved);
		KUNIT_EXPECT_GE(test, unresolved, n);
		KUNIT_EXPECT_EQ(test,
				unresolved +
				nicvf_rbdr_posted_count(&ctx->rbdr),
				n + NK_RBDR_LEN - 1);
	} else {
		KUNIT_EXPECT_EQ(test, skb_queue_len(&ctx->rxq), n);
		KUNIT_EXPECT_EQ(test, st[0].rx_packets + st[1].rx_packets, n);
		KUNIT_EXPECT_EQ(test,
				st[0].rx_drops[NICVF_RX_DROP_ADDR_NOT_POSTED] +
				st[1].rx_drops[NICVF_RX_DROP_ADDR_NOT_POSTED], n);
		while ((skb = skb_dequeue(&ctx->rxq))) {
			u32 idx = get_unaligned_le32(skb->data);
			bool twice;

			KUNIT_ASSERT_LT(test, idx, n);
			twice = __test_and_set_bit(idx, seen);
			KUNIT_EXPECT_FALSE_MSG(test, twice,
					       "buffer %u delivered twice", idx);
			nk_expect_frame(test, skb, frames[idx], len,
					ctx->rbdr.buf_len);
			kfree_skb(skb);
		}
		KUNIT_EXPECT_EQ(test, bitmap_weight(seen, n), n);
		/* Held in sk_buffs, no claimed buffer could be reposted */
		KUNIT_EXPECT_EQ(test, nicvf_rbdr_posted_count(&ctx->rbdr),
				NK_RBDR_LEN - 1);
	}
	skb_queue_purge(&ctx->rxq);
}

struct nk_page {
	struct page *page;
	dma_addr_t dma;
};

/* Take a reference on @page once, remembering its DMA address */
static void nk_track(struct kunit *test, struct xarray *xa, struct page *page)
{
	struct nk_page *p;

	if (xa_load(xa, page_to_pfn(page)))
		return;
	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	p->page = page;
	p->dma = page_pool_get_dma_addr(page);
	get_page(page);
	KUNIT_ASSERT_EQ(test, xa_err(xa_store(xa, page_to_pfn(page), p,
					      GFP_KERNEL)), 0);
}

/*
 * Teardown gives every page back: with traffic received, buffers the device
 * took and never reported, and one multi-buffer sk_buff still held by the
 * stack, free the CQ and RBDR.  The pool then has in flight exactly the
 * pages that sk_buff holds; once it is freed too, every page the driver
 * had is out of the pool with only the test's own reference left, and (in
 * a translating domain) unmapped from the IOMMU.
 *
 * The test's references change the pool's path: a page whose count is not
 * one is returned to the page allocator when its last fragment comes back,
 * rather than recycled into the pool's ring and released at destroy.  The
 * ring path is covered by nk_down_checked() at the end of every case.
 */
static void nk_teardown_baseline(struct kunit *test)
{
	struct nk_ctx *ctx = test->priv;
	static const size_t sizes[] = { 64, 1500, 9000, 200 };
	struct xarray pages;
	struct page_pool *pool;
	struct sk_buff *held, *skb;
	struct nk_page *p;
	unsigned long idx, held_pages = 0;
	unsigned int i;
	u64 addr;
	s32 inflight;

	xa_init(&pages);
	nk_up(ctx, true);
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		nk_receive(ctx, nk_frame(test, sizes[i], i), sizes[i], NULL);
	/* Taken by the device, never reported */
	for (i = 0; i < 5; i++)
		KUNIT_ASSERT_TRUE(test, nk_take(ctx, &addr));
	nk_napi(ctx);

	/* Every page the driver still has a buffer on, and the held skb's */
	for (idx = 0; idx <= ctx->rbdr.posted.mask; idx++)
		if (ctx->rbdr.posted.slot[idx].key & 1)
			nk_track(test, &pages, ctx->rbdr.posted.slot[idx].page);
	held = NULL;
	while ((skb = skb_dequeue(&ctx->rxq))) {
		if (!held && skb_shinfo(skb)->nr_frags) {
			held = skb;
			continue;
		}
		kfree_skb(skb);
	}
	if (held) {
		nk_track(test, &pages, virt_to_page(held->head));
		for (i = 0; i < skb_shinfo(held)->nr_frags; i++)
			nk_track(test, &pages,
				 skb_frag_page(&skb_shinfo(held)->frags[i]));
		/* the distinct pages the held skb is built on */
		xa_for_each(&pages, idx, p) {
			bool mine = p->page == virt_to_page(held->head);

			for (i = 0; i < skb_shinfo(held)->nr_frags; i++)
				mine |= p->page ==
					skb_frag_page(&skb_shinfo(held)->frags[i]);
			held_pages += mine;
		}
	}
	KUNIT_EXPECT_EQ(test, !held, nk_bounce());

	pool = ctx->rbdr.pool;
	nk_down(ctx);
	if (held) {
		/* The pool lives on while the skb holds its pages */
		inflight = READ_ONCE(pool->pages_state_hold_cnt) -
			   atomic_read(&pool->pages_state_release_cnt);
		KUNIT_EXPECT_EQ(test, inflight, (s32)held_pages);
		kfree_skb(held);
	}

	xa_for_each(&pages, idx, p) {
		KUNIT_EXPECT_EQ_MSG(test, page_ref_count(p->page), 1,
				    "page %lx", idx);
		KUNIT_EXPECT_FALSE_MSG(test, page_pool_page_is_pp(p->page),
				       "page %lx still in a pool", idx);
		if (ctx->domain)
			KUNIT_EXPECT_EQ(test,
					iommu_iova_to_phys(ctx->domain, p->dma),
					0);
		put_page(p->page);
	}
	xa_destroy(&pages);
}

/* --- send ------------------------------------------------------------------- */

#define NK_SQ_LEN		1024
#define NK_TX_PKTS		24
#define NK_TX_LEFT		4	/* still in flight at teardown */
#define NK_CQE_SEND(sqe)	(VNIC_CQE_TYPE_SEND << VNIC_CQE_TYPE_SHIFT | \
				 (u64)(sqe) << VNIC_CQE_SEND_SQE_PTR_SHIFT)
#define NK_SQ_TYPE(w)		((w) >> VNIC_SQ_DESC_TYPE_SHIFT)
#define NK_SQ_CNT(w)		(((w) >> VNIC_SQ_HDR_SUBDESCS_SHIFT) & 0xff)
#define NK_SQ_TOT_LEN(w)	((w) & VNIC_SQ_HDR_TOT_LEN)
#define NK_GATHER_SIZE(w)	((w) & VNIC_SQ_GATHER_SIZE)
#define NK_GATHER_ADDR(w)	((w) & VNIC_SQ_GATHER_ADDR)

/* Byte @k of sent packet @seed */
static u8 nk_tx_byte(u32 seed, u32 k)
{
	return (u8)(seed * 131 + k * 7 + (k >> 8));
}

static void nk_tx_destructor(struct sk_buff *skb)
{
	struct nk_ctx *ctx = *(struct nk_ctx **)skb->cb;

	atomic_inc(&ctx->tx_freed);
}

/* A packet of @head linear bytes and @nfrags page fragments of @fraglen */
static struct sk_buff *nk_tx_skb(struct nk_ctx *ctx, u32 seed,
				 unsigned int head, unsigned int nfrags,
				 unsigned int fraglen)
{
	struct kunit *test = ctx->test;
	struct sk_buff *skb = alloc_skb(head, GFP_KERNEL);
	unsigned int i, j, k = 0;
	u8 *p;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	p = skb_put(skb, head);
	for (j = 0; j < head; j++)
		p[j] = nk_tx_byte(seed, k++);
	for (i = 0; i < nfrags; i++) {
		struct page *page = alloc_page(GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, page);
		/* Not at the page start, so offsets are exercised */
		p = page_address(page) + 100;
		for (j = 0; j < fraglen; j++)
			p[j] = nk_tx_byte(seed, k++);
		skb_fill_page_desc(skb, i, page, 100, fraglen);
		skb->len += fraglen;
		skb->data_len += fraglen;
		skb->truesize += PAGE_SIZE;
	}
	*(struct nk_ctx **)skb->cb = ctx;
	skb->destructor = nk_tx_destructor;
	return skb;
}

/*
 * Read what the device would read: @len bytes at @addr, through the SMMU,
 * a page at a time.  False if any of it would fault.
 */
static bool nk_dma_read(struct nk_ctx *ctx, u64 addr, u8 *dst, size_t len)
{
	while (len) {
		size_t n = min_t(size_t, len, PAGE_SIZE - offset_in_page(addr));
		void *src = nk_dma_target(ctx, addr, n);

		if (!src)
			return false;
		memcpy(dst, src, n);
		addr += n;
		dst += n;
		len -= n;
	}
	return true;
}

/* The RBDR, the first CQ, and a send queue completing on it */
static void nk_tx_up(struct nk_ctx *ctx)
{
	struct kunit *test = ctx->test;

	nk_up(ctx, true);
	KUNIT_ASSERT_EQ(test, nicvf_sq_init(&ctx->sq, ctx->dev, nk_reg(ctx, 0),
					    0, NK_SQ_LEN, ctx->netdev), 0);
	ctx->sq_up = true;
	nicvf_sq_enable(&ctx->sq);
	ctx->q[0].cq.sq = &ctx->sq;
}

static void nk_cqe_send(struct nk_q *q, u32 sqe)
{
	u64 w = NK_CQE_SEND(sqe);

	nk_write_cqe(q, &w, 1);
}

/*
 * Packets of one to four buffers go out through the send queue: the
 * device finds each buffer's bytes at the gather addresses (in every
 * mode, bounce buffers included), CQE_SENDs free the packets and unmap
 * their buffers, a CQE_SEND out of order is refused, and the packets
 * still in flight at teardown are unmapped and freed.  DMA-API debugging
 * checks every unmap against its map.
 */
static void nk_tx_send_complete(struct kunit *test)
{
	struct nk_ctx *ctx = test->priv;
	void __iomem *door = nk_reg(ctx, NIC_QSET_SQ_0_7_DOOR);
	u32 hdr_idx[NK_TX_PKTS], idx = 0;
	struct nicvf_qstats st;
	unsigned int i, g;
	u8 *buf;

	buf = kunit_kzalloc(test, 65536, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	nk_tx_up(ctx);

	for (i = 0; i < NK_TX_PKTS; i++) {
		unsigned int nfrags = i % 4, head = 60 + (i * 37) % 500;
		struct sk_buff *skb = nk_tx_skb(ctx, i, head, nfrags,
						1000 + i * 13);

		local_bh_disable();
		KUNIT_EXPECT_EQ(test, nicvf_sq_xmit(&ctx->sq, skb),
				NETDEV_TX_OK);
		local_bh_enable();
		/* One doorbell a packet here, for all of its entries */
		KUNIT_EXPECT_EQ(test, readq(door), 2 + nfrags);
		writeq(0, door);
	}

	/* The device's view of every packet */
	for (i = 0; i < NK_TX_PKTS; i++) {
		u64 hdr = ctx->sq.desc[idx * 2];
		u32 cnt = NK_SQ_CNT(hdr), len = 0, k;

		hdr_idx[i] = idx;
		KUNIT_ASSERT_EQ(test, NK_SQ_TYPE(hdr), VNIC_SQ_DESC_HEADER);
		KUNIT_ASSERT_EQ(test, cnt, 1 + i % 4);
		for (g = 1; g <= cnt; g++) {
			u32 e = (idx + g) % NK_SQ_LEN;
			u64 w0 = ctx->sq.desc[e * 2];
			u64 w1 = ctx->sq.desc[e * 2 + 1];

			KUNIT_ASSERT_EQ(test, NK_SQ_TYPE(w0), VNIC_SQ_DESC_GATHER);
			KUNIT_ASSERT_TRUE_MSG(test,
					      nk_dma_read(ctx, NK_GATHER_ADDR(w1),
							  buf + len,
							  NK_GATHER_SIZE(w0)),
					      "packet %u gather %u faults", i, g);
			len += NK_GATHER_SIZE(w0);
		}
		KUNIT_EXPECT_EQ(test, NK_SQ_TOT_LEN(hdr), len);
		for (k = 0; k < len; k++)
			if (buf[k] != nk_tx_byte(i, k))
				break;
		KUNIT_EXPECT_EQ_MSG(test, k, len, "packet %u differs", i);
		idx = (idx + cnt + 1) % NK_SQ_LEN;
	}

	/* Completions for all but the last few; one out of order first */
	{
		u64 w = NK_CQE_SEND(hdr_idx[2]);

		nk_write_cqe(&ctx->q[0], &w, 1);
	}
	for (i = 0; i < NK_TX_PKTS - NK_TX_LEFT; i++) {
		u64 w = NK_CQE_SEND(hdr_idx[i]);

		nk_write_cqe(&ctx->q[0], &w, 1);
	}
	nk_napi(ctx);
	nicvf_cq_stats(&ctx->q[0].cq, &st);
	KUNIT_EXPECT_EQ(test, st.tx_packets, NK_TX_PKTS - NK_TX_LEFT);
	KUNIT_EXPECT_EQ(test, st.tx_cqe_bogus, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->tx_freed),
			NK_TX_PKTS - NK_TX_LEFT);

	/* Teardown frees, and unmaps, what is still in flight */
	nk_sq_down(ctx);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->tx_freed), NK_TX_PKTS);
}

/*
 * netpoll polls with a budget of 0. Send completions are reclaimed all
 * the same, up to the first received packet, which is left in the ring
 * untouched (no page_pool call, no buffer claimed); the next normal poll
 * takes it and the sends behind it.
 */
static void nk_tx_budget_zero(struct kunit *test)
{
	struct nk_ctx *ctx = test->priv;
	void __iomem *door = nk_reg(ctx, NIC_QSET_SQ_0_7_DOOR);
	struct nk_q *q = &ctx->q[0];
	u32 hdr_idx[10], idx = 0;
	struct nicvf_qstats st;
	unsigned int i, posted;
	int done;

	nk_tx_up(ctx);
	for (i = 0; i < ARRAY_SIZE(hdr_idx); i++) {
		/* A header, the linear part and one fragment */
		struct sk_buff *skb = nk_tx_skb(ctx, i, 100, 1, 200);

		local_bh_disable();
		KUNIT_EXPECT_EQ(test, nicvf_sq_xmit(&ctx->sq, skb),
				NETDEV_TX_OK);
		local_bh_enable();
		writeq(0, door);
		hdr_idx[i] = idx;
		idx += 3;
	}
	for (i = 0; i < 8; i++)
		nk_cqe_send(q, hdr_idx[i]);
	nk_receive(ctx, nk_frame(test, 300, 1), 300, NULL);
	for (i = 8; i < ARRAY_SIZE(hdr_idx); i++)
		nk_cqe_send(q, hdr_idx[i]);
	posted = nicvf_rbdr_posted_count(&ctx->rbdr);

	local_bh_disable();
	done = nicvf_cq_poll(&q->cq, &q->napi, 0);
	local_bh_enable();
	KUNIT_EXPECT_EQ(test, done, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->tx_freed), 8);
	KUNIT_EXPECT_EQ(test, nicvf_rbdr_posted_count(&ctx->rbdr), posted);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&ctx->rxq), 0);
	/* What the hardware does with the doorbell, by hand */
	KUNIT_EXPECT_EQ(test, readq(nk_qreg(q, NIC_QSET_CQ_0_7_DOOR)), 8);
	writeq(0, nk_qreg(q, NIC_QSET_CQ_0_7_DOOR));
	q->pending -= 8;
	writeq(q->pending, nk_qreg(q, NIC_QSET_CQ_0_7_STATUS));

	nk_napi(ctx);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->tx_freed), ARRAY_SIZE(hdr_idx));
	KUNIT_EXPECT_EQ(test, skb_queue_len(&ctx->rxq), nk_bounce() ? 0 : 1);
	nicvf_cq_stats(&q->cq, &st);
	KUNIT_EXPECT_EQ(test, st.tx_packets, ARRAY_SIZE(hdr_idx));
	KUNIT_EXPECT_EQ(test, st.tx_cqe_bogus, 0);
	nk_sq_down(ctx);
}

/*
 * A TCP packet of @payload bytes after Ethernet, IPv4 or IPv6 and TCP
 * headers (IPv6: an 8-byte destination options header first if @ext),
 * in the linear part, marked for TSO at @mss as the stack marks it
 */
static struct sk_buff *nk_tso_skb(struct nk_ctx *ctx, bool v6, bool ext,
				  unsigned int payload, unsigned int mss)
{
	unsigned int l3 = ETH_HLEN, l4 = l3 + (v6 ? 40 + (ext ? 8 : 0) : 20);
	struct sk_buff *skb = nk_tx_skb(ctx, 7, l4 + 20 + payload, 0, 0);
	u8 *d = skb->data;

	d[12] = v6 ? 0x86 : 0x08;
	d[13] = v6 ? 0xdd : 0x00;
	if (v6) {
		d[l3] = 0x60;
		d[l3 + 6] = ext ? NEXTHDR_DEST : IPPROTO_TCP;
		if (ext) {
			d[l3 + 40] = IPPROTO_TCP;
			d[l3 + 41] = 0;
		}
	} else {
		d[l3] = 0x45;
		d[l3 + 9] = IPPROTO_TCP;
	}
	d[l4 + 12] = 0x50;			/* a 20-byte TCP header */
	skb->protocol = htons(v6 ? ETH_P_IPV6 : ETH_P_IP);
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, l3);
	skb_set_transport_header(skb, l4);
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_transport_header(skb) - skb->head;
	skb->csum_offset = offsetof(struct tcphdr, check);
	skb_shinfo(skb)->gso_size = mss;
	skb_shinfo(skb)->gso_type = v6 ? SKB_GSO_TCPV6 : SKB_GSO_TCPV4;
	skb_shinfo(skb)->gso_segs = DIV_ROUND_UP(payload, mss);
	return skb;
}

/*
 * TSO in the real kernel's sk_buff: the header the hardware gets (TSO,
 * the headers' length, the MSS, the offsets; on CN88xx pass 2 no CQE of
 * its own and a DONT_SEND header with a one-byte immediate after the
 * gathers), what the driver refuses to offer the hardware, and the
 * completion counting each segment once and BQL back to zero.
 */
static void nk_tx_tso(struct kunit *test)
{
	struct nk_ctx *ctx = test->priv;
	void __iomem *door = nk_reg(ctx, NIC_QSET_SQ_0_7_DOOR);
	const unsigned int payload = 10000, mss = 1448, hlen = 14 + 20 + 20;
	const unsigned int segs = DIV_ROUND_UP(payload, mss);
	struct nicvf_qstats st;
	struct sk_buff *skb;
	u64 hdr, w1, tail;
	int freed;

	nk_tx_up(ctx);
	ctx->sq.tso = NICVF_TSO_HW_TAIL;

	/* Extension headers and an MSS past 14 bits go to the stack */
	skb = nk_tso_skb(ctx, true, true, 3000, 1000);
	KUNIT_EXPECT_FALSE(test, nicvf_sq_tso_fits(skb));
	kfree_skb(skb);
	skb = nk_tso_skb(ctx, false, false, 40000, 16384);
	KUNIT_EXPECT_FALSE(test, nicvf_sq_tso_fits(skb));
	kfree_skb(skb);
	skb = nk_tso_skb(ctx, true, false, 3000, 1000);
	KUNIT_EXPECT_TRUE(test, nicvf_sq_tso_fits(skb));
	kfree_skb(skb);

	freed = atomic_read(&ctx->tx_freed);
	skb = nk_tso_skb(ctx, false, false, payload, mss);
	KUNIT_ASSERT_TRUE(test, nicvf_sq_tso_fits(skb));
	local_bh_disable();
	KUNIT_EXPECT_EQ(test, nicvf_sq_xmit(&ctx->sq, skb), NETDEV_TX_OK);
	local_bh_enable();
	/* Header, the linear part's gather, the completing header and its byte */
	KUNIT_EXPECT_EQ(test, readq(door), 4);
	writeq(0, door);
	hdr = ctx->sq.desc[0];
	w1 = ctx->sq.desc[1];
	KUNIT_EXPECT_EQ(test, NK_SQ_TYPE(hdr), VNIC_SQ_DESC_HEADER);
	KUNIT_EXPECT_TRUE(test, hdr & VNIC_SQ_HDR_TSO);
	KUNIT_EXPECT_FALSE(test, hdr & VNIC_SQ_HDR_POST_CQE);
	KUNIT_EXPECT_EQ(test, NK_SQ_CNT(hdr), 1);
	KUNIT_EXPECT_EQ(test, NK_SQ_TOT_LEN(hdr), hlen + payload);
	KUNIT_EXPECT_EQ(test, (hdr >> VNIC_SQ_HDR_L3_OFF_SHIFT) & 0xff, 14);
	KUNIT_EXPECT_EQ(test, (hdr >> VNIC_SQ_HDR_L4_OFF_SHIFT) & 0xff, 34);
	KUNIT_EXPECT_EQ(test, (w1 >> VNIC_SQ_HDR_TSO_START_SHIFT) & 0xff, hlen);
	KUNIT_EXPECT_EQ(test, w1 & VNIC_SQ_HDR_TSO_MAX_PAYSIZE, mss);
	tail = ctx->sq.desc[2 * 2];
	KUNIT_EXPECT_EQ(test, NK_SQ_TYPE(tail), VNIC_SQ_DESC_HEADER);
	KUNIT_EXPECT_TRUE(test, tail & VNIC_SQ_HDR_DONT_SEND);
	KUNIT_EXPECT_TRUE(test, tail & VNIC_SQ_HDR_POST_CQE);
	KUNIT_EXPECT_EQ(test, NK_SQ_CNT(tail), 1);
	KUNIT_EXPECT_EQ(test, NK_SQ_TOT_LEN(tail), 1);
	KUNIT_EXPECT_EQ(test, NK_SQ_TYPE(ctx->sq.desc[3 * 2]),
			VNIC_SQ_DESC_IMMEDIATE);
	KUNIT_EXPECT_EQ(test, ctx->sq.desc[3 * 2] & VNIC_SQ_IMM_LEN, 1);

	/* Only the completing header's CQE frees it */
	nk_cqe_send(&ctx->q[0], 0);
	nk_cqe_send(&ctx->q[0], 2);
	nk_napi(ctx);
	nicvf_cq_stats(&ctx->q[0].cq, &st);
	KUNIT_EXPECT_EQ(test, st.tx_cqe_bogus, 1);
	KUNIT_EXPECT_EQ(test, st.tx_packets, segs);
	KUNIT_EXPECT_EQ(test, st.tx_bytes, hlen + payload + (segs - 1) * hlen);
	KUNIT_EXPECT_EQ(test, st.tx_tso, 1);
	/* (BQL's dql_completed() would have caught a count past the queued) */
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->tx_freed), freed + 1);
	nk_sq_down(ctx);
}

#define NK_MT_PKTS		4000
#define NK_MT_TIMEOUT		(120 * HZ)

/* One CPU sending, the other completing, at once */
struct nk_mt {
	struct nk_ctx *ctx;
	atomic_t rung;			/* SQ entries rung in for the device */
	struct completion done[2];
	unsigned long deadline;
	const char *err;		/* what went wrong first, or NULL */
	u32 err_pkt;
};

static void nk_mt_fail(struct nk_mt *mt, const char *what, u32 pkt)
{
	if (!cmpxchg(&mt->err, NULL, what))
		mt->err_pkt = pkt;
}

static bool nk_mt_going(struct nk_mt *mt)
{
	if (time_after(jiffies, mt->deadline))
		nk_mt_fail(mt, "timed out", 0);
	return !READ_ONCE(mt->err);
}

/* The stack: packets of one to three buffers, as fast as the queue takes them */
static int nk_mt_sender(void *data)
{
	struct nk_mt *mt = data;
	struct nk_ctx *ctx = mt->ctx;
	struct netdev_queue *txq = netdev_get_tx_queue(ctx->netdev, 0);
	void __iomem *door = nk_reg(ctx, NIC_QSET_SQ_0_7_DOOR);
	struct sk_buff *skb = NULL;
	u32 i = 0;

	while (i < NK_MT_PKTS && nk_mt_going(mt)) {
		netdev_tx_t ret;

		if (netif_tx_queue_stopped(txq)) {
			/* Not a running interface: completions do not wake it */
			if (atomic_read(&ctx->sq.free) < NICVF_SQ_WAKE_DESC) {
				cond_resched();
				continue;
			}
			netif_tx_start_queue(txq);
		}
		if (!skb)
			skb = nk_tx_skb(ctx, i, 60 + i % 200, i % 3,
					100 + i % 300);
		local_bh_disable();
		ret = nicvf_sq_xmit(&ctx->sq, skb);
		/* The doorbell register as the device's tail: in ring order */
		atomic_add_return_release(readq(door), &mt->rung);
		writeq(0, door);
		local_bh_enable();
		if (ret == NETDEV_TX_OK) {
			skb = NULL;
			i++;
		}
	}
	if (skb)
		kfree_skb(skb);
	complete(&mt->done[0]);
	return 0;
}

/* NAPI of the first CQ, run on this CPU, for what the device wrote */
static void nk_mt_poll(struct nk_mt *mt, u32 pkt)
{
	struct nk_q *q = &mt->ctx->q[0];

	reinit_completion(&q->polled);
	local_bh_disable();
	napi_schedule(&q->napi);
	local_bh_enable();
	if (!wait_for_completion_timeout(&q->polled, NK_POLL_TIMEOUT))
		nk_mt_fail(mt, "NAPI did not finish", pkt);
}

/*
 * The device and NAPI on the other CPU: each packet read as the hardware
 * reads it (every 16th byte for byte, through the SMMU), completed with a
 * CQE_SEND, and the completions polled in batches.
 */
static int nk_mt_device(void *data)
{
	struct nk_mt *mt = data;
	struct nk_ctx *ctx = mt->ctx;
	u32 head = 0, taken = 0, pkt = 0, batch = 0;
	u8 *buf = kmalloc(65536, GFP_KERNEL);

	if (!buf)
		nk_mt_fail(mt, "no memory", 0);
	while (pkt < NK_MT_PKTS && nk_mt_going(mt)) {
		u32 avail = atomic_read_acquire(&mt->rung) - taken;
		u32 cnt, len = 0, g, k;
		u64 hdr;

		if (!avail) {
			if (batch)
				nk_mt_poll(mt, pkt);
			else
				cond_resched();
			batch = 0;
			continue;
		}
		hdr = READ_ONCE(ctx->sq.desc[head * 2]);
		cnt = NK_SQ_CNT(hdr);
		if (NK_SQ_TYPE(hdr) != VNIC_SQ_DESC_HEADER || cnt + 1 > avail) {
			nk_mt_fail(mt, "not a header", pkt);
			break;
		}
		for (g = 1; g <= cnt; g++) {
			u32 e = (head + g) % NK_SQ_LEN;
			u64 w0 = READ_ONCE(ctx->sq.desc[e * 2]);
			u64 w1 = READ_ONCE(ctx->sq.desc[e * 2 + 1]);

			if (NK_SQ_TYPE(w0) != VNIC_SQ_DESC_GATHER ||
			    !nk_dma_read(ctx, NK_GATHER_ADDR(w1), buf + len,
					 NK_GATHER_SIZE(w0))) {
				nk_mt_fail(mt, "bad gather", pkt);
				break;
			}
			len += NK_GATHER_SIZE(w0);
		}
		if (len != NK_SQ_TOT_LEN(hdr))
			nk_mt_fail(mt, "length differs", pkt);
		for (k = 0; !(pkt % 16) && k < len; k++)
			if (buf[k] != nk_tx_byte(pkt, k))
				nk_mt_fail(mt, "bytes differ", pkt);
		nk_cqe_send(&ctx->q[0], head);
		head = (head + cnt + 1) % NK_SQ_LEN;
		taken += cnt + 1;
		pkt++;
		/* Completions in batches, as the CQ interrupt brings them */
		if (++batch == 32 || pkt == NK_MT_PKTS) {
			nk_mt_poll(mt, pkt);
			batch = 0;
		}
	}
	kfree(buf);
	complete(&mt->done[1]);
	return 0;
}

/*
 * Send and completion at once on two CPUs: what one frees (entries cleared
 * with plain stores, then counted free) the other reuses at once. Every
 * packet must reach the device intact, complete exactly once, and leave
 * nothing counted bogus; DMA-API debugging checks every unmap.
 */
static void nk_tx_two_cpus(struct kunit *test)
{
	struct nk_ctx *ctx = test->priv;
	struct task_struct *t[2];
	struct nicvf_qstats st;
	struct nk_mt *mt;
	int i;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	mt = kunit_kzalloc(test, sizeof(*mt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mt);
	mt->ctx = ctx;
	mt->deadline = jiffies + NK_MT_TIMEOUT;
	nk_tx_up(ctx);
	for (i = 0; i < 2; i++) {
		init_completion(&mt->done[i]);
		t[i] = kthread_create(i ? nk_mt_device : nk_mt_sender, mt,
				      "nk_mt/%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t[i]));
		kthread_bind(t[i], i);
	}
	for (i = 0; i < 2; i++)
		wake_up_process(t[i]);
	for (i = 0; i < 2; i++)
		wait_for_completion(&mt->done[i]);
	KUNIT_EXPECT_TRUE_MSG(test, !mt->err, "%s at packet %u",
			      mt->err ?: "", mt->err_pkt);
	nicvf_cq_stats(&ctx->q[0].cq, &st);
	KUNIT_EXPECT_EQ(test, st.tx_packets, NK_MT_PKTS);
	KUNIT_EXPECT_EQ(test, st.tx_cqe_bogus, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->tx_freed), NK_MT_PKTS);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->sq.free), NK_SQ_LEN - 1);
	nk_sq_down(ctx);
}

/* --- plumbing ---------------------------------------------------------------- */

static int nk_init(struct kunit *test)
{
	struct iommu_domain *dom;
	struct nk_ctx *ctx;
	int i;

	if (!nk_pdev)
		return -ENODEV;
	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->test = test;
	ctx->dev = &nk_pdev->dev;
	dom = iommu_get_domain_for_dev(ctx->dev);
	if (dom && dom->type != IOMMU_DOMAIN_IDENTITY)
		ctx->domain = dom;
	ctx->regs = vzalloc(NK_REGS_SIZE);
	if (!ctx->regs)
		return -ENOMEM;
	ctx->netdev = alloc_etherdev(0);
	if (!ctx->netdev) {
		vfree(ctx->regs);
		return -ENOMEM;
	}
	/*
	 * Send completions reschedule a queue that BQL stopped: a net_device
	 * never opened has no qdisc there, so give it the one a closed
	 * device has.
	 */
	for (i = 0; i < ctx->netdev->num_tx_queues; i++)
		rcu_assign_pointer(netdev_get_tx_queue(ctx->netdev, i)->qdisc,
				   &noop_qdisc);
	skb_queue_head_init(&ctx->rxq);
	for (i = 0; i < NK_CQS; i++) {
		ctx->q[i].ctx = ctx;
		ctx->q[i].qidx = i;
		init_completion(&ctx->q[i].polled);
		netif_napi_add(ctx->netdev, &ctx->q[i].napi, nk_poll);
		napi_enable(&ctx->q[i].napi);
	}
	ctx->pt.type = htons(NK_ETH_P);
	ctx->pt.dev = ctx->netdev;
	ctx->pt.func = nk_rcv;
	dev_add_pack(&ctx->pt);
	test->priv = ctx;
	return 0;
}

static void nk_exit(struct kunit *test)
{
	struct nk_ctx *ctx = test->priv;
	int i;

	if (!ctx)
		return;
	dev_remove_pack(&ctx->pt);
	for (i = 0; i < NK_CQS; i++)
		napi_disable(&ctx->q[i].napi);
	skb_queue_purge(&ctx->rxq);
	nk_down_checked(ctx);
	for (i = 0; i < NK_CQS; i++)
		netif_napi_del(&ctx->q[i].napi);
	free_netdev(ctx->netdev);
	vfree(ctx->regs);
}

static int nk_suite_init(struct kunit_suite *suite)
{
	nk_pdev = nk_dev_pdev();
	if (!nk_pdev) {
		pr_err("nicvf_kunit: nicvf_kunit_dev.ko bound no device\n");
		return -ENODEV;
	}
	mode = nk_dev_mode();
	return 0;
}

static struct kunit_case nk_cases[] = {
	KUNIT_CASE(nk_boot_mode),
	KUNIT_CASE_PARAM(nk_rx_single_buffer, nk_layout_gen_params),
	KUNIT_CASE_PARAM(nk_rx_multi_buffer, nk_layout_gen_params),
	KUNIT_CASE(nk_rx_domain_resolves),
	KUNIT_CASE(nk_rx_never_posted),
	KUNIT_CASE(nk_rx_unmapped_iova),
	KUNIT_CASE(nk_rx_concurrent_claims),
	KUNIT_CASE(nk_teardown_baseline),
	KUNIT_CASE(nk_tx_send_complete),
	KUNIT_CASE(nk_tx_budget_zero),
	KUNIT_CASE(nk_tx_tso),
	KUNIT_CASE(nk_tx_two_cpus),
	{ }
};

static struct kunit_suite nk_suite = {
	.name = "nicvf_rx",
	.suite_init = nk_suite_init,
	.init = nk_init,
	.exit = nk_exit,
	.test_cases = nk_cases,
};

kunit_test_suite(nk_suite);

MODULE_DESCRIPTION("KUnit tests of the nicvf receive path");
MODULE_LICENSE("GPL");
