// What a run will cost in memory, estimated from the scenario alone before
// anything is built, and the budget it must fit: the machine's memory unless
// told otherwise. Files and command-line options meet the same check, since
// it reads the scenario after the options were applied.
#pragma once

#include "model/hosts.hpp"
#include "model/scenario.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace calldrill {

/// Bytes a run needs, by what needs them.
struct memory_estimate {
  std::uint64_t base = 0;    ///< the program, the actor system, buffers
  std::uint64_t users = 0;   ///< topology rows, client state, registrars
  std::uint64_t groups = 0;  ///< pickup groups and their queues
  std::uint64_t hosts = 0;   ///< actors: one per pool and per block of users
  std::uint64_t calls = 0;   ///< calls alive at once (ringing or established)
  std::uint64_t history = 0; ///< the run's history, streamed, bounded
  std::uint64_t total() const {
    return base + users + groups + hosts + calls + history;
  }
};

/// Users the scenario's pools hold in all (before any cap).
std::uint64_t scenario_users(const scenario& s);

/// Pickup groups the topology of `s` will have, counted without building it.
std::uint64_t scenario_groups(const scenario& s);

/// The estimate for `s` as it will run (clock, users per host, traffic).
memory_estimate estimate_memory(const scenario& s);

/// Physical memory of this machine, or the memory limit of its control
/// group when lower.
std::uint64_t machine_memory_bytes();

/// Why `s` does not fit `budget_bytes`, or "".
std::string memory_problem(const scenario& s, std::uint64_t budget_bytes);

/// Why the users of `s` do not fit in client hosts of its users_per_host
/// (too many hosts), or "".
std::string hosts_problem(const scenario& s);

/// A size such as `512M`, `4G`, `1T` or plain bytes (binary units, an
/// optional `iB`/`B`); nullopt when it is not one.
std::optional<std::uint64_t> parse_size(std::string_view text);

/// Bytes as MiB or GiB, for messages.
std::string format_size(std::uint64_t bytes);

} // namespace calldrill
