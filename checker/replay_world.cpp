// The replay of registrations, world changes and time: who is registered
// where, what each transition starts (figures, deferred looks), and the
// looks at the world taken after an instant (stale entries, recovery, the
// runbook's ranges).
#include "checker/replay.hpp"

#include <algorithm>
#include <sstream>
#include <utility>

namespace calldrill::checking {

void replay::set_registered(user_id u, bool on, sim_duration at) {
  auto& r = rep.users[u];
  if (r.registered == on)
    return;
  r.registered = on;
  auto home = rep.home_of(u);
  auto& pt = pairs[topo.pools[home].pair];
  if (!on) {
    r.unregistered_since = at;
    ++unregistered_home[home];
    return;
  }
  --unregistered_home[home];
  pt.figures.unregistered_user_seconds += to_seconds(at - r.unregistered_since);
  if (pt.awaiting_service && pt.figures.outage && home == rep.now().pairs[topo.pools[home].pair].failed
      && unregistered_home[home] == 0) {
    pt.awaiting_service = false;
    pt.figures.time_to_service = to_seconds(at - pt.outage_at);
    if (pt.first_request >= sim_duration{0})
      pt.figures.storm_drain = to_seconds(at - pt.first_request);
  }
}

void replay::refresh_registered(user_id u, sim_duration at) {
  auto c = rep.users[u].confirmed;
  set_registered(u, rep.held(rep.now(), u, c), at);
}

void replay::on_admitted(const fact& f) {
  auto& r = rep.users[f.user];
  bool up = false;
  bool asked = false;
  for (const auto* w : rep.views(f.at)) {
    up = up || w->up[f.pool];
    asked = asked || (r.asked == f.pool && r.asked_downs == w->downs[f.pool]);
  }
  if (!up || !asked) {
    auto who = "user " + id_text(f.user) + " admitted by " + fqdn[f.pool]
               + " at " + at_text(f.at);
    run.registrar.add(!up ? who + " while that pool was down"
                          : who + " without asking it since it last came up "
                                  "(a failed pool forgets the requests it had "
                                  "not admitted)");
  }
  count_admission(f.pool, f.at);
  if (auto& b = backlogs[f.pool]; b.waiting > 0) {
    ++b.admitted;
    keep_pace(f.pool, f.at);
    backlog_to(f.pool, b.waiting - 1);
  }
  auto downs = rep.now().downs[f.pool];
  int slot = -1;
  for (int i = 0; i < 2; ++i)
    if (r.held[i] == f.pool)
      slot = i;
  if (slot < 0)
    slot = (r.held[0] == r.confirmed
            && rep.held(rep.now(), f.user, r.held[0])) ? 1 : 0;
  r.held[slot] = f.pool;
  r.held_downs[slot] = downs;
  ++run.registrations;
  ++counts.registrations;
  ++pair_counts(f.user).registrations;
  if (f.user < topo.user_count()) {
    // The registrar counts it in the user's pair, and in resiliency mode
    // if the user is in it there.
    auto p = pair_of(f.user);
    auto columns = columns_at(p, f.at);
    bound(p, columns, witnessed::registrations, true, true);
    auto in = read_worlds(p, f.at, [&](const world_view& w) {
      return rep.mode_held(w, f.user, f.pool) == user_mode::resiliency;
    });
    bound(p, columns, witnessed::registrations_resiliency, in.every, in.some);
  }
  if (r.requested_at >= sim_duration{0}) {
    run.longest_registration_wait
      = std::max(run.longest_registration_wait, f.at - r.requested_at);
    r.requested_at = sim_duration{-1};
  }
  // The registrar counts the wait of the request it answers: the user's
  // latest, to this pool.
  if (r.asked == f.pool && r.asked_at >= sim_duration{0}) {
    auto us = static_cast<std::uint64_t>(
      std::max<sim_duration::rep>((f.at - r.asked_at).count(), 0));
    observe(latency::registration, f.at - r.asked_at);
    r.asked_at = sim_duration{-1};
    for (auto* h : {&counts, &pair_counts(f.user)}) {
      h->registration_wait_us += us;
      h->registration_wait_max_us = std::max(h->registration_wait_max_us, us);
    }
  } else {
    counts.waits_known = counts.latencies_known = false;
    for (auto& pc : counts.pairs)
      pc.waits_known = false;
  }
  refresh_registered(f.user, f.at);
}

void replay::on_dropped(const fact& f) {
  auto& r = rep.users[f.user];
  for (int i = 0; i < 2; ++i)
    if (r.held[i] == f.pool)
      r.held[i] = no_pool;
  refresh_registered(f.user, f.at);
}

void replay::count_admission(pool_id p, sim_duration at) {
  auto rate = topo.pools[p].registrations_per_second;
  auto& level = admitted_level[p];
  level = std::max(0.0, level - rate * to_seconds(at - admitted_at[p])) + 1;
  admitted_at[p] = at;
  if (level > rate + 1 + 1e-9) {
    std::ostringstream why;
    why << fqdn[p] << " admitted registrations faster than its " << rate
        << " a second by " << at_text(at) << " (" << level
        << " admitted beyond the rate's drain, a second's worth allowed at "
           "once)";
    run.registrar.add(why.str());
  }
}

void replay::keep_pace(pool_id p, sim_duration at) {
  auto& b = backlogs[p];
  if (b.waiting <= 0 || b.reported || tolerance > sim_duration{0})
    return;
  auto rate = topo.pools[p].registrations_per_second;
  auto owed = rate * (to_seconds(at - b.since) - 0.2) - 2;
  if (static_cast<double>(b.admitted) + 1e-9 >= owed)
    return;
  b.reported = true;
  std::ostringstream why;
  why << fqdn[p] << " had registrations waiting from " << at_text(b.since)
      << " and admitted " << b.admitted << " by " << at_text(at)
      << ": at its " << rate << " a second it owed at least "
      << static_cast<std::uint64_t>(owed);
  run.pace.add(why.str());
}

bool replay::may_leave_home(const world_view& w, pool_id home, pool_id p,
                            sim_duration at) const {
  if (p != topo.pools[home].partner)
    return false;
  const auto& pv = w.pairs[topo.pools[home].pair];
  bool invoked = pv.failed == home
                 && (pv.phase == pair_phase::failover_in_progress
                     || column_of_phase(pv.phase) == column::failover_after);
  bool silent = !w.up[home]
                && at - down_at[home] >= scn.clients.failover_interval;
  return invoked || silent;
}

void replay::on_requested(const fact& f) {
  auto& r = rep.users[f.user];
  r.asked = f.pool;
  r.asked_downs = rep.now().downs[f.pool];
  auto home = rep.home_of(f.user);
  if (f.pool == home) {
    bool may = false;
    for (const auto* w : rep.views(f.at)) {
      const auto& pv = w->pairs[topo.pools[home].pair];
      auto col = column_of_phase(pv.phase);
      may = may || pv.failed != home
            || (col != column::failover_during && col != column::failover_after);
    }
    if (!may)
      run.registrar.add(
        "user " + id_text(f.user) + " asked its home " + fqdn[home]
        + " to register it at " + at_text(f.at) + ", during that pool's "
          "failover: clients go back home on failback");
  } else {
    bool may = false;
    for (const auto* w : rep.views(f.at))
      may = may || may_leave_home(*w, home, f.pool, f.at);
    if (!may)
      run.registrar.add(
        "user " + id_text(f.user) + " of " + fqdn[home] + " asked "
        + fqdn[f.pool] + " to register it at " + at_text(f.at)
        + ": a client leaves its home pool only for its backup, once the "
          "home was silent for the failover interval ("
        + format_duration(scn.clients.failover_interval)
        + ") or its failover was invoked");
  }
  if (r.requested_at < sim_duration{0})
    r.requested_at = f.at;
  r.asked_at = f.at;
  if (rep.now().up[f.pool]) {
    auto& b = backlogs[f.pool];
    if (b.waiting <= 0)
      b = backlog{0, f.at, 0, false};
    backlog_to(f.pool, b.waiting + 1);
  }
  auto& pt = pairs[pair_of(f.user)];
  if (pt.awaiting_service && pt.first_request < sim_duration{0}
      && rep.affected(rep.now(), f.user))
    pt.first_request = f.at;
}

void replay::on_pool(const fact& f) {
  rep.world_changing(f.at);
  touch(f.at);
  if (f.pool < topo.pools.size())
    note_step(topo.pools[f.pool].pair, f.at, 0);
  auto& w = rep.now();
  auto p = f.pool;
  switch (f.kind) {
    case fact_kind::pool_down:
      keep_pace(p, f.at); // its backlog goes down with it
      backlog_to(p, 0);
      w.up[p] = 0;
      up_gauge[p].set(0);
      ++w.downs[p];
      down_at[p] = f.at;
      {
        auto lost = [&](user_id u) {
          if (rep.users[u].confirmed == p)
            set_registered(u, false, f.at);
        };
        const auto& pr = topo.pairs[topo.pools[p].pair];
        for_homed(pr.a, lost);
        if (pr.b != no_pool)
          for_homed(pr.b, lost);
        for (auto u : confirmed_abroad)
          lost(u);
      }
      // A call ringing through it ends with it.
      calls.for_each_mutable([&](call_id, live_call& c) {
        if (c.state == call_state::ringing && c.rang == p
            && c.rang_lost < sim_duration{0})
          c.rang_lost = f.at;
      });
      break;
    case fact_kind::pool_up: {
      w.up[p] = 1;
      up_gauge[p].set(1);
      auto pair = topo.pools[p].pair;
      schedule(checkpoint::recovery, f.at + recovery_bound(pair, true), pair);
      // The clients it forgot learn so at their next refresh.
      schedule(checkpoint::forgotten,
               f.at + scn.clients.registration_refresh + std::chrono::seconds{1},
               pair);
      auto& cp = to_schedule.back();
      cp.pool = p;
      auto forgotten = [&](user_id u) {
        if (rep.users[u].confirmed == p)
          cp.users.push_back(u);
      };
      for_homed(topo.pairs[pair].a, forgotten);
      if (topo.pairs[pair].b != no_pool)
        for_homed(topo.pairs[pair].b, forgotten);
      break;
    }
    case fact_kind::call_park_on:
      w.call_park[p] = 1;
      break;
    default:
      w.call_park[p] = 0;
      break;
  }
}

void replay::on_orbit(const fact& f) {
  rep.world_changing(f.at);
  touch(f.at);
  if (f.group < rep.now().orbit.size())
    rep.now().orbit[f.group] = f.pool;
}

void replay::on_phase(const fact& f) {
  rep.world_changing(f.at);
  touch(f.at);
  auto p = static_cast<pair_id>(f.group);
  auto& pv = rep.now().pairs[p];
  auto phase = static_cast<pair_phase>(f.code);
  auto old_col = column_of_phase(pv.phase);
  auto col = column_of_phase(phase);
  pv.phase = phase;
  pv.failed = f.pool;
  note_step(p, f.at, column_bit(col));
  auto& pt = pairs[p];
  pt.last_transition = f.at;
  if (phase == pair_phase::failover_in_progress)
    schedule(checkpoint::invoked,
             f.at + scn.clients.detect_jitter + std::chrono::seconds{1}, p);
  if (phase == pair_phase::primary_outage && f.pool != no_pool)
    schedule(checkpoint::noticed,
             f.at + scn.clients.failover_interval + scn.clients.detect_jitter
               + std::chrono::seconds{1},
             p);
  if (phase == pair_phase::failback_in_progress && f.pool != no_pool) {
    // Clients registered on the backup head home at once. One still waiting
    // for the backup to admit it goes once admitted, one whose registration
    // the backup lost in an outage of its own learns it at its next refresh:
    // neither is looked at.
    auto backup = topo.pools[f.pool].partner;
    schedule(checkpoint::failback,
             f.at + scn.clients.move_jitter + std::chrono::seconds{1}, p);
    auto& users = to_schedule.back().users;
    for_homed(f.pool, [&](user_id u) {
      if (rep.serving(rep.now(), u) == backup)
        users.push_back(u);
    });
  }
  if (phase == pair_phase::ranges_redirected)
    pt.redirected_after_failover = true;
  if (phase == pair_phase::ranges_redirected_back)
    pt.redirected_after_failback = true;
  if (col == old_col)
    return;
  if (old_col == column::failover_after)
    look_runbook(p, f.at, "before failback");
  ++pv.epoch;
  auto& cell = pt.cells[static_cast<std::size_t>(col)];
  cell.entered = true;
  count_crossing(p, phase, cell, f.at);
  figures_on_transition(p, phase, f.at);
}

void replay::count_crossing(pair_id p, pair_phase phase, cell_tally& cell,
                            sim_duration at) {
  auto col = column_of_phase(phase);
  transition_count x{p, col, at, witnessed::established_crossed, 0, 0};
  calls.for_each([&](call_id, const live_call& c) {
    if (c.pair != p)
      return;
    if (c.state == call_state::established)
      ++x.lo;
    if (rep.affected(rep.now(), c.callee)) {
      if (c.state == call_state::established)
        ++cell.established_crossing;
      else if (c.queued)
        ++cell.queued_crossing;
    }
  });
  x.hi = x.lo;
  at_transitions.push_back(x);
  // The pair's pools count the affected users' entries they hold.
  transition_count stale{p, col, at, witnessed::stale_entries, 0, 0,
                         phase == pair_phase::failover_complete};
  const auto& pr = topo.pairs[p];
  for (const auto& [key, q] : rep.queues) {
    auto pool = static_cast<pool_id>(key >> 32);
    if (pool == pr.a || pool == pr.b)
      for (const auto& e : q)
        stale.lo += stale_now(pool, e) ? 1 : 0;
  }
  stale.hi = stale.lo;
  at_transitions.push_back(stale);
  // Once failover completes they purge them: none is left, at most all.
  if (phase == pair_phase::failover_complete) {
    stale.what = witnessed::stale_left;
    stale.lo = 0;
    at_transitions.push_back(stale);
  }
}

void replay::figures_on_transition(pair_id p, pair_phase phase, sim_duration at) {
  auto& pt = pairs[p];
  switch (phase) {
    case pair_phase::primary_outage:
      if (!pt.figures.outage) {
        pt.figures.outage = true;
        pt.figures.outage_at = to_seconds(at);
        pt.outage_at = at;
      }
      pt.awaiting_service = true;
      pt.first_request = sim_duration{-1};
      if (pt.gcp_down_since < sim_duration{0})
        pt.gcp_down_since = at;
      break;
    case pair_phase::failover_complete:
      if (pt.figures.rto < 0 && pt.outage_at >= sim_duration{0})
        pt.figures.rto = to_seconds(at - pt.outage_at);
      schedule(checkpoint::stale_left, at, p);
      schedule(checkpoint::recovery, at + recovery_bound(p), p);
      break;
    case pair_phase::failback_in_progress:
      if (pt.gcp_down_since < sim_duration{0})
        pt.gcp_down_since = at;
      break;
    case pair_phase::failback_complete:
      schedule(checkpoint::recovery, at + recovery_bound(p), p);
      break;
    case pair_phase::normal:
      // Back from an outage nobody failed over: the pool forgot its
      // clients, who register again at their next refresh.
      schedule(checkpoint::recovery, at + recovery_bound(p, true), p);
      break;
    default:
      break;
  }
}

void replay::advance(sim_duration at) {
  if (at <= current)
    return;
  look_queued(at);
  settle_transitions(at);
  live_advance(at);
  gauges_next_instant();
  for (auto& c : to_schedule) {
    c.epoch = rep.now().pairs[c.pair].epoch;
    c.downs = pair_downs(c.pair);
    checkpoints.push_back(std::move(c));
  }
  to_schedule.clear();
  for (std::size_t i = 0; i < checkpoints.size();) {
    if (checkpoints[i].at < at) {
      auto c = std::move(checkpoints[i]);
      checkpoints.erase(checkpoints.begin() + static_cast<long>(i));
      look(c);
    } else {
      ++i;
    }
  }
  current = at;
}

void replay::look_queued(sim_duration before) {
  while (!awaiting_queue.empty() && awaiting_queue.top().first < before) {
    auto id = awaiting_queue.top().second;
    awaiting_queue.pop();
    const auto* c = calls.find(id);
    if (c != nullptr && c->state == call_state::ringing && !c->queued)
      cell_for(c->callee)
        .not_queued.add("call " + id_text(id) + " to user " + id_text(c->callee)
                        + " rang at " + at_text(c->started)
                        + " but never entered its group's queue");
  }
}

void replay::look(const checkpoint& c) {
  if (c.kind == checkpoint::invoked || c.kind == checkpoint::noticed)
    return look_invoked(c);
  if (c.kind == checkpoint::failback)
    return look_failback(c);
  if (c.kind == checkpoint::forgotten)
    return look_forgotten(c);
  const auto& w = rep.now();
  if (w.pairs[c.pair].epoch != c.epoch || pair_downs(c.pair) != c.downs)
    return; // the pair moved on: a later look will judge
  if (c.kind == checkpoint::stale_left)
    look_stale(c);
  else
    look_recovery(c);
}

void replay::look_failback(const checkpoint& c) {
  const auto& w = rep.now();
  if (pair_downs(c.pair) != c.downs)
    return; // another outage: its own rules apply
  for (auto u : c.users) {
    auto home = rep.home_of(u);
    const auto& r = rep.users[u];
    if ((r.asked == home && r.asked_downs == w.downs[home])
        || rep.held(w, u, home))
      continue;
    run.registrar.add("user " + id_text(u) + " had not asked its home "
                      + fqdn[home] + " to register it by " + at_text(c.at)
                      + ", though failback was invoked "
                      + format_duration(scn.clients.move_jitter)
                      + " and a second before: clients move back on "
                        "failback, each within its move jitter");
  }
}

void replay::look_forgotten(const checkpoint& c) {
  const auto& w = rep.now();
  if (pair_downs(c.pair) != c.downs)
    return; // another outage: its own rules apply
  if (w.pairs[c.pair].phase != pair_phase::normal)
    return; // in DR the clients follow the phases, looked at there
  for (auto u : c.users) {
    const auto& r = rep.users[u];
    if (r.confirmed != c.pool || r.requested_at >= sim_duration{0}
        || rep.held(w, u, c.pool))
      continue; // moved on, asking, or registered there again
    run.registrar.add("user " + id_text(u) + " had not asked to register "
                      "again by " + at_text(c.at) + ", though "
                      + fqdn[c.pool] + ", its registrar, came back "
                      + format_duration(scn.clients.registration_refresh)
                      + " and a second before having forgotten it: a "
                        "client learns so at its next refresh");
  }
}

void replay::look_invoked(const checkpoint& c) {
  const auto& w = rep.now();
  if (pair_downs(c.pair) != c.downs)
    return; // another outage: its own rules apply
  auto failed = w.pairs[c.pair].failed;
  if (failed == no_pool || w.up[failed])
    return; // back already: clients may stay or go home
  auto backup = topo.pools[failed].partner;
  if (backup == no_pool || !w.up[backup])
    return;
  for_homed(failed, [&](user_id u) {
    // One that believes itself registered on the backup has nothing to do:
    // if the backup lost it in an outage of its own, it learns so at its
    // next refresh.
    const auto& r = rep.users[u];
    if (r.confirmed == backup
        || (r.asked == backup && r.asked_downs == w.downs[backup])
        || rep.held(w, u, backup))
      return;
    auto since = c.kind == checkpoint::invoked
                   ? "failover was invoked "
                       + format_duration(scn.clients.detect_jitter)
                   : fqdn[failed] + " failed "
                       + format_duration(scn.clients.failover_interval
                                         + scn.clients.detect_jitter);
    run.registrar.add("user " + id_text(u) + " of " + fqdn[failed]
                      + " had not asked " + fqdn[backup] + " to register it by "
                      + at_text(c.at) + ", though " + since
                      + " and a second before: a client signs in to the "
                        "backup when its failover interval has passed or "
                        "failover is invoked, whichever comes first");
  });
}

void replay::look_stale(const checkpoint& c) {
  const auto& w = rep.now();
  auto& cell = pairs[c.pair].cells[static_cast<std::size_t>(column::failover_after)];
  const auto& pr = topo.pairs[c.pair];
  for (auto& [key, q] : rep.queues) {
    auto pool = static_cast<pool_id>(key >> 32);
    if (pool != pr.a && pool != pr.b)
      continue;
    for (const auto& e : q)
      if (e.downs == w.downs[pool] && pair_of(e.callee) == c.pair
          && rep.affected(w, e.callee) && !e.reading.maybe_in(c.epoch))
        cell.stale_left.add("call " + id_text(e.call) + " of user "
                            + id_text(e.callee) + " queued at "
                            + at_text(e.since)
                            + " still waits after failover completed");
  }
}

void replay::look_runbook(pair_id p, sim_duration at, const std::string& when) {
  const auto& w = rep.now();
  const auto& pr = topo.pairs[p];
  auto& pt = pairs[p];
  ++pt.runbook_looks;
  for (std::size_t r = 0; r < topo.ranges.size(); ++r) {
    const auto& rg = topo.ranges[r];
    if (rg.type != range_type::group_pickup
        || (rg.owner != pr.a && rg.owner != pr.b))
      continue;
    std::vector<std::uint64_t> served(topo.pools.size(), 0);
    bool any = false;
    for (const auto& g : topo.groups)
      if (g.range == r)
        for (user_id u = g.first_member; u < g.first_member + g.size; ++u) {
          auto s_ = rep.serving(w, u);
          if (s_ != no_pool) {
            ++served[s_];
            any = true;
          }
        }
    if (!any)
      continue;
    ++pt.runbook_ranges;
    auto most = static_cast<pool_id>(
      std::max_element(served.begin(), served.end()) - served.begin());
    auto target = w.orbit[r];
    const auto& name_ = fqdn[most];
    if (target != most)
      pt.runbook.add(when + " (" + at_text(at) + "): range " + rg.identity
                     + " points at "
                     + (target == no_pool ? std::string{"a retired FQDN"}
                                          : fqdn[target])
                     + " but its members are served by " + name_
                     + "; fix: Set-CsCallParkOrbit -Identity \""
                     + rg.identity + "\" -CallParkService \"ApplicationServer:"
                     + name_ + "\"");
    else if (!w.call_park[target])
      pt.runbook.add(when + " (" + at_text(at) + "): range " + rg.identity
                     + " points at " + name_
                     + ", where Call Park is not enabled; fix: enable the "
                       "Call Park application on " + name_);
  }
}

bool replay::runbook_unfinished(pair_id p, sim_duration end) const {
  const auto& pr = topo.pairs[p];
  for (const auto& a : scn.drill) {
    if (a.at < end)
      continue;
    auto pool = topo.find_pool(a.pool);
    for (std::size_t i = 0; pool == no_pool && i < fqdn.size(); ++i)
      if (fqdn[i] == a.pool)
        pool = static_cast<pool_id>(i);
    if (pool == pr.a || pool == pr.b)
      return true;
  }
  const auto& c = scn.chaos;
  auto grace = std::max(c.redirect_ranges.max, c.redirect_back.max);
  return c.enabled && end - pairs[p].last_transition <= grace;
}

void replay::look_recovery(const checkpoint& c) {
  const auto& w = rep.now();
  const auto& pv = w.pairs[c.pair];
  auto col = column_of_phase(pv.phase);
  auto& pt = pairs[c.pair];
  ++pt.recovery_checked;
  auto look_at = [&](user_id u) {
    auto home = rep.home_of(u);
    bool away = pv.failed == home && (col == column::failover_during
                                      || col == column::failover_after);
    auto desired = away ? topo.pools[home].partner : home;
    if (desired == no_pool || !w.up[desired])
      return;
    auto serving = rep.serving(w, u);
    bool resiliency_allowed = col == column::failover_during
                              || col == column::failback_during;
    if (serving == no_pool)
      pt.recovery.add("user " + id_text(u) + " still unregistered at "
                      + at_text(c.at) + " although "
                      + fqdn[desired] + " is up");
    else if (!resiliency_allowed
             && rep.mode(w, u, serving) == user_mode::resiliency)
      pt.recovery.add("user " + id_text(u) + " still in resiliency mode on "
                      + fqdn[serving] + " at " + at_text(c.at));
  };
  const auto& pr = topo.pairs[c.pair];
  for_homed(pr.a, look_at);
  if (pr.b != no_pool)
    for_homed(pr.b, look_at);
}

} // namespace calldrill::checking
