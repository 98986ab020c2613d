/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim (mock/net.cc): the ethtool operations a driver fills in, and helpers. */
#ifndef _LINUX_ETHTOOL_H
#define _LINUX_ETHTOOL_H
#include <linux/types.h>

struct net_device;

#define DUPLEX_HALF 0x00
#define DUPLEX_FULL 0x01
#define DUPLEX_UNKNOWN 0xff
#define SPEED_10 10
#define SPEED_100 100
#define SPEED_1000 1000
#define SPEED_10000 10000
#define SPEED_40000 40000
#define SPEED_UNKNOWN -1
#define PORT_TP 0x00
#define PORT_MII 0x02
#define PORT_FIBRE 0x03
#define PORT_OTHER 0xff
#define AUTONEG_DISABLE 0x00
#define AUTONEG_ENABLE 0x01

/* The link modes a driver names, numbered as the kernel's */
enum ethtool_link_mode_bit_indices {
	ETHTOOL_LINK_MODE_10baseT_Half_BIT = 0,
	ETHTOOL_LINK_MODE_10baseT_Full_BIT = 1,
	ETHTOOL_LINK_MODE_100baseT_Half_BIT = 2,
	ETHTOOL_LINK_MODE_100baseT_Full_BIT = 3,
	ETHTOOL_LINK_MODE_1000baseT_Half_BIT = 4,
	ETHTOOL_LINK_MODE_1000baseT_Full_BIT = 5,
	ETHTOOL_LINK_MODE_Autoneg_BIT = 6,
	ETHTOOL_LINK_MODE_TP_BIT = 7,
	ETHTOOL_LINK_MODE_MII_BIT = 9,
	ETHTOOL_LINK_MODE_FIBRE_BIT = 10,
	ETHTOOL_LINK_MODE_10000baseT_Full_BIT = 12,
	ETHTOOL_LINK_MODE_40000baseCR4_Full_BIT = 24,
	__ETHTOOL_LINK_MODE_MASK_NBITS = 64,
};

#define ETHTOOL_COALESCE_RX_USECS	(1u << 0)
#define ETHTOOL_COALESCE_RX_MAX_FRAMES	(1u << 1)
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

#define NL_SET_ERR_MSG_MOD(extack, m) \
	do { if (extack) (extack)->msg = (m); } while (0)

struct ethtool_regs {
	u32 cmd;
	u32 version;
	u32 len;
};

struct ethtool_coalesce {
	u32 cmd;
	u32 rx_coalesce_usecs;
	u32 rx_max_coalesced_frames;
};

struct kernel_ethtool_coalesce {
	u8 use_cqe_mode_rx;
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
	struct {
		unsigned long supported[1];
		unsigned long advertising[1];
	} link_modes;
};

#define ethtool_link_ksettings_test_link_mode(ks, name, mode) \
	(((ks)->link_modes.name[0] >> ETHTOOL_LINK_MODE_ ## mode ## _BIT) & 1)

struct ethtool_stats {
	u32 cmd;
	u32 n_stats;
};

/* RSS: the flow types and header fields of rx-flow-hash, as the uapi's */
#define TCP_V4_FLOW	0x01
#define UDP_V4_FLOW	0x02
#define SCTP_V4_FLOW	0x03
#define TCP_V6_FLOW	0x05
#define UDP_V6_FLOW	0x06
#define SCTP_V6_FLOW	0x07
#define IPV4_FLOW	0x10
#define IPV6_FLOW	0x11
#define ETHER_FLOW	0x12
#define RXH_L2DA	(1 << 1)
#define RXH_IP_SRC	(1 << 4)
#define RXH_IP_DST	(1 << 5)
#define RXH_L4_B_0_1	(1 << 6)
#define RXH_L4_B_2_3	(1 << 7)
#define ETHTOOL_GRXFH	0x00000029
#define ETHTOOL_SRXFH	0x0000002a
#define ETHTOOL_GRXRINGS 0x0000002d
#define ETHTOOL_GRXCLSRLCNT 0x0000002e
#define ETH_RSS_HASH_NO_CHANGE	0
#define ETH_RSS_HASH_TOP	(1 << 0)
#define ETH_RSS_HASH_XOR	(1 << 1)

struct ethtool_rxnfc {
	u32 cmd;
	u32 flow_type;
	u64 data;
};

struct ethtool_rxfh_param {
	u8 hfunc;
	u32 indir_size;
	u32 *indir;
	u32 key_size;
	u8 *key;
};

static inline u32 ethtool_rxfh_indir_default(u32 index, u32 n_rx_rings)
{
	return index % n_rx_rings;
}

/* What ethtool -T reports (the kernel's has the hardware's fields too) */
#define SOF_TIMESTAMPING_TX_SOFTWARE	(1 << 1)
#define SOF_TIMESTAMPING_RX_SOFTWARE	(1 << 3)
#define SOF_TIMESTAMPING_SOFTWARE	(1 << 4)

struct kernel_ethtool_ts_info {
	u32 cmd;
	u32 so_timestamping;
	int phc_index;
};

struct ethtool_ops {
	u32 supported_coalesce_params;
	int (*get_regs_len)(struct net_device *);
	void (*get_regs)(struct net_device *, struct ethtool_regs *, void *);
	int (*get_coalesce)(struct net_device *, struct ethtool_coalesce *,
			    struct kernel_ethtool_coalesce *,
			    struct netlink_ext_ack *);
	int (*set_coalesce)(struct net_device *, struct ethtool_coalesce *,
			    struct kernel_ethtool_coalesce *,
			    struct netlink_ext_ack *);
	void (*get_drvinfo)(struct net_device *, struct ethtool_drvinfo *);
	u32 (*get_link)(struct net_device *);
	int (*get_link_ksettings)(struct net_device *,
				  struct ethtool_link_ksettings *);
	void (*get_ringparam)(struct net_device *, struct ethtool_ringparam *,
			      struct kernel_ethtool_ringparam *,
			      struct netlink_ext_ack *);
	void (*get_channels)(struct net_device *, struct ethtool_channels *);
	int (*set_channels)(struct net_device *, struct ethtool_channels *);
	int (*set_ringparam)(struct net_device *, struct ethtool_ringparam *,
			     struct kernel_ethtool_ringparam *,
			     struct netlink_ext_ack *);
	u32 (*get_msglevel)(struct net_device *);
	void (*set_msglevel)(struct net_device *, u32);
	int (*get_rxnfc)(struct net_device *, struct ethtool_rxnfc *,
			 u32 *rule_locs);
	int (*set_rxnfc)(struct net_device *, struct ethtool_rxnfc *);
	u32 (*get_rxfh_key_size)(struct net_device *);
	u32 (*get_rxfh_indir_size)(struct net_device *);
	int (*get_rxfh)(struct net_device *, struct ethtool_rxfh_param *);
	int (*set_rxfh)(struct net_device *, struct ethtool_rxfh_param *,
			struct netlink_ext_ack *);
	void (*get_pauseparam)(struct net_device *,
			       struct ethtool_pauseparam *);
	int (*set_pauseparam)(struct net_device *,
			      struct ethtool_pauseparam *);
	void (*get_strings)(struct net_device *, u32 stringset, u8 *);
	int (*get_sset_count)(struct net_device *, int);
	void (*get_ethtool_stats)(struct net_device *, struct ethtool_stats *,
				  u64 *);
	int (*get_ts_info)(struct net_device *, struct kernel_ethtool_ts_info *);
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
int ethtool_op_get_ts_info(struct net_device *dev,
			   struct kernel_ethtool_ts_info *info);
#ifdef __cplusplus
}
#endif
#endif
