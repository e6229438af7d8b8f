// A DR rehearsal's own checks per pair: the runbook left every pickup range
// where its members are served, the RTO and GCP outage stayed within the
// scenario's limits, and users came back (registered, out of resiliency)
// within what their clients' settings allow.
#include "checker/outcomes.hpp"

#include "model/duration_text.hpp"

#include <sstream>

namespace calldrill::checking {

namespace {

std::string secs(double s) {
  return format_duration(from_seconds(s < 0 ? 0 : s));
}

check_outcome runbook(const outcome_inputs& in, pair_id p) {
  const auto& pt = in.pairs[p];
  check_outcome c;
  c.id = "runbook";
  c.pair = in.topo.pairs[p].name;
  c.expected = "before failback and at the end, every GroupPickup range "
               "points at the pool serving most of its members, with Call "
               "Park enabled there";
  c.observed = std::to_string(pt.runbook.count) + " misplaced ranges at "
               + std::to_string(pt.runbook_looks) + " looks";
  c.observed_value = static_cast<double>(pt.runbook.count);
  c.threshold = 0;
  c.status = pt.runbook.count > 0   ? check_status::fail
             : pt.runbook_ranges > 0 ? check_status::pass
                                     : check_status::not_covered;
  for (const auto& l : pt.runbook.lines)
    c.evidence.push_back(l);
  if (!pt.runbook.lines.empty())
    c.note = pt.runbook.lines.front();
  else if (pt.runbook_cut_short)
    c.note = "the run ended before the runbook's last steps: the end state "
             "is not judged";
  return c;
}

check_outcome rto(const outcome_inputs& in, pair_id p) {
  const auto& f = in.pairs[p].figures;
  auto limit = to_seconds(in.scn.expect.rto_max);
  check_outcome c;
  c.id = "rto";
  c.pair = in.topo.pairs[p].name;
  c.expected = "failover completes within " + secs(limit) + " of the outage";
  c.threshold = limit;
  auto end = to_seconds(in.run.end);
  if (f.rto >= 0) {
    c.observed = "failover complete " + secs(f.rto) + " after the outage";
    c.observed_value = f.rto;
    c.status = f.rto > limit ? check_status::fail : check_status::pass;
  } else if (end - f.outage_at > limit) {
    c.observed = "failover never completed, " + secs(end - f.outage_at)
                 + " after the outage";
    c.observed_value = end - f.outage_at;
    c.status = check_status::fail;
  } else {
    c.observed = "the run ended before failover completed";
    c.status = check_status::not_covered;
  }
  return c;
}

check_outcome gcp_outage(const outcome_inputs& in, pair_id p) {
  const auto& f = in.pairs[p].figures;
  auto limit = to_seconds(in.scn.expect.gcp_outage_max);
  check_outcome c;
  c.id = "gcp_outage";
  c.pair = in.topo.pairs[p].name;
  c.expected = "GCP unavailable to the affected users for at most "
               + secs(limit) + " in all";
  c.observed = "GCP unavailable for " + secs(f.gcp_down_total);
  c.observed_value = f.gcp_down_total;
  c.threshold = limit;
  c.status = f.gcp_down_total > limit ? check_status::fail : check_status::pass;
  return c;
}

check_outcome recovery(const outcome_inputs& in, pair_id p) {
  const auto& pt = in.pairs[p];
  check_outcome c;
  c.id = "registration_recovery";
  c.pair = in.topo.pairs[p].name;
  c.expected = "after a pool comes back and after each completed failover or "
               "failback, every user whose pool is up is registered, out of "
               "resiliency, within the clients' detection, refresh and "
               "admission times";
  c.observed = std::to_string(pt.recovery.count) + " users left behind at "
               + std::to_string(pt.recovery_checked) + " looks";
  c.observed_value = static_cast<double>(pt.recovery.count);
  c.threshold = 0;
  c.status = pt.recovery.count > 0  ? check_status::fail
             : pt.recovery_checked > 0 ? check_status::pass
                                       : check_status::not_covered;
  for (const auto& l : pt.recovery.lines)
    c.evidence.push_back(l);
  return c;
}

check_outcome storm(const outcome_inputs& in) {
  auto limit = in.scn.expect.registration_storm_max;
  check_outcome c;
  c.id = "registration_storm";
  c.expected = "no client waits more than " + format_duration(limit)
               + " to be admitted by a registrar";
  auto longest = in.run.longest_registration_wait;
  c.observed = "longest wait "
               + format_duration(std::chrono::duration_cast<std::chrono::seconds>(longest))
               + " over " + std::to_string(in.run.registrations)
               + " registrations";
  c.observed_value = to_seconds(longest);
  c.threshold = to_seconds(limit);
  c.status = longest > limit              ? check_status::fail
             : in.run.registrations == 0 ? check_status::not_covered
                                         : check_status::pass;
  if (c.status == check_status::fail)
    c.note = "a backup pool admitted failed-over users too slowly: raise its "
             "registrations_per_second or spread the load";
  return c;
}

} // namespace

std::vector<check_outcome> pair_runbook_checks(const outcome_inputs& in,
                                               pair_id p) {
  std::vector<check_outcome> out;
  const auto& pt = in.pairs[p];
  if (pt.recovery_checked > 0 || pt.recovery.count > 0)
    out.push_back(recovery(in, p));
  if (in.topo.pairs[p].b != no_pool && pt.figures.outage) {
    out.push_back(runbook(in, p));
    out.push_back(rto(in, p));
    if (in.scn.expect.gcp_outage_max.count() > 0)
      out.push_back(gcp_outage(in, p));
  }
  if (static_cast<std::size_t>(p) + 1 == in.topo.pairs.size()
      && in.scn.expect.registration_storm_max.count() > 0)
    out.push_back(storm(in));
  return out;
}

} // namespace calldrill::checking
