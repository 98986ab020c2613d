# SPDX-License-Identifier: GPL-2.0-only
# The test library's sources, for the harness (tests and fuzz targets) and
# the benchmark, which build it with their own flags. Its gtest main
# (gtest_main.cc) is the tests' alone.
set(NICVF_TESTLIB_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/rig.cc
  ${CMAKE_CURRENT_LIST_DIR}/frame.cc
  ${CMAKE_CURRENT_LIST_DIR}/mocked_vnic.cc)
