// Collector: gathers snapshots from every actor. Periodically (when a live
// sink is set) it asks for them and hands the merged view to the sink; at the
// end it merges the final ones into the run result and signals the driver.
#include "actors/drivers.hpp"

#include <algorithm>

namespace calldrill {

namespace {

struct collector_state {
  context_ptr ctx;
  collector_setup setup;
  std::size_t finals = 0;
  actor_snapshot final_total;
  std::size_t round_replies = 0;
  actor_snapshot round_total;
  bool round_open = false;
  sim_duration armed{-1};
};

using collector_ptr = collector_actor::stateful_pointer<collector_state>;

double percentile(std::vector<double> xs, double q) {
  if (xs.empty())
    return 0;
  auto k = static_cast<std::size_t>(q * static_cast<double>(xs.size() - 1));
  std::nth_element(xs.begin(), xs.begin() + static_cast<long>(k), xs.end());
  return xs[k];
}

template <class F>
void for_each_reporter(const directory& dir, F f) {
  for (const auto& p : dir.pools)
    if (p)
      f(p);
  for (const auto& h : dir.hosts)
    if (h)
      f(h);
  f(dir.generator);
  f(dir.controller);
}

void open_round(collector_ptr self) {
  auto& st = self->state;
  auto now = st.ctx->now(self->clock());
  if (!st.round_open && st.finals == 0) {
    st.round_open = true;
    st.round_replies = 0;
    st.round_total = actor_snapshot{};
    for_each_reporter(st.ctx->dir,
                      [&](const auto& h) { self->send(h, snapshot_atom_v); });
  }
  arm_tick(self, *st.ctx, now + st.setup.every, st.armed, now);
}

void finish(collector_ptr self) {
  auto& st = self->state;
  if (st.setup.total_out) {
    *st.setup.total_out = std::move(st.final_total);
  } else {
    fill_result(*st.setup.out, st.final_total);
    if (st.setup.sink) {
      live_view v;
      v.now = st.ctx->scn->run.duration;
      v.final = true;
      v.total = st.final_total;
      st.setup.sink(v);
    }
  }
  st.setup.done->set_value();
  self->quit();
}

void on_snapshot(collector_ptr self, snapshot_msg& m) {
  auto& st = self->state;
  if (m.final) {
    st.final_total.merge(m.snap);
    if (++st.finals == st.setup.expected)
      finish(self);
    return;
  }
  if (!st.round_open || st.finals > 0)
    return; // a round overtaken by the end of the run
  st.round_total.merge(m.snap);
  if (++st.round_replies < st.setup.expected)
    return;
  st.round_open = false;
  live_view v;
  v.now = st.ctx->now(self->clock());
  v.total = std::move(st.round_total);
  st.setup.sink(v);
}

} // namespace

void fill_result(run_result& out, const actor_snapshot& total) {
  out.obs = total.obs;
  out.latencies = total.latencies;
  out.actions = total.actions;
  out.orbit_targets = total.orbit_targets;
  out.pools = total.pools;
  out.users_by_mode = total.users_by_mode;
  out.wall.actor_messages = total.messages;
  out.wall.arrival_lag_p99_ms = percentile(total.lags_ms, 0.99);
}

collector_actor spawn_collector(caf::actor_system& sys, context_ptr ctx,
                                collector_setup setup) {
  auto impl = [](collector_ptr self, context_ptr c,
                 collector_setup s) -> collector_actor::behavior_type {
    auto& st = self->state;
    st.ctx = std::move(c);
    st.setup = std::move(s);
    st.final_total.obs = observations{st.ctx->topo->pairs.size()};
    return {
      [=](snapshot_msg& m) { on_snapshot(self, m); },
      [=](const phase_msg& m) {
        auto& out = *self->state.setup.out;
        if (m.refused)
          out.refused.push_back({m.at, m.action});
        else
          out.phases.push_back({m.at, m.pair, m.phase, m.action});
      },
      [=](start_atom) {
        if (self->state.setup.sink && self->state.setup.every.count() > 0)
          open_round(self);
      },
      [=](tick_atom) { open_round(self); },
    };
  };
  return sys.spawn(impl, std::move(ctx), std::move(setup));
}

} // namespace calldrill
