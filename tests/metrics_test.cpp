// The exporter: what a scrape shows is what the run observed, counters only
// grow, every family has help, promtool accepts the text, the endpoint and
// the push work on loopback, and a busy port is a clear error.
#include "exposition.hpp"
#include "http_get.hpp"
#include "metrics/exporter.hpp"
#include "small_drill.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace calldrill {
namespace {

using testing::sum_of;

struct drill_with_exporter {
  std::shared_ptr<scenario> scn;
  std::shared_ptr<const topology> topo;
  std::unique_ptr<exporter> exp;
  run_result result;
  std::size_t views = 0;

  explicit drill_with_exporter(std::uint16_t port = 0, std::uint64_t seed = 7) {
    scn = std::make_shared<scenario>(testing::small_drill(seed));
    topo = build_topology(*scn).topo;
    exporter_options o;
    o.port = port;
    exp = std::make_unique<exporter>(*topo, *scn, o);
  }
  void run() {
    run_hooks h;
    h.sink = [this](const live_view& v) {
      ++views;
      exp->publish(v);
    };
    h.every = std::chrono::seconds{10};
    result = run_scenario(scn, topo, h);
  }
};

TEST(Exporter, FinalScrapeShowsWhatTheRunObserved) {
  drill_with_exporter d;
  d.run();
  auto text = d.exp->exposition();
  const auto& obs = d.result.obs;
  EXPECT_GT(d.views, 50u); // 16 simulated minutes, a view every 10 s
  EXPECT_EQ(sum_of(text, "calldrill_calls_started_total"),
            obs.total(counter::calls_started));
  EXPECT_EQ(sum_of(text, "calldrill_calls_established_total", {{"how", "picked_up"}}),
            obs.total(counter::calls_picked_up));
  EXPECT_EQ(sum_of(text, "calldrill_pickup_attempts_total", {{"result", "ok"}}),
            obs.total(counter::pickup_ok));
  EXPECT_EQ(sum_of(text, "calldrill_pickup_attempts_total",
                   {{"result", "picker_in_resiliency"}}),
            obs.total(counter::pickup_picker_in_resiliency));
  EXPECT_EQ(sum_of(text, "calldrill_calls_ended_total", {{"cause", "hang_up"}}),
            obs.total(counter::ended_hang_up));
  EXPECT_EQ(sum_of(text, "calldrill_pickup_eligible_attempts_total"),
            obs.total(counter::eligible_attempts));
  EXPECT_EQ(sum_of(text, "calldrill_registrations_total"),
            obs.total(counter::registrations));
  EXPECT_EQ(sum_of(text, "calldrill_registrations_total", {{"mode", "resiliency"}}),
            obs.total(counter::registrations_resiliency));
  EXPECT_EQ(sum_of(text, "calldrill_established_calls_crossed_total"),
            obs.total(counter::established_crossed));
  EXPECT_EQ(sum_of(text, "calldrill_registration_latency_seconds_count"),
            d.result.latencies[0].count());
  EXPECT_EQ(sum_of(text, "calldrill_pickup_latency_seconds_count"),
            d.result.latencies[1].count());
  EXPECT_GT(sum_of(text, "calldrill_call_setup_latency_seconds_count"), 0);
  std::uint64_t actions = 0;
  for (auto a : d.result.actions)
    actions += a;
  EXPECT_EQ(sum_of(text, "calldrill_drill_actions_total"), actions);
  EXPECT_EQ(sum_of(text, "calldrill_drill_actions_total",
                   {{"action", "pool_outage"}, {"source", "chaos"}}), 1);
  EXPECT_EQ(sum_of(text, "calldrill_simulated_time_seconds"), 960);
  EXPECT_EQ(sum_of(text, "calldrill_run_complete"), 1);
  EXPECT_EQ(sum_of(text, "calldrill_call_arrivals_total"),
            obs.total(counter::calls_started)
              + obs.total(counter::calls_not_started));
}

TEST(Exporter, PhaseRangesAndPoolsFollowTheDrill) {
  drill_with_exporter d;
  d.run();
  auto text = d.exp->exposition();
  auto pair = std::string{"a.test/b.test"};
  EXPECT_EQ(sum_of(text, "calldrill_pair_phase",
                   {{"pair", pair}, {"phase", "ranges_redirected_back"}}), 1);
  EXPECT_EQ(sum_of(text, "calldrill_pair_phase", {{"pair", pair}}), 1);
  EXPECT_EQ(sum_of(text, "calldrill_pair_phase_index", {{"pair", pair}}), 8);
  EXPECT_EQ(sum_of(text, "calldrill_orbit_range_target",
                   {{"range", "ra"}, {"pool", "a.test"}}), 1);
  EXPECT_EQ(sum_of(text, "calldrill_orbit_range_target",
                   {{"range", "ra"}, {"pool", "b.test"}}), 0);
  EXPECT_TRUE(std::regex_search(
    text, std::regex{R"(calldrill_orbit_range_target\{[^}]*pool="b.test",range="ra"\})"}))
    << "the range pointed at b.test during the run";
  EXPECT_EQ(sum_of(text, "calldrill_pool_up"), 3);
  EXPECT_EQ(sum_of(text, "calldrill_pool_users"), 1200);
  EXPECT_EQ(sum_of(text, "calldrill_pool_users", {{"mode", "resiliency"}}), 0);
}

TEST(Exporter, CountersOnlyGrowWithTheCumulativeViews) {
  auto scn = testing::small_drill();
  auto topo = build_topology(scn).topo;
  exporter exp{*topo, scn, {}};
  live_view v;
  v.total.obs = observations{topo->pairs.size()};
  v.total.obs.add(0, column::failover_during, counter::calls_started, 5);
  v.total.arrivals = 5;
  exp.publish(v);
  v.total.obs.add(0, column::failover_during, counter::calls_started, 7);
  v.total.arrivals = 12;
  v.total.at(latency::pickup).observe(3.0);
  exp.publish(v);
  auto text = exp.exposition();
  EXPECT_EQ(sum_of(text, "calldrill_calls_started_total",
                   {{"column", "failover_during"}}), 12);
  EXPECT_EQ(sum_of(text, "calldrill_call_arrivals_total"), 12);
  EXPECT_EQ(sum_of(text, "calldrill_pickup_latency_seconds_bucket",
                   {{"le", "5"}}), 1);
  EXPECT_EQ(sum_of(text, "calldrill_pickup_latency_seconds_sum"), 3.0);
  live_view earlier; // a view with less (never happens; must not go down)
  earlier.total.obs = observations{topo->pairs.size()};
  exp.publish(earlier);
  exp.publish(v);
  text = exp.exposition();
  EXPECT_EQ(sum_of(text, "calldrill_calls_started_total"), 12);
  EXPECT_EQ(sum_of(text, "calldrill_pickup_latency_seconds_count"), 1);
  // A histogram grows by what was observed since the last view, its sum too.
  v.total.at(latency::pickup).observe(2.0);
  exp.publish(v);
  text = exp.exposition();
  EXPECT_EQ(sum_of(text, "calldrill_pickup_latency_seconds_count"), 2);
  EXPECT_EQ(sum_of(text, "calldrill_pickup_latency_seconds_sum"), 5.0);
}

TEST(Exporter, EveryFamilyTheIssueNamesIsThereWithHelp) {
  auto scn = testing::small_drill();
  auto topo = build_topology(scn).topo;
  exporter exp{*topo, scn, {}};
  verdict v;
  check_outcome c;
  c.id = "established.failover_during";
  c.pair = "a.test/b.test";
  c.status = check_status::pass;
  c.expected = c.observed = "0";
  v.checks.push_back(c);
  exp.publish_verdict(v);
  auto h = testing::helps(exp.exposition());
  for (const char* f :
       {"calldrill_calls_started_total", "calldrill_calls_queued_total",
        "calldrill_calls_established_total", "calldrill_calls_ended_total",
        "calldrill_pickup_eligible_attempts_total",
        "calldrill_pickup_bystander_attempts_total",
        "calldrill_simulated_seconds_total", "calldrill_run_info",
        "calldrill_calls_active", "calldrill_established_calls_dropped_total",
        "calldrill_pickup_attempts_total", "calldrill_pickup_queue_length",
        "calldrill_pool_users", "calldrill_pool_up", "calldrill_pair_phase",
        "calldrill_orbit_range_target", "calldrill_registrations_total",
        "calldrill_registration_latency_seconds",
        "calldrill_pickup_latency_seconds",
        "calldrill_call_setup_latency_seconds", "calldrill_drill_actions_total",
        "calldrill_check_status", "calldrill_simulated_time_seconds",
        "calldrill_speed_ratio", "calldrill_call_arrivals_total",
        "calldrill_call_arrivals_dropped_total"})
    EXPECT_TRUE(h.count(f)) << f;
  for (const auto& [name, help] : h) {
    EXPECT_EQ(name.rfind("calldrill_", 0), 0u) << name;
    EXPECT_GT(help.size(), 10u) << name << " has no real help text";
  }
}

TEST(Exporter, VerdictSetsOneStatusPerCheck) {
  auto scn = testing::small_drill();
  auto topo = build_topology(scn).topo;
  exporter exp{*topo, scn, {}};
  verdict v;
  auto check = [&](std::string id, std::string pair, check_status st) {
    check_outcome c;
    c.id = std::move(id);
    c.pair = std::move(pair);
    c.status = st;
    v.checks.push_back(c);
  };
  check("queued.failover_during", "a.test/b.test", check_status::fail);
  check("blast_radius", "", check_status::pass);
  exp.publish_verdict(v);
  auto text = exp.exposition();
  EXPECT_EQ(sum_of(text, "calldrill_check_status",
                   {{"check", "queued.failover_during"}, {"status", "fail"}}), 1);
  EXPECT_EQ(sum_of(text, "calldrill_check_status",
                   {{"check", "queued.failover_during"}}), 1);
  EXPECT_EQ(sum_of(text, "calldrill_check_status",
                   {{"check", "blast_radius"}, {"pair", "all"}, {"status", "pass"}}),
            1);
  EXPECT_EQ(sum_of(text, "calldrill_checks", {{"status", "fail"}}), 1);
  EXPECT_EQ(sum_of(text, "calldrill_checks", {{"status", "not_covered"}}), 0);
}

TEST(Exporter, LiveScrapePassesPromtool) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "promtool not found (Debian package prometheus; "
                    "./dev test unpacks it into build/tools)";
  auto port = testing::free_port();
  drill_with_exporter d{port};
  d.run();
  verdict v;
  check_outcome passed;
  passed.id = "call_conservation";
  passed.status = check_status::pass;
  v.checks.push_back(passed);
  d.exp->publish_verdict(v);
  auto scrape = testing::http_get(port, "/metrics");
  ASSERT_EQ(scrape.status, 200);
  ASSERT_NE(scrape.body.find("calldrill_run_complete"), std::string::npos);
  char path[] = "/tmp/calldrill-metrics-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  std::ofstream{path} << scrape.body;
  auto out = std::string{path} + ".out";
  int rc = std::system(("promtool check metrics < " + std::string{path} + " > "
                        + out + " 2>&1").c_str());
  std::ifstream in{out};
  std::string complaints{std::istreambuf_iterator<char>{in}, {}};
  std::remove(path);
  std::remove(out.c_str());
  EXPECT_EQ(rc, 0) << complaints;
  EXPECT_EQ(complaints, "");
}

TEST(Exporter, FamiliesHaveOneMeaningEachSoSumsMeanSomething) {
  drill_with_exporter d;
  d.run();
  auto text = d.exp->exposition();
  const auto& obs = d.result.obs;
  // Summing over the split label gives the whole, never double counts.
  EXPECT_EQ(sum_of(text, "calldrill_calls_established_total"),
            obs.total(counter::calls_answered) + obs.total(counter::calls_picked_up));
  std::uint64_t attempts = 0;
  for (std::size_t r = 0; r < pickup_result_count; ++r)
    attempts += obs.total(pickup_counter(static_cast<pickup_result>(r)));
  EXPECT_GT(attempts, 0u);
  EXPECT_EQ(sum_of(text, "calldrill_pickup_attempts_total"), attempts);
  EXPECT_EQ(sum_of(text, "calldrill_pickup_attempts_total", {{"result", "ok"}}),
            obs.total(counter::pickup_ok));
  EXPECT_EQ(sum_of(text, "calldrill_pickup_eligible_attempts_total"),
            obs.total(counter::eligible_attempts));
  EXPECT_EQ(sum_of(text, "calldrill_pickup_bystander_attempts_total"),
            obs.total(counter::bystander_attempts));
  EXPECT_EQ(sum_of(text, "calldrill_pickup_stale_attempts_total", {{"result", "ok"}}),
            obs.total(counter::stale_ok));
  std::uint64_t ended = 0;
  for (std::size_t c = 0; c < end_cause_count; ++c)
    ended += obs.total(end_counter(static_cast<end_cause>(c)));
  EXPECT_EQ(sum_of(text, "calldrill_calls_ended_total"), ended);
  // No family carries two labels that say the same thing, and every
  // series says which run and scenario it belongs to.
  std::istringstream in{text};
  std::string line;
  testing::sample smp;
  std::size_t samples = 0;
  while (std::getline(in, line)) {
    if (!testing::parse_sample(line, smp))
      continue;
    ++samples;
    EXPECT_FALSE(smp.labels.count("cause") && smp.labels.count("result")) << line;
    EXPECT_FALSE(smp.labels.count("class")) << line;
    EXPECT_EQ(smp.labels["run"], "run") << line; // the default run id
    EXPECT_EQ(smp.labels["scenario"], d.scn->name) << line;
  }
  EXPECT_GT(samples, 100u);
}

TEST(Exporter, DrillActionsNameTheirPoolPairAndRange) {
  drill_with_exporter d;
  // Every action of the timeline has its series from the start, at 0, so a
  // rate or increase sees its first play.
  auto before = d.exp->exposition();
  EXPECT_TRUE(std::regex_search(
    before, std::regex{R"(calldrill_drill_actions_total\{[^}]*action="pool_outage")"}))
    << before;
  EXPECT_EQ(sum_of(before, "calldrill_drill_actions_total"), 0);
  d.run();
  auto text = d.exp->exposition();
  EXPECT_EQ(sum_of(text, "calldrill_drill_actions_total",
                   {{"action", "pool_outage"}, {"pool", "a.test"},
                    {"pair", "a.test/b.test"}, {"source", "chaos"},
                    {"range", "none"}}), 1);
  EXPECT_EQ(sum_of(text, "calldrill_drill_actions_total",
                   {{"action", "set_orbit"}, {"range", "ra"}, {"pool", "b.test"}}), 1);
  EXPECT_EQ(sum_of(text, "calldrill_drill_actions_total",
                   {{"action", "set_orbit"}, {"range", "ra"}, {"pool", "a.test"}}), 1);
}

TEST(Exporter, EndpointServesTheExpositionOnLoopback) {
  auto port = testing::free_port();
  drill_with_exporter d{port};
  EXPECT_EQ(d.exp->port(), port);
  d.run();
  auto r = testing::http_get(port, "/metrics");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(sum_of(r.body, "calldrill_run_complete"), 1);
  EXPECT_EQ(sum_of(r.body, "calldrill_calls_started_total"),
            d.result.obs.total(counter::calls_started));
}

TEST(Exporter, BusyPortIsAnErrorNamingThePort) {
  testing::busy_port busy;
  ASSERT_NE(busy.port, 0);
  auto port = busy.port;
  auto scn = testing::small_drill();
  auto topo = build_topology(scn).topo;
  exporter_options o;
  o.port = port;
  try {
    exporter exp{*topo, scn, o};
    ADD_FAILURE() << "listening on a busy port must fail";
  } catch (const metrics_error& e) {
    EXPECT_NE(std::string{e.what()}.find("port " + std::to_string(port)
                                         + " is already in use"),
              std::string::npos)
      << e.what();
  }
}

TEST(Exporter, LiveViewsDoNotChangeTheRun) {
  auto scn = testing::small_drill(11);
  auto plain = testing::run(scn);
  drill_with_exporter d{0, 11};
  d.run();
  EXPECT_EQ(plain.obs.cells(), d.result.obs.cells());
  ASSERT_EQ(plain.phases.size(), d.result.phases.size());
  for (std::size_t i = 0; i < plain.phases.size(); ++i)
    EXPECT_EQ(plain.phases[i].at, d.result.phases[i].at);
}

} // namespace
} // namespace calldrill

namespace calldrill {
namespace {

/// The small drill, but the failed primary is replaced by a new pool under
/// another FQDN before failback, and its range is reassigned only later.
scenario replaced_primary() {
  using namespace std::chrono;
  auto s = testing::small_drill();
  auto replace = action_at(minutes{9}, action_kind::replace_pool, "a.test");
  replace.new_fqdn = "a2.test";
  s.drill = {action_at(minutes{5}, action_kind::pool_outage, "a.test"),
             action_at(minutes{6}, action_kind::invoke_failover, "a.test"),
             action_at(minutes{8}, action_kind::failover_complete, "a.test"),
             replace,
             action_at(minutes{11}, action_kind::invoke_failback, "a2.test"),
             action_at(minutes{13}, action_kind::failback_complete, "a2.test"),
             action_at(minutes{14}, action_kind::set_orbit, "a2.test", "ra")};
  return s;
}

TEST(Exporter, ReplacedPoolIsLabelledByItsNewFqdn) {
  auto scn = std::make_shared<scenario>(replaced_primary());
  auto topo = build_topology(*scn).topo;
  exporter exp{*topo, *scn, {}};
  std::string after_replace;
  run_hooks h;
  h.sink = [&](const live_view& v) {
    exp.publish(v);
    if (v.now >= std::chrono::minutes{10} && v.now < std::chrono::minutes{11}
        && after_replace.empty())
      after_replace = exp.exposition();
  };
  h.every = std::chrono::seconds{10};
  auto r = run_scenario(scn, topo, h);
  ASSERT_TRUE(r.refused.empty()) << r.refused.front().message;
  ASSERT_FALSE(after_replace.empty());
  EXPECT_EQ(sum_of(after_replace, "calldrill_orbit_range_target",
                   {{"range", "ra"}, {"pool", "none"}}), 1)
    << "the range names a retired FQDN: it points at nothing";
  auto text = exp.exposition();
  for (const char* gone : {"calldrill_pool_up{pool=\"a.test\"}",
                           "calldrill_pickup_queue_length{pool=\"a.test\"}",
                           "calldrill_pool_users{mode=\"normal\",pool=\"a.test\"}"})
    EXPECT_EQ(text.find(gone), std::string::npos)
      << gone << ": the retired FQDN's series must go away";
  EXPECT_EQ(sum_of(text, "calldrill_pool_up", {{"pool", "a2.test"}}), 1);
  EXPECT_EQ(sum_of(text, "calldrill_pool_users"), 1200);
  EXPECT_EQ(sum_of(text, "calldrill_orbit_range_target",
                   {{"range", "ra"}, {"pool", "a2.test"}}), 1);
  EXPECT_EQ(sum_of(text, "calldrill_orbit_range_target", {{"range", "ra"}}), 1);
}

} // namespace
} // namespace calldrill
