// SPDX-License-Identifier: GPL-2.0-only
/* Benchmark baseline: upstream's receive algorithm; see baseline.h. */

#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/io.h>
#include <linux/iommu.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/skbuff.h>
#include <linux/slab.h>

#include "baseline.h"

/* What upstream maps and carves per buffer: data, pad and shared info */
#define BL_DMA_BUF_LEN	NICVF_RX_BUF_LEN_DEFAULT
#define BL_FRAG_LEN	(SKB_DATA_ALIGN(BL_DMA_BUF_LEN + NET_SKB_PAD) + \
			 SKB_DATA_ALIGN(sizeof(struct skb_shared_info)))

/* Pay the references owed for the buffers carved from the current page */
static void bl_settle_page(struct bl_rbdr *r)
{
	if (r->page && r->pageref)
		page_ref_add(r->page, r->pageref);
	r->pageref = 0;
}

/*
 * The next page to carve: the cached one if only the cache holds it, else
 * a new one, cached while the cache has room.  A cached page carries one
 * extra reference, the cache's.
 */
static struct page *bl_next_page(struct bl_rbdr *r, gfp_t gfp)
{
	struct page **slot = &r->pgcache[r->pgidx];
	struct page *page = *slot;

	if (page && page_ref_count(page) != 1)
		page = NULL;
	if (!page) {
		page = alloc_pages(gfp, 0);
		if (!page)
			return NULL;
		if (r->pgalloc >= r->pgcnt)
			return page;	/* used once, not cached */
		*slot = page;
		r->pgalloc++;
	}
	page_ref_add(page, 1);
	r->pgidx = (r->pgidx + 1) & (r->pgcnt - 1);
	return page;
}

static int bl_alloc_buf(struct bl_rbdr *r, gfp_t gfp, u64 *dma)
{
	dma_addr_t addr;

	if (r->page && r->page_off + r->buf_len <= PAGE_SIZE) {
		r->pageref++;
	} else {
		bl_settle_page(r);
		r->page = bl_next_page(r, gfp);
		if (!r->page) {
			r->alloc_fail++;
			return -ENOMEM;
		}
		r->page_off = 0;
	}
	addr = dma_map_page_attrs(r->dev, r->page, r->page_off, r->buf_len,
				  DMA_FROM_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
	if (dma_mapping_error(r->dev, addr)) {
		/* The reference taken for this buffer goes unused */
		if (r->pageref)
			r->pageref--;
		return -ENOMEM;
	}
	r->page_off += r->buf_len;
	*dma = addr;
	return 0;
}

static u32 bl_fill(struct bl_rbdr *r, u32 count, gfp_t gfp)
{
	u32 n;

	for (n = 0; n < count; n++) {
		u64 dma;

		if (bl_alloc_buf(r, gfp, &dma))
			break;
		r->desc[r->tail] = dma;
		r->tail = (r->tail + 1) & (r->ring_len - 1);
	}
	bl_settle_page(r);
	return n;
}

int bl_rbdr_init(struct bl_rbdr *r, struct device *dev, void __iomem *regs,
		 u32 ring_len)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);

	memset(r, 0, sizeof(*r));
	r->ring_len = ring_len;
	r->buf_len = BL_FRAG_LEN;
	r->regs = regs;
	r->dev = dev;
	if (domain && domain->type != IOMMU_DOMAIN_IDENTITY)
		r->domain = domain;
	r->pgcnt = roundup_pow_of_two(ring_len / (PAGE_SIZE / r->buf_len));
	r->pgcache = kcalloc(r->pgcnt, sizeof(*r->pgcache), GFP_KERNEL);
	r->desc = dma_alloc_coherent(dev, ring_len * 8, &r->desc_dma,
				     GFP_KERNEL);
	if (!r->pgcache || !r->desc) {
		bl_rbdr_free(r);
		return -ENOMEM;
	}
	if (bl_fill(r, ring_len - 1, GFP_KERNEL) != ring_len - 1) {
		bl_rbdr_free(r);
		return -ENOMEM;
	}
	return 0;
}

void bl_rbdr_enable(struct bl_rbdr *r)
{
	writeq(r->desc_dma, r->regs + NIC_QSET_RBDR_0_1_BASE);
	writeq(FIELD_PREP(NIC_RBDR_THRESH, NICVF_RBDR_THRESH(r->ring_len)),
	       r->regs + NIC_QSET_RBDR_0_1_THRESH);
	writeq(NIC_RBDR_CFG_ENA |
	       FIELD_PREP(NIC_RBDR_CFG_QSIZE,
			  ilog2(r->ring_len) - ilog2(NICVF_RBDR_LEN_MIN)) |
	       FIELD_PREP(NIC_RBDR_CFG_LINES,
			  BL_DMA_BUF_LEN / NICVF_RCV_BUF_ALIGN),
	       r->regs + NIC_QSET_RBDR_0_1_CFG);
	writeq(r->tail, r->regs + NIC_QSET_RBDR_0_1_DOOR);
}

int bl_rbdr_refill(struct bl_rbdr *r)
{
	u32 qcount = FIELD_GET(NIC_RBDR_STATUS0_QCOUNT,
			       readq(r->regs + NIC_QSET_RBDR_0_1_STATUS0));
	u32 want = r->ring_len - 1 - qcount, got;

	got = bl_fill(r, want, GFP_ATOMIC);
	if (got)
		writeq(got, r->regs + NIC_QSET_RBDR_0_1_DOOR);
	return got < want ? -ENOMEM : 0;
}

static phys_addr_t bl_to_phys(struct bl_rbdr *r, u64 addr)
{
	return r->domain ? iommu_iova_to_phys(r->domain, addr) : addr;
}

/* Release the buffers still posted (between the hardware's head and our tail) */
void bl_rbdr_free(struct bl_rbdr *r)
{
	u32 i, head;

	if (r->desc) {
		head = (readq(r->regs + NIC_QSET_RBDR_0_1_HEAD) >>
			NIC_RBDR_PTR_SHIFT) & (r->ring_len - 1);
		for (i = head; i != r->tail; i = (i + 1) & (r->ring_len - 1)) {
			phys_addr_t phys = bl_to_phys(r, r->desc[i]);

			dma_unmap_page_attrs(r->dev, r->desc[i], r->buf_len,
					     DMA_FROM_DEVICE,
					     DMA_ATTR_SKIP_CPU_SYNC);
			put_page(virt_to_page(phys_to_virt(phys)));
		}
		dma_free_coherent(r->dev, r->ring_len * 8, r->desc, r->desc_dma);
		r->desc = NULL;
	}
	if (r->pgcache) {
		for (i = 0; i < r->pgcnt; i++)
			if (r->pgcache[i])
				put_page(r->pgcache[i]);
		kfree(r->pgcache);
		r->pgcache = NULL;
	}
}

static void bl_rx_cqe(struct bl_cq *cq, const u64 *cqe,
		      struct napi_struct *napi)
{
	struct bl_rbdr *r = cq->rbdr;
	unsigned int rb_cnt = FIELD_GET(CQE_RX_W0_RB_CNT, cqe[0]);
	unsigned int pad = FIELD_GET(CQE_RX_W1_ALIGN_PAD, cqe[1]);
	const u64 *ptrs = cqe + (cq->ring.cqe_rx2 ? CQE_RX_PTR_WORD_RX2 :
						    CQE_RX_PTR_WORD);
	struct sk_buff *skb = NULL;
	unsigned int i;

	if (!rb_cnt || rb_cnt > CQE_RX_MAX_RB) {
		cq->drops++;
		return;
	}
	for (i = 0; i < rb_cnt; i++) {
		unsigned int len = nicvf_cqe_rx_len(cqe[nicvf_cqe_rx_len_word(i)],
						    i);
		phys_addr_t phys = bl_to_phys(r, ptrs[i]);
		void *va;

		if (!phys) {
			if (skb)
				kfree_skb(skb);
			cq->drops++;
			return;
		}
		if (!i) {
			dma_unmap_page_attrs(r->dev, ptrs[i] - pad, r->buf_len,
					     DMA_FROM_DEVICE,
					     DMA_ATTR_SKIP_CPU_SYNC);
			skb = build_skb(phys_to_virt(phys - pad), r->buf_len);
			if (!skb) {
				cq->drops++;
				return;
			}
			skb_reserve(skb, pad);
			__skb_put(skb, len);
		} else {
			dma_unmap_page_attrs(r->dev, ptrs[i], r->buf_len,
					     DMA_FROM_DEVICE,
					     DMA_ATTR_SKIP_CPU_SYNC);
			va = phys_to_virt(phys);
			skb_add_rx_frag(skb, i - 1, virt_to_page(va),
					va - page_address(virt_to_page(va)), len,
					r->buf_len);
		}
	}
	skb_record_rx_queue(skb, cq->ring.qidx);
	skb->protocol = eth_type_trans(skb, cq->ring.netdev);
	cq->packets++;
	napi_gro_receive(napi, skb);
}

int bl_cq_poll(struct bl_cq *cq, struct napi_struct *napi, int budget)
{
	struct nicvf_cq *ring = &cq->ring;
	void __iomem *status = nicvf_qreg(ring->regs, NIC_QSET_CQ_0_7_STATUS,
					  ring->qidx);
	void __iomem *door = nicvf_qreg(ring->regs, NIC_QSET_CQ_0_7_DOOR,
					ring->qidx);
	int done = 0;

	while (done < budget) {
		u32 count = FIELD_GET(NIC_CQ_STATUS_QCOUNT, readq(status)), n;

		if (!count)
			break;
		for (n = 0; n < count && done < budget; n++) {
			const u64 *cqe = ring->desc +
					 (size_t)ring->head * NICVF_CQE_SIZE;

			if (FIELD_GET(CQE_W0_TYPE, cqe[0]) == CQE_TYPE_RX)
				bl_rx_cqe(cq, cqe, napi);
			done++;
			ring->head = (ring->head + 1) & (ring->ring_len - 1);
		}
		writeq(n, door);
	}
	return done;
}
