// Pool actor: admits registrations at its rate, holds pickup queues, and
// judges Group Call Pickup attempts by DOMAIN.md's rules 1-3, recording the
// facts of each attempt next to its result.
#include "actors/pool.hpp"

#include "model/pickup_rules.hpp"

#include <deque>
#include <unordered_map>

namespace calldrill {

namespace {

constexpr sim_duration admission_tick = std::chrono::milliseconds{100};

struct pending_registration {
  user_id user;
  std::uint32_t host;
  sim_duration requested;
};

struct pool_state {
  context_ptr ctx;
  pool_id id = 0;
  pair_id pair = 0;
  world view;
  observations obs;
  std::vector<bool> registered; ///< per user: registered on this pool
  pickup_queues queues;
  std::deque<pending_registration> admission;
  double budget = 1; ///< admission tokens (a token bucket, burst of one tick)
  sim_duration last_admit{};
  sim_duration armed{-1};
  std::uint64_t messages = 0;
  std::array<latency_histogram, latency_count> latencies{};

  void init(context_ptr c, pool_id p) {
    ctx = std::move(c);
    id = p;
    pair = ctx->topo->pools[p].pair;
    view = world{*ctx->topo};
    obs = observations{ctx->topo->pairs.size()};
    registered.assign(ctx->topo->user_count(), false);
    for (user_id u = 0; u < ctx->topo->user_count(); ++u)
      registered[u] = ctx->topo->home_of(u) == p;
  }

  const topology& topo() const { return *ctx->topo; }
  const defect_set& defects() const { return ctx->scn->defects; }
  std::uint32_t epoch() const { return view.pair(pair).epoch; }
  column col_of(user_id u) const {
    return view.column_of_pair(topo().pair_of_user(u));
  }
  user_mode mode_here(user_id u) const {
    return registered[u] ? view.mode_of(u, id) : user_mode::unregistered;
  }
};

using pool_ptr = pool_actor::stateful_pointer<pool_state>;

// -- world events ------------------------------------------------------------

void on_world(pool_ptr self, const world_event& e) {
  auto& st = self->state;
  auto before = st.view.pair(st.pair);
  st.view.apply(e);
  if ((e.what == world_event::kind::pool_down) && e.index == st.id) {
    // A failed pool loses its registrations, its queues and its backlog.
    st.registered.assign(st.registered.size(), false);
    st.queues.purge([](const queue_entry&) { return true; },
                    [](group_id, const queue_entry&) {});
    st.admission.clear();
    return;
  }
  if (e.what != world_event::kind::pair || e.index != st.pair)
    return;
  if (e.pair.epoch == before.epoch)
    return;
  auto col = column_of(e.pair.phase);
  st.obs.add(st.pair, col, counter::stale_entries, st.queues.size());
  if (e.pair.phase == pair_phase::failover_complete) {
    if (!st.defects().has(defect::keep_stale_queue)) {
      auto epoch = st.epoch();
      st.queues.purge([epoch](const queue_entry& q) { return q.epoch != epoch; },
                      [](group_id, const queue_entry&) {});
    }
    st.obs.add(st.pair, col, counter::stale_left, st.queues.size());
  }
}

// -- registrar -----------------------------------------------------------------

void admit_due(pool_ptr self) {
  auto& st = self->state;
  auto now = st.ctx->now(self->clock());
  auto rate = st.ctx->topo->pools[st.id].registrations_per_second;
  auto elapsed = to_seconds(now - st.last_admit);
  st.last_admit = now;
  st.budget = std::min(st.budget + rate * elapsed,
                       std::max(1.0, rate * to_seconds(admission_tick)));
  std::unordered_map<std::uint32_t, registered_msg> replies;
  while (!st.admission.empty() && st.budget >= 1.0) {
    auto r = st.admission.front();
    st.admission.pop_front();
    st.budget -= 1.0;
    st.registered[r.user] = true;
    auto pair = st.topo().pair_of_user(r.user);
    auto col = st.view.column_of_pair(pair);
    st.obs.add(pair, col, counter::registrations);
    if (st.view.mode_of(r.user, st.id) == user_mode::resiliency)
      st.obs.add(pair, col, counter::registrations_resiliency);
    auto wait = static_cast<std::uint64_t>((now - r.requested).count());
    st.obs.add(pair, col, counter::registration_wait_us, wait);
    st.obs.raise(pair, col, counter::registration_wait_max_us, wait);
    st.latencies[static_cast<std::size_t>(latency::registration)].observe(
      to_seconds(now - r.requested));
    auto& msg = replies[r.host];
    msg.pool = st.id;
    msg.users.push_back(r.user);
    msg.requested.push_back(r.requested);
  }
  for (auto& [host, msg] : replies)
    self->send(st.ctx->dir.hosts[host], std::move(msg));
  if (!st.admission.empty())
    arm_tick(self, *st.ctx, now + admission_tick, st.armed, now);
}

void on_register(pool_ptr self, register_msg& m) {
  auto& st = self->state;
  if (!st.view.up(st.id))
    return; // a down pool answers nobody; clients retry when it is back
  for (std::size_t i = 0; i < m.users.size(); ++i)
    st.admission.push_back({m.users[i], m.host, m.requested[i]});
  admit_due(self);
}

// -- Group Call Pickup ---------------------------------------------------------

/// The facts of one attempt, recorded whatever the system decides.
struct attempt_facts {
  bool rules_hold = false;   ///< rules 1-3 hold without defects
  bool involves_resiliency = false;
  bool trigger_stale = false;
  bool bystander = false;
  bool unredirected = false;
};

attempt_facts observe(const pool_state& st, const pickup_msg& m,
                      const pickup_context& ctx) {
  attempt_facts f;
  auto epoch = st.epoch();
  auto honest = check_pickup(ctx, defect_set{});
  bool fresh = st.queues.count(m.group, [&](const queue_entry& e) {
    return st.registered[e.callee]
           && answerable_by_rules(e, epoch, st.mode_here(e.callee));
  }) > 0;
  f.rules_hold = honest == pickup_result::ok && fresh;
  f.involves_resiliency = m.picker_mode == user_mode::resiliency
                          || ctx.callee_mode == user_mode::resiliency;
  const auto* trigger = st.queues.find(m.group, m.call);
  f.trigger_stale = trigger != nullptr && trigger->epoch != epoch;
  if (trigger != nullptr && trigger->entered_in_resiliency)
    f.involves_resiliency = true;
  auto callee_home = st.topo().home_of(m.callee);
  f.bystander = f.rules_hold && m.picker_at_home && callee_home == st.id
                && ctx.callee_mode == user_mode::normal;
  f.unredirected = m.range_target != m.callee_serving;
  return f;
}

void record(pool_state& st, const pickup_msg& m, const attempt_facts& f,
            pickup_result r, const queue_entry* picked) {
  auto pair = st.topo().pair_of_user(m.callee);
  auto col = st.view.column_of_pair(pair);
  auto ok = r == pickup_result::ok;
  auto add = [&](counter k, bool cond) {
    if (cond)
      st.obs.add(pair, col, k);
  };
  add(pickup_counter(r), true);
  bool picked_resiliency = picked != nullptr && picked->entered_in_resiliency;
  add(counter::resiliency_attempts, f.involves_resiliency);
  add(counter::resiliency_ok, ok && (f.involves_resiliency || picked_resiliency));
  add(counter::eligible_attempts, f.rules_hold);
  add(counter::eligible_ok, f.rules_hold && ok);
  add(counter::unredirected_attempts, f.unredirected);
  add(counter::unredirected_ok, f.unredirected && ok);
  add(counter::stale_attempts, f.trigger_stale);
  add(counter::stale_ok, picked != nullptr && picked->epoch != st.epoch());
  add(counter::bystander_attempts, f.bystander);
  add(counter::bystander_ok, f.bystander && ok);
}

void on_pickup(pool_ptr self, const pickup_msg& m) {
  auto& st = self->state;
  const auto& d = st.defects();
  pickup_context ctx;
  ctx.pool_up = st.view.up(st.id);
  ctx.call_park_enabled = st.view.call_park_enabled(st.id);
  ctx.picker_mode = m.picker_mode;
  ctx.callee_served_here = st.registered[m.callee];
  ctx.callee_mode = st.mode_here(m.callee);
  auto facts = observe(st, m, ctx);
  const auto& pst = st.view.pair(st.pair);
  ctx.bystander_degraded
    = d.has(defect::degrade_bystanders) && pst.failed != no_pool
      && pst.failed != st.id
      && column_of(pst.phase) == column::failover_during
      && st.topo().home_of(m.callee) == st.id;
  auto result = check_pickup(ctx, d);
  std::optional<queue_entry> picked;
  if (result == pickup_result::ok) {
    auto epoch = st.epoch();
    picked = st.queues.take_first(m.group, [&](const queue_entry& e) {
      return st.registered[e.callee]
             && answerable(e, epoch, st.mode_here(e.callee), d);
    });
    if (!picked)
      result = st.queues.count(m.group, [](const queue_entry&) { return true; })
                   > 0
                 ? pickup_result::stale_entry
                 : pickup_result::no_call_ringing;
  }
  record(st, m, facts, result, picked ? &*picked : nullptr);
  if (picked)
    st.latencies[static_cast<std::size_t>(latency::pickup)].observe(
      to_seconds(st.ctx->now(self->clock()) - picked->since));
  if (picked)
    self->send(st.ctx->dir.hosts[st.ctx->host_of(picked->callee)],
               picked_msg{picked->call, m.picker});
}

void on_enqueue(pool_ptr self, const enqueue_msg& m) {
  auto& st = self->state;
  if (!st.view.up(st.id) || !st.view.call_park_enabled(st.id)
      || !st.registered[m.callee])
    return;
  queue_entry e;
  e.call = m.call;
  e.callee = m.callee;
  e.since = m.since;
  e.epoch = st.epoch();
  e.entered_in_resiliency = st.mode_here(m.callee) == user_mode::resiliency;
  st.queues.push(m.group, e);
}

snapshot_msg snapshot(const pool_state& st, bool final) {
  snapshot_msg m;
  m.final = final;
  m.snap.obs = st.obs;
  m.snap.latencies = st.latencies;
  m.snap.pools.push_back(pool_gauge{st.id, st.view.up(st.id), st.queues.size(),
                                    st.admission.size()});
  m.snap.messages = st.messages;
  return m;
}

} // namespace

pool_actor spawn_pool(caf::actor_system& sys, context_ptr ctx, pool_id id,
                      bool lazy) {
  auto impl = [](pool_ptr self, context_ptr c,
                 pool_id p) -> pool_actor::behavior_type {
    self->state.init(std::move(c), p);
    return {
      [=](const enqueue_msg& m) {
        ++self->state.messages;
        on_enqueue(self, m);
      },
      [=](const dequeue_msg& m) {
        ++self->state.messages;
        self->state.queues.remove(m.group, m.call);
      },
      [=](const pickup_msg& m) {
        ++self->state.messages;
        on_pickup(self, m);
      },
      [=](register_msg& m) {
        ++self->state.messages;
        on_register(self, m);
      },
      [=](const unregister_msg& m) {
        ++self->state.messages;
        for (auto u : m.users)
          self->state.registered[u] = false;
      },
      [=](tick_atom) {
        ++self->state.messages;
        if (!self->state.admission.empty())
          admit_due(self);
      },
      [=](snapshot_atom) {
        self->send(self->state.ctx->dir.collector,
                   snapshot(self->state, false));
      },
      [=](const world_event& e) {
        ++self->state.messages;
        on_world(self, e);
      },
      [=](finish_atom) {
        self->send(self->state.ctx->dir.collector, snapshot(self->state, true));
        self->quit();
      },
    };
  };
  if (lazy)
    return sys.spawn<caf::lazy_init>(impl, std::move(ctx), id);
  return sys.spawn(impl, std::move(ctx), id);
}

} // namespace calldrill
