/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim (mock/net.cc): the ethtool operations a driver fills in, and helpers. */
#ifndef _LINUX_ETHTOOL_H
#define _LINUX_ETHTOOL_H
#include <linux/types.h>

struct net_device;

#define DUPLEX_HALF 0x00
#define DUPLEX_FULL 0x01
#define DUPLEX_UNKNOWN 0xff
#define SPEED_UNKNOWN -1
#define PORT_OTHER 0xff
#define AUTONEG_DISABLE 0x00
#define ETH_GSTRING_LEN 32

enum ethtool_stringset {
	ETH_SS_TEST = 0,
	ETH_SS_STATS = 1,
};

struct ethtool_drvinfo {
	u32 cmd;
	char driver[32];
	char version[32];
	char fw_version[32];
	char bus_info[32];
};

struct ethtool_pauseparam {
	u32 cmd;
	u32 autoneg;
	u32 rx_pause;
	u32 tx_pause;
};

struct ethtool_ringparam {
	u32 cmd;
	u32 rx_max_pending;
	u32 rx_mini_max_pending;
	u32 rx_jumbo_max_pending;
	u32 tx_max_pending;
	u32 rx_pending;
	u32 rx_mini_pending;
	u32 rx_jumbo_pending;
	u32 tx_pending;
};

struct kernel_ethtool_ringparam {
	u32 rx_buf_len;
};

struct netlink_ext_ack {
	const char *msg;
};

struct ethtool_channels {
	u32 cmd;
	u32 max_rx;
	u32 max_tx;
	u32 max_other;
	u32 max_combined;
	u32 rx_count;
	u32 tx_count;
	u32 other_count;
	u32 combined_count;
};

struct ethtool_link_ksettings {
	struct {
		u32 speed;
		u8 duplex;
		u8 port;
		u8 autoneg;
	} base;
};

struct ethtool_stats {
	u32 cmd;
	u32 n_stats;
};

struct ethtool_ops {
	void (*get_drvinfo)(struct net_device *, struct ethtool_drvinfo *);
	u32 (*get_link)(struct net_device *);
	int (*get_link_ksettings)(struct net_device *,
				  struct ethtool_link_ksettings *);
	void (*get_ringparam)(struct net_device *, struct ethtool_ringparam *,
			      struct kernel_ethtool_ringparam *,
			      struct netlink_ext_ack *);
	void (*get_channels)(struct net_device *, struct ethtool_channels *);
	void (*get_pauseparam)(struct net_device *,
			       struct ethtool_pauseparam *);
	int (*set_pauseparam)(struct net_device *,
			      struct ethtool_pauseparam *);
	void (*get_strings)(struct net_device *, u32 stringset, u8 *);
	int (*get_sset_count)(struct net_device *, int);
	void (*get_ethtool_stats)(struct net_device *, struct ethtool_stats *,
				  u64 *);
};

static inline void ethtool_puts(u8 **data, const char *str)
{
	strncpy((char *)*data, str, ETH_GSTRING_LEN - 1);
	(*data)[ETH_GSTRING_LEN - 1] = 0;
	*data += ETH_GSTRING_LEN;
}

static inline __attribute__((format(printf, 2, 3)))
void ethtool_sprintf(u8 **data, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf((char *)*data, ETH_GSTRING_LEN, fmt, args);
	va_end(args);
	*data += ETH_GSTRING_LEN;
}

#ifdef __cplusplus
extern "C" {
#endif
u32 ethtool_op_get_link(struct net_device *dev);
#ifdef __cplusplus
}
#endif
#endif
