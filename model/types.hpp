// Identifiers, simulated time and the small enumerations every room of
// calldrill shares. Plain C++: no actor framework, no third-party headers.
#pragma once

#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <string_view>

namespace calldrill {

using user_id = std::uint32_t;
using pool_id = std::uint16_t;
using pair_id = std::uint16_t;
using group_id = std::uint32_t;
using range_id = std::uint32_t;
using call_id = std::uint64_t;

/// Simulated time since the start of a run (and simulated durations).
using sim_duration = std::chrono::microseconds;

constexpr pool_id no_pool = 0xFFFF;
constexpr group_id no_group = 0xFFFFFFFF;

/// Seconds as a double, for printing and rates.
inline double to_seconds(sim_duration d) {
  return std::chrono::duration<double>(d).count();
}

/// Simulated duration from (possibly fractional) seconds, rounded to the
/// nearest microsecond (truncating would bias short gaps: at 20 k arrivals
/// per second it ran the rate 1 % fast).
inline sim_duration from_seconds(double s) {
  return sim_duration{std::llround(s * 1e6)};
}

/// How a user is attached to the pools.
enum class user_mode : std::uint8_t { unregistered, normal, resiliency };

/// The DR step of a pool pair, one value per transition of DOMAIN.md's model.
enum class pair_phase : std::uint8_t {
  normal,
  primary_outage,
  failover_in_progress,
  failover_complete,
  ranges_redirected,
  primary_restored,
  failback_in_progress,
  failback_complete,
  ranges_redirected_back,
};
constexpr std::size_t pair_phase_count = 9;

/// The columns of the source's table, plus `normal` for traffic before any
/// DR event.
enum class column : std::uint8_t {
  normal,
  failover_during,
  failover_after,
  failback_during,
  failback_after,
};
constexpr std::size_t column_count = 5;

/// How a call ended.
enum class end_cause : std::uint8_t {
  hang_up,            ///< established, then hung up
  ring_timeout,       ///< rang out, nobody answered
  abandoned,          ///< the caller gave up while it rang
  callee_unreachable, ///< the callee had no working registration
  pool_down,          ///< it rang through a pool that failed
  dropped_by_pool,    ///< established, ended by a pool event (a defect)
};
constexpr std::size_t end_cause_count = 6;

/// The result of a Group Call Pickup attempt: `ok` or why it failed.
enum class pickup_result : std::uint8_t {
  ok,
  picker_unregistered,
  picker_in_resiliency,
  pool_down,
  call_park_disabled,
  range_not_redirected,
  callee_in_resiliency,
  stale_entry,
  no_call_ringing,
  service_degraded,
};
constexpr std::size_t pickup_result_count = 10;

std::string_view name(user_mode m);
std::string_view name(pair_phase p);
std::string_view name(column c);
std::string_view name(end_cause c);
std::string_view name(pickup_result r);

/// The table column a DR step belongs to, as the model reads it (defined
/// with the rules, model/world.cpp; the checker keeps its own reading).
column column_of(pair_phase p);

} // namespace calldrill
