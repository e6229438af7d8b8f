// The DR phase machine of a pair and the registration rules derived from it.
#include "model/world.hpp"
#include "pair_scenario.hpp"

#include <gtest/gtest.h>

using namespace calldrill;
using namespace calldrill::testing;
using std::chrono::minutes;

namespace {

struct world_fixture : ::testing::Test, pair_world {
  user_id a_user = 0;  // homed on a.test
  user_id b_user = 10; // homed on b.test

  void play(action_kind k, std::string pool, std::string range = {}) {
    error.clear();
    w.act(act(k, std::move(pool), std::move(range)), minutes{1}, error);
    ASSERT_EQ(error, "");
  }
};

} // namespace

TEST_F(world_fixture, WholeRunbookWalksThePhases) {
  EXPECT_EQ(w.pair(0).phase, pair_phase::normal);
  play(action_kind::pool_outage, "a.test");
  EXPECT_EQ(w.pair(0).phase, pair_phase::primary_outage);
  EXPECT_EQ(w.column_of_pair(0), column::failover_during);
  play(action_kind::invoke_failover, "a.test");
  play(action_kind::failover_complete, "a.test");
  EXPECT_EQ(w.column_of_pair(0), column::failover_after);
  play(action_kind::set_orbit, "b.test", "ra");
  EXPECT_EQ(w.pair(0).phase, pair_phase::ranges_redirected);
  play(action_kind::pool_restore, "a.test");
  EXPECT_EQ(w.pair(0).phase, pair_phase::primary_restored);
  play(action_kind::invoke_failback, "a.test");
  EXPECT_EQ(w.column_of_pair(0), column::failback_during);
  play(action_kind::failback_complete, "a.test");
  play(action_kind::set_orbit, "a.test", "ra");
  EXPECT_EQ(w.pair(0).phase, pair_phase::ranges_redirected_back);
}

TEST_F(world_fixture, EveryColumnChangeBumpsTheEpoch) {
  auto e0 = w.pair(0).epoch;
  play(action_kind::pool_outage, "a.test");
  EXPECT_EQ(w.pair(0).epoch, e0 + 1);
  play(action_kind::invoke_failover, "a.test"); // same column
  EXPECT_EQ(w.pair(0).epoch, e0 + 1);
  play(action_kind::failover_complete, "a.test");
  EXPECT_EQ(w.pair(0).epoch, e0 + 2);
}

TEST_F(world_fixture, FailedPoolUsersAreInResiliencyOnBackupUntilFailoverCompletes) {
  pool_id a = 0, b = 1;
  play(action_kind::pool_outage, "a.test");
  EXPECT_EQ(w.mode_of(a_user, a), user_mode::unregistered); // a is down
  EXPECT_EQ(w.desired_pool(a_user), b);
  EXPECT_EQ(w.mode_of(a_user, b), user_mode::resiliency);
  EXPECT_EQ(w.mode_of(b_user, b), user_mode::normal); // bystander at home
  play(action_kind::invoke_failover, "a.test");
  play(action_kind::failover_complete, "a.test");
  EXPECT_EQ(w.mode_of(a_user, b), user_mode::normal);
}

TEST_F(world_fixture, FailbackPutsUsersBackInResiliencyUntilComplete) {
  pool_id a = 0, b = 1;
  play(action_kind::pool_outage, "a.test");
  play(action_kind::invoke_failover, "a.test");
  play(action_kind::failover_complete, "a.test");
  play(action_kind::pool_restore, "a.test");
  play(action_kind::invoke_failback, "a.test");
  EXPECT_EQ(w.desired_pool(a_user), a);
  EXPECT_EQ(w.mode_of(a_user, b), user_mode::resiliency);
  EXPECT_EQ(w.mode_of(a_user, a), user_mode::resiliency);
  play(action_kind::failback_complete, "a.test");
  EXPECT_EQ(w.mode_of(a_user, a), user_mode::normal);
  EXPECT_EQ(w.mode_of(a_user, b), user_mode::resiliency); // not moved yet
}

TEST_F(world_fixture, RunbookStepsOutOfOrderAreRefused) {
  w.act(act(action_kind::failover_complete, "a.test"), minutes{1}, error);
  EXPECT_NE(error.find("failover must be invoked first"), std::string::npos);
  error.clear();
  w.act(act(action_kind::invoke_failback, "a.test"), minutes{1}, error);
  EXPECT_NE(error, "");
  error.clear();
  w.act(act(action_kind::pool_restore, "a.test"), minutes{1}, error);
  EXPECT_NE(error.find("not down"), std::string::npos);
  EXPECT_EQ(w.pair(0).phase, pair_phase::normal);
}

TEST_F(world_fixture, RedirectAfterRestoreStillCountsAsRedirected) {
  play(action_kind::pool_outage, "a.test");
  play(action_kind::invoke_failover, "a.test");
  play(action_kind::failover_complete, "a.test");
  play(action_kind::pool_restore, "a.test");
  play(action_kind::set_orbit, "b.test", "ra");
  EXPECT_EQ(w.pair(0).phase, pair_phase::ranges_redirected);
  play(action_kind::invoke_failback, "a.test");
  EXPECT_EQ(w.column_of_pair(0), column::failback_during);
}

TEST_F(world_fixture, RestoreBeforeFailoverIsABlipBackToNormal) {
  play(action_kind::pool_outage, "a.test");
  play(action_kind::pool_restore, "a.test");
  EXPECT_EQ(w.pair(0).phase, pair_phase::normal);
  EXPECT_EQ(w.desired_pool(a_user), 0);
}

TEST(Topology, ImpossiblePairingsAreReported) {
  auto s = pair_scenario();
  s.pools[0].backup = "a.test";
  auto built = build_topology(s);
  ASSERT_FALSE(built.errors.empty());
  EXPECT_NE(built.errors[0].find("own backup"), std::string::npos);
  s = pair_scenario();
  s.pools[1].backup = "nowhere.test";
  built = build_topology(s);
  ASSERT_FALSE(built.errors.empty());
  EXPECT_NE(built.errors[0].find("not declared"), std::string::npos);
}

TEST(Topology, GroupsTakeNumbersFromTheirPoolsOwnRanges) {
  auto s = pair_scenario();
  s.grouping.group_size = 5;
  s.grouping.share_in_groups = 1.0;
  auto built = build_topology(s);
  ASSERT_TRUE(built.errors.empty());
  const auto& t = *built.topo;
  ASSERT_EQ(t.groups.size(), 4u);
  EXPECT_EQ(t.groups[0].number, "*100");
  EXPECT_EQ(t.groups[2].number, "*200");
  EXPECT_EQ(t.group_of(12), 2u);
}

TEST(Topology, TooFewGroupNumbersIsAnError) {
  auto s = pair_scenario();
  s.ranges[0].end = "*100"; // one number for two groups of five
  s.grouping.group_size = 5;
  s.grouping.share_in_groups = 1.0;
  auto built = build_topology(s);
  ASSERT_FALSE(built.errors.empty());
  EXPECT_NE(built.errors[0].find("needs 2 pickup group numbers"),
            std::string::npos);
}
