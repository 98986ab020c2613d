// SPDX-License-Identifier: GPL-2.0-only
#include "testlib/rig.h"

#include "testlib/frame.h"

namespace testlib {

void VnicRig::NewMachine(mock::IommuMode mode, bool cqe_rx2,
                         size_t mem_bytes) {
  vnic_.reset();
  mock::Reset(mode, mem_bytes);
  NewVnic(cqe_rx2);
}

void VnicRig::NewVnic(bool cqe_rx2) {
  vnic_.reset();
  vnic_ = std::make_unique<MockedVnic>(cqe_rx2);
}

RxRig::RxRig() {
  netdev_.dev_addr = kOurMac;
  napi_.dev = &netdev_;
}

void RxRig::NewVnic(bool cqe_rx2) {
  VnicRig::NewVnic(cqe_rx2);
  vnic_->parse_rx = false;
}

int RxRig::Up(const RxConfig& cfg) {
  int err = UpRbdr(cfg.ring_len, cfg.buf_len);
  for (int q = 0; !err && q < cfg.cqs; q++) err = AddCq(cfg.cq_len);
  if (!err) EnableRbdr();
  return err;
}

int RxRig::UpRbdr(uint32_t ring_len, uint32_t buf_len) {
  int err = nicvf_rbdr_init(&rbdr_, mock::Dev(), vnic_->bar0(), 0, ring_len,
                            buf_len, nullptr);
  rbdr_up_ = !err;
  return err;
}

void RxRig::EnableRbdr() { nicvf_rbdr_enable(&rbdr_); }

int RxRig::AddCq(uint32_t len) {
  int err = InitCq(&cq_[cqs_up_], cqs_up_, len, &rbdr_);
  if (!err) cqs_up_++;
  return err;
}

int RxRig::InitCq(nicvf_cq* cq, int q, uint32_t len, nicvf_rbdr* rbdr) {
  *cq = {};  // as new: a slot may have held a CQ before (the fuzz target's)
  int err = nicvf_cq_init(cq, mock::Dev(), vnic_->bar0(), q, len, rbdr,
                          &netdev_, vnic_->cqe_rx2());
  if (!err) nicvf_cq_enable(cq);
  return err;
}

int RxRig::Drain(int q, int budget) {
  int n, total = 0;
  do {
    n = nicvf_cq_poll(&cq_[q], &napi_, budget);
    total += n;
  } while (n == budget);
  return total;
}

void RxRig::StopCqs() {
  for (int q = 0; q < cqs_up_; q++) nicvf_cq_stop(&cq_[q]);
}

void RxRig::FreeCqs() {
  for (int q = 0; q < cqs_up_; q++) nicvf_cq_free(&cq_[q]);
  cqs_up_ = 0;
}

void RxRig::FreeRbdr() {
  if (rbdr_up_) nicvf_rbdr_free(&rbdr_);
  rbdr_up_ = false;
}

void RxRig::Down() {
  FreeCqs();
  FreeRbdr();
  vnic_.reset();
}

}  // namespace testlib
