// SPDX-License-Identifier: GPL-2.0-only
// The receive address filter end to end, in every IOMMU mode: what the
// stack's flags and address lists ask (promiscuous, all-multicast, the
// multicast groups, secondary unicast addresses, our own MAC) reaches the
// BGX's DMAC CAM through nicpf's xcast messages, from a work item, and
// the frames the BGX then passes or drops are the ones the stack wants.
#include "tests/e2e_fixture.h"

namespace nicvf_test {
namespace {

using model::Pf;
using Mac = mock::Mac;

const Mac kOurs = Pf::kFirmwareMac;
const Mac kGroup1 = {0x33, 0x33, 0x00, 0x00, 0x00, 0x01};
const Mac kGroup2 = {0x01, 0x00, 0x5e, 0x01, 0x02, 0x03};
const Mac kOtherGroup = {0x01, 0x00, 0x5e, 0x09, 0x09, 0x09};
const Mac kForeign = {0x02, 0x00, 0x00, 0x00, 0x00, 0x99};
const Mac kSecondary = {0x02, 0x00, 0x00, 0x00, 0x00, 0x42};
const Mac kBroadcast = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
constexpr unsigned kFlags = IFF_BROADCAST | IFF_MULTICAST;

class RxFilterTest : public E2eModesFixture {
 protected:

  // A frame to `dst` arrives from the wire: whether the BGX let it in.
  // One that it let in is delivered to the stack byte for byte.
  bool Arrives(const Mac& dst) {
    FrameSpec s;
    s.seed = ++seed_;
    Bytes f = MakeFrame(s);
    std::copy(dst.begin(), dst.end(), f.begin());
    uint64_t filtered = pf_->rx_filtered;
    bool posted = vnic_->Receive(0, f).posted;
    EXPECT_EQ(!posted, pf_->rx_filtered == filtered + 1);
    Settle();
    std::vector<Bytes> got = Received();
    FreeDelivered();
    EXPECT_EQ(posted ? std::vector<Bytes>{f} : std::vector<Bytes>{}, got);
    return posted;
  }

  // The stack changes flags or lists, and the work item runs
  void RxMode(unsigned flags, const std::vector<Mac>& uc,
              const std::vector<Mac>& mc) {
    mock::SetRxMode(nd_, flags, uc, mc);
    mock::RunWork();
  }

  // The xcast messages the PF received, in order
  std::vector<Pf::Msg> Xcast() const {
    std::vector<Pf::Msg> out;
    for (const Pf::Msg& m : pf_->received)
      if (m[0] >= Pf::kResetXcast && m[0] <= Pf::kSetXcast) out.push_back(m);
    return out;
  }

  // The CAM as the PF programmed it
  std::set<uint64_t> Cam() const {
    return std::set<uint64_t>(pf_->bgx.cam.begin(), pf_->bgx.cam.end());
  }
  static uint64_t U(const Mac& m) { return Pf::MacU64(m.data()); }

  uint32_t seed_ = 0;
};

// nicpf's protocol, decoded with its own layout: RESET_XCAST, one
// ADD_MCAST per address (bits 16-63 of word 0, the address's first byte
// the most significant), SET_XCAST with the mode; all before CFG_DONE
TEST_P(RxFilterTest, OpenFiltersOnOurAddressAndTheGroupsJoined) {
  mock::SetRxMode(nd_, kFlags, {}, {kGroup1, kGroup2});  // down: noted only
  EXPECT_TRUE(pf_->received.empty() || Xcast().empty());
  pf_->received.clear();
  Open();
  std::vector<Pf::Msg> x = Xcast();
  ASSERT_EQ(5u, x.size());
  EXPECT_EQ(Pf::kResetXcast, x[0][0]);
  const Mac want[] = {kOurs, kGroup1, kGroup2};
  for (int i = 0; i < 3; i++) {
    EXPECT_EQ(Pf::kAddMcast, x[1 + i][0]);
    EXPECT_EQ(0, x[1 + i][1]);
    EXPECT_EQ(U(want[i]), Pf::Le(x[1 + i], 2, 6)) << i;
  }
  EXPECT_EQ(Pf::kSetXcast, x[4][0]);
  EXPECT_EQ(Pf::kXcastBcast | Pf::kXcastMcastFilter, x[4][1]);
  std::vector<uint8_t> t = pf_->Types();
  EXPECT_LT(std::find(t.begin(), t.end(), Pf::kSetXcast),
            std::find(t.begin(), t.end(), Pf::kCfgDone));
  EXPECT_EQ((std::set<uint64_t>{U(kOurs), U(kGroup1), U(kGroup2)}), Cam());

  EXPECT_TRUE(Arrives(kOurs));
  EXPECT_TRUE(Arrives(kGroup1));
  EXPECT_TRUE(Arrives(kGroup2));
  EXPECT_TRUE(Arrives(kBroadcast));
  EXPECT_FALSE(Arrives(kOtherGroup));
  EXPECT_FALSE(Arrives(kForeign));
  EXPECT_EQ(2u, pf_->rx_filtered);
  mock::DevClose(nd_);
}

// ndo_set_rx_mode() runs under the address lists' spinlock: it only
// queues the work (the mock flags a mutex taken there), and the PF hears
// of the change when the work runs
TEST_P(RxFilterTest, GroupsJoinedAndLeftWhileUpReachTheCamFromTheWorkItem) {
  Open();
  EXPECT_FALSE(Arrives(kGroup2));
  pf_->received.clear();
  mock::SetRxMode(nd_, kFlags, {}, {kGroup2});
  EXPECT_TRUE(pf_->received.empty());
  EXPECT_TRUE(mock::WorkIsQueued(&nic_->rx_mode_work));
  mock::RunWork();
  EXPECT_EQ(Pf::kResetXcast, pf_->received.at(0)[0]);
  EXPECT_TRUE(Arrives(kGroup2));
  EXPECT_TRUE(Arrives(kOurs));
  RxMode(kFlags, {}, {});
  EXPECT_FALSE(Arrives(kGroup2));
  EXPECT_TRUE(Arrives(kOurs));
  mock::DevClose(nd_);
}

// Without IFF_MULTICAST no group is listed; without IFF_BROADCAST the
// BGX drops broadcast
TEST_P(RxFilterTest, TheInterfaceFlagsDecideBroadcastAndMulticast) {
  Open();
  RxMode(IFF_BROADCAST, {}, {kGroup1});
  EXPECT_FALSE(Arrives(kGroup1));
  EXPECT_TRUE(Arrives(kBroadcast));
  EXPECT_TRUE(Arrives(kOurs));
  RxMode(IFF_MULTICAST, {}, {kGroup1});
  EXPECT_TRUE(Arrives(kGroup1));
  EXPECT_FALSE(Arrives(kBroadcast));
  mock::DevClose(nd_);
}

TEST_P(RxFilterTest, PromiscuousAndAllMulticastOpenTheFilter) {
  Open();
  RxMode(kFlags | IFF_PROMISC, {}, {kGroup1});
  EXPECT_TRUE(Arrives(kForeign));
  EXPECT_TRUE(Arrives(kOtherGroup));
  EXPECT_TRUE(Arrives(kBroadcast));
  EXPECT_TRUE(Arrives(kOurs));
  RxMode(kFlags, {}, {kGroup1});
  EXPECT_FALSE(Arrives(kForeign));
  EXPECT_FALSE(Arrives(kOtherGroup));
  EXPECT_TRUE(Arrives(kGroup1));
  RxMode(kFlags | IFF_ALLMULTI, {}, {kGroup1});
  EXPECT_TRUE(Arrives(kOtherGroup));
  EXPECT_TRUE(Arrives(kGroup1));
  EXPECT_TRUE(Arrives(kOurs));
  EXPECT_TRUE(Arrives(kBroadcast));
  mock::DevClose(nd_);
}

// The CAM holds 8 addresses per LMAC (nicpf silently drops the rest):
// ours and 7 more are filtered exactly; one more and every multicast
// address is accepted instead of some groups being lost
TEST_P(RxFilterTest, MoreAddressesThanTheCamHoldsAcceptEveryMulticast) {
  Open();
  std::vector<Mac> groups;
  for (int i = 0; i < 8; i++)
    groups.push_back({0x01, 0x00, 0x5e, 0x00, 0x01, uint8_t(i)});
  RxMode(kFlags, {}, std::vector<Mac>(groups.begin(), groups.begin() + 7));
  EXPECT_EQ(8u, Cam().size());
  for (int i = 0; i < 7; i++) EXPECT_TRUE(Arrives(groups[size_t(i)])) << i;
  EXPECT_FALSE(Arrives(groups[7]));
  EXPECT_FALSE(Arrives(kForeign));
  RxMode(kFlags, {}, groups);
  for (int i = 0; i < 8; i++) EXPECT_TRUE(Arrives(groups[size_t(i)])) << i;
  EXPECT_TRUE(Arrives(kOtherGroup));
  EXPECT_EQ(Pf::kXcastBcast | Pf::kXcastMcast, Xcast().back()[1]);
  // Back under the limit: filtered again
  RxMode(kFlags, {}, {groups[0]});
  EXPECT_TRUE(Arrives(groups[0]));
  EXPECT_FALSE(Arrives(groups[1]));
  mock::DevClose(nd_);
}

// IFF_UNICAST_FLT: a macvlan's or `ip maddr`'s unicast address goes into
// the CAM, and the core does not turn promiscuous mode on for it
TEST_P(RxFilterTest, SecondaryUnicastAddressesAreFilteredNotPromiscuous) {
  Open();
  RxMode(kFlags, {kSecondary}, {});
  EXPECT_FALSE(nd_->flags & IFF_PROMISC);
  EXPECT_TRUE(Arrives(kSecondary));
  EXPECT_TRUE(Arrives(kOurs));
  EXPECT_FALSE(Arrives(kForeign));
  mock::DevClose(nd_);
}

TEST_P(RxFilterTest, ANewMacAddressReplacesTheOldOneInTheCam) {
  Open();
  const Mac mac = {0x02, 0x00, 0x00, 0x00, 0x12, 0x34};
  ASSERT_EQ(0, mock::SetMac(nd_, mac.data()));
  mock::RunWork();
  EXPECT_TRUE(Arrives(mac));
  EXPECT_FALSE(Arrives(kOurs));
  mock::DevClose(nd_);
}

// The same lists again send nothing; changes before the work runs are
// programmed once, as the last of them
TEST_P(RxFilterTest, ChangesCoalesceAndAnUnchangedFilterIsNotResent) {
  Open();
  pf_->received.clear();
  RxMode(kFlags, {}, {});
  EXPECT_TRUE(Xcast().empty());
  mock::SetRxMode(nd_, kFlags, {}, {kGroup1});
  mock::SetRxMode(nd_, kFlags, {}, {kGroup1, kGroup2});
  mock::RunWork();
  std::vector<Pf::Msg> x = Xcast();
  ASSERT_EQ(5u, x.size());
  EXPECT_EQ(1, std::count_if(x.begin(), x.end(), [](const Pf::Msg& m) {
              return m[0] == Pf::kResetXcast;
            }));
  EXPECT_TRUE(Arrives(kGroup2));
  mock::DevClose(nd_);
}

// A PF that refuses an address or does not answer: the error is logged
// and counted, the filter is left accepting everything (RESET_XCAST came
// first), and the next change programs it all again
TEST_P(RxFilterTest, ARefusedOrUnansweredMessageLeavesEverythingAcceptedAndIsRetried) {
  Open();
  RxMode(kFlags, {}, {kGroup1});
  EXPECT_FALSE(Arrives(kForeign));
  pf_->nack = {Pf::kAddMcast};
  RxMode(kFlags, {}, {kGroup1, kGroup2});
  EXPECT_TRUE(mock::Logged("PF refused mailbox message ADD_MCAST"));
  EXPECT_TRUE(mock::Logged("cannot program the receive address filter: -5"));
  EXPECT_EQ(1u, nic_->mbx_nacks);
  EXPECT_TRUE(Arrives(kForeign));
  EXPECT_TRUE(Arrives(kGroup2));
  pf_->nack.clear();
  // The same lists: programmed again, since the PF never had them
  RxMode(kFlags, {}, {kGroup1, kGroup2});
  EXPECT_FALSE(Arrives(kForeign));
  EXPECT_TRUE(Arrives(kGroup2));
  // Silence: each message times out once, and nothing is left waiting
  pf_->silent = true;
  RxMode(kFlags, {}, {kGroup1});
  EXPECT_TRUE(mock::Logged("PF did not answer mailbox message RESET_XCAST"));
  EXPECT_LE(1u, nic_->mbx_timeouts);
  EXPECT_FALSE(mock::WorkIsQueued(&nic_->rx_mode_work));
  pf_->silent = false;
  RxMode(kFlags, {}, {kGroup1});
  EXPECT_FALSE(Arrives(kGroup2));
  EXPECT_TRUE(Arrives(kGroup1));
  mock::DevClose(nd_);
}

// Close cancels a change not yet sent: nothing reaches the PF after
// SHUTDOWN, and the next open programs the lists as they are then
TEST_P(RxFilterTest, CloseDropsAPendingChangeAndOpenSendsTheLists) {
  Open();
  mock::SetRxMode(nd_, kFlags, {}, {kGroup1});
  pf_->received.clear();
  mock::DevClose(nd_);
  EXPECT_FALSE(mock::WorkIsQueued(&nic_->rx_mode_work));
  EXPECT_TRUE(Xcast().empty());
  Open();
  EXPECT_TRUE(Arrives(kGroup1));
  mock::DevClose(nd_);
}

// A queue-set reset reopens the interface: the filter is sent again in
// full, whatever the PF holds meanwhile
TEST_P(RxFilterTest, AResetRestoresTheFilter) {
  Open();
  RxMode(kFlags, {}, {kGroup1});
  pf_->FilterLikeInTreeDriver({kForeign});
  EXPECT_FALSE(Arrives(kGroup1));
  vnic_->RaiseQsErr();
  mock::RunWork();
  ASSERT_TRUE(mock::Logged("resetting the queue set"));
  Settle();
  EXPECT_EQ((std::set<uint64_t>{U(kOurs), U(kGroup1)}), Cam());
  EXPECT_TRUE(Arrives(kGroup1));
  EXPECT_FALSE(Arrives(kForeign));
  mock::DevClose(nd_);
}

INSTANTIATE_TEST_SUITE_P(AllModes, RxFilterTest,
                         ::testing::ValuesIn(mock::AllIommuModes()), ModeName);

}  // namespace
}  // namespace nicvf_test
