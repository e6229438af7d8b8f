// Chaos controller: plays the drill timeline (chaos actions and operator
// runbook steps) at their simulated instants, turns each into world events
// and broadcasts them to every pool and host; ends the run on time. A
// partitioned run has a copy in every partition, playing the same timeline to
// its own actors; the first partition's speaks for the run (facts, phases,
// the controller's snapshot).
#include "actors/drivers.hpp"

#include "model/chaos.hpp"

#include <algorithm>

namespace calldrill {

namespace {

struct controller_state {
  context_ptr ctx;
  world truth;
  std::vector<drill_action> timeline;
  std::size_t next = 0;
  sim_duration armed{-1};
  std::uint64_t messages = 0;
  std::array<std::uint64_t, action_kind_count> played{};
};

using controller_ptr = ticker_actor::stateful_pointer<controller_state>;

void broadcast(controller_ptr self, const world_event& e) {
  const auto& dir = self->state.ctx->dir;
  for (const auto& p : dir.pools)
    if (p)
      self->send(p, e);
  for (const auto& h : dir.hosts)
    if (h)
      self->send(h, e);
}

/// Whether this copy speaks for the run.
bool speaks(const controller_state& st) { return st.ctx->partition == 0; }

/// The fact of a world event, as the controller broadcasts it.
fact fact_of(const world_event& e) {
  using k = world_event::kind;
  switch (e.what) {
    case k::pool_up:
      return facts::pool_event(fact_kind::pool_up, e.at, static_cast<pool_id>(e.index));
    case k::pool_down:
      return facts::pool_event(fact_kind::pool_down, e.at, static_cast<pool_id>(e.index));
    case k::call_park_on:
      return facts::pool_event(fact_kind::call_park_on, e.at, static_cast<pool_id>(e.index));
    case k::call_park_off:
      return facts::pool_event(fact_kind::call_park_off, e.at, static_cast<pool_id>(e.index));
    case k::orbit:
      return facts::orbit_set(e.at, e.index, e.target);
    case k::pair:
    default:
      return facts::pair_phase(e.at, e.index, e.pair.phase, e.pair.failed);
  }
}

void play(controller_ptr self, const drill_action& a) {
  auto& st = self->state;
  std::string error;
  auto done = facts::make(fact_kind::action, a.at);
  done.code = static_cast<std::uint8_t>(a.kind);
  done.pool = st.truth.find_pool(a.pool);
  if (a.kind == action_kind::set_orbit)
    done.group = st.ctx->topo->find_range(a.range); // ranges.size(): none
  auto events = st.truth.act(a, a.at, error);
  done.value = error.empty() ? 0 : 1;
  if (speaks(st))
    st.ctx->record(done);
  if (!error.empty()) {
    if (speaks(st))
      self->send(st.ctx->dir.collector,
                 phase_msg{a.at, 0, pair_phase::normal, error, true});
    return;
  }
  ++st.played[static_cast<std::size_t>(a.kind)];
  auto label = std::string{name(a.kind)} + " " + a.pool
               + (a.range.empty() ? std::string{} : " " + a.range);
  for (const auto& e : events) {
    if (speaks(st))
      st.ctx->record(fact_of(e));
    broadcast(self, e);
    if (e.what == world_event::kind::pair && speaks(st))
      self->send(st.ctx->dir.collector,
                 phase_msg{a.at, static_cast<pair_id>(e.index), e.pair.phase,
                           label, false});
  }
}

snapshot_msg snapshot(const controller_state& st, bool final) {
  snapshot_msg m;
  m.final = final;
  m.snap.messages = st.messages;
  if (!speaks(st))
    return m;
  const auto& topo = *st.ctx->topo;
  for (std::size_t p = 0; p < topo.pairs.size(); ++p)
    m.snap.pairs.push_back(st.truth.pair(static_cast<pair_id>(p)));
  for (std::size_t r = 0; r < topo.ranges.size(); ++r)
    m.snap.orbit_targets.push_back(st.truth.orbit_target(static_cast<range_id>(r)));
  for (std::size_t p = 0; p < topo.pools.size(); ++p)
    m.snap.pool_fqdns.push_back(st.truth.fqdn(static_cast<pool_id>(p)));
  m.snap.actions = st.played;
  return m;
}

void finish(controller_ptr self) {
  auto& st = self->state;
  const auto& dir = st.ctx->dir;
  auto now = st.ctx->now(self->clock());
  if (st.ctx->realtime) {
    auto lag = facts::make(fact_kind::clock_lag, now);
    lag.value = st.ctx->lateness_max_us.load(std::memory_order_relaxed);
    st.ctx->record(lag);
  }
  if (speaks(st))
    st.ctx->record(facts::make(fact_kind::run_end, now));
  self->send(dir.generator, finish_atom_v);
  for (const auto& h : dir.hosts)
    if (h)
      self->send(h, finish_atom_v);
  for (const auto& p : dir.pools)
    if (p)
      self->send(p, finish_atom_v);
  self->send(dir.collector, snapshot(st, true));
  self->quit();
}

void on_tick(controller_ptr self) {
  auto& st = self->state;
  auto now = st.ctx->now(self->clock());
  auto end = st.ctx->scn->run.duration;
  while (st.next < st.timeline.size() && st.timeline[st.next].at <= now
         && st.timeline[st.next].at < end) {
    st.ctx->late(st.timeline[st.next].at, now);
    play(self, st.timeline[st.next++]);
  }
  if (now >= end) {
    finish(self);
    return;
  }
  auto due = end;
  if (st.next < st.timeline.size())
    due = std::min(due, st.timeline[st.next].at);
  arm_tick(self, *st.ctx, due, st.armed, now);
}

} // namespace

ticker_actor spawn_controller(caf::actor_system& sys, context_ptr ctx) {
  auto impl = [](controller_ptr self,
                 context_ptr c) -> ticker_actor::behavior_type {
    auto& st = self->state;
    st.ctx = std::move(c);
    st.truth = world{*st.ctx->topo};
    st.timeline = full_drill(*st.ctx->scn, *st.ctx->topo); // time order
    return {
      [=](start_atom) {
        ++self->state.messages;
        on_tick(self);
      },
      [=](tick_atom) {
        ++self->state.messages;
        on_tick(self);
      },
      [=](finish_atom) { finish(self); },
      [=](snapshot_atom) {
        self->send(self->state.ctx->dir.collector, snapshot(self->state, false));
      },
    };
  };
  return sys.spawn(impl, std::move(ctx));
}

} // namespace calldrill
