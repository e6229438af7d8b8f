// Runs a scenario with the checker attached to its history, then compares
// the two witnesses: the live counters and the history's counts.
#include "oracle/checks.hpp"

#include "history/sink.hpp"
#include "model/chaos.hpp"

namespace calldrill {

checked_run run_checked(std::shared_ptr<const scenario> s,
                        std::shared_ptr<const topology> topo, run_hooks hooks,
                        fact_sink* also) {
  history_checker checker{topo, *s};
  checker.expect_timeline(full_drill(*s, *topo));
  tee_sink tee;
  tee.add(&checker);
  if (also != nullptr)
    tee.add(also);
  hooks.history = &tee;
  checked_run out;
  out.result = run_scenario(s, topo, std::move(hooks));
  out.report = checker.finish();
  out.disagreements = disagreements(out.result, out.report.counts);
  return out;
}

std::vector<std::string> disagreements(const run_result& r,
                                       const history_counts& h) {
  std::vector<std::string> out;
  const auto& o = r.obs;
  auto compare = [&](const std::string& what, std::uint64_t counted,
                     std::uint64_t recorded) {
    if (counted != recorded)
      out.push_back(what + ": counters " + std::to_string(counted)
                    + ", history " + std::to_string(recorded));
  };
  compare("calls started", o.total(counter::calls_started), h.calls_started);
  compare("calls refused", o.total(counter::calls_not_started), h.calls_refused);
  compare("calls answered", o.total(counter::calls_answered), h.calls_answered);
  compare("calls picked up", o.total(counter::calls_picked_up),
          h.calls_picked_up);
  for (std::size_t c = 0; c < end_cause_count; ++c) {
    auto cause = static_cast<end_cause>(c);
    compare("calls ended " + std::string{name(cause)},
            o.total(end_counter(cause)), h.ended[c]);
  }
  for (std::size_t p = 0; p < pickup_result_count; ++p) {
    auto res = static_cast<pickup_result>(p);
    compare("pickups " + std::string{name(res)}, o.total(pickup_counter(res)),
            h.pickups[p]);
  }
  compare("registrations", o.total(counter::registrations), h.registrations);
  return out;
}

} // namespace calldrill
