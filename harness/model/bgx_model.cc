// SPDX-License-Identifier: GPL-2.0-only
// The BGX model's C API (bgx_model.h).
#include "bgx_model.h"

#include "bgx.h"

struct nicvf_bgx_model {
  nicvf_bgx_model(unsigned lmacs, unsigned type) : bgx(lmacs, type) {}
  model::Bgx bgx;
};

static_assert(NICVF_BGX_MODEL_BAR_SIZE == model::Bgx::kBarSize,
              "the C API's BAR is the model's");
static_assert(NICVF_BGX_MODEL_MSIX_TABLE == model::Bgx::kMsixTable &&
                  NICVF_BGX_MODEL_MSIX_PBA == model::Bgx::kMsixPba,
              "the C API's MSI-X layout is the model's");

extern "C" {

nicvf_bgx_model* nicvf_bgx_model_create(unsigned int lmacs, unsigned int type) {
  if (lmacs < 1 || lmacs > NICVF_BGX_MODEL_MAX_LMACS || type > NICVF_BGX_XLAUI)
    return nullptr;
  return new nicvf_bgx_model(lmacs, type);
}

void nicvf_bgx_model_destroy(nicvf_bgx_model* b) { delete b; }

uint64_t nicvf_bgx_model_mmio_read(nicvf_bgx_model* b, uint64_t offset) {
  if (offset % 8 || offset >= model::Bgx::kBarSize) return 0;
  return b->bgx.Read64(offset);
}

void nicvf_bgx_model_mmio_write(nicvf_bgx_model* b, uint64_t offset,
                                uint64_t value) {
  if (offset % 8 || offset >= model::Bgx::kBarSize) return;
  b->bgx.Write64(offset, value);
}

void nicvf_bgx_model_set_link(nicvf_bgx_model* b, unsigned int lmac, int up) {
  if (lmac < NICVF_BGX_MODEL_MAX_LMACS) b->bgx.SetLink(int(lmac), up != 0);
}

int nicvf_bgx_model_rx_enabled(const nicvf_bgx_model* b, unsigned int lmac) {
  return lmac < NICVF_BGX_MODEL_MAX_LMACS && b->bgx.RxEnabled(int(lmac));
}

int nicvf_bgx_model_rx(nicvf_bgx_model* b, unsigned int lmac,
                       const uint8_t* frame, size_t len) {
  return b->bgx.Receive(int(lmac), frame, len) ? 1 : 0;
}

nicvf_bgx_tx nicvf_bgx_model_tx(nicvf_bgx_model* b, unsigned int lmac,
                                const uint8_t* frame, size_t len) {
  switch (b->bgx.Send(int(lmac), frame, len)) {
    case model::Bgx::Tx::kWire:
      return NICVF_BGX_TX_WIRE;
    case model::Bgx::Tx::kLoopback:
      return NICVF_BGX_TX_LOOPBACK;
    default:
      return NICVF_BGX_TX_DROPPED;
  }
}

void nicvf_bgx_model_get_counters(const nicvf_bgx_model* b,
                                  nicvf_bgx_model_counters* c) {
  c->rx_off = b->bgx.rx_off;
  c->rx_filtered = b->bgx.rx_filtered;
  c->rx_runts = b->bgx.rx_runts;
  c->tx_off = b->bgx.tx_off;
  c->looped = b->bgx.looped;
}

}  // extern "C"
