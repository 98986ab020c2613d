// SPDX-License-Identifier: GPL-2.0-only
// What the libFuzzer targets share: reading an input, failing with what
// went wrong, the IOMMU mode they run in.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "mock/mock.h"

namespace fuzz {

class Input {
 public:
  Input(const uint8_t* data, size_t size) : p_(data), end_(data + size) {}
  bool empty() const { return p_ >= end_; }
  uint8_t Byte() { return empty() ? 0 : *p_++; }
  uint16_t U16() { return uint16_t(Byte() | Byte() << 8); }
  uint64_t U64() {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= uint64_t(Byte()) << (8 * i);
    return v;
  }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
};

// The target's name, for what it reports
inline const char* name = "fuzz";

[[noreturn]] inline void Fail(const char* what,
                              const std::vector<std::string>& lines) {
  fprintf(stderr, "%s: %s\n", name, what);
  for (const std::string& l : lines) fprintf(stderr, "  %s\n", l.c_str());
  abort();
}

// NICVF_FUZZ_IOMMU's mode (translating by default); sets the name
inline mock::IommuMode ModeFromEnv(const char* target) {
  name = target;
  const char* m = getenv("NICVF_FUZZ_IOMMU");
  if (!m || !strcmp(m, "translating")) return mock::IommuMode::kTranslating;
  if (!strcmp(m, "identity")) return mock::IommuMode::kIdentity;
  if (!strcmp(m, "none")) return mock::IommuMode::kNone;
  fprintf(stderr, "%s: NICVF_FUZZ_IOMMU=%s: want translating, identity or none\n",
          name, m);
  exit(2);
}

inline std::string Hex(uint64_t v) {
  char s[24];
  snprintf(s, sizeof(s), "%#llx", static_cast<unsigned long long>(v));
  return s;
}

}  // namespace fuzz
