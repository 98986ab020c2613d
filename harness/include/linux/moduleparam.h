/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Harness shim (mock/module.cc): module parameters, whose defaults the mock
 * keeps for mock::Reset() to restore.
 */
#ifndef _LINUX_MODULEPARAM_H
#define _LINUX_MODULEPARAM_H
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif
void mock_param_record(const char *name, void *addr, size_t size);
#ifdef __cplusplus
}
#endif

/*
 * Each parameter records its address and its value before main(), which
 * is its default, and gets a pointer tests can reach (mock_param_<name>)
 * and its description (mock_param_desc_<name>).
 */
#define module_param(name, type, perm)					\
	static void __attribute__((constructor))			\
	mock_param_record_##name(void)					\
	{								\
		mock_param_record(#name, &(name), sizeof(name));	\
	}								\
	void *mock_param_##name = &(name)
#define MODULE_PARM_DESC(name, desc) \
	const char *mock_param_desc_##name = (desc)
#endif
