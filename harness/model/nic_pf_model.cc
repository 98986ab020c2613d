// SPDX-License-Identifier: GPL-2.0-only
// The NIC PF model's C API (nic_pf_model.h).
#include "nic_pf_model.h"

#include "nic_pf.h"

struct nicvf_pf_model {
  nicvf_pf_model(const nicvf_pf_model_host& h, model::NicPf::Family f,
                 bool pass1, int total_vfs)
      : host(h), pf(f, pass1, total_vfs) {
    pf.raise_msix = [this](int v) {
      if (host.msix_notify) host.msix_notify(host.opaque, unsigned(v));
    };
    pf.to_vf = [this](int vf, uint64_t w0, uint64_t w1) {
      if (host.to_vf) host.to_vf(host.opaque, unsigned(vf), w0, w1);
    };
    pf.vf_stat_write = [this](int vf, uint64_t off, uint64_t v) {
      if (host.vf_stat_write)
        host.vf_stat_write(host.opaque, unsigned(vf), off, v);
    };
  }
  nicvf_pf_model_host host;
  model::NicPf pf;
};

static_assert(NICVF_PF_MODEL_BAR_SIZE == model::NicPf::kBarSize &&
                  NICVF_PF_MODEL_MSIX_VECTORS == model::NicPf::kMsixVectors &&
                  NICVF_PF_MODEL_MAX_VFS == model::NicPf::kMaxVfs,
              "the C API's PF is the model's");

extern "C" {

nicvf_pf_model* nicvf_pf_model_create(const nicvf_pf_model_host* host,
                                      const nicvf_pf_model_config* cfg) {
  if (!host || !cfg || !cfg->total_vfs ||
      cfg->total_vfs > NICVF_PF_MODEL_MAX_VFS)
    return nullptr;
  model::NicPf::Family f;
  switch (cfg->family) {
    case NICVF_PF_MODEL_CN88XX:
      f = model::NicPf::Family::kCn88xx;
      break;
    case NICVF_PF_MODEL_CN81XX:
      f = model::NicPf::Family::kCn81xx;
      break;
    case NICVF_PF_MODEL_CN83XX:
      f = model::NicPf::Family::kCn83xx;
      break;
    default:
      return nullptr;
  }
  return new nicvf_pf_model(*host, f, cfg->pass1 != 0, int(cfg->total_vfs));
}

void nicvf_pf_model_destroy(nicvf_pf_model* p) { delete p; }

uint64_t nicvf_pf_model_mmio_read(nicvf_pf_model* p, uint64_t offset) {
  if (offset % 8 || offset >= model::NicPf::kBarSize) return 0;
  return p->pf.Read64(offset);
}

void nicvf_pf_model_mmio_write(nicvf_pf_model* p, uint64_t offset,
                               uint64_t value) {
  if (offset % 8 || offset >= model::NicPf::kBarSize) return;
  p->pf.Write64(offset, value);
}

void nicvf_pf_model_from_vf(nicvf_pf_model* p, unsigned int vf, uint64_t w0,
                            uint64_t w1) {
  p->pf.FromVf(int(vf), w0, w1);
}

int nicvf_pf_model_rx_channel(nicvf_pf_model* p, unsigned int bgx,
                              unsigned int lmac, nicvf_pf_model_rx* rx) {
  model::NicPf::RxChannel ch;
  if (!p->pf.SteerChannel(int(bgx), int(lmac), &ch)) return -1;
  rx->vnic = unsigned(ch.vnic);
  rx->rssi_base = ch.rssi_base;
  rx->hash_bits = ch.hash_bits;
  return 0;
}

int nicvf_pf_model_rx_queue(nicvf_pf_model* p, const nicvf_pf_model_rx* rx,
                            int hashed, uint32_t hash) {
  model::NicPf::RxChannel ch;
  ch.vnic = int(rx->vnic);
  ch.rssi_base = rx->rssi_base;
  ch.hash_bits = rx->hash_bits;
  int qset, rq;
  if (!p->pf.SteerRss(ch, hashed != 0, hash, &qset, &rq)) return -1;
  return qset << 3 | rq;
}

int nicvf_pf_model_tx_lmac(nicvf_pf_model* p, unsigned int qset,
                           unsigned int sq, unsigned int* bgx,
                           unsigned int* lmac) {
  int b, l;
  if (qset >= unsigned(model::NicPf::kMaxVfs) || sq >= 8 ||
      !p->pf.SendLmac(int(qset), int(sq), &b, &l))
    return -1;
  *bgx = unsigned(b);
  *lmac = unsigned(l);
  return 0;
}

void nicvf_pf_model_get_counters(const nicvf_pf_model* p,
                                 nicvf_pf_model_counters* c) {
  c->rx_nic_off = p->pf.rx_nic_off;
  c->rx_qset_off = p->pf.rx_qset_off;
  c->tx_unscheduled = p->pf.tx_unscheduled;
  c->cpi_alg_other = p->pf.cpi_alg_other;
}

}  // extern "C"
