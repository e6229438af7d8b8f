// Client host actor. Clients register on their home pool, detect an outage
// after the failover interval (with jitter), re-register on the backup subject
// to its admission rate, and move back on failback. Calls ring their callee,
// queue for pickup when the callee is in a group, and end with a cause.
#include "actors/host.hpp"

#include "model/cache_fetch.hpp"
#include "model/call_table.hpp"
#include "model/rng.hpp"
#include "model/timer_queue.hpp"

#include <algorithm>
#include <map>

namespace calldrill {

namespace {

/// One client's registration state.
struct client {
  pool_id home = no_pool;    ///< its home pool (the topology's, kept at hand)
  pool_id serving = no_pool; ///< where it believes it is registered
  pool_id pending = no_pool; ///< where a registration request is out
  /// Its pool went down holding its registration; the client does not know
  /// until it notices the silence or its next refresh, but nothing reaches it.
  bool lost = false;
  sim_duration wake{-1};     ///< its re-registration wake-up, if one is due
};

using call = call_record;

/// What a host's wake-up is for. A ringing call has at most two pending:
/// its pickup attempt and whichever of answer, abandon or ring timeout
/// comes first.
enum timer_kind : std::uint8_t {
  k_arrival,
  k_answer,
  k_pickup,
  k_ring_timeout,
  k_abandon,
  k_hang_up,
  k_reregister,
};

constexpr std::size_t lag_samples_max = 20000;

struct host_state {
  context_ptr ctx;
  std::uint32_t index = 0;
  user_id first = 0;        ///< its first user
  bool contiguous = true;   ///< whether its users are first, first + 1, ...
  std::vector<client> clients;
  call_table calls;
  timer_queue timers;
  world view;
  observations obs;
  rng random{0};
  rng lag_random{0};
  sim_duration armed{-1};
  std::uint64_t messages = 0;
  std::uint64_t active_limit = 0;
  std::uint64_t active = 0;
  boundary_totals totals;
  std::uint32_t pair_events = 0;
  std::map<pool_id, register_msg> to_register;
  std::map<pool_id, unregister_msg> to_unregister;
  std::vector<double> lags_ms;
  std::uint64_t lags_seen = 0;
  latency_histogram setup_latency;
  /// Per pair, the runs [begin, end) of local user indices homed in it.
  std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> homed;
  /// Whether a user of this host was ever registered outside its home
  /// pair. Clients only move between their home and its partner, so this
  /// stays false, and a pair's change looks at that pair's users alone.
  bool foreign = false;

  void init(context_ptr c, std::uint32_t idx) {
    ctx = std::move(c);
    index = idx;
    calls = call_table{idx};
    const auto& plan = *ctx->plan;
    auto n = plan.users_of_host(idx);
    first = plan.user_at(idx, 0);
    contiguous = plan.count() == 1;
    clients.resize(n);
    for (std::uint32_t i = 0; i < n; ++i)
      clients[i].home = clients[i].serving = ctx->topo->home_of(user(i));
    homed.assign(ctx->topo->pairs.size(), {});
    for (std::uint32_t i = 0; i < n; ++i) {
      auto& runs = homed[ctx->topo->pair_of_user(user(i))];
      if (!runs.empty() && runs.back().second == i)
        ++runs.back().second;
      else
        runs.emplace_back(i, i + 1);
    }
    view = world{*ctx->topo};
    obs = observations{ctx->topo->pairs.size()};
    random = rng::derive(ctx->scn->run.seed, 1000 + idx);
    lag_random = rng::derive(ctx->scn->run.seed, 9000000 + idx);
    std::uint64_t hosts = std::max(1u, plan.hosts());
    active_limit = (ctx->scn->traffic.max_active_calls + hosts - 1) / hosts;
  }

  const topology& topo() const { return *ctx->topo; }
  const traffic_spec& traffic() const { return ctx->scn->traffic; }
  client& of(user_id u) { return clients[local_of(u)]; }
  std::uint32_t local_of(user_id u) const {
    return contiguous ? u - first : ctx->plan->local_of(u);
  }
  /// The user of local index `i`.
  user_id user(std::uint32_t i) const {
    return contiguous ? first + i : ctx->plan->user_at(index, i);
  }
  /// The user's mode as the pools see it (a lost registration is none).
  user_mode mode(user_id u) { return mode(of(u)); }
  user_mode mode(const client& c) const {
    return c.lost ? user_mode::unregistered : view.mode_for(c.home, c.serving);
  }
  void record(const fact& f) const { ctx->record(f); }
  pair_id pair_of(user_id u) const { return topo().pair_of_user(u); }
  column col_of(user_id u) const { return view.column_of_pair(pair_of(u)); }
  void count(user_id callee, counter k, std::uint64_t n = 1) {
    obs.add(pair_of(callee), col_of(callee), k, n);
  }
  /// Counts for a started call, by its callee's home pool.
  void count(const call& c, counter k) {
    auto p = topo().pools[c.home].pair;
    obs.add(p, view.column_of_pair(p), k, 1);
  }
};

using host_ptr = host_actor::stateful_pointer<host_state>;

sim_duration now_of(host_ptr self) {
  return self->state.ctx->now(self->clock());
}

/// Fetches client `u`'s row into the cache, if it is this host's. Only
/// where its place is a subtraction: elsewhere finding it costs the miss.
void fetch_client(const host_state& st, user_id u) {
  if (st.contiguous && u - st.first < st.clients.size())
    fetch_line(&st.clients[u - st.first]);
}

// -- registrations -------------------------------------------------------------

/// Wakes client `u` at `at` to (re-)register, unless it wakes earlier.
void schedule(host_state& st, user_id u, sim_duration at) {
  at = on_grid(at);
  auto& c = st.of(u);
  if (c.wake >= sim_duration{0} && c.wake <= at)
    return;
  c.wake = at;
  st.timers.push(at, k_reregister, u);
}

/// Whether the operator invoked failover of `u`'s home pool: its backup then
/// accepts the user before the failover interval has passed.
bool failover_invoked(const host_state& st, pool_id home) {
  const auto& pst = st.view.pair(st.topo().pools[home].pair);
  return pst.failed == home
         && (pst.phase == pair_phase::failover_in_progress
             || column_of(pst.phase) == column::failover_after);
}

/// Whether a client homed on `home` may sign in to its backup at `now`: its
/// home has been silent for the failover interval, or failover was invoked,
/// whichever comes first.
bool may_leave_home(const host_state& st, pool_id home, sim_duration now) {
  return failover_invoked(st, home)
         || (!st.view.up(home)
             && now - st.view.down_since(home)
                  >= st.ctx->scn->clients.failover_interval);
}

void reconcile(host_state& st, user_id u, sim_duration now) {
  auto& c = st.of(u);
  if (c.pending != no_pool)
    return;
  auto desired = st.view.desired_for(c.home);
  const auto& clients = st.ctx->scn->clients;
  if (c.serving != no_pool && !st.view.up(c.serving)) {
    // The pool stopped answering: the client signs in elsewhere once the
    // failover interval has passed or the operator invoked failover,
    // whichever comes first.
    auto jitter = st.random.between(sim_duration{0}, clients.detect_jitter);
    schedule(st, u, now + clients.failover_interval + jitter);
    if (failover_invoked(st, c.home) && desired != c.serving && st.view.up(desired))
      schedule(st, u, now + jitter);
  } else if (c.lost) {
    // Its pool is back but forgot it: noticed at the next refresh, which
    // pool_up scheduled.
  } else if (c.serving != desired && desired != no_pool
             && st.view.up(desired)
             && (c.serving == no_pool || desired == c.home)) {
    // A client leaves a live pool only to go home (failback, or after a
    // blip); it leaves for the backup only once it noticed its pool is gone.
    auto delay = c.serving == no_pool
                   ? sim_duration{0}
                   : st.random.between(sim_duration{0}, clients.move_jitter);
    schedule(st, u, now + delay);
  }
}

void reregister(host_state& st, user_id u, sim_duration t) {
  auto& c = st.of(u);
  c.wake = sim_duration{-1};
  if (c.serving != no_pool && (c.lost || !st.view.up(c.serving))) {
    c.serving = no_pool; // its registration is gone with the pool
    c.lost = false;
  }
  auto desired = st.view.desired_for(c.home);
  if (c.serving == desired || c.pending != no_pool || desired == no_pool
      || !st.view.up(desired))
    return;
  if (desired != c.home && !may_leave_home(st, c.home, t)) {
    // Woken by something else (a refresh finding its home down again): it
    // still waits out the failover interval from the home's silence, which
    // is still ahead. A home that answers is never left before an invoke.
    const auto& clients = st.ctx->scn->clients;
    auto jitter = st.random.between(sim_duration{0}, clients.detect_jitter);
    if (!st.view.up(c.home))
      schedule(st, u,
               st.view.down_since(c.home) + clients.failover_interval + jitter);
    return;
  }
  c.pending = desired;
  st.record(facts::registration(fact_kind::reg_requested, t, u, desired));
  auto& msg = st.to_register[desired];
  msg.host = st.index;
  msg.users.push_back(u);
  msg.requested.push_back(t);
  msg.homes.push_back(c.home);
}

void on_registered(host_state& st, const registered_msg& m, sim_duration now) {
  constexpr std::size_t ahead = 8;
  for (std::size_t i = 0; i < m.users.size(); ++i) {
    if (i + ahead < m.users.size())
      fetch_client(st, m.users[i + ahead]);
    auto u = m.users[i];
    auto& c = st.of(u);
    auto old = c.serving;
    c.pending = no_pool;
    c.serving = m.pool;
    if (st.topo().pools[m.pool].pair != st.topo().pools[c.home].pair)
      st.foreign = true;
    c.lost = !st.view.up(m.pool);
    st.record(facts::registration(fact_kind::reg_confirmed, now, u, m.pool));
    if (old != no_pool && old != m.pool && st.view.up(old))
      st.to_unregister[old].users.push_back(u);
    reconcile(st, u, now);
  }
}

/// Calls `f(local index)`, in order, for every client a change of pair `p`
/// can concern: those homed in it and those registered (or asking to be) on
/// one of its pools, who are the same unless a user ever registered outside
/// its home pair.
template <class F>
void for_pair_clients(host_state& st, pair_id p, F f) {
  if (!st.foreign) {
    for (auto [begin, end] : st.homed[p])
      for (auto i = begin; i < end; ++i)
        f(i);
    return;
  }
  const auto& topo = st.topo();
  auto in_pair = [&](pool_id pool) {
    return pool != no_pool && topo.pools[pool].pair == p;
  };
  for (std::uint32_t i = 0; i < st.clients.size(); ++i) {
    const auto& c = st.clients[i];
    if (topo.pools[c.home].pair == p || in_pair(c.serving)
        || in_pair(c.pending))
      f(i);
  }
}

/// Reconciles the users a change of pair `p` can affect.
void reconcile_pair(host_state& st, pair_id p, sim_duration now) {
  for_pair_clients(st, p, [&](std::uint32_t i) {
    reconcile(st, st.user(i), now);
  });
}

// -- calls ---------------------------------------------------------------------

bool lost_by_bystander(const host_state& st, pool_id home) {
  const auto& pst = st.view.pair(st.topo().pools[home].pair);
  return st.view.up(home) && pst.failed != home;
}

void end_call(host_ptr self, call_id id, call& c, end_cause cause,
              sim_duration t) {
  auto& st = self->state;
  auto f = facts::call(fact_kind::call_ended, t, id);
  f.code = static_cast<std::uint8_t>(cause);
  f.user = c.callee;
  st.record(f);
  st.count(c, end_counter(cause));
  if (c.status == call_status::ringing) {
    --st.totals.ringing;
    if (c.queued_at != no_pool) {
      if (cause == end_cause::ring_timeout || cause == end_cause::pool_down)
        st.count(c, counter::queued_failed);
      if (cause != end_cause::pool_down)
        send_to_pool(self, *st.ctx, c.queued_at,
                     dequeue_msg{id, c.group});
    }
  }
  switch (cause) {
    case end_cause::ring_timeout:
    case end_cause::callee_unreachable:
    case end_cause::pool_down:
      ++st.totals.failed;
      break;
    case end_cause::abandoned:
      ++st.totals.abandoned;
      break;
    default:
      break;
  }
  if ((cause == end_cause::pool_down || cause == end_cause::callee_unreachable
       || cause == end_cause::dropped_by_pool)
      && lost_by_bystander(st, c.home))
    st.count(c, counter::bystander_calls_lost);
  --st.active;
  st.calls.close(id);
}

void establish(host_ptr self, call_id id, call& c, bool picked,
               sim_duration t) {
  auto& st = self->state;
  c.status = call_status::established;
  --st.totals.ringing;
  ++st.totals.established;
  st.count(c, picked ? counter::calls_picked_up : counter::calls_answered);
  st.setup_latency.observe(to_seconds(t - c.started));
  auto drawn = from_seconds(st.random.exponential(to_seconds(st.traffic().hold_mean)));
  auto hold = on_grid(t + drawn) - t; // the hang-up falls on the time grid
  auto f = facts::call(fact_kind::call_established, t, id);
  f.code = picked ? 1 : 0;
  f.user = c.callee;
  f.value = hold.count();
  // Recorded before the pool hears of it: in realtime the pool's fact of
  // the call leaving its queue must not come before the answer.
  st.record(f);
  if (!picked && c.queued_at != no_pool)
    send_to_pool(self, *st.ctx, c.queued_at,
                 dequeue_msg{id, c.group});
  c.queued_at = no_pool;
  st.timers.push(t + hold, k_hang_up, call_table::local(id));
}

void start_call(host_ptr self, call_id id, call& c, sim_duration t) {
  auto& st = self->state;
  c.home = st.of(c.callee).home;
  c.group = st.topo().group_of(c.callee);
  if (st.active >= st.active_limit) {
    auto refused = facts::call(fact_kind::call_refused, t, id);
    refused.user = c.callee;
    st.record(refused);
    st.count(c, counter::calls_not_started);
    st.calls.close(id);
    return;
  }
  ++st.active;
  ++st.totals.started;
  st.count(c, counter::calls_started);
  const auto& cl = st.of(c.callee);
  auto reachable = st.mode(c.callee) != user_mode::unregistered;
  auto group = c.group;
  auto started = facts::call(fact_kind::call_started, t, id);
  started.user = c.callee;
  started.group = group;
  started.pool = reachable ? cl.serving : no_pool;
  st.record(started);
  if (!reachable) {
    end_call(self, id, c, end_cause::callee_unreachable, t);
    return;
  }
  c.status = call_status::ringing;
  ++st.totals.ringing;
  const auto& tr = st.traffic();
  // Ringing ends at the first of answer, abandon and ring timeout.
  // Answer, abandon and pickup instants are rounded up to the time grid
  // before they are compared, so the one that comes first still comes
  // strictly first. The ring timeout is exact (a grid step when the
  // timeout is a multiple of it, as by default).
  auto end_at = t + tr.ring_timeout;
  auto end_kind = k_ring_timeout;
  if (st.random.chance(tr.answer_probability)) {
    auto answer = on_grid(
      t + st.random.between(tr.answer_delay_min, tr.answer_delay_max));
    if (answer < end_at) {
      end_at = answer;
      end_kind = k_answer;
    }
  }
  auto patience = on_grid(
    t + from_seconds(st.random.exponential(to_seconds(tr.abandon_mean))));
  if (patience < end_at) {
    end_at = patience;
    end_kind = k_abandon;
  }
  auto key = call_table::local(id);
  st.timers.push(end_at, end_kind, key);
  c.rang_at = cl.serving; // the pool that routes it while it rings
  if (group == no_group)
    return;
  if (st.view.call_park_enabled(cl.serving)) {
    c.queued_at = cl.serving;
    st.count(c, counter::calls_queued);
    send_to_pool(self, *st.ctx, cl.serving, enqueue_msg{id, c.callee, group, t});
  }
  // A group member may dial the group's number whether or not the call could
  // be queued: without Call Park the pickup fails, and that is observed.
  if (st.random.chance(tr.pickup_probability)) {
    auto pickup = on_grid(
      t + st.random.between(tr.pickup_delay_min, tr.pickup_delay_max));
    if (pickup < end_at)
      st.timers.push(pickup, k_pickup, key);
  }
}

user_id choose_picker(host_state& st, const call& c) {
  const auto& topo = st.topo();
  auto callee = c.callee;
  const auto& g = topo.groups[c.group];
  if (g.size > 1 && st.random.chance(st.traffic().pickup_by_member)) {
    auto p = g.first_member + static_cast<user_id>(st.random.below(g.size - 1));
    return p >= callee ? p + 1 : p;
  }
  auto n = topo.user_count();
  auto p = static_cast<user_id>(st.random.below(n));
  return p == callee ? (p + 1) % n : p;
}

void on_call_timer(host_ptr self, const timer_entry& e) {
  auto& st = self->state;
  auto id = st.calls.global(e.id());
  auto* found = st.calls.find(id);
  if (found == nullptr)
    return;
  auto& c = *found;
  auto ringing = c.status == call_status::ringing;
  switch (e.kind()) {
    case k_arrival:
      start_call(self, id, c, e.at);
      break;
    case k_answer:
      if (ringing)
        establish(self, id, c, false, e.at);
      break;
    case k_pickup:
      if (ringing && c.rang_at != no_pool) {
        auto picker = choose_picker(st, c);
        send_to_host(self, *st.ctx, st.ctx->host_of(picker),
                     dial_msg{picker, c.group, c.callee,
                              id, c.rang_at});
      }
      break;
    case k_ring_timeout:
      if (ringing)
        end_call(self, id, c, end_cause::ring_timeout, e.at);
      break;
    case k_abandon:
      if (ringing)
        end_call(self, id, c, end_cause::abandoned, e.at);
      break;
    case k_hang_up:
      if (c.status == call_status::established)
        end_call(self, id, c, end_cause::hang_up, e.at);
      break;
    default:
      break;
  }
}

void on_dial(host_ptr self, const dial_msg& m) {
  auto& st = self->state;
  auto now = now_of(self);
  const auto& c = st.of(m.picker);
  auto mode = st.mode(m.picker);
  auto target = st.view.orbit_target(st.topo().groups[m.group].range);
  auto dest = st.ctx->scn->defects.has(defect::ignore_orbit_target)
                ? m.callee_serving
                : target;
  if (mode == user_mode::unregistered)
    dest = no_pool;
  auto dialed = facts::call(fact_kind::pickup_dialed, now, m.call);
  dialed.user = m.picker;
  dialed.group = m.group;
  dialed.pool = target;
  dialed.pool2 = dest;
  st.record(dialed);
  if (dest == no_pool) {
    // Not registered, or the range names the FQDN of a replaced pool:
    // nothing answers the dial.
    auto r = mode == user_mode::unregistered
               ? pickup_result::picker_unregistered
               : pickup_result::range_not_redirected;
    auto done = facts::call(fact_kind::pickup_done, now, m.call);
    done.code = static_cast<std::uint8_t>(r);
    done.user = m.picker;
    done.group = m.group;
    st.record(done);
    st.count(m.callee, pickup_counter(r));
    if (r == pickup_result::range_not_redirected)
      st.count(m.callee, counter::unredirected_attempts);
    return;
  }
  pickup_msg p;
  p.picker = m.picker;
  p.picker_mode = mode;
  p.picker_at_home = c.serving == c.home
                     && mode == user_mode::normal;
  p.group = m.group;
  p.callee = m.callee;
  p.call = m.call;
  p.callee_serving = m.callee_serving;
  p.range_target = target;
  send_to_pool(self, *st.ctx, dest, std::move(p));
}

// -- world events ----------------------------------------------------------------

std::vector<call_id> calls_where(host_state& st, bool (*pred)(host_state&, const call&, pool_id),
                                 pool_id p) {
  std::vector<call_id> ids;
  st.calls.for_each([&](call_id id, const call& c) {
    if (pred(st, c, p))
      ids.push_back(id);
  });
  return ids;
}

void on_pool_down(host_ptr self, pool_id p, sim_duration now) {
  auto& st = self->state;
  for_pair_clients(st, st.topo().pools[p].pair, [&](std::uint32_t i) {
    auto& c = st.clients[i];
    if (c.pending == p)
      c.pending = no_pool;
    if (c.serving == p)
      c.lost = true;
  });
  auto ringing_there = [](host_state& s, const call& c, pool_id pool) {
    (void)s;
    return c.status == call_status::ringing && c.rang_at == pool;
  };
  for (auto id : calls_where(st, ringing_there, p))
    end_call(self, id, *st.calls.find(id), end_cause::pool_down, now);
  if (st.ctx->scn->defects.has(defect::drop_established_on_failover)) {
    auto established_there = [](host_state& s, const call& c, pool_id pool) {
      return c.status == call_status::established
             && (s.of(c.callee).serving == pool
                 || c.home == pool);
    };
    for (auto id : calls_where(st, established_there, p)) {
      auto& c = *st.calls.find(id);
      st.count(c, counter::established_dropped);
      end_call(self, id, c, end_cause::dropped_by_pool, now);
    }
  }
}

/// Clients whose registration the pool forgot notice at their next refresh.
void on_pool_up(host_state& st, pool_id p, sim_duration now) {
  auto refresh = st.ctx->scn->clients.registration_refresh;
  for_pair_clients(st, st.topo().pools[p].pair, [&](std::uint32_t i) {
    if (st.clients[i].serving == p && st.clients[i].lost)
      schedule(st, st.user(i),
               now + st.random.between(sim_duration{0}, refresh));
  });
}

void on_pair_event(host_state& st, const world_event& e, std::uint32_t old_epoch) {
  st.obs.boundary(st.pair_events++, st.totals);
  if (e.pair.epoch == old_epoch)
    return;
  std::uint64_t crossing = 0;
  st.calls.for_each([&](call_id, const call& c) {
    if (c.status == call_status::established
        && st.topo().pools[c.home].pair == e.index)
      ++crossing;
  });
  st.obs.add(static_cast<pair_id>(e.index), column_of(e.pair.phase),
             counter::established_crossed, crossing);
}

void on_world(host_ptr self, const world_event& e) {
  auto& st = self->state;
  auto now = now_of(self);
  st.ctx->late(e.at, now);
  std::uint32_t old_epoch = 0;
  if (e.what == world_event::kind::pair)
    old_epoch = st.view.pair(static_cast<pair_id>(e.index)).epoch;
  st.view.apply(e);
  switch (e.what) {
    case world_event::kind::pool_down:
      on_pool_down(self, static_cast<pool_id>(e.index), now);
      break;
    case world_event::kind::pool_up:
      on_pool_up(st, static_cast<pool_id>(e.index), now);
      break;
    case world_event::kind::pair:
      on_pair_event(st, e, old_epoch);
      break;
    default:
      break;
  }
  if (e.what != world_event::kind::orbit)
    reconcile_pair(st,
                   e.what == world_event::kind::pair
                     ? static_cast<pair_id>(e.index)
                     : st.topo().pools[e.index].pair,
                   now);
}

// -- time ------------------------------------------------------------------------

void flush(host_ptr self) {
  auto& st = self->state;
  for (auto& [pool, msg] : st.to_register)
    send_to_pool(self, *st.ctx, pool, std::move(msg));
  st.to_register.clear();
  for (auto& [pool, msg] : st.to_unregister)
    send_to_pool(self, *st.ctx, pool, std::move(msg));
  st.to_unregister.clear();
}

void sample_lag(host_state& st, sim_duration intended, sim_duration now) {
  auto lag_ms = to_seconds(now - intended) * 1000.0 / st.ctx->speed;
  ++st.lags_seen;
  if (st.lags_ms.size() < lag_samples_max) {
    st.lags_ms.push_back(lag_ms);
  } else {
    auto j = st.lag_random.below(st.lags_seen);
    if (j < lag_samples_max)
      st.lags_ms[j] = lag_ms;
  }
}

void rearm(host_ptr self, sim_duration now) {
  auto& st = self->state;
  flush(self);
  if (!st.timers.empty())
    arm_tick(self, *st.ctx, st.timers.top().at, st.armed, now);
}

/// Fetches into the cache what the wake-ups a few places ahead will touch:
/// on a large estate each user's row is a miss. In two stages, as a call's
/// callee is known only once its slot is in: the slot at `far`, then the
/// callee's rows at `near`.
void fetch_ahead(const host_state& st) {
  constexpr std::size_t near = 6;
  constexpr std::size_t far = 12;
  if (const auto* e = st.timers.ahead(far)) {
    if (e->kind() == k_reregister)
      fetch_client(st, static_cast<user_id>(e->id()));
    else if (const auto* c = st.calls.slot_of(e->id()))
      fetch_line(c);
  }
  if (const auto* e = st.timers.ahead(near); e != nullptr && e->kind() == k_arrival)
    if (const auto* c = st.calls.slot_of(e->id())) {
      fetch_client(st, c->callee);
      if (c->callee < st.topo().user_group.size())
        fetch_line(&st.topo().user_group[c->callee]);
    }
}

void on_tick(host_ptr self) {
  auto& st = self->state;
  auto now = now_of(self);
  while (!st.timers.empty() && st.timers.top().at <= now) {
    fetch_ahead(st);
    auto e = st.timers.pop();
    st.ctx->late(e.at, now);
    if (e.kind() == k_reregister) {
      auto u = static_cast<user_id>(e.id());
      if (st.of(u).wake == e.at) // else an earlier wake-up replaced it
        reregister(st, u, e.at);
      continue;
    }
    if (e.kind() == k_arrival && st.ctx->realtime)
      sample_lag(st, e.at, now);
    on_call_timer(self, e);
  }
  rearm(self, now);
}

snapshot_msg snapshot(host_state& st, bool final) {
  snapshot_msg m;
  m.final = final;
  auto& s = m.snap;
  s.obs = st.obs;
  s.at(latency::call_setup) = st.setup_latency;
  s.users_by_mode.assign(st.topo().pools.size() * 3, 0);
  for (const auto& c : st.clients) {
    auto mode = st.mode(c);
    auto pool = mode == user_mode::unregistered ? c.home : c.serving;
    ++s.users_by_mode[pool * 3u + static_cast<unsigned>(mode)];
  }
  s.calls_ringing = st.totals.ringing;
  s.calls_established = st.active - st.totals.ringing;
  s.messages = st.messages;
  if (final)
    s.lags_ms = std::move(st.lags_ms);
  return m;
}

} // namespace

host_actor spawn_host(caf::actor_system& sys, context_ptr ctx,
                      std::uint32_t index) {
  auto impl = [](host_ptr self, context_ptr c,
                 std::uint32_t idx) -> host_actor::behavior_type {
    self->state.init(std::move(c), idx);
    // Handlers are tried in order: the most frequent messages come first.
    return {
      [=](tick_atom) {
        ++self->state.messages;
        on_tick(self);
      },
      [=](const world_event& e) {
        ++self->state.messages;
        on_world(self, e);
        rearm(self, now_of(self));
      },
      [=](const arrival_batch& b) {
        auto& st = self->state;
        ++st.messages;
        for (const auto& a : b.items) {
          auto at = on_grid(a.at); // a call starts on the time grid
          st.timers.push(at, k_arrival,
                         call_table::local(st.calls.open(a.callee, at)));
        }
        rearm(self, now_of(self));
      },
      [=](const dial_msg& m) {
        ++self->state.messages;
        on_dial(self, m);
      },
      [=](const picked_msg& m) {
        auto& st = self->state;
        ++st.messages;
        auto* c = st.calls.find(m.call);
        if (c != nullptr && c->status == call_status::ringing)
          establish(self, m.call, *c, true, now_of(self));
        rearm(self, now_of(self));
      },
      [=](const registered_msg& m) {
        ++self->state.messages;
        auto now = now_of(self);
        on_registered(self->state, m, now);
        rearm(self, now);
      },
      [=](snapshot_atom) {
        self->send(self->state.ctx->dir.collector,
                   snapshot(self->state, false));
      },
      [=](finish_atom) {
        auto& st = self->state;
        st.obs.boundary(st.pair_events, st.totals);
        self->send(st.ctx->dir.collector, snapshot(st, true));
        self->quit();
      },
    };
  };
  return sys.spawn(impl, std::move(ctx), index);
}

} // namespace calldrill
