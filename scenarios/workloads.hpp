// Named benchmark workloads: scenarios sized for measuring calldrill itself
// (`calldrill bench`), built in code so they scale by parameters.
#pragma once

#include "model/scenario.hpp"

#include <string>
#include <vector>

namespace calldrill {

struct workload_params {
  std::uint32_t users = 0;   ///< total users (0: the workload's default)
  double rate = 0;           ///< calls per simulated second (0: default)
  sim_duration duration{};   ///< simulated length (0: default)
  std::uint64_t seed = 1;
  std::string scheduler;      ///< realtime policy ("": the default)
  std::uint32_t workers = 0;  ///< threads (0: one per core)
  bool partition_by_pair = false; ///< virtual time: a partition per pair
};

struct workload_info {
  std::string name;
  std::string description;
};

/// Every workload `calldrill bench` knows.
const std::vector<workload_info>& workloads();

/// Builds workload `name`; throws std::invalid_argument for an unknown name.
scenario make_workload(const std::string& name, const workload_params& p);

/// `pairs` DR pairs of `users_per_pool` users each, groups homed on their own
/// pool, and a seeded chaos timeline: each pair suffers an outage at a random
/// instant mid-traffic and the runbook follows it through failback.
scenario paired_estate(std::uint32_t pairs, std::uint32_t users_per_pool,
                       double rate, sim_duration duration, std::uint64_t seed);

/// `users` in 20 DR pairs over a business day of `duration` (0: 10 hours),
/// ten equal stages from 08:00 peaking at `peak_rate` calls/s in a morning
/// and an afternoon busy hour; every pair's primary fails once at a seeded
/// instant and the runbook follows with delays drawn from the chaos defaults.
scenario enterprise_day(std::uint32_t users, double peak_rate,
                        sim_duration duration, std::uint64_t seed);

} // namespace calldrill
