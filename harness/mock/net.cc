// SPDX-License-Identifier: GPL-2.0-only
// The networking core around a driver: net_devices allocated, registered
// and unregistered, open and close under the RTNL, transmit honouring
// stopped queues, BQL accounting, NAPI scheduling and the softirq that
// polls it with the tasklets, and the ethtool and statistics calls. Misuse
// (a NAPI poll that returns under budget without completing, BQL
// completing more than was sent, the RTNL taken twice) is recorded as a
// violation.
#include <algorithm>
#include <set>

#include "internal.h"

extern "C" {
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <linux/tcp.h>
}

namespace mock {
namespace {

struct Net {
  ~Net() {
    for (net_device* nd : netdevs) {
      free(nd->uc.addrs);
      free(nd->mc.addrs);
      free(nd->tx);
      free(nd->priv);
      free(nd);
    }
  }
  std::set<net_device*> netdevs;          // allocated and not freed
  std::set<napi_struct*> napis;           // added and not deleted
  std::vector<napi_struct*> napi_runq;    // scheduled, in order
  std::vector<tasklet_struct*> tasklets;  // scheduled, in order
  std::function<void()> idle;  // the device's timers, when the CPU idles
  bool rtnl = false;
  int addr_lock = 0;       // netif_addr_lock_bh() depth (any net_device)
  bool xmit_more = false;  // what netdev_xmit_more() answers
  uint64_t software_gso = 0;  // GSO packets Xmit() segmented itself
  uint64_t tx_timestamps = 0;  // skb_tx_timestamp() with SKBTX_SW_TSTAMP
  uint32_t random_mac = 0x12345;  // eth_hw_addr_random()'s generator
};

void Report(const Net& net, Leaks& out) {
  out.Add("net_devices", net.netdevs.size());
  out.Add("NAPI contexts not deleted", net.napis.size());
  out.Add("tasklets scheduled", net.tasklets.size());
  out.Add("RTNL held", net.rtnl);
  out.Add("address lists locked", size_t(net.addr_lock));
}

Owned<Net> net("net", kOrderNet, Report);

void RtnlLock() {
  if (net->rtnl) Violation("RTNL taken while held");
  net->rtnl = true;
}

void RtnlUnlock() {
  if (!net->rtnl) Violation("RTNL released while not held");
  net->rtnl = false;
}

void PollOnce(napi_struct* n) {
  n->completed = false;
  int done = n->poll(n, n->weight);
  if (done > n->weight) Violation("NAPI poll did more than its budget");
  if (done < n->weight && !n->completed)
    Violation("NAPI poll returned under budget without completing");
  if (done == n->weight && n->completed)
    Violation("NAPI completed with its whole budget used");
}

void RunQueued(napi_struct* n) {
  auto& q = net->napi_runq;
  if (n->sched && std::find(q.begin(), q.end(), n) == q.end()) q.push_back(n);
}

uint16_t Be16(const uint8_t* p) { return uint16_t(p[0] << 8 | p[1]); }

}  // namespace

// The tasklets scheduled now (not those they schedule); how many ran
int RunTasklets() {
  std::vector<tasklet_struct*> now;
  now.swap(net->tasklets);
  for (tasklet_struct* t : now) {
    t->scheduled = false;
    t->callback(t);
  }
  return int(now.size());
}

// Tasklets until none is scheduled
static void DrainTasklets() {
  for (int guard = 0; !net->tasklets.empty(); guard++) {
    if (guard == 100000) {
      Violation("tasklets keep scheduling themselves");
      return;
    }
    RunTasklets();
  }
}

// The softirqs: tasklets, then the NAPI contexts scheduled, then the
// tasklets those scheduled
int RunNapi(int max_polls) {
  int polls = 0;
  auto& q = net->napi_runq;
  DrainTasklets();
  struct Drain {
    ~Drain() { DrainTasklets(); }
  } after;
  for (;;) {
    while (!q.empty() && polls < max_polls) {
      napi_struct* n = q.front();
      q.erase(q.begin());
      if (!n->sched) continue;
      PollOnce(n);
      polls++;
      RunQueued(n);
    }
    if (polls >= max_polls || !net->idle) return polls;
    net->idle();
    DrainTasklets();
    if (q.empty()) return polls;
  }
}

void SetIdle(std::function<void()> idle) { net->idle = std::move(idle); }

size_t NapiScheduled() { return net->napi_runq.size(); }
size_t SoftirqPending() { return net->napi_runq.size() + net->tasklets.size(); }

size_t NetdevsAlive() { return net->netdevs.size(); }

net_device* Netdev() {
  for (net_device* nd : net->netdevs)
    if (nd->registered) return nd;
  return nullptr;
}

int DevOpen(net_device* nd) {
  if (nd->running) return 0;
  RtnlLock();
  nd->running = true;
  int err = nd->netdev_ops->ndo_open(nd);
  if (err) nd->running = false;
  RtnlUnlock();
  return err;
}

void DevClose(net_device* nd) {
  if (!nd->running) return;
  RtnlLock();
  nd->running = false;
  nd->netdev_ops->ndo_stop(nd);
  for (unsigned int i = 0; i < nd->num_tx_queues; i++)
    if (nd->tx[i].bql_inflight)
      Violation("BQL bytes in flight on queue " + std::to_string(i) +
                " after close");
  RtnlUnlock();
}

int ChangeMtu(net_device* nd, int mtu) {
  if (mtu < int(nd->min_mtu) || mtu > int(nd->max_mtu)) return -EINVAL;
  RtnlLock();
  int err = 0;
  if (nd->netdev_ops->ndo_change_mtu)
    err = nd->netdev_ops->ndo_change_mtu(nd, mtu);
  else
    nd->mtu = unsigned(mtu);
  RtnlUnlock();
  return err;
}

int SetMac(net_device* nd, const uint8_t* mac) {
  struct sockaddr sa = {};
  memcpy(sa.sa_data, mac, 6);
  RtnlLock();
  int err = nd->netdev_ops->ndo_set_mac_address(nd, &sa);
  RtnlUnlock();
  return err;
}

namespace {

void FillList(netdev_hw_addr_list* l, const std::vector<Mac>& macs) {
  free(l->addrs);
  l->addrs = static_cast<netdev_hw_addr*>(
      calloc(macs.size() + 1, sizeof(netdev_hw_addr)));
  for (size_t i = 0; i < macs.size(); i++)
    memcpy(l->addrs[i].addr, macs[i].data(), 6);
  l->count = int(macs.size());
}

}  // namespace

void SetRxMode(net_device* nd, unsigned int flags, const std::vector<Mac>& uc,
               const std::vector<Mac>& mc) {
  const unsigned int mask = IFF_PROMISC | IFF_ALLMULTI | IFF_BROADCAST |
                            IFF_MULTICAST;
  netif_addr_lock_bh(nd);
  nd->flags = (nd->flags & ~mask) | (flags & mask);
  FillList(&nd->uc, uc);
  FillList(&nd->mc, mc);
  // __dev_set_rx_mode(): only while up; a secondary unicast address
  // without IFF_UNICAST_FLT turns promiscuous mode on instead
  if (!uc.empty() && !(nd->priv_flags & IFF_UNICAST_FLT))
    nd->flags |= IFF_PROMISC;
  if (nd->running && nd->netdev_ops->ndo_set_rx_mode)
    nd->netdev_ops->ndo_set_rx_mode(nd);
  netif_addr_unlock_bh(nd);
}

int SetFeatures(net_device* nd, netdev_features_t features) {
  if (features & ~nd->hw_features) return -EINVAL;
  RtnlLock();
  int err = 0;
  if (features != nd->features && nd->netdev_ops->ndo_set_features)
    err = nd->netdev_ops->ndo_set_features(nd, features);
  if (!err) nd->features = features;
  RtnlUnlock();
  return err;
}

int XpsCpu(net_device* nd, int q) {
  return q >= 0 && q < MOCK_NETDEV_QUEUES ? nd->xps_cpu[q] - 1 : -1;
}

napi_struct* QueueNapi(net_device* nd, bool rx, int q) {
  if (q < 0 || q >= MOCK_NETDEV_QUEUES) return nullptr;
  return rx ? nd->rx_napi[q] : unsigned(q) < nd->num_tx_queues ? nd->tx[q].napi
                                                               : nullptr;
}

ethtool_pauseparam EthtoolGetPause(net_device* nd) {
  ethtool_pauseparam p = {};
  RtnlLock();
  nd->ethtool_ops->get_pauseparam(nd, &p);
  RtnlUnlock();
  return p;
}

int EthtoolSetPause(net_device* nd, ethtool_pauseparam p) {
  RtnlLock();
  int err = nd->ethtool_ops->set_pauseparam(nd, &p);
  RtnlUnlock();
  return err;
}

std::vector<uint64_t> EthtoolRegs(net_device* nd, uint32_t* version) {
  RtnlLock();
  int len = nd->ethtool_ops->get_regs_len(nd);
  std::vector<uint64_t> regs(size_t(len) / 8 + 1, 0xdeadbeefdeadbeefull);
  ethtool_regs r = {0, 0, uint32_t(len)};
  nd->ethtool_ops->get_regs(nd, &r, regs.data());
  RtnlUnlock();
  if (regs.back() != 0xdeadbeefdeadbeefull)
    Violation("get_regs wrote past get_regs_len");
  regs.pop_back();
  if (version) *version = r.version;
  return regs;
}

ethtool_coalesce EthtoolGetCoalesce(net_device* nd) {
  ethtool_coalesce c = {};
  kernel_ethtool_coalesce k = {};
  netlink_ext_ack ext = {};
  RtnlLock();
  nd->ethtool_ops->get_coalesce(nd, &c, &k, &ext);
  RtnlUnlock();
  return c;
}

int EthtoolSetCoalesce(net_device* nd, ethtool_coalesce c, std::string* msg) {
  kernel_ethtool_coalesce k = {};
  netlink_ext_ack ext = {};
  RtnlLock();
  int err = nd->ethtool_ops->set_coalesce(nd, &c, &k, &ext);
  RtnlUnlock();
  if (msg) *msg = ext.msg ? ext.msg : "";
  return err;
}

ethtool_channels EthtoolGetChannels(net_device* nd) {
  ethtool_channels ch = {};
  RtnlLock();
  nd->ethtool_ops->get_channels(nd, &ch);
  RtnlUnlock();
  return ch;
}

int EthtoolSetRing(net_device* nd, uint32_t rx, uint32_t tx, std::string* msg) {
  ethtool_ringparam r = {};
  kernel_ethtool_ringparam k = {};
  netlink_ext_ack ext = {};
  RtnlLock();
  nd->ethtool_ops->get_ringparam(nd, &r, &k, &ext);
  int err = -EINVAL;
  // ethnl_set_rings(): within what get_ringparam says
  if (rx <= r.rx_max_pending && tx <= r.tx_max_pending) {
    r.rx_pending = rx;
    r.tx_pending = tx;
    err = nd->ethtool_ops->set_ringparam(nd, &r, &k, &ext);
  } else {
    ext.msg = "requested ring size exceeds maximum";
  }
  RtnlUnlock();
  if (msg) *msg = ext.msg ? ext.msg : "";
  return err;
}

namespace {

// ethtool_get_max_rxfh_channel(): the highest queue a table the user set
// names, +1; 0 for the driver's own table
uint32_t MaxRxfhChannel(net_device* nd) {
  if (!(nd->priv_flags & IFF_RXFH_CONFIGURED)) return 0;
  uint32_t size = nd->ethtool_ops->get_rxfh_indir_size(nd);
  std::vector<uint32_t> indir(size);
  ethtool_rxfh_param p = {};
  p.indir = indir.data();
  if (!size || nd->ethtool_ops->get_rxfh(nd, &p)) return size ? ~0u : 0;
  uint32_t max = 0;
  for (uint32_t e : indir) max = std::max(max, e + 1);
  return max;
}

}  // namespace

int EthtoolSetChannels(net_device* nd, uint32_t rx, uint32_t tx,
                       uint32_t combined) {
  ethtool_channels ch = {};
  RtnlLock();
  nd->ethtool_ops->get_channels(nd, &ch);
  int err = -EINVAL;
  // ethnl_set_channels(): each within its maximum, an RX and a TX queue
  // at least, and not below the table the user set
  if (rx <= ch.max_rx && tx <= ch.max_tx && combined <= ch.max_combined &&
      (combined || (rx && tx)) && combined + rx > MaxRxfhChannel(nd)) {
    ch.rx_count = rx;
    ch.tx_count = tx;
    ch.combined_count = combined;
    err = nd->ethtool_ops->set_channels(nd, &ch);
  }
  RtnlUnlock();
  return err;
}

Rxfh EthtoolGetRxfh(net_device* nd) {
  Rxfh out;
  RtnlLock();
  const ethtool_ops* ops = nd->ethtool_ops;
  out.indir.resize(ops->get_rxfh_indir_size(nd));
  out.key.resize(ops->get_rxfh_key_size(nd));
  ethtool_rxfh_param p = {};
  p.indir = out.indir.data();
  p.key = out.key.data();
  out.err = ops->get_rxfh(nd, &p);
  out.hfunc = p.hfunc;
  RtnlUnlock();
  return out;
}

int EthtoolSetRxfh(net_device* nd, const std::vector<uint32_t>& indir,
                   const std::vector<uint8_t>& key, uint8_t hfunc,
                   bool default_table, std::string* msg) {
  const ethtool_ops* ops = nd->ethtool_ops;
  netlink_ext_ack ext = {};
  RtnlLock();
  // ethtool_set_rxfh(): sizes as the driver reports them, entries within
  // the receive queues, the default table when asked for
  ethtool_rxnfc rings = {ETHTOOL_GRXRINGS, 0, 0};
  int err = ops->get_rxnfc(nd, &rings, nullptr);
  uint32_t size = ops->get_rxfh_indir_size(nd);
  std::vector<uint32_t> table = indir;
  if (default_table) {
    table.resize(size);
    for (uint32_t i = 0; i < size; i++)
      table[i] = ethtool_rxfh_indir_default(i, uint32_t(rings.data));
  }
  if (!err && !table.empty() && table.size() != size) err = -EINVAL;
  for (uint32_t e : table)
    if (!err && e >= rings.data) err = -EINVAL;
  if (!err && !key.empty() && key.size() != ops->get_rxfh_key_size(nd))
    err = -EINVAL;
  if (!err) {
    ethtool_rxfh_param p = {};
    p.hfunc = hfunc;
    p.indir = table.empty() ? nullptr : table.data();
    std::vector<uint8_t> k = key;
    p.key = k.empty() ? nullptr : k.data();
    err = ops->set_rxfh(nd, &p, &ext);
    if (!err && default_table)
      nd->priv_flags &= ~IFF_RXFH_CONFIGURED;
    else if (!err && !indir.empty())
      nd->priv_flags |= IFF_RXFH_CONFIGURED;
  }
  RtnlUnlock();
  if (msg) *msg = ext.msg ? ext.msg : "";
  return err;
}

int EthtoolGetRxfhFields(net_device* nd, uint32_t flow_type, uint64_t* data) {
  ethtool_rxnfc r = {ETHTOOL_GRXFH, flow_type, 0};
  RtnlLock();
  int err = nd->ethtool_ops->get_rxnfc(nd, &r, nullptr);
  RtnlUnlock();
  *data = r.data;
  return err;
}

int EthtoolSetRxfhFields(net_device* nd, uint32_t flow_type, uint64_t data) {
  ethtool_rxnfc r = {ETHTOOL_SRXFH, flow_type, data};
  RtnlLock();
  int err = nd->ethtool_ops->set_rxnfc(nd, &r);
  RtnlUnlock();
  return err;
}

uint32_t EthtoolGetMsglevel(net_device* nd) {
  RtnlLock();
  uint32_t v = nd->ethtool_ops->get_msglevel(nd);
  RtnlUnlock();
  return v;
}

void EthtoolSetMsglevel(net_device* nd, uint32_t level) {
  RtnlLock();
  nd->ethtool_ops->set_msglevel(nd, level);
  RtnlUnlock();
}

namespace {

// What netif_skb_features() lets the device do for this packet: the
// device's features less what gso_features_check() takes from a GSO packet
// (all segmentation at the legacy 64K GSO size; TSO6 for IPv6 extension
// headers, which IPV6_CSUM cannot cover), its vlan_features for a tagged
// packet (in-band or held beside it), and what ndo_features_check() (else
// the core's VLAN rule) leaves
netdev_features_t XmitFeatures(net_device* nd, sk_buff* skb) {
  netdev_features_t f = nd->features;
  if (skb_is_gso(skb)) {
    if (skb->len >= 65536) f &= ~NETIF_F_GSO_MASK;
    if ((f & NETIF_F_IPV6_CSUM) && skb->protocol == htons(ETH_P_IPV6) &&
        ipv6_hdr(skb)->nexthdr != IPPROTO_TCP && ipv6_hdr(skb)->nexthdr != IPPROTO_UDP)
      f &= ~(NETIF_F_IPV6_CSUM | NETIF_F_TSO6);
  }
  if (skb->protocol == htons(ETH_P_8021Q) || skb_vlan_tag_present(skb))
    f &= nd->vlan_features;
  if (nd->netdev_ops->ndo_features_check)
    return f & nd->netdev_ops->ndo_features_check(skb, nd, f);
  return vlan_features_check(skb, f);
}

// skb_gso_ok(): every gso_type bit has its feature (the ECN and fixed-ID
// variants have none here, so the stack segments those, as the kernel
// does for a device without TSO_ECN or TSO_MANGLEID)
bool GsoOk(const sk_buff* skb, netdev_features_t f) {
  unsigned type = skb_shinfo(skb)->gso_type & ~unsigned(SKB_GSO_DODGY);
  netdev_features_t need = 0;
  if (type & SKB_GSO_TCPV4) need |= NETIF_F_TSO;
  if (type & SKB_GSO_TCPV6) need |= NETIF_F_TSO6;
  if (type & ~unsigned(SKB_GSO_TCPV4 | SKB_GSO_TCPV6)) return false;
  return need && (f & need) == need;
}

uint32_t Sum16(const std::vector<uint8_t>& b, size_t from, size_t to) {
  uint32_t s = 0;
  for (size_t i = from; i < to; i += 2)
    s += uint32_t(b[i] << 8 | (i + 1 < to ? b[i + 1] : 0));
  return s;
}

uint16_t Fold16(uint32_t s) {
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return uint16_t(s);
}

// tcp_gso_segment() and its IP callers, for a packet the device cannot
// segment: each segment the headers (IPv4 length, ID and header checksum
// or IPv6 payload length, TCP sequence, FIN and PSH on the last only, CWR
// on the first only) and at most gso_size bytes of payload, CHECKSUM_PARTIAL
// with the pseudo header's sum in the TCP checksum field
std::vector<sk_buff*> SoftwareGso(sk_buff* skb) {
  FaultPause stack_allocates;
  std::vector<uint8_t> f = SkbBytes(skb);
  size_t l3 = size_t(skb_network_offset(skb));
  size_t l4 = size_t(skb_transport_offset(skb));
  size_t hlen = size_t(skb_tcp_all_headers(skb));
  size_t mss = skb_shinfo(skb)->gso_size;
  bool v6 = skb_shinfo(skb)->gso_type & SKB_GSO_TCPV6;
  bool fixed_id = skb_shinfo(skb)->gso_type & SKB_GSO_TCP_FIXEDID;
  std::vector<sk_buff*> out;
  if (hlen > f.size() || !mss) {
    Violation("GSO packet without its TCP headers");
    return out;
  }
  size_t payload = f.size() - hlen, nseg = (payload + mss - 1) / mss;
  uint16_t id = Be16(&f[l3 + 4]);
  uint32_t seq = uint32_t(Be16(&f[l4 + 4])) << 16 | Be16(&f[l4 + 6]);
  for (size_t i = 0; i < nseg; i++) {
    size_t from = hlen + i * mss, n = std::min(mss, f.size() - from);
    std::vector<uint8_t> g(f.begin(), f.begin() + long(hlen));
    g.insert(g.end(), f.begin() + long(from), f.begin() + long(from + n));
    auto put16 = [&g](size_t at, uint32_t v) {
      g[at] = uint8_t(v >> 8);
      g[at + 1] = uint8_t(v);
    };
    if (!v6) {
      put16(l3 + 2, uint32_t(g.size() - l3));
      put16(l3 + 4, uint16_t(fixed_id ? id : id + i));
      put16(l3 + 10, 0);
      put16(l3 + 10, uint16_t(~Fold16(Sum16(g, l3, l4))));
    } else {
      put16(l3 + 4, uint32_t(g.size() - l3 - 40));
    }
    uint32_t sn = seq + uint32_t(i * mss);
    put16(l4 + 4, sn >> 16);
    put16(l4 + 6, sn & 0xffff);
    if (i + 1 < nseg) g[l4 + 13] &= uint8_t(~(0x01 | 0x08));
    if (i) g[l4 + 13] &= uint8_t(~0x80);
    uint32_t ph = v6 ? Sum16(g, l3 + 8, l3 + 40) : Sum16(g, l3 + 12, l3 + 20);
    put16(l4 + 16, Fold16(ph + 6 + uint32_t(g.size() - l4)));
    sk_buff* seg = TxSkb(g, hlen, PAGE_SIZE, skb->queue_mapping);
    // TxSkb() knows no IPv6 extension headers: the original's offset
    seg->transport_header = uint16_t(seg->network_header + (l4 - l3));
    seg->ip_summed = CHECKSUM_PARTIAL;
    seg->csum_start = seg->transport_header;
    seg->csum_offset = 16;
    out.push_back(seg);
  }
  return out;
}

}  // namespace

netdev_tx_t Xmit(net_device* nd, sk_buff* skb, bool more) {
  uint16_t q = skb->queue_mapping;
  if (!nd->running || q >= nd->real_num_tx_queues || nd->tx[q].stopped)
    return NETDEV_TX_BUSY;
  if (skb_is_gso(skb) && !GsoOk(skb, XmitFeatures(nd, skb))) {
    // validate_xmit_skb(): the stack segments, the driver sees each
    std::vector<sk_buff*> segs = SoftwareGso(skb);
    kfree_skb(skb);
    net->software_gso++;
    for (size_t i = 0; i < segs.size(); i++) {
      if (Xmit(nd, segs[i], more || i + 1 < segs.size()) != NETDEV_TX_OK) {
        Violation("a software-GSO segment found its queue full: not modelled");
        for (size_t j = i; j < segs.size(); j++) kfree_skb(segs[j]);
        return NETDEV_TX_OK;
      }
    }
    return NETDEV_TX_OK;
  }
  net->xmit_more = more;
  netdev_tx_t ret = nd->netdev_ops->ndo_start_xmit(skb, nd);
  net->xmit_more = false;
  return ret;
}

uint64_t SoftwareGsoPackets() { return net->software_gso; }

uint64_t TxTimestamps() { return net->tx_timestamps; }

uint32_t EthtoolTsInfo(net_device* nd) {
  // __ethtool_get_ts_info(): the driver's, and software receive always
  kernel_ethtool_ts_info info = {};
  info.phc_index = -1;
  if (nd->ethtool_ops->get_ts_info) nd->ethtool_ops->get_ts_info(nd, &info);
  return info.so_timestamping | SOF_TIMESTAMPING_RX_SOFTWARE |
         SOF_TIMESTAMPING_SOFTWARE;
}

void SetXmitMore(bool more) { net->xmit_more = more; }

rtnl_link_stats64 Stats64(net_device* nd) {
  rtnl_link_stats64 st = {};
  nd->netdev_ops->ndo_get_stats64(nd, &st);
  return st;
}

std::vector<std::pair<std::string, uint64_t>> EthtoolStats(net_device* nd) {
  const ethtool_ops* ops = nd->ethtool_ops;
  int n = ops->get_sset_count(nd, ETH_SS_STATS);
  std::vector<uint8_t> names(size_t(n) * ETH_GSTRING_LEN);
  std::vector<u64> vals(size_t(n) + 1, 0xdeadbeefdeadbeefull);
  ops->get_strings(nd, ETH_SS_STATS, names.data());
  ethtool_stats st = {0, uint32_t(n)};
  ops->get_ethtool_stats(nd, &st, vals.data());
  if (vals[size_t(n)] != 0xdeadbeefdeadbeefull)
    Violation("ethtool stats written past get_sset_count()");
  std::vector<std::pair<std::string, uint64_t>> out;
  for (int i = 0; i < n; i++)
    out.emplace_back(reinterpret_cast<const char*>(&names[size_t(i) * ETH_GSTRING_LEN]),
                     vals[size_t(i)]);
  return out;
}

uint64_t EthtoolStat(net_device* nd, const std::string& name) {
  for (const auto& kv : EthtoolStats(nd))
    if (kv.first == name) return kv.second;
  Violation("no ethtool statistic named " + name);
  return ~0ull;
}

sk_buff* TxSkb(const std::vector<uint8_t>& frame, size_t headlen,
               size_t frag_len, uint16_t queue) {
  FaultPause stack_allocates;
  headlen = std::min(headlen, frame.size());
  struct page* hp = alloc_pages(GFP_KERNEL, 0);
  if (!hp) return nullptr;
  sk_buff* skb = build_skb(page_address(hp), PAGE_SIZE);
  // As the stack leaves it: the IP header 4-byte aligned
  const unsigned ip_align = 2;
  skb_reserve(skb, ip_align);
  if (headlen + ip_align > skb->end)
    Violation("TxSkb head larger than a page");
  memcpy(skb->data, frame.data(), headlen);
  __skb_put(skb, unsigned(headlen));
  size_t off = headlen;
  int i = 0;
  while (off < frame.size()) {
    size_t n = std::min({frag_len, frame.size() - off, size_t(PAGE_SIZE)});
    struct page* fp = alloc_pages(GFP_KERNEL, 0);
    memcpy(page_address(fp), frame.data() + off, n);
    skb_frag_t* f = &skb_shinfo(skb)->frags[i++];
    f->page = fp;
    f->offset = 0;
    f->len = unsigned(n);
    skb_shinfo(skb)->nr_frags = uint8_t(i);
    skb->len += unsigned(n);
    skb->data_len += unsigned(n);
    off += n;
  }
  skb->queue_mapping = queue;
  // Headers, as the stack sets them
  size_t l3 = 14;
  uint16_t type = Be16(&frame[12]);
  if (type == ETH_P_8021Q) {
    type = Be16(&frame[16]);
    l3 = 18;
  }
  skb->protocol = htons(Be16(&frame[12]));
  skb->mac_header = uint16_t(ip_align);
  skb->network_header = uint16_t(ip_align + l3);
  size_t l4 = l3;
  if (type == ETH_P_IP)
    l4 = l3 + (frame[l3] & 0xf) * 4;
  else if (type == ETH_P_IPV6)
    l4 = l3 + 40;
  // Only IP packets get a transport header from the stack
  if (l4 != l3) skb->transport_header = uint16_t(ip_align + l4);
  return skb;
}

std::vector<uint8_t> SkbBytes(const sk_buff* skb) {
  std::vector<uint8_t> out(skb->data, skb->data + skb_headlen(skb));
  const skb_shared_info* sh = skb_shinfo(skb);
  for (int i = 0; i < sh->nr_frags; i++) {
    const uint8_t* p =
        static_cast<const uint8_t*>(page_address(sh->frags[i].page)) +
        sh->frags[i].offset;
    out.insert(out.end(), p, p + sh->frags[i].len);
  }
  return out;
}

}  // namespace mock

using mock::net;
using mock::Violation;

extern "C" {

void tasklet_setup(struct tasklet_struct* t,
                   void (*callback)(struct tasklet_struct* t)) {
  t->callback = callback;
  t->scheduled = false;
}

void tasklet_hi_schedule(struct tasklet_struct* t) {
  if (t->scheduled) return;
  t->scheduled = true;
  net->tasklets.push_back(t);
}

// As the kernel's: a scheduled tasklet runs before it is killed
void tasklet_kill(struct tasklet_struct* t) {
  for (int guard = 0; t->scheduled; guard++) {
    if (guard == 100000) {
      mock::Violation("tasklet_kill of a tasklet that keeps scheduling itself");
      return;
    }
    auto& q = net->tasklets;
    q.erase(std::find(q.begin(), q.end(), t));
    t->scheduled = false;
    t->callback(t);
  }
}


void rtnl_lock(void) { mock::RtnlLock(); }
void rtnl_unlock(void) { mock::RtnlUnlock(); }

int register_netdev(struct net_device* dev) {
  if (!net->netdevs.count(dev)) {
    Violation("register_netdev of a net_device never allocated");
    return -EINVAL;
  }
  if (dev->registered) return -EEXIST;
  strncpy(dev->name, "eth0", sizeof(dev->name));
  dev->registered = true;
  return 0;
}

void unregister_netdev(struct net_device* dev) {
  if (!dev->registered) {
    Violation("unregister_netdev of a net_device not registered");
    return;
  }
  mock::DevClose(dev);
  dev->registered = false;
}

// As the kernel's: a registered device's counts change under the RTNL,
// and then the XPS maps of transmit queues that went are dropped
int netif_set_real_num_tx_queues(struct net_device* dev, unsigned int n) {
  if (n < 1 || n > dev->num_tx_queues) return -EINVAL;
  if (dev->registered) {
    if (!net->rtnl)
      mock::Violation("netif_set_real_num_tx_queues without the RTNL");
    for (unsigned int q = n; q < dev->real_num_tx_queues && q < MOCK_NETDEV_QUEUES; q++)
      dev->xps_cpu[q] = 0;
  }
  dev->real_num_tx_queues = n;
  return 0;
}

int netif_set_real_num_rx_queues(struct net_device* dev, unsigned int n) {
  if (n < 1 || n > dev->num_rx_queues) return -EINVAL;
  if (dev->registered && !net->rtnl)
    mock::Violation("netif_set_real_num_rx_queues without the RTNL");
  dev->real_num_rx_queues = n;
  return 0;
}

void netdev_rss_key_fill(void* buffer, size_t len) {
  auto* p = static_cast<uint8_t*>(buffer);
  for (size_t i = 0; i < len; i++) p[i] = uint8_t(0x6d + 37 * i);
}

// splitmix64 of a counter: distinct values, the same sequence every run
u64 get_random_u64(void) {
  static uint64_t state;
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

bool netdev_xmit_more(void) { return net->xmit_more; }

void netif_queue_set_napi(struct net_device* dev, unsigned int queue_index,
                          enum netdev_queue_type type,
                          struct napi_struct* napi) {
  if (dev->registered && !net->rtnl)
    mock::Violation("netif_queue_set_napi without the RTNL");
  if (napi && !napi->added)
    mock::Violation("netif_queue_set_napi with a NAPI context not added");
  bool rx = type == NETDEV_QUEUE_TYPE_RX;
  if (queue_index >= (rx ? dev->num_rx_queues : dev->num_tx_queues) ||
      queue_index >= MOCK_NETDEV_QUEUES) {
    mock::Violation("netif_queue_set_napi for a queue the device does not have");
    return;
  }
  if (rx)
    dev->rx_napi[queue_index] = napi;
  else
    dev->tx[queue_index].napi = napi;
}

int netif_set_xps_queue(struct net_device* dev, const struct cpumask* mask,
                        u16 index) {
  if (index >= dev->num_tx_queues) {
    mock::Violation("XPS for a transmit queue the device does not have");
    return -EINVAL;
  }
  if (index < MOCK_NETDEV_QUEUES) dev->xps_cpu[index] = mask->cpu + 1;
  return 0;
}

void netif_addr_lock_bh(struct net_device* dev) {
  (void)dev;
  if (net->addr_lock) mock::Violation("address lists locked twice");
  net->addr_lock++;
}

void netif_addr_unlock_bh(struct net_device* dev) {
  (void)dev;
  if (!net->addr_lock) mock::Violation("address lists unlocked while not locked");
  else net->addr_lock--;
}

void mock_might_sleep(const char* what) {
  if (net->addr_lock)
    mock::Violation(std::string(what) +
                    " under the address lists' spinlock (it sleeps)");
}

void netdev_tx_completed_queue(struct netdev_queue* q, unsigned int pkts,
                               unsigned int bytes) {
  if (!pkts && bytes) Violation("BQL completion of bytes without packets");
  if (bytes > q->bql_inflight) {
    Violation("BQL completed more bytes than were sent");
    q->bql_inflight = 0;
    return;
  }
  q->bql_inflight -= bytes;
}

int eth_validate_addr(struct net_device* dev) {
  return is_valid_ether_addr(dev->dev_addr) ? 0 : -EADDRNOTAVAIL;
}

u32 ethtool_op_get_link(struct net_device* dev) {
  return netif_carrier_ok(dev);
}

// As the kernel's: software timestamps both ways, no hardware clock
int ethtool_op_get_ts_info(struct net_device*, struct kernel_ethtool_ts_info* info) {
  info->so_timestamping = SOF_TIMESTAMPING_TX_SOFTWARE |
                          SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE;
  info->phc_index = -1;
  return 0;
}

void netif_napi_add(struct net_device* dev, struct napi_struct* napi,
                    int (*poll)(struct napi_struct*, int)) {
  if (net->napis.count(napi)) Violation("NAPI context added twice");
  *napi = napi_struct{};
  napi->dev = dev;
  napi->poll = poll;
  napi->weight = NAPI_POLL_WEIGHT;
  napi->added = true;
  net->napis.insert(napi);
}

void netif_napi_del(struct napi_struct* napi) { __netif_napi_del(napi); }

void __netif_napi_del(struct napi_struct* napi) {
  if (!net->napis.erase(napi)) {
    Violation("netif_napi_del of a NAPI context not added");
    return;
  }
  if (napi->enabled) Violation("NAPI context deleted while enabled");
  // A queue still naming it would show a freed NAPI to netlink readers
  if (napi->dev) {
    for (unsigned int i = 0; i < napi->dev->num_rx_queues && i < MOCK_NETDEV_QUEUES; i++)
      if (napi->dev->rx_napi[i] == napi)
        Violation("NAPI context deleted while receive queue " +
                  std::to_string(i) + " still names it");
    for (unsigned int i = 0; i < napi->dev->num_tx_queues; i++)
      if (napi->dev->tx[i].napi == napi)
        Violation("NAPI context deleted while transmit queue " +
                  std::to_string(i) + " still names it");
  }
  auto& q = net->napi_runq;
  q.erase(std::remove(q.begin(), q.end(), napi), q.end());
  napi->added = false;
}

void napi_enable(struct napi_struct* napi) {
  if (!napi->added) Violation("napi_enable of a NAPI context not added");
  if (napi->enabled) Violation("napi_enable twice");
  napi->enabled = true;
  napi->sched = false;
  napi->missed = false;
}

void napi_disable(struct napi_struct* napi) {
  if (!napi->enabled) Violation("napi_disable of a disabled NAPI context");
  // The kernel waits for a scheduled poll to complete: run it here.
  for (int i = 0; napi->sched && i < 100000; i++) mock::PollOnce(napi);
  if (napi->sched) Violation("napi_disable: the poll never completed");
  napi->enabled = false;
  auto& q = net->napi_runq;
  q.erase(std::remove(q.begin(), q.end(), napi), q.end());
}

bool napi_schedule_prep(struct napi_struct* napi) {
  if (!napi->enabled) return false;
  if (napi->sched) {
    napi->missed = true;
    return false;
  }
  napi->sched = true;
  return true;
}

void __napi_schedule(struct napi_struct* napi) {
  if (!napi->sched) Violation("__napi_schedule without napi_schedule_prep");
  mock::RunQueued(napi);
}

bool napi_complete_done(struct napi_struct* napi, int work_done) {
  (void)work_done;
  if (!napi->sched) Violation("napi_complete_done of an unscheduled NAPI");
  napi->completed = true;
  if (napi->missed) {
    napi->missed = false;
    return false;
  }
  napi->sched = false;
  return true;
}

void mock_skb_tx_timestamp(struct sk_buff* skb) {
  (void)skb;
  mock::net->tx_timestamps++;
}

int skb_checksum_help(struct sk_buff* skb) {
  if (skb->ip_summed != CHECKSUM_PARTIAL) return 0;
  std::vector<uint8_t> b = mock::SkbBytes(skb);
  size_t start = skb->csum_start - size_t(skb->data - skb->head);
  size_t at = start + skb->csum_offset;
  if (at + 2 > skb_headlen(skb)) {
    Violation("checksum field outside the head");
    return -EINVAL;
  }
  uint32_t sum = 0;
  for (size_t i = start; i < b.size(); i += 2)
    sum += uint32_t(b[i] << 8 | (i + 1 < b.size() ? b[i + 1] : 0));
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  uint16_t c = uint16_t(~sum);
  skb->data[at] = uint8_t(c >> 8);
  skb->data[at + 1] = uint8_t(c);
  skb->ip_summed = CHECKSUM_NONE;
  return 0;
}

struct net_device* alloc_etherdev_mqs(int sizeof_priv, unsigned int txqs,
                                      unsigned int rxqs) {
  auto* nd = static_cast<net_device*>(calloc(1, sizeof(net_device)));
  nd->priv = calloc(1, size_t(sizeof_priv));
  nd->num_tx_queues = txqs;
  nd->num_rx_queues = rxqs;
  nd->real_num_tx_queues = txqs;
  nd->real_num_rx_queues = rxqs;
  nd->tx = static_cast<netdev_queue*>(calloc(txqs, sizeof(netdev_queue)));
  for (unsigned int i = 0; i < txqs; i++) nd->tx[i].dev = nd;
  nd->min_mtu = 68;
  nd->max_mtu = 1500;
  nd->mtu = 1500;
  nd->flags = IFF_BROADCAST | IFF_MULTICAST;  // ether_setup()
  memset(nd->broadcast, 0xff, 6);
  net->netdevs.insert(nd);
  return nd;
}

void free_netdev(struct net_device* dev) {
  if (!net->netdevs.erase(dev)) {
    mock::Violation("free_netdev of a net_device never allocated");
    return;
  }
  if (dev->registered) mock::Violation("free_netdev of a registered net_device");
  free(dev->uc.addrs);
  free(dev->mc.addrs);
  free(dev->tx);
  free(dev->priv);
  free(dev);
}

void eth_hw_addr_set(struct net_device* dev, const u8* addr) {
  memcpy(dev->perm_addr, addr, 6);
  dev->dev_addr = dev->perm_addr;
  dev->addr_assign_type = NET_ADDR_PERM;
}

void eth_hw_addr_random(struct net_device* dev) {
  uint32_t& x = net->random_mac;
  for (int i = 0; i < 6; i++) {
    x = x * 1103515245u + 12345u;
    dev->perm_addr[i] = uint8_t(x >> 16);
  }
  dev->perm_addr[0] = (dev->perm_addr[0] & 0xfe) | 0x02;  // local, unicast
  dev->dev_addr = dev->perm_addr;
  dev->addr_assign_type = NET_ADDR_RANDOM;
}

}  // extern "C"
