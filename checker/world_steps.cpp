// The checker's own reading of the runbook's steps (DOMAIN.md section 3,
// "Phases of a pool pair"): each action of the drill, as its fact says it
// was played, moves a planned world; at the end of every instant the world
// the history's facts built must be that one. A pair that skips a phase,
// a restore that leaves the phase as it was, a redirect that finishes no
// step, an action refused that the phases allow, or one never played: each
// is a step against the drill.
#include "checker/replay.hpp"

namespace calldrill::checking {

namespace {

std::string pool_text(const std::vector<std::string>& fqdn, pool_id p) {
  return p == no_pool ? std::string{"no pool"} : fqdn[p];
}

} // namespace

void replay::expect_timeline(std::vector<drill_action> t) {
  timeline = std::move(t);
  timeline_played.assign(timeline.size(), 0);
  timeline_known = true;
}

const drill_action* replay::match_action(const fact& f) {
  if (!timeline_known)
    return nullptr;
  auto kind = static_cast<action_kind>(f.code);
  for (std::size_t i = 0; i < timeline.size(); ++i) {
    const auto& a = timeline[i];
    if (timeline_played[i] || a.at != f.at || a.kind != kind)
      continue;
    if (f.pool != no_pool && a.pool != fqdn[f.pool])
      continue;
    timeline_played[i] = 1;
    return &a;
  }
  return nullptr;
}

void replay::plan_restore(pool_id pool) {
  auto& w = planned;
  auto& pv = w.pairs[topo.pools[pool].pair];
  w.up[pool] = 1;
  if (pv.failed != pool)
    return;
  if (column_of_phase(pv.phase) == column::failover_after) {
    pv.phase = pair_phase::primary_restored;
  } else if (pv.phase == pair_phase::primary_outage) {
    pv.phase = pair_phase::normal; // a blip, over before failover was invoked
    pv.failed = no_pool;
  }
}

bool replay::plan_action(action_kind kind, pool_id pool, std::uint32_t range,
                         const drill_action* replace, std::string& why) {
  auto& w = planned;
  if (pool == no_pool)
    return why = "no pool of that name", false;
  auto& pv = w.pairs[topo.pools[pool].pair];
  auto col = column_of_phase(pv.phase);
  bool failed_here = pv.failed == pool;
  switch (kind) {
    case action_kind::pool_outage:
      if (!w.up[pool])
        return why = "the pool was down already", false;
      if (topo.pools[pool].partner != no_pool
          && (col == column::normal || col == column::failback_after)) {
        pv.failed = pool;
        pv.phase = pair_phase::primary_outage;
      }
      w.up[pool] = 0;
      return true;
    case action_kind::pool_restore:
      if (w.up[pool])
        return why = "the pool was up", false;
      plan_restore(pool);
      return true;
    case action_kind::disable_call_park:
      if (!w.call_park[pool])
        return why = "Call Park was off already", false;
      w.call_park[pool] = 0;
      return true;
    case action_kind::replace_pool: {
      if (w.up[pool])
        return why = "only a failed pool is replaced", false;
      if (replace == nullptr || replace->new_fqdn.empty())
        return why = "no FQDN for the replacing pool", false;
      for (std::size_t p = 0; p < fqdn.size(); ++p)
        if (fqdn[p] == replace->new_fqdn)
          return why = replace->new_fqdn + " names a pool already", false;
      for (const auto& gone : retired)
        if (gone == replace->new_fqdn)
          return why = replace->new_fqdn + " named a replaced pool", false;
      for (auto& target : w.orbit)
        if (target == pool)
          target = no_pool; // ranges keep naming the FQDN that went
      w.call_park[pool] = replace->call_park_enabled ? 1 : 0;
      plan_restore(pool);
      return true;
    }
    case action_kind::invoke_failover:
      if (pv.phase != pair_phase::primary_outage || !failed_here)
        return why = "failover follows an outage of the pool", false;
      pv.phase = pair_phase::failover_in_progress;
      return true;
    case action_kind::failover_complete:
      if (pv.phase != pair_phase::failover_in_progress || !failed_here)
        return why = "failover was not in progress", false;
      pv.phase = pair_phase::failover_complete;
      return true;
    case action_kind::invoke_failback:
      if (col != column::failover_after || !failed_here || !w.up[pool])
        return why = "failback follows a completed failover of a pool "
                     "that is back", false;
      pv.phase = pair_phase::failback_in_progress;
      return true;
    case action_kind::failback_complete:
      if (pv.phase != pair_phase::failback_in_progress || !failed_here)
        return why = "failback was not in progress", false;
      pv.phase = pair_phase::failback_complete;
      return true;
    case action_kind::set_orbit: {
      if (range >= topo.ranges.size())
        return why = "no range of that identity", false;
      w.orbit[range] = pool;
      // Redirecting finishes the owner pair's step once every pickup range
      // of its failed pool points where that pool's users are served.
      auto& ov = w.pairs[topo.pools[topo.ranges[range].owner].pair];
      if (ov.failed == no_pool)
        return true;
      auto ocol = column_of_phase(ov.phase);
      auto served = ocol == column::failover_during
                        || ocol == column::failover_after
                      ? topo.pools[ov.failed].partner
                      : ov.failed;
      for (std::size_t r = 0; r < topo.ranges.size(); ++r)
        if (topo.ranges[r].type == range_type::group_pickup
            && topo.ranges[r].owner == ov.failed && w.orbit[r] != served)
          return true;
      if (ov.phase == pair_phase::failover_complete
          || ov.phase == pair_phase::primary_restored)
        ov.phase = pair_phase::ranges_redirected;
      else if (ov.phase == pair_phase::failback_complete)
        ov.phase = pair_phase::ranges_redirected_back;
      return true;
    }
  }
  return why = "an action the checker does not know", false;
}

void replay::on_action(const fact& f) {
  touch(f.at);
  auto kind = static_cast<action_kind>(f.code);
  auto label = std::string{name(kind)} + " " + pool_text(fqdn, f.pool);
  instant_actions += (instant_actions.empty() ? "" : ", ") + label;
  const auto* a = match_action(f);
  if (timeline_known && a == nullptr)
    run.steps.add(label + " played at " + at_text(f.at)
                  + ", which the drill does not have then");
  // replace_pool's details are the drill's: the action that played it, or
  // the written one for that pool.
  const drill_action* replace = a;
  if (replace == nullptr && kind == action_kind::replace_pool && f.pool != no_pool)
    for (const auto& d : scn.drill)
      if (d.kind == kind && d.pool == fqdn[f.pool])
        replace = &d;
  std::string why;
  bool allowed = plan_action(kind, f.pool, f.group, replace, why);
  bool played = f.value == 0;
  if (played && !allowed)
    run.steps.add(label + " at " + at_text(f.at) + " was played, though "
                  + why);
  else if (!played && allowed)
    run.steps.add(label + " at " + at_text(f.at)
                  + " was refused, though the pair's phase allows it");
  if (played)
    ++run.actions;
  if (played && kind == action_kind::replace_pool && replace != nullptr) {
    retired.push_back(fqdn[f.pool]);
    fqdn[f.pool] = replace->new_fqdn; // it carries on under its new name
  }
}

void replay::compare_world(sim_duration at) {
  world_touched = false;
  auto after = instant_actions.empty() ? std::string{"with no action"}
                                       : "after " + instant_actions;
  instant_actions.clear();
  auto& w = rep.now();
  auto differ = [&](const std::string& what, const std::string& history,
                    const std::string& drill) {
    run.steps.add("at " + at_text(at) + " " + after + ": " + what + " is "
                  + history + " in the history, " + drill
                  + " by the drill's steps");
  };
  auto up_text = [](std::uint8_t up) { return up ? "up" : "down"; };
  auto on_text = [](std::uint8_t on) { return on ? "on" : "off"; };
  for (std::size_t p = 0; p < topo.pools.size(); ++p) {
    if (w.up[p] != planned.up[p])
      differ(fqdn[p], up_text(w.up[p]), up_text(planned.up[p]));
    if (w.call_park[p] != planned.call_park[p])
      differ(fqdn[p] + "'s Call Park", on_text(w.call_park[p]),
             on_text(planned.call_park[p]));
  }
  for (std::size_t r = 0; r < topo.ranges.size(); ++r)
    if (w.orbit[r] != planned.orbit[r])
      differ("range " + topo.ranges[r].identity + "'s target",
             pool_text(fqdn, w.orbit[r]), pool_text(fqdn, planned.orbit[r]));
  for (std::size_t p = 0; p < topo.pairs.size(); ++p) {
    const auto& h = w.pairs[p];
    const auto& d = planned.pairs[p];
    if (h.phase != d.phase || h.failed != d.failed)
      differ("pair " + topo.pairs[p].name + "'s phase",
             std::string{name(h.phase)} + " (failed "
               + pool_text(fqdn, h.failed) + ")",
             std::string{name(d.phase)} + " (failed "
               + pool_text(fqdn, d.failed) + ")");
  }
  // The history's world goes on from here, so one wrong step is told once.
  planned.up = w.up;
  planned.call_park = w.call_park;
  planned.orbit = w.orbit;
  for (std::size_t p = 0; p < topo.pairs.size(); ++p) {
    planned.pairs[p].phase = w.pairs[p].phase;
    planned.pairs[p].failed = w.pairs[p].failed;
  }
}

void replay::unplayed_actions(sim_duration until) {
  for (std::size_t i = 0; i < timeline.size(); ++i)
    if (!timeline_played[i] && timeline[i].at < until)
      run.steps.add(std::string{name(timeline[i].kind)} + " "
                    + timeline[i].pool + " due at " + at_text(timeline[i].at)
                    + " was never played");
}

} // namespace calldrill::checking
