// SPDX-License-Identifier: GPL-2.0-only
// The VF's side of the PF mailbox against the PF model: requests encoded
// as nicpf reads them, answers taken from the interrupt, NACKs and a
// silent PF reported with the message's name, the wait bounded.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "mock/mock.h"
#include "model/pf.h"
#include "model/vnic.h"
#include "testlib/rig.h"

extern "C" {
#include <linux/ethtool.h>

#include "nic_reg.h"
#include "nicvf.h"
}

namespace nicvf_test {
namespace {

using model::Pf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class MboxTest : public ::testing::Test, protected testlib::VnicRig {
 protected:
  void SetUp() override {
    NewMachine(mock::IommuMode::kNone);
    pf_ = testlib::NewPf(vnic_.get());
    nicvf_mbx_init(&nic_, mock::Dev(), vnic_->bar0());
    nic_.netdev = &netdev_;
    nic_.msg_enable = NICVF_MSG_DEFAULT;  // as probe sets it
    vnic_->deliver_irq = [this](int vector) {
      EXPECT_EQ(NICVF_INTR_ID_MISC, vector);
      EXPECT_EQ(IRQ_HANDLED, nicvf_mbx_intr(vector, &nic_));
    };
    vnic_->Write64(NIC_VF_ENA_W1S, NICVF_INTR_MBOX);
    nic_.if_up = true;  // the interface is open
  }

  void TearDown() override {
    // Every interrupt was acknowledged
    EXPECT_EQ(0u, vnic_->int_status() & NICVF_INTR_MBOX);
  }

  const Pf::Msg& Last() { return pf_->received.back(); }

  std::unique_ptr<Pf> pf_;
  struct nicvf nic_ {};
  struct net_device netdev_ {};
};

TEST_F(MboxTest, ReadyGivesTheVfItsIdentityAndMac) {
  pf_->vf_id = 5;
  pf_->node = 1;
  ASSERT_EQ(0, nicvf_mbx_ready(&nic_));
  EXPECT_THAT(pf_->Types(), ElementsAre(Pf::kReady));
  EXPECT_EQ(5, nic_.vf_id);
  EXPECT_EQ(1, nic_.node);
  EXPECT_FALSE(nic_.tns_mode);
  EXPECT_FALSE(nic_.sqs_mode);
  EXPECT_TRUE(nic_.loopback_supported);
  EXPECT_EQ(0, memcmp(pf_->mac.data(), nic_.pf_mac, 6));
  EXPECT_EQ(1u, vnic_->irqs_delivered);
  EXPECT_EQ(0u, nic_.mbx_unsolicited);
}

// nicpf enables SQS VFs after the primary ones when its host has more than
// 8 CPUs; READY tells them so and gives them neither MAC nor loopback
TEST_F(MboxTest, ReadyTellsASecondaryQueueSetWhatItIs) {
  pf_->num_vf_en = 2;
  pf_->online_cpus = 16;
  pf_->vf_id = 6;
  ASSERT_EQ(0, nicvf_mbx_ready(&nic_));
  EXPECT_EQ(6, nic_.vf_id);
  EXPECT_TRUE(nic_.sqs_mode);
  EXPECT_FALSE(nic_.loopback_supported);
  EXPECT_FALSE(is_valid_ether_addr(nic_.pf_mac));
  // What nicpf refuses such a VF
  const uint8_t mac[6] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};
  EXPECT_EQ(-EIO, nicvf_mbx_set_mac(&nic_, mac));
  EXPECT_EQ(-EIO, nicvf_mbx_link(&nic_));
}

// The PF model catches what nicpf would apply to some other interface: an
// SQS VF's CPI_CFG, SET_MAX_FRS or RSS_CFG, or a VF number not the sender's
TEST_F(MboxTest, PfModelFlagsMessagesNicpfWouldApplyToAnotherVf) {
  pf_->num_vf_en = 2;
  pf_->online_cpus = 16;
  pf_->vf_id = 6;
  ASSERT_EQ(0, nicvf_mbx_ready(&nic_));
  EXPECT_EQ(0, nicvf_mbx_cpi_cfg(&nic_, 1, 0));  // nicpf ACKs it all the same
  EXPECT_EQ(0, nicvf_mbx_set_max_frs(&nic_, 1500));
  ASSERT_EQ(2u, mock::Violations().size());
  EXPECT_THAT(mock::Violations()[0], HasSubstr("CPI_CFG (0x0a) from SQS VF 6"));
  EXPECT_THAT(mock::Violations()[1], HasSubstr("SET_MAX_FRS (0x09) from SQS VF 6"));
  mock::Violations().clear();

  pf_->vf_id = 1;  // a primary VF, but the message names another
  ASSERT_EQ(0, nicvf_mbx_ready(&nic_));
  nic_.vf_id = 0;
  EXPECT_EQ(0, nicvf_mbx_cpi_cfg(&nic_, 1, 0));
  ASSERT_EQ(1u, mock::Violations().size());
  EXPECT_THAT(mock::Violations()[0], HasSubstr("names VF 0 but VF 1 sent it"));
  mock::Violations().clear();
}

TEST_F(MboxTest, RequestsAreLaidOutAsNicpfReadsThem) {
  ASSERT_EQ(0, nicvf_mbx_ready(&nic_));
  const uint8_t vf = pf_->vf_id;

  ASSERT_EQ(0, nicvf_mbx_qs_cfg(&nic_, 0x8000000000000123ull));
  EXPECT_EQ(Pf::kQsCfg, Last()[0]);
  EXPECT_EQ(vf, Last()[1]);
  EXPECT_EQ(0, Last()[2]);  // no secondary queue sets
  EXPECT_EQ(0x8000000000000123ull, Pf::Le(Last(), 8, 8));

  ASSERT_EQ(0, nicvf_mbx_rq_cfg(&nic_, NIC_MBOX_MSG_RQ_BP_CFG, 6, 0xabcdull));
  EXPECT_EQ(Pf::kRqBpCfg, Last()[0]);
  EXPECT_EQ(vf, Last()[1]);
  EXPECT_EQ(6, Last()[2]);
  EXPECT_EQ(0xabcdull, Pf::Le(Last(), 8, 8));

  ASSERT_EQ(0, nicvf_mbx_sq_cfg(&nic_, 7, 0x1122334455667788ull));
  EXPECT_EQ(Pf::kSqCfg, Last()[0]);
  EXPECT_EQ(vf, Last()[1]);
  EXPECT_EQ(7, Last()[2]);
  EXPECT_EQ(0, Last()[3]);
  EXPECT_EQ(0x1122334455667788ull, Pf::Le(Last(), 8, 8));

  const uint8_t mac[6] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};
  ASSERT_EQ(0, nicvf_mbx_set_mac(&nic_, mac));
  EXPECT_EQ(Pf::kSetMac, Last()[0]);
  EXPECT_EQ(vf, Last()[1]);
  EXPECT_EQ(0, memcmp(mac, &Last()[2], 6));

  ASSERT_EQ(0, nicvf_mbx_set_max_frs(&nic_, 9190));
  EXPECT_EQ(Pf::kSetMaxFrs, Last()[0]);
  EXPECT_EQ(vf, Last()[1]);
  EXPECT_EQ(9190u, Pf::Le(Last(), 2, 2));

  ASSERT_EQ(0, nicvf_mbx_cpi_cfg(&nic_, 8, 1));
  EXPECT_EQ(Pf::kCpiCfg, Last()[0]);
  EXPECT_EQ(vf, Last()[1]);
  EXPECT_EQ(8, Last()[2]);
  EXPECT_EQ(1, Last()[3]);

  ASSERT_EQ(0, nicvf_mbx_simple(&nic_, NIC_MBOX_MSG_CFG_DONE));
  ASSERT_EQ(0, nicvf_mbx_simple(&nic_, NIC_MBOX_MSG_SHUTDOWN));
  EXPECT_THAT(pf_->Types(),
              ElementsAre(Pf::kReady, Pf::kQsCfg, Pf::kRqBpCfg, Pf::kSqCfg,
                          Pf::kSetMac, Pf::kSetMaxFrs, Pf::kCpiCfg,
                          Pf::kCfgDone, Pf::kShutdown));
}

TEST_F(MboxTest, RssTableGoesEightEntriesToAMessage) {
  ASSERT_EQ(0, nicvf_mbx_ready(&nic_));
  uint8_t tbl[20];
  for (int i = 0; i < 20; i++) tbl[i] = uint8_t(i % 8);
  ASSERT_EQ(0, nicvf_mbx_rss_cfg(&nic_, 4, tbl, 20));
  ASSERT_EQ(4u, pf_->received.size());
  const uint8_t types[] = {Pf::kRssCfg, Pf::kRssCfgCont, Pf::kRssCfgCont};
  const uint8_t lens[] = {8, 8, 4};
  for (int m = 0; m < 3; m++) {
    const Pf::Msg& r = pf_->received[1 + m];
    SCOPED_TRACE(m);
    EXPECT_EQ(types[m], r[0]);
    EXPECT_EQ(pf_->vf_id, r[1]);
    EXPECT_EQ(4, r[2]);        // hash bits
    EXPECT_EQ(lens[m], r[3]);  // entries in this message
    EXPECT_EQ(8 * m, r[4]);    // offset of the first
    EXPECT_EQ(0, memcmp(tbl + 8 * m, &r[5], lens[m]));
  }
  // The table does not fit the one-byte offsets
  uint8_t big[257] = {};
  EXPECT_EQ(-EINVAL, nicvf_mbx_rss_cfg(&nic_, 4, big, 257));
  EXPECT_EQ(4u, pf_->received.size());
}

TEST_F(MboxTest, RssSizeComesFromTheReply) {
  pf_->rss_size = 128;
  uint16_t size = 0;
  ASSERT_EQ(0, nicvf_mbx_rss_size(&nic_, &size));
  EXPECT_EQ(128, size);
  // An ACK is not an RSS_SIZE answer
  pf_->answer_with = Pf::kAck;
  EXPECT_EQ(-EPROTO, nicvf_mbx_rss_size(&nic_, &size));
  EXPECT_TRUE(mock::Logged("PF answered RSS_SIZE with ACK"));
}

TEST_F(MboxTest, NackFailsTheRequestAndNamesIt) {
  ASSERT_EQ(0, nicvf_mbx_ready(&nic_));
  pf_->nack = {Pf::kSetMaxFrs};
  EXPECT_EQ(-EIO, nicvf_mbx_set_max_frs(&nic_, 9600));
  EXPECT_TRUE(mock::Logged("PF refused mailbox message SET_MAX_FRS (0x09)"));
  // The mailbox is usable again at once
  pf_->nack.clear();
  EXPECT_EQ(0, nicvf_mbx_set_max_frs(&nic_, 1500 + 14));
}

TEST_F(MboxTest, SilentPfTimesOutAfterTheBoundedWait) {
  pf_->silent = true;
  unsigned long before = jiffies;
  EXPECT_EQ(-ETIMEDOUT, nicvf_mbx_ready(&nic_));
  // The wait was the mailbox timeout, no more
  EXPECT_EQ(msecs_to_jiffies(NICVF_MBX_TIMEOUT_MS), jiffies - before);
  EXPECT_TRUE(mock::Logged("PF did not answer mailbox message READY (0x01) within 2000 ms"));
  // A late answer to the abandoned request is not taken for the next one
  pf_->Send(Pf::Msg{Pf::kReady});
  EXPECT_EQ(1u, nic_.mbx_unsolicited);
  pf_->silent = false;
  pf_->vf_id = 7;
  ASSERT_EQ(0, nicvf_mbx_ready(&nic_));
  EXPECT_EQ(7, nic_.vf_id);
}

TEST_F(MboxTest, AnswerOfAnotherTypeIsNotTaken) {
  // READY answered with RSS_SIZE: not an answer, so the request times out
  pf_->answer_with = Pf::kRssSize;
  EXPECT_EQ(-ETIMEDOUT, nicvf_mbx_ready(&nic_));
  EXPECT_EQ(1u, nic_.mbx_unsolicited);
  EXPECT_TRUE(mock::Logged("mailbox message RSS_SIZE (0x0b) from PF that no request asked for"));
}

TEST_F(MboxTest, LinkStateFollowsThePfAndDrivesTheCarrier) {
  ASSERT_EQ(0, nicvf_mbx_ready(&nic_));
  EXPECT_FALSE(netif_carrier_ok(&netdev_));
  pf_->link_up = true;
  pf_->speed = 10000;
  pf_->duplex = DUPLEX_FULL;
  pf_->mac_type = 2;
  ASSERT_EQ(0, nicvf_mbx_link(&nic_));
  EXPECT_TRUE(nic_.link_up);
  EXPECT_EQ(10000u, nic_.speed);
  EXPECT_EQ(DUPLEX_FULL, nic_.duplex);
  EXPECT_EQ(2, nic_.mac_type);
  EXPECT_TRUE(netif_carrier_ok(&netdev_));
  EXPECT_TRUE(mock::Logged("link up, 10000 Mbps full duplex"));

  // Sent without a request (nobody waiting): still applied
  pf_->link_up = false;
  pf_->Send(pf_->LinkMsg());
  EXPECT_FALSE(nic_.link_up);
  EXPECT_FALSE(netif_carrier_ok(&netdev_));
  EXPECT_EQ(0u, nic_.mbx_unsolicited);
}

// ethtool msglvl link off: the link changes all the same, unannounced
TEST_F(MboxTest, LinkMessagesFollowTheMessageLevel) {
  nic_.msg_enable = NICVF_MSG_DEFAULT & ~NETIF_MSG_LINK;
  pf_->link_up = true;
  pf_->speed = 40000;
  pf_->duplex = DUPLEX_FULL;
  ASSERT_EQ(0, nicvf_mbx_link(&nic_));
  EXPECT_TRUE(netif_carrier_ok(&netdev_));
  pf_->link_up = false;
  pf_->Send(pf_->LinkMsg());
  EXPECT_FALSE(netif_carrier_ok(&netdev_));
  EXPECT_FALSE(mock::Logged("link up"));
  EXPECT_FALSE(mock::Logged("link down"));
  nic_.msg_enable = NETIF_MSG_LINK;
  pf_->link_up = true;
  pf_->Send(pf_->LinkMsg());
  EXPECT_TRUE(mock::Logged("link up, 40000 Mbps full duplex"));
}

// A link answer while the interface is closed (a late one to a poll that
// timed out) changes nothing: no carrier event on a closed device
TEST_F(MboxTest, LinkStateIsIgnoredWhileTheInterfaceIsClosed) {
  nic_.if_up = false;
  pf_->link_up = true;
  pf_->speed = 10000;
  pf_->Send(pf_->LinkMsg());
  EXPECT_FALSE(nic_.link_up);
  EXPECT_FALSE(netif_carrier_ok(&netdev_));
  EXPECT_EQ(0u, nic_.mbx_unsolicited);
}

TEST_F(MboxTest, InterruptWithoutTheMailboxCauseIsNotOurs) {
  EXPECT_EQ(IRQ_NONE, nicvf_mbx_intr(NICVF_INTR_ID_MISC, &nic_));
  EXPECT_TRUE(pf_->received.empty());
}

TEST_F(MboxTest, MessagesWithoutARequestAreCountedAndIgnored) {
  pf_->Send(Pf::Msg{Pf::kAck});
  pf_->Send(Pf::Msg{Pf::kNack});
  pf_->Send(Pf::Msg{0x77});
  EXPECT_EQ(3u, nic_.mbx_unsolicited);
  EXPECT_TRUE(mock::Logged("mailbox message unknown (0x77)"));
  // None of them answers the next request early
  pf_->silent = true;
  EXPECT_EQ(-ETIMEDOUT, nicvf_mbx_simple(&nic_, NIC_MBOX_MSG_CFG_DONE));
}

}  // namespace
}  // namespace nicvf_test
