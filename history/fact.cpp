// Names of fact kinds, as the history file's documentation and the checker's
// evidence print them.
#include "history/fact.hpp"

#include <array>

namespace calldrill {

std::string_view name(fact_kind k) {
  static constexpr std::array<std::string_view, fact_kind_count> names{
    "pool_down",     "pool_up",       "call_park_on",     "call_park_off",
    "orbit_set",     "pair_phase",    "action",           "reg_requested",
    "reg_admitted",  "reg_dropped",   "regs_lost",        "reg_confirmed",
    "call_started",  "call_queued",   "call_dequeued",    "call_established",
    "call_ended",    "pickup_dialed", "pickup_done",      "run_end",
    "clock_lag",     "call_refused"};
  auto i = static_cast<std::size_t>(k);
  return i < names.size() ? names[i] : std::string_view{"unknown"};
}

} // namespace calldrill
