// SPDX-License-Identifier: GPL-2.0-only
// The harness's main: gtest's, with a listener that checks after every
// test, its fixture torn down and destroyed, that the simulated machine
// has nothing left (mock::Outstanding(): pages, mappings, sk_buffs, pools,
// MMIO, interrupts, net_devices...) and that no mock or model saw an API
// misused (mock::Violations()). Being here, the check cannot be left out
// of a fixture or forgotten by a test that has none. A test that leaves a
// violation on purpose clears it once it has checked it; an inline check
// is still the way to require a clean machine at a point mid-test.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mock/mock.h"

namespace {

class MachineLeftClean : public ::testing::EmptyTestEventListener {
  // Runs before gtest's printer reports the test (end events go to the
  // listeners in reverse order), so a failure here is the test's.
  void OnTestEnd(const ::testing::TestInfo& info) override {
    std::vector<std::string> left = mock::Outstanding();
    EXPECT_THAT(left, ::testing::IsEmpty())
        << info.test_suite_name() << "." << info.name()
        << " left this outstanding on the simulated machine";
    EXPECT_THAT(mock::Violations(), ::testing::IsEmpty())
        << info.test_suite_name() << "." << info.name()
        << " misused an API (mock or model violations)";
    // So that the next test in this process is not blamed too
    mock::Violations().clear();
    if (!left.empty()) mock::Reset(mock::IommuMode::kNone);
  }
};

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleMock(&argc, argv);
  ::testing::UnitTest::GetInstance()->listeners().Append(new MachineLeftClean);
  return RUN_ALL_TESTS();
}
