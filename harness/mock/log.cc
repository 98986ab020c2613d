// SPDX-License-Identifier: GPL-2.0-only
// The kernel log and WARN: what the driver logs is kept for the tests
// (warnings and errors also go to stderr), and a WARN, like every misuse a
// mock detects, is recorded as a violation.
#include <cstdarg>
#include <cstdio>

#include "internal.h"

namespace mock {
namespace {

struct Journal {
  std::vector<std::string> lines;
  std::vector<std::string> violations;
};

Owned<Journal> journal("log");

}  // namespace

std::vector<std::string>& Violations() { return journal->violations; }
std::vector<std::string>& Log() { return journal->lines; }

bool Logged(const std::string& text) {
  for (const std::string& line : journal->lines)
    if (line.find(text) != std::string::npos) return true;
  return false;
}

void Violation(const std::string& what) { journal->violations.push_back(what); }

}  // namespace mock

extern "C" {

bool mock_warn(bool cond, const char* file, int line) {
  if (cond)
    mock::Violation(std::string("WARN_ON at ") + file + ":" + std::to_string(line));
  return cond;
}

void mock_dev_log(const struct device* dev, int level, const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  std::string line = std::string(dev ? dev->name : "kernel") + ": " + buf;
  if (level <= 4) fprintf(stderr, "[harness log] %s", line.c_str());
  mock::journal->lines.push_back(line);
}

}  // extern "C"
