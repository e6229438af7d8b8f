// The replay of Group Call Pickup: each attempt judged against the table
// (allowed, refused, the call it answered) and the cause a refusal was
// booked with checked against the worlds of its instant.
#include "checker/replay.hpp"

#include <algorithm>

namespace calldrill::checking {

// -- pickups ---------------------------------------------------------------------

void replay::on_dialed(const fact& f) {
  attempt a;
  a.picker = f.user;
  a.group = f.group;
  a.dest = f.pool2;
  count_dial(f);
  if (auto* c = calls.find(f.id)) {
    a.callee = c->callee;
    a.callee_known = true;
    judge_delay("dialled for pickup", f.id, c->started, f.at,
                scn.traffic.pickup_delay_min, scn.traffic.pickup_delay_max);
    ++run.dials_timed;
    if (c->state == call_state::ringing && c->group != no_group
        && c->dialed < sim_duration{0}) {
      c->dialed = f.at;
      ++run.dials_seen;
    }
  }
  a.rang = rang_of(f.id);
  if (a.callee_known) {
    a.count_callee = a.callee;
    a.count_known = true;
  } else if (auto e = ended_rang.find(f.id); e != ended_rang.end()) {
    a.count_callee = e->second.callee;
    a.count_known = true;
  }
  auto range = f.group < topo.groups.size() ? topo.groups[f.group].range : 0;
  a.picker_ok_all = a.routed_all = a.picker_res_all = true;
  a.unredirected_all = a.at_home_all = true;
  bool resolved = false;
  for (const auto* w : rep.views(f.at)) {
    auto serving = rep.serving(*w, f.user);
    auto mode = rep.mode(*w, f.user, serving);
    bool ok = mode == user_mode::normal;
    a.picker_ok_any = a.picker_ok_any || ok;
    a.picker_ok_all = a.picker_ok_all && ok;
    a.picker_res = a.picker_res || mode == user_mode::resiliency;
    a.picker_res_all = a.picker_res_all && mode == user_mode::resiliency;
    a.picker_unreg = a.picker_unreg || mode == user_mode::unregistered;
    bool home = ok && serving == rep.home_of(f.user);
    a.at_home_any = a.at_home_any || home;
    a.at_home_all = a.at_home_all && home;
    auto target = w->orbit[range];
    bool routed = target != no_pool && target == f.pool2;
    a.routed_any = a.routed_any || routed;
    a.routed_all = a.routed_all && routed;
    // Where the call rang is the dial's own datum; a call the checker
    // lost track of may have rung anywhere.
    bool away = a.rang == no_pool || target != a.rang;
    a.unredirected_any = a.unredirected_any || away;
    a.unredirected_all = a.unredirected_all && away && a.rang != no_pool;
    resolved = resolved || target == f.pool;
  }
  a.picker_affected = rep.affected(rep.now(), f.user);
  if (!resolved)
    run.lies.add("pickup " + id_text(f.id) + " at " + at_text(f.at)
                 + ": the client resolved the group's range to a pool it did "
                   "not point at");
  attempts.assign(f.id, a);
}

void replay::on_pickup(const fact& f) {
  auto result = static_cast<pickup_result>(f.code);
  if (f.code < pickup_result_count)
    ++counts.pickups[f.code];
  auto* found = attempts.find(f.id);
  if (found == nullptr) {
    run.conservation.add("pickup " + id_text(f.id) + " decided, never dialed");
    return;
  }
  auto a = *found;
  attempts.erase(f.id);
  auto v = rep.views(f.at);
  static const std::vector<queued_call> none;
  auto qi = f.pool == no_pool ? rep.queues.end()
                              : rep.queues.find(replica::queue_key(f.pool, a.group));
  const auto& q = qi == rep.queues.end() ? none : qi->second;
  auto ans_any = [&](const queued_call& e) {
    for (const auto* w : v)
      if (rep.answerable(*w, e, f.pool, reading_of::some))
        return true;
    return false;
  };
  auto ans_all = [&](const queued_call& e) {
    for (const auto* w : v)
      if (!rep.answerable(*w, e, f.pool, reading_of::every))
        return false;
    return true;
  };
  bool pool_any = false, pool_all = f.pool != no_pool;
  for (const auto* w : v) {
    if (f.pool == no_pool)
      break;
    bool ok = w->up[f.pool] && w->call_park[f.pool];
    pool_any = pool_any || ok;
    pool_all = pool_all && ok;
  }
  bool exists_all = std::any_of(q.begin(), q.end(), ans_all);
  bool allowed_all = a.picker_ok_all && a.routed_all && pool_all && exists_all;
  bool allowed_any = a.picker_ok_any && a.routed_any && pool_any
                     && std::any_of(q.begin(), q.end(), ans_any);
  bound_pickup(f, a, q, allowed_any, allowed_all);

  // Which cell: the affected party's, else the pair's normal column, else a
  // bystander's.
  user_id party = a.callee_known ? a.callee : a.picker;
  if (!(a.callee_known && rep.affected(rep.now(), a.callee)) && a.picker_affected)
    party = a.picker;
  auto& cell = cell_for(party);
  auto& t = cell.pickups;
  ++t.attempts;
  bool involves_resiliency = a.picker_res;
  for (const auto& e : q)
    involves_resiliency = involves_resiliency || e.reading.resiliency_any;
  t.in_resiliency += involves_resiliency ? 1 : 0;
  t.eligible += allowed_all ? 1 : 0;
  auto what = "pickup " + id_text(f.id) + " by user " + id_text(a.picker)
              + " at " + at_text(f.at) + " through "
              + (f.pool == no_pool ? std::string{"nothing"}
                                   : fqdn[f.pool]);
  // After failover or failback completes the table promises GCP to the
  // affected users whose range was redirected: Call Park must be enabled in
  // both pools of their pair, so a pool of the pair without it fails the
  // promise. A pool outside the pair is not the pair's promise.
  bool after = column_now(pair_of(party)) == column::failover_after
               || column_now(pair_of(party)) == column::failback_after;
  if (result == pickup_result::call_park_disabled && after && !allowed_all
      && rep.affected(rep.now(), party) && a.picker_ok_all && a.routed_all
      && f.pool != no_pool && topo.pools[f.pool].pair == pair_of(party)
      && rep.now().up[f.pool] && !rep.now().call_park[f.pool]) {
    ++t.eligible;
    t.refused.add(what + " refused: Call Park is not enabled there, and the "
                  "table promises GCP once ranges are redirected");
    return;
  }
  if (result != pickup_result::ok) {
    if (allowed_all)
      t.refused.add(what + " refused as " + std::string{name(result)}
                    + " although the table allowed it");
    if (!cause_true(f, a))
      run.lies.add(what + " refused as " + std::string{name(result)}
                   + ", which was not true");
    else if (auto why = earlier_rule(f, a); !why.empty())
      run.lies.add(what + " refused as " + std::string{name(result)} + ", but "
                   + why + " first");
    return;
  }
  ++t.ok;
  t.eligible_ok += allowed_all ? 1 : 0;
  auto taken = std::find_if(q.begin(), q.end(),
                            [&](const queued_call& e) { return e.call == f.ref; });
  std::string why;
  if (!a.picker_ok_any)
    why = a.picker_res ? "the picker was in resiliency mode"
                       : "the picker was not registered";
  else if (!a.routed_any)
    why = "the group's range did not point at that pool";
  else if (!pool_any)
    why = "that pool was down or had no Call Park";
  else if (taken == q.end())
    why = "the call answered was not in that pool's queue for the group";
  else if (!ans_any(*taken))
    why = "the call answered could not be answered (its callee in "
          "resiliency, unregistered there, or queued before a transition)";
  else
    for (auto e = q.begin(); e != q.end(); ++e)
      if (e != taken
          && (e->since < taken->since || (e->since == taken->since && e < taken))
          && ans_all(*e)) {
        why = "call " + id_text(e->call) + " had rung longer";
        break;
      }
  if (taken != q.end()) {
    // Stale under every world the pool may have decided under.
    bool stale = true;
    for (const auto* w : v)
      stale = stale && rep.affected(*w, taken->callee)
              && !taken->reading.maybe_in(w->pairs[pair_of(taken->callee)].epoch);
    bool in_resiliency = taken->reading.resiliency_all;
    if (stale || in_resiliency)
      cell_for(taken->callee)
        .stale_answered.add(what + " answered call " + id_text(taken->call)
                            + (stale ? " queued before the pair's last "
                                       "transition"
                                     : " queued while its callee was in "
                                       "resiliency mode"));
  }
  // The pool times the pickup from the call's start, as queued.
  if (taken != q.end())
    observe(latency::pickup, f.at - taken->since);
  else
    counts.latencies_known = false;
  if (!why.empty())
    t.wrongly_ok.add(what + " answered call " + id_text(f.ref) + ": " + why);
  if (!still_ringing(f.ref, f.at))
    run.conservation.add(what + " answered call " + id_text(f.ref)
                         + ", which no longer rang (answered, picked up or "
                           "ended before)");
  if (auto* c = calls.find(f.ref))
    c->taken = true;
  // GCP works again for the affected users' groups of the pair: a pickup
  // every world allowed (one decided before the actor saw the outage, within
  // the tolerance, restores nothing).
  if (!allowed_all || taken == q.end()
      || !rep.affected(rep.now(), taken->callee))
    return;
  auto& pt = pairs[pair_of(taken->callee)];
  if (pt.gcp_down_since >= sim_duration{0}) {
    pt.figures.gcp_down_total += to_seconds(f.at - pt.gcp_down_since);
    if (pt.figures.gcp_restored < 0 && pt.outage_at >= sim_duration{0})
      pt.figures.gcp_restored = to_seconds(f.at - pt.outage_at);
    pt.gcp_down_since = sim_duration{-1};
  }
}

void replay::bound_pickup(const fact& f, const attempt& a,
                          const std::vector<queued_call>& q, bool allowed_any,
                          bool allowed_all) {
  if (f.code >= pickup_result_count)
    return;
  auto result = static_cast<pickup_result>(f.code);
  bool ok = result == pickup_result::ok;
  // A pool counts the attempt as involving resiliency if the picker was in
  // it when dialling, or the entry it answered was entered in it; a dial
  // refused where it was made is not counted so.
  bool res_lo = false, res_hi = false;
  if (f.pool != no_pool) {
    res_lo = a.picker_res_all;
    res_hi = a.picker_res;
    if (ok) {
      auto taken = std::find_if(q.begin(), q.end(),
                                [&](const queued_call& e) { return e.call == f.ref; });
      res_lo = res_lo || (taken != q.end() && taken->reading.resiliency_all);
      res_hi = res_hi || taken == q.end() || taken->reading.resiliency_any;
    }
  }
  if (!a.count_known || a.count_callee >= topo.user_count()) {
    bound_anywhere(pickup_witness(result));
    if (res_hi)
      bound_anywhere(witnessed::resiliency_attempts);
    if (res_hi && ok)
      bound_anywhere(witnessed::resiliency_ok);
    for (auto k : {witnessed::eligible_attempts, witnessed::unredirected_attempts,
                   witnessed::stale_attempts, witnessed::bystander_attempts})
      bound_anywhere(k);
    if (ok)
      for (auto k : {witnessed::eligible_ok, witnessed::unredirected_ok,
                     witnessed::stale_ok, witnessed::bystander_ok})
        bound_anywhere(k);
    return;
  }
  auto p = pair_of(a.count_callee);
  auto columns = columns_at(p, f.at);
  bound(p, columns, pickup_witness(result), true, true);
  bound(p, columns, witnessed::resiliency_attempts, res_lo, res_hi);
  if (ok)
    bound(p, columns, witnessed::resiliency_ok, res_lo, res_hi);
  bound_classes(f, a, q, p, columns, allowed_any, allowed_all);
}

void replay::bound_classes(const fact& f, const attempt& a,
                           const std::vector<queued_call>& q, pair_id p,
                           std::uint8_t columns, bool allowed_any,
                           bool allowed_all) {
  bool ok = static_cast<pickup_result>(f.code) == pickup_result::ok;
  auto both = [&](witnessed attempts, witnessed oks, std::uint8_t cols,
                  bool lo, bool hi) {
    bound(p, cols, attempts, lo, hi);
    if (ok)
      bound(p, cols, oks, lo, hi);
  };
  if (f.pool == no_pool) {
    // Refused where it was dialled: a range naming nothing is unredirected.
    bool unredirected = static_cast<pickup_result>(f.code)
                        == pickup_result::range_not_redirected;
    bound(p, columns, witnessed::unredirected_attempts, unredirected, unredirected);
    return;
  }
  // Eligible: every rule held (the picker, the range, the pool, an entry
  // that may be answered).
  both(witnessed::eligible_attempts, witnessed::eligible_ok, columns, allowed_all,
       allowed_any);
  both(witnessed::unredirected_attempts, witnessed::unredirected_ok, columns,
       a.unredirected_all, a.unredirected_any);
  // Stale: the entry of the call it was dialled for (and, for a success,
  // the one it answered) was an affected callee's, queued in an earlier
  // epoch of its pair, under some or every world of the decision.
  auto v = rep.views(f.at);
  bool near = stepped_near(p, f.at);
  auto stale = [&](call_id call, bool& any, bool& every) {
    auto e = std::find_if(q.begin(), q.end(),
                          [&](const queued_call& x) { return x.call == call; });
    any = false;
    every = e != q.end();
    if (e == q.end())
      return;
    auto cp = pair_of(e->callee);
    for (const auto* w : v) {
      bool here = e->downs == w->downs[f.pool];
      bool affected = rep.affected(*w, e->callee);
      auto epoch = w->pairs[cp].epoch;
      any = any || (here && affected && !e->reading.surely_in(epoch));
      every = every && here && affected && !e->reading.maybe_in(epoch);
    }
    if (near || stepped_near(cp, f.at))
      any = true, every = false; // a world between two steps of its instant
  };
  bool stale_any = false, stale_all = false;
  stale(f.id, stale_any, stale_all);
  bound(p, columns, witnessed::stale_attempts, stale_all, stale_any);
  if (ok) {
    stale(f.ref, stale_any, stale_all);
    bound(p, columns, witnessed::stale_ok, stale_all, stale_any);
  }
  // Bystander: an eligible attempt by a picker at home for a callee its
  // pair's transitions do not touch, while that pair is out of normal
  // operation.
  auto untouched = read_worlds(p, f.at, [&](const world_view& w) {
    return !rep.affected(w, a.count_callee);
  });
  auto normal = column_bit(column::normal);
  auto dr = static_cast<std::uint8_t>(columns & ~normal);
  both(witnessed::bystander_attempts, witnessed::bystander_ok, dr,
       untouched.every && a.at_home_all && allowed_all && (columns & normal) == 0,
       untouched.some && a.at_home_any && allowed_any);
}

std::string replay::earlier_rule(const fact& f, const attempt& a) {
  auto result = static_cast<pickup_result>(f.code);
  // Only a pool decides by the rules in turn: a dial that reached no pool
  // (the picker unregistered, the range naming nothing) is refused where
  // it was made.
  if (f.pool == no_pool)
    return {};
  bool rule_2_or_3 = result == pickup_result::pool_down
                     || result == pickup_result::call_park_disabled
                     || result == pickup_result::range_not_redirected
                     || result == pickup_result::stale_entry
                     || result == pickup_result::no_call_ringing;
  if (rule_2_or_3 && a.picker_res_all)
    return "the picker was in resiliency mode (rule 1)";
  if (result != pickup_result::stale_entry && result != pickup_result::no_call_ringing)
    return longest_ringing_refusal(f, a);
  // Rule 1 before rule 3: if every call of the group waiting there was for
  // a callee in resiliency mode there, under every world of the instant,
  // the longest-ringing one is refused for that.
  auto qi = rep.queues.find(replica::queue_key(f.pool, a.group));
  if (qi == rep.queues.end())
    return {};
  auto v = rep.views(f.at);
  bool any = false, all_resiliency = true;
  for (const auto& e : qi->second)
    for (const auto* w : v) {
      if (e.downs != w->downs[f.pool])
        continue; // lost with an earlier outage of the pool
      any = true;
      all_resiliency = all_resiliency
                       && rep.mode(*w, e.callee, f.pool) == user_mode::resiliency;
    }
  if (any && all_resiliency)
    return "every call waiting there was for a callee in resiliency mode "
           "(rule 1)";
  return longest_ringing_refusal(f, a);
}

std::string replay::longest_ringing_refusal(const fact& f, const attempt& a) {
  // A pool that found nothing to answer tells why by the call that had rung
  // longest there, the one a pickup takes first: its callee not held there
  // (range_not_redirected), in resiliency (callee_in_resiliency), or its
  // entry from an earlier epoch or entered in resiliency (stale_entry).
  auto result = static_cast<pickup_result>(f.code);
  if (result != pickup_result::stale_entry && result != pickup_result::callee_in_resiliency
      && result != pickup_result::range_not_redirected)
    return {};
  auto qi = rep.queues.find(replica::queue_key(f.pool, a.group));
  if (qi == rep.queues.end())
    return {};
  auto bit = [](pickup_result r) { return 1u << static_cast<unsigned>(r); };
  unsigned reasons = 0;
  const queued_call* longest = nullptr;
  for (const auto* w : rep.views(f.at)) {
    auto e = std::find_if(qi->second.begin(), qi->second.end(),
                          [&](const queued_call& x) { return x.downs == w->downs[f.pool]; });
    if (e == qi->second.end())
      return {}; // nothing waited there under this world: another rule
    if (stepped_near(pair_of(e->callee), f.at))
      return {}; // a world between two steps of its instant
    longest = &*e;
    auto mode = rep.mode(*w, e->callee, f.pool);
    if (!rep.held(*w, e->callee, f.pool) || mode == user_mode::unregistered) {
      reasons |= bit(pickup_result::range_not_redirected);
      continue;
    }
    if (mode == user_mode::resiliency) {
      reasons |= bit(pickup_result::callee_in_resiliency);
      continue;
    }
    // Rule 3, or answerable under this reading, which the pool did not
    // find: it books that as stale too.
    reasons |= bit(pickup_result::stale_entry);
  }
  if (longest == nullptr || (reasons & bit(result)) != 0)
    return {};
  for (auto r : {pickup_result::range_not_redirected, pickup_result::callee_in_resiliency,
                 pickup_result::stale_entry})
    if ((reasons & bit(r)) != 0)
      return "the call that had rung longest there (call " + id_text(longest->call)
             + ") could not be answered as " + std::string{name(r)};
  return {};
}

/// Whether the cause a refused pickup was booked with held, under some
/// reading of the instant.
bool replay::cause_true(const fact& f, const attempt& a) {
  auto result = static_cast<pickup_result>(f.code);
  auto v = rep.views(f.at);
  auto qi = f.pool == no_pool ? rep.queues.end()
                              : rep.queues.find(replica::queue_key(f.pool, a.group));
  auto any_entry = [&](auto pred) {
    if (qi == rep.queues.end())
      return false;
    for (const auto& e : qi->second)
      for (const auto* w : v)
        if (pred(*w, e))
          return true;
    return false;
  };
  auto any_view = [&](auto pred) {
    for (const auto* w : v)
      if (pred(*w))
        return true;
    return false;
  };
  switch (result) {
    case pickup_result::picker_unregistered:
      return a.picker_unreg;
    case pickup_result::picker_in_resiliency:
      return a.picker_res;
    case pickup_result::pool_down:
      return f.pool != no_pool
             && any_view([&](const world_view& w) { return !w.up[f.pool]; });
    case pickup_result::call_park_disabled:
      return f.pool != no_pool
             && any_view([&](const world_view& w) { return !w.call_park[f.pool]; });
    case pickup_result::range_not_redirected: {
      if (!a.routed_all || f.pool == no_pool)
        return true;
      // The call it was dialled for rang elsewhere (the dial reached the
      // range's pool, not the call's), even if it has ended since.
      auto rang = a.rang != no_pool ? a.rang : rang_of(f.id);
      if (rang != no_pool && rang != f.pool)
        return true;
      return any_entry([&](const world_view& w, const queued_call& e) {
        return !rep.held(w, e.callee, f.pool);
      });
    }
    case pickup_result::callee_in_resiliency:
      return any_entry([&](const world_view& w, const queued_call& e) {
        return e.reading.resiliency_any
               || rep.mode(w, e.callee, f.pool) == user_mode::resiliency;
      });
    case pickup_result::stale_entry:
      return any_entry([&](const world_view& w, const queued_call& e) {
        return !rep.answerable(w, e, f.pool, reading_of::every);
      });
    case pickup_result::no_call_ringing:
      // Nothing of the group waited in the deciding pool's queue. An entry
      // that waited but could not be answered has a cause of its own
      // (callee_in_resiliency, stale_entry, range_not_redirected).
      return !any_entry([&](const world_view& w, const queued_call& e) {
        return e.downs == w.downs[f.pool];
      });
    default:
      return false; // service_degraded is no rule of the table
  }
}

} // namespace calldrill::checking
