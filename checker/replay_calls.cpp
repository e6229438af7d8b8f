// The replay of calls: started, queued, taken out of a queue, answered and
// ended, each judged against the worlds its actor may have acted on.
#include "checker/replay.hpp"

#include <algorithm>
#include <cmath>

namespace calldrill::checking {

void replay::on_started(const fact& f) {
  ++counts.calls_started;
  ++pair_counts(f.user).calls_started;
  ++run.calls_started;
  live_call c;
  c.callee = f.user;
  c.group = f.group;
  c.pair = pair_of(f.user);
  c.rang = f.pool;
  c.started = f.at;
  if (f.user < topo.user_count()) {
    c.columns = columns_at(c.pair, f.at);
    bound(c.pair, c.columns, witnessed::calls_started, true, true);
    // Its host counts it as queued if it sends it to be: a group call
    // ringing through a pool with Call Park.
    bool park = false;
    if (f.group != no_group && f.pool != no_pool)
      for (const auto* w : rep.views(f.at))
        park = park || w->call_park[f.pool];
    bound(c.pair, c.columns, witnessed::calls_queued, false, park);
  }
  if (f.pool != no_pool && !held_then(f.user, f.pool, f.at))
    run.lies.add("call " + id_text(f.id) + " to user " + id_text(f.user)
                 + " rang on " + fqdn[f.pool] + " at " + at_text(f.at)
                 + ", where no registrar held the user: a call to an "
                   "unregistered user fails as callee_unreachable");
  if (f.group != no_group && f.pool != no_pool) {
    bool must = true;
    for (const auto* w : rep.views(f.at))
      must = must && w->up[f.pool] && w->call_park[f.pool]
             && rep.held(*w, f.user, f.pool);
    if (must)
      awaiting_queue.emplace(f.at + tolerance, f.id);
  }
  if (!calls.insert(f.id, c)) {
    run.conservation.add("call " + id_text(f.id) + " started twice");
  } else {
    let_in(f);
    ringing_gauge.up();
  }
}

void replay::judge_delay(const char* what, std::uint64_t id,
                         sim_duration started, sim_duration at,
                         sim_duration lo, sim_duration hi) {
  // Instants fall on the model's 10 ms grid and messages between partitions
  // take a grid step: a tenth of a second covers both.
  const auto slack = sim_duration{std::chrono::milliseconds{100}} + tolerance;
  auto delay = at - started;
  if (delay + slack < lo || delay > hi + slack)
    run.timing.add("call " + id_text(id) + " started at " + at_text(started)
                   + " was " + what + " at " + at_text(at) + ", "
                   + format_duration(delay) + " later; the traffic says "
                   + format_duration(lo) + " to " + format_duration(hi));
}

void replay::rang_until(const live_call& c, sim_duration at, bool answer_at_risk) {
  run.ringing_s += to_seconds(at - c.started);
  run.answer_risk += answer_risk.risk(at - c.started, answer_at_risk);
  if (c.group == no_group)
    return;
  bool dialed = c.dialed >= sim_duration{0} && c.dialed <= at;
  run.dial_risk += dial_risk.risk((dialed ? c.dialed : at) - c.started, dialed);
}

bool replay::held_then(user_id u, pool_id p, sim_duration at) const {
  for (const auto* w : rep.views(at))
    if (rep.held(*w, u, p))
      return true;
  return false;
}

void replay::on_queued(const fact& f) {
  ++counts.calls_queued;
  bool could = false;
  for (const auto* w : rep.views(f.at))
    could = could || (w->up[f.pool] && w->call_park[f.pool]
                      && rep.held(*w, f.user, f.pool));
  if (!could)
    run.conservation.add("call " + id_text(f.id) + " of user " + id_text(f.user)
                         + " queued on " + fqdn[f.pool] + " at " + at_text(f.at)
                         + ", which was down, had no Call Park or did not hold "
                           "the user");
  auto* c = calls.find(f.id);
  queued_call q;
  q.call = f.id;
  q.callee = f.user;
  q.since = c != nullptr ? c->started : f.at;
  q.downs = rep.now().downs[f.pool];
  q.reading = rep.reading(rep.views(f.at), f.user, f.pool);
  rep.queues[replica::queue_key(f.pool, f.group)].push_back(q);
  if (f.pool < queued_gauge.size())
    queued_gauge[f.pool].up();
  if (c != nullptr && !c->queued && c->columns != 0)
    bound(c->pair, c->columns, witnessed::calls_queued, true, false);
  if (f.pool < topo.pools.size())
    near_transition(topo.pools[f.pool].pair, witnessed::stale_entries, f.at, +1);
  if (c != nullptr)
    c->queued = true;
  ++cell_for(f.user).queued_in_column;
}

void replay::on_dequeued(const fact& f) {
  auto qi = rep.queues.find(replica::queue_key(f.pool, f.group));
  if (qi == rep.queues.end())
    return;
  auto& q = qi->second;
  auto e = std::find_if(q.begin(), q.end(),
                        [&](const queued_call& x) { return x.call == f.id; });
  if (e == q.end())
    return;
  auto entry = *e;
  q.erase(e);
  if (f.pool < queued_gauge.size())
    queued_gauge[f.pool].down();
  // An entry that went at a transition's instant may have gone before its
  // pool counted (several transitions may share an instant), unless the
  // failover completion that counted it purged it.
  if (f.pool < topo.pools.size())
    near_transition(topo.pools[f.pool].pair, witnessed::stale_entries, f.at, -1,
                    f.value == 1);
  // An empty queue goes: kept, each would stay as large as its longest
  // ever, and memory would creep over a long realtime run.
  if (q.empty())
    rep.queues.erase(qi);
  auto* c = calls.find(f.id);
  bool ringing = c != nullptr && c->state == call_state::ringing && !c->taken;
  const auto& w = rep.now();
  bool fine = true;
  if (f.value == 0)
    fine = !ringing;
  else if (f.value == 1) // purged: stale under some reading
    fine = rep.affected(w, entry.callee)
           && !entry.reading.surely_in(w.pairs[pair_of(entry.callee)].epoch);
  else
    fine = !w.up[f.pool] || entry.downs != w.downs[f.pool];
  if (!fine)
    cell_for(entry.callee)
      .bad_removal.add("call " + id_text(f.id) + " of user "
                       + id_text(entry.callee) + " taken out of "
                       + fqdn[f.pool] + "'s queue at "
                       + at_text(f.at) + " while it still rang");
}

void replay::on_established(const fact& f) {
  auto* c = calls.find(f.id);
  if (c == nullptr || c->state != call_state::ringing) {
    run.conservation.add("call " + id_text(f.id)
                         + " established without ringing");
    return;
  }
  auto& call = *c;
  if (outlived_its_pool(call, f.at))
    run.conservation.add(outlived_text(f.id, call) + ", and was answered at "
                         + at_text(f.at) + ": a call ringing through a pool "
                           "that fails ends with it");
  if (rang_too_long(call, f.at))
    run.conservation.add("call " + id_text(f.id) + " answered at "
                         + at_text(f.at) + ", after its ring timeout at "
                         + at_text(call.started + scn.traffic.ring_timeout));
  if (f.code == 1) {
    ++counts.calls_picked_up;
    ++pair_counts(call.callee).calls_picked_up;
    if (!call.taken)
      run.conservation.add("call " + id_text(f.id)
                           + " answered through a pickup nobody made");
  } else {
    ++counts.calls_answered;
    ++pair_counts(call.callee).calls_answered;
    judge_delay("answered", f.id, call.started, f.at,
                scn.traffic.answer_delay_min, scn.traffic.answer_delay_max);
    ++run.answers_timed;
  }
  ++run.holds;
  run.hold_sum_s += to_seconds(sim_duration{f.value});
  rang_until(call, f.at, true);
  if (call.columns != 0) {
    bound(call.pair, f.at,
          f.code == 1 ? witnessed::calls_picked_up : witnessed::calls_answered);
    near_transition(call.pair, witnessed::established_crossed, f.at, +1);
  }
  if (call.state == call_state::ringing) {
    ringing_gauge.down();
    established_gauge.up();
    observe(latency::call_setup, f.at - call.started);
  }
  call.state = call_state::established;
  call.established = f.at;
  call.hold = sim_duration{f.value};
  auto& cell = cell_for(call.callee);
  if (&cell == &pairs[pair_of(call.callee)].cells[0])
    ++cell.established_crossing; // traffic of the normal column
}

// -- calls ending ----------------------------------------------------------------

void replay::bound_end(const live_call& call, end_cause cause, sim_duration at) {
  auto p = call.pair;
  auto columns = columns_at(p, at);
  bound(p, columns, ended_witness(cause), true, true);
  bool ringing = call.state == call_state::ringing;
  bool failed = cause == end_cause::ring_timeout || cause == end_cause::pool_down;
  // Queued calls that failed: surely those the history shows queued, maybe
  // any group call its host sent to be queued.
  if (ringing && failed)
    bound(p, columns, witnessed::queued_failed, call.queued,
          call.group != no_group && call.rang != no_pool);
  if (!ringing) {
    near_transition(p, witnessed::established_crossed, at, -1);
    if (cause == end_cause::dropped_by_pool)
      bound(p, columns, witnessed::established_dropped, true, true);
  }
  if (cause == end_cause::pool_down || cause == end_cause::callee_unreachable
      || cause == end_cause::dropped_by_pool) {
    // Lost to a pool event by a bystander: a user whose home is up and
    // is not its pair's failed pool.
    auto home = rep.home_of(call.callee);
    auto at_home = read_worlds(p, at, [&](const world_view& w) {
      return w.up[home] && w.pairs[p].failed != home;
    });
    bound(p, columns, witnessed::bystander_calls_lost, at_home.every, at_home.some);
  }
}

void replay::on_ended(const fact& f) {
  auto cause = static_cast<end_cause>(f.code);
  if (f.code < end_cause_count) {
    ++counts.ended[f.code];
    ++pair_counts(f.user).ended[f.code];
  }
  auto* c = calls.find(f.id);
  if (c == nullptr) {
    run.conservation.add("call " + id_text(f.id) + " ended without starting");
    return;
  }
  auto call = *c;
  calls.erase(f.id);
  left(f.id);
  (call.state == call_state::ringing ? ringing_gauge : established_gauge).down();
  ++run.calls_ended;
  if (call.state == call_state::ringing && call.group != no_group)
    remember_ended(f.id, call.rang, call.callee, f.at);
  if (call.state == call_state::ringing && call.rang != no_pool) {
    rang_until(call, f.at, cause == end_cause::abandoned);
    run.abandons += cause == end_cause::abandoned ? 1 : 0;
  }
  if (call.columns != 0 && f.code < end_cause_count)
    bound_end(call, cause, f.at);
  auto v = rep.views(f.at);
  auto lie = [&](const std::string& why) {
    run.lies.add("call " + id_text(f.id) + " booked as "
                 + std::string{name(cause)} + " at " + at_text(f.at) + ": "
                 + why);
  };
  if (call.state == call_state::established) {
    bool hung_up = cause == end_cause::hang_up
                   && f.at == call.established + call.hold;
    if (!hung_up)
      cell_for(call.callee)
        .dropped.add("call " + id_text(f.id) + " of user " + id_text(call.callee)
                     + " established at " + at_text(call.established)
                     + " to hang up at "
                     + at_text(call.established + call.hold) + " ended at "
                     + at_text(f.at) + " as " + std::string{name(cause)});
    return;
  }
  if (cause != end_cause::pool_down && outlived_its_pool(call, f.at))
    run.conservation.add(outlived_text(f.id, call) + ", and ended at "
                         + at_text(f.at) + " as " + std::string{name(cause)}
                         + ": a call ringing through a pool that fails ends "
                           "with it");
  if (cause != end_cause::ring_timeout && rang_too_long(call, f.at))
    run.conservation.add("call " + id_text(f.id) + " rang until "
                         + at_text(f.at) + ", past its ring timeout at "
                         + at_text(call.started + scn.traffic.ring_timeout));
  switch (cause) {
    case end_cause::hang_up:
    case end_cause::dropped_by_pool:
      lie("the call was still ringing");
      break;
    case end_cause::ring_timeout:
      if (f.at != call.started + scn.traffic.ring_timeout)
        lie("it rang for " + at_text(f.at - call.started) + ", not the "
            "ring timeout");
      break;
    case end_cause::pool_down: {
      bool down = call.rang == no_pool;
      for (const auto* w : v)
        down = down || !w->up[call.rang];
      if (!down)
        lie(fqdn[call.rang] + " was up");
      break;
    }
    case end_cause::callee_unreachable: {
      bool unreachable = false;
      for (const auto* w : v)
        unreachable = unreachable || rep.serving(*w, call.callee) == no_pool;
      if (!unreachable)
        lie("user " + id_text(call.callee) + " was registered on "
            + fqdn[rep.serving(rep.now(), call.callee)]);
      break;
    }
    default:
      break;
  }
}

} // namespace calldrill::checking
