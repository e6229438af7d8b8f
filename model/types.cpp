// Names of the shared enumerations, as printed, reported and exported.
#include "model/types.hpp"

#include "model/scenario.hpp"

namespace calldrill {

std::string_view name(user_mode m) {
  static constexpr std::array<std::string_view, 3> names{
    "unregistered", "normal", "resiliency"};
  return names[static_cast<std::size_t>(m)];
}

std::string_view name(action_kind k) {
  static constexpr std::array<std::string_view, action_kind_count> names{
    "pool_outage",       "pool_restore",      "invoke_failover",
    "failover_complete", "set_orbit",         "invoke_failback",
    "failback_complete", "disable_call_park", "replace_pool"};
  return names[static_cast<std::size_t>(k)];
}

std::string_view name(pair_phase p) {
  static constexpr std::array<std::string_view, pair_phase_count> names{
    "normal",           "primary_outage",       "failover_in_progress",
    "failover_complete", "ranges_redirected",   "primary_restored",
    "failback_in_progress", "failback_complete", "ranges_redirected_back"};
  return names[static_cast<std::size_t>(p)];
}

std::string_view name(column c) {
  static constexpr std::array<std::string_view, column_count> names{
    "normal", "failover_during", "failover_after", "failback_during",
    "failback_after"};
  return names[static_cast<std::size_t>(c)];
}

std::string_view name(end_cause c) {
  static constexpr std::array<std::string_view, end_cause_count> names{
    "hang_up", "ring_timeout", "abandoned", "callee_unreachable", "pool_down",
    "dropped_by_pool"};
  return names[static_cast<std::size_t>(c)];
}

std::string_view name(pickup_result r) {
  static constexpr std::array<std::string_view, pickup_result_count> names{
    "ok",
    "picker_unregistered",
    "picker_in_resiliency",
    "pool_down",
    "call_park_disabled",
    "range_not_redirected",
    "callee_in_resiliency",
    "stale_entry",
    "no_call_ringing",
    "service_degraded"};
  return names[static_cast<std::size_t>(r)];
}

} // namespace calldrill
