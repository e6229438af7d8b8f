// The registration storm check: no client waits longer than the scenario's
// expect.registration_storm_max between asking a pool to register it and
// being admitted. Injects nothing; does not check when the storm happened.
#include "oracle/expect_checks.hpp"

#include "model/duration_text.hpp"

namespace calldrill {

std::vector<check_outcome> expect_checks(const scenario& s,
                                         const run_result& r) {
  std::vector<check_outcome> out;
  auto limit = s.expect.registration_storm_max;
  if (limit.count() <= 0)
    return out;
  check_outcome c;
  c.id = "registration_storm";
  c.expected = "no client waits more than " + format_duration(limit)
               + " to be admitted by a registrar";
  auto registrations = r.obs.total(counter::registrations);
  auto longest = sim_duration{static_cast<sim_duration::rep>(
    r.obs.total(counter::registration_wait_max_us))};
  c.observed = "longest wait "
               + format_duration(std::chrono::duration_cast<std::chrono::seconds>(longest)) + " over "
               + std::to_string(registrations) + " registrations";
  c.status = longest > limit       ? check_status::fail
             : registrations == 0 ? check_status::not_covered
                                  : check_status::pass;
  if (c.status == check_status::fail)
    c.note = "a backup pool admitted failed-over users too slowly: raise its "
             "registrations_per_second or spread the load";
  out.push_back(std::move(c));
  return out;
}

} // namespace calldrill
