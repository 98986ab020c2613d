/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim (mock/time.cc): delays spend simulated time, at once. */
#ifndef _LINUX_DELAY_H
#define _LINUX_DELAY_H

#ifdef __cplusplus
extern "C" {
#endif
void udelay(unsigned long usecs);
#ifdef __cplusplus
}
#endif
#endif
