/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _LINUX_ETHTOOL_H
#define _LINUX_ETHTOOL_H
#define DUPLEX_HALF 0x00
#define DUPLEX_FULL 0x01
#endif
