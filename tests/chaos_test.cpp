// Random chaos expands into a coherent runbook per outage, the same for the
// same seed, and never drives a pair the written timeline drives.
#include "model/chaos.hpp"
#include "model/world.hpp"

#include <gtest/gtest.h>

using namespace calldrill;
using std::chrono::minutes;

namespace {

scenario chaos_scenario() {
  scenario s;
  for (auto [fqdn, backup] : {std::pair{"a.test", "b.test"},
                              {"b.test", "a.test"}, {"c.test", "d.test"},
                              {"d.test", "c.test"}}) {
    pool_spec p;
    p.fqdn = fqdn;
    p.backup = backup;
    p.users = 10;
    s.pools.push_back(p);
  }
  s.ranges = {{"ra", "*100", "*199", range_type::group_pickup, "a.test", {}},
              {"rb", "*200", "*299", range_type::group_pickup, "b.test", {}},
              {"rc", "*300", "*399", range_type::group_pickup, "c.test", {}},
              {"rd", "*400", "*499", range_type::group_pickup, "d.test", {}}};
  s.chaos.enabled = true;
  s.chaos.outages = 6;
  s.chaos.window_start = minutes{5};
  s.chaos.window_end = minutes{120};
  s.chaos.where = "drill.chaos";
  s.run.duration = minutes{300};
  return s;
}

std::shared_ptr<const topology> build(const scenario& s) {
  auto built = build_topology(s);
  if (!built.errors.empty())
    throw std::runtime_error(built.errors.front());
  return built.topo;
}

std::size_t count(const std::vector<drill_action>& v, action_kind k) {
  return static_cast<std::size_t>(std::count_if(
    v.begin(), v.end(), [k](const drill_action& a) { return a.kind == k; }));
}

} // namespace

TEST(Chaos, SameSeedSameActionsOtherSeedOtherActions) {
  auto s = chaos_scenario();
  auto t = build(s);
  auto a = expand_chaos(s, *t, 5);
  auto b = expand_chaos(s, *t, 5);
  auto c = expand_chaos(s, *t, 6);
  ASSERT_FALSE(a.empty());
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].at, b[i].at);
    EXPECT_EQ(a[i].kind, b[i].kind);
    EXPECT_EQ(a[i].pool, b[i].pool);
  }
  bool differs = a.size() != c.size();
  for (std::size_t i = 0; !differs && i < a.size(); ++i)
    differs = a[i].at != c[i].at || a[i].pool != c[i].pool;
  EXPECT_TRUE(differs);
}

TEST(Chaos, EveryExpansionPlaysWithoutARefusedStep) {
  auto s = chaos_scenario();
  s.chaos.forget_probability = 0.3;
  auto t = build(s);
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    world w{*t};
    auto actions = expand_chaos(s, *t, seed);
    for (std::size_t i = 1; i < actions.size(); ++i)
      ASSERT_LE(actions[i - 1].at, actions[i].at);
    for (const auto& a : actions) {
      std::string error;
      w.act(a, a.at, error);
      ASSERT_EQ(error, "") << "seed " << seed;
    }
  }
}

TEST(Chaos, WithoutForgettingEachOutageRunsTheWholeRunbook) {
  auto s = chaos_scenario();
  s.chaos.outages = 1;
  s.chaos.pools = {"a.test"};
  s.chaos.outage = {minutes{40}, minutes{40}};
  auto t = build(s);
  auto v = expand_chaos(s, *t, 1);
  EXPECT_EQ(count(v, action_kind::pool_outage), 1u);
  EXPECT_EQ(count(v, action_kind::invoke_failover), 1u);
  EXPECT_EQ(count(v, action_kind::failover_complete), 1u);
  EXPECT_EQ(count(v, action_kind::pool_restore), 1u);
  EXPECT_EQ(count(v, action_kind::invoke_failback), 1u);
  EXPECT_EQ(count(v, action_kind::failback_complete), 1u);
  EXPECT_EQ(count(v, action_kind::set_orbit), 2u); // ra there and back
  EXPECT_EQ(v.front().where, "drill.chaos");
}

TEST(Chaos, AlwaysForgettingLeavesOnlyBlips) {
  auto s = chaos_scenario();
  s.chaos.forget_probability = 1.0;
  auto t = build(s);
  auto v = expand_chaos(s, *t, 3);
  EXPECT_GT(count(v, action_kind::pool_outage), 0u);
  EXPECT_EQ(count(v, action_kind::pool_outage), count(v, action_kind::pool_restore));
  EXPECT_EQ(count(v, action_kind::invoke_failover), 0u);
}

TEST(Chaos, PairsDrivenByTheTimelineAreLeftAlone) {
  auto s = chaos_scenario();
  drill_action a;
  a.at = minutes{10};
  a.kind = action_kind::pool_outage;
  a.pool = "b.test";
  s.drill = {a};
  auto t = build(s);
  auto pools = chaos_candidates(s, *t);
  EXPECT_EQ(pools, (std::vector<pool_id>{2, 3}));
  auto all = full_drill(s, *t);
  EXPECT_EQ(all.size(), expand_chaos(s, *t, 0).size() + 1);
}
