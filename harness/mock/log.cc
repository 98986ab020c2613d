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

namespace {

// One line of the log: "<device>: <message>"; warnings and errors (level
// 4 and below) are also printed.
void Vlog(const char* who, int level, const char* fmt, va_list ap) {
  char buf[512];
  vsnprintf(buf, sizeof(buf), fmt, ap);
  std::string line = std::string(who) + ": " + buf;
  if (level <= 4) fprintf(stderr, "[harness log] %s", line.c_str());
  mock::journal->lines.push_back(line);
}

}  // namespace

#define LOG(who, level, fmt)   \
  do {                         \
    va_list ap;                \
    va_start(ap, fmt);         \
    Vlog(who, level, fmt, ap); \
    va_end(ap);                \
  } while (0)

extern "C" {

void warn_slowpath_fmt(const char* file, const int line, unsigned taint,
                       const char* fmt, ...) {
  (void)taint;
  (void)fmt;
  mock::Violation(std::string("WARN_ON at ") + file + ":" + std::to_string(line));
}

void _dev_err(const struct device* dev, const char* fmt, ...) {
  LOG(dev ? dev->name : "kernel", 3, fmt);
}

void _dev_warn(const struct device* dev, const char* fmt, ...) {
  LOG(dev ? dev->name : "kernel", 4, fmt);
}

void _dev_info(const struct device* dev, const char* fmt, ...) {
  LOG(dev ? dev->name : "kernel", 6, fmt);
}

// The level is in the format's KERN_SOH prefix; without one, the kernel's
// default (4)
int _printk(const char* fmt, ...) {
  int level = 4;
  if (fmt[0] == KERN_SOH[0] && fmt[1] >= '0' && fmt[1] <= '7') {
    level = fmt[1] - '0';
    fmt += 2;
  }
  LOG("kernel", level, fmt);
  return 0;
}

}  // extern "C"
