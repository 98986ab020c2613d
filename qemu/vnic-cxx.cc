// SPDX-License-Identifier: GPL-2.0-only
//
// The C++ side of the thunderx-vnic device.  For now only a probe that the
// build compiles C++ into qemu-system-aarch64 and links its runtime; the
// device model shared with the host harness (harness/model) comes here.

#include <string>
#include <vector>

#include "vnic-cxx.h"

namespace {

std::string make_banner()
{
	std::vector<std::string> parts{"thunderx-vnic", "C++", std::to_string(__cplusplus)};
	std::string s;
	for (const auto &p : parts) {
		if (!s.empty())
			s += ' ';
		s += p;
	}
	return s;
}

} // namespace

extern "C" const char *thunderx_vnic_cxx_banner(void)
{
	static const std::string banner = make_banner();
	return banner.c_str();
}
