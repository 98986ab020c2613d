// SPDX-License-Identifier: GPL-2.0-only
// The NIC PF model's C API (nic_pf_model.h).
#include "nic_pf_model.h"

#include "nic_pf.h"

struct nicvf_pf_model {
  nicvf_pf_model(const nicvf_pf_model_host& h, bool pass1)
      : host(h), pf(pass1) {
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
                                      int pass1) {
  if (!host) return nullptr;
  return new nicvf_pf_model(*host, pass1 != 0);
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

}  // extern "C"
