// Everything a finished run hands back: the merged observations, the DR phase
// timeline, and wall-clock facts kept apart from the deterministic results.
#pragma once

#include "model/snapshot.hpp"

#include <memory>
#include <string>
#include <vector>

namespace calldrill {

/// One pair transition as it happened.
struct phase_record {
  sim_duration at{};
  pair_id pair = 0;
  pair_phase phase = pair_phase::normal;
  std::string action; ///< the drill action that caused it
};

/// One drill action the world refused (e.g. failover with no outage).
struct refused_action {
  sim_duration at{};
  std::string message;
};

struct wall_facts {
  double setup_seconds = 0;
  double run_seconds = 0;
  std::uint64_t peak_rss_bytes = 0;
  std::uint64_t actor_messages = 0;
  std::uint32_t actors = 0;
  double arrival_lag_p99_ms = 0; ///< realtime: intended vs actual start
};

struct run_result {
  std::uint64_t seed = 0;
  sim_duration simulated{};
  observations obs;
  std::array<latency_histogram, latency_count> latencies{};
  std::array<std::uint64_t, action_kind_count> actions{};
  std::vector<phase_record> phases;
  std::vector<refused_action> refused;
  /// End state of the world: where each range points, which pools are up.
  std::vector<pool_id> orbit_targets;
  /// Each pool's gauges at the end (queue length, admission backlog).
  std::vector<pool_gauge> pools;
  /// Users by pool and mode at the end, as their clients knew it
  /// (pool * 3 + user_mode; an unregistered user under its home).
  std::vector<std::uint64_t> users_by_mode;
  wall_facts wall;
};

} // namespace calldrill
