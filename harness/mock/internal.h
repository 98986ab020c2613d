// SPDX-License-Identifier: GPL-2.0-only
// Internal to the mocks: the registry, and the little the mocks ask of each
// other. Each mock keeps its state in its own file and registers how to
// build it afresh and what of it a test must have given back; Reset() and
// Outstanding() (mock.h, mock/registry.cc) go through the registry, so
// they need not know any mock's insides, and a new mock cannot be
// forgotten by either.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "mock.h"

namespace mock {

// What Reset() was asked for: the machine the mocks start afresh on
struct Machine {
  IommuMode mode;
  size_t mem_bytes;
};

// Outstanding()'s lines, "what: n", for each n that is not 0
class Leaks {
 public:
  void Add(const std::string& what, size_t n) {
    if (n) lines.push_back(what + ": " + std::to_string(n));
  }
  std::vector<std::string> lines;
};

// Where a mock's report goes in Outstanding(), lowest first; resets go in
// the same order. Mocks that hold nothing a test must release come first.
enum Order {
  kOrderNoLeaks = 0,
  kOrderMemory = 10,
  kOrderDma = 20,
  kOrderSkb = 30,
  kOrderKmem = 40,
  kOrderPagePool = 50,
  kOrderMmio = 60,
  kOrderPci = 70,
  kOrderNet = 80,
  kOrderWork = 90,
};

struct Room {
  const char* name;
  int order;
  std::function<void(const Machine&)> reset;
  std::function<void(Leaks&)> leaks;  // empty: nothing to give back
};

// Called at static initialisation, once per mock
void Register(Room room);
struct Registration {
  explicit Registration(Room room) { Register(std::move(room)); }
};

// Whether a Reset() was made; the first use of any mock before one makes
// Reset(IommuMode::kNone).
extern bool g_machine_up;
inline void MachineUp() {
  if (!g_machine_up) Reset(IommuMode::kNone);
}

// A mock's state, built anew by each Reset() (from the Machine, if State
// takes one) and reported by `leaks`. Defined at namespace scope in the
// mock's file: mock::Owned<Pci> pci("pci", kOrderPci, ReportPci);
template <typename State>
class Owned {
 public:
  explicit Owned(const char* name, int order = kOrderNoLeaks,
                 void (*leaks)(const State&, Leaks&) = nullptr) {
    Room room{name, order, [this](const Machine& m) { Build(m); }, {}};
    if (leaks)
      room.leaks = [this, leaks](Leaks& out) {
        if (state_) leaks(*state_, out);
      };
    Register(std::move(room));
  }
  State& operator*() {
    MachineUp();
    return *state_;
  }
  State* operator->() { return &**this; }

 private:
  void Build(const Machine& m) {
    state_.reset();  // the old one goes first: it may hold what the new needs
    if constexpr (std::is_constructible_v<State, const Machine&>)
      state_ = std::make_unique<State>(m);
    else
      state_ = std::make_unique<State>();
  }
  std::unique_ptr<State> state_;
};

// --- What the mocks ask of each other ---------------------------------------

// mock/memory.cc: the struct page of every frame, n of them
struct page* Frames(size_t* n);

// mock/dma.cc: the simulated device, and its side of non-coherent memory:
// copy n bytes at phys (one page at most; host is where the CPU sees them)
// to or from RAM.
mock_device& Device();
void DeviceStore(uint64_t phys, uint8_t* host, const uint8_t* src, size_t n);
void DeviceLoad(uint64_t phys, const uint8_t* host, uint8_t* dst, size_t n);

}  // namespace mock
