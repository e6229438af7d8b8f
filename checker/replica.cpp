// The checker's reading of the source's table over its own replica.
#include "checker/replica.hpp"

namespace calldrill::checking {

column column_of_phase(pair_phase p) {
  switch (p) {
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
    case pair_phase::normal:
    default:
      return column::normal;
  }
}

world_view::world_view(const topology& t)
  : up(t.pools.size(), 1),
    downs(t.pools.size(), 0),
    orbit(t.ranges.size()),
    pairs(t.pairs.size()) {
  for (const auto& p : t.pools)
    call_park.push_back(p.call_park_enabled ? 1 : 0);
  for (std::size_t r = 0; r < t.ranges.size(); ++r)
    orbit[r] = t.ranges[r].owner;
}

replica::replica(const topology& t) : topo_(t), now_(t), before_(t) {
  users.resize(t.user_count());
  for (user_id u = 0; u < t.user_count(); ++u) {
    auto& r = users[u];
    r.held[0] = t.home_of(u);
    r.confirmed = t.home_of(u);
  }
}

void replica::world_changing(sim_duration at) {
  if (at != changed_at_) {
    before_ = now_;
    changed_at_ = at;
  }
}

int replica::views(sim_duration at, const world_view* out[2]) const {
  out[0] = &now_;
  if (at <= changed_at_) {
    out[1] = &before_;
    return 2;
  }
  return 1;
}

bool replica::affected(const world_view& w, user_id u) const {
  auto home = topo_.home_of(u);
  const auto& pv = w.pairs[topo_.pools[home].pair];
  return pv.failed == home && pv.phase != pair_phase::normal;
}

bool replica::held(const world_view& w, user_id u, pool_id p) const {
  if (p == no_pool || !w.up[p])
    return false;
  const auto& r = users[u];
  for (int i = 0; i < 2; ++i)
    if (r.held[i] == p && r.held_downs[i] == w.downs[p])
      return true;
  return false;
}

pool_id replica::serving(const world_view& w, user_id u) const {
  auto c = users[u].confirmed;
  return held(w, u, c) ? c : no_pool;
}

user_mode replica::mode(const world_view& w, user_id u, pool_id p) const {
  if (!held(w, u, p))
    return user_mode::unregistered;
  if (!affected(w, u))
    return user_mode::normal;
  auto home = topo_.home_of(u);
  switch (column_of_phase(w.pairs[topo_.pools[home].pair].phase)) {
    case column::failover_during:
    case column::failback_after:
      // Redirected to the backup, or not yet back home.
      return p != home ? user_mode::resiliency : user_mode::normal;
    case column::failback_during:
      return user_mode::resiliency; // redirected again, wherever it is
    default:
      return user_mode::normal;
  }
}

entry_reading replica::reading(const world_view& w, user_id callee,
                               pool_id p) const {
  entry_reading r;
  r.epoch = w.pairs[topo_.pair_of_user(callee)].epoch;
  r.resiliency = mode(w, callee, p) == user_mode::resiliency;
  return r;
}

bool replica::answerable(const world_view& w, const queued_call& q,
                         const entry_reading& r, pool_id p) const {
  if (q.downs != w.downs[p] || mode(w, q.callee, p) != user_mode::normal
      || r.resiliency)
    return false;
  // An affected user's entry from an earlier phase is never answerable; a
  // bystander's is untouched by the partner's transitions.
  return !affected(w, q.callee)
         || r.epoch == w.pairs[topo_.pair_of_user(q.callee)].epoch;
}

} // namespace calldrill::checking
