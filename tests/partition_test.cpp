// Partitioned virtual time (model/partitions.hpp, actors/windows.cpp): the
// plan gives every user one host in its pair's partition; a partitioned run's
// history, verdict and counters are the same for any number of workers; and a
// message between pairs takes the inter-pair delay, no more, no less.
#include "history/fact.hpp"
#include "model/partitions.hpp"
#include "small_drill.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <map>
#include <tuple>

using namespace calldrill;
using namespace calldrill::testing;

namespace {

scenario partitioned(std::uint32_t workers) {
  auto s = small_drill(5); // a DR pair and a lone pool: two partitions
  s.run.partition_by_pair = true;
  s.run.workers = workers;
  return s;
}

bool same_facts(const std::vector<fact>& a, const std::vector<fact>& b) {
  return a.size() == b.size()
         && std::memcmp(a.data(), b.data(), a.size() * sizeof(fact)) == 0;
}

} // namespace

TEST(PartitionPlan, EveryUserHasOneHostInItsPairsPartition) {
  auto s = std::make_shared<scenario>(small_drill());
  auto topo = build_topology(*s).topo;
  constexpr std::uint32_t per_host = 70; // does not divide a pool's 400
  partition_plan plan{*topo, per_host, true};
  ASSERT_EQ(plan.count(), topo->pairs.size());
  ASSERT_EQ(plan.count(), 2u);
  std::vector<int> seen(topo->user_count(), 0);
  for (std::uint32_t h = 0; h < plan.hosts(); ++h) {
    auto p = plan.partition_of_host(h);
    auto [first, end] = plan.hosts_of(p);
    EXPECT_TRUE(h >= first && h < end) << h;
    ASSERT_GT(plan.users_of_host(h), 0u);
    ASSERT_LE(plan.users_of_host(h), per_host);
    for (std::uint32_t i = 0; i < plan.users_of_host(h); ++i) {
      auto u = plan.user_at(h, i);
      EXPECT_EQ(topo->pair_of_user(u), p) << u;
      EXPECT_EQ(plan.host_of(u), h) << u;
      EXPECT_EQ(plan.local_of(u), i) << u;
      ++seen[u];
    }
  }
  for (user_id u = 0; u < topo->user_count(); ++u)
    EXPECT_EQ(seen[u], 1) << u;
  std::uint32_t users = 0;
  for (std::uint32_t p = 0; p < plan.count(); ++p) {
    users += plan.users_in(p);
    for (std::uint32_t i = 0; i < plan.users_in(p); ++i)
      EXPECT_EQ(topo->pair_of_user(plan.user_in(p, i)), p);
  }
  EXPECT_EQ(users, topo->user_count());
}

TEST(PartitionPlan, OnePartitionKeepsContiguousHosts) {
  auto s = std::make_shared<scenario>(small_drill());
  auto topo = build_topology(*s).topo;
  partition_plan plan{*topo, 70, false};
  EXPECT_EQ(plan.count(), 1u);
  EXPECT_EQ(plan.hosts(), (topo->user_count() + 69) / 70);
  for (user_id u = 0; u < topo->user_count(); ++u) {
    EXPECT_EQ(plan.host_of(u), u / 70);
    EXPECT_EQ(plan.user_at(u / 70, plan.local_of(u)), u);
  }
}

TEST(Partitioned, HistoryVerdictAndCountersAreTheSameForAnyNumberOfWorkers) {
  auto one = play(partitioned(1));
  EXPECT_TRUE(one.run.v().pass());
  EXPECT_GT(one.facts.size(), 10000u);
  for (std::uint32_t workers : {2u, 3u}) {
    auto other = play(partitioned(workers));
    EXPECT_TRUE(same_facts(one.facts, other.facts)) << workers << " workers";
    EXPECT_EQ(one.run.result.obs.cells(), other.run.result.obs.cells());
    EXPECT_EQ(one.run.v().pass(), other.run.v().pass());
    EXPECT_EQ(one.run.v().checks.size(), other.run.v().checks.size());
  }
}

TEST(Partitioned, AMessageBetweenPairsTakesTheInterPairDelay) {
  auto s = small_drill(5);
  auto topo = build_topology(s).topo;
  for (bool cut : {false, true}) {
    auto sc = s;
    sc.run.partition_by_pair = cut;
    auto r = play(sc);
    // A dial reaches the pool it goes to after the delay when that pool is
    // in another pair than the dialling user, at once otherwise.
    std::map<std::pair<std::uint64_t, user_id>, fact> dialed;
    std::size_t across = 0, within = 0;
    for (const auto& f : r.facts) {
      if (f.kind == fact_kind::pickup_dialed && f.pool2 != no_pool)
        dialed[{f.id, f.user}] = f;
      if (f.kind != fact_kind::pickup_done || f.pool == no_pool)
        continue;
      auto d = dialed.find({f.id, f.user});
      if (d == dialed.end())
        continue;
      auto crosses = topo->pair_of_user(f.user) != topo->pools[f.pool].pair;
      auto expect = cut && crosses ? inter_pair_delay : sim_duration{0};
      EXPECT_EQ(f.at - d->second.at, expect)
        << "pickup of call " << f.id << " by user " << f.user;
      ++(crosses ? across : within);
    }
    EXPECT_GT(across, 100u);
    EXPECT_GT(within, 100u);
  }
}

TEST(Partitioned, LiveViewsCoverEveryPartitionAndAStopEndsTheRunAtOnce) {
  auto s = std::make_shared<scenario>(partitioned(2));
  auto topo = build_topology(*s).topo;
  std::atomic<int> stop{0};
  std::vector<sim_duration> seen;
  run_hooks hooks;
  hooks.every = std::chrono::minutes{1};
  hooks.stop = &stop;
  hooks.sink = [&](const live_view& v) {
    if (v.final)
      return;
    seen.push_back(v.now);
    std::uint64_t users = 0;
    for (auto n : v.total.users_by_mode)
      users += n;
    EXPECT_EQ(users, topo->user_count()) << "view at " << v.now.count();
    if (v.now >= std::chrono::minutes{5})
      stop = 1;
  };
  auto r = play(*s, hooks);
  const auto& run = r.run;
  ASSERT_GE(seen.size(), 5u);
  for (std::size_t i = 1; i < seen.size(); ++i)
    EXPECT_EQ(seen[i] - seen[i - 1], std::chrono::minutes{1});
  EXPECT_GE(run.result.simulated, std::chrono::minutes{5});
  EXPECT_LE(run.result.simulated, std::chrono::minutes{5} + 2 * inter_pair_delay);
  ASSERT_FALSE(r.facts.empty());
  EXPECT_EQ(r.facts.back().kind, fact_kind::run_end);
  for (const auto& f : r.facts)
    EXPECT_LE(f.at, r.facts.back().at);
}
