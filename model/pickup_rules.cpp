// Rules 1-3 of a Group Call Pickup, in the order their causes are reported.
#include "model/pickup_rules.hpp"

namespace calldrill {

pickup_result check_pickup(const pickup_context& c, const defect_set& d) {
  const bool resiliency_ok = d.has(defect::pickup_in_resiliency);
  if (c.picker_mode == user_mode::unregistered)
    return pickup_result::picker_unregistered;
  if (c.picker_mode == user_mode::resiliency && !resiliency_ok)
    return pickup_result::picker_in_resiliency;
  if (!c.pool_up)
    return pickup_result::pool_down;
  if (!c.call_park_enabled)
    return pickup_result::call_park_disabled;
  if (c.bystander_degraded)
    return pickup_result::service_degraded;
  return pickup_result::ok;
}

pickup_result entry_refusal(const queue_entry& e, const entry_context& c,
                            const defect_set& d) {
  if (!c.served_here || c.callee_mode == user_mode::unregistered)
    return pickup_result::range_not_redirected;
  const bool resiliency_ok = d.has(defect::pickup_in_resiliency);
  const bool stale_ok = d.has(defect::answer_stale_queue) || resiliency_ok;
  if (c.callee_mode == user_mode::resiliency && !resiliency_ok)
    return pickup_result::callee_in_resiliency;
  // Rule 3: queued while the callee was in resiliency, or before the last
  // transition of an affected user's pair: never answerable.
  if (e.entered_in_resiliency && !stale_ok)
    return pickup_result::stale_entry;
  if (c.callee_affected && e.epoch != c.epoch && !stale_ok)
    return pickup_result::stale_entry;
  return pickup_result::ok;
}

} // namespace calldrill
