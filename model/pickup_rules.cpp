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
  if (!c.callee_served_here)
    return pickup_result::range_not_redirected;
  if (c.callee_mode == user_mode::resiliency && !resiliency_ok)
    return pickup_result::callee_in_resiliency;
  if (c.bystander_degraded)
    return pickup_result::service_degraded;
  return pickup_result::ok;
}

bool answerable(const queue_entry& e, std::uint32_t epoch,
                user_mode callee_mode_now, const defect_set& d) {
  const bool fresh = e.epoch == epoch || d.has(defect::answer_stale_queue);
  const bool out_of_resiliency
    = (!e.entered_in_resiliency && callee_mode_now == user_mode::normal)
      || (d.has(defect::pickup_in_resiliency)
          && callee_mode_now != user_mode::unregistered);
  return fresh && out_of_resiliency;
}

} // namespace calldrill
