/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The C interface of the device's C++ part.  Everything the C device calls
 * in C++ goes through functions declared here with C linkage.
 */
#ifndef THUNDERX_VNIC_CXX_H
#define THUNDERX_VNIC_CXX_H

#ifdef __cplusplus
extern "C" {
#endif

/* A string built by C++ code (std::string), proving it is linked in; the
 * pointer stays valid for the life of the process. */
const char *thunderx_vnic_cxx_banner(void);

#ifdef __cplusplus
}
#endif

#endif
