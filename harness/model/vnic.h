// SPDX-License-Identifier: GPL-2.0-only
// The simulated VNIC: a BAR0 register file with side effects (RBDR, CQ and
// SQ base/config/doorbell/status, write-1-to-clear interrupts delivered as
// MSI-X vectors), a receive engine that takes buffers from the RBDR the
// driver filled, writes packet bytes by bus address through its host (the
// harness's mocked IOMMU, QEMU's PCI DMA) and writes CQE_RX entries in the
// hardware layout (with the parse results, checksum verdict, RSS hash and
// stripped VLAN tag), and a send engine that reads SQ descriptors and
// gather buffers the same way, inserts checksums, hands the frame to its
// host's wire (or the BGX loops it back to receive) and writes a CQE_SEND.
//
// It depends on nothing but its host (host.h): BAR0 is Read64/Write64 by
// offset, and mapping it where the driver's readq/writeq land is the
// host's work.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "host.h"

namespace model {

using Cqe = std::array<uint64_t, 64>;

struct RxOptions {
  unsigned align_pad = 0;     // 0..7: first buffer's data starts this far in
  unsigned err_level = 0;
  unsigned err_opcode = 0;
  // Applied to the finished CQE before it is written: for malformed input.
  std::function<void(Cqe&)> mutate;
};

struct RxResult {
  bool posted = false;             // a CQE was written
  int rq = -1;                     // the receive queue it went to
  std::vector<uint64_t> buffers;   // RBDR entries the hardware consumed
  // ReceiveSteered(): the queue set (not this VNIC's) and RQ the PF's RSS
  // index sent the frame to, qset << 3 | rq; -1 if none
  int elsewhere = -1;
};

class Vnic {
 public:
  static constexpr int kQueues = 8;
  static constexpr int kRbdrs = 2;
  static constexpr size_t kBarSize = 2u << 20;

  // cqe_rx2: later silicon (buffer pointers from word 7), else CN88xx pass 1.
  // The host must outlive the model.
  Vnic(Host* host, bool cqe_rx2);
  Vnic(const Vnic&) = delete;
  Vnic& operator=(const Vnic&) = delete;

  Host* host() const { return host_; }
  bool cqe_rx2() const { return cqe_rx2_; }
  // Another chip's CQE_RX layout from now on (the fuzzer tries both)
  void set_cqe_rx2(bool on) { cqe_rx2_ = on; }

  // A BAR0 access by the driver (offset in BAR0, 64-bit)
  uint64_t Read64(uint64_t offset);
  void Write64(uint64_t offset, uint64_t value);

  // --- Mailbox and interrupts -------------------------------------------
  using MbxMsg = std::array<uint8_t, 16>;
  // Called when the VF writes the second mailbox word (the PF's side).
  std::function<void(const MbxMsg&)> on_vf_mailbox;
  // The PF writes a message for the VF and raises the mailbox interrupt.
  void PfSend(const MbxMsg& msg);
  uint64_t int_status() const { return int_status_; }
  uint64_t int_enabled() const { return int_enable_; }
  uint64_t irqs_delivered = 0;

  // --- Ring state and stop sequences -----------------------------------
  // Writes to the RBDR/CQ/RQ configuration registers, and mailbox messages
  // sent (reg = the second mailbox word, val = message type), in order.
  struct CfgWrite {
    uint64_t reg;  // register offset, queue 0
    int q;
    uint64_t val;
  };
  std::vector<CfgWrite> cfg_writes;
  // Off: nothing is kept (a long-running host, QEMU's, would grow it
  // without bound)
  bool record_cfg_writes = true;
  bool rbdr_fifo_stuck = false;     // the FIFO never leaves ACTIVE
  bool rbdr_prefetch_busy = false;  // the prefetcher never drains
  void FailRbdr(int q) { rbdr_[q].fifo = 3; }  // FIFO state FAIL
  unsigned RbdrFifo(int q) const { return rbdr_[q].fifo; }
  bool CqEnabled(int q) const { return cq_[q].ena; }

  // Receive a frame on receive queue/CQ `cq` from RBDR 0.
  RxResult Receive(int cq, const std::vector<uint8_t>& frame,
                   const RxOptions& opt = {});
  // Receive a frame from the wire: the receive queue is the one the PF's
  // channel, CPI and RSS programming give for what the parser found
  // (select_rq, set by the PF model: -1 for a queue set that is not this
  // VNIC's; unset: queue 0).
  RxResult ReceiveWire(const std::vector<uint8_t>& frame);
  std::function<int(const Cqe& parsed)> select_rq;
  uint64_t drops_other_qset = 0;  // frames the PF steered elsewhere
  // Receive a frame a PF of the host's steers to this VNIC: `steer` gets
  // what the parser found (the RSS hash) and answers with the RSS index's
  // queue set and RQ (qset << 3 | rq), or -1 to drop it.  For a queue set
  // that is not `own_qset` nothing is received or counted here: the result
  // says where it goes (RxResult::elsewhere), for the host to Receive()
  // it on that queue set's VNIC
  RxResult ReceiveSteered(const std::vector<uint8_t>& frame, int own_qset,
                          const std::function<int(const Cqe& parsed)>& steer);
  // The RSS hash the parser put in a CQE, and whether it computed one
  static bool RssHash(const Cqe& parsed, uint32_t* hash);
  // Whether the LMAC receives at all (the PF enables it at the VF's
  // CFG_DONE, disables it at SHUTDOWN); a frame it does not take never
  // reaches the VNIC or its counters. Receive() (a test's frame at the
  // RQ) does not ask.
  std::function<bool()> lmac_rx_enabled;
  uint64_t drops_lmac_off = 0;
  // Building blocks for hand-made completions.
  bool TakeBuffer(int rbdr, uint64_t* addr);
  bool WriteCqe(int cq, const Cqe& cqe);
  Cqe MakeCqeRx(int cq, const std::vector<uint64_t>& ptrs,
                const std::vector<uint16_t>& lens, unsigned align_pad) const;

  // Parse received frames: check checksums, hash, strip VLAN tags as
  // RQ_GEN_CFG and RSS_CFG say. Off for tests whose frames are patterns.
  bool parse_rx = true;

  // --- The BGX between the wire and the VNIC (the PF model sets these) ---
  // wire_rx: whether the LMAC's DMAC filter passes a received frame;
  // bgx_rx_timestamp: the LMAC puts an 8-byte timestamp before each frame
  // (the parser skips it, the buffer holds it); bgx_loopback: the LMAC
  // loops sent frames back to receive instead of sending them; bgx_tx:
  // a frame the LMAC sends (to the wire or looped back).
  std::function<bool(const std::vector<uint8_t>&)> wire_rx;
  std::function<void(const std::vector<uint8_t>&)> bgx_tx;
  std::function<bool()> bgx_rx_timestamp;
  std::function<bool()> bgx_loopback;
  uint64_t bgx_looped = 0;  // frames the LMAC's internal loopback took

  // --- Send side --------------------------------------------------------
  // Process doorbelled descriptors as soon as the doorbell rings (else only
  // when ProcessSq() is called).
  bool tx_auto = true;
  bool sq_stuck = false;  // a disabled SQ never reports stopped
  // Sent frames go to the host's SendFrame(), in order.
  uint64_t tx_errors = 0;  // CQE_SEND with a nonzero status
  // Process up to max packets (-1: all) doorbelled on SQ q; returns count.
  int ProcessSq(int q, int max = -1);
  uint32_t SqPending(int q) const { return sq_[q].pending; }
  uint64_t sq_cq_stalls = 0;  // times an SQ waited for room in its CQ
  bool SqEnabled(int q) const { return sq_[q].ena; }
  // Write a CQE_SEND naming SQ entry `sqe` of SQ q on CQ q, as if sent.
  bool WriteCqeSend(int q, uint32_t sqe, uint8_t status = 0);
  // A queue-set error (raises QS_ERR).
  void RaiseQsErr();
  // The PF writes a statistics register of this VNIC through its own
  // window onto it (RESET_STAT_COUNTER zeroes them); offset as in BAR0
  void PfWriteStat(uint64_t offset, uint64_t value) {
    regs_[offset / 8] = value;
  }

  // Time passes (a few microseconds): every CQ timer runs out, raising the
  // CQ interrupt of each enabled CQ with entries waiting and its timer on
  // (CQ_CFG2). Above CQ_THRESH the interrupt came with the CQE already.
  void Tick();
  uint64_t cq_timer_irqs = 0;  // CQ interrupts the timers raised
  // Whether Tick() would raise anything: a host that runs a timer for it
  // (QEMU) only needs to while this is true
  bool TimerPending() const;

  uint32_t BufLen(int rbdr) const { return rbdr_[rbdr].lines * 128; }
  uint32_t RbdrCount(int rbdr) const { return rbdr_[rbdr].qcount; }
  uint32_t CqCount(int cq) const { return cq_[cq].count; }

  uint64_t rx_cqes = 0;  // CQE_RX written by Receive()
  // Called after each register write the driver makes (not re-entered):
  // a device that keeps working while the driver reconfigures it.
  std::function<void(uint64_t offset)> after_write;

  // Hardware-side drop counters.
  uint64_t drops_no_buffer = 0;
  uint64_t drops_cq_full = 0;
  uint64_t drops_too_long = 0;
  uint64_t dma_faults = 0;
  // Also tell the host of each DMA fault (Host::GuestError()): QEMU logs
  // them; harness tests that fault on purpose count them instead
  bool report_faults = false;
  uint64_t doorbell_errors = 0;

  // --- What a benchmark's traffic source and sink need -------------------
  // Whether a frame of `len` bytes from the wire finds what it needs now:
  // RBDR 0 holds the buffers it takes, and every enabled CQ has room for
  // its CQE (a source that waits for this never overruns the driver)
  bool RoomFor(size_t len) const;
  // The wire behind the send engine is a sink: each sent packet is checked
  // and completed as always, counted, and its gather buffers are not read
  bool tx_sink = false;
  uint64_t sink_frames = 0, sink_bytes = 0;

  // TSO: CN88xx pass 2 posts a CQE_SEND per segment of a TSO packet whose
  // header asks for one (the in-tree driver asks for none there, and ends
  // the packet with a DONT_SEND header that does); later chips one per
  // packet
  bool tso_cqe_per_segment = false;
  uint64_t tso_segments = 0;  // segments TSO made

 private:
  struct Rbdr {
    uint64_t base = 0, cfg = 0;
    uint32_t len = 0, lines = 0, head = 0, tail = 0, qcount = 0;
    bool ena = false;
    unsigned fifo = 0;  // STATUS0[63:62]
  };
  struct Cq {
    uint64_t base = 0, cfg = 0;
    uint32_t len = 0, head = 0, tail = 0, count = 0;
    uint64_t err = 0;  // CQ_STATUS error bits, until the CQ is reset
    bool ena = false;
  };
  struct Sq {
    uint64_t base = 0;
    uint32_t len = 0, head = 0, tail = 0, pending = 0;
    uint32_t cq_limit = 0;  // SQ_CFG[31:24]
    bool ena = false;
  };
  // SQ_CFG's CQ limit: the SQ takes no more packets while fewer than
  // cq_limit/256 of its CQ's entries are free (room for what the pipeline
  // may still write), so no CQE_SEND is lost to a full CQ
  bool SqHeldByCq(int q) const;
  // CQ_THRESH: more CQEs than this waiting raise the CQ interrupt
  uint32_t CqThresh(int q) const;

  void WriteReg(uint64_t offset, uint64_t value);
  bool in_after_write_ = false;
  Host* host_;
  bool cqe_rx2_;
  Rbdr rbdr_[kRbdrs];
  Cq cq_[kQueues];
  Sq sq_[kQueues];
  std::vector<uint64_t> regs_;  // everything without side effects
  uint64_t int_status_ = 0;     // NIC_VF_INT
  uint64_t int_enable_ = 0;     // NIC_VF_ENA_W1S/W1C
  // Set interrupt bits; each enabled one is delivered on its vector.
  void Raise(uint64_t bits);
  void Deliver(uint64_t bits);
  void Parse(std::vector<uint8_t>& frame, Cqe& cqe);
  RxResult ReceiveOn(int cq, const std::vector<uint8_t>& frame,
                     const RxOptions& opt,
                     const std::function<int(const Cqe&)>* steer = nullptr,
                     int own_qset = -1);
  RxResult Deliver(int cq, const std::vector<uint8_t>& frame,
                   const RxOptions& opt,
                   const std::function<int(const Cqe&)>* steer, int own_qset);
  void Count(uint64_t reg, uint64_t n = 1);
  void CountFrame(bool rx, int q, const std::vector<uint8_t>& f, bool taken);
  // The same for a frame of `len` bytes starting with `dmac` (may be NULL)
  void CountFrame(bool rx, int q, const uint8_t* dmac, size_t len,
                  bool taken);
  void Fault(const char* what, uint64_t addr);
  static uint8_t Segment(const std::vector<uint8_t>& f, size_t l3, size_t l4,
                         size_t hdr_len, size_t mss,
                         std::vector<std::vector<uint8_t>>* out);
};

// An Ethernet/IPv4/UDP frame of `len` bytes (at least 42; the payload is
// zeros), with valid IP and UDP checksums; addresses in host order
std::vector<uint8_t> UdpFrame(const uint8_t (&dmac)[6],
                              const uint8_t (&smac)[6], uint32_t sip,
                              uint32_t dip, uint16_t sport, uint16_t dport,
                              size_t len);

}  // namespace model
