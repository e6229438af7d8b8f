// A scenario as data: topology, traffic, drill timeline, expectations and run
// settings. The YAML loader and the built-in default drill both produce it;
// the actors only read it.
#pragma once

#include "model/defects.hpp"
#include "model/types.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace calldrill {

/// Where a value came from, for messages ("file:line:col"); empty if built in.
using origin = std::string;

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

/// How a pool's users are put into pickup groups: groups are numbers taken
/// in order from the GroupPickup ranges whose service is the user's home pool.
struct grouping_spec {
  std::uint32_t group_size = 20;
  double share_in_groups = 0.6; ///< fraction of users in some group
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
};
constexpr std::size_t action_kind_count = 7;
std::string_view name(action_kind k);

/// A chaos or operator action at a simulated instant.
struct drill_action {
  sim_duration at{};
  action_kind kind = action_kind::pool_outage;
  std::string pool;  ///< FQDN of the pool acted on (or the range's new pool)
  std::string range; ///< range identity, for set_orbit
  origin where;
};

struct client_spec {
  sim_duration failover_interval = std::chrono::seconds{300};
  sim_duration detect_jitter = std::chrono::seconds{60};
  sim_duration move_jitter = std::chrono::seconds{120}; ///< failback moves
};

struct expect_spec {
  double pickup_success_ratio_min = 0.99; ///< eligible attempts, after redirect
};

enum class clock_kind : std::uint8_t { virtual_time, realtime };

struct run_spec {
  sim_duration duration = std::chrono::minutes{90};
  std::uint64_t seed = 0;
  bool seed_given = false;
  clock_kind clock = clock_kind::virtual_time;
  double speed = 1.0;               ///< realtime only: simulated per wall second
  std::uint32_t users_per_host = 4096; ///< clients hosted per actor
  std::string scheduler_policy = "sharing"; ///< realtime: sharing | stealing
  std::uint32_t workers = 0;        ///< realtime scheduler threads; 0 = cores
};

struct scenario {
  std::string name = "unnamed";
  std::string source; ///< file it came from, or "built-in"
  std::vector<pool_spec> pools;
  std::vector<orbit_range_spec> ranges;
  grouping_spec grouping;
  traffic_spec traffic;
  client_spec clients;
  std::vector<drill_action> drill;
  expect_spec expect;
  run_spec run;
  defect_set defects;
};

} // namespace calldrill
