# SPDX-License-Identifier: GPL-2.0-only
# The mocks (and with them the device model), for every build that runs
# the driver on the host: the tests and fuzz targets
# (harness/CMakeLists.txt) and the benchmarks (bench/CMakeLists.txt). One list, so a mock added here is
# built and linked everywhere.
#
# nicvf_add_mocks(<target>) makes <target> an OBJECT library of them, with
# the shim kernel headers first on the include path. Linked into an
# executable, its objects come ahead of the driver's static library, so the
# driver's calls into the mocks resolve without a cycle of libraries; and
# every mock is linked, so each one's registration with the registry
# (mock/registry.h) runs even if nothing else names its file.
get_filename_component(NICVF_HARNESS_DIR "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
get_filename_component(NICVF_SOURCE_ROOT "${NICVF_HARNESS_DIR}/.." ABSOLUTE)

set(NICVF_MOCK_SOURCES
  mock/registry.cc
  mock/memory.cc
  mock/kmem.cc
  mock/log.cc
  mock/mmio.cc
  mock/time.cc
  mock/cpu.cc
  mock/module.cc
  mock/fault.cc
  mock/iommu.cc
  mock/dma.cc
  mock/page_pool.cc
  mock/skb.cc
  mock/pci.cc
  mock/net.cc
  mock/workqueue.cc)
list(TRANSFORM NICVF_MOCK_SOURCES PREPEND "${NICVF_HARNESS_DIR}/")

include(${NICVF_HARNESS_DIR}/model/model.cmake)

function(nicvf_add_mocks target)
  add_library(${target} OBJECT ${NICVF_MOCK_SOURCES})
  target_include_directories(${target} BEFORE PUBLIC
    ${NICVF_HARNESS_DIR}/include ${NICVF_HARNESS_DIR} ${NICVF_SOURCE_ROOT})
  # The device model, built on its own (model/model.cmake), comes with them
  nicvf_add_model(${target}_model)
  target_link_libraries(${target} PUBLIC ${target}_model)
endfunction()
