// The ranges of a fact's fields, per kind, as history/fact.hpp documents them.
#include "history/fact_bounds.hpp"

#include "model/scenario.hpp"

namespace calldrill {

namespace {

struct bounds {
  const fact& f;
  const topology& t;
  std::string why;

  void pool(pool_id p, const char* field, bool optional) {
    if (why.empty() && !(p < t.pools.size() || (optional && p == no_pool)))
      why = std::string{field} + " " + std::to_string(p) + " is not a pool";
  }
  void user() {
    if (why.empty() && f.user >= t.user_count())
      why = "user " + std::to_string(f.user) + " is not a user";
  }
  void group(std::size_t count, const char* what, bool optional) {
    if (why.empty() && !(f.group < count || (optional && f.group == no_group)))
      why = "group " + std::to_string(f.group) + " is not a " + what;
  }
  void code(std::size_t count) {
    if (why.empty() && f.code >= count)
      why = "code " + std::to_string(f.code) + " is out of range";
  }
};

} // namespace

std::string out_of_bounds(const fact& f, const topology& t) {
  bounds b{f, t, {}};
  switch (f.kind) {
    case fact_kind::pool_down:
    case fact_kind::pool_up:
    case fact_kind::call_park_on:
    case fact_kind::call_park_off:
    case fact_kind::regs_lost:
      b.pool(f.pool, "pool", false);
      break;
    case fact_kind::orbit_set:
      b.group(t.ranges.size(), "range", false);
      b.pool(f.pool, "pool", true);
      break;
    case fact_kind::pair_phase:
      b.group(t.pairs.size(), "pair", false);
      b.code(pair_phase_count);
      b.pool(f.pool, "pool", true);
      break;
    case fact_kind::action:
      b.code(action_kind_count);
      b.pool(f.pool, "pool", true);
      break;
    case fact_kind::reg_requested:
    case fact_kind::reg_admitted:
    case fact_kind::reg_dropped:
    case fact_kind::reg_confirmed:
      b.user();
      b.pool(f.pool, "pool", false);
      break;
    case fact_kind::call_started:
      b.user();
      b.group(t.groups.size(), "pickup group", true);
      b.pool(f.pool, "pool", true);
      break;
    case fact_kind::call_refused:
      b.user();
      break;
    case fact_kind::call_queued:
      b.user();
      b.group(t.groups.size(), "pickup group", false);
      b.pool(f.pool, "pool", false);
      break;
    case fact_kind::call_dequeued:
      b.group(t.groups.size(), "pickup group", false);
      b.pool(f.pool, "pool", false);
      break;
    case fact_kind::call_established:
      b.code(2);
      break;
    case fact_kind::call_ended:
      b.code(end_cause_count);
      break;
    case fact_kind::pickup_dialed:
      b.user();
      b.group(t.groups.size(), "pickup group", true);
      b.pool(f.pool, "pool", true);
      b.pool(f.pool2, "pool2", true);
      break;
    case fact_kind::pickup_done:
      b.code(pickup_result_count);
      b.pool(f.pool, "pool", true);
      break;
    case fact_kind::run_end:
      break;
    case fact_kind::clock_lag:
      if (f.value < 0)
        b.why = "a negative lateness";
      break;
  }
  return b.why;
}

} // namespace calldrill
