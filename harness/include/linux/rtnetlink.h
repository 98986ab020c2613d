/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim (mock/net.cc): the RTNL, one flag; taking it twice is a violation. */
#ifndef _LINUX_RTNETLINK_H
#define _LINUX_RTNETLINK_H
#include <linux/netdevice.h>

#ifdef __cplusplus
extern "C" {
#endif
void rtnl_lock(void);
void rtnl_unlock(void);
#ifdef __cplusplus
}
#endif
#endif
