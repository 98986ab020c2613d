// SPDX-License-Identifier: GPL-2.0-only
/*
 * ThunderX VNIC virtual function: the receive path.  Receive buffers, the
 * receive buffer descriptor ring (RBDR) they are posted on, and the
 * completion queues (CQs), whose CQE_RXs become sk_buffs here and whose
 * CQE_SENDs go to their send queue (nicvf_sq.c).
 *
 * The hardware takes buffers from one RBDR shared by up to eight receive
 * queues and reports, in each CQE_RX, the DMA addresses it wrote rather than
 * a ring index.  So a completion is turned back into buffers by address:
 *
 *   1. translate the address: through iommu_iova_to_phys() when the device
 *      sits in a translating IOMMU domain; unchanged with an identity domain
 *      or no IOMMU (the IOMMU driver is not asked, so this holds even where
 *      its iova_to_phys() does not handle identity domains);
 *   2. validate the page: it must be one of our page_pool's pages whose DMA
 *      address, plus the buffer's offset, is the address reported;
 *   3. claim the buffer from the set of posted addresses, so that a buffer
 *      the device names twice, or never had, is refused.
 *
 * (The claim is made first, see nicvf_rb_claim().)  Anything failing a step
 * is dropped and counted.  A buffer that was ours by the posted set but
 * whose address does not lead back to it goes back to the pool through the
 * page recorded when it was posted, never through the address; nothing is
 * freed or written on behalf of an address we did not post.
 *
 * Buffers come from page_pool in fragment mode: the pool maps each page
 * once for its life in the pool, and sk_buffs built on the fragments hand
 * them back to the pool when freed.
 */

#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/hash.h>
#include <linux/if_vlan.h>
#include <linux/io.h>
#include <linux/iommu.h>
#include <linux/iopoll.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "nicvf_compat.h"
#include "nicvf_queues.h"
#include "nicvf_sq.h"

/* --- Drop reasons --------------------------------------------------------- */

const char nicvf_rx_drop_names[NICVF_RX_DROP_NR][ETH_GSTRING_LEN] = {
	[NICVF_RX_DROP_CQE_ERR]		= "rx_drop_cqe_err",
	[NICVF_RX_DROP_RB_CNT]		= "rx_drop_rb_cnt",
	[NICVF_RX_DROP_RB_LEN]		= "rx_drop_rb_len",
	[NICVF_RX_DROP_ADDR_UNMAPPED]	= "rx_drop_addr_unmapped",
	[NICVF_RX_DROP_ADDR_FOREIGN]	= "rx_drop_addr_foreign",
	[NICVF_RX_DROP_ADDR_NOT_POSTED]	= "rx_drop_addr_not_posted",
	[NICVF_RX_DROP_NOMEM]		= "rx_drop_nomem",
};
EXPORT_SYMBOL_IF_KUNIT(nicvf_rx_drop_names);

/* --- The posted-address set ----------------------------------------------- */

/*
 * Posted-address set.  Keys are DMA addresses with bit 0 set (buffers are
 * 128-byte aligned), so 0 marks a never-used slot and NICVF_POSTED_GONE one
 * whose buffer has been claimed.  Slots never return to empty, so a probe
 * for a posted key cannot stop short of it; inserts reuse claimed slots.
 * The table has four slots per ring entry and probes are bounded, so an
 * insert only fails if NICVF_POSTED_PROBES slots in a row hold live keys.
 *
 * A claim moves its slot through key | NICVF_POSTED_BUSY while it reads the
 * page, so refill cannot reuse the slot under it.  Keys are built only from
 * NICVF_RCV_BUF_ALIGN-aligned addresses, so bits 1 and 2 of a key are free
 * for GONE and BUSY.
 *
 * A device that reports a buffer again after it was claimed, recycled and
 * posted anew at the same address claims the new buffer: the address is
 * all a CQE carries.  That buffer is then ours and correctly handled; the
 * packet it belonged to is dropped when its own CQE finds it gone.
 */
#define NICVF_POSTED_EMPTY	0ULL
#define NICVF_POSTED_GONE	2ULL
#define NICVF_POSTED_BUSY	4ULL
#define NICVF_POSTED_PROBES	32
#define NICVF_POSTED_PER_ENTRY	4

static int nicvf_posted_init(struct nicvf_posted *set, u32 ring_len)
{
	u32 slots = roundup_pow_of_two(ring_len * NICVF_POSTED_PER_ENTRY);

	set->slot = kvcalloc(slots, sizeof(*set->slot), GFP_KERNEL);
	if (!set->slot)
		return -ENOMEM;
	set->mask = slots - 1;
	return 0;
}

static u32 nicvf_posted_hash(const struct nicvf_posted *set, u64 key)
{
	return hash_64(key >> 7, 32) & set->mask;
}

static bool nicvf_posted_add(struct nicvf_posted *set, dma_addr_t dma,
			     struct page *page)
{
	u64 key = (u64)dma | 1;
	u32 i = nicvf_posted_hash(set, key);
	int probe;

	/* The hardware ignores the low bits: such a buffer cannot be posted */
	if (WARN_ON_ONCE(dma & (NICVF_RCV_BUF_ALIGN - 1)))
		return false;

	for (probe = 0; probe < NICVF_POSTED_PROBES; probe++) {
		struct nicvf_posted_slot *s = &set->slot[i];
		/* Seeing GONE, see it after the claimer's read of the page */
		u64 old = smp_load_acquire(&s->key);

		/* Only refill writes empty or gone slots: no race here */
		if (old == NICVF_POSTED_EMPTY || old == NICVF_POSTED_GONE) {
			WRITE_ONCE(s->page, page);
			/* A claim that sees the key sees the page */
			smp_store_release(&s->key, key);
			return true;
		}
		i = (i + 1) & set->mask;
	}
	return false;
}

/* Claim @dma: on success the buffer is the caller's, posted on *@page */
static bool nicvf_posted_take(struct nicvf_posted *set, dma_addr_t dma,
			      struct page **page)
{
	u64 key = (u64)dma | 1;
	u32 i = nicvf_posted_hash(set, key);
	int probe;

	/* Never posted, and would alias the state bits */
	if (dma & (NICVF_RCV_BUF_ALIGN - 1))
		return false;

	for (probe = 0; probe < NICVF_POSTED_PROBES; probe++) {
		struct nicvf_posted_slot *s = &set->slot[i];
		u64 cur = READ_ONCE(s->key);

		if (cur == key) {
			if (cmpxchg(&s->key, key, key | NICVF_POSTED_BUSY) != key)
				return false;
			*page = READ_ONCE(s->page);
			/* Refill may reuse the slot once it reads GONE */
			smp_store_release(&s->key, NICVF_POSTED_GONE);
			return true;
		}
		if (cur == NICVF_POSTED_EMPTY)
			return false;
		i = (i + 1) & set->mask;
	}
	return false;
}

/* --- Receive buffers ------------------------------------------------------ */

/* A buffer resolved from a device-reported address */
struct nicvf_rx_buf {
	struct page *page;
	u32 offset;			/* of the data within the page */
	u32 len;			/* of the data, as validated */
};

/*
 * Resolve @addr, the DMA address of a buffer's data (@pad bytes into the
 * hardware area), to its page.  Returns NICVF_RX_PASS or why to drop.
 */
static int nicvf_rb_resolve(const struct nicvf_rbdr *rbdr, u64 addr, u32 pad,
			    struct nicvf_rx_buf *buf)
{
	phys_addr_t phys;
	struct page *page;
	unsigned long pfn;
	u64 off, frag;

	if (!addr)
		return NICVF_RX_DROP_ADDR_FOREIGN;
	if (rbdr->domain) {
		phys = iommu_iova_to_phys(rbdr->domain, addr);
		if (!phys)
			return NICVF_RX_DROP_ADDR_UNMAPPED;
	} else {
		/* Identity domain or no IOMMU: the bus address is physical */
		phys = addr;
	}

	pfn = PHYS_PFN(phys);
	if (!pfn_valid(pfn))
		return NICVF_RX_DROP_ADDR_FOREIGN;
	page = pfn_to_page(pfn);
	if (!page_pool_page_is_pp(page) || page->pp != rbdr->pool)
		return NICVF_RX_DROP_ADDR_FOREIGN;

	/* The pool's own record of the page's DMA address must agree */
	off = addr - page_pool_get_dma_addr(page);
	if (off >= PAGE_SIZE || off != offset_in_page(phys))
		return NICVF_RX_DROP_ADDR_FOREIGN;

	/* ... and the address must be where a buffer's data starts */
	if (off < NICVF_RX_HEADROOM + pad)
		return NICVF_RX_DROP_ADDR_FOREIGN;
	frag = off - pad - NICVF_RX_HEADROOM;
	if (frag % rbdr->stride || frag + rbdr->stride > PAGE_SIZE)
		return NICVF_RX_DROP_ADDR_FOREIGN;

	buf->page = page;
	buf->offset = off;
	return NICVF_RX_PASS;
}

static void nicvf_rb_release(struct nicvf_rbdr *rbdr, struct page *page)
{
	/* Not direct: eight receive queues and refill share this pool */
	page_pool_put_full_page(rbdr->pool, page, false);
}

/*
 * Claim, resolve and validate one buffer: NICVF_RX_PASS or a drop reason.
 *
 * The claim comes first: once the address is out of the posted set, the
 * buffer and its page stay ours, so the page cannot leave the pool (and its
 * IOVA be reused for another page) between resolving and using it.  An
 * address that cannot be claimed is still resolved, read-only, only to say
 * why it is refused.  A claimed address must resolve to the very page it
 * was posted on; if it does not (a broken IOMMU, or bounce buffering that
 * put the device's writes somewhere else), the buffer is dropped and goes
 * back to the pool through the recorded page.
 */
static int nicvf_rb_claim(struct nicvf_rbdr *rbdr, u64 addr, u32 pad,
			  struct nicvf_rx_buf *buf)
{
	struct page *posted;
	bool claimed = nicvf_posted_take(&rbdr->posted, addr - pad, &posted);
	int err = nicvf_rb_resolve(rbdr, addr, pad, buf);

	if (!claimed)
		return err != NICVF_RX_PASS ? err : NICVF_RX_DROP_ADDR_NOT_POSTED;
	if (err == NICVF_RX_PASS && buf->page != posted)
		err = NICVF_RX_DROP_ADDR_FOREIGN;
	if (err != NICVF_RX_PASS) {
		atomic_long_inc(&rbdr->rx_unresolved);
		nicvf_rb_release(rbdr, posted);
	}
	return err;
}

/* --- The receive buffer descriptor ring ----------------------------------- */

/* Post up to @count new buffers after the software tail; returns how many */
static u32 nicvf_rbdr_fill(struct nicvf_rbdr *rbdr, u32 count, gfp_t gfp)
{
	u32 mask = rbdr->ring_len - 1;
	u32 n;

	for (n = 0; n < count; n++) {
		unsigned int off;
		struct page *page;
		dma_addr_t dma;

		page = page_pool_alloc_frag(rbdr->pool, &off, rbdr->stride,
					    gfp);
		if (!page) {
			rbdr->alloc_fail++;
			break;
		}
		dma = page_pool_get_dma_addr(page) + off + NICVF_RX_HEADROOM;
		if (!nicvf_posted_add(&rbdr->posted, dma, page)) {
			nicvf_rb_release(rbdr, page);
			rbdr->post_fail++;
			break;
		}
		rbdr->desc[rbdr->tail] = dma;
		rbdr->tail = (rbdr->tail + 1) & mask;
	}
	return n;
}

/*
 * Say once, at setup, if our own buffers' addresses do not lead back to
 * them: then every packet will be dropped, and the log should tell why.
 */
static void nicvf_rbdr_check_resolve(struct nicvf_rbdr *rbdr)
{
	struct nicvf_rx_buf buf;
	int err = nicvf_rb_resolve(rbdr, rbdr->desc[0], 0, &buf);

	if (err == NICVF_RX_PASS)
		return;
	dev_warn(rbdr->dev,
		 "RBDR%d: buffer address %#llx does not resolve to its page (%s DMA address, %s); packets will be dropped and counted as %s\n",
		 rbdr->qidx, rbdr->desc[0],
		 rbdr->domain ? "IOMMU" : "untranslated",
		 rbdr->domain ? "is the IOMMU domain consistent?" :
				"bounce buffering or a DMA offset?",
		 nicvf_rx_drop_names[err]);
}

int nicvf_rbdr_init(struct nicvf_rbdr *rbdr, struct device *dev,
		    void __iomem *regs, int qidx, u32 ring_len, u32 buf_len,
		    struct net_device *netdev)
{
	struct page_pool_params pp = { 0 };
	struct iommu_domain *domain;
	u32 stride;
	int err;

	if (!is_power_of_2(ring_len) || ring_len < NICVF_RBDR_LEN_MIN ||
	    ring_len > NICVF_RBDR_LEN_MAX)
		return -EINVAL;
	if (!buf_len || buf_len % NICVF_RCV_BUF_ALIGN ||
	    buf_len / NICVF_RCV_BUF_ALIGN > FIELD_MAX(NIC_RBDR_CFG_LINES))
		return -EINVAL;
	stride = ALIGN(NICVF_RX_HEADROOM + buf_len +
		       SKB_DATA_ALIGN(sizeof(struct skb_shared_info)),
		       NICVF_RCV_BUF_ALIGN);
	if (stride > PAGE_SIZE)
		return -EINVAL;

	memset(rbdr, 0, sizeof(*rbdr));
	rbdr->ring_len = ring_len;
	rbdr->buf_len = buf_len;
	rbdr->stride = stride;
	rbdr->qidx = qidx;
	rbdr->regs = regs;
	rbdr->dev = dev;
	spin_lock_init(&rbdr->lock);

	/* Read the domain once: the answer does not change while bound */
	domain = iommu_get_domain_for_dev(dev);
	if (domain && domain->type != IOMMU_DOMAIN_IDENTITY)
		rbdr->domain = domain;

	rbdr->desc = dma_alloc_coherent(dev, ring_len * NICVF_RBDR_DESC_SIZE,
					&rbdr->desc_dma, GFP_KERNEL);
	if (!rbdr->desc)
		return -ENOMEM;

	err = nicvf_posted_init(&rbdr->posted, ring_len);
	if (err)
		goto err_desc;

	/*
	 * Fragments share a page, so the whole page is synced for the device
	 * when it returns to the pool.  No NAPI owns the pool: receive queues
	 * and refill run in different contexts, so recycling goes through the
	 * pool's ring and allocation is serialised by rbdr->lock.
	 */
	pp.order = 0;
	pp.flags = PP_FLAG_DMA_MAP | PP_FLAG_DMA_SYNC_DEV | NICVF_PP_FLAG_FRAG;
	/*
	 * pool_size counts pages, not buffers: enough to refill the whole
	 * ring from recycled pages, and no more, or after a burst held by
	 * the stack the pool keeps that many pages parked until destroyed.
	 */
	pp.pool_size = min_t(u32, DIV_ROUND_UP(ring_len, PAGE_SIZE / stride),
			     16384);
	pp.nid = dev_to_node(dev);
	pp.dev = dev;
	pp.dma_dir = DMA_FROM_DEVICE;
	pp.offset = 0;
	pp.max_len = PAGE_SIZE;
	/*
	 * The netdev netlink family lists the pool with its interface (no
	 * NAPI: the pool feeds every receive queue's)
	 */
	nicvf_pp_set_netdev(&pp, netdev);
	rbdr->pool = page_pool_create(&pp);
	if (IS_ERR(rbdr->pool)) {
		err = PTR_ERR(rbdr->pool);
		rbdr->pool = NULL;
		goto err_posted;
	}

	/* One entry stays empty: a full ring would look like an empty one */
	if (nicvf_rbdr_fill(rbdr, ring_len - 1, GFP_KERNEL) != ring_len - 1) {
		err = -ENOMEM;
		nicvf_rbdr_free(rbdr);
		return err;
	}
	nicvf_rbdr_check_resolve(rbdr);
	return 0;

err_posted:
	kvfree(rbdr->posted.slot);
	rbdr->posted.slot = NULL;
err_desc:
	dma_free_coherent(dev, ring_len * NICVF_RBDR_DESC_SIZE, rbdr->desc,
			  rbdr->desc_dma);
	rbdr->desc = NULL;
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(nicvf_rbdr_init);

/* Point the hardware at the ring and hand it the initial buffers */
void nicvf_rbdr_enable(struct nicvf_rbdr *rbdr)
{
	u64 cfg;

	cfg = NIC_RBDR_CFG_ENA |
	      FIELD_PREP(NIC_RBDR_CFG_QSIZE,
			 ilog2(rbdr->ring_len) - ilog2(NICVF_RBDR_LEN_MIN)) |
	      FIELD_PREP(NIC_RBDR_CFG_LINES,
			 rbdr->buf_len / NICVF_RCV_BUF_ALIGN);

	writeq(rbdr->desc_dma,
	       nicvf_qreg(rbdr->regs, NIC_QSET_RBDR_0_1_BASE, rbdr->qidx));
	/* Ask for more buffers once half the ring is used */
	writeq(FIELD_PREP(NIC_RBDR_THRESH, NICVF_RBDR_THRESH(rbdr->ring_len)),
	       nicvf_qreg(rbdr->regs, NIC_QSET_RBDR_0_1_THRESH, rbdr->qidx));
	writeq(cfg, nicvf_qreg(rbdr->regs, NIC_QSET_RBDR_0_1_CFG, rbdr->qidx));
	/* writeq orders the ring contents before the doorbell */
	writeq(rbdr->tail,
	       nicvf_qreg(rbdr->regs, NIC_QSET_RBDR_0_1_DOOR, rbdr->qidx));
}
EXPORT_SYMBOL_IF_KUNIT(nicvf_rbdr_enable);

/* Wait until the RBDR's FIFO is in @state */
static int nicvf_rbdr_wait_fifo(struct nicvf_rbdr *rbdr, u64 state)
{
	void __iomem *status0 = nicvf_qreg(rbdr->regs, NIC_QSET_RBDR_0_1_STATUS0,
					   rbdr->qidx);
	u64 val;
	int err;

	err = readq_poll_timeout(status0, val,
				 FIELD_GET(NIC_RBDR_STATUS0_FIFO_STATE, val) ==
				 state,
				 NICVF_STOP_POLL_US, NICVF_STOP_TIMEOUT_US);
	if (err)
		dev_err(rbdr->dev,
			"RBDR%d: FIFO stuck in state %llu waiting for %llu\n",
			rbdr->qidx, FIELD_GET(NIC_RBDR_STATUS0_FIFO_STATE, val),
			state);
	return err;
}

/*
 * Make the hardware let go of the ring, in the order it needs: a failed
 * FIFO is reset first; then disable, wait for the FIFO to go inactive and
 * the prefetcher to drain, reset, and disable again.  Returns -ETIMEDOUT
 * if the hardware does not go idle, in which case it may still write into
 * posted buffers and the caller must not free them.
 */
int nicvf_rbdr_stop(struct nicvf_rbdr *rbdr)
{
	void __iomem *cfg = nicvf_qreg(rbdr->regs, NIC_QSET_RBDR_0_1_CFG,
				       rbdr->qidx);
	void __iomem *prefetch = nicvf_qreg(rbdr->regs,
					    NIC_QSET_RBDR_0_1_PREFETCH_STATUS,
					    rbdr->qidx);
	u64 val;
	int err;

	val = readq(nicvf_qreg(rbdr->regs, NIC_QSET_RBDR_0_1_STATUS0,
			       rbdr->qidx));
	if (FIELD_GET(NIC_RBDR_STATUS0_FIFO_STATE, val) == NIC_RBDR_FIFO_FAIL)
		writeq(NIC_RBDR_CFG_RESET, cfg);

	writeq(0, cfg);
	err = nicvf_rbdr_wait_fifo(rbdr, NIC_RBDR_FIFO_INACTIVE);
	if (err)
		return err;
	err = readq_poll_timeout(prefetch, val,
				 FIELD_GET(NIC_RBDR_PREFETCH_LO, val) ==
				 FIELD_GET(NIC_RBDR_PREFETCH_HI, val),
				 NICVF_STOP_POLL_US, NICVF_STOP_TIMEOUT_US);
	if (err) {
		dev_err(rbdr->dev, "RBDR%d: prefetcher did not drain (%#llx)\n",
			rbdr->qidx, val);
		return err;
	}
	writeq(NIC_RBDR_CFG_RESET, cfg);
	err = nicvf_rbdr_wait_fifo(rbdr, NIC_RBDR_FIFO_RESET);
	if (err)
		return err;
	writeq(0, cfg);
	return nicvf_rbdr_wait_fifo(rbdr, NIC_RBDR_FIFO_INACTIVE);
}
EXPORT_SYMBOL_IF_KUNIT(nicvf_rbdr_stop);

/*
 * Post up to @max buffers towards what the hardware can hold, allocating
 * without sleeping.  Returns 0 once the ring is full, -EAGAIN if @max was
 * posted and more would fit (call again), -ENOMEM if memory ran short.
 * Callable from any context.
 */
int nicvf_rbdr_refill_some(struct nicvf_rbdr *rbdr, u32 max)
{
	u32 qcount, want, got = 0;
	int ret;

	spin_lock_bh(&rbdr->lock);
	qcount = FIELD_GET(NIC_RBDR_STATUS0_QCOUNT,
			   readq(nicvf_qreg(rbdr->regs,
					    NIC_QSET_RBDR_0_1_STATUS0,
					    rbdr->qidx)));
	want = qcount < rbdr->ring_len - 1 ? rbdr->ring_len - 1 - qcount : 0;
	ret = want > max ? -EAGAIN : 0;
	want = min_t(u32, want, max);
	if (want) {
		got = nicvf_rbdr_fill(rbdr, want, GFP_ATOMIC);
		if (got)
			writeq(got, nicvf_qreg(rbdr->regs,
					       NIC_QSET_RBDR_0_1_DOOR,
					       rbdr->qidx));
	}
	spin_unlock_bh(&rbdr->lock);
	return got < want ? -ENOMEM : ret;
}
EXPORT_SYMBOL_IF_KUNIT(nicvf_rbdr_refill_some);

/* Top the ring up to what the hardware can hold; -ENOMEM if short */
int nicvf_rbdr_refill(struct nicvf_rbdr *rbdr)
{
	return nicvf_rbdr_refill_some(rbdr, rbdr->ring_len);
}
EXPORT_SYMBOL_IF_KUNIT(nicvf_rbdr_refill);

/* Whether the hardware holds fewer buffers than its interrupt threshold */
bool nicvf_rbdr_low(struct nicvf_rbdr *rbdr)
{
	u64 status = readq(nicvf_qreg(rbdr->regs, NIC_QSET_RBDR_0_1_STATUS0,
				      rbdr->qidx));

	return FIELD_GET(NIC_RBDR_STATUS0_QCOUNT, status) <
	       NICVF_RBDR_THRESH(rbdr->ring_len);
}
EXPORT_SYMBOL_IF_KUNIT(nicvf_rbdr_low);

/* Buffers posted and not yet reported back by the hardware */
unsigned int nicvf_rbdr_posted_count(const struct nicvf_rbdr *rbdr)
{
	unsigned int i, n = 0;

	for (i = 0; i <= rbdr->posted.mask; i++)
		n += READ_ONCE(rbdr->posted.slot[i].key) & 1;
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(nicvf_rbdr_posted_count);

/*
 * Release everything: call with the hardware stopped and no receive context
 * running.  Every buffer still posted, including any the device took and
 * never reported, goes back to the pool through the page recorded when it
 * was posted, before the pool is destroyed.
 */
void nicvf_rbdr_free(struct nicvf_rbdr *rbdr)
{
	u32 i;

	if (rbdr->posted.slot) {
		for (i = 0; i <= rbdr->posted.mask; i++) {
			struct nicvf_posted_slot *s = &rbdr->posted.slot[i];

			if (!(s->key & 1))
				continue;
			s->key = NICVF_POSTED_GONE;
			nicvf_rb_release(rbdr, s->page);
		}
		kvfree(rbdr->posted.slot);
		rbdr->posted.slot = NULL;
	}
	if (rbdr->pool) {
		page_pool_destroy(rbdr->pool);
		rbdr->pool = NULL;
	}
	if (rbdr->desc) {
		dma_free_coherent(rbdr->dev,
				  rbdr->ring_len * NICVF_RBDR_DESC_SIZE,
				  rbdr->desc, rbdr->desc_dma);
		rbdr->desc = NULL;
	}
}
EXPORT_SYMBOL_IF_KUNIT(nicvf_rbdr_free);

/* --- Completion queues: setup and teardown -------------------------------- */

int nicvf_cq_init(struct nicvf_cq *cq, struct device *dev,
		  void __iomem *regs, int qidx, u32 ring_len,
		  struct nicvf_rbdr *rbdr, struct net_device *netdev,
		  bool cqe_rx2)
{
	if (!is_power_of_2(ring_len) || ring_len < NICVF_CQ_LEN_MIN ||
	    ring_len > NICVF_CQ_LEN_MAX)
		return -EINVAL;

	memset(cq, 0, sizeof(*cq));
	cq->desc = dma_alloc_coherent(dev, (size_t)ring_len * NICVF_CQE_SIZE,
				      &cq->desc_dma, GFP_KERNEL);
	if (!cq->desc)
		return -ENOMEM;
	cq->ring_len = ring_len;
	cq->qidx = qidx;
	cq->nq = qidx;
	cq->cqe_rx2 = cqe_rx2;
	cq->timer = NICVF_CQ_TIMER;
	cq->thresh = NICVF_CQ_THRESH_FOR(cqe_rx2);
	cq->regs = regs;
	cq->dev = dev;
	cq->netdev = netdev;
	cq->rbdr = rbdr;
	u64_stats_init(&cq->syncp);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(nicvf_cq_init);

/* Point the CQ, reset beforehand (nicvf_cq_stop() or a quiesce), at its ring */
void nicvf_cq_enable(struct nicvf_cq *cq)
{
	u64 cfg = NIC_CQ_CFG_ENA |
		  FIELD_PREP(NIC_CQ_CFG_QSIZE,
			     ilog2(cq->ring_len) - ilog2(NICVF_CQ_LEN_MIN));

	writeq(cq->desc_dma,
	       nicvf_qreg(cq->regs, NIC_QSET_CQ_0_7_BASE, cq->qidx));
	writeq(cfg, nicvf_qreg(cq->regs, NIC_QSET_CQ_0_7_CFG, cq->qidx));
	nicvf_cq_coalesce(cq, cq->timer, cq->thresh);
}
EXPORT_SYMBOL_IF_KUNIT(nicvf_cq_enable);

/* When the CQ interrupts: after @timer ticks, or once @thresh CQEs wait */
void nicvf_cq_coalesce(struct nicvf_cq *cq, u16 timer, u16 thresh)
{
	cq->timer = timer;
	cq->thresh = thresh;
	writeq(FIELD_PREP(NIC_CQ_THRESH, thresh),
	       nicvf_qreg(cq->regs, NIC_QSET_CQ_0_7_THRESH, cq->qidx));
	writeq(FIELD_PREP(NIC_CQ_CFG2_TIMER, timer),
	       nicvf_qreg(cq->regs, NIC_QSET_CQ_0_7_CFG2, cq->qidx));
}

/* Stop the hardware writing completions: timer off, disable, reset */
void nicvf_cq_stop(struct nicvf_cq *cq)
{
	/* The timer threshold survives a reset */
	writeq(0, nicvf_qreg(cq->regs, NIC_QSET_CQ_0_7_CFG2, cq->qidx));
	writeq(0, nicvf_qreg(cq->regs, NIC_QSET_CQ_0_7_CFG, cq->qidx));
	writeq(NIC_CQ_CFG_RESET,
	       nicvf_qreg(cq->regs, NIC_QSET_CQ_0_7_CFG, cq->qidx));
	cq->head = 0;
}
EXPORT_SYMBOL_IF_KUNIT(nicvf_cq_stop);

void nicvf_cq_free(struct nicvf_cq *cq)
{
	if (!cq->desc)
		return;
	dma_free_coherent(cq->dev, (size_t)cq->ring_len * NICVF_CQE_SIZE,
			  cq->desc, cq->desc_dma);
	cq->desc = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(nicvf_cq_free);

/* --- Received packets ----------------------------------------------------- */

/*
 * What the hardware parsed: checksum verdict, RSS hash and a stripped VLAN
 * tag.  Packets with a receive error never get here, so an L4 type of TCP
 * or UDP means the hardware checked that checksum (RQ_GEN_CFG) and it held.
 */
static void nicvf_rx_offloads(struct nicvf_cq *cq, struct sk_buff *skb,
			      u64 w0, u64 w2)
{
	netdev_features_t features = cq->netdev->features;
	enum pkt_hash_types type;

	if (features & NETIF_F_RXCSUM) {
		switch (FIELD_GET(CQE_RX_W0_L4_TYPE, w0)) {
		case CQE_RX_L4_TCP:
		case CQE_RX_L4_UDP:
			skb->ip_summed = CHECKSUM_UNNECESSARY;
			break;
		}
	}

	if (features & NETIF_F_RXHASH) {
		switch (FIELD_GET(CQE_RX_W0_RSS_ALG, w0)) {
		case CQE_RX_RSS_TCP_IP:
		case CQE_RX_RSS_UDP_IP:
		case CQE_RX_RSS_SCTP_IP:
			type = PKT_HASH_TYPE_L4;
			break;
		case CQE_RX_RSS_IP:
		case CQE_RX_RSS_GRE_IP:
			type = PKT_HASH_TYPE_L3;
			break;
		default:
			type = PKT_HASH_TYPE_NONE;
			break;
		}
		if (type != PKT_HASH_TYPE_NONE)
			skb_set_hash(skb, FIELD_GET(CQE_RX_W2_RSS_TAG, w2), type);
	}

	if ((w0 & CQE_RX_W0_VLAN_FOUND) && (w0 & CQE_RX_W0_VLAN_STRIPPED))
		__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q),
				       ntohs((__force __be16)
					     FIELD_GET(CQE_RX_W2_VLAN_TCI, w2)));
}

static void nicvf_rx_drop(struct nicvf_cq *cq, int reason)
{
	u64_stats_update_begin(&cq->syncp);
	cq->stats.rx_drops[reason]++;
	u64_stats_update_end(&cq->syncp);
	if (unlikely(READ_ONCE(cq->msg_enable) & NETIF_MSG_RX_ERR))
		dev_warn_ratelimited(cq->dev,
				     "CQ%d: received packet dropped: %s\n",
				     cq->qidx, nicvf_rx_drop_names[reason]);
}

/* Turn one CQE_RX into an sk_buff, or drop it and return its buffers */
static void nicvf_rx_cqe(struct nicvf_cq *cq, const u64 *cqe,
			 struct napi_struct *napi)
{
	struct nicvf_rx_buf bufs[CQE_RX_MAX_RB];
	struct nicvf_rbdr *rbdr = cq->rbdr;
	unsigned int rb_cnt, nbufs, i, total = 0;
	u32 pad, claimed = 0;
	int drop = NICVF_RX_PASS;
	struct sk_buff *skb;
	u64 w0, w1, ptr_word, lens = 0;

	/*
	 * The device may still write the entry: read each word once and use
	 * only the copies, so what was validated is what is used.
	 */
	/* A queue set with only send queues posted no buffer to name */
	if (unlikely(!rbdr)) {
		nicvf_rx_drop(cq, NICVF_RX_DROP_ADDR_NOT_POSTED);
		return;
	}
	w0 = READ_ONCE(cqe[0]);
	w1 = READ_ONCE(cqe[1]);
	rb_cnt = FIELD_GET(CQE_RX_W0_RB_CNT, w0);
	pad = FIELD_GET(CQE_RX_W1_ALIGN_PAD, w1);
	ptr_word = cq->cqe_rx2 ? CQE_RX_PTR_WORD_RX2 : CQE_RX_PTR_WORD;

	if (!rb_cnt || rb_cnt > CQE_RX_MAX_RB)
		drop = NICVF_RX_DROP_RB_CNT;
	else if (FIELD_GET(CQE_RX_W0_ERR_LEVEL, w0) ||
		 FIELD_GET(CQE_RX_W0_ERR_OPCODE, w0))
		drop = NICVF_RX_DROP_CQE_ERR;

	/*
	 * Claim every buffer the CQE names, even for a packet already known
	 * to be dropped, so that the good ones go back to the pool.
	 */
	nbufs = min_t(unsigned int, rb_cnt, CQE_RX_MAX_RB);
	for (i = 0; i < nbufs; i++) {
		u32 p = i ? 0 : pad;
		int err;

		/* Four lengths to a word: read each word once */
		if (!(i % CQE_RX_LENS_PER_WORD))
			lens = READ_ONCE(cqe[nicvf_cqe_rx_len_word(i)]);
		err = nicvf_rb_claim(rbdr, READ_ONCE(cqe[ptr_word + i]), p,
				     &bufs[i]);
		if (err != NICVF_RX_PASS) {
			if (drop == NICVF_RX_PASS)
				drop = err;
			continue;
		}
		claimed |= BIT(i);
		bufs[i].len = nicvf_cqe_rx_len(lens, i);
		if ((bufs[i].len + p > rbdr->buf_len ||
		     (!i && bufs[i].len < ETH_HLEN)) && drop == NICVF_RX_PASS)
			drop = NICVF_RX_DROP_RB_LEN;
		total += bufs[i].len;
	}

	if (drop != NICVF_RX_PASS)
		goto drop;

	for (i = 0; i < nbufs; i++)
		page_pool_dma_sync_for_cpu(rbdr->pool, bufs[i].page,
					   bufs[i].offset, bufs[i].len);

	skb = napi_build_skb(page_address(bufs[0].page) + bufs[0].offset -
			     pad - NICVF_RX_HEADROOM, rbdr->stride);
	if (!skb) {
		drop = NICVF_RX_DROP_NOMEM;
		goto drop;
	}
	skb_mark_for_recycle(skb);
	skb_reserve(skb, NICVF_RX_HEADROOM + pad);
	__skb_put(skb, bufs[0].len);
	for (i = 1; i < nbufs; i++)
		skb_add_rx_frag(skb, i - 1, bufs[i].page, bufs[i].offset,
				bufs[i].len, rbdr->stride);

	skb_record_rx_queue(skb, cq->nq);
	nicvf_rx_offloads(cq, skb, w0, READ_ONCE(cqe[2]));
	skb->protocol = eth_type_trans(skb, cq->netdev);

	u64_stats_update_begin(&cq->syncp);
	cq->stats.rx_packets++;
	cq->stats.rx_bytes += total;
	u64_stats_update_end(&cq->syncp);

	napi_gro_receive(napi, skb);
	return;

drop:
	for (i = 0; i < nbufs; i++)
		if (claimed & BIT(i))
			nicvf_rb_release(rbdr, bufs[i].page);
	nicvf_rx_drop(cq, drop);
}

/* --- Polling a completion queue ------------------------------------------- */

/*
 * Take what the CQ holds: received packets go up the stack, up to @budget
 * of them; sent packets are freed whatever the budget, as NAPI asks, so a
 * budget of 0 (netpoll) still reclaims the send queue, stopping at the
 * first received packet without touching it.  Returns the packets
 * received, or @budget if a received packet is left for the next poll.
 * The count is read once: entries that arrive meanwhile raise the
 * interrupt again when the poll re-arms it (the CQ_HEAD write-back), and a
 * device posting nothing but sends or other types cannot keep us here.
 */
int nicvf_cq_poll(struct nicvf_cq *cq, struct napi_struct *napi, int budget)
{
	struct nicvf_sq_done tx = { 0 };
	u32 mask = cq->ring_len - 1, count, n;
	int rx = 0;

	/* readq orders the count before the entries it covers */
	count = FIELD_GET(NIC_CQ_STATUS_QCOUNT,
			  readq(nicvf_qreg(cq->regs, NIC_QSET_CQ_0_7_STATUS,
					   cq->qidx)));
	count = min_t(u32, count, cq->ring_len);
	for (n = 0; n < count; n++) {
		const u64 *cqe = cq->desc + (size_t)cq->head * NICVF_CQE_SIZE;
		u64 type = FIELD_GET(CQE_W0_TYPE, READ_ONCE(cqe[0]));

		if (type == CQE_TYPE_RX) {
			if (rx == budget)
				break;
			nicvf_rx_cqe(cq, cqe, napi);
			rx++;
		} else if (type == CQE_TYPE_SEND) {
			nicvf_sq_cqe(cq, cqe, budget, &tx);
		}
		cq->head = (cq->head + 1) & mask;
	}
	if (n)
		writeq(n, nicvf_qreg(cq->regs, NIC_QSET_CQ_0_7_DOOR, cq->qidx));
	if (tx.packets)
		nicvf_sq_completed(cq->sq, &tx);
	return n < count ? budget : rx;
}
EXPORT_SYMBOL_IF_KUNIT(nicvf_cq_poll);
