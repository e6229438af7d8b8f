// The offered load: calls arrive as an open Poisson process at the traffic
// stages' rates, each to a callee drawn evenly from the estate, whatever the
// system does (DOMAIN.md section 3). The checker counts arrivals (calls
// started, and those the active-call limit refused) per second and per home
// pool of their callees, and at the end compares each stretch between
// changes of the stages or the world with what the stages offer in it. The
// bounds are six standard deviations and ten calls wide: a conforming run
// breaks one about once in a billion stretches, while a generator that
// pauses through a DR phase, runs at the wrong rate or shuns some users'
// calls is caught as soon as a stretch expects a few dozen calls.
#include "checker/replay.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

namespace calldrill::checking {

namespace {

/// Standard deviations a count may stray, and calls besides.
constexpr double spread = 6.0;
constexpr double slack_calls = 10.0;
/// How far past its arrival a call may start: the model's time resolution
/// rounds start instants up (10 ms); a tenth of a second leaves room.
constexpr double start_shift_s = 0.1;

std::int64_t second_of(sim_duration at) {
  return std::max<std::int64_t>(0, at.count() / 1'000'000);
}

/// A count or an expectation, rounded to a whole number.
std::string count_text(double n) {
  return std::to_string(static_cast<long long>(std::llround(n)));
}

/// A share in per cent, to three significant digits.
std::string percent_text(double share) {
  std::ostringstream out;
  out << std::setprecision(3) << 100 * share;
  return out.str();
}

} // namespace

void replay::count_arrival(const fact& f) {
  ++run.arrivals;
  // Seconds are counted one by one up to the run's length (a stored history
  // may say anything: its facts' instants must not size the table).
  auto s = static_cast<std::size_t>(second_of(f.at));
  if (s > static_cast<std::size_t>(second_of(scn.run.duration)) + 1) {
    ++arrivals_later;
  } else {
    if (s >= arrivals_per_second.size())
      arrivals_per_second.resize(s + 1, 0);
    ++arrivals_per_second[s];
  }
  if (f.user < topo.user_count())
    ++arrivals_by_home[rep.home_of(f.user)];
}

void replay::count_dial(const fact& f) {
  if (f.group >= topo.groups.size() || topo.user_count() < 2)
    return;
  const auto& g = topo.groups[f.group];
  // The caller's callee is a member and never picks its own call up: the
  // others are size - 1 of the estate's other users.
  double others = g.size > 1 ? g.size - 1.0 : 0.0;
  double by_member = g.size > 1 ? scn.traffic.pickup_by_member : 0.0;
  double p = by_member + (1 - by_member) * others / (topo.user_count() - 1.0);
  ++run.dials;
  members_expected += p;
  members_variance += p * (1 - p);
  if (f.user >= g.first_member && f.user < g.first_member + g.size)
    dials_by_member += 1;
}

void replay::note_world_change(sim_duration at) {
  auto s = second_of(at);
  if (world_seconds.empty() || world_seconds.back() != s)
    world_seconds.push_back(s);
}

void replay::look_load(sim_duration until, sim_duration end) {
  const auto& stages = scn.traffic.stages;
  const double end_s = std::max(0.0, to_seconds(until));
  // The calls the stages offer in [a, b) seconds, and the peak rate.
  auto offered = [&](double a, double b) {
    double n = 0, from = 0;
    for (const auto& st : stages) {
      double to = from + to_seconds(st.duration);
      double lo = std::max(a, from), hi = std::min(b, to);
      if (hi > lo)
        n += st.rate_per_second * (hi - lo);
      from = to;
    }
    return n;
  };
  double peak = 0;
  for (const auto& st : stages)
    peak = std::max(peak, st.rate_per_second);
  // The summary's offer runs to the end; the stretches judged end with the
  // last whole second before `until` (in realtime, what was due within the
  // tolerance before the end may not have happened yet).
  run.arrivals_expected = offered(0, std::max(0.0, to_seconds(end)));
  // Stretches: whole seconds, cut where a stage ends or the world changed.
  std::vector<std::int64_t> cuts{0};
  double from = 0;
  for (const auto& st : stages) {
    from += to_seconds(st.duration);
    cuts.push_back(static_cast<std::int64_t>(std::floor(from)));
  }
  cuts.insert(cuts.end(), world_seconds.begin(), world_seconds.end());
  auto last = static_cast<std::int64_t>(std::floor(end_s));
  cuts.push_back(last);
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  const double shift = 2 * peak * start_shift_s;
  for (std::size_t i = 0; i + 1 < cuts.size() && cuts[i] < last; ++i) {
    auto a = cuts[i], b = std::min(cuts[i + 1], last);
    double n = 0;
    for (auto s = a; s < b; ++s)
      if (static_cast<std::size_t>(s) < arrivals_per_second.size())
        n += arrivals_per_second[static_cast<std::size_t>(s)];
    double lambda = offered(static_cast<double>(a), static_cast<double>(b));
    double bound = spread * std::sqrt(lambda) + slack_calls + shift;
    if (std::abs(n - lambda) > bound)
      run.load.add("from " + at_text(std::chrono::seconds{a}) + " to "
                   + at_text(std::chrono::seconds{b}) + " " + count_text(n)
                   + " calls arrived; the stages offer "
                   + count_text(lambda) + " (at most " + count_text(bound)
                   + " off)");
  }
  // Arrivals after the end.
  auto beyond = static_cast<double>(arrivals_later);
  for (auto s = static_cast<std::size_t>(
         std::ceil(std::max(0.0, to_seconds(end))));
       s < arrivals_per_second.size(); ++s)
    beyond += arrivals_per_second[s];
  if (beyond > slack_calls + shift)
    run.load.add(count_text(beyond) + " calls arrived after the run's end at "
                 + at_text(end));
  // Pickers: members of the group at pickup.by_member's share.
  if (run.dials > 0) {
    double bound = spread * std::sqrt(members_variance) + slack_calls;
    if (std::abs(dials_by_member - members_expected) > bound)
      run.load.add("members of the group dialled " + count_text(dials_by_member)
                   + " of the " + std::to_string(run.dials) + " pickups; pickup."
                     "by_member makes " + count_text(members_expected)
                   + " expected (at most " + count_text(bound) + " off)");
  }
  // Callees: each pool's users get their share of the calls.
  double all = 0;
  for (auto n : arrivals_by_home)
    all += static_cast<double>(n);
  const double users = topo.user_count();
  if (users <= 0)
    return;
  for (std::size_t p = 0; p < topo.pools.size(); ++p) {
    double share = topo.pools[p].users / users;
    double mean = all * share;
    double bound = spread * std::sqrt(mean * (1 - share)) + slack_calls;
    double n = static_cast<double>(arrivals_by_home[p]);
    if (std::abs(n - mean) > bound)
      run.load.add("users homed on " + topo.pools[p].fqdn + " ("
                   + percent_text(share) + " % of the estate) were called "
                   + count_text(n) + " times of " + count_text(all) + "; "
                   + count_text(mean) + " expected (at most "
                   + count_text(bound) + " off)");
  }
}

} // namespace calldrill::checking
