/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The device model's C API, for a device written in C (QEMU's): the same
 * model the harness tests (vnic.h, pf.h), a VNIC with the PF's side of
 * its mailbox, behind a struct of host callbacks (host.h's, in C).
 *
 * The host maps BAR0 (VNIC_MODEL_BAR_SIZE bytes) and passes its 64-bit
 * accesses to nicvf_model_mmio_read/write; frames from the wire go to
 * nicvf_model_receive(); nicvf_model_tick() is time passing for the CQ
 * timers (every few microseconds of guest time, or when idle).  Every
 * call runs to completion on the caller's thread, callbacks included;
 * the model takes no locks, so the host serialises calls on one model.
 */
#ifndef NICVF_MODEL_VNIC_MODEL_H
#define NICVF_MODEL_VNIC_MODEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VNIC_MODEL_BAR_SIZE	(2u << 20)

struct nicvf_model_host {
	void *opaque;	/* passed to every callback */
	/* DMA by bus address: 0 on success, nonzero on a fault */
	int (*dma_read)(void *opaque, uint64_t addr, void *buf, size_t len);
	int (*dma_write)(void *opaque, uint64_t addr, const void *buf,
			 size_t len);
	/* deliver MSI-X vector 0..19 */
	void (*msix_notify)(void *opaque, unsigned int vector);
	/* a frame the send engine put on the wire, from send queue sq */
	void (*send_frame)(void *opaque, unsigned int sq, const uint8_t *buf,
			   size_t len);
	/* nanoseconds, monotonic (may be NULL: 0) */
	uint64_t (*now_ns)(void *opaque);
	/* the guest programmed the device wrongly (may be NULL) */
	void (*guest_error)(void *opaque, const char *msg);
	/* With a PF of its own (QEMU's thunderx-nicpf): the VF's mailbox
	 * message (its two words), for that PF, whose answers come back
	 * through nicvf_model_pf_answer(); the PF's BGX filters, loops back
	 * and steers the frames (nicvf_model_receive_steered()), and every
	 * sent frame goes to send_frame for the PF to schedule.  NULL: the
	 * model's own PF (pf.h) answers as nicpf does, and its BGX stands
	 * between the VNIC and the wire */
	void (*vf_to_pf)(void *opaque, uint64_t w0, uint64_t w1);
};

struct nicvf_model_config {
	int cqe_rx2;		/* later silicon's CQE_RX layout (else pass 1) */
	uint8_t vf_id;		/* the VF number READY tells the driver */
	uint8_t node;
	uint8_t mac[6];		/* the LMAC's MAC READY gives the driver */
	uint8_t primary_vfs;	/* VFs below this have an LMAC; the rest are
				 * secondary queue sets (0: 8) */
	uint16_t pf_cpus;	/* CPUs of nicpf's host: it enables secondary
				 * queue sets only with more than 8 (0: 2) */
	int tso_cqe_per_segment;	/* CN88xx pass 2: a CQE_SEND per TSO
					 * segment (else one per packet) */
};

struct nicvf_model;

/* A VNIC and its PF; the host struct is copied.  NULL on bad arguments. */
struct nicvf_model *nicvf_model_create(const struct nicvf_model_host *host,
				       const struct nicvf_model_config *cfg);
void nicvf_model_destroy(struct nicvf_model *m);

/* A 64-bit BAR0 access at offset (8-byte aligned, below the BAR size) */
uint64_t nicvf_model_mmio_read(struct nicvf_model *m, uint64_t offset);
void nicvf_model_mmio_write(struct nicvf_model *m, uint64_t offset,
			    uint64_t value);

/* A frame from the wire for receive queue rq: 1 if a CQE was posted, 0 if
 * the frame was dropped (filtered, no buffers, CQ full, queue off) */
int nicvf_model_receive(struct nicvf_model *m, unsigned int rq,
			const uint8_t *frame, size_t len);

/*
 * With a PF of the host's (vf_to_pf): a frame the PF's channel gives this
 * VNIC.  Its parser hashes it by the VNIC's own RSS configuration and
 * steer() answers with the RSS index's queue set and RQ for that hash
 * (qset << 3 | rq; -1: dropped).  Returns 1 if a CQE was posted, 0 if the
 * frame was dropped, 2 if the queue set is not this VF's (vf_id): then
 * nothing was received here and *elsewhere says where it goes, for the
 * host's nicvf_model_receive() on that queue set's VNIC
 */
int nicvf_model_receive_steered(struct nicvf_model *m, const uint8_t *frame,
				size_t len,
				int (*steer)(void *opaque, int hashed,
					     uint32_t hash),
				void *opaque, int *elsewhere);

/* A frame from the wire: the receive queue is the one the PF's CPI and
 * RSS programming choose.  1 if a CQE was posted, 0 if it was dropped */
int nicvf_model_receive_wire(struct nicvf_model *m, const uint8_t *frame,
			     size_t len);

/* Time passes: each CQ timer runs out (CQ_CFG2) */
void nicvf_model_tick(struct nicvf_model *m);
/* Whether a tick now would raise an interrupt (a CQ holds entries with
 * its timer on): the host need not keep time for the model otherwise */
int nicvf_model_timer_pending(const struct nicvf_model *m);

/* The PF's answer (with vf_to_pf): into the VF's mailbox registers, with
 * the mailbox interrupt */
void nicvf_model_pf_answer(struct nicvf_model *m, uint64_t w0, uint64_t w1);

/* The PF's write, through its window onto this VF, of one of the VF's
 * statistics registers (offset in BAR0): 0 done, -1 not such a register */
int nicvf_model_pf_write(struct nicvf_model *m, uint64_t offset,
			 uint64_t value);

/* The LMAC's link state.  nicpf (6.12) pushes nothing: the VF learns it
 * from the answer to its next BGX_LINK_CHANGE poll */
void nicvf_model_set_link(struct nicvf_model *m, int up, uint32_t speed,
			  uint8_t duplex);

/*
 * A benchmark's traffic, from the wire's side.  The source sends `count`
 * Ethernet/IPv4/UDP frames (valid checksums; source ports taken in turn
 * from `flows` consecutive ones, so RSS spreads them) to the LMAC's MAC,
 * each frame as soon as the VNIC has what it needs for it (RoomFor: RBDR
 * buffers, room in every enabled CQ), so it never outruns the driver:
 * frames go in as the driver's refills and CQ doorbells make room.  Every
 * frame takes the wire's path (LMAC, PF steering, parser).
 */
struct nicvf_model_source {
	uint64_t count;		/* frames to send */
	uint32_t len;		/* bytes of each, as the buffers receive them
				 * (no FCS): NICVF_MODEL_SOURCE_MIN_LEN.. */
	uint16_t flows;		/* 1..NICVF_MODEL_SOURCE_MAX_FLOWS */
	uint16_t dst_port;	/* UDP; the source ports start at 10000 */
	uint32_t src_ip, dst_ip;	/* IPv4, host order */
};

#define NICVF_MODEL_SOURCE_MIN_LEN	42	/* Ethernet + IPv4 + UDP */
#define NICVF_MODEL_SOURCE_MAX_LEN	16000
#define NICVF_MODEL_SOURCE_MAX_FLOWS	1024

/* Start the source (a running one is replaced): 0, or -1 for parameters
 * out of range */
int nicvf_model_source_start(struct nicvf_model *m,
			     const struct nicvf_model_source *src);

/* The send engine's wire becomes a sink (on) or the host's send_frame
 * again: packets are checked and completed as always, counted, and their
 * data never read */
void nicvf_model_set_sink(struct nicvf_model *m, int on);

struct nicvf_model_bench {
	uint64_t src_left;	/* frames the source has still to send */
	uint64_t src_sent;	/* sent since the source started */
	uint64_t src_dropped;	/* of those, frames the VNIC did not post */
	uint64_t cq_pending;	/* CQEs the driver has not yet consumed */
	uint64_t sink_frames, sink_bytes;	/* since the model was made */
};

void nicvf_model_bench_status(const struct nicvf_model *m,
			      struct nicvf_model_bench *st);

#ifdef __cplusplus
}
#endif

#endif /* NICVF_MODEL_VNIC_MODEL_H */
