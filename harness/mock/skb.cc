// SPDX-License-Identifier: GPL-2.0-only
// sk_buff allocation and freeing (freeing returns page_pool pages to their
// pool, other pages through put_page), eth_type_trans(), and NAPI delivery
// captured for the tests.
#include <set>

#include "internal.h"

extern "C" {
#include <linux/etherdevice.h>
#include <net/page_pool/helpers.h>
}

namespace mock {
namespace {

// sk_buffs built and not freed (a Reset() frees those a test left), and
// those handed to napi_gro_receive(), in order
struct Skbs {
  ~Skbs() {
    for (sk_buff* skb : live) delete skb;
  }
  std::set<sk_buff*> live;
  std::vector<sk_buff*> delivered;
};

void Report(const Skbs& s, Leaks& out) {
  out.Add("sk_buffs", s.live.size());
  out.Add("sk_buffs delivered and not freed", s.delivered.size());
}

Owned<Skbs> skbs("skb", kOrderSkb, Report);

}  // namespace
}  // namespace mock

using mock::skbs;

namespace {

void ReleaseRef(struct page* page, bool recycle) {
  if (recycle && page_pool_page_is_pp(page))
    page_pool_put_full_page(page->pp, page, false);
  else
    put_page(page);
}

}  // namespace

namespace mock {

size_t FreeDelivered() {
  std::vector<sk_buff*> done;
  done.swap(skbs->delivered);
  for (sk_buff* skb : done) kfree_skb(skb);
  return done.size();
}

std::vector<sk_buff*>& Delivered() { return skbs->delivered; }
size_t SkbsOutstanding() { return skbs->live.size(); }

}  // namespace mock

extern "C" {

void mock_skb_violation(const char* what) { mock::Violation(what); }

struct sk_buff* build_skb(void* data, unsigned int frag_size) {
  unsigned int shinfo = SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
  if (frag_size <= shinfo) {
    mock::Violation("build_skb with a buffer too small for skb_shared_info");
    return nullptr;
  }
  if (mock::ShouldFail(mock::Fault::kSkbAlloc)) return nullptr;
  auto* skb = new sk_buff();
  skb->head = static_cast<unsigned char*>(data);
  skb->data = skb->head;
  skb->end = frag_size - shinfo;
  skb->truesize = SKB_TRUESIZE(skb->end);
  skb->transport_header = SKB_HEADER_UNSET;
  // The shared info lives inside the buffer, as in the kernel: a driver
  // that lets the device write there corrupts its own packets.
  memset(skb_shinfo(skb), 0, sizeof(struct skb_shared_info));
  skb_shinfo(skb)->dataref.counter = 1;
  skbs->live.insert(skb);
  mock::Count().skb_alloc++;
  return skb;
}

void kfree_skb(struct sk_buff* skb) {
  if (!skb) return;
  if (!skbs->live.erase(skb)) {
    mock::Violation("kfree_skb of an sk_buff that is not live");
    return;
  }
  struct skb_shared_info* sh = skb_shinfo(skb);
  for (int i = 0; i < sh->nr_frags; i++)
    ReleaseRef(skb_frag_page(&sh->frags[i]), skb->pp_recycle);
  ReleaseRef(virt_to_page(skb->head), skb->pp_recycle);
  mock::Count().skb_free++;
  delete skb;
}

__be16 eth_type_trans(struct sk_buff* skb, struct net_device* dev) {
  skb->dev = dev;
  skb_reset_mac_header(skb);
  if (skb_headlen(skb) < ETH_HLEN) {
    mock::Violation("eth_type_trans on a head shorter than an Ethernet header");
    return 0;
  }
  const unsigned char* eth = skb->data;
  __skb_pull(skb, ETH_HLEN);
  if (eth[0] & 1) {
    static const unsigned char bcast[ETH_ALEN] = {0xff, 0xff, 0xff,
                                                  0xff, 0xff, 0xff};
    skb->pkt_type =
        memcmp(eth, bcast, ETH_ALEN) ? PACKET_MULTICAST : PACKET_BROADCAST;
  } else if (!dev->dev_addr || memcmp(eth, dev->dev_addr, ETH_ALEN)) {
    skb->pkt_type = PACKET_OTHERHOST;
  } else {
    skb->pkt_type = PACKET_HOST;
  }
  __be16 proto;
  memcpy(&proto, eth + 12, sizeof(proto));
  return proto;
}

gro_result_t napi_gro_receive(struct napi_struct* napi,
                                   struct sk_buff* skb) {
  if (!napi) mock::Violation("napi_gro_receive without a NAPI context");
  skbs->delivered.push_back(skb);
  return GRO_NORMAL;
}

}  // extern "C"
