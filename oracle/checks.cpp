// The checks of DOMAIN.md section 4. Each reads only observed counters: what
// pools, hosts and the registrar recorded as events happened. A cell whose
// column the pair never entered is not covered; a cell whose column was
// entered but saw no traffic fails the coverage check.
#include "oracle/checks.hpp"

#include "oracle/expect_checks.hpp"

#include <algorithm>
#include <sstream>

namespace calldrill {

std::string_view name(check_status s) {
  switch (s) {
    case check_status::pass:
      return "pass";
    case check_status::fail:
      return "fail";
    default:
      return "not_covered";
  }
}

const check_outcome* verdict::find(std::string_view id,
                                   std::string_view pair) const {
  for (const auto& c : checks)
    if (c.id == id && (pair.empty() || c.pair == pair))
      return &c;
  return nullptr;
}

namespace {

constexpr column table_columns[] = {column::failover_during,
                                    column::failover_after,
                                    column::failback_during,
                                    column::failback_after};

std::string num(std::uint64_t n) { return std::to_string(n); }

std::string ratio(std::uint64_t ok, std::uint64_t all) {
  return num(ok) + "/" + num(all);
}

/// What one pair's cell saw, and whether its column was ever entered.
struct cell_view {
  const observations& obs;
  pair_id pair;
  column col;
  bool entered;
  std::uint64_t operator[](counter k) const { return obs.get(pair, col, k); }
};

/// Whether pair `p` ever entered column `c` during the run.
bool entered(const run_result& r, pair_id p, column c) {
  return std::any_of(r.phases.begin(), r.phases.end(), [&](const phase_record& ph) {
    return ph.pair == p && column_of(ph.phase) == c;
  });
}

/// Whether the runbook redirected the pair's ranges in an *_after column.
bool redirected(const run_result& r, pair_id p, column c) {
  auto target = c == column::failover_after ? pair_phase::ranges_redirected
                                            : pair_phase::ranges_redirected_back;
  return std::any_of(r.phases.begin(), r.phases.end(), [&](const phase_record& ph) {
    return ph.pair == p && ph.phase == target;
  });
}

check_outcome cell_check(const std::string& row, const cell_view& v,
                         const std::string& pair) {
  check_outcome out;
  out.id = row + "." + std::string{name(v.col)};
  out.pair = pair;
  return out;
}

/// Settles a check from a violation flag and a traffic flag.
void settle(check_outcome& c, const cell_view& v, bool violated, bool traffic) {
  if (violated)
    c.status = check_status::fail;
  else if (!v.entered || !traffic)
    c.status = check_status::not_covered;
  else
    c.status = check_status::pass;
}

/// new_calls in a *_during column: GCP unavailable to users in resiliency.
check_outcome new_calls_during(const cell_view& v, const std::string& pair) {
  auto c = cell_check("new_calls", v, pair);
  c.expected = "no pickup succeeds with a picker or callee in resiliency mode";
  c.observed = ratio(v[counter::resiliency_ok], v[counter::resiliency_attempts])
               + " resiliency pickups succeeded";
  settle(c, v, v[counter::resiliency_ok] > 0,
         v[counter::resiliency_attempts] > 0);
  if (auto off = v[counter::pickup_call_park_disabled]; v.entered && off > 0)
    c.note = num(off) + " pickups failed because Call Park is not enabled on "
                        "the pool the range points at";
  return c;
}

/// Where the group ranges homed on the failed pool point at the end.
std::string range_note(const topology& t, const run_result& r, pair_id p) {
  std::ostringstream out;
  const auto& pr = t.pairs[p];
  for (std::size_t i = 0; i < t.ranges.size() && i < r.orbit_targets.size(); ++i) {
    const auto& rg = t.ranges[i];
    if (rg.type != range_type::group_pickup || (rg.owner != pr.a && rg.owner != pr.b))
      continue;
    auto target = r.orbit_targets[i];
    out << (out.tellp() > 0 ? ", " : "") << "range " << rg.identity
        << " points at "
        << (target == no_pool ? std::string{"nothing"} : t.pools[target].fqdn);
  }
  return out.str();
}

/// new_calls in a *_after column: GCP works only once ranges point at the
/// pool serving the users, and then for (nearly) every eligible attempt.
check_outcome new_calls_after(const cell_view& v, const std::string& pair,
                              double threshold, const std::string& ranges,
                              bool redirected) {
  auto c = cell_check("new_calls", v, pair);
  auto eligible = v[counter::eligible_attempts];
  auto eligible_ok = v[counter::eligible_ok];
  auto unredirected = v[counter::unredirected_attempts];
  auto unredirected_ok = v[counter::unredirected_ok];
  std::ostringstream exp;
  exp << "no pickup succeeds while the range misses the callee's pool; "
      << "once redirected, Call Park answers and eligible pickups succeed at "
         "ratio >= " << threshold;
  c.expected = exp.str();
  c.observed = ratio(eligible_ok, eligible) + " eligible ok, "
               + ratio(unredirected_ok, unredirected)
               + " succeeded with the range elsewhere, "
               + num(v[counter::pickup_call_park_disabled])
               + " found no Call Park";
  bool low = eligible > 0
             && static_cast<double>(eligible_ok)
                  < threshold * static_cast<double>(eligible);
  // Redirected, yet pickups find no Call Park where the range points: the
  // table's "GCP available" does not hold (Call Park must run in both pools).
  auto parkless = redirected ? v[counter::pickup_call_park_disabled] : 0;
  settle(c, v, unredirected_ok > 0 || low || parkless > 0,
         eligible + unredirected + parkless > 0);
  if (v.entered && unredirected > 0 && !redirected)
    c.note = "GCP stayed down for the failed pool's users: the runbook never "
             "redirected their ranges to the pool serving them (" + ranges
             + ")";
  if (auto off = v[counter::pickup_call_park_disabled]; v.entered && off > 0)
    c.note += std::string{c.note.empty() ? "" : "; "} + num(off)
              + " pickups failed because Call Park is not enabled on the pool "
                "the range points at (it must run in both pools of a pair)";
  return c;
}

/// queued_calls: entries from before a transition are never answered, and
/// after failover completes none remains.
check_outcome queued_calls(const cell_view& v, const std::string& pair) {
  auto c = cell_check("queued_calls", v, pair);
  auto stale_ok = v[counter::stale_ok];
  if (v.col == column::failover_after) {
    c.expected = "no stale queue entry remains after failover completes";
    c.observed = num(v[counter::stale_left]) + " stale entries left of "
                 + num(v[counter::stale_entries]) + ", "
                 + num(stale_ok) + " answered";
    settle(c, v, v[counter::stale_left] > 0 || stale_ok > 0,
           v[counter::stale_entries] > 0);
    return c;
  }
  c.expected = "no call queued before the transition is answered through GCP";
  c.observed = num(stale_ok) + " stale entries answered, "
               + num(v[counter::stale_attempts]) + " pickups aimed at them";
  settle(c, v, stale_ok > 0, v[counter::stale_attempts] > 0);
  return c;
}

/// established_calls: pool events never end an established call.
check_outcome established_calls(const cell_view& v, const std::string& pair) {
  auto c = cell_check("established_calls", v, pair);
  c.expected = "established calls stay connected (0 dropped by pool events)";
  c.observed = num(v[counter::established_dropped]) + " dropped of "
               + num(v[counter::established_crossed]) + " crossing";
  settle(c, v, v[counter::established_dropped] > 0,
         v[counter::established_crossed] > 0);
  return c;
}

check_outcome blast_radius(const run_result& r, double threshold) {
  const auto& o = r.obs;
  check_outcome c;
  c.id = "blast_radius";
  auto attempts = o.total(counter::bystander_attempts);
  auto ok = o.total(counter::bystander_ok);
  auto lost = o.total(counter::bystander_calls_lost);
  std::ostringstream exp;
  exp << "users at home on a live pool keep full service: eligible pickups "
         "ratio >= " << threshold << ", 0 calls lost to pool events";
  c.expected = exp.str();
  c.observed = ratio(ok, attempts) + " pickups ok, " + num(lost) + " calls lost";
  bool low = static_cast<double>(ok) < threshold * static_cast<double>(attempts);
  c.status = lost > 0 || low ? check_status::fail
             : attempts == 0 ? check_status::not_covered
                             : check_status::pass;
  return c;
}

check_outcome conservation(const run_result& r) {
  check_outcome c;
  c.id = "call_conservation";
  c.expected = "started = established + failed + abandoned + active at every "
               "phase boundary and at the end";
  const auto& b = r.obs.boundaries();
  std::size_t bad = 0;
  for (const auto& x : b)
    if (x.started != x.established + x.failed + x.abandoned + x.ringing)
      ++bad;
  auto end = b.empty() ? boundary_totals{} : b.back();
  c.observed = num(bad) + " of " + num(b.size()) + " boundaries off; at the end "
               + num(end.started) + " = " + num(end.established) + " + "
               + num(end.failed) + " + " + num(end.abandoned) + " + "
               + num(end.ringing);
  c.status = bad > 0 ? check_status::fail
             : b.empty() || end.started == 0 ? check_status::not_covered
                                             : check_status::pass;
  return c;
}

/// A cell check and whether its column was entered.
struct cell_result {
  check_outcome check;
  bool entered = false;
};

/// Every cell of every column a pair entered had traffic; something entered.
check_outcome coverage(const std::vector<cell_result>& cells) {
  check_outcome c;
  c.id = "coverage";
  c.expected = "every cell of every DR phase the run entered saw traffic";
  bool any_dr = false;
  std::vector<std::string> empty;
  for (const auto& cell : cells) {
    any_dr = any_dr || cell.entered;
    if (cell.entered && cell.check.status == check_status::not_covered)
      empty.push_back(cell.check.id + "@" + cell.check.pair);
  }
  if (!any_dr) {
    c.status = check_status::fail;
    c.observed = "no pair went through a DR phase: nothing was checked";
  } else if (!empty.empty()) {
    c.status = check_status::fail;
    c.observed = num(empty.size()) + " cells without traffic:";
    for (const auto& e : empty)
      c.observed += " " + e;
  } else {
    c.status = check_status::pass;
    c.observed = "every entered cell had traffic";
  }
  return c;
}

/// The twelve cell checks of one pair, row by row.
void pair_checks(const topology& t, const run_result& r, pair_id p,
                 double threshold, std::vector<cell_result>& out) {
  const auto& pair = t.pairs[p].name;
  auto ranges = range_note(t, r, p);
  for (int row = 0; row < 3; ++row)
    for (auto col : table_columns) {
      cell_view view{r.obs, p, col, entered(r, p, col)};
      bool during = col == column::failover_during
                    || col == column::failback_during;
      cell_result cell;
      cell.entered = view.entered;
      if (row == 0)
        cell.check = during ? new_calls_during(view, pair)
                            : new_calls_after(view, pair, threshold, ranges,
                                              redirected(r, p, col));
      else if (row == 1)
        cell.check = queued_calls(view, pair);
      else
        cell.check = established_calls(view, pair);
      if (!view.entered)
        cell.check.note = "the pair never entered this phase";
      out.push_back(std::move(cell));
    }
}

} // namespace

verdict evaluate(const topology& t, const scenario& s, const run_result& r) {
  const double threshold = s.expect.pickup_success_ratio_min;
  std::vector<cell_result> cells;
  for (std::size_t p = 0; p < t.pairs.size(); ++p)
    if (t.pairs[p].b != no_pool)
      pair_checks(t, r, static_cast<pair_id>(p), threshold, cells);
  verdict v;
  for (const auto& c : cells)
    v.checks.push_back(c.check);
  v.checks.push_back(blast_radius(r, threshold));
  v.checks.push_back(conservation(r));
  v.checks.push_back(coverage(cells));
  for (auto& c : expect_checks(s, r))
    v.checks.push_back(std::move(c));
  return v;
}

} // namespace calldrill
