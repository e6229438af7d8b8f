// How a run spreads its users over client host actors: the rule the run
// driver spawns by and the memory estimate counts by, in one place.
#pragma once

#include "model/scenario.hpp"

#include <algorithm>
#include <cstdint>
#include <thread>

namespace calldrill {

/// Client hosts a run can address: a call's handle carries its host in 16
/// bits (model/call_table.hpp).
constexpr std::uint64_t client_hosts_max = 65535;

/// The realtime scheduler's worker threads: as set, else one per core.
inline std::uint32_t worker_threads(const run_spec& run) {
  return run.workers != 0 ? run.workers
                          : std::max(1u, std::thread::hardware_concurrency());
}

/// A partitioned virtual-time run's threads: as set, else one per core but
/// one, which the checker's thread takes (measured on 2 cores: a second
/// worker beside the checker made the run slower, see README).
inline std::uint32_t partition_workers(const run_spec& run) {
  auto cores = std::max(1u, std::thread::hardware_concurrency());
  return run.workers != 0 ? run.workers : std::max(1u, cores - 1);
}

/// Clients per host actor: as set, else by clock. Measured on 1 M users: in
/// virtual time bigger hosts keep each wake-up's memory warm and share
/// wake-ups (32768 per host ran ~30 % faster than 4096, 262144 another ~25 %
/// faster than 32768); in realtime enough hosts must exist to keep every
/// worker busy (8 per worker, 1024 to 32768 users each).
inline std::uint32_t users_per_host(const run_spec& run, std::uint64_t users) {
  if (run.users_per_host > 0)
    return run.users_per_host;
  if (run.clock == clock_kind::virtual_time)
    return 262144;
  constexpr std::uint64_t most = 32768, least = 1024;
  std::uint64_t workers = worker_threads(run);
  auto per = (users + 8 * workers - 1) / (8 * workers);
  return static_cast<std::uint32_t>(std::clamp(per, least, most));
}

} // namespace calldrill
