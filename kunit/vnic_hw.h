/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VNIC's descriptor layouts as the tests' devices write and read them:
 * completion queue entries (CQE_RX, CQE_SEND), RBDR entries and send
 * queue subdescriptors, by word (little-endian 64-bit words) and bit.
 *
 * Two devices use it: the harness's model (harness/model/vnic.cc, C++)
 * and the KUnit module playing the hardware (kunit/nicvf_kunit.c).  It is
 * written without the driver's nic_reg.h and nicvf_queues.h, and must stay
 * so: a field the driver gets wrong then makes driver and device disagree,
 * and the tests fail, instead of both agreeing on the same mistake.
 *
 * Why in kunit/: kbuild compiles the KUnit module in this directory (a
 * copy of it, see scripts/kunit.sh), where nicvf_kunit.c finds the header
 * beside itself, and the harness has the repository root on its include
 * path, so the model names it by its path from there.  A header among the
 * driver's own files at the top would ship with the module's sources
 * (DKMS, the build matrix), and one under harness/ would be out of the
 * KUnit build's reach.
 *
 * Shifts, masks and values only, no types or functions, so that C++ can
 * use it as it is.
 */
#ifndef NICVF_KUNIT_VNIC_HW_H
#define NICVF_KUNIT_VNIC_HW_H

#ifdef __KERNEL__
#include <linux/bits.h>
#else
/*
 * Outside a kernel build (the device model built on its own, a QEMU
 * device) there is no <linux/bits.h>: the two macros used here, spelled
 * as the kernel's and QEMU's bitops.h spell them.
 */
#ifndef BIT_ULL
#define BIT_ULL(nr)		(1ULL << (nr))
#endif
#ifndef GENMASK_ULL
#define GENMASK_ULL(h, l)	((~0ULL << (l)) & (~0ULL >> (63 - (h))))
#endif
#endif

/* --- completion queue entries ---------------------------------------------- */

#define VNIC_CQE_BYTES			512
#define VNIC_CQE_TYPE_SHIFT		60	/* W0[63:60] */
#define VNIC_CQE_TYPE_RX		0x2ULL
#define VNIC_CQE_TYPE_SEND		0x8ULL

/* CQE_RX word 0: what the parser found */
#define VNIC_CQE_RX_RQ_IDX_SHIFT	48	/* W0[50:48] */
#define VNIC_CQE_RX_RSS_ALG_SHIFT	32	/* W0[35:32] */
#define VNIC_RSS_ALG_IP			0x2ULL
#define VNIC_RSS_ALG_TCP		0x3ULL
#define VNIC_RSS_ALG_UDP		0x4ULL
#define VNIC_CQE_RX_RB_CNT_SHIFT	24	/* W0[27:24] */
#define VNIC_CQE_RX_VLAN_FOUND		BIT_ULL(23)
#define VNIC_CQE_RX_VLAN_STRIPPED	BIT_ULL(22)
#define VNIC_CQE_RX_L4_TYPE_SHIFT	16	/* W0[19:16] */
#define VNIC_L4_TYPE_TCP		0x4ULL
#define VNIC_L4_TYPE_UDP		0x5ULL
#define VNIC_CQE_RX_L3_TYPE_SHIFT	12	/* W0[15:12] */
#define VNIC_L3_TYPE_IPV4		0x4ULL
#define VNIC_L3_TYPE_IPV6		0x6ULL
#define VNIC_CQE_RX_L2_PRESENT		BIT_ULL(11)
#define VNIC_CQE_RX_ERR_LEVEL_SHIFT	8	/* W0[10:8] */
#define VNIC_ERR_LEVEL_L3		0x2ULL
#define VNIC_ERR_LEVEL_L4		0x3ULL
#define VNIC_CQE_RX_ERR_OPCODE_SHIFT	0	/* W0[7:0] */

/* CQE_RX word 1 */
#define VNIC_CQE_RX_PKT_LEN_SHIFT	48	/* W1[63:48] */
#define VNIC_CQE_RX_ALIGN_PAD_SHIFT	13	/* W1[15:13] */

/* CQE_RX word 2 */
#define VNIC_CQE_RX_RSS_TAG_SHIFT	32	/* W2[63:32] */
#define VNIC_CQE_RX_VLAN_TCI_SHIFT	16	/* W2[31:16], network order */

/*
 * The buffers: 16-bit lengths four to a word from word 3, and the
 * pointers from word 7, or from word 6 on CN88xx pass 1, which has no
 * CQE_RX2 word
 */
#define VNIC_CQE_RX_LEN_WORD		3
#define VNIC_CQE_RX_PTR_WORD_PASS1	6
#define VNIC_CQE_RX_PTR_WORD_RX2	7
#define VNIC_CQE_RX_MAX_BUFS		12

/* CQE_SEND word 0 */
#define VNIC_CQE_SEND_SQE_PTR_SHIFT	40	/* W0[55:40] */
#define VNIC_CQE_SEND_SQ_IDX_SHIFT	16	/* W0[18:16] */
#define VNIC_CQE_SEND_STATUS		GENMASK_ULL(7, 0)

/* --- receive buffer descriptor ring ---------------------------------------- */

#define VNIC_RBDR_ENTRY_BYTES		8	/* one buffer address */

/* --- send queue subdescriptors: 16 bytes, the type in word 0 ---------------- */

#define VNIC_SQ_ENTRY_BYTES		16
#define VNIC_SQ_DESC_TYPE_SHIFT		60	/* W0[63:60] */
#define VNIC_SQ_DESC_HEADER		0x1ULL
#define VNIC_SQ_DESC_IMMEDIATE		0x3ULL
#define VNIC_SQ_DESC_GATHER		0x4ULL

/* Header word 0 */
#define VNIC_SQ_HDR_TSO			BIT_ULL(59)
#define VNIC_SQ_HDR_POST_CQE		BIT_ULL(58)	/* a CQE without error too */
#define VNIC_SQ_HDR_DONT_SEND		BIT_ULL(57)
#define VNIC_SQ_HDR_SUBDESCS_SHIFT	48	/* W0[55:48], that follow it */
#define VNIC_SQ_HDR_CSUM_L4_SHIFT	46	/* W0[47:46] */
#define VNIC_SQ_CSUM_L4_UDP		0x1ULL
#define VNIC_SQ_CSUM_L4_TCP		0x2ULL
#define VNIC_SQ_CSUM_L4_SCTP		0x3ULL
#define VNIC_SQ_HDR_CSUM_L3		BIT_ULL(45)
#define VNIC_SQ_HDR_L4_OFF_SHIFT	32	/* W0[39:32] */
#define VNIC_SQ_HDR_L3_OFF_SHIFT	24	/* W0[31:24] */
#define VNIC_SQ_HDR_TOT_LEN		GENMASK_ULL(19, 0)

/* Header word 1: TSO */
#define VNIC_SQ_HDR_TSO_START_SHIFT	16	/* W1[23:16], the headers' length */
#define VNIC_SQ_HDR_TSO_MAX_PAYSIZE	GENMASK_ULL(13, 0)	/* the MSS */

/* Immediate: the length in word 0, the data in word 1 */
#define VNIC_SQ_IMM_LEN			GENMASK_ULL(13, 0)

/* Gather: the size in word 0, the address in word 1 */
#define VNIC_SQ_GATHER_SIZE		GENMASK_ULL(15, 0)
#define VNIC_SQ_GATHER_ADDR		GENMASK_ULL(48, 0)

#endif /* NICVF_KUNIT_VNIC_HW_H */
