// What actually happened, counted where it happened: per pool pair and table
// column, one array of counters. Every actor keeps its own and the collector
// merges them; the report, the table and the oracle read only these.
#pragma once

#include "model/types.hpp"

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace calldrill {

// X(name, help) for every counter. Calls and pickups are attributed to the
// pair of the callee's home pool and that pair's column when they happen.
#define CALLDRILL_COUNTERS(X)                                                  \
  X(calls_started, "calls that started ringing")                               \
  X(calls_not_started, "arrivals dropped: active-call limit reached")          \
  X(calls_queued, "ringing calls entered in a pickup queue")                   \
  X(calls_answered, "calls answered by their callee")                          \
  X(calls_picked_up, "calls answered through Group Call Pickup")               \
  X(ended_hang_up, "calls ended by hang-up")                                   \
  X(ended_ring_timeout, "calls that rang out")                                 \
  X(ended_abandoned, "calls abandoned by the caller")                          \
  X(ended_callee_unreachable, "calls whose callee had no registration")        \
  X(ended_pool_down, "ringing calls lost with their pool")                     \
  X(ended_dropped_by_pool, "established calls ended by a pool event")          \
  X(queued_failed, "queued calls that failed (rang out or lost)")              \
  X(pickup_ok, "pickups that answered a call")                                 \
  X(pickup_picker_unregistered, "pickups failed: picker not registered")       \
  X(pickup_picker_in_resiliency, "pickups failed: picker in resiliency")       \
  X(pickup_pool_down, "pickups failed: range's pool down")                     \
  X(pickup_call_park_disabled, "pickups failed: Call Park not enabled")        \
  X(pickup_range_not_redirected, "pickups failed: range points elsewhere")     \
  X(pickup_callee_in_resiliency, "pickups failed: callee in resiliency")       \
  X(pickup_stale_entry, "pickups failed: only stale queue entries")            \
  X(pickup_no_call_ringing, "pickups failed: nothing ringing")                 \
  X(pickup_service_degraded, "pickups failed: service degraded")               \
  X(resiliency_attempts, "pickups involving a user in resiliency mode")        \
  X(resiliency_ok, "successful pickups involving a user in resiliency mode")   \
  X(eligible_attempts, "pickups where every rule held")                        \
  X(eligible_ok, "successful pickups where every rule held")                   \
  X(unredirected_attempts, "pickups whose range missed the callee's pool")     \
  X(unredirected_ok, "successful pickups whose range missed the callee")       \
  X(stale_attempts, "pickups aimed at a call queued before a transition")      \
  X(stale_ok, "pickups that answered a stale queue entry")                     \
  X(stale_entries, "queue entries made stale by a transition")                 \
  X(stale_left, "stale entries left after failover completed")                 \
  X(established_crossed, "established calls alive across a transition")        \
  X(established_dropped, "established calls dropped by a pool event")          \
  X(bystander_attempts, "eligible pickups between users at home")              \
  X(bystander_ok, "successful eligible pickups between users at home")         \
  X(bystander_calls_lost, "calls of users at home lost to pool events")        \
  X(registrations, "registrations admitted")                                   \
  X(registrations_resiliency, "registrations admitted in resiliency mode")     \
  X(registration_wait_us, "sum of request-to-admission waits (us)")            \
  X(registration_wait_max_us, "longest request-to-admission wait (us)")

enum class counter : std::uint16_t {
#define CALLDRILL_ENUM(name, help) name,
  CALLDRILL_COUNTERS(CALLDRILL_ENUM)
#undef CALLDRILL_ENUM
};

constexpr std::size_t counter_count = 0
#define CALLDRILL_COUNT(name, help) +1
  CALLDRILL_COUNTERS(CALLDRILL_COUNT)
#undef CALLDRILL_COUNT
  ;

std::string_view name(counter c);
std::string_view help(counter c);
/// Whether merging takes the maximum instead of the sum.
bool is_max(counter c);

/// The counter of a pickup result.
counter pickup_counter(pickup_result r);
/// The counter of a call's end cause.
counter end_counter(end_cause c);

using counter_row = std::array<std::uint64_t, counter_count>;

/// Call totals at one phase boundary, for the conservation check.
struct boundary_totals {
  std::uint64_t started = 0;
  std::uint64_t established = 0;
  std::uint64_t failed = 0;
  std::uint64_t abandoned = 0;
  std::uint64_t ringing = 0;
};

class observations {
public:
  observations() = default;
  explicit observations(std::size_t pairs)
    : cells_(pairs * column_count, counter_row{}) {}

  void add(pair_id p, column c, counter k, std::uint64_t n = 1) {
    cells_[index(p, c)][static_cast<std::size_t>(k)] += n;
  }
  void raise(pair_id p, column c, counter k, std::uint64_t v) {
    auto& slot = cells_[index(p, c)][static_cast<std::size_t>(k)];
    slot = v > slot ? v : slot;
  }
  std::uint64_t get(pair_id p, column c, counter k) const {
    return cells_[index(p, c)][static_cast<std::size_t>(k)];
  }
  /// Sum (or max) over every pair and column.
  std::uint64_t total(counter k) const;
  /// Sum (or max) over every column of one pair.
  std::uint64_t pair_total(pair_id p, counter k) const;

  std::size_t pairs() const { return cells_.size() / column_count; }

  /// Records the totals seen at boundary `i` (summed over actors on merge).
  void boundary(std::size_t i, const boundary_totals& t);
  const std::vector<boundary_totals>& boundaries() const { return bounds_; }

  void merge(const observations& other);

  // Raw access for serialization.
  std::vector<counter_row>& cells() { return cells_; }
  const std::vector<counter_row>& cells() const { return cells_; }
  std::vector<boundary_totals>& bounds() { return bounds_; }

private:
  std::size_t index(pair_id p, column c) const {
    return static_cast<std::size_t>(p) * column_count
           + static_cast<std::size_t>(c);
  }
  std::vector<counter_row> cells_;
  std::vector<boundary_totals> bounds_;
};

} // namespace calldrill
