/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim (mock/cpu.cc): one CPU per mask, enough for affinity hints. */
#ifndef _LINUX_CPUMASK_H
#define _LINUX_CPUMASK_H

struct cpumask {
	int cpu;
};

#ifdef __cplusplus
extern "C" {
#endif
const struct cpumask *cpumask_of(int cpu);
/* 2 after each mock::Reset(), or what mock::SetOnlineCpus() says */
unsigned int num_online_cpus(void);
/* (the mock's CPUs are all online) */
#define num_possible_cpus() num_online_cpus()
/* The i-th CPU, those of @node first: one node here, so i modulo the CPUs */
unsigned int cpumask_local_spread(unsigned int i, int node);
#ifdef __cplusplus
}
#endif
#endif
