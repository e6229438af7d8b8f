// The pickup rules of DOMAIN.md section 3, as pure functions, with the
// deliberate defects that bend them. The pool actor applies them; tests pin
// them; the checker decides the verdict with its own reading, not these.
#pragma once

#include "model/defects.hpp"
#include "model/pickup_queue.hpp"
#include "model/types.hpp"

namespace calldrill {

/// What the pool the group's range points at knows when a pickup arrives,
/// before it looks at its queue.
struct pickup_context {
  bool pool_up = true;
  bool call_park_enabled = true;
  user_mode picker_mode = user_mode::normal;
  bool bystander_degraded = false; ///< the degrade-bystanders defect applies
};

/// Rules 1 (for the picker) and 2 (for the pool): the cause that fails the
/// pickup before the queue is searched, or pickup_result::ok when the queue
/// decides.
pickup_result check_pickup(const pickup_context& c, const defect_set& d);

/// What the pool knows of one queue entry's callee now.
struct entry_context {
  bool served_here = true;  ///< rule 2: this pool's registrar holds the callee
  user_mode callee_mode = user_mode::normal;
  bool callee_affected = false; ///< homed on the failed pool of its pair
  std::uint32_t epoch = 0;  ///< the callee's pair epoch now
};

/// Rules 1-3 for one entry: pickup_result::ok when it may be answered, or
/// why not (range_not_redirected, callee_in_resiliency, stale_entry). An
/// affected user's entry from an earlier epoch, or entered while the callee
/// was in resiliency, is never answerable; a bystander's entry is not
/// touched by the partner's transitions.
pickup_result entry_refusal(const queue_entry& e, const entry_context& c,
                            const defect_set& d);

inline bool answerable(const queue_entry& e, const entry_context& c,
                       const defect_set& d) {
  return entry_refusal(e, c, d) == pickup_result::ok;
}

} // namespace calldrill
