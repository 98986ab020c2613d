// SPDX-License-Identifier: GPL-2.0-only
// Module parameters: module_param (linux/moduleparam.h) records where each
// one lives and, before main(), the value it was built with, its default.
// Reset() puts every one back, so what a test sets does not carry over.
#include <cstring>

#include "internal.h"

namespace mock {
namespace {

struct Recorded {
  ModuleParam param;
  std::vector<uint8_t> def;
};

// Built on first use: the driver's constructors record into it before
// main(), in no order the language fixes relative to this file's.
std::vector<Recorded>& Params() {
  static std::vector<Recorded> params;
  return params;
}

void Restore(const Machine&) {
  for (Recorded& r : Params()) memcpy(r.param.addr, r.def.data(), r.def.size());
}

const Registration module_room({"module", kOrderNoLeaks, Restore, {}});

}  // namespace

std::vector<ModuleParam> ModuleParams() {
  std::vector<ModuleParam> out;
  for (const Recorded& r : Params()) out.push_back(r.param);
  return out;
}

}  // namespace mock

extern "C" {

void mock_param_record(const char* name, void* addr, size_t size) {
  const auto* p = static_cast<const uint8_t*>(addr);
  mock::Params().push_back({{name, addr, size}, std::vector<uint8_t>(p, p + size)});
}

}  // extern "C"
