// SPDX-License-Identifier: GPL-2.0-only
// The registry of mocks (mock/internal.h): Reset() builds every mock's
// state afresh and Outstanding() collects what each reports; and the
// counters, which every mock adds to.
#include <algorithm>

#include "internal.h"

namespace mock {

bool g_machine_up = false;

namespace {

// Built on first use: mocks register from their files' static
// initialisation, in no order the language fixes.
std::vector<Room>& Rooms() {
  static std::vector<Room> rooms;
  return rooms;
}

Owned<Counters> counters("counters");

}  // namespace

void Register(Room room) {
  auto& rooms = Rooms();
  auto at = std::upper_bound(
      rooms.begin(), rooms.end(), room.order,
      [](int order, const Room& r) { return order < r.order; });
  rooms.insert(at, std::move(room));
}

void Reset(IommuMode mode, size_t mem_bytes) {
  // First: a mock used while the others are reset must not start another
  g_machine_up = true;
  const Machine machine{mode, mem_bytes};
  for (Room& room : Rooms()) room.reset(machine);
}

std::vector<std::string> Outstanding() {
  MachineUp();
  Leaks leaks;
  for (Room& room : Rooms())
    if (room.leaks) room.leaks(leaks);
  return leaks.lines;
}

Counters& Count() { return *counters; }

}  // namespace mock
