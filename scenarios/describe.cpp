// Rendering a scenario's summary for `calldrill validate`.
#include "scenarios/describe.hpp"

#include "model/chaos.hpp"
#include "model/duration_text.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace calldrill {

namespace {

constexpr std::size_t actions_shown_max = 12;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

void pools(std::ostringstream& o, const scenario& s, const topology& t) {
  o << "topology: " << t.pools.size() << " pools, " << t.user_count()
    << " users, " << t.groups.size() << " pickup groups, " << t.ranges.size()
    << " orbit ranges\n";
  for (std::size_t i = 0; i < t.pools.size(); ++i) {
    const auto& p = t.pools[i];
    o << "  " << p.fqdn << (s.pools[i].site.empty() ? "" : " (" + s.pools[i].site + ")")
      << ": " << p.users << " users, "
      << (p.partner != no_pool ? "backup " + t.pools[p.partner].fqdn : "no backup")
      << ", Call Park " << (p.call_park_enabled ? "on" : "OFF") << ", "
      << num(p.registrations_per_second) << " registrations/s\n";
  }
  for (const auto& r : s.ranges)
    o << "  range " << r.identity << " " << r.start << ".." << r.end << " "
      << (r.type == range_type::group_pickup ? "GroupPickup" : "CallPark")
      << " -> " << r.call_park_service << "\n";
}

void traffic(std::ostringstream& o, const scenario& s) {
  double peak = 0;
  for (const auto& st : s.traffic.stages)
    peak = std::max(peak, st.rate_per_second);
  const auto& tr = s.traffic;
  o << "traffic: " << tr.stages.size() << " stage"
    << (tr.stages.size() == 1 ? "" : "s") << ", peak " << num(peak)
    << " calls/s (" << num(peak * 3600) << " BHCA); answer "
    << num(tr.answer_probability) << ", pickup try "
    << num(tr.pickup_probability) << ", ring timeout "
    << format_duration(tr.ring_timeout) << ", hold ~"
    << format_duration(tr.hold_mean) << "\n";
}

void drill(std::ostringstream& o, const scenario& s, const topology& t) {
  auto all = full_drill(s, t);
  o << "drill: " << s.drill.size() << " written action"
    << (s.drill.size() == 1 ? "" : "s");
  if (s.chaos.enabled)
    o << "; random chaos: " << s.chaos.outages << " outage"
      << (s.chaos.outages == 1 ? "" : "s") << " in "
      << format_duration(s.chaos.window_start) << ".."
      << format_duration(s.chaos.window_end) << ", forget probability "
      << num(s.chaos.forget_probability)
      << (s.run.seed_given ? ", expanded from seed " + std::to_string(s.run.seed)
                           : ", drawn from the run's seed (not fixed here: "
                             "shown for seed 0)");
  o << "\n";
  for (std::size_t i = 0; i < all.size() && i < actions_shown_max; ++i) {
    const auto& a = all[i];
    o << "  " << format_clock(a.at) << " " << name(a.kind) << " " << a.pool;
    if (!a.range.empty())
      o << " " << a.range;
    if (!a.new_fqdn.empty())
      o << " -> " << a.new_fqdn;
    if (a.where == s.chaos.where && s.chaos.enabled)
      o << "  (chaos)";
    o << "\n";
  }
  if (all.size() > actions_shown_max)
    o << "  ... " << all.size() - actions_shown_max << " more\n";
}

} // namespace

std::string describe(const scenario& s, const topology& t) {
  std::ostringstream o;
  o << "scenario: " << s.name << " (" << s.source << ")\n";
  pools(o, s, t);
  traffic(o, s);
  drill(o, s, t);
  o << "expect: pickup success ratio >= " << num(s.expect.pickup_success_ratio_min);
  if (s.expect.registration_storm_max.count() > 0)
    o << ", registration storm <= "
      << format_duration(s.expect.registration_storm_max);
  o << "\nrun: " << format_duration(s.run.duration) << " simulated, seed "
    << (s.run.seed_given ? std::to_string(s.run.seed) : "drawn at run time")
    << ", " << (s.run.clock == clock_kind::virtual_time ? "virtual" : "realtime")
    << " clock";
  if (s.run.clock == clock_kind::realtime)
    o << " at speed " << num(s.run.speed);
  if (!s.defects.empty()) {
    o << ", defects:";
    for (const auto& d : all_defects())
      if (s.defects.has(d.id))
        o << " " << d.name;
  }
  o << "\n";
  return o.str();
}

} // namespace calldrill
