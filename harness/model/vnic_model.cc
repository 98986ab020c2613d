// SPDX-License-Identifier: GPL-2.0-only
// The C API (vnic_model.h): a model::Host that calls the C callbacks, and
// the VNIC and PF models behind it.
#include "vnic_model.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "host.h"
#include "nic_pf.h"
#include "pf.h"
#include "vnic.h"

namespace {

class CHost : public model::Host {
 public:
  explicit CHost(const nicvf_model_host& h) : h_(h) {}

  bool DmaRead(uint64_t addr, void* dst, size_t len) override {
    return h_.dma_read && h_.dma_read(h_.opaque, addr, dst, len) == 0;
  }
  bool DmaWrite(uint64_t addr, const void* src, size_t len) override {
    return h_.dma_write && h_.dma_write(h_.opaque, addr, src, len) == 0;
  }
  void RaiseMsix(int vector) override {
    if (h_.msix_notify) h_.msix_notify(h_.opaque, unsigned(vector));
  }
  void SendFrame(int sq, const uint8_t* data, size_t len) override {
    if (h_.send_frame) h_.send_frame(h_.opaque, unsigned(sq), data, len);
  }
  uint64_t NowNs() override { return h_.now_ns ? h_.now_ns(h_.opaque) : 0; }
  void GuestError(const std::string& what) override {
    if (h_.guest_error) h_.guest_error(h_.opaque, what.c_str());
  }
  bool HasPf() const { return h_.vf_to_pf != nullptr; }
  void VfToPf(uint64_t w0, uint64_t w1) { h_.vf_to_pf(h_.opaque, w0, w1); }

 private:
  nicvf_model_host h_;
};

}  // namespace

struct nicvf_model {
  explicit nicvf_model(const nicvf_model_host& h, bool cqe_rx2)
      : host(h), vnic(&host, cqe_rx2), pf(&vnic) {}
  CHost host;
  model::Vnic vnic;
  model::Pf pf;
  // The benchmark source: its frames (one per flow), used in turn
  struct Source {
    std::vector<std::vector<uint8_t>> frames;
    size_t next = 0;
    uint64_t left = 0, sent = 0, dropped = 0;
  } source;
  bool pumping = false;
};

namespace {

// Send what the VNIC has room for.  Called after everything that can make
// room (a doorbell is a register write) or that starts the source
void Pump(nicvf_model* m) {
  nicvf_model::Source& s = m->source;
  if (m->pumping) return;
  m->pumping = true;
  while (s.left && m->vnic.RoomFor(s.frames[s.next].size())) {
    if (!m->vnic.ReceiveWire(s.frames[s.next]).posted) s.dropped++;
    s.sent++;
    s.left--;
    s.next = (s.next + 1) % s.frames.size();
  }
  m->pumping = false;
}

}  // namespace

static_assert(VNIC_MODEL_BAR_SIZE == model::Vnic::kBarSize,
              "the C API's BAR is the model's");

extern "C" {

nicvf_model* nicvf_model_create(const nicvf_model_host* host,
                                const nicvf_model_config* cfg) {
  if (!host || !cfg) return nullptr;
  auto* m = new nicvf_model(*host, cfg->cqe_rx2 != 0);
  // The tests' logs would grow for as long as the guest runs
  m->vnic.record_cfg_writes = false;
  m->pf.record_received = false;
  m->vnic.report_faults = true;
  m->vnic.tso_cqe_per_segment = cfg->tso_cqe_per_segment != 0;
  // A PF of the host's: the mailbox goes there, not to the model's nicpf
  if (m->host.HasPf()) {
    m->vnic.on_vf_mailbox = [m](const model::Vnic::MbxMsg& msg) {
      uint64_t w[2] = {0, 0};
      for (int i = 0; i < 16; i++) w[i / 8] |= uint64_t(msg[i]) << (8 * (i % 8));
      m->host.VfToPf(w[0], w[1]);
    };
    // The BGX and the steering are that PF's, not the stand-in's
    m->pf.DetachBgx();
  }
  if (cfg->primary_vfs) m->pf.num_vf_en = cfg->primary_vfs;
  if (cfg->pf_cpus) m->pf.online_cpus = cfg->pf_cpus;
  m->pf.vf_id = cfg->vf_id;
  m->pf.node = cfg->node;
  std::copy(cfg->mac, cfg->mac + 6, m->pf.mac.begin());
  return m;
}

void nicvf_model_destroy(nicvf_model* m) { delete m; }

uint64_t nicvf_model_mmio_read(nicvf_model* m, uint64_t offset) {
  if (offset % 8 || offset >= model::Vnic::kBarSize) {
    m->host.GuestError("BAR0 read at an offset the VNIC does not decode");
    return 0;
  }
  return m->vnic.Read64(offset);
}

void nicvf_model_mmio_write(nicvf_model* m, uint64_t offset, uint64_t value) {
  if (offset % 8 || offset >= model::Vnic::kBarSize) {
    m->host.GuestError("BAR0 write at an offset the VNIC does not decode");
    return;
  }
  m->vnic.Write64(offset, value);
  Pump(m);
}

int nicvf_model_receive(nicvf_model* m, unsigned int rq, const uint8_t* frame,
                        size_t len) {
  if (rq >= unsigned(model::Vnic::kQueues)) return 0;
  std::vector<uint8_t> f(frame, frame + len);
  return m->vnic.Receive(int(rq), f).posted ? 1 : 0;
}

int nicvf_model_receive_steered(nicvf_model* m, const uint8_t* frame,
                                size_t len,
                                int (*steer)(void*, int, uint32_t),
                                void* opaque, int* elsewhere) {
  if (!steer) return 0;
  std::vector<uint8_t> f(frame, frame + len);
  auto ask = [steer, opaque](const model::Cqe& parsed) {
    uint32_t hash;
    bool hashed = model::Vnic::RssHash(parsed, &hash);
    return steer(opaque, hashed ? 1 : 0, hash);
  };
  model::RxResult r = m->vnic.ReceiveSteered(f, m->pf.vf_id, ask);
  if (r.elsewhere >= 0) {
    if (elsewhere) *elsewhere = r.elsewhere;
    return 2;
  }
  return r.posted ? 1 : 0;
}

int nicvf_model_receive_wire(nicvf_model* m, const uint8_t* frame,
                             size_t len) {
  std::vector<uint8_t> f(frame, frame + len);
  return m->vnic.ReceiveWire(f).posted ? 1 : 0;
}

void nicvf_model_tick(nicvf_model* m) {
  m->vnic.Tick();
  Pump(m);
}

int nicvf_model_timer_pending(const nicvf_model* m) {
  return m->vnic.TimerPending() ? 1 : 0;
}

void nicvf_model_pf_answer(nicvf_model* m, uint64_t w0, uint64_t w1) {
  model::Vnic::MbxMsg msg;
  for (int i = 0; i < 16; i++)
    msg[i] = uint8_t((i < 8 ? w0 : w1) >> (8 * (i % 8)));
  m->vnic.PfSend(msg);
}

int nicvf_model_pf_write(nicvf_model* m, uint64_t offset, uint64_t value) {
  if (!model::NicPf::IsVfStat(offset)) return -1;
  m->vnic.PfWriteStat(offset, value);
  return 0;
}

void nicvf_model_set_link(nicvf_model* m, int up, uint32_t speed,
                          uint8_t duplex) {
  m->pf.link_up = up != 0;
  m->pf.speed = speed;
  m->pf.duplex = duplex;
}

int nicvf_model_source_start(nicvf_model* m, const nicvf_model_source* src) {
  if (!src || src->len < NICVF_MODEL_SOURCE_MIN_LEN ||
      src->len > NICVF_MODEL_SOURCE_MAX_LEN || !src->flows ||
      src->flows > NICVF_MODEL_SOURCE_MAX_FLOWS)
    return -1;
  nicvf_model::Source& s = m->source;
  s = nicvf_model::Source{};
  uint8_t dmac[6], smac[6] = {0x02, 0x00, 0x00, 0x00, 0xbe, 0x01};
  std::copy(m->pf.mac.begin(), m->pf.mac.end(), dmac);
  for (unsigned f = 0; f < src->flows; f++)
    s.frames.push_back(model::UdpFrame(dmac, smac, src->src_ip, src->dst_ip,
                                       uint16_t(10000 + f), src->dst_port,
                                       src->len));
  s.left = src->count;
  Pump(m);
  return 0;
}

void nicvf_model_set_sink(nicvf_model* m, int on) { m->vnic.tx_sink = on; }

void nicvf_model_bench_status(const nicvf_model* m, nicvf_model_bench* st) {
  *st = nicvf_model_bench{};
  st->src_left = m->source.left;
  st->src_sent = m->source.sent;
  st->src_dropped = m->source.dropped;
  for (int q = 0; q < model::Vnic::kQueues; q++)
    st->cq_pending += m->vnic.CqCount(q);
  st->sink_frames = m->vnic.sink_frames;
  st->sink_bytes = m->vnic.sink_bytes;
}

}  // extern "C"
