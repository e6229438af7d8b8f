// The table of deliberate defects and their command-line names.
#include "model/defects.hpp"

namespace calldrill {

const std::vector<defect_info>& all_defects() {
  static const std::vector<defect_info> table{
    {defect::drop_established_on_failover, "drop-established-on-failover",
     "established calls of a failed pool's users end when it fails"},
    {defect::pickup_in_resiliency, "pickup-in-resiliency",
     "users in resiliency mode can pick up and be picked up"},
    {defect::answer_stale_queue, "answer-stale-queue",
     "queue entries from before a DR transition, or queued while the "
     "callee was in resiliency, stay answerable"},
    {defect::keep_stale_queue, "keep-stale-queue",
     "stale queue entries survive failover completion"},
    {defect::ignore_orbit_target, "ignore-orbit-target",
     "pickup works wherever the group's orbit range points"},
    {defect::degrade_bystanders, "degrade-bystanders",
     "the backup pool's own users lose pickup during failover"},
  };
  return table;
}

std::optional<defect> parse_defect(std::string_view text) {
  for (const auto& d : all_defects())
    if (d.name == text)
      return d.id;
  return std::nullopt;
}

std::string_view name(defect d) {
  return all_defects()[static_cast<std::size_t>(d)].name;
}

} // namespace calldrill
