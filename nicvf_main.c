// SPDX-License-Identifier: GPL-2.0-only
/*
 * ThunderX VNIC virtual function driver: module entry points.
 *
 * The receive path lives in nicvf_queues.c.  PCI probe, the PF mailbox and
 * the net_device that drive it are added on top of it here.
 */

#include <linux/module.h>

#include "nicvf_queues.h"

#define DRV_NAME	"nicvf"

static int __init nicvf_init_module(void)
{
	pr_info(DRV_NAME ": ThunderX VNIC VF driver (receive path only)\n");
	return 0;
}

static void __exit nicvf_cleanup_module(void)
{
}

module_init(nicvf_init_module);
module_exit(nicvf_cleanup_module);

MODULE_AUTHOR("nicvf project");
MODULE_DESCRIPTION("Cavium/Marvell ThunderX NIC virtual function driver");
MODULE_LICENSE("GPL");
