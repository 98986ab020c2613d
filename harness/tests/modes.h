// SPDX-License-Identifier: GPL-2.0-only
// The name a suite run in every IOMMU mode gives each instance:
// INSTANTIATE_TEST_SUITE_P(AllModes, X, ValuesIn(mock::AllIommuModes()),
// ModeName).
#pragma once
#include <gtest/gtest.h>

#include <string>

#include "mock/mock.h"

namespace nicvf_test {

inline std::string ModeName(
    const ::testing::TestParamInfo<mock::IommuMode>& info) {
  return mock::ToString(info.param);
}

}  // namespace nicvf_test
