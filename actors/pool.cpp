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
  pool_id home;
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

void record_dequeue(const pool_state& st, group_id g, const queue_entry& e,
                    sim_duration at, std::int64_t why) {
  auto f = facts::call(fact_kind::call_dequeued, at, e.call);
  f.group = g;
  f.pool = st.id;
  f.user = e.callee;
  f.value = why; // 0 left the queue, 1 purged as stale, 2 lost with the pool
  st.ctx->record(f);
}

void on_world(pool_ptr self, const world_event& e) {
  auto& st = self->state;
  st.ctx->late(e.at, st.ctx->now(self->clock()));
  auto before = st.view.pair(st.pair);
  st.view.apply(e);
  if ((e.what == world_event::kind::pool_down) && e.index == st.id) {
    // A failed pool loses its registrations, its queues and its backlog.
    std::int64_t held = 0;
    for (auto r : st.registered)
      held += r ? 1 : 0;
    auto f = facts::pool_event(fact_kind::regs_lost, e.at, st.id);
    f.value = held;
    st.ctx->record(f);
    st.registered.assign(st.registered.size(), false);
    st.queues.purge([](const queue_entry&) { return true; },
                    [&](group_id g, const queue_entry& q) {
                      record_dequeue(st, g, q, e.at, 2);
                    });
    st.admission.clear();
    return;
  }
  if (e.what != world_event::kind::pair || e.index != st.pair)
    return;
  if (e.pair.epoch == before.epoch)
    return;
  auto col = column_of(e.pair.phase);
  // The affected users' entries from before the transition are stale now;
  // the bystanders' entries are not the partner's business.
  auto epoch = st.epoch();
  auto stale = [&](const queue_entry& q) {
    return q.epoch != epoch && st.view.affected(q.callee);
  };
  st.obs.add(st.pair, col, counter::stale_entries, st.queues.count_all(stale));
  if (e.pair.phase == pair_phase::failover_complete) {
    // The affected users' calls queued before failover completed fail.
    if (!st.defects().has(defect::keep_stale_queue))
      st.queues.purge(stale, [&](group_id g, const queue_entry& q) {
        record_dequeue(st, g, q, e.at, 1);
      });
    st.obs.add(st.pair, col, counter::stale_left, st.queues.count_all(stale));
  }
}

// -- registrar -----------------------------------------------------------------

void admit_due(pool_ptr self) {
  auto& st = self->state;
  auto now = st.ctx->now(self->clock());
  auto rate = st.ctx->topo->pools[st.id].registrations_per_second;
  auto elapsed = to_seconds(now - st.last_admit);
  st.last_admit = now;
  // A burst of one tick's worth after a quiet spell, and the fraction of a
  // token left from the last admission on top: a cap of the tick's worth
  // alone cut that fraction whenever requests trickled in between ticks,
  // and a busy registrar fell short of its rate.
  st.budget = std::min(st.budget + rate * elapsed,
                       std::max(1.0, rate * to_seconds(admission_tick)) + 1.0);
  std::unordered_map<std::uint32_t, registered_msg> replies;
  while (!st.admission.empty() && st.budget >= 1.0) {
    auto r = st.admission.front();
    st.admission.pop_front();
    st.budget -= 1.0;
    st.registered[r.user] = true;
    st.ctx->record(
      facts::registration(fact_kind::reg_admitted, now, r.user, st.id));
    auto pair = st.topo().pools[r.home].pair;
    auto col = st.view.column_of_pair(pair);
    st.obs.add(pair, col, counter::registrations);
    if (st.view.mode_for(r.home, st.id) == user_mode::resiliency)
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
    send_to_host(self, *st.ctx, host, std::move(msg));
  if (!st.admission.empty())
    arm_tick(self, *st.ctx, now + admission_tick, st.armed, now);
}

void on_register(pool_ptr self, register_msg& m) {
  auto& st = self->state;
  if (!st.view.up(st.id))
    return; // a down pool answers nobody; clients retry when it is back
  for (std::size_t i = 0; i < m.users.size(); ++i)
    st.admission.push_back({m.users[i], m.host, m.requested[i], m.homes[i]});
  admit_due(self);
}

// -- Group Call Pickup ---------------------------------------------------------

entry_context entry_view(const pool_state& st, user_id callee) {
  entry_context c;
  c.served_here = st.registered[callee];
  c.callee_mode = st.mode_here(callee);
  c.callee_affected = st.view.affected(callee);
  c.epoch = st.view.pair(st.topo().pair_of_user(callee)).epoch;
  return c;
}

/// Why no entry of the group could be answered: the longest-ringing entry's
/// reason, or, with none queued here, whether the call rang elsewhere.
pickup_result why_none(const pool_state& st, const pickup_msg& m) {
  auto result = m.callee_serving != st.id ? pickup_result::range_not_redirected
                                          : pickup_result::no_call_ringing;
  bool first = true;
  st.queues.count(m.group, [&](const queue_entry& e) {
    if (first)
      result = entry_refusal(e, entry_view(st, e.callee), defect_set{});
    first = false;
    return true;
  });
  return result == pickup_result::ok ? pickup_result::stale_entry : result;
}

/// Whether an affected callee's entry was queued before its pair's latest
/// transition (rule 3's stale entry).
bool stale(const pool_state& st, const queue_entry& e) {
  auto c = entry_view(st, e.callee);
  return c.callee_affected && e.epoch != c.epoch;
}

/// What a decided pickup was, for the pickup classes of the metrics.
struct pickup_class {
  bool eligible = false; ///< every rule held: picker, pool, an answerable entry
  bool stale = false;    ///< the entry of the call it was dialled for was stale
};

/// Classes an attempt before the queue is touched, by the table's rules
/// (a deliberate defect bends what the pool does, not what the rules say):
/// eligible if the range pointed here and every rule held, whatever
/// degraded the service.
pickup_class classify(const pool_state& st, const pickup_msg& m,
                      const pickup_context& ctx) {
  pickup_class k;
  if (const auto* aimed = st.queues.find(m.group, m.call))
    k.stale = stale(st, *aimed);
  auto rules = check_pickup(ctx, defect_set{});
  if (m.range_target == st.id
      && (rules == pickup_result::ok || rules == pickup_result::service_degraded))
    st.queues.count(m.group, [&](const queue_entry& e) {
      k.eligible = k.eligible || answerable(e, entry_view(st, e.callee), defect_set{});
      return true;
    });
  return k;
}

/// Counters for the live metrics and the terminal table (the verdict is the
/// checker's, from the history).
void count(pool_state& st, const pickup_msg& m, pickup_result r,
           const queue_entry* picked, pickup_class k) {
  auto pair = st.topo().pair_of_user(m.callee);
  auto col = st.view.column_of_pair(pair);
  auto ok = r == pickup_result::ok;
  auto add = [&](counter attempts, counter oks, bool cond) {
    if (cond)
      st.obs.add(pair, col, attempts);
    if (cond && ok)
      st.obs.add(pair, col, oks);
  };
  st.obs.add(pair, col, pickup_counter(r));
  bool resiliency = m.picker_mode == user_mode::resiliency
                    || (picked != nullptr && picked->entered_in_resiliency);
  add(counter::resiliency_attempts, counter::resiliency_ok, resiliency);
  add(counter::eligible_attempts, counter::eligible_ok, k.eligible);
  bool unredirected = m.range_target != m.callee_serving;
  add(counter::unredirected_attempts, counter::unredirected_ok, unredirected);
  st.obs.add(pair, col, counter::stale_attempts, k.stale ? 1 : 0);
  if (picked != nullptr && stale(st, *picked))
    st.obs.add(pair, col, counter::stale_ok);
  // Bystanders as this pool sees them: eligible, picker at home, callee not
  // affected, while the callee's pair is in DR.
  bool bystander = k.eligible && m.picker_at_home && !st.view.affected(m.callee)
                   && col != column::normal;
  add(counter::bystander_attempts, counter::bystander_ok, bystander);
}

void on_pickup(pool_ptr self, const pickup_msg& m) {
  auto& st = self->state;
  const auto& d = st.defects();
  auto now = st.ctx->now(self->clock());
  pickup_context ctx;
  ctx.pool_up = st.view.up(st.id);
  ctx.call_park_enabled = st.view.call_park_enabled(st.id);
  ctx.picker_mode = m.picker_mode;
  const auto& pst = st.view.pair(st.pair);
  ctx.bystander_degraded
    = d.has(defect::degrade_bystanders) && pst.failed != no_pool
      && pst.failed != st.id
      && column_of(pst.phase) == column::failover_during
      && st.topo().home_of(m.callee) == st.id;
  auto result = check_pickup(ctx, d);
  auto cls = classify(st, m, ctx);
  std::optional<queue_entry> picked;
  std::size_t waiting = 0;
  if (result == pickup_result::ok) {
    waiting = st.queues.count(m.group, [](const queue_entry&) { return true; });
    picked = st.queues.take_first(m.group, [&](const queue_entry& e) {
      return answerable(e, entry_view(st, e.callee), d);
    });
    if (!picked)
      result = why_none(st, m);
  }
  count(st, m, result, picked ? &*picked : nullptr, cls);
  auto f = facts::call(fact_kind::pickup_done, now, m.call);
  f.code = static_cast<std::uint8_t>(result);
  f.user = m.picker;
  f.group = m.group;
  f.pool = st.id;
  f.value = static_cast<std::int64_t>(waiting);
  if (picked) {
    f.ref = picked->call;
    st.ctx->record(f);
    record_dequeue(st, m.group, *picked, now, 0);
    st.latencies[static_cast<std::size_t>(latency::pickup)].observe(
      to_seconds(now - picked->since));
    send_to_host(self, *st.ctx, st.ctx->host_of(picked->callee),
                 picked_msg{picked->call, m.picker});
    return;
  }
  st.ctx->record(f);
}

void on_enqueue(pool_ptr self, const enqueue_msg& m) {
  auto& st = self->state;
  st.ctx->late(m.since, st.ctx->now(self->clock()));
  if (!st.view.up(st.id) || !st.view.call_park_enabled(st.id)
      || !st.registered[m.callee])
    return;
  queue_entry e;
  e.call = m.call;
  e.callee = m.callee;
  e.since = m.since;
  e.epoch = st.view.pair(st.topo().pair_of_user(m.callee)).epoch;
  e.entered_in_resiliency = st.mode_here(m.callee) == user_mode::resiliency;
  st.queues.push(m.group, e);
  auto f = facts::call(fact_kind::call_queued, st.ctx->now(self->clock()), m.call);
  f.user = m.callee;
  f.group = m.group;
  f.pool = st.id;
  st.ctx->record(f);
}

void on_dequeue(pool_ptr self, const dequeue_msg& m) {
  auto& st = self->state;
  const auto* e = st.queues.find(m.group, m.call);
  if (e == nullptr)
    return;
  record_dequeue(st, m.group, *e, st.ctx->now(self->clock()), 0);
  st.queues.remove(m.group, m.call);
}

void on_unregister(pool_ptr self, const unregister_msg& m) {
  auto& st = self->state;
  auto now = st.ctx->now(self->clock());
  for (auto u : m.users)
    if (st.registered[u]) {
      st.registered[u] = false;
      st.ctx->record(facts::registration(fact_kind::reg_dropped, now, u, st.id));
    }
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
        on_dequeue(self, m);
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
        on_unregister(self, m);
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
