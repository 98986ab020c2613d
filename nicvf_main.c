// SPDX-License-Identifier: GPL-2.0-only
/*
 * ThunderX VNIC virtual function driver: queue-set bring-up and teardown,
 * interrupts and NAPI, the net_device, the module parameters, PCI probe
 * and remove, and the module entry points.
 *
 * The mailbox to the PF is nicvf_mbx.c; the counters and ethtool are
 * nicvf_ethtool.c; the rings are nicvf_queues.c (receive buffers and
 * completions) and nicvf_sq.c (send queues).
 */

#include <linux/bitfield.h>
#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/if_vlan.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include "nic_reg.h"
#include "nicvf_compat.h"
#include "nicvf.h"

/* --- The queue set -------------------------------------------------------- */

/*
 * Levels at which a receive queue applies backpressure and then drops.  A
 * CQ level measures emptiness and an RBDR level fullness, both in 256ths
 * of the ring: receive while more than 224/256 of the CQ is free and more
 * than 8/256 of the RBDR holds buffers; drop below 216/256 and 0.
 */
#define NICVF_RQ_CQ_PASS	224
#define NICVF_RQ_CQ_DROP	216
#define NICVF_RQ_RBDR_PASS	8
#define NICVF_RQ_RBDR_DROP	0

/* Receive checks and VLAN stripping, as the interface's features ask */
static u64 nicvf_rq_gen_cfg(netdev_features_t features)
{
	u64 cfg = NIC_RQ_GEN_LEN_L3 | NIC_RQ_GEN_LEN_L4;

	if (features & NETIF_F_RXCSUM)
		cfg |= NIC_RQ_GEN_CSUM_L4 | NIC_RQ_GEN_CSUM_IP6_UDP0;
	if (features & NETIF_F_HW_VLAN_CTAG_RX)
		cfg |= NIC_RQ_GEN_VLAN_STRIP;
	return cfg;
}

/* Receive queue @rq: completions to CQ @rq, buffers from RBDR 0 */
static int nicvf_rq_up(struct nicvf *nic, int rq)
{
	void __iomem *cfg = nicvf_qreg(nic->regs, NIC_QSET_RQ_0_7_CFG, rq);
	u8 qs = nic->vf_id;
	int err;

	writeq(0, cfg);
	err = nicvf_mbx_rq_cfg(nic, NIC_MBOX_MSG_RQ_CFG, rq,
			       NIC_PF_RQ_CFG_CACHING |
			       FIELD_PREP(NIC_PF_RQ_CFG_CQ_QS, qs) |
			       FIELD_PREP(NIC_PF_RQ_CFG_CQ_IDX, rq) |
			       FIELD_PREP(NIC_PF_RQ_CFG_CONT_QS, qs) |
			       FIELD_PREP(NIC_PF_RQ_CFG_START_QS, qs));
	if (err)
		return err;
	err = nicvf_mbx_rq_cfg(nic, NIC_MBOX_MSG_RQ_BP_CFG, rq,
			       NIC_PF_RQ_BP_RBDR_ENA | NIC_PF_RQ_BP_CQ_ENA |
			       FIELD_PREP(NIC_PF_RQ_BP_RBDR_PASS,
					  NICVF_RQ_RBDR_PASS) |
			       FIELD_PREP(NIC_PF_RQ_BP_CQ_PASS,
					  NICVF_RQ_CQ_PASS) |
			       FIELD_PREP(NIC_PF_RQ_BP_BPID, qs));
	if (err)
		return err;
	err = nicvf_mbx_rq_cfg(nic, NIC_MBOX_MSG_RQ_DROP_CFG, rq,
			       NIC_PF_RQ_DROP_RBDR_ENA | NIC_PF_RQ_DROP_CQ_ENA |
			       FIELD_PREP(NIC_PF_RQ_DROP_RBDR_PASS,
					  NICVF_RQ_RBDR_PASS) |
			       FIELD_PREP(NIC_PF_RQ_DROP_RBDR_DROP,
					  NICVF_RQ_RBDR_DROP) |
			       FIELD_PREP(NIC_PF_RQ_DROP_CQ_PASS,
					  NICVF_RQ_CQ_PASS) |
			       FIELD_PREP(NIC_PF_RQ_DROP_CQ_DROP,
					  NICVF_RQ_CQ_DROP));
	if (err)
		return err;
	if (!rq)
		writeq(nicvf_rq_gen_cfg(nic->netdev->features),
		       nicvf_qreg(nic->regs, NIC_QSET_RQ_GEN_CFG, 0));
	writeq(NIC_RQ_CFG_ENA, cfg);
	return 0;
}

/* Send queue @sq: completions to CQ @sq */
static int nicvf_sq_up(struct nicvf *nic, int sq)
{
	int err;

	err = nicvf_sq_init(&nic->sq[sq], nic->dev, nic->regs, sq, nic->sq_len,
			    nic->netdev);
	if (err)
		return err;
	nic->sq[sq].nq = nic->qbase + sq;
	nic->sq[sq].tso = nic->tso;
	err = nicvf_mbx_sq_cfg(nic, sq,
			       FIELD_PREP(NIC_PF_SQ_CFG_CQ_QS, nic->vf_id) |
			       FIELD_PREP(NIC_PF_SQ_CFG_CQ_IDX, sq));
	if (err)
		return err;
	/* The CQ level, in 256ths, below which the SQ waits (as in-tree) */
	nic->sq[sq].cq_limit = NICVF_CQ_PIPELINE_RSVD * 256 / nic->cq_len;
	nicvf_sq_enable(&nic->sq[sq]);
	nic->cq[sq].sq = &nic->sq[sq];
	return 0;
}

/*
 * Stop every send and receive queue, the RBDR and the CQs, then free them.
 * If the hardware will not let go of a send queue or the RBDR, nothing is
 * freed (the device could still read or write the buffers) and -EBUSY is
 * returned: calling again retries.
 */
VISIBLE_IF_KUNIT int nicvf_qs_down(struct nicvf *nic)
{
	bool busy = false;
	int i;

	if (!nic->qs_on)
		return 0;
	for (i = 0; i < NICVF_MAX_QUEUES; i++)
		if (nic->sq[i].desc && nicvf_sq_stop(&nic->sq[i]))
			busy = true;
	for (i = 0; i < nic->rxqs; i++)
		writeq(0, nicvf_qreg(nic->regs, NIC_QSET_RQ_0_7_CFG, i));
	/* Packets already in the pipeline are written out */
	if (nic->rxqs)
		nicvf_mbx_simple(nic, NIC_MBOX_MSG_RQ_SW_SYNC);
	if (nic->rbdr.pool && nicvf_rbdr_stop(&nic->rbdr))
		busy = true;
	if (busy) {
		dev_err(nic->dev,
			"queue set did not stop: keeping its buffers, the device may still use them\n");
		return -EBUSY;
	}

	for (i = 0; i < nic->queues; i++) {
		nicvf_cq_stop(&nic->cq[i]);
		nicvf_cq_free(&nic->cq[i]);
	}
	nicvf_stats_save(nic);
	for (i = 0; i < NICVF_MAX_QUEUES; i++) {
		nicvf_sq_free(&nic->sq[i]);
		nic->cq[i].sq = NULL;
	}
	if (nic->rbdr.pool)
		nicvf_rbdr_free(&nic->rbdr);
	nicvf_mbx_qs_cfg(nic, 0);
	nic->qs_on = false;
	return 0;
}

/*
 * Quiesce every queue an earlier owner may have left running, those we
 * will use and those we will not: receive queues off (before one can take
 * our buffers), send and completion queues reset, so that each starts
 * from zero and a send queue is reset before the PF is told of it (the
 * in-tree driver's order).  The rings' own enables expect this.
 */
static void nicvf_qs_quiesce(struct nicvf *nic)
{
	int i;

	for (i = 0; i < NICVF_MAX_QUEUES; i++) {
		writeq(0, nicvf_qreg(nic->regs, NIC_QSET_RQ_0_7_CFG, i));
		writeq(NIC_SQ_CFG_RESET,
		       nicvf_qreg(nic->regs, NIC_QSET_SQ_0_7_CFG, i));
		writeq(0, nicvf_qreg(nic->regs, NIC_QSET_CQ_0_7_CFG2, i));
		writeq(NIC_CQ_CFG_RESET,
		       nicvf_qreg(nic->regs, NIC_QSET_CQ_0_7_CFG, i));
	}
}

/* The RBDR, filled and enabled, for a queue set that receives */
static int nicvf_qs_rbdr_up(struct nicvf *nic)
{
	int err;

	err = nicvf_rbdr_init(&nic->rbdr, nic->dev, nic->regs, 0,
			      nic->rbdr_len, NICVF_RX_BUF_LEN_DEFAULT,
			      nic->netdev);
	if (err) {
		/* A first fill that ran short is counted all the same */
		nicvf_stats_save_rbdr(nic);
		return err;
	}
	/*
	 * Whoever had the VF before (vfio, a guest, a crashed driver, our
	 * own stop that timed out) may have left the RBDR running with its
	 * own pointers: reclaim it before it is given our ring.  It has not
	 * seen our buffers yet, so they can go if it will not let go.
	 */
	err = nicvf_rbdr_stop(&nic->rbdr);
	if (err) {
		dev_err(nic->dev, "RBDR left running by an earlier owner will not reset\n");
		nicvf_rbdr_free(&nic->rbdr);
		return err;
	}
	nicvf_rbdr_enable(&nic->rbdr);
	return 0;
}

/*
 * Bring up the queue set in the hardware's order: the queue set, the RBDR,
 * the CQs, the receive queues that feed them, then the send queues.  CQ i
 * takes receive queue i's packets and send queue i's completions, for as
 * many as there are of each.  A primary has at least one of each; a
 * secondary queue set may have only one kind, and no RBDR without
 * receive queues.
 */
VISIBLE_IF_KUNIT int nicvf_qs_up(struct nicvf *nic, int rxqs, int txqs)
{
	int queues = max(rxqs, txqs);
	int err, i;

	if (rxqs < 0 || txqs < 0 || !queues || queues > NICVF_MAX_QUEUES ||
	    (!nic->sqs_mode && (!rxqs || !txqs)))
		return -EINVAL;
	if (nic->qs_on)
		return -EBUSY;
	err = nicvf_mbx_qs_cfg(nic, NIC_PF_QS_CFG_ENA |
				    FIELD_PREP(NIC_PF_QS_CFG_VNIC, nic->vf_id));
	if (err)
		return err;
	nicvf_qs_quiesce(nic);
	if (rxqs) {
		err = nicvf_qs_rbdr_up(nic);
		if (err) {
			nicvf_mbx_qs_cfg(nic, 0);
			return err;
		}
	}
	nic->qs_on = true;
	for (i = 0; i < queues; i++) {
		err = nicvf_cq_init(&nic->cq[i], nic->dev, nic->regs, i,
				    nic->cq_len, rxqs ? &nic->rbdr : NULL,
				    nic->netdev, nic->cqe_rx2);
		if (err)
			goto err_down;
		nic->queues = i + 1;
		nic->cq[i].nq = nic->qbase + i;
		nic->cq[i].timer = nic->cq_timer;
		nic->cq[i].thresh = nic->cq_thresh;
		nic->cq[i].msg_enable = nic->msg_enable;
		nicvf_cq_enable(&nic->cq[i]);
	}
	for (i = 0; i < rxqs; i++) {
		err = nicvf_rq_up(nic, i);
		if (err)
			goto err_down;
		nic->rxqs = i + 1;
	}
	for (i = 0; i < txqs; i++) {
		err = nicvf_sq_up(nic, i);
		if (err)
			goto err_down;
		nic->txqs = i + 1;
	}
	/* Every counter is initialised: they may be read */
	nicvf_stats_start(nic);
	return 0;

err_down:
	nicvf_qs_down(nic);
	return err;
}

/* --- Interrupts and NAPI -------------------------------------------------- */

static void nicvf_intr_off(struct nicvf *nic, u64 bits)
{
	writeq(bits, nic->regs + NIC_VF_ENA_W1C);
}

/* Clear what is pending, then enable: a new event raises a new interrupt */
static void nicvf_intr_on(struct nicvf *nic, u64 bits)
{
	writeq(bits, nic->regs + NIC_VF_INT);
	writeq(bits, nic->regs + NIC_VF_ENA_W1S);
}

static irqreturn_t nicvf_cq_intr(int irq, void *data)
{
	struct nicvf_qvec *qv = data;

	nicvf_intr_off(qv->nic, BIT_ULL(NICVF_INTR_CQ_SHIFT + qv->idx));
	napi_schedule(&qv->napi);
	return IRQ_HANDLED;
}

static int nicvf_poll(struct napi_struct *napi, int budget)
{
	struct nicvf_qvec *qv = container_of(napi, struct nicvf_qvec, napi);
	struct nicvf *nic = qv->nic;
	struct nicvf_cq *cq = &nic->cq[qv->idx];
	int done;

	done = nicvf_cq_poll(cq, napi, budget);
	if (done < budget && napi_complete_done(napi, done)) {
		void __iomem *head = nicvf_qreg(nic->regs, NIC_QSET_CQ_0_7_HEAD,
						qv->idx);
		u64 bit = BIT_ULL(NICVF_INTR_CQ_SHIFT + qv->idx);
		u64 at = readq(head);

		/*
		 * Clear, then write HEAD back unchanged, as the in-tree driver
		 * re-arms: the CQ looks at its count again, so CQEs that came
		 * since the last look raise the interrupt the clear took, at
		 * once above the threshold, from the timer below it.
		 */
		writeq(bit, nic->regs + NIC_VF_INT);
		writeq(at, head);
		writeq(bit, nic->regs + NIC_VF_ENA_W1S);
	}
	return done;
}

/*
 * The RBDR ran low: refill from a high-priority tasklet, as soon as the
 * softirqs run and not behind whatever the system workqueue is doing,
 * NICVF_REFILL_BATCH buffers a run so NAPI gets its turn in between.
 */
static irqreturn_t nicvf_rbdr_intr(int irq, void *data)
{
	struct nicvf *nic = data;

	nicvf_intr_off(nic, BIT_ULL(NICVF_INTR_RBDR_SHIFT));
	tasklet_hi_schedule(&nic->refill_tasklet);
	return IRQ_HANDLED;
}

static void nicvf_refill_tasklet(struct tasklet_struct *t)
{
	struct nicvf *nic = from_tasklet(nic, t, refill_tasklet);
	int err;

	if (!READ_ONCE(nic->refill_on))
		return;
	err = nicvf_rbdr_refill_some(&nic->rbdr, NICVF_REFILL_BATCH);
	if (err == -EAGAIN) {
		tasklet_hi_schedule(&nic->refill_tasklet);
		return;
	}
	if (err) {
		/* Short of memory: try again soon, the interrupt stays off */
		WRITE_ONCE(nic->refill_retries, nic->refill_retries + 1);
		schedule_delayed_work(&nic->refill_work,
				      msecs_to_jiffies(NICVF_REFILL_RETRY_MS));
		return;
	}
	nicvf_intr_on(nic, BIT_ULL(NICVF_INTR_RBDR_SHIFT));
	/* Ran low again while refilling: its interrupt went with the clear */
	if (nicvf_rbdr_low(&nic->rbdr)) {
		nicvf_intr_off(nic, BIT_ULL(NICVF_INTR_RBDR_SHIFT));
		tasklet_hi_schedule(&nic->refill_tasklet);
	}
}

/* The retry after a shortage: allocation stays in the tasklet */
static void nicvf_refill_work(struct work_struct *work)
{
	struct nicvf *nic = container_of(to_delayed_work(work), struct nicvf,
					 refill_work);

	if (READ_ONCE(nic->refill_on))
		tasklet_hi_schedule(&nic->refill_tasklet);
}

/* CQ @q's receive and send queues, those there are, are served by @napi */
static void nicvf_queue_napi(struct nicvf *nic, int q,
			     struct napi_struct *napi)
{
	if (q < nic->rxqs)
		netif_queue_set_napi(nic->netdev, nic->qbase + q,
				     NETDEV_QUEUE_TYPE_RX, napi);
	if (q < nic->txqs)
		netif_queue_set_napi(nic->netdev, nic->qbase + q,
				     NETDEV_QUEUE_TYPE_TX, napi);
}

/* A queue-set error (a CQ, SQ or RBDR fault): reset the queue set */
static irqreturn_t nicvf_qs_err_intr(int irq, void *data)
{
	struct nicvf *nic = data;
	/* A secondary queue set's error counts, and resets, at the primary */
	struct nicvf *p = nicvf_primary(nic);

	nicvf_intr_off(nic, NICVF_INTR_QS_ERR);
	WRITE_ONCE(p->qs_errors, p->qs_errors + 1);
	schedule_work(&p->reset_work);
	return IRQ_HANDLED;
}

static void nicvf_irqs_off(struct nicvf *nic)
{
	int i;

	nicvf_intr_off(nic, NICVF_INTR_CQ_MASK | NICVF_INTR_RBDR_MASK |
			    NICVF_INTR_QS_ERR);
	if (nic->qs_err_irq)
		free_irq(pci_irq_vector(nic->pdev, NICVF_INTR_ID_QS_ERR), nic);
	if (nic->rbdr_irq)
		free_irq(pci_irq_vector(nic->pdev, NICVF_INTR_ID_RBDR), nic);
	nic->qs_err_irq = false;
	nic->rbdr_irq = false;
	/*
	 * No handler is left to start a refill.  The tasklet and the retry
	 * each may schedule the other once more while they see refill_on:
	 * kill, cancel, kill.
	 */
	WRITE_ONCE(nic->refill_on, false);
	tasklet_kill(&nic->refill_tasklet);
	cancel_delayed_work_sync(&nic->refill_work);
	tasklet_kill(&nic->refill_tasklet);

	for (i = 0; i < NICVF_MAX_QUEUES; i++) {
		struct nicvf_qvec *qv = &nic->qv[i];

		if (!qv->irq)
			continue;
		irq_update_affinity_hint(pci_irq_vector(nic->pdev,
							NICVF_INTR_ID_CQ + i),
					 NULL);
		free_irq(pci_irq_vector(nic->pdev, NICVF_INTR_ID_CQ + i), qv);
		nicvf_queue_napi(nic, i, NULL);
		napi_disable(&qv->napi);
		__netif_napi_del(&qv->napi);
		qv->irq = false;
	}
	/* One grace period for all: no poll that completed is still running */
	synchronize_net();
	/*
	 * napi_disable() waits only for ownership: a poll finishing on
	 * another CPU may have re-enabled its CQ interrupt after the mask
	 * above, and a refill tasklet the RBDR's.  None is left now, so mask
	 * and clear for good.
	 */
	nicvf_intr_off(nic, NICVF_INTR_CQ_MASK | NICVF_INTR_RBDR_MASK |
			    NICVF_INTR_QS_ERR);
	writeq(NICVF_INTR_CQ_MASK | NICVF_INTR_RBDR_MASK | NICVF_INTR_QS_ERR,
	       nic->regs + NIC_VF_INT);
}

static int nicvf_request_irq(struct nicvf *nic, int vector,
			     irq_handler_t handler, char *name,
			     const char *what, void *data)
{
	int err;

	snprintf(name, IFNAMSIZ + 16, "%s-%s", nic->netdev->name, what);
	err = request_irq(pci_irq_vector(nic->pdev, vector), handler, 0, name,
			  data);
	if (err)
		dev_err(nic->dev, "cannot request interrupt %s: %d\n", name,
			err);
	return err;
}

/*
 * A handler and NAPI context for each CQ, then the RBDR and errors.  A
 * secondary queue set's are its own VF's vectors, on the primary's
 * interface and named by it; its queues are the interface's from qbase.
 */
static int nicvf_irqs_on(struct nicvf *nic)
{
	struct nicvf *p = nicvf_primary(nic);
	char what[24];			/* "sqs%d-qs-err", "rxtx-%d" */
	int node = dev_to_node(nic->dev);
	unsigned int cpu;
	u64 bits;
	int i, q, err;

	/* Firmware without proximity data: the node the PF told us */
	if (node == NUMA_NO_NODE)
		node = nic->node;

	for (i = 0; i < nic->queues; i++) {
		struct nicvf_qvec *qv = &nic->qv[i];

		qv->nic = nic;
		qv->idx = i;
		netif_napi_add(nic->netdev, &qv->napi, nicvf_poll);
		/* An interrupt as soon as the handler is in must find NAPI on */
		napi_enable(&qv->napi);
		q = nic->qbase + i;
		snprintf(what, sizeof(what), "rxtx-%d", q);
		err = nicvf_request_irq(nic, NICVF_INTR_ID_CQ + i, nicvf_cq_intr,
					qv->irq_name, what, qv);
		if (err) {
			napi_disable(&qv->napi);
			netif_napi_del(&qv->napi);
			goto err_off;
		}
		qv->irq = true;
		/* What the netdev netlink family shows: queues, NAPI, IRQ */
		netif_napi_set_irq(&qv->napi,
				   pci_irq_vector(nic->pdev, NICVF_INTR_ID_CQ + i));
		nicvf_queue_napi(nic, i, &qv->napi);
		/* One CPU per queue, those of the device's node first */
		cpu = cpumask_local_spread(q, node);
		irq_set_affinity_and_hint(pci_irq_vector(nic->pdev,
							 NICVF_INTR_ID_CQ + i),
					  cpumask_of(cpu));
		/*
		 * And that CPU sends on the queue: its completions come to
		 * the same CQ.  Only a default, once for each queue: what
		 * the user sets in xps_cpus stays.
		 */
		if (i < nic->txqs && q >= p->xps_set) {
			netif_set_xps_queue(nic->netdev, cpumask_of(cpu), q);
			p->xps_set = q + 1;
		}
	}
	bits = GENMASK_ULL(nic->queues - 1, 0) << NICVF_INTR_CQ_SHIFT |
	       NICVF_INTR_QS_ERR;
	if (nic->rbdr.pool) {
		WRITE_ONCE(nic->refill_on, true);
		if (nic->pnic)
			snprintf(what, sizeof(what), "sqs%d-rbdr",
				 nic->qbase / NICVF_MAX_QUEUES);
		err = nicvf_request_irq(nic, NICVF_INTR_ID_RBDR,
					nicvf_rbdr_intr, nic->rbdr_irq_name,
					nic->pnic ? what : "rbdr", nic);
		if (err)
			goto err_off;
		nic->rbdr_irq = true;
		bits |= BIT_ULL(NICVF_INTR_RBDR_SHIFT);
	}
	if (nic->pnic)
		snprintf(what, sizeof(what), "sqs%d-qs-err",
			 nic->qbase / NICVF_MAX_QUEUES);
	err = nicvf_request_irq(nic, NICVF_INTR_ID_QS_ERR, nicvf_qs_err_intr,
				nic->qs_err_irq_name,
				nic->pnic ? what : "qs-err", nic);
	if (err)
		goto err_off;
	nic->qs_err_irq = true;

	nicvf_intr_on(nic, bits);
	return 0;

err_off:
	nicvf_irqs_off(nic);
	return err;
}

static void nicvf_mbx_irq_off(struct nicvf *nic)
{
	writeq(NICVF_INTR_MBOX, nic->regs + NIC_VF_ENA_W1C);
	if (nic->mbx_irq)
		free_irq(pci_irq_vector(nic->pdev, NICVF_INTR_ID_MISC), nic);
	nic->mbx_irq = false;
}

/* Vectors for every CQ, the RBDRs, the mailbox and queue-set errors */
static int nicvf_mbx_irq_on(struct nicvf *nic)
{
	int err;

	err = pci_alloc_irq_vectors(nic->pdev, NICVF_MSIX_VECTORS,
				    NICVF_MSIX_VECTORS, PCI_IRQ_MSIX);
	if (err < 0) {
		dev_err(nic->dev, "cannot allocate %d MSI-X vectors: %d\n",
			NICVF_MSIX_VECTORS, err);
		return err;
	}
	err = request_irq(pci_irq_vector(nic->pdev, NICVF_INTR_ID_MISC),
			  nicvf_mbx_intr, 0, DRV_NAME "-mbox", nic);
	if (err) {
		dev_err(nic->dev, "cannot request the mailbox interrupt: %d\n",
			err);
		pci_free_irq_vectors(nic->pdev);
		return err;
	}
	nic->mbx_irq = true;
	/*
	 * Nothing an earlier owner enabled or left pending counts (a stale
	 * queue-set error would reset our first open), nor a message the PF
	 * left before we were listening.
	 */
	writeq(~0ULL, nic->regs + NIC_VF_ENA_W1C);
	writeq(~0ULL, nic->regs + NIC_VF_INT);
	writeq(NICVF_INTR_MBOX, nic->regs + NIC_VF_ENA_W1S);
	return 0;
}

/* --- Secondary queue sets ------------------------------------------------- */

/*
 * The SQS VFs bound to this driver.  A primary looks up the tokens the PF
 * hands it here, and attaches what it finds (pnic, qbase, netdev) or
 * lets it go with both locks held.  Lock order: RTNL, then this.
 */
static LIST_HEAD(nicvf_sqs_list);
static DEFINE_MUTEX(nicvf_sqs_lock);

/*
 * A VF's token for NICVF_PTR: random, with top bits that are neither all
 * 0 nor all 1, so no kernel address.  A driver that takes it for a
 * pointer, as the in-tree nicvf does, faults at once rather than writing
 * into our memory.
 */
#define NICVF_TOKEN_TAG		0x6e76

static u64 nicvf_new_token(void)
{
	return FIELD_PREP(GENMASK_ULL(63, 48), NICVF_TOKEN_TAG) |
	       (get_random_u64() & GENMASK_ULL(47, 0));
}

/* Queue set @qs's part of @n of the interface's queues: 8 to each in turn */
static int nicvf_qs_share(int n, int qs)
{
	return clamp(n - qs * NICVF_MAX_QUEUES, 0, NICVF_MAX_QUEUES);
}

/*
 * What ethtool -L may ask for: our own queue set, and one more for each
 * SQS VF of ours that no other primary has, as far as the interface has
 * queues (nicvf_queues_limit()).  The PF lends its SQS VFs
 * first come, first served, so an open may get fewer.
 */
int nicvf_max_queues(struct nicvf *nic)
{
	struct nicvf *s;
	int n = 0;

	mutex_lock(&nicvf_sqs_lock);
	list_for_each_entry(s, &nicvf_sqs_list, sqs_node)
		if (!s->pnic || s->pnic == nic)
			n++;
	mutex_unlock(&nicvf_sqs_lock);
	return min_t(int, NICVF_MAX_QUEUES * (1 + min(n, NICVF_MAX_SQS)),
		     nic->netdev->num_tx_queues);
}

/*
 * An SQS VF no primary has any more (nicvf_sqs_lock).  Rings that would
 * not stop stay its own, pointed at its own net_device (the primary's may
 * be freed before they are retried), and it is lent to nobody again.
 */
static void nicvf_sqs_release(struct nicvf *snic)
{
	int i;

	snic->pnic = NULL;
	snic->qbase = 0;
	snic->netdev = pci_get_drvdata(snic->pdev);
	if (!snic->qs_on)
		return;
	snic->sqs_stuck = true;
	for (i = 0; i < NICVF_MAX_QUEUES; i++) {
		snic->cq[i].netdev = snic->netdev;
		snic->sq[i].netdev = snic->netdev;
	}
}

/*
 * Take SQS @i of the PF's grant as our next queue set, with @rxqs and
 * @txqs of the interface's queues (RTNL, nicvf_sqs_lock): the VF whose
 * token the PF names, if it is one of ours and free, and if the PF, asked
 * from that VF's side, names us as its primary.  A VF we cannot use keeps
 * its place at the PF (only that VF could give it back); the queue sets
 * after it are used all the same.
 */
static void nicvf_sqs_attach(struct nicvf *nic, int i, int rxqs, int txqs)
{
	struct nicvf *snic = NULL, *s;
	u64 token;
	int err;

	if (nicvf_mbx_snicvf_ptr(nic, i, &token))
		return;
	list_for_each_entry(s, &nicvf_sqs_list, sqs_node)
		if (s->token == token && !s->pnic && !s->sqs_stuck)
			snic = s;
	if (!snic) {
		netdev_warn(nic->netdev,
			    "secondary queue set %d from the PF is not a free VF of this driver\n",
			    i);
		return;
	}
	if (nicvf_mbx_pnicvf_ptr(snic, &token))
		return;
	if (token != nic->token) {
		dev_err(snic->dev,
			"the PF lends this secondary queue set to another VF\n");
		return;
	}

	snic->pnic = nic;
	snic->sqs_idx = i;
	snic->qbase = (nic->sqs_count + 1) * NICVF_MAX_QUEUES;
	snic->netdev = nic->netdev;
	snic->rbdr_len = nic->rbdr_len;
	snic->cq_len = nic->cq_len;
	snic->sq_len = nic->sq_len;
	snic->cq_timer = nic->cq_timer;
	snic->cq_thresh = nic->cq_thresh;
	snic->msg_enable = nic->msg_enable;
	/* A queue set an earlier teardown could not stop: try again */
	err = nicvf_qs_down(snic);
	if (!err)
		err = nicvf_qs_up(snic, rxqs, txqs);
	if (err) {
		/* The PF frees an SQS's place only at its own SHUTDOWN */
		nicvf_mbx_simple(snic, NIC_MBOX_MSG_SHUTDOWN);
		nicvf_sqs_release(snic);
		return;
	}
	spin_lock_bh(&nic->stats_lock);
	nic->snic[nic->sqs_count++] = snic;
	spin_unlock_bh(&nic->stats_lock);
}

/*
 * The queue sets beyond our own that the interface's queues need, as many
 * as the PF gives and we can use: rx_all and tx_all say how many queues
 * that makes, and the stack is told when it is fewer than asked.
 */
static int nicvf_sqs_up(struct nicvf *nic)
{
	struct net_device *netdev = nic->netdev;
	int want = DIV_ROUND_UP(max(nic->rxqs_cfg, nic->txqs_cfg),
				NICVF_MAX_QUEUES) - 1;
	u8 granted = 0;
	int err = 0, i, qs;

	/* Without our token the PF could not confirm any loan to us */
	if (want > 0 && nic->token_ok) {
		mutex_lock(&nicvf_sqs_lock);
		if (nicvf_mbx_alloc_sqs(nic, want, &granted))
			granted = 0;
		for (i = 0; i < min_t(int, granted, want); i++) {
			qs = nic->sqs_count + 1;
			nicvf_sqs_attach(nic, i, nicvf_qs_share(nic->rxqs_cfg, qs),
					 nicvf_qs_share(nic->txqs_cfg, qs));
		}
		mutex_unlock(&nicvf_sqs_lock);
	}
	i = NICVF_MAX_QUEUES * (1 + nic->sqs_count);
	nic->rx_all = min(nic->rxqs_cfg, i);
	nic->tx_all = min(nic->txqs_cfg, i);
	if (nic->sqs_count < want)
		netdev_warn(netdev,
			    "%d of the %d secondary queue sets asked of the PF are usable: %d receive and %d send queues\n",
			    nic->sqs_count, want, nic->rx_all, nic->tx_all);
	if (netdev->real_num_tx_queues != nic->tx_all) {
		err = netif_set_real_num_tx_queues(netdev, nic->tx_all);
		/* The core dropped the XPS maps of the queues that went */
		nic->xps_set = min(nic->xps_set, nic->tx_all);
	}
	if (!err && netdev->real_num_rx_queues != nic->rx_all)
		err = netif_set_real_num_rx_queues(netdev, nic->rx_all);
	return err;
}

/* Every SQS back to the PF, the last first (RTNL, their interrupts off) */
static void nicvf_sqs_down(struct nicvf *nic)
{
	struct nicvf *snic;
	int i;

	for (i = nic->sqs_count - 1; i >= 0; i--) {
		snic = nic->snic[i];
		/*
		 * The PF frees the slot at the SQS's SHUTDOWN, and could lend
		 * it again: not while rings that would not stop may still DMA
		 */
		if (!nicvf_qs_down(snic))
			nicvf_mbx_simple(snic, NIC_MBOX_MSG_SHUTDOWN);
		writeq(NICVF_INTR_CQ_MASK | NICVF_INTR_RBDR_MASK |
		       NICVF_INTR_QS_ERR, snic->regs + NIC_VF_INT);
		spin_lock_bh(&nic->stats_lock);
		nic->snic[i] = NULL;
		nic->sqs_count = i;
		spin_unlock_bh(&nic->stats_lock);
		mutex_lock(&nicvf_sqs_lock);
		nicvf_sqs_release(snic);
		mutex_unlock(&nicvf_sqs_lock);
	}
	nic->rx_all = 0;
	nic->tx_all = 0;
}

/* --- The network interface ------------------------------------------------ */

static void nicvf_link_work(struct work_struct *work)
{
	struct nicvf *nic = container_of(to_delayed_work(work), struct nicvf,
					 link_work);

	/* The answer, taken by the mailbox interrupt, sets the carrier */
	nicvf_mbx_link(nic);
	schedule_delayed_work(&nic->link_work,
			      msecs_to_jiffies(NICVF_LINK_POLL_MS));
}

/*
 * The size of the PF's RSS table for us, as much of it as we use (a power
 * of 2, at most NICVF_RSS_MAX): asked once, then kept
 */
int nicvf_rss_size(struct nicvf *nic)
{
	u16 size;
	int err;

	if (nic->rss_size)
		return nic->rss_size;
	err = nicvf_mbx_rss_size(nic, &size);
	if (err)
		return err;
	size = min_t(u16, size, NICVF_RSS_MAX);
	nic->rss_size = size ? rounddown_pow_of_two(size) : 0;
	return nic->rss_size;
}

/*
 * The key and the hashed headers to the VNIC, the table @indir (the
 * interface's queue numbers) to the PF.  The PF reads an entry as
 * (index in its grant + 1) << 3 | receive queue: queue 8k + q is our
 * queue set k's, which is the PF's SQS sqs_idx.
 */
static int nicvf_rss_send(struct nicvf *nic, const u8 *indir)
{
	u8 tbl[NICVF_RSS_MAX];
	int i, qs;

	for (i = 0; i < NIC_RSS_KEY_WORDS; i++)
		writeq(get_unaligned_le64(&nic->rss_key[i * 8]),
		       nic->regs + NIC_VNIC_RSS_KEY_0_4 + i * 8);
	writeq(nic->rss_cfg, nic->regs + NIC_VNIC_RSS_CFG);
	for (i = 0; i < nic->rss_size; i++) {
		qs = indir[i] / NICVF_MAX_QUEUES;
		tbl[i] = indir[i] % NICVF_MAX_QUEUES;
		if (qs && qs <= nic->sqs_count)
			tbl[i] |= (nic->snic[qs - 1]->sqs_idx + 1) *
				  NICVF_MAX_QUEUES;
	}
	return nicvf_mbx_rss_cfg(nic, ilog2(nic->rss_size), tbl,
				 nic->rss_size);
}

int nicvf_rss_write(struct nicvf *nic)
{
	return nicvf_rss_send(nic, nic->rss_indir);
}

/*
 * Spread flows over the receive queues, as far as the PF's table allows:
 * evenly, unless ethtool -X set the table (which the core keeps within
 * the receive queues asked for).  If the PF lent fewer queue sets than
 * the user's table needs, an even spread stands in for it until an open
 * has them all again.
 */
static int nicvf_rss_config(struct nicvf *nic)
{
	bool mine = netif_is_rxfh_configured(nic->netdev);
	u8 even[NICVF_RSS_MAX];
	int size, i;

	size = nicvf_rss_size(nic);
	if (size <= 0)
		return size;
	for (i = 0; i < size; i++)
		even[i] = ethtool_rxfh_indir_default(i, nic->rx_all);
	if (!mine) {
		memcpy(nic->rss_indir, even, size);
		return nicvf_rss_send(nic, nic->rss_indir);
	}
	for (i = 0; i < size; i++)
		if (nic->rss_indir[i] >= nic->rx_all) {
			netdev_warn(nic->netdev,
				    "the RSS table names receive queue %u of %d: spreading evenly until the queues are there\n",
				    nic->rss_indir[i], nic->rx_all);
			return nicvf_rss_send(nic, even);
		}
	return nicvf_rss_send(nic, nic->rss_indir);
}

/* What the stack's flags and address lists ask of the filter now */
static void nicvf_rx_filter_get(struct nicvf *nic, struct nicvf_rx_filter *f)
{
	struct net_device *netdev = nic->netdev;
	struct netdev_hw_addr *ha;
	bool mc;
	int n;

	memset(f, 0, sizeof(*f));
	netif_addr_lock_bh(netdev);
	mc = netdev->flags & IFF_MULTICAST;
	n = 1 + netdev_uc_count(netdev) + (mc ? netdev_mc_count(netdev) : 0);
	if (netdev->flags & IFF_PROMISC) {
		f->mode = NICVF_XCAST_BCAST | NICVF_XCAST_MCAST;
	} else if (netdev->flags & IFF_ALLMULTI || n > NICVF_CAM_ENTRIES) {
		/* nicpf has no mode that filters unicast alone */
		f->mode = NICVF_XCAST_MCAST;
	} else {
		f->mode = NICVF_XCAST_MCAST_FILTER;
		ether_addr_copy(f->addr[f->count++], netdev->dev_addr);
		netdev_for_each_uc_addr(ha, netdev)
			ether_addr_copy(f->addr[f->count++], ha->addr);
		if (mc)
			netdev_for_each_mc_addr(ha, netdev)
				ether_addr_copy(f->addr[f->count++], ha->addr);
	}
	if (netdev->flags & IFF_BROADCAST)
		f->mode |= NICVF_XCAST_BCAST;
	netif_addr_unlock_bh(netdev);
}

/*
 * Gives the PF @f, unless it has it already (@force: whatever it has).
 * The caller holds filter_lock.  On a failure after RESET_XCAST the
 * filter accepts every address, and the next change tries again.
 */
static int nicvf_rx_filter_set(struct nicvf *nic,
			       const struct nicvf_rx_filter *f, bool force)
{
	int err, i;

	if (!force && nic->filter_ok && !memcmp(f, &nic->filter, sizeof(*f)))
		return 0;
	nic->filter_ok = false;
	err = nicvf_mbx_simple(nic, NIC_MBOX_MSG_RESET_XCAST);
	for (i = 0; !err && i < f->count; i++)
		err = nicvf_mbx_add_mcast(nic, f->addr[i]);
	if (!err)
		err = nicvf_mbx_set_xcast(nic, f->mode);
	if (err)
		return err;
	nic->filter = *f;
	nic->filter_ok = true;
	return 0;
}

/* At open: the filter before the LMAC is enabled, and changes from now */
static int nicvf_rx_filter_on(struct nicvf *nic)
{
	struct nicvf_rx_filter f;
	int err;

	mutex_lock(&nic->filter_lock);
	nicvf_rx_filter_get(nic, &f);
	err = nicvf_rx_filter_set(nic, &f, true);
	nic->filter_on = !err;
	mutex_unlock(&nic->filter_lock);
	return err;
}

/* At close: no change reaches the PF any more (the filter stays in it) */
static void nicvf_rx_filter_off(struct nicvf *nic)
{
	mutex_lock(&nic->filter_lock);
	nic->filter_on = false;
	mutex_unlock(&nic->filter_lock);
	cancel_work_sync(&nic->rx_mode_work);
}

static void nicvf_rx_mode_work(struct work_struct *work)
{
	struct nicvf *nic = container_of(work, struct nicvf, rx_mode_work);
	struct nicvf_rx_filter f;
	int err;

	mutex_lock(&nic->filter_lock);
	if (nic->filter_on) {
		nicvf_rx_filter_get(nic, &f);
		err = nicvf_rx_filter_set(nic, &f, false);
		if (err)
			netdev_warn(nic->netdev,
				    "cannot program the receive address filter: %d\n",
				    err);
	}
	mutex_unlock(&nic->filter_lock);
}

/* Called under the address lists' spinlock: the mailbox waits elsewhere */
static void nicvf_set_rx_mode(struct net_device *netdev)
{
	struct nicvf *nic = netdev_priv(netdev);

	schedule_work(&nic->rx_mode_work);
}

/*
 * Everything the PF sets up for the VF beyond the queues.  The BGX keeps
 * what an earlier driver of this VF left in it (a multicast filter with
 * its old addresses, internal loopback, an 8-byte receive timestamp we
 * would take for packet data), across SHUTDOWN: put each in a known state.
 */
static int nicvf_pf_config(struct nicvf *nic)
{
	struct net_device *netdev = nic->netdev;
	int err;

	err = nicvf_mbx_cpi_cfg(nic, nic->rxqs, 0);
	if (err)
		return err;
	err = nicvf_rss_config(nic);
	if (err)
		return err;
	err = nicvf_mbx_set_mac(nic, netdev->dev_addr);
	if (err)
		return err;
	err = nicvf_rx_filter_on(nic);
	if (err)
		return err;
	/* The VNIC's counters count from this open (ours keep the rest) */
	err = nicvf_mbx_reset_stats(nic);
	if (err)
		return err;
	nicvf_hw_stats_start(nic);
	err = nicvf_mbx_ptp_cfg(nic, false);
	if (err)
		return err;
	/*
	 * nicpf also (re)writes its node-wide CQ and RRM averaging settings
	 * for LOOPBACK, to the constants it always uses: harmless, but it is
	 * why the in-tree driver only sends it when the feature is toggled.
	 * Internal loopback is as ethtool -K last set it (off by default).
	 */
	if (nic->loopback_supported) {
		err = nicvf_mbx_loopback(nic,
					 netdev->features & NETIF_F_LOOPBACK);
		if (err)
			return err;
	}
	return nicvf_mbx_set_max_frs(nic, netdev->mtu);
}

/* The interrupts of every queue set, the secondary ones after ours */
static int nicvf_irqs_on_all(struct nicvf *nic)
{
	int err, i;

	err = nicvf_irqs_on(nic);
	for (i = 0; !err && i < nic->sqs_count; i++)
		err = nicvf_irqs_on(nic->snic[i]);
	return err;
}

static void nicvf_irqs_off_all(struct nicvf *nic)
{
	int i;

	for (i = 0; i < nic->sqs_count; i++)
		nicvf_irqs_off(nic->snic[i]);
	nicvf_irqs_off(nic);
}

/* Everything nicvf_open() set up, in reverse; SHUTDOWN tells the PF early */
static void nicvf_down(struct nicvf *nic)
{
	struct net_device *netdev = nic->netdev;

	/* No link answer may turn the carrier back on after this */
	WRITE_ONCE(nic->if_up, false);
	cancel_delayed_work_sync(&nic->link_work);
	nicvf_rx_filter_off(nic);
	nicvf_mbx_simple(nic, NIC_MBOX_MSG_SHUTDOWN);
	netif_carrier_off(netdev);
	/*
	 * NAPI first: a reset runs this with the interface still marked
	 * running, and a completion must not wake a queue being torn down.
	 */
	nicvf_irqs_off_all(nic);
	netif_tx_disable(netdev);
	if (nicvf_qs_down(nic))
		dev_err(nic->dev,
			"the queue set stays allocated until the interface is brought up again or removed\n");
	nicvf_sqs_down(nic);
	writeq(NICVF_INTR_CQ_MASK | NICVF_INTR_RBDR_MASK | NICVF_INTR_QS_ERR,
	       nic->regs + NIC_VF_INT);
	nicvf_hw_stats_save(nic);
}

static int nicvf_open(struct net_device *netdev)
{
	struct nicvf *nic = netdev_priv(netdev);
	int err, i;

	netif_carrier_off(netdev);
	nic->link_up = false;
	/* A queue set an earlier teardown could not stop: try again */
	err = nicvf_qs_down(nic);
	if (err)
		goto err_out;
	/* Secondary queue sets first: the PF's RSS programming needs them */
	err = nicvf_sqs_up(nic);
	if (!err)
		err = nicvf_qs_up(nic, nicvf_qs_share(nic->rx_all, 0),
				  nicvf_qs_share(nic->tx_all, 0));
	if (err)
		goto err_sqs;
	err = nicvf_pf_config(nic);
	if (err)
		goto err_qs;
	err = nicvf_irqs_on_all(nic);
	if (err)
		goto err_irqs;
	/* The primary's CFG_DONE, last, enables the LMAC (in-tree's order) */
	for (i = 0; !err && i < nic->sqs_count; i++)
		err = nicvf_mbx_simple(nic->snic[i], NIC_MBOX_MSG_CFG_DONE);
	if (err)
		goto err_irqs;
	err = nicvf_mbx_simple(nic, NIC_MBOX_MSG_CFG_DONE);
	if (err) {
		/*
		 * The PF may have enabled the LMAC and only its answer been
		 * lost: take that back, as a close would.
		 */
		nicvf_mbx_simple(nic, NIC_MBOX_MSG_SHUTDOWN);
		goto err_irqs;
	}
	netif_tx_start_all_queues(netdev);
	/* Link answers count from now: the first poll asks at once */
	WRITE_ONCE(nic->if_up, true);
	schedule_delayed_work(&nic->link_work, 0);
	return 0;

err_irqs:
	nicvf_irqs_off_all(nic);
err_qs:
	nicvf_rx_filter_off(nic);
	nicvf_hw_stats_save(nic);
	nicvf_qs_down(nic);
err_sqs:
	nicvf_sqs_down(nic);
err_out:
	netdev_err(netdev, "cannot bring the interface up: %d\n", err);
	return err;
}

static int nicvf_stop(struct net_device *netdev)
{
	nicvf_down(netdev_priv(netdev));
	return 0;
}

static void nicvf_reset_work(struct work_struct *work)
{
	struct nicvf *nic = container_of(work, struct nicvf, reset_work);
	struct net_device *netdev = nic->netdev;

	rtnl_lock();
	/* A secondary queue set that has gone from its primary has nothing */
	if (!nic->sqs_mode && netif_running(netdev)) {
		netdev_warn(netdev, "resetting the queue set\n");
		nicvf_down(nic);
		if (nicvf_open(netdev))
			netdev_err(netdev,
				   "reset failed; the interface stays down until brought up again\n");
	}
	rtnl_unlock();
}

/* The lengths and counts the next open uses; the stack's queue counts too */
static int nicvf_set_queues(struct nicvf *nic, u32 cq_len, u32 sq_len,
			    int rxqs, int txqs)
{
	unsigned int old_txqs = nic->netdev->real_num_tx_queues;
	int err;

	err = netif_set_real_num_tx_queues(nic->netdev, txqs);
	if (err)
		return err;
	err = netif_set_real_num_rx_queues(nic->netdev, rxqs);
	if (err) {
		netif_set_real_num_tx_queues(nic->netdev, old_txqs);
		return err;
	}
	nic->cq_len = cq_len;
	nic->sq_len = sq_len;
	nic->rxqs_cfg = rxqs;
	nic->txqs_cfg = txqs;
	/* The core dropped the XPS maps of the queues that went */
	nic->xps_set = min(nic->xps_set, txqs);
	return 0;
}

/*
 * ethtool -G and -L.  While down, the settings wait for the next open.
 * While up, the queue set is torn down and built again with them: the
 * counters stay (every teardown keeps them) and every buffer goes back to
 * its pool.  Settings that cannot come up give way to the old ones again,
 * so that a failed change leaves the interface as it was.
 */
int nicvf_reconfigure(struct nicvf *nic, u32 cq_len, u32 sq_len, int rxqs,
		      int txqs, struct netlink_ext_ack *extack)
{
	struct net_device *netdev = nic->netdev;
	u32 old_cq_len = nic->cq_len, old_sq_len = nic->sq_len;
	int old_rxqs = nic->rxqs_cfg, old_txqs = nic->txqs_cfg;
	bool up = netif_running(netdev);
	int err;

	if (up)
		nicvf_down(nic);
	err = nicvf_set_queues(nic, cq_len, sq_len, rxqs, txqs);
	if (!err && up)
		err = nicvf_open(netdev);
	if (!err)
		return 0;
	NL_SET_ERR_MSG_MOD(extack,
			   "the new settings did not come up; the old ones are back");
	if (nicvf_set_queues(nic, old_cq_len, old_sq_len, old_rxqs, old_txqs))
		netdev_err(netdev, "cannot give the stack its queue counts back\n");
	else if (up && nicvf_open(netdev))
		netdev_err(netdev,
			   "the interface stays down until brought up again\n");
	return err;
}

static netdev_tx_t nicvf_xmit(struct sk_buff *skb, struct net_device *netdev)
{
	struct nicvf *nic = netdev_priv(netdev);
	u16 q = skb_get_queue_mapping(skb);

	/* The stack only uses the queues it was told of, but be sure */
	if (unlikely(q >= nic->tx_all)) {
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	return nicvf_sq_xmit(&nicvf_qset(nic, q / NICVF_MAX_QUEUES)->sq[q % NICVF_MAX_QUEUES],
			     skb);
}

static void nicvf_tx_timeout(struct net_device *netdev, unsigned int txq)
{
	struct nicvf *nic = netdev_priv(netdev);

	netdev_warn(netdev, "transmit queue %u timed out\n", txq);
	WRITE_ONCE(nic->tx_timeouts, nic->tx_timeouts + 1);
	schedule_work(&nic->reset_work);
}

static int nicvf_change_mtu(struct net_device *netdev, int mtu)
{
	struct nicvf *nic = netdev_priv(netdev);
	int err;

	/* The PF enforces the frame size; receive buffers chain for any */
	err = nicvf_mbx_set_max_frs(nic, mtu);
	if (err)
		return err;
	WRITE_ONCE(netdev->mtu, mtu);
	return 0;
}

static int nicvf_set_mac_address(struct net_device *netdev, void *p)
{
	struct nicvf *nic = netdev_priv(netdev);
	struct sockaddr *sa = p;
	const u8 *mac = (const u8 *)sa->sa_data;
	int err;

	if (!is_valid_ether_addr(mac))
		return -EADDRNOTAVAIL;
	/* When down, the address reaches the PF at the next open */
	if (netif_running(netdev)) {
		err = nicvf_mbx_set_mac(nic, mac);
		if (err)
			return err;
	}
	eth_hw_addr_set(netdev, mac);
	/* Our own address is the first in the CAM */
	if (netif_running(netdev))
		schedule_work(&nic->rx_mode_work);
	return 0;
}

static int nicvf_set_features(struct net_device *netdev,
			      netdev_features_t features)
{
	struct nicvf *nic = netdev_priv(netdev);
	struct nicvf *qs;
	int err, i;

	/*
	 * The core sets dev->features once we return 0.  Loopback is the
	 * BGX's, through the PF: while down, open sends it.
	 */
	if ((features ^ netdev->features) & NETIF_F_LOOPBACK &&
	    netif_running(netdev)) {
		err = nicvf_mbx_loopback(nic, features & NETIF_F_LOOPBACK);
		if (err)
			return err;
	}
	for (i = 0; i <= nic->sqs_count; i++) {
		qs = nicvf_qset(nic, i);
		if (qs->rxqs)
			writeq(nicvf_rq_gen_cfg(features),
			       nicvf_qreg(qs->regs, NIC_QSET_RQ_GEN_CFG, 0));
	}
	return 0;
}

/*
 * What the stack must do itself for @skb: the VLAN rules every driver
 * gets without this hook, and the segmenting of TSO packets whose headers
 * or MSS do not fit the header's fields
 */
static netdev_features_t nicvf_features_check(struct sk_buff *skb,
					      struct net_device *netdev,
					      netdev_features_t features)
{
	features = vlan_features_check(skb, features);
	if (skb_is_gso(skb) && !nicvf_sq_tso_fits(skb))
		features &= ~NETIF_F_GSO_MASK;
	return features;
}

static const struct net_device_ops nicvf_netdev_ops = {
	.ndo_open		= nicvf_open,
	.ndo_stop		= nicvf_stop,
	.ndo_start_xmit		= nicvf_xmit,
	.ndo_features_check	= nicvf_features_check,
	.ndo_get_stats64	= nicvf_get_stats64,
	.ndo_change_mtu		= nicvf_change_mtu,
	.ndo_set_mac_address	= nicvf_set_mac_address,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_set_features	= nicvf_set_features,
	.ndo_tx_timeout		= nicvf_tx_timeout,
	.ndo_set_rx_mode	= nicvf_set_rx_mode,
};

/* --- Module parameters ---------------------------------------------------- */

static unsigned int queues;
module_param(queues, uint, 0444);
MODULE_PARM_DESC(queues,
		 "Queue pairs (receive and send) per interface, 1-96, beyond 8 as the PF lends secondary queue sets; 0: one per online CPU, up to 8 (default 0)");

static unsigned int rbdr_len = NICVF_RBDR_LEN_DEFAULT;
module_param(rbdr_len, uint, 0444);
MODULE_PARM_DESC(rbdr_len,
		 "Receive buffer ring entries: a power of 2 from 8192 to 524288 (default 8192)");

static unsigned int cq_len = NICVF_CQ_LEN_DEFAULT;
module_param(cq_len, uint, 0444);
MODULE_PARM_DESC(cq_len,
		 "Completion queue entries: a power of 2 from 1024 to 65536, at least 4 * sq_len (default 4096)");

static unsigned int sq_len = NICVF_SQ_LEN_DEFAULT;
module_param(sq_len, uint, 0444);
MODULE_PARM_DESC(sq_len,
		 "Send queue entries: a power of 2 from 1024 to 16384, at most cq_len / 4 (default 1024)");

static int debug = -1;
module_param(debug, int, 0444);
MODULE_PARM_DESC(debug,
		 "Messages to log: a NETIF_MSG_* bitmap, as ethtool msglvl sets it later (default -1: driver, probe, link)");

/*
 * The most queues an interface has: a queue set's 8, and beyond that a
 * queue per possible CPU, rounded up to whole queue sets (up to 96).  The
 * stack sizes its per-queue state (mq's qdiscs) by it at every open.
 */
static int nicvf_queues_limit(void)
{
	return clamp_t(int, roundup(num_possible_cpus(), NICVF_MAX_QUEUES),
		       NICVF_MAX_QUEUES, NICVF_MAX_QUEUES_ALL);
}

/* @val if it is a power of 2 within [@min, @max], else @def, said once */
static u32 nicvf_param_len(struct nicvf *nic, const char *name, u32 val,
			   u32 min, u32 max, u32 def)
{
	if (is_power_of_2(val) && val >= min && val <= max)
		return val;
	dev_warn(nic->dev,
		 "%s=%u is not a power of 2 from %u to %u; using %u\n",
		 name, val, min, max, def);
	return def;
}

static void nicvf_params(struct nicvf *nic)
{
	nic->rbdr_len = nicvf_param_len(nic, "rbdr_len", rbdr_len,
					NICVF_RBDR_LEN_MIN, NICVF_RBDR_LEN_MAX,
					NICVF_RBDR_LEN_DEFAULT);
	nic->cq_timer = NICVF_CQ_TIMER;
	nic->cq_thresh = NICVF_CQ_THRESH_FOR(nic->cqe_rx2);
	nic->cq_len = nicvf_param_len(nic, "cq_len", cq_len, NICVF_CQ_LEN_MIN,
				      NICVF_CQ_LEN_MAX, NICVF_CQ_LEN_DEFAULT);
	nic->sq_len = nicvf_param_len(nic, "sq_len", sq_len, NICVF_SQ_LEN_MIN,
				      NICVF_SQ_LEN_MAX, NICVF_SQ_LEN_DEFAULT);
	/*
	 * Send completions share the CQ with received packets, which the PF
	 * is told to drop once 1/8 of the CQ is used.  A full SQ has at most
	 * half its entries' worth of packets, so the CQ must be 4 times the
	 * SQ for send completions alone to stay under that.
	 */
	if (nic->sq_len > NICVF_CQ_LEN_MAX / 4) {
		dev_warn(nic->dev, "sq_len=%u is more than %u; using %u\n",
			 nic->sq_len, NICVF_CQ_LEN_MAX / 4, NICVF_CQ_LEN_MAX / 4);
		nic->sq_len = NICVF_CQ_LEN_MAX / 4;
	}
	if (nic->cq_len < 4 * nic->sq_len) {
		dev_warn(nic->dev,
			 "cq_len=%u is less than 4 times sq_len=%u; using %u\n",
			 nic->cq_len, nic->sq_len, 4 * nic->sq_len);
		nic->cq_len = 4 * nic->sq_len;
	}
	/*
	 * CN88xx pass 1 (the one chip without CQE_RX2): an erratum keeps its
	 * CQs and SQs at 1K entries, as the in-tree driver does.
	 */
	if (!nic->cqe_rx2 &&
	    (nic->cq_len != NICVF_CQ_LEN_MIN || nic->sq_len != NICVF_SQ_LEN_MIN)) {
		dev_info(nic->dev,
			 "CN88xx pass 1: completion and send queues stay at %u entries (erratum)\n",
			 NICVF_CQ_LEN_MIN);
		nic->cq_len = NICVF_CQ_LEN_MIN;
		nic->sq_len = NICVF_SQ_LEN_MIN;
	}
	nic->rxqs_cfg = queues;
	if (queues > nicvf_queues_limit()) {
		dev_warn(nic->dev, "queues=%u is more than %d; using %d\n",
			 queues, nicvf_queues_limit(), nicvf_queues_limit());
		nic->rxqs_cfg = nicvf_queues_limit();
	} else if (!queues) {
		nic->rxqs_cfg = min_t(int, num_online_cpus(),
				      NICVF_MAX_QUEUES);
	}
	nic->txqs_cfg = nic->rxqs_cfg;
	/* A bitmap, as the in-tree driver takes it */
	nic->msg_enable = debug < 0 ? NICVF_MSG_DEFAULT : debug;
}

/* --- PCI probe and remove ------------------------------------------------- */

#define PCI_DEVICE_ID_THUNDER_NIC_VF		0xa034
#define PCI_DEVICE_ID_THUNDER_PASS1_NIC_VF	0x0011
#define PCI_SUBSYS_DEVID_88XX_PASS1_NIC_VF	0xa11e
#define PCI_SUBSYS_DEVID_88XX_NIC_VF		0xa134
#define PCI_SUBSYS_DEVID_81XX_NIC_VF		0xa234
#define PCI_SUBSYS_DEVID_83XX_NIC_VF		0xa334

/* The VNIC's DMA engine drives 48 address bits */
#define NICVF_DMA_BITS				48

static const struct pci_device_id nicvf_ids[] = {
	{ PCI_DEVICE_SUB(PCI_VENDOR_ID_CAVIUM,
			 PCI_DEVICE_ID_THUNDER_PASS1_NIC_VF,
			 PCI_VENDOR_ID_CAVIUM,
			 PCI_SUBSYS_DEVID_88XX_PASS1_NIC_VF) },
	{ PCI_DEVICE_SUB(PCI_VENDOR_ID_CAVIUM, PCI_DEVICE_ID_THUNDER_NIC_VF,
			 PCI_VENDOR_ID_CAVIUM, PCI_SUBSYS_DEVID_88XX_NIC_VF) },
	{ PCI_DEVICE_SUB(PCI_VENDOR_ID_CAVIUM, PCI_DEVICE_ID_THUNDER_NIC_VF,
			 PCI_VENDOR_ID_CAVIUM, PCI_SUBSYS_DEVID_81XX_NIC_VF) },
	{ PCI_DEVICE_SUB(PCI_VENDOR_ID_CAVIUM, PCI_DEVICE_ID_THUNDER_NIC_VF,
			 PCI_VENDOR_ID_CAVIUM, PCI_SUBSYS_DEVID_83XX_NIC_VF) },
	{ }
};
MODULE_DEVICE_TABLE(pci, nicvf_ids);

/*
 * Every chip but CN88xx pass 1 (revision below 8) inserts the CQE_RX2 word
 * into CQE_RX, moving the buffer pointers from word 6 to word 7.
 */
static bool nicvf_has_cqe_rx2(const struct pci_dev *pdev)
{
	return !(pdev->subsystem_device == PCI_SUBSYS_DEVID_88XX_PASS1_NIC_VF &&
		 pdev->revision < 8);
}

/*
 * Pass 1 has no TSO (the stack segments); CN88xx pass 2 needs a
 * completing header per TSO packet (enum nicvf_tso)
 */
static enum nicvf_tso nicvf_chip_tso(const struct pci_dev *pdev)
{
	if (!nicvf_has_cqe_rx2(pdev))
		return NICVF_TSO_NONE;
	if (pdev->subsystem_device == PCI_SUBSYS_DEVID_88XX_NIC_VF)
		return NICVF_TSO_HW_TAIL;
	return NICVF_TSO_HW;
}

static int nicvf_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct net_device *netdev;
	void __iomem *regs;
	struct nicvf *nic;
	int err;

	err = pci_enable_device(pdev);
	if (err) {
		dev_err(dev, "cannot enable the PCI device: %d\n", err);
		return err;
	}
	err = pci_request_regions(pdev, DRV_NAME);
	if (err) {
		dev_err(dev, "cannot claim the PCI regions: %d\n", err);
		goto err_disable;
	}
	err = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(NICVF_DMA_BITS));
	if (err) {
		dev_err(dev, "no usable %d-bit DMA: %d\n", NICVF_DMA_BITS,
			err);
		goto err_regions;
	}
	pci_set_master(pdev);
	regs = pci_ioremap_bar(pdev, 0);
	if (!regs) {
		dev_err(dev, "cannot map BAR0\n");
		err = -ENOMEM;
		goto err_regions;
	}

	netdev = alloc_etherdev_mqs(sizeof(*nic), nicvf_queues_limit(),
				    nicvf_queues_limit());
	if (!netdev) {
		err = -ENOMEM;
		goto err_unmap;
	}
	SET_NETDEV_DEV(netdev, dev);
	pci_set_drvdata(pdev, netdev);
	nic = netdev_priv(netdev);
	nic->pdev = pdev;
	nic->netdev = netdev;
	nic->cqe_rx2 = nicvf_has_cqe_rx2(pdev);
	nic->tso = nicvf_chip_tso(pdev);
	INIT_LIST_HEAD(&nic->sqs_node);
	nic->token = nicvf_new_token();
	nicvf_mbx_init(nic, dev, regs);
	nicvf_params(nic);
	spin_lock_init(&nic->stats_lock);
	INIT_DELAYED_WORK(&nic->link_work, nicvf_link_work);
	tasklet_setup(&nic->refill_tasklet, nicvf_refill_tasklet);
	INIT_DELAYED_WORK(&nic->refill_work, nicvf_refill_work);
	INIT_WORK(&nic->reset_work, nicvf_reset_work);
	INIT_WORK(&nic->rx_mode_work, nicvf_rx_mode_work);
	mutex_init(&nic->filter_lock);

	err = nicvf_mbx_irq_on(nic);
	if (err)
		goto err_free_netdev;

	err = nicvf_mbx_ready(nic);
	if (err) {
		dev_err(dev, "the PF did not take this VF (is nicpf loaded?): %d\n",
			err);
		goto err_irq;
	}
	/* Our token, for the PF to hand to a primary (or to our SQS VFs) */
	err = nicvf_mbx_nicvf_ptr(nic);
	nic->token_ok = !err;
	/*
	 * A secondary queue set lends its queues to a primary VF; it has no
	 * LMAC of its own, and nicpf would act on its CPI_CFG, SET_MAX_FRS
	 * and RSS_CFG as if it were some other VF's.  It registers no
	 * interface: it waits, with its mailbox, for a primary to use it.
	 * If the PF would not take its token no primary can: it stays bound,
	 * so nothing else takes it, and quiet.
	 */
	if (nic->sqs_mode) {
		if (err) {
			nicvf_mbx_irq_off(nic);
			pci_free_irq_vectors(pdev);
			pci_clear_master(pdev);
			dev_info(dev,
				 "VF %u is a secondary queue set the PF cannot lend: unused\n",
				 nic->vf_id);
			return 0;
		}
		/*
		 * A loan the PF still counts from a driver before us (which
		 * did not give it back) ends here: nobody has our queues now
		 */
		nicvf_mbx_simple(nic, NIC_MBOX_MSG_SHUTDOWN);
		mutex_lock(&nicvf_sqs_lock);
		list_add_tail(&nic->sqs_node, &nicvf_sqs_list);
		mutex_unlock(&nicvf_sqs_lock);
		dev_info(dev,
			 "VF %u is a secondary queue set: its queues go to the primary VF the PF lends it to\n",
			 nic->vf_id);
		return 0;
	}
	if (err)
		dev_warn(dev, "no secondary queue set can find this VF: at most %d queues\n",
			 NICVF_MAX_QUEUES);
	if (is_valid_ether_addr(nic->pf_mac)) {
		eth_hw_addr_set(netdev, nic->pf_mac);
	} else {
		eth_hw_addr_random(netdev);
		dev_info(dev, "PF gave no MAC address; using a random one\n");
	}

	netdev->netdev_ops = &nicvf_netdev_ops;
	netdev->ethtool_ops = &nicvf_ethtool_ops;
	netdev->hw_features = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM |
			      NETIF_F_RXCSUM | NETIF_F_RXHASH |
			      NETIF_F_HW_VLAN_CTAG_RX;
	netdev->features = netdev->hw_features;
	/* The BGX's internal loopback, off until asked for, where the PF lets us */
	if (nic->loopback_supported)
		netdev->hw_features |= NETIF_F_LOOPBACK;
	netdev->vlan_features = NETIF_F_SG | NETIF_F_IP_CSUM |
				NETIF_F_IPV6_CSUM;
	if (nic->tso != NICVF_TSO_NONE) {
		netdev->hw_features |= NETIF_F_TSO | NETIF_F_TSO6;
		netdev->features |= NETIF_F_TSO | NETIF_F_TSO6;
		netdev->vlan_features |= NETIF_F_TSO | NETIF_F_TSO6;
	}
	/* Secondary unicast addresses go to the CAM, not promiscuous mode */
	netdev->priv_flags |= IFF_UNICAST_FLT;
	netdev->min_mtu = NICVF_MIN_MTU;
	netdev->max_mtu = NICVF_MAX_MTU;
	/*
	 * As long as the in-tree driver's: a link partner sending pause
	 * frames can hold a queue for seconds, and a reset for it would
	 * only flap the link.
	 */
	netdev->watchdog_timeo = NICVF_TX_TIMEOUT;
	/* The RSS state ethtool -x shows and open programs */
	netdev_rss_key_fill(nic->rss_key, sizeof(nic->rss_key));
	nic->rss_cfg = NIC_RSS_IP_ENA | NIC_RSS_TCP_ENA | NIC_RSS_UDP_ENA;
	err = netif_set_real_num_tx_queues(netdev, nic->txqs_cfg);
	if (!err)
		err = netif_set_real_num_rx_queues(netdev, nic->rxqs_cfg);
	/* No link until the PF says so, not even before the first open */
	netif_carrier_off(netdev);
	if (!err)
		err = register_netdev(netdev);
	if (err) {
		dev_err(dev, "cannot register the network interface: %d\n",
			err);
		goto err_irq;
	}

	dev_info(dev, "%s: VF %u on node %u, %d queues, CQE_RX %s\n",
		 netdev->name, nic->vf_id, nic->node, nic->rxqs_cfg,
		 nic->cqe_rx2 ? "with CQE_RX2" : "pass 1 layout");
	return 0;

err_irq:
	nicvf_mbx_irq_off(nic);
	pci_free_irq_vectors(pdev);
err_free_netdev:
	pci_set_drvdata(pdev, NULL);
	free_netdev(netdev);
err_unmap:
	iounmap(regs);
err_regions:
	pci_release_regions(pdev);
err_disable:
	pci_disable_device(pdev);
	return err;
}

/*
 * An SQS VF going away.  If a primary has its queues, that interface is
 * rebuilt without them (the in-tree driver unregisters it instead).
 */
static void nicvf_sqs_remove(struct nicvf *nic, bool reopen)
{
	struct nicvf *p;

	rtnl_lock();
	mutex_lock(&nicvf_sqs_lock);
	list_del_init(&nic->sqs_node);
	p = nic->pnic;
	mutex_unlock(&nicvf_sqs_lock);
	if (p) {
		netdev_warn(p->netdev,
			    "secondary queue set VF %u is going: rebuilding the queues without it\n",
			    nic->vf_id);
		nicvf_down(p);
		if (reopen && nicvf_open(p->netdev))
			netdev_err(p->netdev,
				   "the interface stays down until brought up again\n");
	}
	rtnl_unlock();
	cancel_work_sync(&nic->reset_work);
	/* Rings an earlier teardown could not stop: once more */
	if (nicvf_qs_down(nic))
		dev_err(nic->dev,
			"leaving the queue set allocated: the hardware did not stop\n");
	/* Whatever the PF still counts as lent is given back */
	nicvf_mbx_simple(nic, NIC_MBOX_MSG_SHUTDOWN);
}

/*
 * Set while the module unloads: every primary goes too, so an SQS VF
 * going first does not rebuild its primary's queues
 */
static bool nicvf_unloading;

/* @reopen: an SQS VF's primary is rebuilt without it (not at shutdown) */
static void nicvf_teardown(struct pci_dev *pdev, bool reopen)
{
	struct net_device *netdev = pci_get_drvdata(pdev);
	struct nicvf *nic;
	void __iomem *regs;

	if (!netdev)
		return;
	nic = netdev_priv(netdev);
	regs = nic->regs;
	if (nic->sqs_mode) {
		/* Listed, or quiet since probe */
		if (nic->mbx_irq)
			nicvf_sqs_remove(nic, reopen);
		goto out_irq;
	}
	/* Closes the interface if it is up */
	unregister_netdev(netdev);
	/* Nothing can queue it any more: interrupts are gone */
	cancel_work_sync(&nic->reset_work);
	cancel_work_sync(&nic->rx_mode_work);
	if (nicvf_qs_down(nic))
		dev_err(nic->dev,
			"leaving the queue set allocated: the hardware did not stop\n");
out_irq:
	nicvf_mbx_irq_off(nic);
	pci_free_irq_vectors(pdev);
	pci_set_drvdata(pdev, NULL);
	free_netdev(netdev);
	iounmap(regs);
	pci_release_regions(pdev);
	pci_disable_device(pdev);
}

/*
 * Reboot or kexec: the next kernel must not find our rings running and
 * DMA-ing into memory it reuses, nor the PF's LMAC still enabled for us.
 * Clearing bus mastering, which the PCI core does next, may not stop the
 * VNIC (neither nicpf nor the in-tree nicvf relies on it), so take
 * everything down as remove does: SHUTDOWN to the PF, rings reclaimed.
 */
static void nicvf_remove(struct pci_dev *pdev)
{
	nicvf_teardown(pdev, !READ_ONCE(nicvf_unloading));
}

/* (an SQS VF's primary, shut down after it, is not rebuilt in between) */
static void nicvf_shutdown(struct pci_dev *pdev)
{
	nicvf_teardown(pdev, false);
}

static struct pci_driver nicvf_driver = {
	.name = DRV_NAME,
	.id_table = nicvf_ids,
	.probe = nicvf_probe,
	.remove = nicvf_remove,
	.shutdown = nicvf_shutdown,
};

/* --- Module entry points -------------------------------------------------- */

static int __init nicvf_init_module(void)
{
	nicvf_unloading = false;
	return pci_register_driver(&nicvf_driver);
}

static void __exit nicvf_cleanup_module(void)
{
	WRITE_ONCE(nicvf_unloading, true);
	pci_unregister_driver(&nicvf_driver);
}

module_init(nicvf_init_module);
module_exit(nicvf_cleanup_module);

MODULE_AUTHOR("nicvf project");
MODULE_DESCRIPTION("Cavium/Marvell ThunderX NIC virtual function driver");
MODULE_LICENSE("GPL");
MODULE_VERSION(DRV_VERSION);
