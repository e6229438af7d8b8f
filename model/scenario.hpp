// A scenario as data: topology, traffic, drill timeline, expectations and run
// settings. The YAML loader and the built-in default drill both produce it;
// the actors only read it.
#pragma once

#include "model/defects.hpp"
#include "model/types.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace calldrill {

/// Where a spec came from, for messages: the key path of its entry in the
/// scenario file (e.g. "topology.pools[0]"); empty if built in. Topology
/// errors read "where: key: message", so a loader can map them back to lines.
using origin = std::string;

/// How users are put into pickup groups: groups take numbers in order from
/// the GroupPickup ranges `ranges` (by identity; empty: the ranges whose Call
/// Park service is the members' home pool).
struct grouping_spec {
  std::uint32_t group_size = 20;
  double share_in_groups = 0.6; ///< fraction of a pool's users in its groups
  std::vector<std::string> ranges;
};

struct pool_spec {
  std::string fqdn;
  std::string site;
  std::string backup; ///< FQDN of the paired backup pool; empty for none
  bool call_park_enabled = true;
  std::uint32_t users = 0;                 ///< users homed on this pool
  double registrations_per_second = 200.0; ///< registrar admission rate
  double gcp_calls_per_minute = 500.0;     ///< capacity figure (validation)
  double pickups_per_minute = 200.0;       ///< capacity figure (validation)
  std::uint32_t capacity_users = 80000;    ///< capacity figure (validation)
  std::optional<grouping_spec> grouping;   ///< overrides scenario::grouping
  origin where;
};

enum class range_type : std::uint8_t { call_park, group_pickup };

/// An orbit range as `New-CsCallParkOrbit` defines it.
struct orbit_range_spec {
  std::string identity;
  std::string start;
  std::string end;
  range_type type = range_type::group_pickup;
  std::string call_park_service; ///< FQDN of the pool that owns the range
  origin where;
};

/// Pickup groups whose members are homed on several pools (split evenly, in
/// the order of `pools`), numbered consecutively from `first_number`. Their
/// members are taken out of each pool's users before the pool's own groups.
struct spanning_group_spec {
  std::vector<std::string> pools; ///< FQDNs, at least two
  std::uint32_t group_size = 10;
  std::uint32_t count = 1;        ///< how many such groups
  std::string first_number;       ///< orbit number inside a GroupPickup range
  origin where;
};

/// One stage of the open arrival process: `rate_per_second` for `duration`.
struct traffic_stage {
  sim_duration duration{};
  double rate_per_second = 0.0;
};

struct traffic_spec {
  std::vector<traffic_stage> stages;
  double answer_probability = 0.55;  ///< callee answers (if reachable)
  sim_duration answer_delay_min = std::chrono::seconds{2};
  sim_duration answer_delay_max = std::chrono::seconds{12};
  double pickup_probability = 0.5;   ///< a ringing group call gets a pickup try
  double pickup_by_member = 0.9;     ///< the picker is a member of the group
  sim_duration pickup_delay_min = std::chrono::seconds{3};
  sim_duration pickup_delay_max = std::chrono::seconds{15};
  sim_duration ring_timeout = std::chrono::seconds{30};
  sim_duration abandon_mean = std::chrono::seconds{60}; ///< caller patience
  sim_duration hold_mean = std::chrono::seconds{180};   ///< exponential
  std::uint32_t max_active_calls = 1000000; ///< beyond it arrivals are dropped
};

enum class action_kind : std::uint8_t {
  pool_outage,
  pool_restore,
  invoke_failover,
  failover_complete,
  set_orbit,
  invoke_failback,
  failback_complete,
  disable_call_park,
  replace_pool,
};
constexpr std::size_t action_kind_count = 9;
std::string_view name(action_kind k);

/// A chaos or operator action at a simulated instant.
struct drill_action {
  sim_duration at{};
  action_kind kind = action_kind::pool_outage;
  std::string pool;  ///< FQDN of the pool acted on (or the range's new pool)
  std::string range; ///< range identity, for set_orbit
  std::string new_fqdn; ///< replace_pool: the FQDN of the replacing pool
  bool call_park_enabled = true; ///< replace_pool: Call Park on the new pool
  origin where;
};

/// A delay or duration drawn uniformly from [min, max].
struct duration_range {
  sim_duration min{};
  sim_duration max{};
};

/// Random chaos: seeded outages at random times mid-traffic, each followed by
/// the runbook after random delays, any operator step possibly forgotten.
/// Expanded into drill actions from the run's seed (model/chaos.hpp).
struct chaos_spec {
  bool enabled = false;
  std::vector<std::string> pools; ///< candidates; empty: every paired pool
  std::uint32_t outages = 1;
  sim_duration window_start = std::chrono::minutes{5}; ///< outages start in
  sim_duration window_end = std::chrono::minutes{30};  ///< [start, end]
  duration_range outage{std::chrono::minutes{10}, std::chrono::minutes{30}};
  duration_range invoke_failover{std::chrono::minutes{2}, std::chrono::minutes{8}};
  duration_range failover_complete{std::chrono::minutes{5},
                                   std::chrono::minutes{15}};
  duration_range redirect_ranges{std::chrono::minutes{1}, std::chrono::minutes{5}};
  duration_range invoke_failback{std::chrono::minutes{2}, std::chrono::minutes{8}};
  duration_range failback_complete{std::chrono::minutes{5},
                                   std::chrono::minutes{15}};
  duration_range redirect_back{std::chrono::minutes{1}, std::chrono::minutes{5}};
  double forget_probability = 0.0; ///< per operator step
  origin where;
};

/// A drill action at `at` (for scenarios built in code).
inline drill_action action_at(sim_duration at, action_kind k, std::string pool,
                              std::string range = {}) {
  drill_action a;
  a.at = at;
  a.kind = k;
  a.pool = std::move(pool);
  a.range = std::move(range);
  return a;
}

struct client_spec {
  sim_duration failover_interval = std::chrono::seconds{300};
  sim_duration detect_jitter = std::chrono::seconds{60};
  sim_duration move_jitter = std::chrono::seconds{120}; ///< failback moves
  /// A client refreshes its registration this often; a pool that came back
  /// having forgotten it is noticed at the next refresh (half the 600 s
  /// default registration expiry).
  sim_duration registration_refresh = std::chrono::seconds{300};
};

struct expect_spec {
  double pickup_success_ratio_min = 0.99; ///< eligible attempts, after redirect
  /// Longest a client may wait between asking a pool to register it and being
  /// admitted (a registration storm as clients see it); zero: no limit.
  sim_duration registration_storm_max{};
  /// Longest a pair may take from its primary's outage to failover
  /// complete (Microsoft's RTO target: 30 minutes).
  sim_duration rto_max = std::chrono::minutes{30};
  /// Longest GCP may stay unavailable to a pair's affected users in all;
  /// zero: no limit.
  sim_duration gcp_outage_max{};
};

enum class clock_kind : std::uint8_t { virtual_time, realtime };

struct run_spec {
  sim_duration duration = std::chrono::minutes{90};
  std::uint64_t seed = 0;
  bool seed_given = false;
  clock_kind clock = clock_kind::virtual_time;
  double speed = 1.0;               ///< realtime only: simulated per wall second
  std::uint32_t users_per_host = 0; ///< clients hosted per actor; 0: auto
  std::string scheduler_policy = "sharing"; ///< realtime: sharing | stealing
  /// Threads: the realtime scheduler's, or a partitioned run's; 0 = cores.
  std::uint32_t workers = 0;
  /// Virtual time only: cut the run into one partition per pool pair, run
  /// side by side on `workers` threads (model/partitions.hpp). Messages
  /// between pairs then take the inter-pair delay.
  bool partition_by_pair = false;
  /// Realtime only: how late an actor may act on a timer or a message (in
  /// simulated time) before the verdict cannot be trusted; the checker
  /// reads each decision under the worlds of this span before it.
  sim_duration tolerance = std::chrono::seconds{2};
};

struct scenario {
  std::string name = "unnamed";
  std::string source; ///< file it came from, or "built-in"
  std::vector<pool_spec> pools;
  std::vector<orbit_range_spec> ranges;
  grouping_spec grouping; ///< for pools without their own
  std::vector<spanning_group_spec> spanning_groups;
  traffic_spec traffic;
  client_spec clients;
  std::vector<drill_action> drill;
  chaos_spec chaos;
  expect_spec expect;
  run_spec run;
  defect_set defects;
};

} // namespace calldrill
