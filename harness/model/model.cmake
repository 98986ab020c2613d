# SPDX-License-Identifier: GPL-2.0-only
# The device model (harness/model/), for every build that runs it: the
# harness's tests and fuzz targets, the benchmark, and later the QEMU
# device (through its C API, vnic_model.h).
#
# nicvf_add_model(<target>) makes <target> a STATIC library of the model
# that sees nothing but the C++17 standard library and kunit/vnic_hw.h:
# its include path is a directory holding a copy of that one header, so a
# model file that includes a mock, GoogleTest, a shim kernel header or a
# driver header does not compile. The model's own headers include each
# other by their names beside them.
get_filename_component(NICVF_MODEL_DIR "${CMAKE_CURRENT_LIST_DIR}" ABSOLUTE)
get_filename_component(NICVF_MODEL_ROOT "${NICVF_MODEL_DIR}/../.." ABSOLUTE)

set(NICVF_MODEL_SOURCES
  ${NICVF_MODEL_DIR}/vnic.cc
  ${NICVF_MODEL_DIR}/pf.cc
  ${NICVF_MODEL_DIR}/vnic_model.cc
  ${NICVF_MODEL_DIR}/bgx.cc
  ${NICVF_MODEL_DIR}/bgx_model.cc
  ${NICVF_MODEL_DIR}/nic_pf.cc
  ${NICVF_MODEL_DIR}/nic_pf_model.cc)

function(nicvf_add_model target)
  set(inc ${CMAKE_CURRENT_BINARY_DIR}/${target}_include)
  configure_file(${NICVF_MODEL_ROOT}/kunit/vnic_hw.h
                 ${inc}/kunit/vnic_hw.h COPYONLY)
  add_library(${target} STATIC ${NICVF_MODEL_SOURCES})
  target_include_directories(${target} PRIVATE ${inc})
  # Standard C++17, no GNU extensions: what a QEMU build, with its own
  # flags, must also accept
  set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF)
  target_compile_options(${target} PRIVATE -Wextra)
endfunction()
