// What live metrics cost: whole drills in virtual time with no sink, and with
// the exporter fed a view every 10 or 60 simulated seconds (the CLI uses 60
// in virtual time); events = actor messages handled. Also one publish of a
// full view with every series changed, and one scrape's serialization.
#include "metrics/exporter.hpp"
#include "scenarios/builtin.hpp"
#include "tests/small_drill.hpp"

#include <benchmark/benchmark.h>

namespace calldrill {
namespace {

/// Runs `s` with an exporter fed a live view every `every_s` simulated
/// seconds, or with no sink at all when `every_s` is 0.
void run_drill(benchmark::State& state, scenario s, std::int64_t every_s) {
  bool metrics = every_s > 0;
  auto scn = std::make_shared<scenario>(std::move(s));
  auto topo = build_topology(*scn).topo;
  std::uint64_t messages = 0;
  std::uint64_t views = 0;
  for (auto _ : state) {
    std::unique_ptr<exporter> exp;
    run_hooks hooks;
    if (metrics) {
      exp = std::make_unique<exporter>(*topo, *scn, exporter_options{});
      hooks.sink = [&](const live_view& v) {
        exp->publish(v);
        ++views;
      };
      hooks.every = std::chrono::seconds{every_s};
    }
    auto r = run_scenario(scn, topo, hooks);
    messages += r.wall.actor_messages;
  }
  state.counters["events/s"] = benchmark::Counter(
    static_cast<double>(messages), benchmark::Counter::kIsRate);
  state.counters["views"] = benchmark::Counter(
    static_cast<double>(views), benchmark::Counter::kAvgIterations);
}

void whole_small_drill(benchmark::State& state) {
  run_drill(state, testing::small_drill(), state.range(0));
}
BENCHMARK(whole_small_drill)->ArgName("view_every_s")->Arg(0)->Arg(10)->Arg(60)
  ->Unit(benchmark::kMillisecond)->UseRealTime();

void whole_default_drill(benchmark::State& state) {
  auto s = calldrill::default_drill();
  s.run.seed = 1;
  run_drill(state, s, state.range(0));
}
BENCHMARK(whole_default_drill)->ArgName("view_every_s")->Arg(0)->Arg(10)->Arg(60)
  ->Unit(benchmark::kSecond)->UseRealTime()->Iterations(2);

/// The final view of a 20-minute default drill, as the collector merges it.
struct captured {
  std::shared_ptr<scenario> scn;
  std::shared_ptr<const topology> topo;
  live_view last;

  captured() {
    auto s = calldrill::default_drill();
    s.run.seed = 1;
    s.run.duration = std::chrono::minutes{20};
    scn = std::make_shared<scenario>(s);
    topo = build_topology(*scn).topo;
    run_hooks h;
    h.sink = [this](const live_view& v) { last = v; };
    run_scenario(scn, topo, h);
  }
};

const captured& capture() {
  static captured c;
  return c;
}

void publish_every_series_changed(benchmark::State& state) {
  const auto& c = capture();
  exporter exp{*c.topo, *c.scn, {}};
  auto v = c.last;
  for (auto _ : state) {
    for (auto& row : v.total.obs.cells())
      for (auto& n : row)
        ++n;
    for (auto& h : v.total.latencies)
      h.observe(1.0);
    ++v.total.arrivals;
    exp.publish(v);
  }
}
BENCHMARK(publish_every_series_changed)->Unit(benchmark::kMicrosecond);

void publish_unchanged(benchmark::State& state) {
  const auto& c = capture();
  exporter exp{*c.topo, *c.scn, {}};
  exp.publish(c.last);
  for (auto _ : state)
    exp.publish(c.last);
}
BENCHMARK(publish_unchanged)->Unit(benchmark::kMicrosecond);

void scrape_serialization(benchmark::State& state) {
  const auto& c = capture();
  exporter exp{*c.topo, *c.scn, {}};
  exp.publish(c.last);
  std::size_t bytes = 0;
  for (auto _ : state)
    bytes += exp.exposition().size();
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(scrape_serialization)->Unit(benchmark::kMicrosecond);

} // namespace
} // namespace calldrill
