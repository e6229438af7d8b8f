// The YAML loader: the default drill file is the former built-in drill, and
// a file with many mistakes gets every one reported, with line and key.
#include "scenarios/builtin.hpp"
#include "scenarios/loader.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace calldrill;
using std::chrono::minutes;

namespace {

bool has(const loaded_scenario& l, const std::string& path,
         const std::string& words, int line = 0) {
  return std::any_of(l.diagnostics.begin(), l.diagnostics.end(),
                     [&](const diagnostic& d) {
                       return d.path == path
                              && d.message.find(words) != std::string::npos
                              && (line == 0 || d.at.line == line);
                     });
}

std::string dump(const loaded_scenario& l) {
  std::string out;
  for (const auto& d : l.diagnostics)
    out += format(d) + "\n";
  return out;
}

const char* minimal = R"(topology:
  pools:
    - {fqdn: a.test, backup: b.test, users: 20}
    - {fqdn: b.test, backup: a.test, users: 20}
  orbit_ranges:
    - {identity: ra, start: "*100", end: "*199", type: GroupPickup, call_park_service: a.test}
    - {identity: rb, start: "*200", end: "*299", type: GroupPickup, call_park_service: b.test}
traffic:
  stages: [{calls_per_second: 1}]
drill:
  timeline:
    - {at: 1m, action: pool_outage, pool: a.test}
)";

} // namespace

TEST(ScenarioFile, DefaultDrillIsTheFormerBuiltInDrill) {
  auto s = default_drill();
  EXPECT_EQ(s.name, "default-drill");
  EXPECT_EQ(s.source, "built-in");
  ASSERT_EQ(s.pools.size(), 3u);
  const char* fqdn[] = {"fe-a.calldrill.test", "fe-b.calldrill.test",
                        "fe-c.calldrill.test"};
  const char* backup[] = {"fe-b.calldrill.test", "fe-a.calldrill.test", ""};
  const char* site[] = {"east", "west", "north"};
  std::uint32_t users[] = {20000, 20000, 10000};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(s.pools[i].fqdn, fqdn[i]);
    EXPECT_EQ(s.pools[i].backup, backup[i]);
    EXPECT_EQ(s.pools[i].site, site[i]);
    EXPECT_EQ(s.pools[i].users, users[i]);
    EXPECT_TRUE(s.pools[i].call_park_enabled);
    EXPECT_EQ(s.pools[i].registrations_per_second, 200.0);
    EXPECT_FALSE(s.pools[i].grouping.has_value());
  }
  ASSERT_EQ(s.ranges.size(), 4u);
  EXPECT_EQ(s.ranges[0].start, "*1000");
  EXPECT_EQ(s.ranges[2].end, "*3999");
  EXPECT_EQ(s.ranges[3].type, range_type::call_park);
  EXPECT_EQ(s.ranges[3].call_park_service, "fe-a.calldrill.test");
  EXPECT_EQ(s.grouping.group_size, 50u);
  EXPECT_EQ(s.grouping.share_in_groups, 0.6);
  EXPECT_TRUE(s.spanning_groups.empty());
  ASSERT_EQ(s.traffic.stages.size(), 1u);
  EXPECT_EQ(s.traffic.stages[0].rate_per_second, 12.0);
  EXPECT_GE(s.traffic.stages[0].duration, std::chrono::hours{24});
  const traffic_spec defaults;
  EXPECT_EQ(s.traffic.answer_probability, defaults.answer_probability);
  EXPECT_EQ(s.traffic.hold_mean, defaults.hold_mean);
  EXPECT_EQ(s.clients.failover_interval, client_spec{}.failover_interval);
  EXPECT_EQ(s.run.duration, minutes{80});
  EXPECT_FALSE(s.run.seed_given);
  EXPECT_FALSE(s.chaos.enabled);
  EXPECT_TRUE(s.defects.empty());
  const std::pair<int, action_kind> steps[] = {
    {10, action_kind::pool_outage},     {16, action_kind::invoke_failover},
    {26, action_kind::failover_complete}, {30, action_kind::set_orbit},
    {45, action_kind::pool_restore},    {50, action_kind::invoke_failback},
    {62, action_kind::failback_complete}, {66, action_kind::set_orbit}};
  ASSERT_EQ(s.drill.size(), 8u);
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(s.drill[i].at, minutes{steps[i].first});
    EXPECT_EQ(s.drill[i].kind, steps[i].second);
  }
  EXPECT_EQ(s.drill[3].pool, "fe-b.calldrill.test");
  EXPECT_EQ(s.drill[3].range, "gcp-a");
  EXPECT_EQ(s.drill[7].pool, "fe-a.calldrill.test");
}

TEST(ScenarioFile, MinimalFileLoadsWithDefaults) {
  auto l = load_scenario_text(minimal, "min.yaml");
  ASSERT_TRUE(l.ok()) << dump(l);
  EXPECT_EQ(l.scn->name, "min");
  EXPECT_EQ(l.scn->run.duration, minutes{90});
  EXPECT_EQ(l.topo->user_count(), 40u);
}

TEST(ScenarioFile, EveryMistakeIsReportedAtOnceWithLineAndKey) {
  auto text = std::string{R"(topology:
  pools:
    - {fqdn: a.test, backup: a.test, users: 10, colour: blue}
    - {fqdn: b.test, backup: gone.test, users: -4}
  orbit_ranges:
    - {identity: ra, start: "*100", end: "*1999", type: GroupPickup, call_park_service: a.test}
    - {identity: rb, start: "*150", end: "*199", type: GroupPickup, call_park_service: b.test}
    - {identity: rc, start: "0100", end: "0200", type: GroupPickup, call_park_service: c.test}
traffic:
  stages: [{duration: -5m, calls_per_second: 1e400}, {calls_per_second: 1}]
  ring_timeout: 30
drill:
  timeline:
    - {at: 10m, action: pool_outage, pool: b.test}
    - {at: 5m, action: invoke_failover, pool: b.test}
    - {at: 12m, action: explode, pool: b.test}
run: {clock: sundial}
)"};
  auto l = load_scenario_text(text, "bad.yaml");
  ASSERT_FALSE(l.ok());
  SCOPED_TRACE(dump(l));
  EXPECT_TRUE(has(l, "topology.pools[0].backup", "own backup", 3));
  EXPECT_TRUE(has(l, "topology.pools[0].colour", "unknown key", 3));
  EXPECT_TRUE(has(l, "topology.pools[1].backup", "not declared", 4));
  EXPECT_TRUE(has(l, "topology.pools[1].users", "between 0 and", 4));
  EXPECT_TRUE(has(l, "topology.orbit_ranges[0].end", "same number of digits", 6));
  EXPECT_TRUE(has(l, "topology.orbit_ranges[1].start", "overlaps range ra", 7));
  EXPECT_TRUE(has(l, "topology.orbit_ranges[2].start", "cannot start with 0", 8));
  EXPECT_TRUE(has(l, "topology.orbit_ranges[2].call_park_service",
                  "not a pool of the topology", 8));
  EXPECT_TRUE(has(l, "traffic.stages[0].duration", "cannot be negative", 10));
  EXPECT_TRUE(has(l, "traffic.stages[0].calls_per_second", "between 0 and", 10));
  EXPECT_TRUE(has(l, "traffic.ring_timeout", "needs a unit", 11));
  EXPECT_TRUE(has(l, "drill.timeline[1].at", "time order", 15));
  EXPECT_TRUE(has(l, "drill.timeline[2].action", "expected one of", 16));
  EXPECT_TRUE(has(l, "run.clock", "virtual, realtime", 17));
  EXPECT_GE(l.errors(), 14u);
}

TEST(ScenarioFile, RunbookStepsThePhaseMachineRefusesAreErrors) {
  auto text = std::string{minimal}
              + "    - {at: 2m, action: failback_complete, pool: a.test}\n"
                "    - {at: 3m, action: set_orbit, range: rz, pool: b.test}\n";
  auto l = load_scenario_text(text, "order.yaml");
  ASSERT_FALSE(l.ok());
  EXPECT_TRUE(has(l, "drill.timeline[1].action", "failback must be invoked first",
                  13))
    << dump(l);
  EXPECT_TRUE(has(l, "drill.timeline[2].action", "no orbit range named rz"))
    << dump(l);
}

TEST(ScenarioFile, GroupNumberOutsideEveryGroupPickupRangeIsAnError) {
  auto text = std::string{minimal};
  text.insert(text.find("traffic:"),
              "  spanning_groups:\n"
              "    - {pools: [a.test, b.test], size: 4, first_number: \"*700\"}\n");
  auto l = load_scenario_text(text, "g.yaml");
  EXPECT_TRUE(has(l, "topology.spanning_groups[0].first_number",
                  "outside any GroupPickup range", 9))
    << dump(l);
}

TEST(ScenarioFile, UnquotedOrbitNumbersGetAHint) {
  auto text = std::string{minimal};
  text.insert(text.find("traffic:"), "    - identity: rz\n"
                                     "      start: #900\n"
                                     "      end: \"#999\"\n"
                                     "      type: GroupPickup\n"
                                     "      call_park_service: a.test\n");
  auto l = load_scenario_text(text, "q.yaml");
  EXPECT_TRUE(has(l, "topology.orbit_ranges[2].start", "quote one", 9))
    << dump(l);
  text = std::string{minimal};
  text.replace(text.find("\"*100\""), 6, "*100");
  l = load_scenario_text(text, "q.yaml");
  EXPECT_TRUE(has(l, "", "quote orbit numbers")) << dump(l);
}

TEST(ScenarioFile, DrReadinessProblemsAreWarningsNotErrors) {
  auto text = std::string{minimal};
  text.replace(text.find("users: 20}\n  orbit"), 10,
               "users: 20, call_park: false, capacity: {users: 30}}");
  auto l = load_scenario_text(text, "w.yaml");
  ASSERT_TRUE(l.ok()) << dump(l);
  EXPECT_TRUE(has(l, "topology.pools[1].call_park", "not enabled")) << dump(l);
  EXPECT_TRUE(has(l, "topology.pools[1].capacity.users", "both pools' 40"))
    << dump(l);
}

TEST(ScenarioFile, ReplacePoolWithoutReassigningItsRangesWarns) {
  auto text = std::string{minimal}
              + "    - {at: 2m, action: replace_pool, pool: a.test, "
                "new_fqdn: a2.test}\n";
  auto l = load_scenario_text(text, "r.yaml");
  ASSERT_TRUE(l.ok()) << dump(l);
  EXPECT_TRUE(has(l, "drill.timeline[1]", "never reassigned to a2.test"));
  text += "    - {at: 3m, action: set_orbit, range: ra, pool: a2.test}\n";
  l = load_scenario_text(text, "r.yaml");
  EXPECT_FALSE(has(l, "drill.timeline[1]", "never reassigned")) << dump(l);
}

TEST(ScenarioFile, SizesThatCouldExhaustMemoryAreCapped) {
  auto text = std::string{minimal};
  text.replace(text.find("users: 20}"), 10, "users: 900000}");
  text.replace(text.find("users: 20}"), 10, "users: 1900000}");
  auto l = load_scenario_text(text, "big.yaml");
  EXPECT_TRUE(has(l, "topology.pools[1].users", "between 0 and 1000000"))
    << dump(l);
  text = std::string{minimal} + "run: {duration: 30d}\n";
  l = load_scenario_text(text, "long.yaml");
  EXPECT_TRUE(has(l, "run.duration", "between 1s and 168h")) << dump(l);
}

TEST(ScenarioFile, ChaosShortFormTakesEveryDefault) {
  auto text = std::string{minimal};
  text.replace(text.find("drill:"), std::string::npos,
               "drill: {chaos: random}\n");
  auto l = load_scenario_text(text, "c.yaml");
  ASSERT_TRUE(l.ok()) << dump(l);
  EXPECT_TRUE(l.scn->chaos.enabled);
  EXPECT_EQ(l.scn->chaos.outages, 1u);
}
