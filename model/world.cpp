// The DR phase machine of a pool pair and the registration rules derived from
// it: which mode a user is in and where it should be registered.
#include "model/world.hpp"

namespace calldrill {

// The model's reading of which table column a DR step belongs to (the
// checker keeps its own).
column column_of(pair_phase p) {
  switch (p) {
    case pair_phase::normal:
      return column::normal;
    case pair_phase::primary_outage:
    case pair_phase::failover_in_progress:
      return column::failover_during;
    case pair_phase::failover_complete:
    case pair_phase::ranges_redirected:
    case pair_phase::primary_restored:
      return column::failover_after;
    case pair_phase::failback_in_progress:
      return column::failback_during;
    case pair_phase::failback_complete:
    case pair_phase::ranges_redirected_back:
      return column::failback_after;
  }
  return column::normal;
}

world::world(const topology& t)
  : topo_(&t),
    up_(t.pools.size(), 1),
    down_at_(t.pools.size()),
    pairs_(t.pairs.size()),
    orbit_(t.ranges.size()) {
  for (std::size_t r = 0; r < t.ranges.size(); ++r)
    orbit_[r] = t.ranges[r].owner;
  for (const auto& p : t.pools) {
    call_park_.push_back(p.call_park_enabled ? 1 : 0);
    fqdn_.push_back(p.fqdn);
  }
}

pool_id world::find_pool(std::string_view fqdn) const {
  for (std::size_t i = 0; i < fqdn_.size(); ++i)
    if (fqdn_[i] == fqdn)
      return static_cast<pool_id>(i);
  return no_pool;
}

void world::apply(const world_event& e) {
  switch (e.what) {
    case world_event::kind::pool_up:
      up_[e.index] = 1;
      break;
    case world_event::kind::pool_down:
      up_[e.index] = 0;
      down_at_[e.index] = e.at;
      break;
    case world_event::kind::pair:
      pairs_[e.index] = e.pair;
      break;
    case world_event::kind::orbit:
      orbit_[e.index] = e.target;
      break;
    case world_event::kind::call_park_on:
      call_park_[e.index] = 1;
      break;
    case world_event::kind::call_park_off:
      call_park_[e.index] = 0;
      break;
  }
}

user_mode world::mode_for(pool_id home, pool_id serving) const {
  if (serving == no_pool || !up(serving))
    return user_mode::unregistered;
  const auto& st = pairs_[topo_->pools[home].pair];
  if (st.failed != home)
    return user_mode::normal;
  switch (column_of(st.phase)) {
    case column::failover_during:
      return serving != home ? user_mode::resiliency : user_mode::normal;
    case column::failback_during:
      return user_mode::resiliency;
    case column::failback_after:
      return serving != home ? user_mode::resiliency : user_mode::normal;
    default:
      return user_mode::normal;
  }
}

bool world::affected(user_id u) const {
  auto home = topo_->home_of(u);
  const auto& st = pairs_[topo_->pools[home].pair];
  return st.failed == home && st.phase != pair_phase::normal;
}

pool_id world::desired_for(pool_id home) const {
  const auto& info = topo_->pools[home];
  const auto& st = pairs_[info.pair];
  auto col = column_of(st.phase);
  if (st.failed == home
      && (col == column::failover_during || col == column::failover_after))
    return info.partner;
  return home;
}

bool world::ranges_follow_users(pair_id p) const {
  const auto& st = pairs_[p];
  if (st.failed == no_pool)
    return true;
  auto serving_now = column_of(st.phase) == column::failover_after
                         || column_of(st.phase) == column::failover_during
                       ? topo_->pools[st.failed].partner
                       : st.failed;
  for (std::size_t r = 0; r < topo_->ranges.size(); ++r)
    if (topo_->ranges[r].type == range_type::group_pickup
        && topo_->ranges[r].owner == st.failed && orbit_[r] != serving_now)
      return false;
  return true;
}

namespace {

world_event pair_event(pair_id p, const pair_state& st, sim_duration now) {
  world_event e;
  e.what = world_event::kind::pair;
  e.index = p;
  e.pair = st;
  e.at = now;
  return e;
}

world_event pool_event(pool_id p, bool up, sim_duration now) {
  world_event e;
  e.what = up ? world_event::kind::pool_up : world_event::kind::pool_down;
  e.index = p;
  e.at = now;
  return e;
}

world_event call_park_event(pool_id p, bool on, sim_duration now) {
  world_event e;
  e.what = on ? world_event::kind::call_park_on
              : world_event::kind::call_park_off;
  e.index = p;
  e.at = now;
  return e;
}

} // namespace

std::vector<world_event> world::restore(pool_id pool, pair_state st,
                                        sim_duration now) {
  std::vector<world_event> out;
  auto pid = topo_->pools[pool].pair;
  auto col = column_of(st.phase);
  out.push_back(pool_event(pool, true, now));
  if (st.failed == pool && col == column::failover_after) {
    st.phase = pair_phase::primary_restored;
    out.push_back(pair_event(pid, st, now));
  } else if (st.failed == pool && st.phase == pair_phase::primary_outage) {
    // A blip: back before anyone invoked failover.
    st.failed = no_pool;
    st.phase = pair_phase::normal;
    ++st.epoch;
    out.push_back(pair_event(pid, st, now));
  }
  return out;
}

std::vector<world_event> world::replace(const drill_action& a, pool_id pool,
                                        sim_duration now, std::string& error) {
  auto refuse = [&](const std::string& why) {
    error = "replace_pool " + a.pool + ": " + why;
    return std::vector<world_event>{};
  };
  if (up(pool))
    return refuse("only a failed pool is replaced, and this one is up");
  if (a.new_fqdn.empty())
    return refuse("the replacing pool needs an FQDN (new_fqdn)");
  if (find_pool(a.new_fqdn) != no_pool)
    return refuse(a.new_fqdn + " already names a pool");
  for (const auto& gone : retired_)
    if (gone.first == a.new_fqdn)
      return refuse(a.new_fqdn + " named a pool that was replaced");
  retired_.emplace_back(fqdn_[pool], pool);
  fqdn_[pool] = a.new_fqdn;
  std::vector<world_event> out;
  // Ranges keep naming the old FQDN, which now names nothing.
  for (std::size_t r = 0; r < orbit_.size(); ++r)
    if (orbit_[r] == pool) {
      world_event e;
      e.what = world_event::kind::orbit;
      e.index = static_cast<std::uint32_t>(r);
      e.target = no_pool;
      e.at = now;
      out.push_back(e);
    }
  if (call_park_enabled(pool) != a.call_park_enabled)
    out.push_back(call_park_event(pool, a.call_park_enabled, now));
  auto back = restore(pool, pairs_[topo_->pools[pool].pair], now);
  out.insert(out.end(), back.begin(), back.end());
  return out;
}

std::vector<world_event> world::act(const drill_action& a, sim_duration now,
                                    std::string& error) {
  std::vector<world_event> out;
  auto pool = find_pool(a.pool);
  if (pool == no_pool) {
    error = std::string{name(a.kind)} + ": no pool named " + a.pool;
    for (const auto& gone : retired_)
      if (gone.first == a.pool)
        error += " (replaced by " + fqdn_[gone.second] + ")";
    return out;
  }
  auto pid = topo_->pools[pool].pair;
  auto st = pairs_[pid];
  auto col = column_of(st.phase);
  auto move_to = [&](pair_phase next, bool bump) {
    st.phase = next;
    if (bump)
      ++st.epoch;
    out.push_back(pair_event(pid, st, now));
  };
  auto refuse = [&](const std::string& why) {
    error = std::string{name(a.kind)} + " " + a.pool + ": " + why
            + " (pair is in phase " + std::string{name(st.phase)} + ")";
  };
  switch (a.kind) {
    case action_kind::pool_outage:
      if (!up(pool))
        return refuse("the pool is already down"), out;
      // The phase changes first, so what the outage breaks is counted in it.
      if (topo_->pools[pool].partner != no_pool
          && (col == column::normal || col == column::failback_after)) {
        st.failed = pool;
        move_to(pair_phase::primary_outage, true);
      }
      out.push_back(pool_event(pool, false, now));
      break;
    case action_kind::pool_restore:
      if (up(pool))
        return refuse("the pool is not down"), out;
      out = restore(pool, st, now);
      break;
    case action_kind::disable_call_park:
      if (!call_park_enabled(pool))
        return refuse("Call Park is not enabled on this pool"), out;
      out.push_back(call_park_event(pool, false, now));
      break;
    case action_kind::replace_pool:
      out = replace(a, pool, now, error);
      break;
    case action_kind::invoke_failover:
      if (st.phase != pair_phase::primary_outage || st.failed != pool)
        return refuse("failover follows an outage of this pool"), out;
      move_to(pair_phase::failover_in_progress, false);
      break;
    case action_kind::failover_complete:
      if (st.phase != pair_phase::failover_in_progress || st.failed != pool)
        return refuse("failover must be invoked first"), out;
      move_to(pair_phase::failover_complete, true);
      break;
    case action_kind::invoke_failback:
      if (col != column::failover_after || st.failed != pool)
        return refuse("failback follows a completed failover"), out;
      if (!up(pool))
        return refuse("the pool must be restored before failback"), out;
      move_to(pair_phase::failback_in_progress, true);
      break;
    case action_kind::failback_complete:
      if (st.phase != pair_phase::failback_in_progress || st.failed != pool)
        return refuse("failback must be invoked first"), out;
      move_to(pair_phase::failback_complete, true);
      break;
    case action_kind::set_orbit: {
      auto r = topo_->find_range(a.range);
      if (r == topo_->ranges.size()) {
        error = "set_orbit: no orbit range named " + a.range;
        return out;
      }
      world_event e;
      e.what = world_event::kind::orbit;
      e.index = r;
      e.target = pool;
      e.at = now;
      apply(e);
      out.push_back(e);
      // The redirect may finish a step of the pair that owns the range.
      auto owner_pair = topo_->pools[topo_->ranges[r].owner].pair;
      auto ost = pairs_[owner_pair];
      if (ranges_follow_users(owner_pair)) {
        if (ost.phase == pair_phase::failover_complete
            || ost.phase == pair_phase::primary_restored)
          ost.phase = pair_phase::ranges_redirected;
        else if (ost.phase == pair_phase::failback_complete)
          ost.phase = pair_phase::ranges_redirected_back;
        else
          return out;
        out.push_back(pair_event(owner_pair, ost, now));
        apply(out.back());
      }
      return out;
    }
  }
  for (auto& e : out)
    apply(e);
  return out;
}

} // namespace calldrill
