// SPDX-License-Identifier: GPL-2.0-only
// The device model through its C API (model/vnic_model.h), as a QEMU
// device will drive it: host callbacks over a plain buffer as bus memory,
// no mocks and no driver. BAR0 is programmed by hand, the way the
// hardware defines the registers.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "kunit/vnic_hw.h"
#include "model/vnic_model.h"
#include "model/vnic_regs.h"

namespace {

// Bus memory [kBus, kBus + size) and what the device did with it
struct Host {
  static constexpr uint64_t kBus = 0x40000000;
  std::vector<uint8_t> mem = std::vector<uint8_t>(4u << 20);
  std::vector<unsigned> vectors;
  std::vector<std::vector<uint8_t>> sent;
  std::vector<std::string> errors;
  // Every DMA read the device made: bus address and length
  std::vector<std::pair<uint64_t, size_t>> reads;

  uint8_t* At(uint64_t addr, size_t len) {
    if (addr < kBus || addr - kBus > mem.size() ||
        len > mem.size() - (addr - kBus))
      return nullptr;
    return mem.data() + (addr - kBus);
  }
  uint64_t Word(uint64_t addr) {
    uint64_t w;
    memcpy(&w, At(addr, 8), 8);
    return w;
  }
};

nicvf_model_host Callbacks(Host* h) {
  nicvf_model_host c{};
  c.opaque = h;
  c.dma_read = [](void* o, uint64_t a, void* buf, size_t len) {
    static_cast<Host*>(o)->reads.emplace_back(a, len);
    uint8_t* p = static_cast<Host*>(o)->At(a, len);
    if (!p) return -1;
    memcpy(buf, p, len);
    return 0;
  };
  c.dma_write = [](void* o, uint64_t a, const void* buf, size_t len) {
    uint8_t* p = static_cast<Host*>(o)->At(a, len);
    if (!p) return -1;
    memcpy(p, buf, len);
    return 0;
  };
  c.msix_notify = [](void* o, unsigned v) {
    static_cast<Host*>(o)->vectors.push_back(v);
  };
  c.send_frame = [](void* o, unsigned, const uint8_t* buf, size_t len) {
    static_cast<Host*>(o)->sent.emplace_back(buf, buf + len);
  };
  c.guest_error = [](void* o, const char* msg) {
    static_cast<Host*>(o)->errors.push_back(msg);
  };
  return c;
}

// Where the test puts the rings and buffers in bus memory
constexpr uint64_t kCq = Host::kBus;                  // 1K CQEs, 512 KB
constexpr uint64_t kRbdr = Host::kBus + (1u << 20);   // 8K entries, 64 KB
constexpr uint64_t kSq = Host::kBus + (3u << 19);     // 1K entries, 16 KB
constexpr uint64_t kBufs = Host::kBus + (2u << 20);   // 2 KB buffers
constexpr uint64_t kTxBuf = Host::kBus + (3u << 20);  // a frame to send
constexpr uint32_t kBufLen = 2048;
constexpr uint64_t kQ0 = 0;  // queue 0's registers: no stride added

class ModelCApi : public ::testing::Test {
 protected:
  void SetUp() override {
    nicvf_model_config cfg{};
    cfg.cqe_rx2 = 1;
    cfg.vf_id = 3;
    const uint8_t mac[6] = {0x02, 0x1f, 0xb7, 0x00, 0x00, 0x03};
    memcpy(cfg.mac, mac, 6);
    cb_ = Callbacks(&host_);
    m_ = nicvf_model_create(&cb_, &cfg);
    ASSERT_NE(nullptr, m_);
  }
  void TearDown() override { nicvf_model_destroy(m_); }

  void Write(uint64_t off, uint64_t v) { nicvf_model_mmio_write(m_, off, v); }
  uint64_t Read(uint64_t off) { return nicvf_model_mmio_read(m_, off); }

  // CQ 0 (1K entries, threshold 0) and RBDR 0 with `bufs` 2 KB buffers
  void RingsUp(int bufs) {
    Write(VNIC_REG_CQ_BASE + kQ0, kCq);
    Write(VNIC_REG_CQ_THRESH + kQ0, 0);
    Write(VNIC_REG_CQ_CFG + kQ0, 1ull << 42);  // ENA, QSIZE 0: 1K
    for (int i = 0; i < bufs; i++) {
      uint64_t buf = kBufs + uint64_t(i) * kBufLen;
      memcpy(host_.At(kRbdr + i * VNIC_RBDR_ENTRY_BYTES, 8), &buf, 8);
    }
    Write(VNIC_REG_RBDR_BASE + kQ0, kRbdr);
    // ENA, QSIZE 0 (8K entries), LINES: the buffer in 128-byte lines
    Write(VNIC_REG_RBDR_CFG + kQ0, 1ull << 44 | kBufLen / 128);
    Write(VNIC_REG_RBDR_DOOR + kQ0, bufs);
  }

  Host host_;
  nicvf_model_host cb_{};
  nicvf_model* m_ = nullptr;
};

TEST_F(ModelCApi, ReceiveWritesTheFrameAndACqeAndRaisesTheCqVector) {
  RingsUp(4);
  Write(VNIC_REG_VF_ENA_W1S, 1ull << (VNIC_INT_CQ_SHIFT + 0));
  EXPECT_EQ(4u, Read(VNIC_REG_RBDR_STATUS0 + kQ0) & 0xffffffff);

  // To our MAC, an EtherType the parser does not look into
  std::vector<uint8_t> frame = {0x02, 0x1f, 0xb7, 0x00, 0x00, 0x03,
                                0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
                                0x88, 0xb5};
  for (int i = 0; i < 100; i++) frame.push_back(uint8_t(i));
  ASSERT_EQ(1, nicvf_model_receive(m_, 0, frame.data(), frame.size()));

  // The frame in the first buffer, and one CQE_RX naming it
  EXPECT_EQ(0, memcmp(frame.data(), host_.At(kBufs, frame.size()),
                      frame.size()));
  uint64_t w0 = host_.Word(kCq), w1 = host_.Word(kCq + 8);
  EXPECT_EQ(VNIC_CQE_TYPE_RX, w0 >> VNIC_CQE_TYPE_SHIFT);
  EXPECT_EQ(frame.size(), (w1 >> VNIC_CQE_RX_PKT_LEN_SHIFT) & 0xffff);
  EXPECT_EQ(kBufs, host_.Word(kCq + 8 * VNIC_CQE_RX_PTR_WORD_RX2));
  EXPECT_EQ(1u, Read(VNIC_REG_CQ_STATUS + kQ0) & 0xffff);
  EXPECT_EQ(1u << VNIC_CQ_PTR_SHIFT, Read(VNIC_REG_CQ_TAIL + kQ0));
  EXPECT_EQ(3u, Read(VNIC_REG_RBDR_STATUS0 + kQ0) & 0xffffffff);
  // Above CQ_THRESH: CQ 0's vector
  EXPECT_EQ(std::vector<unsigned>{0}, host_.vectors);
  EXPECT_TRUE(host_.errors.empty());

  // Software takes the entry: the CQ is empty again
  Write(VNIC_REG_CQ_DOOR + kQ0, 1);
  EXPECT_EQ(0u, Read(VNIC_REG_CQ_STATUS + kQ0) & 0xffff);
}

TEST_F(ModelCApi, ReceiveWithoutBuffersDrops) {
  RingsUp(0);
  std::vector<uint8_t> frame(64, 0xff);  // broadcast
  EXPECT_EQ(0, nicvf_model_receive(m_, 0, frame.data(), frame.size()));
  EXPECT_EQ(0u, Read(VNIC_REG_CQ_STATUS + kQ0) & 0xffff);
}

TEST_F(ModelCApi, SendPutsTheFrameOnTheWireAndWritesACqeSend) {
  RingsUp(0);
  std::vector<uint8_t> frame(60);
  for (size_t i = 0; i < frame.size(); i++) frame[i] = uint8_t(i * 7);
  memcpy(host_.At(kTxBuf, frame.size()), frame.data(), frame.size());
  // A header (one subdescriptor follows, the frame's length) and a gather
  uint64_t sq[4] = {
      VNIC_SQ_DESC_HEADER << VNIC_SQ_DESC_TYPE_SHIFT | VNIC_SQ_HDR_POST_CQE |
          1ull << VNIC_SQ_HDR_SUBDESCS_SHIFT | frame.size(),
      0,
      VNIC_SQ_DESC_GATHER << VNIC_SQ_DESC_TYPE_SHIFT | frame.size(),
      kTxBuf,
  };
  memcpy(host_.At(kSq, sizeof(sq)), sq, sizeof(sq));
  Write(VNIC_REG_SQ_BASE + kQ0, kSq);
  Write(VNIC_REG_SQ_CFG + kQ0, 1ull << 19);  // ENA, QSIZE 0: 1K
  Write(VNIC_REG_SQ_DOOR + kQ0, 2);

  ASSERT_EQ(1u, host_.sent.size());
  EXPECT_EQ(frame, host_.sent[0]);
  uint64_t w0 = host_.Word(kCq);
  EXPECT_EQ(VNIC_CQE_TYPE_SEND, w0 >> VNIC_CQE_TYPE_SHIFT);
  EXPECT_EQ(0u, w0 & VNIC_CQE_SEND_STATUS);
  EXPECT_EQ(0u, (w0 >> VNIC_CQE_SEND_SQE_PTR_SHIFT) & 0xffff);
  EXPECT_EQ(2u << VNIC_SQ_PTR_SHIFT, Read(VNIC_REG_SQ_HEAD + kQ0));
  EXPECT_TRUE(host_.errors.empty());
}

TEST_F(ModelCApi, ThePfAnswersReadyOnTheMiscVector) {
  Write(VNIC_REG_VF_ENA_W1S, VNIC_INT_MBOX);
  Write(VNIC_REG_VF_PF_MAILBOX_0_1, 0x01);     // READY
  Write(VNIC_REG_VF_PF_MAILBOX_0_1 + 8, 0);    // the second word sends it
  uint64_t w0 = Read(VNIC_REG_VF_PF_MAILBOX_0_1);
  EXPECT_EQ(0x01u, w0 & 0xff);         // READY back
  EXPECT_EQ(3u, (w0 >> 8) & 0xff);     // the VF number
  EXPECT_EQ(0x02u, (w0 >> 32) & 0xff); // the MAC's first byte
  EXPECT_EQ(std::vector<unsigned>{18}, host_.vectors);  // MISC
  EXPECT_TRUE(Read(VNIC_REG_VF_INT) & VNIC_INT_MBOX);
}

TEST_F(ModelCApi, LinkStateIsWhatTheNextLinkPollIsAnswered) {
  Write(VNIC_REG_VF_ENA_W1S, VNIC_INT_MBOX);
  nicvf_model_set_link(m_, 1, 10000, 1);
  // As nicpf: nothing unsolicited, the state waits for the VF's poll
  EXPECT_TRUE(host_.vectors.empty());
  Write(VNIC_REG_VF_PF_MAILBOX_0_1, 0x11);     // BGX_LINK_CHANGE
  Write(VNIC_REG_VF_PF_MAILBOX_0_1 + 8, 0);
  uint64_t w0 = Read(VNIC_REG_VF_PF_MAILBOX_0_1);
  EXPECT_EQ(0x11u, w0 & 0xff);                // BGX_LINK_CHANGE
  EXPECT_EQ(1u, (w0 >> 16) & 0xff);           // link up
  EXPECT_EQ(1u, (w0 >> 24) & 0xff);           // full duplex
  EXPECT_EQ(10000u, w0 >> 32);                // Mb/s
  EXPECT_EQ(std::vector<unsigned>{18}, host_.vectors);  // MISC
}

TEST_F(ModelCApi, BadOffsetsAreGuestErrors) {
  EXPECT_EQ(0u, Read(4));
  Write(VNIC_MODEL_BAR_SIZE, 1);
  EXPECT_EQ(2u, host_.errors.size());
}


// The mailbox as the VF drives it: word 0 then word 1 sends
void Mbx(nicvf_model* m, uint64_t w0, uint64_t w1) {
  nicvf_model_mmio_write(m, VNIC_REG_VF_PF_MAILBOX_0_1, w0);
  nicvf_model_mmio_write(m, VNIC_REG_VF_PF_MAILBOX_0_1 + 8, w1);
}

// An IPv4/UDP frame to our MAC from source port `sport`, checksums valid
std::vector<uint8_t> Udp4(uint16_t sport) {
  std::vector<uint8_t> f = {0x02, 0x1f, 0xb7, 0x00, 0x00, 0x03,
                            0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00,
                            // IPv4, 20 bytes, total 28 + 18 payload
                            0x45, 0, 0, 46, 0, 0, 0, 0, 64, 17, 0, 0,
                            10, 0, 0, 1, 10, 0, 0, 2,
                            // UDP, checksum 0 (none)
                            uint8_t(sport >> 8), uint8_t(sport), 0x13, 0x89,
                            0, 26, 0, 0};
  f.resize(14 + 46, 0x5a);
  uint32_t sum = 0;
  for (int i = 14; i < 34; i += 2) sum += f[i] << 8 | f[i + 1];
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  f[24] = uint8_t(~sum >> 8);
  f[25] = uint8_t(~sum);
  return f;
}

TEST_F(ModelCApi, WireFramesFollowTheCpiAndRssProgramming) {
  RingsUp(64);
  // Queue 1's CQ too
  Write(VNIC_REG_CQ_BASE + (1ull << VNIC_Q_NUM_SHIFT), kCq + (1u << 19) / 2);
  Write(VNIC_REG_CQ_CFG + (1ull << VNIC_Q_NUM_SHIFT), 1ull << 42);
  auto frame = Udp4(1000);

  // Before CFG_DONE the LMAC takes nothing; before CPI_CFG the channel
  // steers nothing to this VF
  EXPECT_EQ(0, nicvf_model_receive_wire(m_, frame.data(), frame.size()));
  Mbx(m_, 0xf0, 0);  // CFG_DONE
  EXPECT_EQ(0, nicvf_model_receive_wire(m_, frame.data(), frame.size()));
  EXPECT_EQ(0u, Read(VNIC_REG_RX_STAT_0_13));  // the LMAC's drop is not the VNIC's

  // CPI_CFG: VF 3, 2 queues, no CPI algorithm: RSS off, all to queue 0
  Mbx(m_, 0x0a | 3ull << 8 | 2ull << 16, 0);
  Write(VNIC_REG_RSS_CFG, 1ull << 4 | 1ull << 1);  // UDP and IP hashing
  for (int w = 0; w < 5; w++)  // a key, as netdev_rss_key_fill() makes one
    Write(VNIC_REG_RSS_KEY_0_4 + 8 * w, 0x6d5a56da255b0ec2ull * (w + 1));
  for (uint16_t p = 1000; p < 1016; p++) {
    auto f = Udp4(p);
    ASSERT_EQ(1, nicvf_model_receive_wire(m_, f.data(), f.size()));
  }
  EXPECT_EQ(16u, Read(VNIC_REG_CQ_STATUS) & 0xffff);
  EXPECT_EQ(0u, Read(VNIC_REG_CQ_STATUS + (1ull << VNIC_Q_NUM_SHIFT)) & 0xffff);

  // RSS_CFG: 1 hash bit, entries 0 -> queue 0 and 1 -> queue 1
  Mbx(m_, 0x0c | 3ull << 8 | 1ull << 16 | 2ull << 24 | 0ull << 32 |
              0ull << 40 | 1ull << 48,
      0);
  Write(VNIC_REG_CQ_DOOR, 16);
  const uint64_t base[2] = {kCq, kCq + (1u << 19) / 2};
  unsigned got[2] = {};
  // Even source ports only, as Linux's connect() picks them
  for (uint16_t p = 33000; p < 33064; p += 2) {
    auto f = Udp4(p);
    ASSERT_EQ(1, nicvf_model_receive_wire(m_, f.data(), f.size()));
    unsigned n[2];
    for (int q = 0; q < 2; q++)
      n[q] = unsigned(Read(VNIC_REG_CQ_STATUS +
                           (uint64_t(q) << VNIC_Q_NUM_SHIFT)) & 0xffff);
    // One more entry on exactly one queue: the one the tag's low bit names
    ASSERT_EQ(got[0] + got[1] + 1, n[0] + n[1]);
    int q = n[1] > got[1] ? 1 : 0;
    got[q]++;
    // The entry before the CQ's tail is the one just written
    uint64_t tail = Read(VNIC_REG_CQ_TAIL + (uint64_t(q) << VNIC_Q_NUM_SHIFT)) >>
                    VNIC_CQ_PTR_SHIFT;
    uint64_t cqe = base[q] + (tail - 1) * VNIC_CQE_BYTES;
    EXPECT_EQ(VNIC_RSS_ALG_UDP,
              (host_.Word(cqe) >> VNIC_CQE_RX_RSS_ALG_SHIFT) & 0xf);
    EXPECT_EQ(unsigned(q),
              (host_.Word(cqe + 16) >> VNIC_CQE_RX_RSS_TAG_SHIFT) & 1);
  }
  // 32 flows over a 1-bit table: both queues get some
  EXPECT_GT(got[0], 0u);
  EXPECT_GT(got[1], 0u);
  EXPECT_TRUE(host_.errors.empty());
}

// A VF of a PF of the host's: the host's BGX and PF decide what reaches
// it (the model's stand-in LMAC gate and filter are not in the way), and
// the RSS index's queue set and RQ, asked for with the parser's hash,
// decide where a frame goes: here, another VNIC's queue set, or nowhere
class ModelWithHostPf : public ModelCApi {
 protected:
  void SetUp() override {
    ModelCApi::SetUp();
    nicvf_model_destroy(m_);
    cb_.vf_to_pf = [](void*, uint64_t, uint64_t) {};
    nicvf_model_config cfg{};
    cfg.cqe_rx2 = 1;
    cfg.vf_id = 3;
    m_ = nicvf_model_create(&cb_, &cfg);
    ASSERT_NE(nullptr, m_);
  }
  struct Steer {
    int answer = -1;
    int asked = 0, hashed = -1;
    uint32_t hash = 0;
  };
  static int Ask(void* o, int hashed, uint32_t hash) {
    auto* s = static_cast<Steer*>(o);
    s->asked++;
    s->hashed = hashed;
    s->hash = hash;
    return s->answer;
  }
  int Rx(Steer* s, const std::vector<uint8_t>& f, int* elsewhere) {
    return nicvf_model_receive_steered(m_, f.data(), f.size(), Ask, s,
                                       elsewhere);
  }
};

TEST_F(ModelWithHostPf, FramesGoWhereTheHostPfSteersThem) {
  RingsUp(64);
  Write(VNIC_REG_CQ_BASE + (1ull << VNIC_Q_NUM_SHIFT), kCq + (1u << 19) / 2);
  Write(VNIC_REG_CQ_CFG + (1ull << VNIC_Q_NUM_SHIFT), 1ull << 42);
  Steer st;
  int where = -1;
  auto f = Udp4(1000);
  // No CFG_DONE was seen (the host's PF had it): received all the same,
  // on this queue set's RQ 1, unhashed while RSS is off
  st.answer = 3 << 3 | 1;
  EXPECT_EQ(1, Rx(&st, f, &where));
  EXPECT_EQ(0, st.hashed);
  EXPECT_EQ(1u, Read(VNIC_REG_CQ_STATUS + (1ull << VNIC_Q_NUM_SHIFT)) & 0xffff);
  uint64_t octets = Read(VNIC_REG_RX_STAT_0_13);
  EXPECT_EQ(f.size(), octets);
  // With RSS on the host's PF is asked with the hash the CQE carries
  Write(VNIC_REG_RSS_CFG, 1ull << 4 | 1ull << 1);
  for (int w = 0; w < 5; w++)
    Write(VNIC_REG_RSS_KEY_0_4 + 8 * w, 0x6d5a56da255b0ec2ull * (w + 1));
  st.answer = 3 << 3 | 0;
  EXPECT_EQ(1, Rx(&st, f, &where));
  EXPECT_EQ(1, st.hashed);
  uint64_t tail = Read(VNIC_REG_CQ_TAIL) >> VNIC_CQ_PTR_SHIFT;
  uint64_t cqe = kCq + (tail - 1) * VNIC_CQE_BYTES;
  EXPECT_EQ(st.hash, uint32_t(host_.Word(cqe + 16) >> VNIC_CQE_RX_RSS_TAG_SHIFT));
  // Another queue set: nothing received or counted here, the host is told
  st.answer = 9 << 3 | 2;
  EXPECT_EQ(2, Rx(&st, f, &where));
  EXPECT_EQ(9 << 3 | 2, where);
  // Nowhere: dropped
  st.answer = -1;
  EXPECT_EQ(0, Rx(&st, f, &where));
  EXPECT_EQ(2 * f.size(), Read(VNIC_REG_RX_STAT_0_13));
  EXPECT_EQ(4, st.asked);
  EXPECT_EQ(1u, Read(VNIC_REG_CQ_STATUS) & 0xffff);  // the RSS frame
  EXPECT_TRUE(host_.errors.empty());
}

TEST_F(ModelCApi, TimerPendingWhileACqHoldsEntriesWithItsTimerOn) {
  RingsUp(4);
  Write(VNIC_REG_CQ_THRESH, 8);
  auto frame = Udp4(7);
  Mbx(m_, 0xf0, 0);  // CFG_DONE
  Mbx(m_, 0x0a | 3ull << 8 | 1ull << 16, 0);
  ASSERT_EQ(1, nicvf_model_receive_wire(m_, frame.data(), frame.size()));
  EXPECT_EQ(0, nicvf_model_timer_pending(m_));  // timer off
  Write(VNIC_REG_CQ_CFG2, 100);
  EXPECT_EQ(1, nicvf_model_timer_pending(m_));
  Write(VNIC_REG_VF_ENA_W1S, 1ull << VNIC_INT_CQ_SHIFT);
  host_.vectors.clear();
  nicvf_model_tick(m_);
  EXPECT_EQ(std::vector<unsigned>{0}, host_.vectors);
  Write(VNIC_REG_CQ_DOOR, 1);
  EXPECT_EQ(0, nicvf_model_timer_pending(m_));
}

TEST_F(ModelCApi, ADmaFaultIsReportedAsTheHardwareDoesAndLogged) {
  // A CQ outside bus memory: the CQE write faults
  Write(VNIC_REG_VF_ENA_W1S, 1ull << 23);  // QS_ERR
  Write(VNIC_REG_CQ_BASE, 0x10000);
  Write(VNIC_REG_CQ_CFG, 1ull << 42);
  uint64_t buf = kBufs;
  memcpy(host_.At(kRbdr, 8), &buf, 8);
  Write(VNIC_REG_RBDR_BASE, kRbdr);
  Write(VNIC_REG_RBDR_CFG, 1ull << 44 | kBufLen / 128);
  Write(VNIC_REG_RBDR_DOOR, 1);
  auto frame = Udp4(9);
  EXPECT_EQ(0, nicvf_model_receive(m_, 0, frame.data(), frame.size()));
  ASSERT_EQ(1u, host_.errors.size());
  EXPECT_NE(std::string::npos, host_.errors[0].find("CQE write"))
      << host_.errors[0];
  EXPECT_NE(std::string::npos, host_.errors[0].find("0x10000"))
      << host_.errors[0];
  // CQ_STATUS[WR_FAULT] (bit 24, as the in-tree driver's CQ_ERR_MASK
  // reads it) and the QS error interrupt on its vector (19)
  EXPECT_EQ(1ull << 24, Read(VNIC_REG_CQ_STATUS) & (7ull << 24));
  EXPECT_TRUE(Read(VNIC_REG_VF_INT) & (1ull << 23));
  EXPECT_EQ(std::vector<unsigned>{19}, host_.vectors);
  // Until the CQ is reset
  Write(VNIC_REG_CQ_CFG, 1ull << 41);
  EXPECT_EQ(0u, Read(VNIC_REG_CQ_STATUS));
}

TEST_F(ModelCApi, StatisticsRegistersCountWhatPassedAndThePfResetsThem) {
  RingsUp(2);
  Mbx(m_, 0xf0, 0);                              // CFG_DONE
  Mbx(m_, 0x0a | 3ull << 8 | 1ull << 16, 0);  // CPI_CFG: one queue
  auto frame = Udp4(5);                          // unicast, 60 bytes
  std::vector<uint8_t> bcast(60, 0xff);
  ASSERT_EQ(1, nicvf_model_receive_wire(m_, frame.data(), frame.size()));
  ASSERT_EQ(1, nicvf_model_receive_wire(m_, bcast.data(), bcast.size()));
  // NIC_VNIC_RX_STAT: octets, unicast, broadcast, multicast (nic.h's
  // rx_stats_reg_offset); the RQ's octets and packets
  EXPECT_EQ(120u, Read(VNIC_REG_RX_STAT_0_13 + 8 * VNIC_STAT_OCTS));
  EXPECT_EQ(1u, Read(VNIC_REG_RX_STAT_0_13 + 8 * VNIC_STAT_UCAST));
  EXPECT_EQ(1u, Read(VNIC_REG_RX_STAT_0_13 + 8 * VNIC_STAT_BCAST));
  EXPECT_EQ(0u, Read(VNIC_REG_RX_STAT_0_13 + 8 * VNIC_STAT_MCAST));
  EXPECT_EQ(120u, Read(VNIC_REG_RQ_STAT_0_1));
  EXPECT_EQ(2u, Read(VNIC_REG_RQ_STAT_0_1 + 8));
  // No buffer left: a RED drop, counted
  ASSERT_EQ(0, nicvf_model_receive_wire(m_, frame.data(), frame.size()));
  EXPECT_EQ(1u, Read(VNIC_REG_RX_STAT_0_13 + 8 * VNIC_RX_STAT_RED));
  EXPECT_EQ(60u, Read(VNIC_REG_RX_STAT_0_13 + 8 * VNIC_RX_STAT_RED_OCTS));
  EXPECT_EQ(2u, Read(VNIC_REG_RQ_STAT_0_1 + 8));

  // RESET_STAT_COUNTER (0x17): rx mask bits 0-1, the RQ 0 pair
  Mbx(m_, 0x17 | 0x3ull << 16 | 0x3ull << 48, 0);
  EXPECT_EQ(0u, Read(VNIC_REG_RX_STAT_0_13 + 8 * VNIC_STAT_OCTS));
  EXPECT_EQ(0u, Read(VNIC_REG_RX_STAT_0_13 + 8 * VNIC_STAT_UCAST));
  EXPECT_EQ(1u, Read(VNIC_REG_RX_STAT_0_13 + 8 * VNIC_STAT_BCAST));
  EXPECT_EQ(0u, Read(VNIC_REG_RQ_STAT_0_1));
  EXPECT_EQ(0u, Read(VNIC_REG_RQ_STAT_0_1 + 8));
  EXPECT_EQ(0x02u, Read(VNIC_REG_VF_PF_MAILBOX_0_1) & 0xff);  // ACK
}

}  // namespace

// The benchmark source: the RBDR's buffers and then the CQ's room decide
// how many frames go in; none is ever dropped, and each is a valid UDP
// frame to the LMAC's MAC that the parser took as one
TEST_F(ModelCApi, TheSourceSendsAsTheRingsHaveRoomAndDropsNothing) {
  // 1100 RBDR entries (over 64 buffers, reused: the model does not care)
  RingsUp(0);
  for (int i = 0; i < 1100; i++) {
    uint64_t buf = kBufs + uint64_t(i % 64) * kBufLen;
    memcpy(host_.At(kRbdr + i * VNIC_RBDR_ENTRY_BYTES, 8), &buf, 8);
  }
  Mbx(m_, 0xf0, 0);                           // CFG_DONE: the LMAC takes frames
  Mbx(m_, 0x0a | 3ull << 8 | 1ull << 16, 0);  // CPI_CFG: VF 3, 1 queue

  nicvf_model_source src{};
  src.count = 1100;
  src.len = 1514;
  src.flows = 4;
  src.dst_port = 9;
  src.src_ip = 0x0a000001;
  src.dst_ip = 0x0a000002;
  ASSERT_EQ(0, nicvf_model_source_start(m_, &src));
  nicvf_model_bench st;
  nicvf_model_bench_status(m_, &st);
  EXPECT_EQ(0u, st.src_sent);  // no buffers yet: it waits
  EXPECT_EQ(1100u, st.src_left);

  Write(VNIC_REG_RBDR_DOOR + kQ0, 100);  // 100 buffers: 100 frames
  nicvf_model_bench_status(m_, &st);
  EXPECT_EQ(100u, st.src_sent);
  EXPECT_EQ(100u, st.cq_pending);
  Write(VNIC_REG_RBDR_DOOR + kQ0, 1000);  // the CQ (1K, one kept free) stops it
  nicvf_model_bench_status(m_, &st);
  EXPECT_EQ(1023u, st.src_sent);
  EXPECT_EQ(1023u, Read(VNIC_REG_CQ_STATUS) & 0xffff);
  Write(VNIC_REG_CQ_DOOR + kQ0, 500);  // room again: the rest go in
  nicvf_model_bench_status(m_, &st);
  EXPECT_EQ(1100u, st.src_sent);
  EXPECT_EQ(0u, st.src_left);
  EXPECT_EQ(0u, st.src_dropped);
  EXPECT_EQ(600u, st.cq_pending);
  EXPECT_EQ(1100u, Read(VNIC_REG_RX_STAT_0_13 + 8 * VNIC_STAT_UCAST));

  // The last CQE: one buffer of 1514 bytes, UDP, no error, a frame from
  // the 4th flow (source ports 10000.. in turn) to our MAC and port 9
  uint64_t tail = Read(VNIC_REG_CQ_TAIL + kQ0) >> VNIC_CQ_PTR_SHIFT;
  uint64_t cqe = kCq + (tail - 1) * VNIC_CQE_BYTES;
  uint64_t w0 = host_.Word(cqe);
  EXPECT_EQ(VNIC_CQE_TYPE_RX, w0 >> VNIC_CQE_TYPE_SHIFT);
  EXPECT_EQ(0u, (w0 >> VNIC_CQE_RX_ERR_LEVEL_SHIFT) & 7);
  EXPECT_EQ(VNIC_L4_TYPE_UDP, (w0 >> VNIC_CQE_RX_L4_TYPE_SHIFT) & 0xf);
  uint64_t buf = kBufs + uint64_t(1099 % 64) * kBufLen;
  const uint8_t* f = host_.At(buf, 1514);
  const uint8_t mac[6] = {0x02, 0x1f, 0xb7, 0x00, 0x00, 0x03};
  EXPECT_EQ(0, memcmp(f, mac, 6));
  EXPECT_EQ(10000 + 1099 % 4, f[34] << 8 | f[35]);
  EXPECT_EQ(9, f[36] << 8 | f[37]);
  EXPECT_EQ(1500, f[16] << 8 | f[17]);  // IP total length
  EXPECT_TRUE(host_.errors.empty());

  // Out of range: refused, and the finished source stays finished
  src.len = NICVF_MODEL_SOURCE_MIN_LEN - 1;
  EXPECT_EQ(-1, nicvf_model_source_start(m_, &src));
  src.len = 60;
  src.flows = 0;
  EXPECT_EQ(-1, nicvf_model_source_start(m_, &src));
  nicvf_model_bench_status(m_, &st);
  EXPECT_EQ(1100u, st.src_sent);
}

// Before CFG_DONE the LMAC takes nothing: the source's frames are counted
// as dropped, not lost from the count
TEST_F(ModelCApi, SourceFramesTheLmacDoesNotTakeAreCountedDropped) {
  RingsUp(8);
  nicvf_model_source src{};
  src.count = 5;
  src.len = 60;
  src.flows = 1;
  ASSERT_EQ(0, nicvf_model_source_start(m_, &src));
  nicvf_model_bench st;
  nicvf_model_bench_status(m_, &st);
  EXPECT_EQ(5u, st.src_sent);
  EXPECT_EQ(5u, st.src_dropped);
  EXPECT_EQ(0u, st.cq_pending);
}

// The sink completes a packet as the wire would, counts it, and reads no
// more of its data than the destination MAC (for the statistics registers)
TEST_F(ModelCApi, TheSinkCompletesAndCountsWithoutReadingTheData) {
  RingsUp(0);
  nicvf_model_set_sink(m_, 1);
  const size_t len = 1514;
  uint64_t sq[4] = {
      VNIC_SQ_DESC_HEADER << VNIC_SQ_DESC_TYPE_SHIFT | VNIC_SQ_HDR_POST_CQE |
          1ull << VNIC_SQ_HDR_SUBDESCS_SHIFT | len,
      0,
      VNIC_SQ_DESC_GATHER << VNIC_SQ_DESC_TYPE_SHIFT | len,
      kTxBuf,
  };
  memset(host_.At(kTxBuf, 6), 0xff, 6);  // to broadcast
  memcpy(host_.At(kSq, sizeof(sq)), sq, sizeof(sq));
  Write(VNIC_REG_SQ_BASE + kQ0, kSq);
  Write(VNIC_REG_SQ_CFG + kQ0, 1ull << 19);
  Write(VNIC_REG_SQ_DOOR + kQ0, 2);

  EXPECT_TRUE(host_.sent.empty());
  uint64_t w0 = host_.Word(kCq);
  EXPECT_EQ(VNIC_CQE_TYPE_SEND, w0 >> VNIC_CQE_TYPE_SHIFT);
  EXPECT_EQ(0u, w0 & VNIC_CQE_SEND_STATUS);
  nicvf_model_bench st;
  nicvf_model_bench_status(m_, &st);
  EXPECT_EQ(1u, st.sink_frames);
  EXPECT_EQ(len, st.sink_bytes);
  EXPECT_EQ(len, Read(VNIC_REG_TX_STAT_0_4 + 8 * VNIC_STAT_OCTS));
  EXPECT_EQ(1u, Read(VNIC_REG_TX_STAT_0_4 + 8 * VNIC_STAT_BCAST));
  size_t data_read = 0;
  for (const auto& r : host_.reads)
    if (r.first >= kTxBuf && r.first < kTxBuf + len) data_read += r.second;
  EXPECT_EQ(6u, data_read);

  // Off again: the next packet goes to the host's wire, all of it read
  nicvf_model_set_sink(m_, 0);
  memcpy(host_.At(kSq + sizeof(sq), sizeof(sq)), sq, sizeof(sq));
  Write(VNIC_REG_SQ_DOOR + kQ0, 2);
  ASSERT_EQ(1u, host_.sent.size());
  EXPECT_EQ(len, host_.sent[0].size());
  EXPECT_TRUE(host_.errors.empty());
}

// --- TSO ---------------------------------------------------------------------

// The one's-complement sum of a frame's IPv4 header, or of its TCP segment
// with the pseudo-header: 0 when the checksum in it is right
uint16_t SumOf(const std::vector<uint8_t>& f, size_t from, size_t to,
               uint32_t sum = 0) {
  for (size_t i = from; i < to; i += 2)
    sum += uint32_t(f[i] << 8 | (i + 1 < to ? f[i + 1] : 0));
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return uint16_t(~sum);
}

uint16_t TcpSumOf(const std::vector<uint8_t>& f) {
  uint32_t sum = 6 + uint32_t(f.size() - 34);
  for (size_t i = 26; i < 34; i += 2) sum += uint32_t(f[i] << 8 | f[i + 1]);
  return SumOf(f, 34, f.size(), sum);
}

// An IPv4/TCP frame to our MAC: ID 0x1234, sequence 0x10000000, the flags
// given, `payload` bytes of a pattern; checksums left for the device
std::vector<uint8_t> Tcp4(uint8_t flags, size_t payload) {
  std::vector<uint8_t> f = {0x02, 0x1f, 0xb7, 0x00, 0x00, 0x03,
                            0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00,
                            0x45, 0, 0, 0, 0x12, 0x34, 0x40, 0, 64, 6, 0, 0,
                            10, 0, 0, 1, 10, 0, 0, 2,
                            0x13, 0x88, 0x9c, 0x40, 0x10, 0, 0, 0, 0, 0, 0, 1,
                            0x50, flags, 0xff, 0xff, 0, 0, 0, 0};
  uint16_t tot = uint16_t(20 + 20 + payload);
  f[16] = uint8_t(tot >> 8);
  f[17] = uint8_t(tot);
  for (size_t i = 0; i < payload; i++) f.push_back(uint8_t(i * 13 + 7));
  return f;
}

class ModelTso : public ModelCApi {
 protected:
  // A TSO send of `frame` (one gather), its header words as given, on SQ 0
  // from entry `at`; returns the entries it took
  int Send(uint32_t at, const std::vector<uint8_t>& frame, uint64_t w0_flags,
           uint32_t mss) {
    memcpy(host_.At(kTxBuf, frame.size()), frame.data(), frame.size());
    uint64_t sq[4] = {
        VNIC_SQ_DESC_HEADER << VNIC_SQ_DESC_TYPE_SHIFT | w0_flags |
            1ull << VNIC_SQ_HDR_SUBDESCS_SHIFT | VNIC_SQ_HDR_CSUM_L3 |
            VNIC_SQ_CSUM_L4_TCP << VNIC_SQ_HDR_CSUM_L4_SHIFT |
            14ull << VNIC_SQ_HDR_L3_OFF_SHIFT | 34ull << VNIC_SQ_HDR_L4_OFF_SHIFT |
            frame.size(),
        54ull << VNIC_SQ_HDR_TSO_START_SHIFT | mss,
        VNIC_SQ_DESC_GATHER << VNIC_SQ_DESC_TYPE_SHIFT | frame.size(),
        kTxBuf,
    };
    memcpy(host_.At(kSq + at * VNIC_SQ_ENTRY_BYTES, sizeof(sq)), sq, sizeof(sq));
    return 2;
  }
  void SqUp() {
    Write(VNIC_REG_SQ_BASE + kQ0, kSq);
    Write(VNIC_REG_SQ_CFG + kQ0, 1ull << 19);
  }
  unsigned Cqes() { return unsigned(Read(VNIC_REG_CQ_STATUS) & 0xffff); }
};

// Segments as the send engine makes them: headers repeated, lengths, IDs,
// sequence numbers and checksums per segment, FIN/PSH on the last only,
// CWR on the first only; one CQE for the packet (later chips)
TEST_F(ModelTso, TheEngineSegmentsATcpPacketAsTheHardwareDoes) {
  RingsUp(0);
  SqUp();
  const uint8_t flags = 0x80 | 0x10 | 0x08 | 0x01;  // CWR ACK PSH FIN
  auto frame = Tcp4(flags, 2500);
  Write(VNIC_REG_SQ_DOOR + kQ0,
        Send(0, frame, VNIC_SQ_HDR_TSO | VNIC_SQ_HDR_POST_CQE, 1000));

  ASSERT_EQ(3u, host_.sent.size());
  std::vector<uint8_t> payload;
  for (size_t i = 0; i < 3; i++) {
    const auto& g = host_.sent[i];
    SCOPED_TRACE(i);
    ASSERT_EQ(i < 2 ? 1054u : 554u, g.size());
    EXPECT_TRUE(std::equal(g.begin(), g.begin() + 14, frame.begin()));
    EXPECT_EQ(g.size() - 14, size_t(g[16] << 8 | g[17]));      // IP length
    EXPECT_EQ(0x1234 + i, size_t(g[18] << 8 | g[19]));          // IP ID
    EXPECT_EQ(0, SumOf(g, 14, 34));                             // IP checksum
    uint32_t seq = uint32_t(g[38]) << 24 | g[39] << 16 | g[40] << 8 | g[41];
    EXPECT_EQ(0x10000000u + 1000 * i, seq);
    uint8_t want = 0x10 | (i == 0 ? 0x80 : 0) | (i == 2 ? 0x09 : 0);
    EXPECT_EQ(want, g[47]);
    EXPECT_EQ(0, TcpSumOf(g));
    payload.insert(payload.end(), g.begin() + 54, g.end());
  }
  EXPECT_TRUE(std::equal(payload.begin(), payload.end(), frame.begin() + 54));
  EXPECT_EQ(1u, Cqes());
  EXPECT_EQ(0u, host_.Word(kCq) & VNIC_CQE_SEND_STATUS);
  // The wire's frames: three
  EXPECT_EQ(3u, Read(VNIC_REG_TX_STAT_0_4 + 8 * VNIC_STAT_UCAST));
  EXPECT_TRUE(host_.errors.empty());
}

// CN88xx pass 2, as the in-tree driver drives it: the TSO header asks for
// no CQE, a DONT_SEND header with a 1-byte immediate after it asks for
// one, naming itself; a TSO header that asks gets one per segment
TEST_F(ModelTso, Cn88xxPass2CompletesPerSegmentAndTheDummyHeaderSendsNothing) {
  nicvf_model_destroy(m_);
  nicvf_model_config cfg{};
  cfg.cqe_rx2 = 1;
  cfg.vf_id = 3;
  cfg.tso_cqe_per_segment = 1;
  m_ = nicvf_model_create(&cb_, &cfg);
  ASSERT_NE(nullptr, m_);
  RingsUp(0);
  SqUp();
  auto frame = Tcp4(0x18, 3000);
  int n = Send(0, frame, VNIC_SQ_HDR_TSO, 1448);
  uint64_t dummy[4] = {
      VNIC_SQ_DESC_HEADER << VNIC_SQ_DESC_TYPE_SHIFT | VNIC_SQ_HDR_POST_CQE |
          VNIC_SQ_HDR_DONT_SEND | 1ull << VNIC_SQ_HDR_SUBDESCS_SHIFT | 1,
      0,
      VNIC_SQ_DESC_IMMEDIATE << VNIC_SQ_DESC_TYPE_SHIFT | 1,
      0,
  };
  memcpy(host_.At(kSq + 2 * VNIC_SQ_ENTRY_BYTES, sizeof(dummy)), dummy,
         sizeof(dummy));
  Write(VNIC_REG_SQ_DOOR + kQ0, n + 2);
  ASSERT_EQ(3u, host_.sent.size());  // 1448 + 1448 + 104
  EXPECT_EQ(158u, host_.sent[2].size());
  ASSERT_EQ(1u, Cqes());
  uint64_t w0 = host_.Word(kCq);
  EXPECT_EQ(2u, (w0 >> VNIC_CQE_SEND_SQE_PTR_SHIFT) & 0xffff);  // the dummy
  EXPECT_EQ(0u, w0 & VNIC_CQE_SEND_STATUS);
  // The hardware counts the dummy as a dropped send (the in-tree driver
  // takes its TSO completions off TX_STAT's DROP for that), the segments
  // as frames
  EXPECT_EQ(1u, Read(VNIC_REG_TX_STAT_0_4 + 8 * VNIC_TX_STAT_DROP));
  EXPECT_EQ(3u, Read(VNIC_REG_TX_STAT_0_4 + 8 * VNIC_STAT_UCAST));

  Write(VNIC_REG_SQ_DOOR + kQ0,
        Send(4, frame, VNIC_SQ_HDR_TSO | VNIC_SQ_HDR_POST_CQE, 1448));
  EXPECT_EQ(6u, host_.sent.size());
  EXPECT_EQ(4u, Cqes());
  EXPECT_TRUE(host_.errors.empty());
}

// What cannot be a TCP packet (no MSS, a UDP frame) is refused with an
// error CQE, and nothing goes on the wire
TEST_F(ModelTso, AnInconsistentTsoRequestIsAnErrorCqe) {
  RingsUp(0);
  SqUp();
  Write(VNIC_REG_SQ_DOOR + kQ0, Send(0, Tcp4(0x10, 2000), VNIC_SQ_HDR_TSO, 0));
  auto udp = Tcp4(0x10, 2000);
  udp[23] = 17;
  Write(VNIC_REG_SQ_DOOR + kQ0, Send(2, udp, VNIC_SQ_HDR_TSO, 1000));
  EXPECT_TRUE(host_.sent.empty());
  ASSERT_EQ(2u, Cqes());
  EXPECT_NE(0u, host_.Word(kCq) & VNIC_CQE_SEND_STATUS);
  EXPECT_NE(0u, host_.Word(kCq + VNIC_CQE_BYTES) & VNIC_CQE_SEND_STATUS);
}
