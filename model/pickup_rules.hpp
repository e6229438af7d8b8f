// The pickup rules of DOMAIN.md section 3, as pure functions, with the
// deliberate defects that bend them. The pool actor applies them; tests pin
// them; the oracle checks outcomes against observed facts, not against these.
#pragma once

#include "model/defects.hpp"
#include "model/pickup_queue.hpp"
#include "model/types.hpp"

namespace calldrill {

/// What the pool the group's range points at knows when a pickup arrives.
struct pickup_context {
  bool pool_up = true;
  bool call_park_enabled = true;
  user_mode picker_mode = user_mode::normal;
  bool callee_served_here = true; ///< rule 2: this pool serves the callee
  user_mode callee_mode = user_mode::normal;
  bool bystander_degraded = false; ///< the degrade-bystanders defect applies
};

/// Rules 1 and 2: the cause that fails the pickup before the queue is
/// searched, or pickup_result::ok when the queue decides.
pickup_result check_pickup(const pickup_context& c, const defect_set& d);

/// Rule 3: whether an entry may be answered, given the pair's current epoch
/// and the callee's mode now.
bool answerable(const queue_entry& e, std::uint32_t epoch,
                user_mode callee_mode_now, const defect_set& d);

/// Rule 3 without defects: the honest answer, recorded as a fact.
inline bool answerable_by_rules(const queue_entry& e, std::uint32_t epoch,
                                user_mode callee_mode_now) {
  return answerable(e, epoch, callee_mode_now, defect_set{});
}

} // namespace calldrill
