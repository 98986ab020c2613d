// SPDX-License-Identifier: GPL-2.0-only
/*
 * A QEMU TCG plugin for make bench-vm: guest instructions, and calls of
 * chosen guest functions, counted over windows the guest marks itself.
 *
 * The guest opens a window by executing HINT #126 and closes it with
 * HINT #127: hint instructions the architecture leaves unallocated, which
 * execute as NOPs at any exception level, so the marks cost the guest two
 * instructions and need no device.  At each close the plugin writes one
 * line to QEMU's log (-d plugin -D file):
 *   window N insns I name=calls ...
 * with the instructions all vCPUs executed between the marks, and the
 * calls of each function named by a fn=name@0xaddress argument (the
 * entry address from the guest kernel's System.map: the kernel is built
 * without KASLR).  Windows are numbered from 1 in the order they close.
 *
 * Instructions are counted per translation block as it starts, per vCPU
 * (no shared counter: MTTCG runs vCPUs on their own threads); a block
 * that an exception or an I/O access cuts short still counts whole, a
 * small overcount of the same kind for every driver.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define MAX_VCPUS	64
#define MAX_FNS		16
/* HINT #imm is 0xd503201f with imm (CRm:op2) in bits 11:5 */
#define HINT(imm)	(0xd503201fu | (uint32_t)(imm) << 5)
#define MARK_OPEN	HINT(126)
#define MARK_CLOSE	HINT(127)

struct vcpu_counts {
	uint64_t insns;
	uint64_t calls[MAX_FNS];
} __attribute__((aligned(64)));	/* no false sharing between vCPUs */

static struct vcpu_counts counts[MAX_VCPUS];
static uint64_t fn_addr[MAX_FNS];
static char fn_name[MAX_FNS][64];
static unsigned int nfns;

static struct vcpu_counts at_open;
static int window_open;
static unsigned int windows;

static void sum(struct vcpu_counts *t)
{
	unsigned int v, f;

	memset(t, 0, sizeof(*t));
	for (v = 0; v < MAX_VCPUS; v++) {
		t->insns += __atomic_load_n(&counts[v].insns, __ATOMIC_RELAXED);
		for (f = 0; f < nfns; f++)
			t->calls[f] += __atomic_load_n(&counts[v].calls[f],
						       __ATOMIC_RELAXED);
	}
}

static void tb_exec(unsigned int vcpu, void *udata)
{
	if (vcpu < MAX_VCPUS)
		counts[vcpu].insns += (uintptr_t)udata;
}

static void fn_exec(unsigned int vcpu, void *udata)
{
	if (vcpu < MAX_VCPUS)
		counts[vcpu].calls[(uintptr_t)udata]++;
}

static void mark_open(unsigned int vcpu, void *udata)
{
	sum(&at_open);
	window_open = 1;
}

static void mark_close(unsigned int vcpu, void *udata)
{
	struct vcpu_counts now;
	char line[1024];
	size_t n;
	unsigned int f;

	if (!window_open) {
		qemu_plugin_outs("window close without an open: ignored\n");
		return;
	}
	sum(&now);
	window_open = 0;
	n = snprintf(line, sizeof(line), "window %u insns %" PRIu64, ++windows,
		     now.insns - at_open.insns);
	for (f = 0; f < nfns && n < sizeof(line); f++)
		n += snprintf(line + n, sizeof(line) - n, " %s=%" PRIu64,
			      fn_name[f], now.calls[f] - at_open.calls[f]);
	if (n < sizeof(line) - 1) {
		line[n] = '\n';
		line[n + 1] = 0;
	}
	qemu_plugin_outs(line);
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb), i;
	unsigned int f;

	qemu_plugin_register_vcpu_tb_exec_cb(tb, tb_exec,
					     QEMU_PLUGIN_CB_NO_REGS,
					     (void *)(uintptr_t)n);
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t va = qemu_plugin_insn_vaddr(insn);
		uint32_t op = 0;

		for (f = 0; f < nfns; f++)
			if (va == fn_addr[f])
				qemu_plugin_register_vcpu_insn_exec_cb(
					insn, fn_exec, QEMU_PLUGIN_CB_NO_REGS,
					(void *)(uintptr_t)f);
		if (qemu_plugin_insn_size(insn) != 4)
			continue;
		memcpy(&op, qemu_plugin_insn_data(insn), 4);
		if (op == MARK_OPEN)
			qemu_plugin_register_vcpu_insn_exec_cb(
				insn, mark_open, QEMU_PLUGIN_CB_NO_REGS, NULL);
		else if (op == MARK_CLOSE)
			qemu_plugin_register_vcpu_insn_exec_cb(
				insn, mark_close, QEMU_PLUGIN_CB_NO_REGS, NULL);
	}
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *at;

		if (strncmp(a, "fn=", 3) || !(at = strchr(a, '@')) ||
		    at - a - 3 <= 0 || at - a - 3 >= (int)sizeof(fn_name[0]) ||
		    nfns == MAX_FNS) {
			fprintf(stderr, "window-plugin: bad argument '%s' (fn=name@0xaddress, at most %d)\n",
				a, MAX_FNS);
			return -1;
		}
		memcpy(fn_name[nfns], a + 3, at - a - 3);
		fn_addr[nfns++] = strtoull(at + 1, NULL, 0);
	}
	if (info->system_emulation && info->system.max_vcpus > MAX_VCPUS) {
		fprintf(stderr, "window-plugin: at most %d vCPUs\n", MAX_VCPUS);
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	return 0;
}
