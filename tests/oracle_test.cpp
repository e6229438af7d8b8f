// The checker passes the conforming system and catches every deliberate
// defect with the check the defect breaks, from the history alone.
#include "oracle/checks.hpp"
#include "model/duration_text.hpp"
#include "small_drill.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

using namespace calldrill;
using namespace calldrill::testing;

namespace {

std::set<std::string> failing(const scenario& s) {
  auto r = check(s);
  std::set<std::string> out;
  for (const auto& c : r.v().checks)
    if (c.status == check_status::fail)
      out.insert(c.id);
  EXPECT_TRUE(r.disagreements.empty());
  return out;
}

scenario with(defect d, scenario s = small_drill()) {
  s.defects.add(d);
  return s;
}

/// The small drill cut after failover completes (no failback).
scenario failover_only() {
  auto s = small_drill();
  s.drill.resize(4);
  s.run.duration = std::chrono::minutes{10};
  return s;
}

/// The small drill whose runbook never redirects the ranges.
scenario no_redirect() {
  auto s = small_drill();
  s.drill.erase(s.drill.begin() + 7);
  s.drill.erase(s.drill.begin() + 3);
  return s;
}

std::string text(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s)
    out += x + " ";
  return out;
}

/// The least count the history gives witness `w` in column `c` of pair 0.
std::uint64_t least(const history_counts& h, witnessed w, column c) {
  return h.cells[static_cast<std::size_t>(c)].lo[static_cast<std::size_t>(w)];
}

/// Pair 0's live counter `k` in column `c` of a run's result.
std::uint64_t& live_cell(run_result& run, column c, counter k) {
  return run.obs.cells()[static_cast<std::size_t>(c)][static_cast<std::size_t>(k)];
}

} // namespace

TEST(Checker, ConformingSystemPassesEveryCheck) {
  auto r = check(small_drill());
  for (const auto& c : r.v().checks) {
    SCOPED_TRACE(c.id + " " + c.pair + ": " + c.observed);
    EXPECT_NE(c.status, check_status::fail);
  }
  EXPECT_TRUE(r.v().pass());
  EXPECT_TRUE(r.disagreements.empty());
  for (auto id : {"runbook", "rto", "registration_recovery", "coverage"}) {
    const auto* c = r.v().find(id);
    ASSERT_NE(c, nullptr) << id;
    EXPECT_EQ(c->status, check_status::pass) << id;
  }
}

TEST(Checker, DropEstablishedOnFailoverIsCaught) {
  auto f = failing(with(defect::drop_established_on_failover));
  EXPECT_EQ(f, (std::set<std::string>{"established_calls.failover_during"}))
    << text(f);
}

TEST(Checker, PickupInResiliencyIsCaught) {
  auto f = failing(with(defect::pickup_in_resiliency));
  EXPECT_TRUE(f.count("new_calls.failover_during")) << text(f);
  EXPECT_TRUE(f.count("new_calls.failback_during")) << text(f);
}

TEST(Checker, AnswerStaleQueueIsCaughtWhereStaleEntriesMeetTheirRange) {
  // Ranges never moved: after failback, calls queued at home while their
  // callees were still in resiliency meet pickups through the range.
  auto f = failing(with(defect::answer_stale_queue, no_redirect()));
  EXPECT_TRUE(f.count("queued_calls.failback_after")) << text(f);
}

TEST(Checker, KeepStaleQueueIsCaught) {
  auto f = failing(with(defect::keep_stale_queue));
  EXPECT_TRUE(f.count("queued_calls.failover_after")) << text(f);
}

TEST(Checker, IgnoreOrbitTargetIsCaughtWhenRunbookSkipsRedirect) {
  auto f = failing(with(defect::ignore_orbit_target, no_redirect()));
  EXPECT_TRUE(f.count("new_calls.failover_after")) << text(f);
}

TEST(Checker, DegradeBystandersIsCaught) {
  auto f = failing(with(defect::degrade_bystanders));
  // Refused bystanders, with a cause that is no rule of the table.
  EXPECT_EQ(f, (std::set<std::string>{"blast_radius", "failure_causes"}))
    << text(f);
}

TEST(Checker, RunbookWithoutRedirectFailsTheRunbookAndSaysGcpStayedDown) {
  auto r = check(no_redirect());
  auto f = std::set<std::string>{};
  for (const auto& c : r.v().checks)
    if (c.status == check_status::fail)
      f.insert(c.id);
  EXPECT_EQ(f, (std::set<std::string>{"runbook"})) << text(f);
  const auto* c = r.v().find("new_calls.failover_after");
  ASSERT_NE(c, nullptr);
  EXPECT_NE(c->note.find("GCP stayed down"), std::string::npos);
  EXPECT_NE(r.v().find("runbook")->note.find(
              "Set-CsCallParkOrbit -Identity \"ra\" -CallParkService "
              "\"ApplicationServer:b.test\""),
            std::string::npos);
}

TEST(Checker, NoDrEventMeansCoverageFails) {
  auto s = small_drill();
  s.drill.clear();
  auto r = check(s);
  EXPECT_FALSE(r.v().pass());
  EXPECT_EQ(r.v().find("coverage")->status, check_status::fail);
}

TEST(Checker, PhaseWithoutTrafficFailsCoverage) {
  auto s = small_drill();
  s.traffic.stages = {{std::chrono::minutes{4}, 6.0}}; // traffic stops early
  auto r = check(s);
  EXPECT_EQ(r.v().find("coverage")->status, check_status::fail);
  EXPECT_NE(r.v().find("coverage")->observed.find("new_calls.failover_during"),
            std::string::npos);
}

TEST(Checker, CellsOfPhasesNeverEnteredAreNotCovered) {
  auto r = check(failover_only());
  EXPECT_TRUE(r.v().pass());
  EXPECT_EQ(r.v().find("new_calls.failback_during")->status,
            check_status::not_covered);
}

// The live counters feed each pair's metrics; the history's counts, filed by
// the callee's or the user's home pair, must match them pair by pair.
TEST(Witnesses, CountsAgreePairByPairAndACountFiledUnderTheWrongPairDisagrees) {
  auto r = check(small_drill());
  ASSERT_TRUE(r.disagreements.empty());
  auto h = r.report.counts;
  ASSERT_EQ(h.pairs.size(), 2u);
  std::uint64_t started = 0;
  for (const auto& p : h.pairs) {
    EXPECT_GT(p.calls_started, 0u);
    started += p.calls_started;
  }
  EXPECT_EQ(started, h.calls_started);
  EXPECT_GT(h.pairs[0].registrations, 0u);
  // One started call filed under the other pair: every total still agrees.
  --h.pairs[0].calls_started;
  ++h.pairs[1].calls_started;
  auto d = disagreements(r.result, h);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].rfind("pair 0: calls started", 0), 0u) << d[0];
  EXPECT_EQ(d[1].rfind("pair 1: calls started", 0), 0u) << d[1];
}

// The live counters are kept per pair and column of the table, and the
// metrics show every cell. The history bounds each cell of each counter it
// can: a count in the wrong column, or a counter that misses what the
// history shows (queued calls lost with their pool, established calls
// across a transition), reads outside its bounds.
TEST(Witnesses, EveryCellLiesWithinTheHistorysBoundsAndACountInTheWrongColumnDoesNot) {
  auto r = check(small_drill());
  ASSERT_TRUE(r.disagreements.empty());
  const auto& h = r.report.counts;
  ASSERT_EQ(h.cells.size(), 2 * column_count);
  auto at = [&](witnessed w, column c) { return least(h, w, c); };
  // Not vacuous: the outage loses queued calls and established calls cross it.
  EXPECT_GT(at(witnessed::queued_failed, column::failover_during), 0u);
  EXPECT_GT(at(witnessed::established_crossed, column::failover_during), 0u);
  EXPECT_GT(at(witnessed::calls_started, column::failover_after), 0u);
  // Failover completion purges the affected users' stale entries: counted
  // first, none left after.
  EXPECT_GT(at(witnessed::stale_entries, column::failover_after), 0u);
  EXPECT_EQ(r.result.obs.get(0, column::failover_after, counter::stale_left), 0u);

  auto moved = r.result;
  --live_cell(moved, column::failover_during, counter::established_crossed);
  ++live_cell(moved, column::failover_after, counter::established_crossed);
  auto d = disagreements(moved, h);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].rfind("pair 0, failover_during: established_crossed", 0), 0u) << d[0];
  EXPECT_EQ(d[1].rfind("pair 0, failover_after: established_crossed", 0), 0u) << d[1];

  auto missed = r.result;
  live_cell(missed, column::failover_during, counter::queued_failed) = 0;
  d = disagreements(missed, h);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_NE(d[0].find("queued_failed: counters 0, history"), std::string::npos) << d[0];
}

// The report's call totals come from the hosts' conservation totals, and
// its registration waits from the registrars' counters: the history gives
// both.
TEST(Witnesses, TheReportsTotalsAndRegistrationWaitsAgreeWithTheHistory) {
  auto r = check(small_drill());
  ASSERT_TRUE(r.disagreements.empty());
  const auto& h = r.report.counts;
  ASSERT_TRUE(h.waits_known);
  EXPECT_GT(h.registration_wait_max_us, 0u);
  EXPECT_GT(h.ended[static_cast<std::size_t>(end_cause::abandoned)], 0u);

  auto lost = r.result;
  ASSERT_FALSE(lost.obs.bounds().empty());
  lost.obs.bounds().back().abandoned = 0;
  auto d = disagreements(lost, h);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].rfind("calls abandoned at the end: counters 0", 0), 0u) << d[0];

  auto shortest = r.result;
  for (auto& row : shortest.obs.cells())
    row[static_cast<std::size_t>(counter::registration_wait_max_us)] = 0;
  d = disagreements(shortest, h);
  ASSERT_GE(d.size(), 1u);
  EXPECT_EQ(d[0].rfind("longest registration wait (us): counters 0", 0), 0u) << d[0];

  // The simulated length the report gives is where the history ends.
  EXPECT_EQ(h.run_end, r.result.simulated);
  auto longer = r.result;
  longer.simulated += std::chrono::seconds{1};
  d = disagreements(longer, h);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].rfind("simulated length: report", 0), 0u) << d[0];
}

// The latency histograms (registration, pickup, call setup) are the
// history's bucket by bucket: a value on a bucket's bound is in that bucket.
TEST(Witnesses, LatencyHistogramsAreTheHistorysBucketByBucket) {
  auto r = check(small_drill());
  ASSERT_TRUE(r.disagreements.empty());
  const auto& h = r.report.counts;
  ASSERT_TRUE(h.latencies_known);
  for (std::size_t l = 0; l < latency_count; ++l) {
    std::uint64_t n = 0;
    for (auto c : h.latencies[l])
      n += c;
    EXPECT_GT(n, 0u) << l;
  }
  auto shifted = r.result;
  auto& setup = shifted.latencies[static_cast<std::size_t>(latency::call_setup)].counts;
  auto from = static_cast<std::size_t>(
    std::find_if(setup.begin(), setup.end(), [](std::uint64_t c) { return c > 0; })
    - setup.begin());
  ASSERT_LT(from + 1, setup.size());
  --setup[from];
  ++setup[from + 1];
  auto d = disagreements(shifted, h);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].rfind("call setup latencies le ", 0), 0u) << d[0];
}

// The metrics show each pool's queue length; at the end it is the calls the
// history leaves waiting there.
TEST(Witnesses, EachPoolsQueueLengthAtTheEndIsTheHistorys) {
  auto r = check(small_drill());
  ASSERT_TRUE(r.disagreements.empty());
  ASSERT_EQ(r.result.pools.size(), 3u);
  auto grown = r.result;
  grown.pools[1].queue_length += 5;
  auto d = disagreements(grown, r.report.counts);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_NE(d[0].find("queue length at the end: gauge"), std::string::npos) << d[0];
}

// The metrics show each registrar's backlog and whether its pool is up; at
// the end they are the requests the history leaves waiting and its pools'
// last up or down.
TEST(Witnesses, EachPoolsRegistrarGaugesAtTheEndAreTheHistorys) {
  auto s = small_drill();
  // Ends while a.test is down and its users queue at b.test's registrar.
  s.run.duration = std::chrono::minutes{6} + std::chrono::seconds{5};
  s.pools[1].registrations_per_second = 2;
  auto r = check(s);
  ASSERT_TRUE(r.disagreements.empty()) << r.disagreements.front();
  const auto& h = r.report.counts;
  ASSERT_EQ(h.up_at_end, (std::vector<std::uint64_t>{0, 1, 1}));
  ASSERT_EQ(h.backlog_at_end.size(), 3u);
  EXPECT_GT(h.backlog_at_end[1], 0u);
  auto misread = r.result;
  misread.pools[0].up = true;
  misread.pools[1].admission_backlog = 0;
  auto d = disagreements(misread, h);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0], "pool 0 up at the end: gauge 1, history 0");
  EXPECT_EQ(d[1].rfind("pool 1 admission backlog at the end: gauge 0, history ", 0), 0u)
    << d[1];
}

// Pickups count by result in the callee's pair, and as involving a user in
// resiliency mode: the metrics' view of "pickup is unavailable in
// resiliency mode". Both are bounded cell by cell.
TEST(Witnesses, PickupsAreBoundedByResultAndResiliencyInEachCell) {
  auto r = check(small_drill());
  ASSERT_TRUE(r.disagreements.empty());
  const auto& h = r.report.counts;
  auto lo = [&](witnessed w, column c) { return least(h, w, c); };
  EXPECT_GT(lo(pickup_witness(pickup_result::ok), column::normal), 0u);
  EXPECT_GT(lo(witnessed::resiliency_attempts, column::failover_during), 0u);
  auto none = r.result;
  for (auto& row : none.obs.cells())
    row[static_cast<std::size_t>(counter::resiliency_attempts)] = 0;
  auto d = disagreements(none, h);
  ASSERT_GE(d.size(), 1u);
  EXPECT_NE(d[0].find("resiliency_attempts: counters 0, history"), std::string::npos) << d[0];
}

// The pickup classes the metrics show (eligible, unredirected, stale,
// bystander) are each bounded cell by cell: the history says which rules
// held for every attempt, and under which worlds.
TEST(Witnesses, PickupClassesAreBoundedInEachCell) {
  auto r = check(small_drill());
  ASSERT_TRUE(r.disagreements.empty());
  const auto& h = r.report.counts;
  auto lo = [&](witnessed w, column c) { return least(h, w, c); };
  auto live = [&](column c, counter k) { return r.result.obs.get(0, c, k); };
  // Not vacuous: eligible pickups in normal operation and after redirection,
  // unredirected ones while the range still points at the failed pool.
  EXPECT_GT(lo(witnessed::eligible_ok, column::normal), 0u);
  EXPECT_GT(lo(witnessed::eligible_ok, column::failover_after), 0u);
  EXPECT_GT(lo(witnessed::unredirected_attempts, column::failover_during), 0u);
  EXPECT_EQ(live(column::failover_after, counter::unredirected_ok), 0u);
  EXPECT_EQ(live(column::failover_after, counter::stale_ok), 0u);
  EXPECT_GE(live(column::normal, counter::eligible_attempts),
            live(column::normal, counter::eligible_ok));

  for (auto k : {counter::eligible_attempts, counter::unredirected_attempts}) {
    auto none = r.result;
    for (auto c : {column::normal, column::failover_during, column::failover_after})
      live_cell(none, c, k) = 0;
    auto d = disagreements(none, h);
    ASSERT_GE(d.size(), 1u) << name(k);
    EXPECT_NE(d[0].find(std::string{name(k)} + ": counters 0, history"),
              std::string::npos) << d[0];
  }
  auto invented = r.result;
  ++live_cell(invented, column::failover_after, counter::unredirected_ok);
  ++live_cell(invented, column::normal, counter::bystander_attempts);
  auto d = disagreements(invented, h);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].rfind("pair 0, normal: bystander_attempts: counters 1, history 0", 0), 0u)
    << d[0];
  EXPECT_EQ(d[1].rfind("pair 0, failover_after: unredirected_ok: counters 1", 0), 0u)
    << d[1];
}

namespace {

/// Takes a real run's live views and the checker's bounds at their
/// instants: every view lies within them, and each bent number is named.
void live_views_lie_within_bounds(bool partitioned) {
  auto s = std::make_shared<scenario>(small_drill());
  // Cut, the pair and the lone pool run side by side, each partition's
  // part of a view taken at the same instant of its own clock.
  s->run.partition_by_pair = partitioned;
  s->run.workers = partitioned ? 2 : 0;
  s->pools[1].registrations_per_second = 5; // a backlog a view can see
  auto topo = build_topology(*s).topo;
  std::map<sim_duration, live_view> views;
  std::map<sim_duration, instant_bounds> bounds;
  history_checker checker{topo, *s};
  checker.expect_live_views(std::chrono::seconds{30}, arrivals_handed_ahead, 1,
                            [&](const instant_bounds& b) { bounds[b.at] = b; });
  run_hooks hooks;
  hooks.every = std::chrono::seconds{30};
  hooks.sink = [&](const live_view& v) {
    if (!v.final)
      views[v.now] = v;
  };
  hooks.history = &checker;
  auto result = run_scenario(s, topo, hooks);
  checker.finish();
  ASSERT_GE(views.size(), 30u);
  std::size_t gauged = 0;
  for (const auto& [at, v] : views) {
    auto b = bounds.find(at);
    ASSERT_NE(b, bounds.end()) << format_duration(at);
    auto d = view_disagreements(v, b->second);
    EXPECT_TRUE(d.empty()) << d.front();
    gauged += b->second.users_lo.empty() ? 0 : 1;
  }
  EXPECT_GE(gauged, views.size() / 2);

  // Mid-outage (pool a.test is down from 5 min, failover invoked at 6):
  // users in resiliency on the backup, arrivals under way.
  auto at = std::chrono::minutes{7};
  ASSERT_TRUE(views.count(at) && bounds.count(at));
  const auto& b = bounds[at];
  auto v = views[at];
  EXPECT_GT(v.total.arrivals, 0u);
  EXPECT_LT(v.total.arrivals, result.obs.total(counter::calls_started));
  auto backup = topo->find_pool("b.test");
  auto res = static_cast<std::size_t>(user_mode::resiliency);
  ASSERT_FALSE(b.users_lo.empty());
  EXPECT_GT(b.users_lo[backup * 3 + res], 0u);

  auto none = v;
  none.total.arrivals = 0;
  auto d = view_disagreements(none, b);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].rfind("live view at 7m: arrivals: generator 0, history", 0), 0u) << d[0];

  auto at_home = v;
  auto& u = at_home.total.users_by_mode;
  auto home = topo->find_pool("a.test");
  u[home * 3 + res] += u[backup * 3 + res];
  u[backup * 3 + res] = 0;
  d = view_disagreements(at_home, b);
  ASSERT_GE(d.size(), 1u);
  EXPECT_NE(d[0].find("in mode resiliency: gauge"), std::string::npos) << d[0];

  auto crowded = v;
  crowded.total.calls_established += 1000;
  crowded.total.pools[0].queue_length += 1000;
  d = view_disagreements(crowded, b);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].rfind("live view at 7m: calls established: gauge", 0), 0u) << d[0];
  EXPECT_NE(d[1].find("queue length: gauge"), std::string::npos) << d[1];

  // The registrars' gauges: a.test is down, its users queue at b.test's
  // registrar (5 a second for 400 users) at some view.
  EXPECT_EQ(b.up_hi[home], 0u);
  EXPECT_EQ(b.up_lo[backup], 1u);
  std::uint64_t busiest = 0;
  for (const auto& [when, held] : bounds)
    busiest = std::max(busiest, held.backlog_lo[backup]);
  EXPECT_GT(busiest, 0u);
  auto gauge_of = [](live_view& view, pool_id pool) -> pool_gauge& {
    for (auto& g : view.total.pools)
      if (g.pool == pool)
        return g;
    throw std::logic_error("no gauge of that pool");
  };
  auto misread = v;
  gauge_of(misread, home).up = true;
  gauge_of(misread, backup).admission_backlog += b.backlog_hi[backup] + 1;
  d = view_disagreements(misread, b);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0], "live view at 7m: pool 0 up: gauge 1, history 0 to 0");
  EXPECT_NE(d[1].find("pool 1 admission backlog: gauge"), std::string::npos) << d[1];

  auto behind = v;
  for (auto& row : behind.total.obs.cells())
    row[static_cast<std::size_t>(counter::calls_started)] = 0;
  d = view_disagreements(behind, b);
  ASSERT_GE(d.size(), 1u);
  EXPECT_NE(d[0].find("calls_started: counters 0, history"), std::string::npos) << d[0];
}

} // namespace

// Live views (the series, the metrics endpoint) are bounded at their
// instants too: a counter or gauge wrong only while the run goes on, and
// right again by the end, still disagrees. Whole runs and partitioned ones.
TEST(Witnesses, LiveViewsLieWithinTheHistorysBoundsAtTheirInstants) {
  live_views_lie_within_bounds(false);
}

TEST(Witnesses, PartitionedLiveViewsLieWithinTheBoundsToo) {
  live_views_lie_within_bounds(true);
}

// The report's timeline lists each pair's phases as the history does, and
// the users gauge at the end is the registrations the history leaves.
TEST(Witnesses, TheTimelineAndTheUsersGaugeAreTheHistorys) {
  auto r = check(small_drill());
  ASSERT_TRUE(r.disagreements.empty());
  const auto& h = r.report.counts;
  ASSERT_FALSE(h.phases.empty());
  ASSERT_EQ(h.users_by_mode.size(), 3u * 3u);

  auto misfiled = r.result;
  misfiled.phases[0].pair = 1;
  auto d = disagreements(misfiled, h);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].rfind("phase 1: report pair 1", 0), 0u) << d[0];

  auto refused = r.result;
  refused.phases.pop_back();
  refused.refused.push_back({});
  d = disagreements(refused, h);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].rfind("refused actions: report 1, history 0", 0), 0u) << d[0];

  auto moved = r.result;
  --moved.users_by_mode[0 * 3 + static_cast<std::size_t>(user_mode::normal)];
  ++moved.users_by_mode[1 * 3 + static_cast<std::size_t>(user_mode::normal)];
  d = disagreements(moved, h);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].rfind("users of pool 0 in mode normal at the end: gauge", 0), 0u) << d[0];
}
