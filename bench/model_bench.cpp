// Micro-benchmarks of the hot units that every call goes through: pickup
// routing and rules, queue operations, the host's timer heap and call table,
// the registration rules, and merging observations.
#include "model/call_table.hpp"
#include "model/observations.hpp"
#include "model/pickup_rules.hpp"
#include "model/rng.hpp"
#include "model/timer_queue.hpp"
#include "model/world.hpp"

#include <benchmark/benchmark.h>

using namespace calldrill;

namespace {

scenario pair_scenario(std::uint32_t users) {
  scenario s;
  pool_spec a;
  a.fqdn = "a.bench";
  a.backup = "b.bench";
  a.users = users;
  pool_spec b = a;
  b.fqdn = "b.bench";
  b.backup = "a.bench";
  s.pools = {a, b};
  s.ranges = {{"ra", "10000000", "10099999", range_type::group_pickup, "a.bench", {}},
              {"rb", "20000000", "20099999", range_type::group_pickup, "b.bench", {}}};
  return s;
}

void PickupRulesCheck(benchmark::State& state) {
  pickup_context c;
  defect_set none;
  for (auto _ : state) {
    c.picker_mode = static_cast<user_mode>(state.iterations() % 3);
    benchmark::DoNotOptimize(check_pickup(c, none));
  }
}
BENCHMARK(PickupRulesCheck);

void PickupQueueEnqueueTakeRemove(benchmark::State& state) {
  const auto depth = static_cast<std::uint32_t>(state.range(0));
  pickup_queues q;
  call_id next = 0;
  for (std::uint32_t i = 0; i < depth; ++i)
    q.push(i % 64, queue_entry{next++, i, {}, 1, false});
  for (auto _ : state) {
    auto g = static_cast<group_id>(next % 64);
    q.push(g, queue_entry{next, 1, {}, 1, false});
    auto got = q.take_first(g, [](const queue_entry& e) { return e.epoch == 1; });
    benchmark::DoNotOptimize(got);
    q.push(g, queue_entry{next + 1, 1, {}, 1, false});
    benchmark::DoNotOptimize(q.remove(g, next + 1));
    next += 2;
  }
}
BENCHMARK(PickupQueueEnqueueTakeRemove)->Arg(64)->Arg(4096);

void TimerQueuePushPop(benchmark::State& state) {
  timer_queue q;
  rng r{1};
  const auto depth = state.range(0);
  for (long i = 0; i < depth; ++i)
    q.push(sim_duration{static_cast<long>(r.below(1000000000))}, 1, static_cast<std::uint64_t>(i));
  sim_duration now{0};
  for (auto _ : state) {
    auto e = q.pop();
    now = e.at;
    q.push(now + sim_duration{static_cast<long>(r.below(100000000))}, e.kind(), e.id());
  }
}
BENCHMARK(TimerQueuePushPop)->Arg(1000)->Arg(100000);

void CallTableOpenFindClose(benchmark::State& state) {
  call_table t{3};
  std::vector<call_id> live;
  for (int i = 0; i < 1000; ++i)
    live.push_back(t.open(static_cast<user_id>(i), {}));
  std::size_t k = 0;
  for (auto _ : state) {
    auto h = live[k % live.size()];
    benchmark::DoNotOptimize(t.find(h));
    t.close(h);
    live[k % live.size()] = t.open(1, {});
    ++k;
  }
}
BENCHMARK(CallTableOpenFindClose);

void WorldModeOf(benchmark::State& state) {
  auto s = pair_scenario(50000);
  auto topo = build_topology(s).topo;
  world w{*topo};
  std::string error;
  drill_action out;
  out.kind = action_kind::pool_outage;
  out.pool = "a.bench";
  w.act(out, {}, error);
  user_id u = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(w.mode_of(u, 1));
    u = (u + 7919) % topo->user_count();
  }
}
BENCHMARK(WorldModeOf);

void ObservationsMerge(benchmark::State& state) {
  observations a{static_cast<std::size_t>(state.range(0))};
  observations b{static_cast<std::size_t>(state.range(0))};
  b.add(0, column::normal, counter::calls_started, 5);
  for (auto _ : state) {
    a.merge(b);
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(ObservationsMerge)->Arg(1)->Arg(10);

} // namespace


