// The DR actions beyond the source's runbook: Call Park disabled mid-drill and
// a failed pool replaced by a new one with another FQDN, whose ranges keep
// naming the old FQDN until reassigned. Plus pickup groups spanning pools.
#include "model/world.hpp"
#include "pair_scenario.hpp"

#include <gtest/gtest.h>

using namespace calldrill;
using namespace calldrill::testing;
using std::chrono::minutes;

namespace {

struct dr_fixture : ::testing::Test, pair_world {

  std::vector<world_event> play(const drill_action& a) {
    error.clear();
    return w.act(a, minutes{1}, error);
  }
  void ok(const drill_action& a) {
    play(a);
    ASSERT_EQ(error, "");
  }
  drill_action replace(std::string pool, std::string fqdn) {
    auto a = act(action_kind::replace_pool, std::move(pool));
    a.new_fqdn = std::move(fqdn);
    return a;
  }
};

} // namespace

TEST_F(dr_fixture, DisablingCallParkIsAWorldEventEveryActorSees) {
  EXPECT_TRUE(w.call_park_enabled(1));
  auto events = play(act(action_kind::disable_call_park, "b.test"));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].what, world_event::kind::call_park_off);
  EXPECT_FALSE(w.call_park_enabled(1));
  world mirror{*topo};
  mirror.apply(events[0]);
  EXPECT_FALSE(mirror.call_park_enabled(1));
  play(act(action_kind::disable_call_park, "b.test"));
  EXPECT_NE(error.find("not enabled"), std::string::npos);
}

TEST_F(dr_fixture, OnlyAFailedPoolIsReplaced) {
  play(replace("a.test", "a2.test"));
  EXPECT_NE(error.find("only a failed pool"), std::string::npos);
  EXPECT_EQ(w.find_pool("a2.test"), no_pool);
}

TEST_F(dr_fixture, ReplacingPoolTakesOverTheSlotAndComesUp) {
  ok(act(action_kind::pool_outage, "a.test"));
  ok(act(action_kind::invoke_failover, "a.test"));
  ok(act(action_kind::failover_complete, "a.test"));
  ok(act(action_kind::set_orbit, "b.test", "ra"));
  ok(replace("a.test", "a2.test"));
  EXPECT_EQ(w.find_pool("a2.test"), 0);
  EXPECT_EQ(w.find_pool("a.test"), no_pool);
  EXPECT_TRUE(w.up(0));
  EXPECT_EQ(w.pair(0).phase, pair_phase::primary_restored);
  // The runbook now names the new pool; the old name is refused.
  play(act(action_kind::invoke_failback, "a.test"));
  EXPECT_NE(error.find("replaced by a2.test"), std::string::npos);
  ok(act(action_kind::invoke_failback, "a2.test"));
  ok(act(action_kind::failback_complete, "a2.test"));
  ok(act(action_kind::set_orbit, "a2.test", "ra"));
  EXPECT_EQ(w.pair(0).phase, pair_phase::ranges_redirected_back);
}

TEST_F(dr_fixture, RangesStillNamingTheOldFqdnPointAtNothing) {
  ok(act(action_kind::pool_outage, "a.test"));
  ok(act(action_kind::invoke_failover, "a.test"));
  ok(act(action_kind::failover_complete, "a.test"));
  ok(replace("a.test", "a2.test")); // ra was never redirected
  EXPECT_EQ(w.orbit_target(0), no_pool);
  EXPECT_EQ(w.orbit_target(1), 1); // rb untouched
  ok(act(action_kind::set_orbit, "a2.test", "ra"));
  EXPECT_EQ(w.orbit_target(0), 0);
}

TEST_F(dr_fixture, ReplacingPoolMayLackCallPark) {
  ok(act(action_kind::pool_outage, "a.test"));
  auto a = replace("a.test", "a2.test");
  a.call_park_enabled = false;
  ok(a);
  EXPECT_FALSE(w.call_park_enabled(0));
  EXPECT_EQ(w.pair(0).phase, pair_phase::normal); // a blip, by another name
}

TEST_F(dr_fixture, ANewFqdnMustBeNew) {
  ok(act(action_kind::pool_outage, "a.test"));
  play(replace("a.test", "b.test"));
  EXPECT_NE(error.find("already names a pool"), std::string::npos);
  ok(replace("a.test", "a2.test"));
  ok(act(action_kind::pool_outage, "a2.test"));
  play(replace("a2.test", "a.test"));
  EXPECT_NE(error.find("was replaced"), std::string::npos);
}

TEST(SpanningGroups, MembersComeFromEachPoolAndShareOneNumber) {
  auto s = pair_scenario();
  s.grouping.group_size = 5;
  s.grouping.share_in_groups = 1.0;
  s.spanning_groups.push_back({{"a.test", "b.test"}, 4, 2, "*150", {}});
  auto built = build_topology(s);
  ASSERT_TRUE(built.errors.empty()) << built.errors.front();
  const auto& t = *built.topo;
  EXPECT_EQ(t.user_count(), 20u);
  // a and b each give 2 users per spanning group: 6 left for own groups.
  ASSERT_EQ(t.groups.size(), 2u + 2u + 2u);
  const auto& g = t.groups[4];
  EXPECT_EQ(g.number, "*150");
  EXPECT_EQ(t.groups[5].number, "*151");
  EXPECT_EQ(t.home_of(g.first_member), 0);
  EXPECT_EQ(t.home_of(g.first_member + 3), 1);
  for (user_id m = 0; m < g.size; ++m)
    EXPECT_EQ(t.group_of(g.first_member + m), 4u);
  std::uint32_t homed_on_a = 0;
  for (user_id u = 0; u < t.user_count(); ++u)
    homed_on_a += t.home_of(u) == 0;
  EXPECT_EQ(homed_on_a, 10u);
}

TEST(SpanningGroups, GroupNumberOutsideEveryGroupPickupRangeIsAnError) {
  auto s = pair_scenario();
  s.spanning_groups.push_back({{"a.test", "b.test"}, 4, 1, "*500", {}});
  auto built = build_topology(s);
  ASSERT_FALSE(built.errors.empty());
  EXPECT_NE(built.errors[0].find("outside any GroupPickup range"),
            std::string::npos);
}

TEST(PoolGrouping, APoolMayTakeNumbersFromAnotherPoolsRange) {
  auto s = pair_scenario();
  grouping_spec g;
  g.group_size = 5;
  g.share_in_groups = 1.0;
  g.ranges = {"rb"};
  s.pools[0].grouping = g;
  auto built = build_topology(s);
  ASSERT_TRUE(built.errors.empty());
  EXPECT_EQ(built.topo->groups[0].number, "*200");
  EXPECT_EQ(built.topo->ranges[built.topo->groups[0].range].owner, 1);
}
